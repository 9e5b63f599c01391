/*
 * couple.c - the coupled award of a round: Lagrangian relaxation of the
 * rules across parts (capacity, spend caps, spend-share caps) over the
 * exact per-part solver, a repair heuristic, an exact bound and gap.
 * Depends on award_solve.c (and milp.c for CBC); no store, no I/O.
 */

/*
 * The method, as implemented.
 *
 * Feasible awards.  Part i is awarded in the phase bid_award__solve_part
 * awards it alone (bid_couple_phase: shares on or off, how many sources);
 * that phase does not depend on prices, so a part solved at any adjusted
 * costs stays in it.  The coupling rules are those of couple.h.
 *
 * Relaxation.  With multipliers lambda_j >= 0 (capacity, integer
 * millionths of currency per unit), M_j >= 0 (spend cap) and N_e >= 0
 * (share cap of entity e, a supplier or a group), both fractions at scale
 * 10^9, and alpha the share cap (scale 10^6), the Lagrangian is
 *
 *   L = min over per-part awards of  Σ_i Σ_j [ f_j c_ij(x_ij) + lambda_j x_ij counts_i ]
 *       - Σ_j lambda_j cap_j - Σ_j M_j scap_j
 *   f_j = 1 + M_j/10^9 + N_e(j)/10^9 - alpha/10^6 × Σ_e N_e/10^9
 *
 * and L <= the cost of every feasible award (each relaxed term is <= 0 on
 * a feasible award, multipliers >= 0).  It separates by part.  Every unit
 * cost p (each segment of a price curve) becomes floor(p f_j) + lambda_j
 * counts_i in a copy of the offer; the floors only lower the curve, so the
 * exact optimum of each part at those integer costs (bid_award__solve_part)
 * is <= the part's Lagrangian term and Σ of them minus the constants is a
 * proven lower bound, computed in 128-bit integers.  f_j >= 0 is kept by
 * the projection alpha Σ N <= 1 (any multipliers give a valid bound).
 * The search picks the multipliers in doubles (subgradient steps, Polyak
 * rule on the normalised rules, theta halved after 50 iterations without a
 * better bound); only their integer images above are ever used to bound.
 *
 * Repair.  The relaxed award (at true costs) is made feasible rule by
 * rule in a fixed order (capacity, spend, share; suppliers, then entities,
 * by index): for the first broken rule, every part where the offending
 * supplier (or entity member) has quantity is re-solved exactly at true
 * costs with that offer's maximum cut by the excess and every other offer
 * capped by its supplier's headroom (capacity, spend, share at the current
 * total); the re-solves are ranked by extra cost per unit of excess freed
 * (double, ties by part) and applied in that order, each re-solved again
 * against the headroom of the moment, until the rule holds.  A re-solve
 * that leaves the part's phase is not used.  Then one improving sweep
 * re-solves every part within the headroom and keeps strictly cheaper
 * awards that break nothing.  Every award kept is checked exactly.
 *
 * Ties.  Every two awards the search compares -- repaired awards, the
 * improving sweep's, CBC's -- are compared by one total order over the
 * whole round (award_cmp): least exact cost, then least Σ lead_days ×
 * quantity over all parts, then at the first part in the round's order
 * whose awards differ, more quantity to the supplier whose id sorts first.
 * Repair moves that tie on cost are ranked by extra lead, then later parts
 * first; the sweep also keeps an award that is as cheap and better on the
 * part's tie keys.  The cost is what is proven; the tie keys decide among
 * the awards the search meets and are not searched exhaustively (on the
 * brute-force rounds of tests/unit/award_couple.c, which tie often, 99.5 %
 * of optimal-cost awards are the first by the whole order).  The search
 * uses doubles only for the multipliers and the ranking of moves: IEEE
 * basic operations, no libm calls, no contraction in ISO C mode, so the
 * same build gives the same award byte for byte on every x86-64 or other
 * IEEE-754 machine.
 *
 * Proven infeasibility.  Before the search, per supplier, the least
 * quantity and the least spend every part must give it (each part solved
 * exactly with the supplier's costs only) against its capacity and spend
 * cap; for share caps, fewer entities with offers than 1/alpha (with a
 * positive least total).  During the search, a bound above the cost of any
 * award (Σ demand × the highest price) proves it too.  Otherwise a failed
 * repair is NOT_FOUND with the rule, supplier and part that resisted.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bidcmp/error.h"
#include "couple.h"

#define SCALE   1000000
#define E9      1000000000LL
#define E15     ((bid_i128)1000000000000000LL)
#define MAXOFF  64

/* ------------------------------------------------------------------ */
/* Exact helpers shared with milp.c                                    */

bid_i128 bid_couple__cost(const bid_offer *o, int64_t x)
{
	bid_i128 c = 0;
	int k;

	if (!o->segs || o->nsegs == 0)
		return (bid_i128)o->unit_cost * x;
	if (!o->incremental) {
		for (k = o->nsegs - 1; k > 0 && o->segs[k].from_qty > x; k--)
			;
		return (bid_i128)o->segs[k].unit_cost * x;
	}
	for (k = 0; k < o->nsegs && o->segs[k].from_qty < x; k++) {
		int64_t a = o->segs[k].from_qty;
		int64_t b = k + 1 < o->nsegs && o->segs[k + 1].from_qty < x ? o->segs[k + 1].from_qty : x;
		c += (bid_i128)o->segs[k].unit_cost * (b - a);
	}
	return c;
}

/* The tier of x as award_solve.h defines it. */
int bid_couple__tier(const bid_offer *o, int64_t x)
{
	int k;

	if (!o->segs || o->nsegs == 0)
		return 0;
	for (k = o->nsegs - 1; k > 0 && (o->segs[k].from_qty > x ||
	                                 (o->incremental && o->segs[k].from_qty == x)); k--)
		;
	return k;
}

static int is_relaxed(const bid_split *s)
{
	return strstr(s->reason, "shares relaxed") != NULL;
}

int bid_couple__phases(bid_couple_round *pb)
{
	size_t i;

	for (i = 0; i < pb->nparts; i++) {
		const bid_couple_part *p = &pb->parts[i];
		bid_couple_phase *ph = &pb->phase[i];
		bid_split s;
		int mv = p->rules.min_vendors;

		if (bid_award__solve_part(&s, p->offers, p->noffers, p->demand, &p->rules) != 0)
			return BID_EINVALID;
		ph->status = s.status;
		ph->shares = 1;
		ph->min_sources = mv;
		ph->max_sources = INT32_MAX;
		if (s.status == BID_SPLIT_SHORTFALL) {
			int level = s.nsources < mv ? s.nsources : mv;
			ph->shares = !is_relaxed(&s);
			ph->min_sources = level;
			ph->max_sources = level < mv ? level : INT32_MAX;
		} else if (s.status == BID_SPLIT_UNAWARDED) {
			ph->min_sources = ph->max_sources = 0;
		}
	}
	return 0;
}

