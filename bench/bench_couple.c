/*
 * bench_couple.c - the coupled award on large generated rounds: the
 * decomposition (Lagrangian bound + repair) on 1,000 × 10 and 5,000 × 12
 * with 3-tier all-units price breaks and binding capacities, and CBC on
 * the 1,000 × 10 with a time limit.  Standalone: links couple.c,
 * award_solve.c and milp.c (see bench/README.md or the usage below).
 *
 *   cc -std=c11 -O2 -DBID_HAVE_CBC -Iinclude -Iengine bench/bench_couple.c \
 *      engine/couple.c engine/award_solve.c engine/milp.c \
 *      $(pkg-config --libs cbc) -lm -o bench/out/bench_couple
 *   bench/out/bench_couple [cbc-seconds (120)] [decomposition-seconds (120)]
 *                          [model.lp [parts (100)] [suppliers (6)]]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "couple.h"

#define U 1000000

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

typedef struct gen {
	size_t nparts, nsup;
	bid_couple_part *parts;
	bid_offer *offers;
	bid_price_seg *segs;
	size_t *sup;
	bid_couple_supplier *sups;
	char (*ids)[16];
} gen;

/*
 * Supplier j's price level is 1 + 0.04 j (supplier 0 cheapest), each part
 * has a base price of 5..15 and each offer ±15 % noise; tiers at 0, 30 %
 * and 60 % of the part's demand with 3 % and 7 % off (all-units).
 * Demands 100..1,000 units; 2..3 vendors, 20..80 %.  The three cheapest
 * suppliers get a capacity of 9 % of the round's demand each (binding:
 * they would win far more), the others none.
 */
static void generate(gen *g, size_t nparts, size_t nsup, uint64_t seed)
{
	size_t i, j, k = 0;
	int64_t total = 0;

	rng = seed;
	g->nparts = nparts;
	g->nsup = nsup;
	g->parts = calloc(nparts, sizeof(*g->parts));
	g->offers = calloc(nparts * nsup, sizeof(*g->offers));
	g->segs = calloc(nparts * nsup * 3, sizeof(*g->segs));
	g->sup = calloc(nparts * nsup, sizeof(*g->sup));
	g->sups = calloc(nsup, sizeof(*g->sups));
	g->ids = calloc(nsup, sizeof(*g->ids));
	if (!g->parts || !g->offers || !g->segs || !g->sup || !g->sups || !g->ids) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (j = 0; j < nsup; j++) {
		snprintf(g->ids[j], sizeof(g->ids[j]), "S%02zu", j);
		g->sups[j].id = g->ids[j];
		g->sups[j].group = (int32_t)j;
		g->sups[j].capacity = BID_QTY_UNLIMITED;
		g->sups[j].spend_cap = BID_SPEND_UNLIMITED;
	}
	for (i = 0; i < nparts; i++) {
		bid_couple_part *p = &g->parts[i];
		int64_t q = (int64_t)(100 + rnd() % 901) * U;
		int64_t base = (int64_t)(5 * U + rnd() % (10 * U));

		p->demand = q;
		total += q;
		p->offers = &g->offers[k];
		p->sup = &g->sup[k];
		p->rules.min_vendors = 2;
		p->rules.max_vendors = 3;
		p->rules.min_share = 200000;
		p->rules.max_share = 800000;
		p->rules.step = U;
		p->counts = 1;
		for (j = 0; j < nsup; j++) {
			bid_offer *o = &g->offers[k];
			bid_price_seg *s = &g->segs[k * 3];
			int64_t price = base * (100 + 4 * (int64_t)j) / 100;
			price = price * (int64_t)(850 + rnd() % 301) / 1000;
			memset(o, 0, sizeof(*o));
			o->unit_cost = price;
			o->max_qty = BID_QTY_UNLIMITED;
			o->lead_days = (int32_t)(5 + rnd() % 20);
			o->group = (int32_t)j;
			o->supplier = g->ids[j];
			s[0].from_qty = 0;
			s[0].unit_cost = price;
			s[1].from_qty = q * 3 / 10 / U * U;
			s[1].unit_cost = price * 97 / 100;
			s[2].from_qty = q * 6 / 10 / U * U;
			s[2].unit_cost = price * 93 / 100;
			o->segs = s;
			o->nsegs = 3;
			o->incremental = 0;
			g->sup[k] = j;
			k++;
		}
		p->noffers = nsup;
	}
	for (j = 0; j < 3 && j < nsup; j++)
		g->sups[j].capacity = total * 9 / 100 / U * U;
}

