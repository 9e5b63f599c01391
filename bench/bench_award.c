/*
 * bench_award.c - the uncoupled award of a large round with price breaks:
 * 20,000 parts × 12 suppliers, every offer a 3-tier cost curve (two in
 * three all-units, one in three incremental), 2..3 vendors at 20..80 %,
 * some minimum order quantities and offered maxima.  Each part is awarded
 * by the exact per-part solver (bid_award__solve_part) and, in the same
 * run, by a bare enumeration written here independently: every set of 2
 * or 3 suppliers, every choice of one tier per supplier, each filled
 * greedily and compared by the whole total order, with no pruning at
 * all.  The two must give the same award on every part (suppliers,
 * quantities, exact cost); the figures are the times of both.
 *
 *   cc -std=c11 -O2 -Iinclude -Iengine bench/bench_award.c engine/award_solve.c \
 *      engine/couple.c engine/milp.c -lm -o bench/out/bench_award
 *   bench/out/bench_award [parts (20000)] [suppliers (12)]
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "couple.h"   /* bid_couple__cost: a curve's exact cost, tested on its own */

#define U      1000000
#define NSEG   3
#define MAXSUP 16

static uint64_t rng;

/* splitmix64: the same seed gives the same round on every machine */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

typedef struct part {
	int64_t   demand;
	bid_offer offers[MAXSUP];
	bid_price_seg segs[MAXSUP][NSEG];
} part;

static char ids[MAXSUP][8];

/*
 * Supplier j's price level is 1 + 0.03 j, each part a base price of
 * 2..50, each offer ±12 % noise; breaks at 10..40 % and 40..90 % of the
 * demand with 2..6 % and 5..12 % off.  Demands 100..10,000 units (whole).
 * One offer in eight has a minimum order of 1..15 % of the demand, one in
 * eight a maximum of 50..90 %, so every part can be awarded with the share
 * rules on (12 independent suppliers).
 */
static void generate(part *p, size_t nparts, size_t nsup, uint64_t seed)
{
	size_t i, j;

	rng = seed;
	for (j = 0; j < nsup; j++)
		snprintf(ids[j], sizeof(ids[j]), "S%02zu", j);
	for (i = 0; i < nparts; i++) {
		int64_t q = (int64_t)(100 + rnd() % 9901);
		int64_t base = (int64_t)(2 * U + rnd() % (48 * U));

		p[i].demand = q * U;
		for (j = 0; j < nsup; j++) {
			bid_offer *o = &p[i].offers[j];
			bid_price_seg *s = p[i].segs[j];
			int64_t price = base * (100 + 3 * (int64_t)j) / 100;
			int64_t b1 = q * (int64_t)(10 + rnd() % 31) / 100;
			int64_t b2 = q * (int64_t)(40 + rnd() % 51) / 100;

			price = price * (int64_t)(880 + rnd() % 241) / 1000;
			if (b1 < 1)
				b1 = 1;
			if (b2 <= b1)
				b2 = b1 + 1;
			memset(o, 0, sizeof(*o));
			o->unit_cost = price;
			o->max_qty = BID_QTY_UNLIMITED;
			if (rnd() % 8 == 0)
				o->min_qty = q * (int64_t)(1 + rnd() % 15) / 100 * U;
			if (rnd() % 8 == 0)
				o->max_qty = q * (int64_t)(50 + rnd() % 41) / 100 * U;
			o->lead_days = (int32_t)(3 + rnd() % 58);
			o->group = (int32_t)j;
			o->supplier = ids[j];
			s[0].from_qty = 0;
			s[0].unit_cost = price;
			s[1].from_qty = b1 * U;
			s[1].unit_cost = price * (int64_t)(94 + rnd() % 5) / 100;
			s[2].from_qty = b2 * U;
			s[2].unit_cost = price * (int64_t)(88 + rnd() % 8) / 100;
			o->segs = s;
			o->nsegs = NSEG;
			o->incremental = rnd() % 3 == 0;
		}
	}
}

/* ---- the bare enumeration ------------------------------------------------ */

typedef struct best {
	int      found;
	bid_i128 cost, lead;
	int64_t  x[MAXSUP];    /* by supplier index, which is supplier id order */
} best;

/* The total order of award_solve.h: cost, then Σ lead × qty, then more to the first id. */
static int better(bid_i128 c, bid_i128 l, const int64_t *x, size_t n, const best *b)
{
	size_t j;

	if (!b->found)
		return 1;
	if (c != b->cost)
		return c < b->cost;
	if (l != b->lead)
		return l < b->lead;
	for (j = 0; j < n; j++)
		if (x[j] != b->x[j])
			return x[j] > b->x[j];
	return 0;
}

/*
 * One set of suppliers with one tier each: clamp each to its tier's
 * quantities within its bounds, give each its least, fill the rest in the
 * order (unit price of the tier, lead time, id), and keep it if better.
 */