static void set_reason(bid_couple_result *r, int rule, long part, long sup, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static void set_reason(bid_couple_result *r, int rule, long part, long sup, const char *fmt, ...)
{
	va_list ap;

	r->rule = rule;
	r->rule_part = part;
	r->rule_sup = sup;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* A non-negative decimal (millionths) as text, without trailing zeros. */
static void fmt_dec(char *buf, size_t size, bid_i128 v)
{
	int neg = v < 0;
	bid_i128 a = neg ? -v : v;
	long long ip, frac;
	int digits = 6;

	if (a / SCALE > LLONG_MAX) {
		snprintf(buf, size, "%s(huge)", neg ? "-" : "");
		return;
	}
	ip = (long long)(a / SCALE);
	frac = (long long)(a % SCALE);
	if (frac == 0) {
		snprintf(buf, size, "%s%lld", neg ? "-" : "", ip);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, size, "%s%lld.%0*lld", neg ? "-" : "", ip, digits, frac);
}

/* A cost at scale 10^12 as a decimal of the currency, rounded down to
 * millionths (for messages only). */
static void fmt_cost(char *buf, size_t size, bid_i128 c)
{
	fmt_dec(buf, size, c / SCALE);
}

/* How reasons name part i: its id, else its index. */
static const char *part_name(const bid_couple_round *pb, long i, char buf[24])
{
	if (i >= 0 && (size_t)i < pb->nparts && pb->parts[i].id)
		return pb->parts[i].id;
	snprintf(buf, 24, "%ld", i);
	return buf;
}

/* The share entity of supplier j: j itself, or its group's index. */
static size_t entity_of(const bid_couple_round *pb, const size_t *ent, size_t j)
{
	return pb->rules.share_by_group ? ent[j] : j;
}

/*
 * Check one part's split against its rules and phase, exactly.  0 when it
 * holds, else fills reason.
 */
static int check_part(const bid_couple_round *pb, size_t i, const bid_split *s,
                      bid_couple_result *res)
{
	const bid_couple_part *p = &pb->parts[i];
	const bid_couple_phase *ph = &pb->phase[i];
	int32_t groups[BID_SPLIT_MAX_VENDORS];
	int v, w, ns = 0;
	bid_i128 sum = 0, cost = 0;
	char nb[24];

	if (ph->status == BID_SPLIT_UNAWARDED) {
		if (s->status == BID_SPLIT_UNAWARDED && s->nvendors == 0)
			return 0;
		set_reason(res, BID_COUPLE_RULE_PART, (long)i, -1,
		           "part %s: awarded although nothing can cover it", part_name(pb, (long)i, nb));
		return -1;
	}
	if (s->status != ph->status || s->nvendors < 1 || s->nvendors > p->rules.max_vendors)
		goto bad;
	for (v = 0; v < s->nvendors; v++) {
		const bid_offer *o;
		int64_t x = s->qty[v];
		int seen = 0;

		if (s->offer[v] >= p->noffers)
			goto bad;
		o = &p->offers[s->offer[v]];
		for (w = 0; w < v; w++)
			if (s->offer[w] == s->offer[v])
				goto bad;
		if (x <= 0 || x % p->rules.step != 0 || x < o->min_qty || x > o->max_qty)
			goto bad;
		if (ph->shares &&
		    ((bid_i128)x * SCALE < (bid_i128)p->demand * p->rules.min_share ||
		     (bid_i128)x * SCALE > (bid_i128)p->demand * p->rules.max_share))
			goto bad;
		if (s->line_cost[v] != bid_couple__cost(o, x))
			goto bad;
		for (w = 0; w < ns; w++)
			seen |= groups[w] == o->group;
		if (!seen)
			groups[ns++] = o->group;
		sum += x;
		cost += s->line_cost[v];
	}
	if (sum != p->demand || cost != s->cost || ns < ph->min_sources || ns > ph->max_sources ||
	    ns != s->nsources)
		goto bad;
	return 0;
bad:
	set_reason(res, BID_COUPLE_RULE_PART, (long)i, -1,
	           "part %s: the award breaks the part's own rules", part_name(pb, (long)i, nb));
	return -1;
}

/* Group indexes of the suppliers (distinct groups by first appearance in
 * supplier order), for share caps by group.  Returns the entity count. */
static size_t build_entities(const bid_couple_round *pb, size_t *ent)
{
	size_t j, k, n = 0;

	for (j = 0; j < pb->nsup; j++) {
		ent[j] = n;
		for (k = 0; k < j; k++)
			if (pb->sup[k].group == pb->sup[j].group) {
				ent[j] = ent[k];
				break;
			}
		if (k == j)
			n++;
	}
	return pb->rules.share_by_group ? n : pb->nsup;
}

int bid_couple__check(const bid_couple_round *pb, bid_couple_result *res)
{
	size_t i, j, nent;
	size_t *ent;
	bid_i128 *espend;
	bid_i128 total = 0;
	char a[64], b[64];
	int ok = 1;

	ent = calloc(pb->nsup ? pb->nsup : 1, sizeof(*ent));
	espend = calloc(pb->nsup ? pb->nsup : 1, sizeof(*espend));
	if (!ent || !espend) {
		free(ent);
		free(espend);
		set_reason(res, BID_COUPLE_RULE_NONE, -1, -1, "out of memory");
		return 0;
	}
	nent = build_entities(pb, ent);
	for (j = 0; j < pb->nsup; j++) {
		res->sup_qty[j] = 0;
		res->sup_spend[j] = 0;
	}
	for (i = 0; i < pb->nparts && ok; i++) {
		const bid_split *s = &res->parts[i];
		int v;

		if (check_part(pb, i, s, res) != 0) {
			ok = 0;
			break;
		}
		for (v = 0; v < s->nvendors; v++) {
			size_t k = pb->parts[i].sup[s->offer[v]];
			if (pb->parts[i].counts)
				res->sup_qty[k] += s->qty[v];
			res->sup_spend[k] += s->line_cost[v];
		}
		total += s->cost;
	}
	res->cost = total;
	for (j = 0; j < pb->nsup && ok; j++) {
		const bid_couple_supplier *u = &pb->sup[j];
		if (u->capacity != BID_QTY_UNLIMITED && res->sup_qty[j] > u->capacity) {
			fmt_dec(a, sizeof(a), res->sup_qty[j]);
			fmt_dec(b, sizeof(b), u->capacity);
			set_reason(res, BID_COUPLE_RULE_CAPACITY, -1, (long)j,
			           "supplier %s: %s awarded above its capacity %s", u->id, a, b);
			ok = 0;
		} else if (u->spend_cap != BID_SPEND_UNLIMITED &&
		           res->sup_spend[j] > (bid_i128)u->spend_cap * SCALE) {
			fmt_cost(a, sizeof(a), res->sup_spend[j]);
			fmt_dec(b, sizeof(b), u->spend_cap);
			set_reason(res, BID_COUPLE_RULE_SPEND_CAP, -1, (long)j,
			           "supplier %s: spend %s above its cap %s", u->id, a, b);
			ok = 0;
		}
	}
	if (ok && pb->rules.max_spend_share > 0) {
		for (j = 0; j < nent; j++)
			espend[j] = 0;
		for (j = 0; j < pb->nsup; j++)
			espend[entity_of(pb, ent, j)] += res->sup_spend[j];
		for (j = 0; j < nent && ok; j++) {
			if (espend[j] * SCALE > total * pb->rules.max_spend_share) {
				size_t k;
				for (k = 0; k < pb->nsup && entity_of(pb, ent, k) != j; k++)
					;
				fmt_dec(a, sizeof(a), pb->rules.max_spend_share * 100);
				set_reason(res, BID_COUPLE_RULE_SPEND_SHARE, -1, (long)k,
				           "%s %s: above %s %% of the round's spend",
				           pb->rules.share_by_group ? "the group of supplier" : "supplier",
				           pb->sup[k].id, a);
				ok = 0;
			}
		}
	}
	free(ent);
	free(espend);
	if (ok) {
		res->rule = BID_COUPLE_RULE_NONE;
		res->rule_part = res->rule_sup = -1;
		res->reason[0] = '\0';
	}
	return ok;
}

/* ------------------------------------------------------------------ */
/* The solver's state                                                  */

typedef struct ctx {
	const bid_couple_round *pb;
	size_t      nent;
	size_t     *ent;            /* [nsup] group index of each supplier */
	size_t     *off0;           /* [nparts + 1] first offer of part i in adj[] */
	bid_offer  *adj;            /* adjusted copies of every offer */
	bid_price_seg *segs;        /* their segments */
	size_t     *seg0;           /* [total offers] first segment of each copy */
	bid_split  *alone;          /* [nparts] each part solved alone (true costs) */
	char      (*reason)[200];   /* [nparts] the part's shortfall reason */
	int64_t     alpha;          /* share cap (scale 10^6), 0 none */
	bid_i128    maxcost;        /* no award costs more than this */
	struct timespec t0;
	int64_t     limit_ms;
	int         timed_out;
	/* the current award of the repair, and its usage */
	bid_split  *cur;
	int64_t    *qty;
	bid_i128   *spend, *espend, total;
} ctx;

static int64_t elapsed_ms(const ctx *c)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - c->t0.tv_sec) * 1000 + (t.tv_nsec - c->t0.tv_nsec) / 1000000;
}

