/*
 * award_solve.c - the exact split award of one part.  Enumerates the sets
 * of suppliers (with price breaks: sets of (supplier, segment) pairs),
 * gives each its cost-optimal allocation and keeps the best by a total
 * order.  Pure arithmetic on the caller's arrays: no store, no I/O, no
 * heap, no floating point (see award_solve.h for the contract).
 */

/*
 * The rules, as implemented.
 *
 * Quantities are decimals (millionths); Q is the demand, a positive
 * multiple of rules->step.  An awarded supplier gets a positive multiple of
 * step.  Offers are distinct suppliers; offers with one `group` are one
 * independent source.
 *
 * Bounds of an offer j when it is in a set, with share bounds ON:
 *
 *   lo_j = max(ceil_step(Q × min_share), ceil_step(min_qty_j), step)
 *   hi_j = min(floor_step(Q × max_share), floor_step(max_qty_j))
 *
 * where Q × share means Q·share/10^6 exactly (128 bits) and ceil_step /
 * floor_step round to a multiple of step.  With share bounds OFF:
 *
 *   lo_j = max(ceil_step(min_qty_j), step),  hi_j = min(floor_step(max_qty_j), Q)
 *
 * Cost of x units to offer j, c_j(x), exact at scale 10^12: unit_cost × x
 * without segments; with segments s_0..s_m-1 (from_0 = 0 < from_1 < ...,
 * all multiples of step) and k(x) the highest segment with from_k <= x:
 *   all-units    c_j(x) = p_k(x) × x
 *   incremental  c_j(x) = F_k(x) + p_k(x) × (x − from_k(x)),
 *                F_k = Σ_{i<k} p_i × (from_i+1 − from_i)  (the full lower bands)
 * Both are exact in 128 bits: c_j(x) <= max p × x < 2^126, and so is any
 * total, since the quantities add up to Q < 2^63.
 *
 * Total order of allocations, best first:
 *   1. least exact cost Σ c_j(x_j);
 *   2. least Σ lead_days × qty (INT32_MAX, "unknown", is just large);
 *   3. over the union of their suppliers in ascending strcmp order of id,
 *      at the first supplier whose quantity differs, more quantity wins.
 * It is total, so the award never depends on the order of offers[].
 *
 * Items.  An item is one offer restricted to one of its segments: the
 * quantities [max(lo_j, from_k), min(hi_j, from_k+1 − step)] (the last
 * segment is open above), kept only when not empty.  On an item the cost
 * is affine, c(x) = base + p × x: all-units base = 0, p = p_k; incremental
 * base = F_k − p_k × from_k (it can be negative when a band costs more than
 * the ones below; c(x) itself never is).  An offer without segments is one
 * item with base 0, p = unit_cost, and the fast path below is then exactly
 * the solver of flat prices.  The items are sorted by the greedy order
 * (p, lead_days, supplier id, segment).  A combination is a set of items
 * of distinct offers; the quantity ranges of one offer's items partition
 * its [lo_j, hi_j], so every allocation (an x with support S, the rules
 * holding) lies in exactly one combination (S, the segment of each x_j),
 * and on it the cost function of the combination equals the true cost.
 *
 * A combination C is feasible iff Σ lo <= Q <= Σ hi over its items.  Its
 * best allocation gives every item its lo, then fills the remainder
 * greedily in the item order up to hi.  Why this is the best of C by the
 * whole total order: Σ base is constant on C, and cost and lead are both
 * linear in x there, so the first two keys are one lexicographic linear
 * objective over a box cut by Σ x = Q, where a unit to item i costs the
 * key (p_i, lead_i).  By the exchange argument every allocation optimal
 * for (cost, lead) has the items with a key below the marginal key (the
 * key of the item where the greedy runs out) at hi and those above it at
 * lo; only the items that share the marginal key can trade units, and
 * trading between them keeps cost and lead.  Those items are filled in
 * supplier id order (the third sort key), which gives the most to the
 * first id, then the most to the next, ... : the lexicographic maximum by
 * id, which is key 3 (the other suppliers' quantities are the same in all
 * of these allocations).  Across combinations the candidates are compared
 * by the whole total order (cand_cmp), so the best combination's best
 * allocation is the best allocation of all, ties on cost and lead
 * included: the optimum lies in some combination and is that
 * combination's best, since the order is total.
 *
 * Phases (s = number of distinct groups of a set, k = its suppliers,
 * always k <= max_vendors):
 *   A  shares ON, s >= min_vendors: the best set -> BID_SPLIT_AWARDED.
 *   B  shares ON, the largest s in [2, min_vendors) with any feasible set:
 *      the best set with that s -> BID_SPLIT_SHORTFALL.  (s = 1 is left to
 *      C: with one source, share bounds either force an impossible
 *      max_share < 100 % or change nothing.)
 *   C  shares OFF, the largest s <= min_vendors with a feasible set having
 *      at least s sources: the best such set -> BID_SPLIT_SHORTFALL.  The
 *      level is capped at min_vendors so that relaxing shares never forces
 *      more sources on the buyer than asked for.
 *   otherwise BID_SPLIT_UNAWARDED.
 * Whether a set is feasible does not depend on prices, so price breaks
 * never change the phase, only the choice within it.
 *
 * Reasons ("" when awarded), quantities in RFQ units:
 *   "only 1 independent eligible source (min 2)"       fewer groups exist
 *   "no split of 2..3 vendors fits the share and quantity rules"
 *   then "; shares relaxed" for C, and "; N sources awarded" (", N ..."
 *   after "relaxed") when fewer sources than could exist were awarded.
 *   "no eligible offer"                                 n == 0
 *   "minimum order quantities exceed demand (smallest X, demand Y)"
 *   "eligible offers cover at most X of Y [(max K vendors)]"  the largest
 *      K capped maxima add up to less than demand
 *   "no set of up to K offers meets demand Y within their minimum and
 *    maximum quantities"                                anything else
 *
 * The search is a depth-first walk over combinations in the item order
 * (one item per offer) with two prunes: Σ lo or Σ hi that cannot reach Q,
 * and a bound on every extension of the current combination by items
 * from `next` on.  Without segments (the fast path) the bound is by the
 * whole total order (cost, lead, quantities; see bound()), so even parts
 * where every offer ties are cut short; the 298 sets of 12 offers with
 * max_vendors 3 take a microsecond or so.  With segments it is by cost
 * alone, pruning only when the bound is strictly worse (see
 * bound_cost()); ties on cost are then enumerated in full.
 */