static void gen_free(gen *g)
{
	free(g->parts);
	free(g->offers);
	free(g->segs);
	free(g->sup);
	free(g->sups);
	free(g->ids);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A cost at scale 10^12 as currency with 6 decimals (exact). */
static void money(char *buf, size_t n, bid_i128 c)
{
	bid_i128 m = c / U;   /* millionths, truncated for display */
	snprintf(buf, n, "%lld.%06lld", (long long)(m / U), (long long)(m % U));
}

static const char *stop_name(int s)
{
	return s == BID_COUPLE_STOP_DONE ? "target gap" : s == BID_COUPLE_STOP_TIME ? "time limit"
	       : "iteration limit / no progress";
}

static const char *status_name(int s)
{
	static const char *n[] = { "optimal", "feasible", "infeasible", "not found" };
	return n[s];
}

static int run(const gen *g, int milp, int64_t limit_ms, int64_t gap_ppm, const char *label)
{
	bid_couple_rules cr = { 0, 0 };
	bid_couple_options o = BID_COUPLE_OPTIONS_INIT;
	bid_couple_result r;
	char msg[256], a[64], b[64];
	double t0, t1;
	int rc;
	size_t j;

	o.time_limit_ms = limit_ms;
	o.gap_ppm = gap_ppm;
	o.milp = milp;
	o.max_iter = 5000;
	t0 = now();
	rc = bid_award__solve_round(&r, g->parts, g->nparts, g->sups, g->nsup, &cr, &o, msg, sizeof(msg));
	t1 = now();
	if (rc != 0) {
		printf("%-28s error %d: %s\n", label, rc, msg);
		return 1;
	}
	money(a, sizeof(a), r.cost);
	money(b, sizeof(b), r.bound);
	printf("%-28s %8.2f s  %-9s objective %s  bound %s  gap %lld ppm (%.4f %%)  "
	       "%d iterations, stopped on %s%s\n", label, t1 - t0, status_name(r.status), a, b,
	       (long long)r.gap_ppm, (double)r.gap_ppm / 1e4, r.iterations, stop_name(r.stopped),
	       r.bound_by_milp ? ", bound from CBC" : "");
	if (r.status >= BID_COUPLE_INFEASIBLE)
		printf("%-28s reason: %s\n", "", r.reason);
	for (j = 0; j < 3 && j < g->nsup && r.sup_qty; j++)
		printf("%-28s capacity %s: %lld of %lld units\n", "", g->sups[j].id,
		       (long long)(r.sup_qty[j] / U), (long long)(g->sups[j].capacity / U));
	bid_couple_result_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	int64_t cbc_s = argc > 1 ? atoll(argv[1]) : 120;
	int64_t dec_s = argc > 2 ? atoll(argv[2]) : 120;
	gen a, b;
	int bad = 0;

	generate(&a, 1000, 10, 0x1234567887654321ull);
	generate(&b, 5000, 12, 0x0F1E2D3C4B5A6978ull);
	printf("coupled award: 3-tier all-units breaks, 2..3 vendors at 20..80 %%, the three "
	       "cheapest suppliers capped at 9 %% of the round's demand; target gap 100 ppm\n");
	bad |= run(&a, BID_COUPLE_MILP_NEVER, dec_s * 1000, 100, "1,000 x 10 decomposition");
	bad |= run(&b, BID_COUPLE_MILP_NEVER, dec_s * 1000, 100, "5,000 x 12 decomposition");
	bad |= run(&a, BID_COUPLE_MILP_NEVER, dec_s * 1000, 0, "1,000 x 10 target 0");
	bad |= run(&b, BID_COUPLE_MILP_NEVER, dec_s * 1000, 0, "5,000 x 12 target 0");
	if (argc > 3) {
		/* a smaller round, solved here and written for the cbc command (run.sh) */
		size_t sp = argc > 4 ? (size_t)atol(argv[4]) : 100, sv = argc > 5 ? (size_t)atol(argv[5]) : 6;
		FILE *f = fopen(argv[3], "w");
		bid_couple_rules cr = { 0, 0 };
		gen s;
		char label[64];

		generate(&s, sp, sv, 0x0A1B2C3D4E5F6071ull);
		if (!f || bid_award__write_round_lp(f, s.parts, s.nparts, s.sups, s.nsup, &cr) != 0)
			bad = 1;
		if (f && fclose(f) != 0)
			bad = 1;
		printf("%zu x %zu model written to %s (CPLEX LP)\n", sp, sv, argv[3]);
		snprintf(label, sizeof(label), "%zu x %zu decomposition", sp, sv);
		bad |= run(&s, BID_COUPLE_MILP_NEVER, dec_s * 1000, 100, label);
#ifdef BID_HAVE_CBC
		/* what `bidcmp award` does on a round this small: CBC closes the gap */
		snprintf(label, sizeof(label), "%zu x %zu with CBC library", sp, sv);
		bad |= run(&s, BID_COUPLE_MILP_CLOSE, dec_s * 1000, 0, label);
#endif
		gen_free(&s);
	}
#ifdef BID_HAVE_CBC
	if (cbc_s > 0)
		bad |= run(&a, BID_COUPLE_MILP_ONLY, cbc_s * 1000, 100, "1,000 x 10 CBC alone");
#else
	(void)cbc_s;
	printf("built without CBC: no MILP figures\n");
#endif
	gen_free(&a);
	gen_free(&b);
	return bad;
}