static int out_of_time(ctx *c)
{
	if (c->limit_ms > 0 && elapsed_ms(c) >= c->limit_ms)
		c->timed_out = 1;
	return c->timed_out;
}

/* Recompute a split's line costs (and cost, tier) at the true curves. */
static void true_costs(const bid_couple_part *p, bid_split *s)
{
	int v;

	s->cost = 0;
	for (v = 0; v < s->nvendors; v++) {
		const bid_offer *o = &p->offers[s->offer[v]];
		s->line_cost[v] = bid_couple__cost(o, s->qty[v]);
		s->tier[v] = bid_couple__tier(o, s->qty[v]);
		s->cost += s->line_cost[v];
	}
}

/* Does a re-solved split stay in the part's phase? */
static int same_phase(const ctx *c, size_t i, const bid_split *s)
{
	const bid_couple_phase *ph = &c->pb->phase[i];

	if (s->status != ph->status)
		return 0;
	if (s->status == BID_SPLIT_UNAWARDED)
		return 1;
	if (s->nsources < ph->min_sources || s->nsources > ph->max_sources)
		return 0;
	return s->status == BID_SPLIT_AWARDED || is_relaxed(s) == !ph->shares;
}

/* ------------------------------------------------------------------ */
/* Usage of the current award                                          */

static void usage_add(ctx *c, size_t i, const bid_split *s, int sign)
{
	const bid_couple_part *p = &c->pb->parts[i];
	int v;

	for (v = 0; v < s->nvendors; v++) {
		size_t k = p->sup[s->offer[v]];
		if (p->counts)
			c->qty[k] += sign * s->qty[v];
		c->spend[k] += sign * s->line_cost[v];
		c->espend[entity_of(c->pb, c->ent, k)] += sign * s->line_cost[v];
	}
	c->total += sign * s->cost;
}

static void usage_reset(ctx *c)
{
	size_t i;

	memset(c->qty, 0, c->pb->nsup * sizeof(*c->qty));
	memset(c->spend, 0, c->pb->nsup * sizeof(*c->spend));
	memset(c->espend, 0, c->pb->nsup * sizeof(*c->espend));
	c->total = 0;
	for (i = 0; i < c->pb->nparts; i++)
		usage_add(c, i, &c->cur[i], 1);
}

/* Excess of a rule in its own measure (quantity, or spend at scale
 * 10^12), <= 0 when it holds.  kind: 0 capacity, 1 spend, 2 share. */
static bid_i128 excess(const ctx *c, int kind, size_t j)
{
	const bid_couple_supplier *u = &c->pb->sup[j];

	if (kind == 0)
		return u->capacity == BID_QTY_UNLIMITED ? -1 : (bid_i128)c->qty[j] - u->capacity;
	if (kind == 1)
		return u->spend_cap == BID_SPEND_UNLIMITED ? -1
		       : c->spend[j] - (bid_i128)u->spend_cap * SCALE;
	if (c->alpha == 0)
		return -1;
	/* spend_e - alpha T, rounded up to scale 10^12 */
	{
		bid_i128 d = c->espend[j] * SCALE - c->total * c->alpha;
		return d > 0 ? (d + SCALE - 1) / SCALE : d / SCALE - (d % SCALE != 0);
	}
}

/* Spend headroom of supplier k (scale 10^12), BID_I128 max when none. */
#define HUGE128 ((bid_i128)1 << 120)
static bid_i128 spend_room(const ctx *c, size_t k)
{
	bid_i128 r = HUGE128, e;

	e = excess(c, 1, k);
	if (c->pb->sup[k].spend_cap != BID_SPEND_UNLIMITED)
		r = -e;
	if (c->alpha > 0) {
		e = excess(c, 2, entity_of(c->pb, c->ent, k));
		if (-e < r)
			r = -e;
	}
	return r;
}

/*
 * The largest x <= maxq (multiple of step) such that every y <= x costs at
 * most budget (all-units curves are not monotone: the first y that costs
 * too much ends it).  -1 when even 0... never: c(0) = 0 <= budget >= 0.
 */
static int64_t qty_for_budget(const bid_offer *o, bid_i128 budget, int64_t step, int64_t maxq)
{
	bid_i128 f = 0;
	int k, n;

	if (budget < 0)
		return 0;
	n = (o->segs && o->nsegs > 0) ? o->nsegs : 1;
	for (k = 0; k < n; k++) {
		int64_t p = n == 1 && !(o->segs && o->nsegs > 0) ? o->unit_cost : o->segs[k].unit_cost;
		int64_t a = (o->segs && o->nsegs > 0) ? o->segs[k].from_qty : 0;
		int64_t b = k + 1 < n ? o->segs[k + 1].from_qty - step : maxq;
		bid_i128 base = 0, x;

		if (a > maxq)
			break;
		if (b > maxq)
			b = maxq;
		if (o->segs && o->nsegs > 0 && o->incremental)
			base = f - (bid_i128)p * a;
		if (k + 1 < n)
			f += (bid_i128)p * (o->segs[k + 1].from_qty - a);
		if (a > 0 && base + (bid_i128)p * a > budget)
			return a - step;
		if (p == 0)
			continue;
		x = (budget - base) / p;
		x -= x % step;
		if (x < b)
			return (int64_t)x;
	}
	return maxq;
}

/*
 * Re-solve part i at true costs with offer `cut` (index in the part, or
 * (size_t)-1) limited to cutmax and every other offer limited by its
 * supplier's headroom.  0 and *out when the split stays in the phase.
 */
static int resolve_capped(ctx *c, size_t i, size_t cut, int64_t cutmax, bid_split *out)
{
	const bid_couple_part *p = &c->pb->parts[i];
	const bid_split *now = &c->cur[i];
	bid_offer tmp[MAXOFF];
	size_t k;

	memcpy(tmp, p->offers, p->noffers * sizeof(*tmp));
	for (k = 0; k < p->noffers; k++) {
		size_t j = p->sup[k];
		const bid_couple_supplier *u = &c->pb->sup[j];
		int64_t x = 0, m = tmp[k].max_qty < p->demand ? tmp[k].max_qty : p->demand;
		bid_i128 room;
		int v;

		for (v = 0; v < now->nvendors; v++)
			if (now->offer[v] == k)
				x = now->qty[v];
		if (k == cut) {
			if (cutmax < m)
				m = cutmax;
			tmp[k].max_qty = m < 0 ? 0 : m;
			continue;
		}
		if (p->counts && u->capacity != BID_QTY_UNLIMITED) {
			bid_i128 r = (bid_i128)u->capacity - c->qty[j];
			bid_i128 lim = x + (r > 0 ? r : 0);
			if (lim < m)
				m = (int64_t)lim;
		}
		room = spend_room(c, j);
		if (room < HUGE128) {
			bid_i128 budget = bid_couple__cost(&p->offers[k], x) + (room > 0 ? room : 0);
			int64_t q = qty_for_budget(&p->offers[k], budget, p->rules.step, m);
			if (q < m)
				m = q;
		}
		tmp[k].max_qty = m;
	}
	if (bid_award__solve_part(out, tmp, p->noffers, p->demand, &p->rules) != 0)
		return -1;
	if (!same_phase(c, i, out))
		return -1;
	true_costs(p, out);
	if (out->status == BID_SPLIT_SHORTFALL)
		memcpy(out->reason, c->reason[i], sizeof(out->reason));
	return 0;
}

/* What supplier j has in part i: quantity and line cost. */
static int64_t held(const ctx *c, size_t i, size_t j, bid_i128 *cost, size_t *offer)
{
	const bid_split *s = &c->cur[i];
	int v;

	for (v = 0; v < s->nvendors; v++)
		if (c->pb->parts[i].sup[s->offer[v]] == j) {
			if (cost)
				*cost = s->line_cost[v];
			if (offer)
				*offer = s->offer[v];
			return s->qty[v];
		}
	return 0;
}