#include <stdio.h>
#include <string.h>

#include "award_solve.h"

#define MAX_OFFERS 64
#define MAX_ITEMS  (MAX_OFFERS * BID_MAX_SEGS)
#define SCALE      1000000

/* One usable offer on one of its segments in one mode (shares on or off),
 * in the greedy order.  Its cost is base + cost × x for lo <= x <= hi. */
typedef struct item {
	bid_i128    base;      /* 0 without segments and for all-units */
	int64_t     cost;      /* the unit cost p of the segment */
	int64_t     lo, hi;
	int32_t     lead;
	int32_t     group;
	int         rank;      /* position of the supplier id in strcmp order */
	int         seg;       /* segment index, 0 without segments */
	size_t      offer;     /* index into the caller's offers[] */
} item;

/* A set with its allocation.  pos[] indexes the mode's items, ascending. */
typedef struct cand {
	int      found;
	int      k, s;
	int      pos[BID_SPLIT_MAX_VENDORS];
	int64_t  qty[BID_SPLIT_MAX_VENDORS];
	bid_i128 cost, lead;
} cand;

/*
 * The search of one mode.  Candidates are kept per bucket min(s, mv):
 * bucket mv holds every set that meets min_vendors.  Once a bucket has a
 * candidate, the buckets below it no longer matter (a phase only looks at
 * the largest feasible level), which is what lets the bound prune.
 */