static void try_set(const part *p, size_t n, const size_t *set, const int *tier, size_t k,
                    int64_t lo_share, int64_t hi_share, best *b)
{
	int64_t lo[3], hi[3], x[MAXSUP] = { 0 }, rest = p->demand;
	size_t order[3], a, c;
	bid_i128 cost = 0, lead = 0;

	for (a = 0; a < k; a++) {
		const bid_offer *o = &p->offers[set[a]];
		int t = tier[a];
		int64_t l = lo_share, h = hi_share;

		if (o->min_qty > l)
			l = (o->min_qty + U - 1) / U * U;
		if (o->max_qty < h)
			h = o->max_qty / U * U;
		if (o->segs[t].from_qty > l)
			l = o->segs[t].from_qty;
		if (t + 1 < o->nsegs) {
			/* all-units: up to the next break, less a unit; incremental: a
			 * unit of the band must be bought, so the band's quantities are
			 * (from_t, from_t+1] */
			int64_t top = o->segs[t + 1].from_qty - (o->incremental ? 0 : U);
			if (top < h)
				h = top;
		}
		if (o->incremental && t > 0 && o->segs[t].from_qty + U > l)
			l = o->segs[t].from_qty + U;
		if (l > h)
			return;
		lo[a] = l;
		hi[a] = h;
		rest -= l;
		order[a] = a;
	}
	if (rest < 0)
		return;
	/* insertion sort of at most three by the greedy key */
	for (a = 1; a < k; a++)
		for (c = a; c > 0; c--) {
			const bid_offer *u = &p->offers[set[order[c - 1]]], *v = &p->offers[set[order[c]]];
			int64_t pu = u->segs[tier[order[c - 1]]].unit_cost, pv = v->segs[tier[order[c]]].unit_cost;
			size_t t;

			if (pu < pv || (pu == pv && (u->lead_days < v->lead_days ||
			    (u->lead_days == v->lead_days && set[order[c - 1]] < set[order[c]]))))
				break;
			t = order[c];
			order[c] = order[c - 1];
			order[c - 1] = t;
		}
	for (a = 0; a < k; a++)
		x[set[a]] = lo[a];
	for (a = 0; a < k && rest > 0; a++) {
		size_t m = order[a];
		int64_t more = hi[m] - lo[m] < rest ? hi[m] - lo[m] : rest;
		x[set[m]] += more;
		rest -= more;
	}
	if (rest > 0)
		return;
	for (a = 0; a < k; a++) {
		const bid_offer *o = &p->offers[set[a]];
		cost += bid_couple__cost(o, x[set[a]]);
		lead += (bid_i128)o->lead_days * x[set[a]];
	}
	if (better(cost, lead, x, n, b)) {
		b->found = 1;
		b->cost = cost;
		b->lead = lead;
		memcpy(b->x, x, sizeof(b->x));
	}
}

/* Every set of 2..3 suppliers × every tier of each (the rules of this round). */
static void enumerate(const part *p, size_t n, best *b)
{
	int64_t lo_share = (p->demand / U * 200000 + U - 1) / U * U;   /* ceil to whole units */
	int64_t hi_share = p->demand / U * 800000 / U * U;
	size_t set[3], a, c, d;
	int tier[3];

	memset(b, 0, sizeof(*b));
	for (a = 0; a < n; a++)
		for (c = a + 1; c < n; c++) {
			set[0] = a, set[1] = c;
			for (tier[0] = 0; tier[0] < NSEG; tier[0]++)
				for (tier[1] = 0; tier[1] < NSEG; tier[1]++)
					try_set(p, n, set, tier, 2, lo_share, hi_share, b);
			for (d = c + 1; d < n; d++) {
				set[2] = d;
				for (tier[0] = 0; tier[0] < NSEG; tier[0]++)
					for (tier[1] = 0; tier[1] < NSEG; tier[1]++)
						for (tier[2] = 0; tier[2] < NSEG; tier[2]++)
							try_set(p, n, set, tier, 3, lo_share, hi_share, b);
			}
		}
}