/* Σ lead_days × quantity of one part's award: the second key of award_cmp. */
static bid_i128 lead_of(const bid_couple_part *p, const bid_split *s)
{
	bid_i128 l = 0;
	int k;

	for (k = 0; k < s->nvendors; k++)
		l += (bid_i128)p->offers[s->offer[k]].lead_days * s->qty[k];
	return l;
}

/* Key 3 of one part (award_cmp): < 0 when a comes first; offer[] is in supplier id order. */
static int part_cmp(const bid_couple_part *p, const bid_split *a, const bid_split *b)
{
	int i = 0, j = 0;

	while (i < a->nvendors || j < b->nvendors) {
		int c = i == a->nvendors ? 1 : j == b->nvendors ? -1
		      : strcmp(p->offers[a->offer[i]].supplier, p->offers[b->offer[j]].supplier);
		int64_t qa = c <= 0 ? a->qty[i] : 0, qb = c >= 0 ? b->qty[j] : 0;

		if (qa != qb)
			return qa > qb ? -1 : 1;
		i += c <= 0;
		j += c >= 0;
	}
	return 0;
}

/* Is ns better than cur for part i by the part's own order (cost, lead, ids)? */
static int part_better(const bid_couple_part *p, const bid_split *ns, const bid_split *cur)
{
	bid_i128 a, b;

	if (ns->cost != cur->cost)
		return ns->cost < cur->cost;
	a = lead_of(p, ns);
	b = lead_of(p, cur);
	if (a != b)
		return a < b;
	return part_cmp(p, ns, cur) < 0;
}

typedef struct move {
	double score;     /* extra cost per unit of the rule's measure freed */
	double lead;      /* extra Σ lead × qty per unit freed: ties on score */
	size_t part, sup;
} move;

/*
 * Cheapest first; on a tie, the least extra lead time, then the later part
 * (an earlier part keeps its own best award: award_cmp's third key looks
 * at the first part that differs), then the supplier.
 */
static int move_cmp(const void *a, const void *b)
{
	const move *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	if (x->lead != y->lead)
		return x->lead < y->lead ? -1 : 1;
	if (x->part != y->part)
		return x->part > y->part ? -1 : 1;
	return x->sup < y->sup ? -1 : x->sup > y->sup;
}

/* The cut for supplier j in part i that frees `need` of rule kind. */
static int64_t cut_for(const ctx *c, size_t i, size_t j, int kind, bid_i128 need, size_t *offer)
{
	const bid_couple_part *p = &c->pb->parts[i];
	bid_i128 lc = 0;
	int64_t x = held(c, i, j, &lc, offer);

	if (kind == 0) {
		bid_i128 y = x - need;
		if (y <= 0)
			return 0;
		return (int64_t)(y - y % p->rules.step);
	}
	return qty_for_budget(&p->offers[*offer], lc - need, p->rules.step, x - p->rules.step);
}

/* How much of the rule's measure a move frees: quantity or spend. */
static bid_i128 freed(const ctx *c, size_t i, size_t j, int kind, const bid_split *ns)
{
	const bid_couple_part *p = &c->pb->parts[i];
	bid_i128 before = 0, after = 0;
	int v;

	held(c, i, j, &before, NULL);
	if (kind == 0)
		before = held(c, i, j, NULL, NULL);
	for (v = 0; v < ns->nvendors; v++)
		if (p->sup[ns->offer[v]] == j)
			after = kind == 0 ? ns->qty[v] : ns->line_cost[v];
	return before - after;
}

/*
 * Re-solve part i with supplier j cut to free `need` (of rule kind); when
 * the others' headroom cannot take all of it, a half, a quarter and an
 * eighth are tried: a partial move still lowers the excess, and the
 * caller comes back for the rest.  0 and *ns when a move frees some.
 */
static int try_cut(ctx *c, size_t i, size_t j, int kind, bid_i128 need, bid_split *ns)
{
	int t;

	for (t = 0; t < 4 && need > 0; t++, need /= 2) {
		size_t off = 0;
		int64_t cm = cut_for(c, i, j, kind, need, &off);
		if (resolve_capped(c, i, off, cm, ns) == 0 && freed(c, i, j, kind, ns) > 0)
			return 0;
	}
	return -1;
}

static void apply(ctx *c, size_t i, const bid_split *ns)
{
	usage_add(c, i, &c->cur[i], -1);
	c->cur[i] = *ns;
	usage_add(c, i, &c->cur[i], 1);
}

/*
 * Fix one broken rule (kind, index).  Members: the suppliers whose
 * quantity or spend counts toward it.  Returns 0 when its excess went
 * down (it may still be broken), -1 when nothing moved.
 */
static int fix_rule(ctx *c, int kind, size_t idx, long *worst_part)
{
	const bid_couple_round *pb = c->pb;
	move *mv = NULL;
	size_t nm = 0, cap = 0, i, j, m;
	bid_i128 before = excess(c, kind, idx);
	int rc = -1;

	*worst_part = -1;
	for (i = 0; i < pb->nparts; i++) {
		const bid_split *s = &c->cur[i];
		int v;

		if (kind == 0 && !pb->parts[i].counts)
			continue;
		for (v = 0; v < s->nvendors; v++) {
			bid_split ns;
			bid_i128 fr;

			j = pb->parts[i].sup[s->offer[v]];
			if (kind == 2 ? entity_of(pb, c->ent, j) != idx : j != idx)
				continue;
			if (*worst_part < 0 || s->qty[v] > held(c, (size_t)*worst_part, j, NULL, NULL))
				*worst_part = (long)i;
			if (try_cut(c, i, j, kind, excess(c, kind, idx), &ns) != 0)
				continue;
			fr = freed(c, i, j, kind, &ns);
			if (nm == cap) {
				move *t;
				cap = cap ? 2 * cap : 64;
				t = realloc(mv, cap * sizeof(*mv));
				if (!t)
					goto done;
				mv = t;
			}
			mv[nm].score = (double)(ns.cost - s->cost) / (double)fr;
			mv[nm].lead = (double)(lead_of(&pb->parts[i], &ns) - lead_of(&pb->parts[i], s)) /
			              (double)fr;
			mv[nm].part = i;
			mv[nm].sup = j;
			nm++;
		}
	}
	if (nm > 1)
		qsort(mv, nm, sizeof(*mv), move_cmp);
	for (m = 0; m < nm && excess(c, kind, idx) > 0; m++) {
		bid_split ns;

		i = mv[m].part;
		j = mv[m].sup;
		if (held(c, i, j, NULL, NULL) == 0)
			continue;
		if (try_cut(c, i, j, kind, excess(c, kind, idx), &ns) != 0)
			continue;
		apply(c, i, &ns);
	}
	/* Progress is enough: the caller asks again for what is left. */
	rc = excess(c, kind, idx) < before ? 0 : -1;
done:
	free(mv);
	return rc;
}

/* The first broken rule in the fixed order; 0 when none. */
static int first_broken(const ctx *c, int *kind, size_t *idx)
{
	size_t j;
	int k;

	for (k = 0; k < 3; k++) {
		size_t n = k == 2 ? c->nent : c->pb->nsup;
		for (j = 0; j < n; j++)
			if (excess(c, k, j) > 0) {
				*kind = k;
				*idx = j;
				return 1;
			}
	}
	return 0;
}

/* The improving sweep: each part re-solved within the headroom, kept when
 * better by the part's own order (cheaper, or as cheap and better on the
 * tie keys) and nothing breaks. */
static void improve(ctx *c)
{
	size_t i;
	int kind;
	size_t idx;

	for (i = 0; i < c->pb->nparts; i++) {
		bid_split ns, old;

		if (c->pb->phase[i].status == BID_SPLIT_UNAWARDED)
			continue;
		if (resolve_capped(c, i, (size_t)-1, 0, &ns) != 0 ||
		    !part_better(&c->pb->parts[i], &ns, &c->cur[i]))
			continue;
		old = c->cur[i];
		apply(c, i, &ns);
		/* A cheaper part lowers the total: a share cap may now break. */
		if (first_broken(c, &kind, &idx))
			apply(c, i, &old);
	}
}