typedef struct search {
	const item *it;
	int         n;
	int64_t     q;
	int         maxk, mv;
	int         minlevel;            /* lowest level the phase may use */
	int         curves;              /* some offer has segments: cost-only bound */
	bid_i128    maxhi_suf[MAX_ITEMS + 1];    /* largest hi from item i on */
	bid_i128    minlo_suf[MAX_ITEMS + 1];    /* smallest lo from item i on */
	int64_t     minavg_suf[MAX_ITEMS + 1];   /* least cost per unit from item i on */
	cand        best[BID_SPLIT_MAX_VENDORS + 1];
	int         top;                 /* highest bucket with a candidate */
	/* the current combination */
	int         k, s;
	int         pos[BID_SPLIT_MAX_VENDORS];
	int         newsrc[BID_SPLIT_MAX_VENDORS];
	uint64_t    used;                /* bit per offer in it (offer index < 64) */
	bid_i128    sumlo, sumhi;
} search;

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int     mini(int a, int b) { return a < b ? a : b; }

/* ceil(num / den) * step and floor(num / den) * step for num >= 0, den > 0. */
static bid_i128 ceil_step(bid_i128 num, bid_i128 den, int64_t step)
{
	return (num + den - 1) / den * step;
}

static bid_i128 floor_step(bid_i128 num, bid_i128 den, int64_t step)
{
	return num / den * step;
}

/* The greedy order of flat offers: unit cost, lead time, supplier id (by
 * its rank).  Only used when no offer has segments. */
static int greedy_cmp(const bid_offer *a, int ra, const bid_offer *b, int rb)
{
	if (a->unit_cost != b->unit_cost)
		return a->unit_cost < b->unit_cost ? -1 : 1;
	if (a->lead_days != b->lead_days)
		return a->lead_days < b->lead_days ? -1 : 1;
	return ra < rb ? -1 : ra > rb;
}

/* The greedy order of items: unit cost, lead time, supplier id, segment. */
static int item_cmp(const item *a, const item *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->lead != b->lead)
		return a->lead < b->lead ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->seg < b->seg ? -1 : a->seg > b->seg;
}

/* Does offer o have a cost curve (segments) rather than one price? */
static int has_segs(const bid_offer *o)
{
	return o->segs != NULL && o->nsegs > 0;
}

/* Is `b` a bucket this mode keeps?  Shares ON never uses one source (B). */
static int kept(const search *s, int b)
{
	return b >= s->minlevel || b == s->mv;
}

/*
 * Compare two allocations by the total order: < 0 when `a` is better.
 * The third key needs both allocations by supplier id; sets have at most
 * BID_SPLIT_MAX_VENDORS members, so an insertion sort of the ranks (ids
 * are compared once per part, not once per tie) is plenty.
 */
static void by_supplier(const item *it, const cand *c, int *id, int64_t *qty)
{
	int i, j;

	for (i = 0; i < c->k; i++) {
		int z = it[c->pos[i]].rank;
		int64_t x = c->qty[i];
		for (j = i; j > 0 && id[j - 1] > z; j--) {
			id[j] = id[j - 1];
			qty[j] = qty[j - 1];
		}
		id[j] = z;
		qty[j] = x;
	}
}

static int cand_cmp(const item *it, const cand *a, const cand *b)
{
	int ida[BID_SPLIT_MAX_VENDORS], idb[BID_SPLIT_MAX_VENDORS];
	int64_t qa[BID_SPLIT_MAX_VENDORS], qb[BID_SPLIT_MAX_VENDORS];
	int i = 0, j = 0;

	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->lead != b->lead)
		return a->lead < b->lead ? -1 : 1;
	by_supplier(it, a, ida, qa);
	by_supplier(it, b, idb, qb);
	while (i < a->k && j < b->k) {
		if (ida[i] == idb[j]) {
			if (qa[i] != qb[j])
				return qa[i] > qb[j] ? -1 : 1;
			i++, j++;
		} else {
			/* The supplier that sorts first has a positive quantity on
			 * one side and none on the other: that side has more. */
			return ida[i] < idb[j] ? -1 : 1;
		}
	}
	if (i < a->k)
		return -1;
	if (j < b->k)
		return 1;
	return 0;
}