/* ---- the run -------------------------------------------------------------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Σ of the awards' exact costs as currency with 2 decimals (scale 10^12 in). */
static void money(char *buf, size_t n, bid_i128 c)
{
	bid_i128 cents = c / 10000000000LL;
	snprintf(buf, n, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

int main(int argc, char **argv)
{
	size_t nparts = argc > 1 ? (size_t)atol(argv[1]) : 20000;
	size_t nsup = argc > 2 ? (size_t)atol(argv[2]) : 12;
	bid_split_rules r = { 2, 3, 200000, 800000, U };
	part *p;
	bid_split *sol;
	best b;
	double w0, w1, c0, c1, solve_cpu = 0, solve_wall = 0, flat_cpu = 0, flat_wall = 0;
	double enum_cpu, enum_wall;
	bid_i128 total = 0, ref_total = 0;
	size_t i, j, same = 0, incremental = 0, breaks_used = 0;
	int run;
	char a[48], bb[48];

	if (nsup < 3 || nsup > MAXSUP || nparts == 0) {
		fprintf(stderr, "usage: bench_award [parts] [suppliers 3..%d]\n", MAXSUP);
		return 2;
	}
	p = calloc(nparts, sizeof(*p));
	sol = calloc(nparts, sizeof(*sol));
	if (!p || !sol) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	generate(p, nparts, nsup, 0x5EED0B1DC0FFEEull);
	for (i = 0; i < nparts; i++)
		for (j = 0; j < nsup; j++)
			incremental += (size_t)p[i].offers[j].incremental;

	/* the exact solver, best of 3 */
	for (run = 0; run < 3; run++) {
		w0 = now(), c0 = cpu();
		for (i = 0; i < nparts; i++)
			if (bid_award__solve_part(&sol[i], p[i].offers, nsup, p[i].demand, &r) != 0) {
				fprintf(stderr, "part %zu: the solver refused its arguments\n", i);
				return 1;
			}
		w1 = now(), c1 = cpu();
		if (run == 0 || c1 - c0 < solve_cpu)
			solve_cpu = c1 - c0, solve_wall = w1 - w0;
	}
	/* the same round without breaks (each offer its first tier), best of 3 */
	{
		bid_split flat;
		for (run = 0; run < 3; run++) {
			for (i = 0; i < nparts; i++)
				for (j = 0; j < nsup; j++)
					p[i].offers[j].nsegs = 0;
			w0 = now(), c0 = cpu();
			for (i = 0; i < nparts; i++)
				bid_award__solve_part(&flat, p[i].offers, nsup, p[i].demand, &r);
			w1 = now(), c1 = cpu();
			if (run == 0 || c1 - c0 < flat_cpu)
				flat_cpu = c1 - c0, flat_wall = w1 - w0;
			for (i = 0; i < nparts; i++)
				for (j = 0; j < nsup; j++)
					p[i].offers[j].nsegs = NSEG;
		}
	}
	/* the bare enumeration, once, compared part by part */
	w0 = now(), c0 = cpu();
	for (i = 0; i < nparts; i++) {
		int ok;

		enumerate(&p[i], nsup, &b);
		ok = b.found && sol[i].status == BID_SPLIT_AWARDED && sol[i].cost == b.cost;
		for (j = 0; ok && j < (size_t)sol[i].nvendors; j++)
			ok = b.x[sol[i].offer[j]] == sol[i].qty[j];
		for (j = 0, run = 0; ok && j < nsup; j++)
			run += b.x[j] > 0;
		ok = ok && run == sol[i].nvendors;
		same += (size_t)ok;
		if (!ok && nparts - same <= 3)
			fprintf(stderr, "part %zu: the solver and the enumeration differ\n", i);
		total += sol[i].cost;
		ref_total += b.found ? b.cost : 0;
		for (j = 0; j < (size_t)sol[i].nvendors; j++)
			breaks_used += sol[i].tier[j] > 0;
	}
	w1 = now(), c1 = cpu();
	enum_cpu = c1 - c0, enum_wall = w1 - w0;

	money(a, sizeof(a), total);
	money(bb, sizeof(bb), ref_total);
	printf("uncoupled award, %zu parts x %zu suppliers, 3-tier breaks (%zu of %zu offers "
	       "incremental, the rest all-units), 2..3 vendors at 20..80 %%\n",
	       nparts, nsup, incremental, nparts * nsup);
	printf("  %-36s %8.3f s CPU  (%.3f wall)  %7.1f us/part\n", "exact solver (pruned enumeration)",
	       solve_cpu, solve_wall, solve_cpu * 1e6 / (double)nparts);
	printf("  %-36s %8.3f s CPU  (%.3f wall)  %7.1f us/part\n", "bare enumeration (no pruning)",
	       enum_cpu, enum_wall, enum_cpu * 1e6 / (double)nparts);
	printf("  %-36s %8.3f s CPU  (%.3f wall)\n", "same round, flat prices (fast path)",
	       flat_cpu, flat_wall);
	printf("  %-36s %8.1fx\n", "solver speed-up over bare enumeration",
	       solve_cpu > 0 ? enum_cpu / solve_cpu : 0.0);
	printf("  %-36s %s (solver)  %s (enumeration)\n", "total cost", a, bb);
	printf("  %-36s %zu lines at a break beyond the first tier\n", "price breaks reached", breaks_used);
	printf("  %-36s %zu of %zu parts  %s\n", "same award as the enumeration", same, nparts,
	       same == nparts ? "PASS" : "FAIL");
	free(p);
	free(sol);
	return same == nparts ? 0 : 1;
}