/*
 * Make c->cur feasible.  0 when it is; else -1 with the rule that resisted
 * in res (rule, supplier, part, reason).
 */
static int repair(ctx *c, bid_couple_result *res)
{
	int kind, guard;
	size_t idx;
	long part = -1;
	char nb[24];

	usage_reset(c);
	for (guard = 0; guard < 256 && first_broken(c, &kind, &idx); guard++) {
		if (fix_rule(c, kind, idx, &part) != 0)
			break;
	}
	if (first_broken(c, &kind, &idx)) {
		const char *what[] = { "capacity", "spend cap", "share of spend cap" };
		size_t j = idx;
		if (kind == 2)
			for (j = 0; j < c->pb->nsup && entity_of(c->pb, c->ent, j) != idx; j++)
				;
		if (res)
			set_reason(res, kind == 0 ? BID_COUPLE_RULE_CAPACITY
			                : kind == 1 ? BID_COUPLE_RULE_SPEND_CAP
			                : BID_COUPLE_RULE_SPEND_SHARE, part, (long)j,
			           "no award found that keeps the %s of supplier %s%s (its largest "
			           "part: %s)", what[kind], c->pb->sup[j].id,
			           kind == 2 && c->pb->rules.share_by_group ? " (its group)" : "",
			           part_name(c->pb, part, nb));
		return -1;
	}
	improve(c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Proven infeasibility before the search                             */

/*
 * The least quantity (kind 0) or spend (kind 1) supplier j must get from
 * part i in its phase: the part solved with j's offer at cost 1 per unit
 * (or its own curve) and every other offer free.
 */
static bid_i128 least_of(const ctx *c, size_t i, size_t j, int kind)
{
	const bid_couple_part *p = &c->pb->parts[i];
	bid_offer tmp[MAXOFF];
	bid_split s;
	size_t k, have = p->noffers;

	for (k = 0; k < p->noffers; k++)
		if (p->sup[k] == j)
			have = k;
	if (have == p->noffers || c->pb->phase[i].status == BID_SPLIT_UNAWARDED)
		return 0;
	memcpy(tmp, p->offers, p->noffers * sizeof(*tmp));
	for (k = 0; k < p->noffers; k++) {
		if (k == have && kind == 1)
			continue;
		tmp[k].segs = NULL;
		tmp[k].nsegs = 0;
		tmp[k].incremental = 0;
		tmp[k].unit_cost = k == have ? 1 : 0;
	}
	if (bid_award__solve_part(&s, tmp, p->noffers, p->demand, &p->rules) != 0)
		return 0;
	return s.cost;
}

static int prove_infeasible(ctx *c, bid_couple_result *res, const bid_split *alone)
{
	const bid_couple_round *pb = c->pb;
	size_t i, j, nwith = 0;
	char a[64], b[64], nb[24];

	for (j = 0; j < pb->nsup; j++) {
		const bid_couple_supplier *u = &pb->sup[j];
		int kind;

		for (kind = 0; kind < 2; kind++) {
			bid_i128 sum = 0, top = 0;
			long tpart = -1;
			if (kind == 0 && u->capacity == BID_QTY_UNLIMITED)
				continue;
			if (kind == 1 && u->spend_cap == BID_SPEND_UNLIMITED)
				continue;
			for (i = 0; i < pb->nparts; i++) {
				bid_i128 l;
				if (kind == 0 && !pb->parts[i].counts)
					continue;
				l = least_of(c, i, j, kind);
				sum += l;
				if (l > top) {
					top = l;
					tpart = (long)i;
				}
			}
			if (kind == 0 && sum > u->capacity) {
				fmt_dec(a, sizeof(a), sum);
				fmt_dec(b, sizeof(b), u->capacity);
				set_reason(res, BID_COUPLE_RULE_CAPACITY, tpart, (long)j,
				           "capacity of supplier %s (%s) is below the %s its parts must "
				           "give it (part %s needs the most)", u->id, b, a,
				           part_name(pb, tpart, nb));
				return 1;
			}
			if (kind == 1 && sum > (bid_i128)u->spend_cap * SCALE) {
				fmt_cost(a, sizeof(a), sum);
				fmt_dec(b, sizeof(b), u->spend_cap);
				set_reason(res, BID_COUPLE_RULE_SPEND_CAP, tpart, (long)j,
				           "spend cap of supplier %s (%s) is below the %s its parts must "
				           "spend with it (part %s the most)", u->id, b, a,
				           part_name(pb, tpart, nb));
				return 1;
			}
		}
	}
	if (c->alpha > 0) {
		bid_i128 least = 0;
		unsigned char *has = calloc(pb->nsup ? pb->nsup : 1, 1);
		if (!has)
			return 0;
		for (i = 0; i < pb->nparts; i++) {
			least += alone[i].cost;
			if (pb->phase[i].status == BID_SPLIT_UNAWARDED)
				continue;
			for (j = 0; j < pb->parts[i].noffers; j++)
				has[entity_of(pb, c->ent, pb->parts[i].sup[j])] = 1;
		}
		for (j = 0; j < c->nent; j++)
			nwith += has[j];
		free(has);
		/* Σ_e spend_e = T <= nwith × alpha × T forces T = 0; but the
		 * cheapest award alone costs `least` > 0. */
		if (least > 0 && (bid_i128)nwith * c->alpha < SCALE) {
			fmt_dec(a, sizeof(a), c->alpha * 100);
			set_reason(res, BID_COUPLE_RULE_SPEND_SHARE, -1, -1,
			           "only %zu %s bid in the round: none may have above %s %% of the "
			           "spend, so the shares cannot add up to 100 %%", nwith,
			           pb->rules.share_by_group ? "groups" : "suppliers", a);
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The Lagrangian                                                      */

typedef struct mult {
	int64_t *lam;     /* [nsup] millionths of currency per unit */
	int64_t *m;       /* [nsup] spend cap, scale 10^9 */
	int64_t *n;       /* [nent] share cap, scale 10^9 */
} mult;

/*
 * Solve every part at the costs adjusted by the integer multipliers, into
 * sol[] (true costs filled in); returns the exact Lagrangian bound at scale
 * 10^12 (floored), or -1 on refused arguments (cannot happen: validated).
 */
static int lagrangian(ctx *c, const mult *mu, bid_split *sol, bid_i128 *bound)
{
	const bid_couple_round *pb = c->pb;
	bid_i128 sumn = 0, l = 0;
	size_t i, j;

	for (j = 0; j < c->nent; j++)
		sumn += mu->n[j];
	for (i = 0; i < pb->nparts; i++) {
		const bid_couple_part *p = &pb->parts[i];
		bid_offer *o = &c->adj[c->off0[i]];
		size_t k;

		if (pb->phase[i].status == BID_SPLIT_UNAWARDED) {
			sol[i] = c->alone[i];
			continue;
		}
		for (k = 0; k < p->noffers; k++) {
			const bid_offer *src = &p->offers[k];
			size_t s = p->sup[k];
			bid_i128 f = E15 + (bid_i128)SCALE * (mu->m[s] + mu->n[entity_of(pb, c->ent, s)]) -
			             (bid_i128)c->alpha * sumn;
			int64_t add = p->counts ? mu->lam[s] : 0;
			int g;
			bid_i128 v;

			if (f < 0)
				f = 0;
			v = (bid_i128)src->unit_cost * f / E15 + add;
			o[k].unit_cost = v > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)v;
			for (g = 0; g < src->nsegs && src->segs; g++) {
				bid_price_seg *d = (bid_price_seg *)&o[k].segs[g];
				v = (bid_i128)src->segs[g].unit_cost * f / E15 + add;
				d->unit_cost = v > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)v;
			}
		}
		if (bid_award__solve_part(&sol[i], o, p->noffers, p->demand, &p->rules) != 0)
			return -1;
		l += sol[i].cost * 1000;
		true_costs(p, &sol[i]);
		if (sol[i].status == BID_SPLIT_SHORTFALL)
			memcpy(sol[i].reason, c->reason[i], sizeof(sol[i].reason));
	}
	for (j = 0; j < pb->nsup; j++) {
		if (mu->lam[j] && pb->sup[j].capacity != BID_QTY_UNLIMITED)
			l -= (bid_i128)mu->lam[j] * pb->sup[j].capacity * 1000;
		if (mu->m[j] && pb->sup[j].spend_cap != BID_SPEND_UNLIMITED)
			l -= (bid_i128)mu->m[j] * pb->sup[j].spend_cap;
	}
	/* scale 10^15 -> 10^12, rounding down */
	*bound = l >= 0 ? l / 1000 : -((-l + 999) / 1000);
	return 0;
}

static int64_t gap_of(bid_i128 cost, bid_i128 bound)
{
	bid_i128 d = cost - bound;

	if (cost <= 0 || d <= 0)
		return 0;
	return (int64_t)((d * SCALE + cost - 1) / cost);
}

static void result_set_award(bid_couple_result *res, const bid_couple_round *pb, const bid_split *sol)
{
	memcpy(res->parts, sol, pb->nparts * sizeof(*sol));
}

static void err_msg(char *buf, size_t size, const char *msg)
{
	if (buf && size)
		snprintf(buf, size, "%s", msg);
}

/* Validate the arguments beyond what bid_award__solve_part checks. */
static int validate(const bid_couple_part *parts, size_t nparts, const bid_couple_supplier *sup,
                    size_t nsup, const bid_couple_rules *rules, char *errmsg, size_t errsize,
                    bid_i128 *maxcost)
{
	size_t i, k, j;
	bid_i128 total = 0;

	if ((nparts && !parts) || (nsup && !sup) || !rules) {
		err_msg(errmsg, errsize, "solve_round: NULL arguments");
		return BID_EINVALID;
	}
	if (rules->max_spend_share < 0 || rules->max_spend_share > SCALE) {
		err_msg(errmsg, errsize, "solve_round: max_spend_share outside 0..1000000");
		return BID_EINVALID;
	}
	for (j = 0; j < nsup; j++) {
		if (!sup[j].id || sup[j].capacity < 0 ||
		    (sup[j].spend_cap < 0 && sup[j].spend_cap != BID_SPEND_UNLIMITED)) {
			err_msg(errmsg, errsize, "solve_round: a supplier without id or with a negative cap");
			return BID_EINVALID;
		}
		for (k = 0; k < j; k++)
			if (strcmp(sup[k].id, sup[j].id) == 0) {
				err_msg(errmsg, errsize, "solve_round: duplicate supplier id");
				return BID_EINVALID;
			}
	}
	for (i = 0; i < nparts; i++) {
		const bid_couple_part *p = &parts[i];
		int64_t top = 0;

		if (p->noffers > MAXOFF || (p->noffers && (!p->offers || !p->sup))) {
			err_msg(errmsg, errsize, "solve_round: a part with too many or NULL offers");
			return BID_EINVALID;
		}
		for (k = 0; k < p->noffers; k++) {
			const bid_offer *o = &p->offers[k];
			int g;
			if (p->sup[k] >= nsup || !o->supplier || strcmp(o->supplier, sup[p->sup[k]].id) != 0) {
				err_msg(errmsg, errsize, "solve_round: an offer whose supplier index does "
				        "not match its supplier id");
				return BID_EINVALID;
			}
			if (o->unit_cost > top)
				top = o->unit_cost;
			for (g = 0; o->segs && g < o->nsegs && g < BID_MAX_SEGS; g++)
				if (o->segs[g].unit_cost > top)
					top = o->segs[g].unit_cost;
		}
		if (p->demand > 0) {
			bid_i128 c = (bid_i128)top * p->demand;
			if (c >= ((bid_i128)1 << 100) || (total += c) >= ((bid_i128)1 << 100)) {
				err_msg(errmsg, errsize, "solve_round: the round's cost could exceed 2^100 "
				        "(scale 10^12): too large for exact totals");
				return BID_EINVALID;
			}
		}
	}
	*maxcost = total;
	return 0;
}

void bid_couple_result_free(bid_couple_result *res)
{
	if (!res)
		return;
	free(res->parts);
	free(res->sup_qty);
	free(res->sup_spend);
	res->parts = NULL;
	res->sup_qty = NULL;
	res->sup_spend = NULL;
}

/*
 * The total order of whole-round awards, the per-part order of
 * award_solve.h carried across parts:
 *   1. least exact total cost;
 *   2. least Σ over all parts of lead_days × quantity;
 *   3. at the first part (in the round's order) whose awards differ, the
 *      part's own third key: over the union of the suppliers of the two
 *      awards in ascending strcmp order of id, at the first supplier whose
 *      quantity differs, more quantity wins.
 * It is total over the awards, so which of two equal-cost awards the
 * search met first never decides; only the set of awards the search saw
 * does (see couple.h on what is and is not proven).
 */
static int award_cmp(const bid_couple_round *pb, const bid_split *a, const bid_split *b)
{
	bid_i128 ca = 0, cb = 0, la = 0, lb = 0;
	size_t i;
	int c;

	for (i = 0; i < pb->nparts; i++) {
		ca += a[i].cost;
		cb += b[i].cost;
	}
	if (ca != cb)
		return ca < cb ? -1 : 1;
	for (i = 0; i < pb->nparts; i++) {
		la += lead_of(&pb->parts[i], &a[i]);
		lb += lead_of(&pb->parts[i], &b[i]);
	}
	if (la != lb)
		return la < lb ? -1 : 1;
	for (i = 0; i < pb->nparts; i++)
		if ((c = part_cmp(&pb->parts[i], &a[i], &b[i])) != 0)
			return c;
	return 0;
}

/* Was this built with CBC (BID_HAVE_CBC)? */
static int have_cbc(void)
{
#ifdef BID_HAVE_CBC
	return 1;
#else
	return 0;
#endif
}

/* Is `cand` better than the best so far by award_cmp? */
static int better(const bid_couple_round *pb, const bid_split *cand, const bid_split *best,
                  int have)
{
	return !have || award_cmp(pb, cand, best) < 0;
}

int bid_award__solve_round(bid_couple_result *out, const bid_couple_part *parts,
                           size_t nparts, const bid_couple_supplier *sup, size_t nsup,
                           const bid_couple_rules *rules, const bid_couple_options *opt,
                           char *errmsg, size_t errsize)
{
	static const bid_couple_options defaults = BID_COUPLE_OPTIONS_INIT;
	bid_couple_round pb;
	ctx c;
	mult mu;
	double *dl = NULL, *dm = NULL, *dn = NULL, *gl = NULL, *gm = NULL, *gn = NULL;
	bid_split *sol = NULL, *best = NULL;
	bid_i128 maxcost = 0, bound = 0, ub = 0, lb;
	size_t i, j, k, nsegs = 0, noff = 0;
	int rc, have = 0, iter, maxit, stall = 0;
	double theta = 1.0, tref;

	if (!out)
		return BID_EINVALID;
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	memset(&mu, 0, sizeof(mu));
	out->rule_part = out->rule_sup = -1;
	if (!opt)
		opt = &defaults;
	if (opt->version != BID_COUPLE_OPTIONS_VERSION) {
		err_msg(errmsg, errsize, "solve_round: unknown options version");
		return BID_EINVALID;
	}
	rc = validate(parts, nparts, sup, nsup, rules, errmsg, errsize, &maxcost);
	if (rc)
		return rc;
#ifndef BID_HAVE_CBC
	if (opt->milp == BID_COUPLE_MILP_ONLY) {
		err_msg(errmsg, errsize, "solve_round: built without CBC (define BID_HAVE_CBC)");
		return BID_EUSAGE;
	}
#endif
	clock_gettime(CLOCK_MONOTONIC, &c.t0);
	c.limit_ms = opt->time_limit_ms;
	pb.parts = parts;
	pb.nparts = nparts;
	pb.sup = sup;
	pb.nsup = nsup;
	pb.rules = *rules;
	c.pb = &pb;
	c.alpha = rules->max_spend_share;
	c.maxcost = maxcost;

	rc = BID_ENOMEM;
	out->nparts = nparts;
	out->nsup = nsup;
	out->parts = calloc(nparts ? nparts : 1, sizeof(*out->parts));
	out->sup_qty = calloc(nsup ? nsup : 1, sizeof(*out->sup_qty));
	out->sup_spend = calloc(nsup ? nsup : 1, sizeof(*out->sup_spend));
	pb.phase = calloc(nparts ? nparts : 1, sizeof(*pb.phase));
	c.ent = calloc(nsup ? nsup : 1, sizeof(*c.ent));
	c.off0 = calloc(nparts + 1, sizeof(*c.off0));
	c.alone = calloc(nparts ? nparts : 1, sizeof(*c.alone));
	c.reason = calloc(nparts ? nparts : 1, sizeof(*c.reason));
	c.cur = calloc(nparts ? nparts : 1, sizeof(*c.cur));
	c.qty = calloc(nsup ? nsup : 1, sizeof(*c.qty));
	c.spend = calloc(nsup ? nsup : 1, sizeof(*c.spend));
	c.espend = calloc(nsup ? nsup : 1, sizeof(*c.espend));
	sol = calloc(nparts ? nparts : 1, sizeof(*sol));
	best = calloc(nparts ? nparts : 1, sizeof(*best));
	mu.lam = calloc(nsup ? nsup : 1, sizeof(int64_t));
	mu.m = calloc(nsup ? nsup : 1, sizeof(int64_t));
	mu.n = calloc(nsup ? nsup : 1, sizeof(int64_t));
	dl = calloc(nsup ? nsup : 1, sizeof(double));
	dm = calloc(nsup ? nsup : 1, sizeof(double));
	dn = calloc(nsup ? nsup : 1, sizeof(double));
	gl = calloc(nsup ? nsup : 1, sizeof(double));
	gm = calloc(nsup ? nsup : 1, sizeof(double));
	gn = calloc(nsup ? nsup : 1, sizeof(double));
	if (!out->parts || !out->sup_qty || !out->sup_spend || !pb.phase || !c.ent || !c.off0 ||
	    !c.alone || !c.reason || !c.cur || !c.qty || !c.spend || !c.espend || !sol || !best ||
	    !mu.lam || !mu.m || !mu.n || !dl || !dm || !dn || !gl || !gm || !gn)
		goto done;
	c.nent = build_entities(&pb, c.ent);
	for (i = 0; i < nparts; i++) {
		c.off0[i] = noff;
		noff += parts[i].noffers;
		for (k = 0; k < parts[i].noffers; k++)
			if (parts[i].offers[k].segs)
				nsegs += (size_t)parts[i].offers[k].nsegs;
	}
	c.off0[nparts] = noff;
	c.adj = calloc(noff ? noff : 1, sizeof(*c.adj));
	c.segs = calloc(nsegs ? nsegs : 1, sizeof(*c.segs));
	if (!c.adj || !c.segs)
		goto done;
	nsegs = 0;
	for (i = 0; i < nparts; i++)
		for (k = 0; k < parts[i].noffers; k++) {
			const bid_offer *o = &parts[i].offers[k];
			bid_offer *d = &c.adj[c.off0[i] + k];
			*d = *o;
			if (o->segs && o->nsegs > 0) {
				memcpy(&c.segs[nsegs], o->segs, (size_t)o->nsegs * sizeof(*o->segs));
				d->segs = &c.segs[nsegs];
				nsegs += (size_t)o->nsegs;
			}
		}

	/* Each part alone: its phase, its reason and the first bound. */
	for (i = 0; i < nparts; i++) {
		const bid_couple_part *p = &parts[i];
		if (bid_award__solve_part(&c.alone[i], p->offers, p->noffers, p->demand, &p->rules) != 0) {
			err_msg(errmsg, errsize, "solve_round: a part's offers or rules are invalid "
			        "(see bid_award__solve_part)");
			rc = BID_EINVALID;
			goto done;
		}
		memcpy(c.reason[i], c.alone[i].reason, sizeof(c.reason[i]));
	}
	rc = bid_couple__phases(&pb);
	if (rc)
		goto done;
	rc = BID_ENOMEM;

	out->method = BID_COUPLE_BY_NONE;
	if (prove_infeasible(&c, out, c.alone)) {
		out->status = BID_COUPLE_INFEASIBLE;
		rc = 0;
		goto done;
	}

	if (opt->milp == BID_COUPLE_MILP_ONLY)
		goto milp;

	/* The multipliers' scale for the share rules: the cost of the parts
	 * alone (at least one currency unit). */
	tref = 0;
	for (i = 0; i < nparts; i++)
		tref += (double)c.alone[i].cost / 1e12;
	if (tref < 1)
		tref = 1;

	maxit = opt->max_iter > 0 ? opt->max_iter : 3000;
	out->stopped = BID_COUPLE_STOP_ITER;
	for (iter = 0; iter < maxit; iter++) {
		double norm = 0, step;
		int improved = 0;

		if (out_of_time(&c)) {
			out->stopped = BID_COUPLE_STOP_TIME;
			break;
		}
		/* The integer images of the multipliers. */
		{
			double sumn = 0;
			for (j = 0; j < c.nent; j++)
				sumn += dn[j] / tref;
			/* keep alpha Σ N below 1 so that every factor stays >= 0 */
			if (c.alpha > 0 && sumn * (double)c.alpha / SCALE > 0.999)
				for (j = 0; j < c.nent; j++)
					dn[j] *= 0.999 / (sumn * (double)c.alpha / SCALE);
		}
		for (j = 0; j < nsup; j++) {
			double capu = sup[j].capacity == BID_QTY_UNLIMITED ? 1 : (double)sup[j].capacity / SCALE;
			double scap = sup[j].spend_cap == BID_SPEND_UNLIMITED ? 1 : (double)sup[j].spend_cap / SCALE;
			double v;
			if (capu < 1)
				capu = 1;
			if (scap < 1)
				scap = 1;
			v = dl[j] / capu * SCALE;
			mu.lam[j] = v < 1 ? 0 : v > 1e15 ? (int64_t)1e15 : (int64_t)v;
			v = dm[j] / scap * (double)E9;
			mu.m[j] = v < 1 ? 0 : v > 1e15 ? (int64_t)1e15 : (int64_t)v;
		}
		for (j = 0; j < c.nent; j++) {
			double v = dn[j] / tref * (double)E9;
			mu.n[j] = v < 1 ? 0 : v > 1e15 ? (int64_t)1e15 : (int64_t)v;
		}
		if (lagrangian(&c, &mu, sol, &lb) != 0) {
			rc = BID_EINVALID;
			goto done;
		}
		out->iterations = iter + 1;
		if (lb > bound) {
			improved = lb > bound + bound / 1000000;
			bound = lb;
		}
		if (bound > maxcost) {
			out->status = BID_COUPLE_INFEASIBLE;
			set_reason(out, BID_COUPLE_RULE_NONE, -1, -1,
			           "the rules across parts admit no award: the Lagrangian bound exceeds "
			           "the cost of any award");
			goto finish_infeasible;
		}
		/* Repair: the first iterations, then every 10th and on a better bound. */
		if (iter < 3 || iter % 10 == 0 || improved) {
			memcpy(c.cur, sol, nparts * sizeof(*sol));
			if (repair(&c, have ? NULL : out) == 0 && better(&pb, c.cur, best, have)) {
				memcpy(best, c.cur, nparts * sizeof(*best));
				ub = c.total;
				have = 1;
			}
		}
		if (have && gap_of(ub, bound) <= opt->gap_ppm) {
			out->stopped = BID_COUPLE_STOP_DONE;
			break;
		}
		/* The subgradient at the solution, on the normalised rules. */
		memcpy(c.cur, sol, nparts * sizeof(*sol));
		usage_reset(&c);
		for (j = 0; j < nsup; j++) {
			gl[j] = gm[j] = 0;
			if (sup[j].capacity != BID_QTY_UNLIMITED) {
				double capu = (double)sup[j].capacity / SCALE;
				gl[j] = ((double)c.qty[j] / SCALE - capu) / (capu < 1 ? 1 : capu);
				if (dl[j] <= 0 && gl[j] < 0)
					gl[j] = 0;
			}
			if (sup[j].spend_cap != BID_SPEND_UNLIMITED) {
				double scap = (double)sup[j].spend_cap / SCALE;
				gm[j] = ((double)c.spend[j] / 1e12 - scap) / (scap < 1 ? 1 : scap);
				if (dm[j] <= 0 && gm[j] < 0)
					gm[j] = 0;
			}
			norm += gl[j] * gl[j] + gm[j] * gm[j];
		}
		for (j = 0; j < c.nent; j++) {
			gn[j] = 0;
			if (c.alpha > 0) {
				gn[j] = ((double)c.espend[j] / 1e12 -
				         (double)c.alpha / SCALE * (double)c.total / 1e12) / tref;
				if (dn[j] <= 0 && gn[j] < 0)
					gn[j] = 0;
			}
			norm += gn[j] * gn[j];
		}
		if (norm == 0) {
			/* The relaxed award meets every rule at these multipliers:
			 * with complementary slackness it is optimal; the repair
			 * above has kept it (or as good). */
			if (have && gap_of(ub, bound) <= opt->gap_ppm)
				out->stopped = BID_COUPLE_STOP_DONE;
			break;
		}
		if (improved)
			stall = 0;
		else if (++stall >= 50) {
			theta /= 2;
			stall = 0;
			if (theta < 1e-6)
				break;
		}
		{
			double target = have ? (double)ub / 1e12 : (double)bound / 1e12 * 1.05 + 1;
			double gapd = target - (double)bound / 1e12;
			if (gapd < 1e-9 * (target > 1 ? target : 1))
				gapd = 1e-9 * (target > 1 ? target : 1);
			step = theta * gapd / norm;
		}
		for (j = 0; j < nsup; j++) {
			dl[j] += step * gl[j];
			if (dl[j] < 0)
				dl[j] = 0;
			dm[j] += step * gm[j];
			if (dm[j] < 0)
				dm[j] = 0;
		}
		for (j = 0; j < c.nent; j++) {
			dn[j] += step * gn[j];
			if (dn[j] < 0)
				dn[j] = 0;
		}
	}

milp:
	if ((opt->milp == BID_COUPLE_MILP_RESCUE ? !have && have_cbc()
	     : opt->milp != BID_COUPLE_MILP_NEVER && (!have || gap_of(ub, bound) > opt->gap_ppm)) &&
	    !(c.limit_ms > 0 && out_of_time(&c))) {
		bid_couple_result m;
		int64_t tl = opt->milp_time_limit_ms;
		char em[200];

		if (c.limit_ms > 0) {
			int64_t left = c.limit_ms - elapsed_ms(&c);
			if (tl == 0 || left < tl)
				tl = left > 1 ? left : 1;
		}
		memset(&m, 0, sizeof(m));
		m.nparts = nparts;
		m.nsup = nsup;
		m.parts = calloc(nparts ? nparts : 1, sizeof(*m.parts));
		m.sup_qty = calloc(nsup ? nsup : 1, sizeof(*m.sup_qty));
		m.sup_spend = calloc(nsup ? nsup : 1, sizeof(*m.sup_spend));
		if (!m.parts || !m.sup_qty || !m.sup_spend) {
			bid_couple_result_free(&m);
			goto done;
		}
		rc = bid_milp__solve(&m, &pb, tl, have ? best : NULL, em, sizeof(em));
		if (rc != 0) {
			bid_couple_result_free(&m);
			err_msg(errmsg, errsize, em);
			goto done;
		}
		if (m.bound > bound && (m.status == BID_COUPLE_OPTIMAL || m.status == BID_COUPLE_FEASIBLE ||
		                        m.stopped == BID_COUPLE_STOP_TIME))
			bound = m.bound, out->bound_by_milp = 1;
		if ((m.status == BID_COUPLE_OPTIMAL || m.status == BID_COUPLE_FEASIBLE) &&
		    better(&pb, m.parts, best, have)) {
			memcpy(best, m.parts, nparts * sizeof(*best));
			for (i = 0; i < nparts; i++)
				if (best[i].status == BID_SPLIT_SHORTFALL)
					memcpy(best[i].reason, c.reason[i], sizeof(best[i].reason));
			ub = m.cost;
			have = 1;
			out->method = BID_COUPLE_BY_MILP;
		}
		if (m.status == BID_COUPLE_INFEASIBLE && !have) {
			out->status = BID_COUPLE_INFEASIBLE;
			set_reason(out, m.rule, m.rule_part, m.rule_sup, "%s", m.reason);
			bid_couple_result_free(&m);
			goto finish_infeasible;
		}
		if (!have && m.reason[0])
			set_reason(out, m.rule, m.rule_part, m.rule_sup, "%s", m.reason);
		if (m.stopped == BID_COUPLE_STOP_TIME)
			out->stopped = BID_COUPLE_STOP_TIME;
		else if (have && gap_of(ub, bound) <= opt->gap_ppm)
			out->stopped = BID_COUPLE_STOP_DONE;
		bid_couple_result_free(&m);
	}

	if (!have) {
		out->status = BID_COUPLE_NOT_FOUND;
		out->bound = bound;
		if (!out->reason[0])
			set_reason(out, BID_COUPLE_RULE_NONE, -1, -1, "no feasible award found");
		rc = 0;
		goto done;
	}
	if (out->method == BID_COUPLE_BY_NONE)
		out->method = BID_COUPLE_BY_DECOMPOSITION;
	result_set_award(out, &pb, best);
	if (!bid_couple__check(&pb, out)) {
		/* A violation in an award we would return is a bug: refuse it. */
		char why[256];
		snprintf(why, sizeof(why), "%s", out->reason);
		out->status = BID_COUPLE_NOT_FOUND;
		set_reason(out, out->rule, out->rule_part, out->rule_sup,
		           "internal error, award refused: %.200s", why);
		rc = BID_ERROR;
		goto done;
	}
	if (bound > out->cost)
		bound = out->cost;   /* only by the MILP's derated bound; never above */
	out->bound = bound < 0 ? 0 : bound;
	out->gap_ppm = gap_of(out->cost, out->bound);
	out->status = out->gap_ppm == 0 ? BID_COUPLE_OPTIMAL : BID_COUPLE_FEASIBLE;
	if (out->status == BID_COUPLE_OPTIMAL && out->stopped != BID_COUPLE_STOP_TIME)
		out->stopped = BID_COUPLE_STOP_DONE;
	rc = 0;
	goto done;

finish_infeasible:
	out->bound = bound;
	rc = 0;
done:
	if (rc == BID_ENOMEM)
		err_msg(errmsg, errsize, "solve_round: out of memory");
	if (rc != 0 && rc != BID_ERROR)
		bid_couple_result_free(out);
	free(pb.phase);
	free(c.ent);
	free(c.off0);
	free(c.adj);
	free(c.segs);
	free(c.alone);
	free(c.reason);
	free(c.cur);
	free(c.qty);
	free(c.spend);
	free(c.espend);
	free(sol);
	free(best);
	free(mu.lam);
	free(mu.m);
	free(mu.n);
	free(dl);
	free(dm);
	free(dn);
	free(gl);
	free(gm);
	free(gn);
	return rc;
}

int bid_award__write_round_lp(FILE *f, const bid_couple_part *parts, size_t nparts,
                              const bid_couple_supplier *sup, size_t nsup,
                              const bid_couple_rules *rules)
{
	bid_couple_round pb;
	bid_i128 maxcost;
	int rc;

	rc = validate(parts, nparts, sup, nsup, rules, NULL, 0, &maxcost);
	if (rc)
		return rc;
	pb.parts = parts;
	pb.nparts = nparts;
	pb.sup = sup;
	pb.nsup = nsup;
	pb.rules = *rules;
	pb.phase = calloc(nparts ? nparts : 1, sizeof(*pb.phase));
	if (!pb.phase)
		return BID_ENOMEM;
	rc = bid_couple__phases(&pb);
	if (rc == 0)
		rc = bid_milp__write_lp(f, &pb);
	free(pb.phase);
	return rc;
}