/* The current set is feasible: allocate it and keep it if it is better. */
static void consider(search *s)
{
	int b = mini(s->s, s->mv), i;
	bid_i128 rest = s->q - s->sumlo;
	cand c;

	if (!kept(s, b) || b < s->top)
		return;
	c.found = 1;
	c.k = s->k;
	c.s = s->s;
	c.cost = 0;
	c.lead = 0;
	for (i = 0; i < s->k; i++) {
		const item *x = &s->it[s->pos[i]];
		int64_t t = min64((int64_t)rest, x->hi - x->lo);
		c.pos[i] = s->pos[i];
		c.qty[i] = x->lo + t;
		rest -= t;
		/* base + p × x is the true cost, >= 0: add it whole (base alone
		 * can be below -2^126, Σ of them would not fit). */
		c.cost += x->base + (bid_i128)x->cost * c.qty[i];
		c.lead += (bid_i128)x->lead * c.qty[i];
	}
	if (!s->best[b].found || cand_cmp(s->it, &c, &s->best[b]) < 0) {
		s->best[b] = c;
		if (b > s->top)
			s->top = b;
	}
}

/*
 * The total order is a lexicographic linear objective: a unit given to
 * item j adds the key (cost_j, lead_j, "one unit less for rank_j"), and
 * items in the greedy order have ascending keys.  So every extension of
 * the current set by items from `next` on is no better than this bound:
 * the members take their lo, then fill up to hi in the greedy order, and
 * whatever is left goes to item `next` (the smallest key still to come)
 * without limit.  It grows with `next`.
 */
static void bound(const search *s, int next, cand *out)
{
	bid_i128 rest = s->q - s->sumlo;
	int i;

	out->k = 0;
	out->cost = 0;
	out->lead = 0;
	for (i = 0; i < s->k; i++) {
		const item *x = &s->it[s->pos[i]];
		int64_t t = min64((int64_t)rest, x->hi - x->lo);
		out->pos[out->k] = s->pos[i];
		out->qty[out->k++] = x->lo + t;
		rest -= t;
	}
	/* A quantity of zero would read as "has some" in cand_cmp. */
	if (rest > 0) {
		out->pos[out->k] = next;
		out->qty[out->k++] = (int64_t)rest;
	}
	for (i = 0; i < out->k; i++) {
		const item *x = &s->it[out->pos[i]];
		out->cost += (bid_i128)x->cost * out->qty[i];
		out->lead += (bid_i128)x->lead * out->qty[i];
	}
}

/*
 * The least average cost per unit of an item, rounded down: on [lo, hi]
 * c(x) / x = p + base / x is monotone, so it is c(lo) / lo when base < 0
 * and c(hi) / hi otherwise; c(x) >= avg × x for every x of the item.
 */
static int64_t item_avg(const item *x)
{
	int64_t at = x->base < 0 ? x->lo : x->hi;

	return (int64_t)((x->base + (bid_i128)x->cost * at) / at);
}

/*
 * With segments: a lower bound on the cost of every extension of the
 * current combination by items from `next` on.  Each new item costs at
 * least r = minavg_suf[next] per unit it takes, each member base + p x.
 * The least of that over x in the members' [lo, hi] with Σ x = Q is: the
 * members at lo, then those with p < r (a prefix: members are in p
 * order) filled up to hi, and what is left at r.  No overflow: every term
 * is a true cost or below one, and they add up to at most max p × Q.  The
 * bound grows with `next` (r is a suffix minimum).  When no base is
 * negative r >= it[next].cost >= every member's p, the classic bound.
 */
static bid_i128 bound_cost(const search *s, int next)
{
	bid_i128 rest = s->q - s->sumlo, c = 0;
	int64_t r = s->minavg_suf[next];
	int i;

	for (i = 0; i < s->k; i++) {
		const item *x = &s->it[s->pos[i]];
		c += x->base + (bid_i128)x->cost * x->lo;
	}
	for (i = 0; i < s->k && rest > 0; i++) {
		const item *x = &s->it[s->pos[i]];
		int64_t t;
		if (x->cost >= r)
			break;
		t = min64((int64_t)rest, x->hi - x->lo);
		c += (bid_i128)x->cost * t;
		rest -= t;
	}
	return c + rest * r;
}

/*
 * Can no extension of the current set by items from `next` on matter?
 * True when no bucket still of interest is within reach, or when each one
 * in reach already has a candidate that beats the bound.  A bucket is out
 * of reach when the suppliers it needs would take more than Q at their lo
 * (this is what ends the search quickly when min_share × min_vendors
 * exceeds 100 %).
 */
static int hopeless(const search *s, int next)
{
	int lo = mini(s->s, s->mv), hi = mini(s->s + s->maxk - s->k, s->mv), b, any = 0;
	bid_i128 lbc = 0;
	cand lb;

	if (lo < s->top)
		lo = s->top;
	for (b = lo; b <= hi; b++) {
		int more = b > s->s ? b - s->s : 1;
		if (!kept(s, b) || s->sumlo + more * s->minlo_suf[next] > s->q)
			continue;
		if (!s->best[b].found)
			return 0;
		if (s->curves) {
			if (!any)
				lbc = bound_cost(s, next);
			any = 1;
			if (lbc <= s->best[b].cost)
				return 0;
			continue;
		}
		if (!any)
			bound(s, next, &lb);
		any = 1;
		if (cand_cmp(s->it, &lb, &s->best[b]) <= 0)
			return 0;
	}
	return 1;
}

static void dfs(search *s, int start)
{
	int i, j;

	for (i = start; i < s->n; i++) {
		const item *x = &s->it[i];
		uint64_t bit = (uint64_t)1 << x->offer;

		/* Asked each time round: the children may have found better
		 * candidates.  The bound only grows with i, so stop here. */
		if (hopeless(s, i))
			return;
		if (s->sumlo + x->lo > s->q || (s->used & bit))
			continue;
		if (s->sumhi + x->hi + (bid_i128)(s->maxk - s->k - 1) * s->maxhi_suf[i + 1] < s->q)
			continue;

		s->newsrc[s->k] = 1;
		for (j = 0; j < s->k; j++)
			if (s->it[s->pos[j]].group == x->group)
				s->newsrc[s->k] = 0;
		s->pos[s->k] = i;
		s->s += s->newsrc[s->k];
		s->k++;
		s->sumlo += x->lo;
		s->sumhi += x->hi;
		s->used |= bit;

		if (s->sumhi >= s->q)
			consider(s);
		if (s->k < s->maxk && i + 1 < s->n)
			dfs(s, i + 1);

		s->k--;
		s->s -= s->newsrc[s->k];
		s->sumlo -= x->lo;
		s->sumhi -= x->hi;
		s->used &= ~bit;
	}
}

/*
 * The items of offer o on [lo, hi] (multiples of step, lo <= hi), one per
 * segment that meets [lo, hi], appended at it[m..]; returns the new m.
 */
static int add_items(item *it, int m, const bid_offer *o, int64_t lo, int64_t hi,
                     int64_t step)
{
	bid_i128 f = 0;          /* F_k: the cost of the full bands below k */
	int k;

	for (k = 0; k < o->nsegs && o->segs[k].from_qty <= hi; k++) {
		int64_t from = o->segs[k].from_qty, p = o->segs[k].unit_cost;
		int64_t a = from > lo ? from : lo, z = hi;

		if (k + 1 < o->nsegs && o->segs[k + 1].from_qty - step < z)
			z = o->segs[k + 1].from_qty - step;
		if (a <= z) {
			it[m].base = o->incremental ? f - (bid_i128)p * from : 0;
			it[m].cost = p;
			it[m].lo = a;
			it[m].hi = z;
			it[m].seg = k;
			m++;
		}
		if (k + 1 < o->nsegs)
			f += (bid_i128)p * (o->segs[k + 1].from_qty - from);
	}
	return m;
}

/*
 * Build the usable items of one mode and search them: without segments
 * one item per offer, in `ord` (the greedy order); with segments one per
 * offer and segment, sorted by item_cmp.  The best candidate of the
 * highest bucket found is in s->best[s->top] (s->top == 0: nothing
 * feasible).
 */
static void run_mode(search *s, item *it, const bid_offer *offers, const size_t *ord,
                     const int *rank, size_t n, int64_t q, const bid_split_rules *r,
                     int shares, int curves)
{
	int64_t step = r->step;
	bid_i128 den = (bid_i128)SCALE * step;
	bid_i128 slo = ceil_step((bid_i128)q * r->min_share, den, step);
	bid_i128 shi = floor_step((bid_i128)q * r->max_share, den, step);
	size_t i;
	int m = 0, first, b, e;

	for (i = 0; i < n; i++) {
		const bid_offer *o = &offers[ord[i]];
		bid_i128 lo = ceil_step(o->min_qty, step, step);
		bid_i128 hi = floor_step(o->max_qty, step, step);

		if (lo < step)
			lo = step;
		if (hi > q)
			hi = q;
		if (shares) {
			if (lo < slo)
				lo = slo;
			if (hi > shi)
				hi = shi;
		}
		/* hi <= q, so a usable lo fits in 64 bits too. */
		if (lo > hi)
			continue;
		first = m;
		if (!has_segs(o)) {
			it[m].base = 0;
			it[m].cost = o->unit_cost;
			it[m].lo = (int64_t)lo;
			it[m].hi = (int64_t)hi;
			it[m].seg = 0;
			m++;
		} else {
			m = add_items(it, m, o, (int64_t)lo, (int64_t)hi, step);
		}
		for (e = first; e < m; e++) {
			it[e].lead = o->lead_days;
			it[e].group = o->group;
			it[e].offer = ord[i];
			it[e].rank = rank[ord[i]];
		}
	}
	if (curves) {
		/* Insertion sort: a few dozen items, often nearly in order. */
		for (b = 1; b < m; b++) {
			item x = it[b];
			for (e = b; e > 0 && item_cmp(&it[e - 1], &x) > 0; e--)
				it[e] = it[e - 1];
			it[e] = x;
		}
	}

	/* Not memset: the suffix arrays are large and only [0, m] is read. */
	s->it = it;
	s->n = m;
	s->q = q;
	s->maxk = r->max_vendors;
	s->mv = r->min_vendors;
	s->minlevel = shares ? 2 : 1;
	s->curves = curves;
	memset(s->best, 0, sizeof(s->best));
	s->top = 0;
	s->k = s->s = 0;
	s->used = 0;
	s->sumlo = s->sumhi = 0;
	s->maxhi_suf[m] = 0;
	s->minlo_suf[m] = (bid_i128)q + 1;
	s->minavg_suf[m] = INT64_MAX;
	for (b = m - 1; b >= 0; b--) {
		s->maxhi_suf[b] = s->maxhi_suf[b + 1] > it[b].hi ? s->maxhi_suf[b + 1] : it[b].hi;
		s->minlo_suf[b] = s->minlo_suf[b + 1] < it[b].lo ? s->minlo_suf[b + 1] : it[b].lo;
		if (curves) {
			int64_t v = item_avg(&it[b]);
			s->minavg_suf[b] = s->minavg_suf[b + 1] < v ? s->minavg_suf[b + 1] : v;
		}
	}
	if (m > 0)
		dfs(s, 0);
}

/* A non-negative decimal (millionths) as text, without trailing zeros. */
static void fmt_dec(char *buf, size_t size, int64_t v)
{
	int64_t frac = v % SCALE;
	int digits = 6;

	if (frac == 0) {
		snprintf(buf, size, "%lld", (long long)(v / SCALE));
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, size, "%lld.%0*lld", (long long)(v / SCALE), digits, (long long)frac);
}

/* "2..3 vendors" or "2 vendors". */
static void fmt_range(char *buf, size_t size, int lo, int hi)
{
	if (lo == hi)
		snprintf(buf, size, "%d vendor%s", lo, lo == 1 ? "" : "s");
	else
		snprintf(buf, size, "%d..%d vendors", lo, hi);
}

/* Why a shortfall: too few sources exist, or the rules admit no split. */
static void shortfall_reason(bid_split *out, const bid_split_rules *r, int nsrc,
                             int level, int relaxed)
{
	char range[32];
	int n = 0, size = (int)sizeof(out->reason);

	if (nsrc < r->min_vendors) {
		n = snprintf(out->reason, sizeof(out->reason),
		             "only %d independent eligible source%s (min %d)",
		             nsrc, nsrc == 1 ? "" : "s", r->min_vendors);
	} else {
		fmt_range(range, sizeof(range), r->min_vendors, r->max_vendors);
		n = snprintf(out->reason, sizeof(out->reason),
		             "no split of %s fits the share and quantity rules", range);
	}
	if (relaxed && n < size)
		n += snprintf(out->reason + n, (size_t)(size - n), "; shares relaxed");
	if (level < mini(nsrc, r->min_vendors) && n < size)
		snprintf(out->reason + n, (size_t)(size - n), "%s%d source%s awarded",
		         relaxed ? ", " : "; ", level, level == 1 ? "" : "s");
}

/* Why nothing at all: no offer, MOQs too large, too little offered. */
static void unawarded_reason(bid_split *out, const bid_offer *offers, const size_t *ord,
                             size_t n, int64_t q, const bid_split_rules *r)
{
	bid_i128 top[BID_SPLIT_MAX_VENDORS] = { 0 }, cover = 0, minlo = -1;
	int64_t step = r->step;
	char a[48], b[48];
	size_t i;
	int j;

	if (n == 0) {
		snprintf(out->reason, sizeof(out->reason), "no eligible offer");
		return;
	}
	/* What the best max_vendors offers could take together, shares off. */
	for (i = 0; i < n; i++) {
		const bid_offer *o = &offers[ord[i]];
		bid_i128 lo = ceil_step(o->min_qty, step, step);
		bid_i128 hi = floor_step(o->max_qty, step, step);

		if (lo < step)
			lo = step;
		if (hi > q)
			hi = q;
		if (minlo < 0 || lo < minlo)
			minlo = lo;
		if (lo > hi)
			continue;
		for (j = r->max_vendors - 1; j >= 0 && hi > top[j]; j--) {
			if (j + 1 < r->max_vendors)
				top[j + 1] = top[j];
			top[j] = hi;
		}
	}
	for (j = 0; j < r->max_vendors; j++)
		cover += top[j];
	fmt_dec(b, sizeof(b), q);
	if (minlo > q) {
		fmt_dec(a, sizeof(a), (int64_t)(minlo > INT64_MAX ? INT64_MAX : minlo));
		snprintf(out->reason, sizeof(out->reason),
		         "minimum order quantities exceed demand (smallest %s, demand %s)", a, b);
	} else if (cover < q) {
		fmt_dec(a, sizeof(a), (int64_t)cover);
		if ((size_t)r->max_vendors < n)
			snprintf(out->reason, sizeof(out->reason),
			         "eligible offers cover at most %s of %s (max %d vendors)",
			         a, b, r->max_vendors);
		else
			snprintf(out->reason, sizeof(out->reason),
			         "eligible offers cover at most %s of %s", a, b);
	} else {
		snprintf(out->reason, sizeof(out->reason),
		         "no set of up to %d offers meets demand %s within their minimum "
		         "and maximum quantities", r->max_vendors, b);
	}
}

/*
 * Copy the winner to `out`, ordered by supplier id.  tier[]: the item's
 * segment, except that an incremental quantity of exactly from_k has no
 * unit in band k, so its highest band with units is k - 1.
 */
static void emit(bid_split *out, const bid_offer *offers, const item *it, const cand *c,
                 bid_split_status status)
{
	int id[BID_SPLIT_MAX_VENDORS];
	int i, j;

	out->status = status;
	out->nvendors = c->k;
	out->nsources = c->s;
	out->cost = c->cost;
	out->lead_qty = c->lead;
	for (i = 0; i < c->k; i++) {
		const item *x = &it[c->pos[i]];
		for (j = i; j > 0 && id[j - 1] > x->rank; j--) {
			id[j] = id[j - 1];
			out->offer[j] = out->offer[j - 1];
			out->qty[j] = out->qty[j - 1];
			out->tier[j] = out->tier[j - 1];
			out->line_cost[j] = out->line_cost[j - 1];
		}
		id[j] = x->rank;
		out->offer[j] = x->offer;
		out->qty[j] = c->qty[i];
		out->tier[j] = x->seg;
		if (x->seg > 0 && offers[x->offer].incremental &&
		    c->qty[i] == offers[x->offer].segs[x->seg].from_qty)
			out->tier[j] = x->seg - 1;
		out->line_cost[j] = x->base + (bid_i128)x->cost * c->qty[i];
	}
}

/* Are o's segments, if any, valid for this step? */
static int segs_valid(const bid_offer *o, int64_t step)
{
	int k;

	if (o->nsegs < 0 || o->nsegs > BID_MAX_SEGS)
		return 0;
	if (!has_segs(o))
		return 1;
	if (o->incremental != 0 && o->incremental != 1)
		return 0;
	if (o->segs[0].from_qty != 0)
		return 0;
	for (k = 0; k < o->nsegs; k++) {
		if (o->segs[k].unit_cost < 0 || o->segs[k].from_qty % step != 0)
			return 0;
		if (k > 0 && o->segs[k].from_qty <= o->segs[k - 1].from_qty)
			return 0;
	}
	return 1;
}

int bid_award__solve_part(bid_split *out, const bid_offer *offers, size_t n,
                          int64_t demand, const bid_split_rules *rules)
{
	size_t ord[MAX_OFFERS];
	int rank[MAX_OFFERS];
	item it[MAX_ITEMS];
	search s;
	int32_t groups[MAX_OFFERS];
	int nsrc = 0, level, curves = 0;
	size_t i, j;

	if (!out || !rules || (n > 0 && !offers) || n > MAX_OFFERS)
		return -1;
	if (rules->min_vendors < 1 || rules->max_vendors < rules->min_vendors ||
	    rules->max_vendors > BID_SPLIT_MAX_VENDORS)
		return -1;
	if (rules->min_share < 0 || rules->max_share < rules->min_share ||
	    rules->max_share > SCALE || rules->step < 1)
		return -1;
	if (demand <= 0 || demand % rules->step != 0)
		return -1;

	memset(out, 0, sizeof(*out));
	out->status = BID_SPLIT_UNAWARDED;

	/* Supplier ids in strcmp order, once: later ties compare ranks.
	 * Duplicates are refused, the total order could not tell them apart. */
	for (i = 0; i < n; i++) {
		const bid_offer *o = &offers[i];
		if (!o->supplier || o->unit_cost < 0 || o->min_qty < 0 || o->max_qty < 0 ||
		    !segs_valid(o, rules->step))
			return -1;
		curves |= has_segs(o);
		for (j = i; j > 0 && strcmp(offers[ord[j - 1]].supplier, o->supplier) > 0; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(offers[ord[i - 1]].supplier, offers[ord[i]].supplier) == 0)
			return -1;
		rank[ord[i]] = (int)i;
	}

	/* Then the greedy order, which the search walks (with segments the
	 * items are sorted instead). */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && greedy_cmp(&offers[ord[j - 1]], rank[ord[j - 1]],
		                                 &offers[i], rank[i]) > 0; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < (size_t)nsrc && groups[j] != offers[i].group; j++)
			;
		if (j == (size_t)nsrc)
			groups[nsrc++] = offers[i].group;
	}

	/* A and B: share bounds on. */
	run_mode(&s, it, offers, ord, rank, n, demand, rules, 1, curves);
	level = s.top;
	if (level == rules->min_vendors) {
		emit(out, offers, it, &s.best[level], BID_SPLIT_AWARDED);
		return 0;
	}
	if (level >= 2) {
		emit(out, offers, it, &s.best[level], BID_SPLIT_SHORTFALL);
		shortfall_reason(out, rules, nsrc, level, 0);
		return 0;
	}

	/* C: share bounds off. */
	run_mode(&s, it, offers, ord, rank, n, demand, rules, 0, curves);
	level = s.top;
	if (level >= 1) {
		emit(out, offers, it, &s.best[level], BID_SPLIT_SHORTFALL);
		shortfall_reason(out, rules, nsrc, level, 1);
		return 0;
	}
	unawarded_reason(out, offers, ord, n, demand, rules);
	return 0;
}
