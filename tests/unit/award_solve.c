/*
 * award_solve.c - cmocka tests of the exact split of one part
 * (engine/award_solve.c): hand-computed splits, shortfalls and reasons,
 * tie order and input-order independence, and a brute-force reference
 * that tries every integer allocation of thousands of random small parts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "award_solve.h"

#define U    1000000             /* one whole unit, or one currency unit */
#define PCT  10000               /* one percent as a share */
#define UNL  BID_QTY_UNLIMITED

static bid_offer offer(const char *id, int64_t cost, int32_t group)
{
	bid_offer o;

	memset(&o, 0, sizeof(o));   /* no price breaks */
	o.unit_cost = cost;
	o.min_qty = 0;
	o.max_qty = UNL;
	o.lead_days = 7;
	o.group = group;
	o.supplier = id;
	return o;
}

static bid_split_rules rules(int minv, int maxv, int minpct, int maxpct, int64_t step)
{
	bid_split_rules r;

	r.min_vendors = minv;
	r.max_vendors = maxv;
	r.min_share = (int64_t)minpct * PCT;
	r.max_share = (int64_t)maxpct * PCT;
	r.step = step;
	return r;
}

static bid_split solve(const bid_offer *o, size_t n, int64_t q, const bid_split_rules *r)
{
	bid_split s;

	if (bid_award__solve_part(&s, o, n, q, r) != 0)
		fail_msg("solve_part refused valid arguments");
	return s;
}

/* The quantity awarded to supplier `id`, 0 if none. */
static int64_t qty_of(const bid_split *s, const bid_offer *o, const char *id)
{
	int i;

	for (i = 0; i < s->nvendors; i++)
		if (strcmp(o[s->offer[i]].supplier, id) == 0)
			return s->qty[i];
	return 0;
}

/* Σ unit_cost × qty in whole currency units (scale 10^12 → 1). */
static long long whole_cost(const bid_split *s)
{
	return (long long)(s->cost / ((bid_i128)U * U));
}

static void test_award_solve__two_vendors_80_20(void **state)
{
	bid_offer o[2] = { offer("B", 2 * U, 2), offer("A", 1 * U, 1) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s = solve(o, 2, 100 * U, &r);

	(void)state;
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(s.nvendors, 2);
	assert_int_equal(s.nsources, 2);
	assert_int_equal(qty_of(&s, o, "A"), 80 * U);
	assert_int_equal(qty_of(&s, o, "B"), 20 * U);
	assert_int_equal(whole_cost(&s), 120);
	/* by supplier id */
	assert_int_equal(s.offer[0], 1);
	assert_int_equal(s.offer[1], 0);
	assert_string_equal(s.reason, "");
	assert_true(s.lead_qty == (bid_i128)7 * 100 * U);
}

static void test_award_solve__two_beat_three(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2), offer("C", 3 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s = solve(o, 3, 100 * U, &r);

	/* {A,B} 80/20 = 120 beats {A,B,C} 60/20/20 = 160. */
	(void)state;
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(s.nvendors, 2);
	assert_int_equal(qty_of(&s, o, "A"), 80 * U);
	assert_int_equal(qty_of(&s, o, "B"), 20 * U);
	assert_int_equal(whole_cost(&s), 120);
}

static void test_award_solve__three_beat_two(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2), offer("C", 3 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	/* {A,B} cannot cover; {A,C} 50/50 = 200; {A,B,C} 50/30/20 = 170. */
	(void)state;
	o[0].max_qty = 50 * U;
	o[1].max_qty = 30 * U;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(s.nvendors, 3);
	assert_int_equal(s.nsources, 3);
	assert_int_equal(qty_of(&s, o, "A"), 50 * U);
	assert_int_equal(qty_of(&s, o, "B"), 30 * U);
	assert_int_equal(qty_of(&s, o, "C"), 20 * U);
	assert_int_equal(whole_cost(&s), 170);
}

static void test_award_solve__moq_forces_other_set(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2), offer("C", 3 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	/* A's MOQ of 90 is above the 80 % cap: A cannot take part. */
	(void)state;
	o[0].min_qty = 90 * U;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 0);
	assert_int_equal(qty_of(&s, o, "B"), 80 * U);
	assert_int_equal(qty_of(&s, o, "C"), 20 * U);
	assert_int_equal(whole_cost(&s), 220);

	/* A MOQ of 30.5 units rounds up to 31: B gets the other 69. */
	o[0].min_qty = 30 * U + U / 2;
	o[0].unit_cost = 3 * U;
	o[2].unit_cost = 4 * U;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 31 * U);
	assert_int_equal(qty_of(&s, o, "B"), 69 * U);
}

static void test_award_solve__max_qty_limits(void **state)
{
	bid_offer o[2] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	/* 30.9 offered is 30 whole units. */
	(void)state;
	o[0].max_qty = 30 * U + 900000;
	s = solve(o, 2, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 30 * U);
	assert_int_equal(qty_of(&s, o, "B"), 70 * U);
	assert_int_equal(whole_cost(&s), 170);
}

static void test_award_solve__count_units_fractional_share(void **state)
{
	bid_offer o[2] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s = solve(o, 2, 7 * U, &r);

	/* 20 % of 7 = 1.4 -> at least 2; 80 % = 5.6 -> at most 5. */
	(void)state;
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 5 * U);
	assert_int_equal(qty_of(&s, o, "B"), 2 * U);
}

static void test_award_solve__step_one(void **state)
{
	bid_offer o[2] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2) };
	bid_split_rules r = rules(2, 2, 20, 80, 1);
	bid_split s;

	/* 1.000001 kg: 20 % = 0.2000002 -> 0.200001, 80 % = 0.8000008 -> 0.800000 */
	(void)state;
	s = solve(o, 2, 1000001, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 800000);
	assert_int_equal(qty_of(&s, o, "B"), 200001);
	assert_true(s.cost == (bid_i128)800000 * U + (bid_i128)200001 * 2 * U);

	/* A demand that is not a multiple of the step is refused. */
	r.step = U;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 1000001, &r), -1);
}

static void test_award_solve__single_offer_shortfall(void **state)
{
	bid_offer o[1] = { offer("ONLY", 3 * U, 1) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s = solve(o, 1, 10 * U, &r);

	(void)state;
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.nvendors, 1);
	assert_int_equal(s.nsources, 1);
	assert_int_equal(s.qty[0], 10 * U);
	assert_int_equal(whole_cost(&s), 30);
	assert_string_equal(s.reason,
	                    "only 1 independent eligible source (min 2); shares relaxed");
}

static void test_award_solve__no_offer(void **state)
{
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s = solve(NULL, 0, 10 * U, &r);

	(void)state;
	assert_int_equal(s.status, BID_SPLIT_UNAWARDED);
	assert_int_equal(s.nvendors, 0);
	assert_true(s.cost == 0);
	assert_string_equal(s.reason, "no eligible offer");
}

static void test_award_solve__cannot_cover(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2), offer("C", 2 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	(void)state;
	o[0].max_qty = 30 * U;
	o[1].max_qty = 20 * U + U / 2;
	o[2].max_qty = 7 * U;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_UNAWARDED);
	assert_string_equal(s.reason, "eligible offers cover at most 57 of 100");

	/* Only the largest two count when two vendors are allowed. */
	r.max_vendors = 2;
	s = solve(o, 3, 100 * U, &r);
	assert_string_equal(s.reason, "eligible offers cover at most 50 of 100 (max 2 vendors)");

	/* Every MOQ above demand. */
	o[0].min_qty = 200 * U;
	o[1].min_qty = 150 * U;
	o[2].min_qty = 100 * U + 1;
	o[1].max_qty = o[2].max_qty = UNL;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_UNAWARDED);
	assert_string_equal(s.reason,
	                    "minimum order quantities exceed demand (smallest 101, demand 100)");

	/* Enough offered, but no MOQ combination adds up to demand. */
	o[0].min_qty = o[1].min_qty = 6 * U;
	o[0].max_qty = o[1].max_qty = 6 * U;
	s = solve(o, 2, 10 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_UNAWARDED);
	assert_string_equal(s.reason, "no set of up to 2 offers meets demand 10 within "
	                              "their minimum and maximum quantities");
}

static void test_award_solve__one_group_one_source(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 1), offer("C", 5 * U, 2) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s = solve(o, 3, 100 * U, &r);

	/* {A,B} is one source; {A,C} 80/20 = 180 beats {A,B,C} 60/20/20 = 200. */
	(void)state;
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(s.nvendors, 2);
	assert_int_equal(s.nsources, 2);
	assert_int_equal(qty_of(&s, o, "A"), 80 * U);
	assert_int_equal(qty_of(&s, o, "C"), 20 * U);
	assert_int_equal(whole_cost(&s), 180);

	/* Without C there is one source: shortfall, the whole demand to A. */
	s = solve(o, 2, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.nsources, 1);
	assert_int_equal(qty_of(&s, o, "A"), 100 * U);
	assert_string_equal(s.reason,
	                    "only 1 independent eligible source (min 2); shares relaxed");
}

static void test_award_solve__shortfall_by_shares(void **state)
{
	bid_offer o[3] = { offer("A", 1 * U, 1), offer("B", 2 * U, 2), offer("C", 3 * U, 3) };
	bid_split_rules r = rules(3, 3, 34, 80, U);
	bid_split s = solve(o, 3, 100 * U, &r);

	/* Three vendors at 34 % each need 102: two sources, shares kept. */
	(void)state;
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.nsources, 2);
	assert_int_equal(qty_of(&s, o, "A"), 66 * U);
	assert_int_equal(qty_of(&s, o, "B"), 34 * U);
	assert_string_equal(s.reason, "no split of 3 vendors fits the share and quantity rules; "
	                              "2 sources awarded");

	/* 20..50 % but B offers only 2 of 10: no split fits.  With shares
	 * relaxed both sources remain and the cheaper A takes all but B's
	 * minimum of one unit. */
	r = rules(2, 3, 20, 50, U);
	o[1].max_qty = 2 * U;
	s = solve(o, 2, 10 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.nsources, 2);
	assert_int_equal(qty_of(&s, o, "A"), 9 * U);
	assert_int_equal(qty_of(&s, o, "B"), 1 * U);
	assert_string_equal(s.reason, "no split of 2..3 vendors fits the share and quantity "
	                              "rules; shares relaxed");
}

static void test_award_solve__ties_lead_then_supplier(void **state)
{
	bid_offer o[3] = { offer("beta", 1 * U, 1), offer("alpha", 1 * U, 2),
	                   offer("gamma", 1 * U, 3) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s;

	/* Same cost: the shorter lead time gets the larger share. */
	(void)state;
	o[0].lead_days = 5;
	o[1].lead_days = 10;
	o[2].lead_days = INT32_MAX;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "beta"), 80 * U);
	assert_int_equal(qty_of(&s, o, "alpha"), 20 * U);
	assert_true(s.lead_qty == (bid_i128)(5 * 80 + 10 * 20) * U);

	/* Same cost and lead: the id that sorts first gets more, and the
	 * second place goes to the next id (alpha 80, beta 20; not gamma). */
	o[0].lead_days = o[1].lead_days = o[2].lead_days = 3;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "alpha"), 80 * U);
	assert_int_equal(qty_of(&s, o, "beta"), 20 * U);
	assert_int_equal(qty_of(&s, o, "gamma"), 0);
	assert_int_equal(s.offer[0], 1);
	assert_int_equal(s.offer[1], 0);

	/* An unknown lead time (INT32_MAX) loses to any known one. */
	o[1].lead_days = INT32_MAX;
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "beta"), 80 * U);
	assert_int_equal(qty_of(&s, o, "gamma"), 20 * U);
}

static void assert_same_award(const bid_split *a, const bid_offer *oa,
                              const bid_split *b, const bid_offer *ob);

/* Give offer o the cost curve s[0..n), all-units (inc 0) or incremental. */
static void curve(bid_offer *o, const bid_price_seg *s, int n, int inc)
{
	o->segs = s;
	o->nsegs = n;
	o->incremental = inc;
}

/* The tier reached by the supplier `id`, -1 if it gets nothing. */
static int tier_of(const bid_split *s, const bid_offer *o, const char *id)
{
	int i;

	for (i = 0; i < s->nvendors; i++)
		if (strcmp(o[s->offer[i]].supplier, id) == 0)
			return s->tier[i];
	return -1;
}

/* Cost to the supplier `id` in hundredths of a currency unit. */
static long long cents_of(const bid_split *s, const bid_offer *o, const char *id)
{
	int i;

	for (i = 0; i < s->nvendors; i++)
		if (strcmp(o[s->offer[i]].supplier, id) == 0)
			return (long long)(s->line_cost[i] / ((bid_i128)U * U / 100));
	return -1;
}

static long long cents(const bid_split *s)
{
	return (long long)(s->cost / ((bid_i128)U * U / 100));
}

/*
 * The textbook all-units discount: 0-99 at 10.00, 100 and more at 9.00.
 * One buyer alone: 100 units (900.00) cost less than 95 (950.00).  Split
 * 20..80 % of 125 with B at a flat 9.50: without the break B would take
 * 100 and A 25 (1,200.00); at the break A takes 100 for 900.00 and B 25
 * for 237.50, 1,137.50 (A at 99 would be 990 + 26 × 9.50 = 1,237.00).
 */
static void test_award_solve__all_units_break(void **state)
{
	static const bid_price_seg sa[] = { { 0, 10 * U }, { 100 * U, 9 * U } };
	bid_offer o[2] = { offer("A", 10 * U, 1), offer("B", 9 * U + U / 2, 2) };
	bid_split_rules one = rules(1, 1, 0, 100, U), r = rules(2, 2, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], sa, 2, 0);
	s = solve(o, 1, 95 * U, &one);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(cents(&s), 95000);
	assert_int_equal(s.tier[0], 0);
	s = solve(o, 1, 100 * U, &one);
	assert_int_equal(cents(&s), 90000);
	assert_int_equal(s.tier[0], 1);
	s = solve(o, 1, 99 * U, &one);
	assert_int_equal(cents(&s), 99000);

	s = solve(o, 2, 125 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 100 * U);
	assert_int_equal(qty_of(&s, o, "B"), 25 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(tier_of(&s, o, "B"), 0);
	assert_int_equal(cents_of(&s, o, "A"), 90000);
	assert_int_equal(cents_of(&s, o, "B"), 23750);
	assert_int_equal(cents(&s), 113750);
	assert_true(s.lead_qty == (bid_i128)7 * 125 * U);

	/* The same prices without the break: B takes the 80 % it may. */
	o[0].nsegs = 0;
	s = solve(o, 2, 125 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 25 * U);
	assert_int_equal(qty_of(&s, o, "B"), 100 * U);
	assert_int_equal(cents(&s), 120000);
}

/*
 * The best split moves a quantity up to a break, and no further: A costs
 * 10.00 below 120 and 9.20 from 120 on (all-units), B a flat 9.00; 200
 * units, 20..80 %.  A at 40 (tier 0): 400 + 160 × 9 = 1,840; A at 120:
 * 1,104 + 80 × 9 = 1,824; more A at 9.20 only displaces B at 9.00.
 */
static void test_award_solve__split_moves_to_break(void **state)
{
	static const bid_price_seg sa[] = { { 0, 10 * U }, { 120 * U, 9 * U + U / 5 } };
	bid_offer o[2] = { offer("A", 0, 1), offer("B", 9 * U, 2) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], sa, 2, 0);
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 120 * U);
	assert_int_equal(qty_of(&s, o, "B"), 80 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(cents_of(&s, o, "A"), 110400);
	assert_int_equal(cents(&s), 182400);
}

/*
 * Incremental: A pays 10.00 for each of the first 100 units and 7.00 for
 * each one after (so x >= 100 costs 1,000 + 7 (x - 100)); B a flat 9.00;
 * 200 units, 20..80 %.  A's marginal 7.00 beats B: A 160 (1,420.00), B 40
 * (360.00), 1,780.00.  As all-units the same prices give 160 × 7 + 360 =
 * 1,480.00.
 */
static void test_award_solve__incremental(void **state)
{
	static const bid_price_seg sa[] = { { 0, 10 * U }, { 100 * U, 7 * U } };
	bid_offer o[2] = { offer("A", 0, 1), offer("B", 9 * U, 2) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], sa, 2, 1);
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "A"), 160 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(cents_of(&s, o, "A"), 142000);
	assert_int_equal(cents(&s), 178000);

	o[0].incremental = 0;
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 160 * U);
	assert_int_equal(cents(&s), 148000);

	/* Below the first break incremental and all-units agree: 50 units. */
	r = rules(1, 1, 0, 100, U);
	o[0].incremental = 1;
	s = solve(o, 1, 50 * U, &r);
	assert_int_equal(cents(&s), 50000);
	assert_int_equal(s.tier[0], 0);
	/* Exactly at the break: 1,000.00 incremental, every unit in band 0
	 * (tier 0); 700.00 all-units, priced by tier 1.  One more unit enters
	 * band 1. */
	s = solve(o, 1, 100 * U, &r);
	assert_int_equal(cents(&s), 100000);
	assert_int_equal(s.tier[0], 0);
	s = solve(o, 1, 101 * U, &r);
	assert_int_equal(cents(&s), 100700);
	assert_int_equal(s.tier[0], 1);
	o[0].incremental = 0;
	s = solve(o, 1, 100 * U, &r);
	assert_int_equal(cents(&s), 70000);
	assert_int_equal(s.tier[0], 1);
}

/*
 * Published data: the price profile of FICO Xpress's "Purchasing with
 * price breaks" example (Mosel User Guide, appendix A; incremental
 * discounts, 600 items): supplier 1 pays 9.20 for the first 100, 9.00 to
 * 200, 7.00 beyond; supplier 2 9.00 to 50, 8.50 to 250, 8.30 beyond;
 * supplier 3 11.00 to 100, 8.50 to 300, 7.50 beyond.  With at most 40 %
 * (240) each, all three are needed and each gets at least 120.  The cost
 * is concave, so the optimum is at a corner: 1 and 2 at 240, 3 at 120:
 * 2,100 + 2,065 + 1,270 = 5,435.00; 1 and 3 at 240, 2 at 120 costs the
 * same (2,100 + 1,045 + 2,290), and so does every split of 360 between 2
 * and 3 in between (both at 8.50 a unit there); 2 and 3 at 240 costs
 * 5,455.00.  The tie goes to the supplier whose id sorts first: 2 gets
 * 240.  Worked by hand, not taken from the guide.
 */
static void test_award_solve__published_incremental_breaks(void **state)
{
	static const bid_price_seg s1[] = { { 0, 9200000 }, { 100 * U, 9 * U }, { 200 * U, 7 * U } };
	static const bid_price_seg s2[] = { { 0, 9 * U }, { 50 * U, 8500000 }, { 250 * U, 8300000 } };
	static const bid_price_seg s3[] = { { 0, 11 * U }, { 100 * U, 8500000 }, { 300 * U, 7500000 } };
	bid_offer o[3] = { offer("S3", 0, 3), offer("S1", 0, 1), offer("S2", 0, 2) };
	bid_split_rules r = rules(3, 3, 0, 40, U);
	bid_split s;

	(void)state;
	curve(&o[0], s3, 3, 1);
	curve(&o[1], s1, 3, 1);
	curve(&o[2], s2, 3, 1);
	s = solve(o, 3, 600 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(cents(&s), 543500);
	assert_int_equal(qty_of(&s, o, "S1"), 240 * U);
	assert_int_equal(qty_of(&s, o, "S2"), 240 * U);
	assert_int_equal(qty_of(&s, o, "S3"), 120 * U);
	assert_int_equal(cents_of(&s, o, "S1"), 210000);
	assert_int_equal(cents_of(&s, o, "S2"), 206500);
	assert_int_equal(cents_of(&s, o, "S3"), 127000);
	assert_int_equal(tier_of(&s, o, "S1"), 2);
	assert_int_equal(tier_of(&s, o, "S2"), 1);
	assert_int_equal(tier_of(&s, o, "S3"), 1);
	/* Supplier 2 slower: the tie keys move 120 from 2 to 3 (S3 at 240). */
	o[2].lead_days = 9;
	s = solve(o, 3, 600 * U, &r);
	assert_int_equal(cents(&s), 543500);
	assert_int_equal(qty_of(&s, o, "S2"), 120 * U);
	assert_int_equal(qty_of(&s, o, "S3"), 240 * U);
}

/*
 * A tie on cost between allocations in different segments: B is
 * incremental 10.00 below 100, 8.00 from 100 on; A a flat 9.00; 200
 * units, 20..80 %.  B at 40: 400 + 160 × 9 = 1,840; B at 160: 1,000 + 480
 * + 40 × 9 = 1,840.  Same lead: the id that sorts first (A) gets more.
 * B's shorter lead: B gets more.
 */
static void test_award_solve__curve_ties(void **state)
{
	static const bid_price_seg sb[] = { { 0, 10 * U }, { 100 * U, 8 * U } };
	bid_offer o[2] = { offer("B", 0, 2), offer("A", 9 * U, 1) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], sb, 2, 1);
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(cents(&s), 184000);
	assert_int_equal(qty_of(&s, o, "A"), 160 * U);
	assert_int_equal(qty_of(&s, o, "B"), 40 * U);
	assert_int_equal(tier_of(&s, o, "B"), 0);

	o[0].lead_days = 5;
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(cents(&s), 184000);
	assert_int_equal(qty_of(&s, o, "A"), 40 * U);
	assert_int_equal(qty_of(&s, o, "B"), 160 * U);
	assert_int_equal(tier_of(&s, o, "B"), 1);
	assert_true(s.lead_qty == (bid_i128)(5 * 160 + 7 * 40) * U);

	/* A's longer lead the same way round. */
	o[0].lead_days = 7;
	o[1].lead_days = 8;
	s = solve(o, 2, 200 * U, &r);
	assert_int_equal(qty_of(&s, o, "B"), 160 * U);
}

/*
 * All-units, incremental and flat in one part: 300 units, 2..3 vendors,
 * 10..60 % (30..180 each).  A all-units 5.00, from 150 4.20; B incremental
 * 4.80, from 100 3.80 (x >= 100 costs 100 + 3.80 x); C flat 4.60.
 *   {A,B} A 150 (630) + B 150 (670)           = 1,300  <- best
 *   {A,B} A 180 (756) + B 120 (556)           = 1,312
 *   {A,C} A 180 (756) + C 120 (552)           = 1,308
 *   {B,C} B 180 (784) + C 120 (552)           = 1,336
 *   {A,B,C} A 150 + B 120 + C 30 (138)        = 1,324
 * A stops at its break: beyond it B's 3.80 is cheaper.
 */
static void test_award_solve__mixed_curves(void **state)
{
	static const bid_price_seg sa[] = { { 0, 5 * U }, { 150 * U, 4 * U + U / 5 } };
	static const bid_price_seg sb[] = { { 0, 4 * U + 4 * U / 5 }, { 100 * U, 3 * U + 4 * U / 5 } };
	bid_offer o[3] = { offer("C", 4 * U + 3 * U / 5, 3), offer("A", 0, 1), offer("B", 0, 2) };
	bid_split_rules r = rules(2, 3, 10, 60, U);
	bid_split s;

	(void)state;
	curve(&o[1], sa, 2, 0);
	curve(&o[2], sb, 2, 1);
	s = solve(o, 3, 300 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(s.nvendors, 2);
	assert_int_equal(qty_of(&s, o, "A"), 150 * U);
	assert_int_equal(qty_of(&s, o, "B"), 150 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(tier_of(&s, o, "B"), 1);
	assert_int_equal(cents_of(&s, o, "A"), 63000);
	assert_int_equal(cents_of(&s, o, "B"), 67000);
	assert_int_equal(cents(&s), 130000);
	assert_int_equal(s.offer[0], 1);   /* by supplier id */
	assert_int_equal(s.offer[1], 2);
}

/*
 * MOQ and offered maximum against the breaks.  A max of 90 leaves A's
 * 100-unit break out of reach (A 25 at 10.00, B 100 at 9.50: 1,200.00).
 * A MOQ of 50 lifts A onto its 50-unit break (9.50): A 50 (475) + B 50 at
 * 9.00 (450) = 925.00, where without the MOQ A 20 + B 80 = 920.00.
 */
static void test_award_solve__curves_moq_max(void **state)
{
	static const bid_price_seg sa[] = { { 0, 10 * U }, { 100 * U, 9 * U } };
	static const bid_price_seg sm[] = { { 0, 10 * U }, { 50 * U, 9 * U + U / 2 } };
	bid_offer o[2] = { offer("A", 0, 1), offer("B", 9 * U + U / 2, 2) };
	bid_split_rules r = rules(2, 2, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], sa, 2, 0);
	o[0].max_qty = 90 * U;
	s = solve(o, 2, 125 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 25 * U);
	assert_int_equal(qty_of(&s, o, "B"), 100 * U);
	assert_int_equal(tier_of(&s, o, "A"), 0);
	assert_int_equal(cents(&s), 120000);

	curve(&o[0], sm, 2, 0);
	o[0].max_qty = UNL;
	o[1].unit_cost = 9 * U;
	s = solve(o, 2, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 20 * U);
	assert_int_equal(cents(&s), 92000);
	o[0].min_qty = 50 * U;
	s = solve(o, 2, 100 * U, &r);
	assert_int_equal(qty_of(&s, o, "A"), 50 * U);
	assert_int_equal(qty_of(&s, o, "B"), 50 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(cents(&s), 92500);
}

/* The shortfall phases price by the curves too. */
static void test_award_solve__curves_shortfall(void **state)
{
	static const bid_price_seg s1[] = { { 0, 3 * U }, { 10 * U, 2 * U } };
	static const bid_price_seg sa[] = { { 0, 2 * U }, { 60 * U, 1 * U } };
	static const bid_price_seg sr[] = { { 0, 1 * U }, { 5 * U, 3 * U } };
	bid_offer o[3] = { offer("A", 0, 1), offer("B", U + U / 2, 2), offer("C", 3 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	/* C, one source: 25 units incremental = 10 × 3 + 15 × 2 = 60. */
	(void)state;
	curve(&o[0], s1, 2, 1);
	s = solve(o, 1, 25 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.qty[0], 25 * U);
	assert_int_equal(s.tier[0], 1);
	assert_int_equal(cents(&s), 6000);
	assert_string_equal(s.reason,
	                    "only 1 independent eligible source (min 2); shares relaxed");

	/* B, three vendors at 34 % cannot be: two sources, 34..80 %.  A
	 * all-units 2.00, from 60 1.00: A 66 (66) + B 34 at 1.50 (51) = 117. */
	curve(&o[0], sa, 2, 0);
	r = rules(3, 3, 34, 80, U);
	s = solve(o, 3, 100 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(s.nsources, 2);
	assert_int_equal(qty_of(&s, o, "A"), 66 * U);
	assert_int_equal(qty_of(&s, o, "B"), 34 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(cents(&s), 11700);
	assert_string_equal(s.reason, "no split of 3 vendors fits the share and quantity rules; "
	                              "2 sources awarded");

	/* C with shares relaxed and a price that rises: A incremental 1.00 up
	 * to 5, 3.00 after; B 2.00, at most 2 units; 10 units, 20..50 % (A
	 * 5 + B 2 < 10).  Shares off: A 8 (5 + 9) + B 2 (4) = 18 beats
	 * A 9 (17) + B 1 (2) = 19. */
	curve(&o[0], sr, 2, 1);
	o[1].unit_cost = 2 * U;
	o[1].max_qty = 2 * U;
	r = rules(2, 3, 20, 50, U);
	s = solve(o, 2, 10 * U, &r);
	assert_int_equal(s.status, BID_SPLIT_SHORTFALL);
	assert_int_equal(qty_of(&s, o, "A"), 8 * U);
	assert_int_equal(qty_of(&s, o, "B"), 2 * U);
	assert_int_equal(tier_of(&s, o, "A"), 1);
	assert_int_equal(cents(&s), 1800);
	assert_string_equal(s.reason, "no split of 2..3 vendors fits the share and quantity "
	                              "rules; shares relaxed");
}

/* Degenerate curves cost what the flat price does. */
static void test_award_solve__flat_curves(void **state)
{
	static const bid_price_seg one[] = { { 0, 2 * U } };
	static const bid_price_seg same[] = { { 0, 2 * U }, { 30 * U, 2 * U }, { 70 * U, 2 * U } };
	bid_offer o[3] = { offer("A", 2 * U, 1), offer("B", 3 * U, 2), offer("C", 4 * U, 3) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split flat = solve(o, 3, 100 * U, &r), s;
	int inc;

	(void)state;
	for (inc = 0; inc <= 1; inc++) {
		curve(&o[0], one, 1, inc);
		s = solve(o, 3, 100 * U, &r);
		assert_same_award(&s, o, &flat, o);
		curve(&o[0], same, 3, inc);
		s = solve(o, 3, 100 * U, &r);
		assert_true(s.cost == flat.cost);
		assert_int_equal(qty_of(&s, o, "A"), 80 * U);
		assert_int_equal(tier_of(&s, o, "A"), 2);
	}
	/* With segments unit_cost is not read. */
	o[0].unit_cost = 99 * U;
	s = solve(o, 3, 100 * U, &r);
	assert_true(s.cost == flat.cost);
}

static void test_award_solve__invalid_segments(void **state)
{
	static const bid_price_seg nz[] = { { U, U } };
	static const bid_price_seg dup[] = { { 0, U }, { 5 * U, U }, { 5 * U, U } };
	static const bid_price_seg down[] = { { 0, U }, { 5 * U, U }, { 4 * U, U } };
	static const bid_price_seg frac[] = { { 0, U }, { 5 * U + 1, U } };
	static const bid_price_seg neg[] = { { 0, U }, { 5 * U, -1 } };
	static const bid_price_seg ok[] = { { 0, U }, { 1, U }, { 2, U }, { 3, U }, { 4, U },
	                                    { 5, U }, { 6, U }, { 7, U }, { 8, U } };
	bid_offer o[2] = { offer("A", U, 1), offer("B", U, 2) };
	bid_split_rules r = rules(2, 3, 20, 80, U);
	bid_split s;

	(void)state;
	curve(&o[0], nz, 1, 0);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	curve(&o[0], dup, 3, 0);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	curve(&o[0], down, 3, 1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	curve(&o[0], frac, 2, 0);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	r.step = 1;   /* 5.000001 is a multiple of a step of one millionth */
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), 0);
	r.step = U;
	curve(&o[0], neg, 2, 0);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	curve(&o[0], ok, 8, 2);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	r.step = 1;
	curve(&o[0], ok, 8, 1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), 0);
	curve(&o[0], ok, 9, 1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	curve(&o[0], ok, -1, 1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), -1);
	/* NULL segments or none: one price, whatever `incremental` says. */
	curve(&o[0], NULL, 3, 7);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), 0);
	curve(&o[0], ok, 0, 7);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 10 * U, &r), 0);
}

/*
 * Near the 64-bit limits: A, B and C cost 0 per unit below 2^61 and
 * INT64_MAX per unit from there on (the incremental base of that segment
 * is about -2^124); D costs INT64_MAX - 1 flat.  Incremental, 2^61 units
 * cost 0 (the band from 2^61 is not entered); all-units only 2^61 - 1 do.
 * A, B and C take their free units, D the rest; exact and free of
 * overflow.
 */
static void test_award_solve__curves_extreme(void **state)
{
	static const bid_price_seg up[] = { { 0, 0 }, { (int64_t)1 << 61, INT64_MAX } };
	bid_offer o[4] = { offer("A", 0, 1), offer("B", 0, 2), offer("C", 0, 3),
	                   offer("D", INT64_MAX - 1, 4) };
	bid_split_rules r = rules(2, 4, 0, 100, 1);
	bid_split s;
	int64_t q = INT64_MAX - 7, h = (int64_t)1 << 61;
	int inc;

	(void)state;
	for (inc = 0; inc <= 1; inc++) {
		int64_t fr = inc ? h : h - 1, rest = q - 3 * fr;
		curve(&o[0], up, 2, inc);
		curve(&o[1], up, 2, inc);
		curve(&o[2], up, 2, inc);
		s = solve(o, 4, q, &r);
		assert_int_equal(s.status, BID_SPLIT_AWARDED);
		assert_int_equal(qty_of(&s, o, "A"), fr);
		assert_int_equal(qty_of(&s, o, "B"), fr);
		assert_int_equal(qty_of(&s, o, "C"), fr);
		assert_int_equal(tier_of(&s, o, "C"), 0);   /* incremental: band 1 empty */
		assert_int_equal(qty_of(&s, o, "D"), rest);
		assert_true(s.cost == (bid_i128)(INT64_MAX - 1) * rest);
		assert_true(s.line_cost[3] == s.cost);
	}
	/* 2^61 + 1 units from A alone: incremental one unit at INT64_MAX,
	 * all-units every unit. */
	r = rules(1, 1, 0, 100, 1);
	curve(&o[0], up, 2, 1);
	s = solve(o, 1, h + 1, &r);
	assert_true(s.cost == (bid_i128)INT64_MAX);
	assert_int_equal(s.tier[0], 1);
	curve(&o[0], up, 2, 0);
	s = solve(o, 1, h + 1, &r);
	assert_true(s.cost == (bid_i128)INT64_MAX * (h + 1));
}

/* splitmix64: a fixed, portable stream for the random tests. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t pick(const int64_t *v, size_t n)
{
	return v[rnd() % n];
}

/* Two splits award the same quantities to the same suppliers. */
static void assert_same_award(const bid_split *a, const bid_offer *oa,
                              const bid_split *b, const bid_offer *ob)
{
	int i;

	assert_int_equal(a->status, b->status);
	assert_int_equal(a->nvendors, b->nvendors);
	assert_int_equal(a->nsources, b->nsources);
	assert_true(a->cost == b->cost);
	assert_true(a->lead_qty == b->lead_qty);
	assert_string_equal(a->reason, b->reason);
	for (i = 0; i < a->nvendors; i++) {
		assert_string_equal(oa[a->offer[i]].supplier, ob[b->offer[i]].supplier);
		assert_int_equal(a->qty[i], b->qty[i]);
		assert_int_equal(a->tier[i], b->tier[i]);
		assert_true(a->line_cost[i] == b->line_cost[i]);
	}
}

static void shuffle(bid_offer *o, size_t n)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)(rnd() % i);
		bid_offer t = o[i - 1];
		o[i - 1] = o[j];
		o[j] = t;
	}
}

static void test_award_solve__input_order_independent(void **state)
{
	static const char *ids[] = { "S9", "S10", "s1", "A", "AB" };
	bid_offer o[5], p[5];
	bid_split_rules r = rules(2, 3, 10, 80, U);
	bid_split a, b;
	int i, round;

	(void)state;
	rng_state = 7;
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 5; i++) {
			o[i] = offer(ids[i], (int64_t)(1 + rnd() % 2) * U, (int32_t)(rnd() % 3));
			o[i].lead_days = rnd() % 2 ? 4 : INT32_MAX;
			o[i].max_qty = rnd() % 3 ? UNL : (int64_t)(2 + rnd() % 5) * U;
		}
		a = solve(o, 5, 10 * U, &r);
		for (i = 0; i < 20; i++) {
			memcpy(p, o, sizeof(o));
			shuffle(p, 5);
			b = solve(p, 5, 10 * U, &r);
			assert_same_award(&a, o, &b, p);
		}
	}
}

/* The same with price curves: random tiers with many ties, both kinds. */
static void test_award_solve__curves_order_independent(void **state)
{
	static const char *ids[] = { "S9", "S10", "s1", "A", "AB", "a" };
	bid_offer o[6], p[6];
	bid_price_seg sg[6][3];
	bid_split_rules r = rules(2, 3, 10, 80, U);
	bid_split a, b;
	int i, k, round;

	(void)state;
	rng_state = 11;
	for (round = 0; round < 100; round++) {
		for (i = 0; i < 6; i++) {
			o[i] = offer(ids[i], 0, (int32_t)(rnd() % 4));
			o[i].lead_days = rnd() % 2 ? 4 : INT32_MAX;
			o[i].max_qty = rnd() % 3 ? UNL : (int64_t)(4 + rnd() % 10) * U;
			sg[i][0].from_qty = 0;
			sg[i][0].unit_cost = (int64_t)(2 + rnd() % 2) * U;
			for (k = 1; k < 3; k++) {
				sg[i][k].from_qty = sg[i][k - 1].from_qty + (int64_t)(2 + rnd() % 6) * U;
				sg[i][k].unit_cost = sg[i][k - 1].unit_cost - (int64_t)(rnd() % 2) * U / 2;
			}
			curve(&o[i], sg[i], (int)(rnd() % 4), (int)(rnd() % 2));
		}
		a = solve(o, 6, 20 * U, &r);
		assert_int_equal(a.status, BID_SPLIT_AWARDED);
		for (i = 0; i < 20; i++) {
			memcpy(p, o, sizeof(o));
			shuffle(p, 6);
			b = solve(p, 6, 20 * U, &r);
			assert_same_award(&a, o, &b, p);
		}
	}
}

static void test_award_solve__invalid_arguments(void **state)
{
	bid_offer o[65];
	bid_split_rules r = rules(2, 3, 20, 80, U), bad;
	bid_split s;
	char ids[65][16];
	int i;

	(void)state;
	for (i = 0; i < 65; i++) {
		snprintf(ids[i], sizeof(ids[i]), "S%d", i);
		o[i] = offer(ids[i], U, i);
	}
	assert_int_equal(bid_award__solve_part(&s, o, 64, 100 * U, &r), 0);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(bid_award__solve_part(&s, o, 65, 100 * U, &r), -1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 0, &r), -1);
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, NULL), -1);
	bad = r, bad.min_vendors = 0;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	bad = r, bad.max_vendors = 1;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	bad = r, bad.max_vendors = BID_SPLIT_MAX_VENDORS + 1;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	bad = r, bad.max_share = 100 * PCT + 1;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	bad = r, bad.min_share = 90 * PCT;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	bad = r, bad.step = 0;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &bad), -1);
	o[1].supplier = "S0";
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &r), -1);
	o[1].supplier = ids[1];
	o[1].unit_cost = -1;
	assert_int_equal(bid_award__solve_part(&s, o, 2, 100 * U, &r), -1);
}

static void test_award_solve__extreme_numbers(void **state)
{
	bid_offer o[3] = { offer("A", INT64_MAX, 1), offer("B", INT64_MAX - 1, 2),
	                   offer("C", 0, 3) };
	bid_split_rules r = rules(2, 8, 0, 100, 1);
	bid_split s;
	int64_t q = INT64_MAX - 7;

	/* Near the 64-bit limits everything is still exact (and UB-free). */
	(void)state;
	o[0].min_qty = INT64_MAX;
	o[0].lead_days = INT32_MAX;
	o[1].lead_days = INT32_MAX;
	o[2].max_qty = 3;
	s = solve(o, 3, q, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "B"), q - 3);
	assert_int_equal(qty_of(&s, o, "C"), 3);
	assert_true(s.cost == (bid_i128)(INT64_MAX - 1) * (q - 3));
	assert_true(s.lead_qty == (bid_i128)INT32_MAX * (q - 3) + (bid_i128)7 * 3);

	/* The largest demand there is, with share bounds that round. */
	r = rules(2, 3, 20, 80, 1);
	o[2].max_qty = UNL;
	s = solve(o, 3, INT64_MAX, &r);
	assert_int_equal(s.status, BID_SPLIT_AWARDED);
	assert_int_equal(qty_of(&s, o, "C"), (int64_t)((bid_i128)INT64_MAX * 8 / 10));
	assert_int_equal(qty_of(&s, o, "B"), INT64_MAX - (int64_t)((bid_i128)INT64_MAX * 8 / 10));
}

/*
 * The brute-force reference.  It knows nothing of lo/hi or sets: it walks
 * every allocation vector that adds up to Q (each x_j 0 or a multiple of
 * step), checks the rules on the raw numbers, and keeps per mode and per
 * "at least s sources" the best vector by the total order.
 */
#define RN 7
#define RS 8

typedef struct ref_best {
	int      found;
	int64_t  x[RN];
	bid_i128 cost, lead;
} ref_best;

typedef struct ref {
	const bid_offer *o;
	size_t           n, byid[RN];
	int64_t          q, step;
	bid_split_rules  r;
	int64_t          x[RN];
	ref_best         on[RS + 1], off[RS + 1];   /* [s]: at least s sources */
} ref;

/*
 * The cost of x units by the definition in award_solve.h, written
 * independently of the solver: all-units looks the tier up, incremental
 * adds up the units of [0, x) that fall in each band.
 */
static bid_i128 ref_cost(const bid_offer *o, int64_t x)
{
	bid_i128 c = 0;
	int k;

	if (!o->segs || o->nsegs == 0)
		return (bid_i128)o->unit_cost * x;
	if (!o->incremental) {
		for (k = o->nsegs - 1; o->segs[k].from_qty > x; k--)
			;
		return (bid_i128)o->segs[k].unit_cost * x;
	}
	for (k = 0; k < o->nsegs; k++) {
		int64_t a = o->segs[k].from_qty;
		int64_t b = k + 1 < o->nsegs && o->segs[k + 1].from_qty < x ? o->segs[k + 1].from_qty : x;
		if (b > a)
			c += (bid_i128)o->segs[k].unit_cost * (b - a);
	}
	return c;
}

/* The tier of x: all-units the highest segment with from_qty <= x, the
 * one that prices it; incremental the highest band with a unit of [0, x)
 * in it, from_qty < x. */
static int ref_tier(const bid_offer *o, int64_t x)
{
	int k;

	if (!o->segs || o->nsegs == 0)
		return 0;
	for (k = o->nsegs - 1; k > 0 && (o->segs[k].from_qty > x ||
	                                 (o->incremental && o->segs[k].from_qty == x)); k--)
		;
	return k;
}

/* Is x (cost c, lead l) better than b by the total order? */
static int ref_better(const ref *f, bid_i128 c, bid_i128 l, const ref_best *b)
{
	size_t i;

	if (!b->found)
		return 1;
	if (c != b->cost)
		return c < b->cost;
	if (l != b->lead)
		return l < b->lead;
	for (i = 0; i < f->n; i++) {
		size_t j = f->byid[i];
		if (f->x[j] != b->x[j])
			return f->x[j] > b->x[j];
	}
	return 0;
}

static void ref_keep(const ref *f, ref_best *b, bid_i128 c, bid_i128 l)
{
	if (ref_better(f, c, l, b)) {
		b->found = 1;
		b->cost = c;
		b->lead = l;
		memcpy(b->x, f->x, sizeof(f->x));
	}
}

static void ref_check(ref *f)
{
	int32_t groups[RN];
	int k = 0, s = 0, on = 1, off = 1, t;
	bid_i128 c = 0, l = 0;
	size_t j;

	for (j = 0; j < f->n; j++) {
		const bid_offer *o = &f->o[j];
		int64_t x = f->x[j];
		int seen = 0;

		if (x == 0)
			continue;
		k++;
		for (t = 0; t < s; t++)
			seen |= groups[t] == o->group;
		if (!seen)
			groups[s++] = o->group;
		if (x < o->min_qty || x > o->max_qty)
			off = on = 0;
		if ((bid_i128)x * U < (bid_i128)f->q * f->r.min_share ||
		    (bid_i128)x * U > (bid_i128)f->q * f->r.max_share)
			on = 0;
		c += ref_cost(o, x);
		l += (bid_i128)o->lead_days * x;
	}
	if (k > f->r.max_vendors)
		return;
	for (t = 1; t <= s; t++) {
		if (on)
			ref_keep(f, &f->on[t], c, l);
		if (off)
			ref_keep(f, &f->off[t], c, l);
	}
}

static void ref_walk(ref *f, size_t j, int64_t rest)
{
	int64_t x;

	if (j + 1 == f->n) {
		f->x[j] = rest;
		ref_check(f);
		return;
	}
	for (x = 0; x <= rest; x += f->step) {
		f->x[j] = x;
		ref_walk(f, j + 1, rest - x);
	}
}

/* The phases by the book: A, then B (s = mv-1..2), then C (s = mv..1). */
static const ref_best *ref_solve(ref *f, bid_split_status *status)
{
	int s, mv = f->r.min_vendors;

	memset(f->on, 0, sizeof(f->on));
	memset(f->off, 0, sizeof(f->off));
	if (f->n > 0)
		ref_walk(f, 0, f->q);
	*status = BID_SPLIT_AWARDED;
	if (f->on[mv].found)
		return &f->on[mv];
	*status = BID_SPLIT_SHORTFALL;
	for (s = mv - 1; s >= 2; s--)
		if (f->on[s].found)
			return &f->on[s];
	for (s = mv; s >= 1; s--)
		if (f->off[s].found)
			return &f->off[s];
	*status = BID_SPLIT_UNAWARDED;
	return NULL;
}

/*
 * One random part, solved and checked against the reference.  With
 * `curves`, about three offers in four get 1-3 segments (breaks 1-5 units
 * apart, some beyond demand), all-units or incremental at random, prices
 * from the same small pool as the flat ones, so prices rise as well as
 * fall and ties within and across offers are common.  Without, the random
 * stream is the one the flat tests have always used.
 */
static void brute_one(int iter, int big, int curves, int *by_status)
{
	static const char *pool[] = { "a", "b", "B", "ab", "a0", "z", "S10", "S9" };
	static const int64_t minsh[] = { 0, 10 * PCT, 20 * PCT, 34 * PCT };
	static const int64_t maxsh[] = { 50 * PCT, 80 * PCT, 100 * PCT };
	static const int64_t costs[] = { 0, 1 * U, 1 * U, 2 * U, 2 * U, 3 * U, 1500001 };
	static const int32_t leads[] = { 1, 2, 2, INT32_MAX };
	const char *names[8];
	bid_offer o[RN], p[RN];
	bid_price_seg segs[RN][3];
	bid_split got, shuffled;
	bid_split_status want;
	const ref_best *best;
	ref f;
	int64_t u;
	size_t n, i;
	int v;

	n = big ? (size_t)(6 + rnd() % 2) : (size_t)(rnd() % 6);
	memset(&f, 0, sizeof(f));
	/* Whole units mostly; millionths (step 1) with tiny demands too,
	 * where every share rounds. */
	f.step = rnd() % 4 ? U : 1;
	u = f.step;
	f.q = (int64_t)(1 + rnd() % (big ? 8 : 12)) * u;
	f.r.min_vendors = 1 + (int)(rnd() % 3);
	f.r.max_vendors = f.r.min_vendors +
	                  (int)(rnd() % (unsigned)((big ? 6 : 4) - f.r.min_vendors));
	f.r.min_share = minsh[rnd() % 4];
	f.r.max_share = maxsh[rnd() % 3];
	f.r.step = f.step;

	memcpy(names, pool, sizeof(names));
	memset(o, 0, sizeof(o));
	for (i = 0; i < n; i++) {
		size_t j = i + (size_t)(rnd() % (8 - i));
		const char *t = names[i];
		int64_t mq[] = { 0, 0, u, 2 * u, 3 * u, 5 * u, 13 * u, u + u / 2 };
		int64_t xq[] = { UNL, UNL, u, 2 * u, 3 * u, 4 * u, 6 * u, 9 * u, 2 * u + u / 2 };

		names[i] = names[j];
		names[j] = t;
		o[i].supplier = names[i];
		o[i].unit_cost = pick(costs, 7);
		o[i].lead_days = leads[rnd() % 4];
		o[i].group = (int32_t)(rnd() % 4);
		o[i].min_qty = pick(mq, 8);
		o[i].max_qty = pick(xq, 9);
		if (curves && rnd() % 4 != 0) {
			int k, m = 1 + (int)(rnd() % 3);
			segs[i][0].from_qty = 0;
			segs[i][0].unit_cost = o[i].unit_cost;
			for (k = 1; k < m; k++) {
				segs[i][k].from_qty = segs[i][k - 1].from_qty +
				                      (int64_t)(1 + rnd() % 5) * u;
				segs[i][k].unit_cost = pick(costs, 7);
			}
			curve(&o[i], segs[i], m, (int)(rnd() % 2));
			/* unit_cost is not read with segments: make that visible. */
			o[i].unit_cost = (int64_t)(rnd() % 3) * U;
		}
	}
	f.o = o;
	f.n = n;
	/* Offer indexes in ascending supplier id, for the third key. */
	for (i = 0; i < n; i++) {
		size_t j;
		for (j = i; j > 0 && strcmp(o[f.byid[j - 1]].supplier, o[i].supplier) > 0; j--)
			f.byid[j] = f.byid[j - 1];
		f.byid[j] = i;
	}

	best = ref_solve(&f, &want);
	got = solve(o, n, f.q, &f.r);
	if (got.status != want)
		fail_msg("instance %d%s: status %d, reference %d (%s)", iter,
		         curves ? " (curves)" : "", got.status, want, got.reason);
	if (best) {
		bid_i128 sum = 0;
		if (got.cost != best->cost)
			fail_msg("instance %d%s: cost differs from the reference", iter,
			         curves ? " (curves)" : "");
		assert_true(got.lead_qty == best->lead);
		for (i = 0; i < n; i++) {
			int64_t q = qty_of(&got, o, o[i].supplier);
			if (q != best->x[i])
				fail_msg("instance %d%s: %s gets %lld, reference %lld", iter,
				         curves ? " (curves)" : "", o[i].supplier, (long long)q,
				         (long long)best->x[i]);
		}
		for (v = 0; v < got.nvendors; v++) {
			const bid_offer *w = &o[got.offer[v]];
			assert_int_equal(got.tier[v], ref_tier(w, got.qty[v]));
			assert_true(got.line_cost[v] == ref_cost(w, got.qty[v]));
			sum += got.line_cost[v];
			if (v > 0)
				assert_true(strcmp(o[got.offer[v - 1]].supplier, w->supplier) < 0);
		}
		assert_true(sum == got.cost);
	} else {
		assert_int_equal(got.nvendors, 0);
		assert_true(got.reason[0] != '\0');
	}
	if (want == BID_SPLIT_AWARDED)
		assert_string_equal(got.reason, "");
	else
		assert_true(got.reason[0] != '\0');

	/* The same part with its offers shuffled. */
	memcpy(p, o, sizeof(o));
	shuffle(p, n);
	shuffled = solve(p, n, f.q, &f.r);
	assert_same_award(&got, o, &shuffled, p);

	by_status[want]++;
}

static void test_award_solve__brute_force_reference(void **state)
{
	int by_status[3] = { 0, 0, 0 }, iter;

	(void)state;
	rng_state = 20240611;
	/* 6,000 parts of up to 5 offers with up to 12 units, then 1,000
	 * larger ones (6 or 7 offers, up to 8 units, up to 5 vendors) where
	 * the pruning has more to cut. */
	for (iter = 0; iter < 7000; iter++)
		brute_one(iter, iter >= 6000, 0, by_status);
	printf("brute force: %d instances checked (%d awarded, %d shortfall, %d unawarded)\n",
	       iter, by_status[0], by_status[1], by_status[2]);
}

static void test_award_solve__brute_force_curves(void **state)
{
	int by_status[3] = { 0, 0, 0 }, iter;

	(void)state;
	rng_state = 20250301;
	/* 4,000 small parts and 1,000 larger ones, with price curves. */
	for (iter = 0; iter < 5000; iter++)
		brute_one(iter, iter >= 4000, 1, by_status);
	printf("brute force, curves: %d instances checked (%d awarded, %d shortfall, "
	       "%d unawarded)\n", iter, by_status[0], by_status[1], by_status[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_award_solve__two_vendors_80_20),
		cmocka_unit_test(test_award_solve__two_beat_three),
		cmocka_unit_test(test_award_solve__three_beat_two),
		cmocka_unit_test(test_award_solve__moq_forces_other_set),
		cmocka_unit_test(test_award_solve__max_qty_limits),
		cmocka_unit_test(test_award_solve__count_units_fractional_share),
		cmocka_unit_test(test_award_solve__step_one),
		cmocka_unit_test(test_award_solve__single_offer_shortfall),
		cmocka_unit_test(test_award_solve__no_offer),
		cmocka_unit_test(test_award_solve__cannot_cover),
		cmocka_unit_test(test_award_solve__one_group_one_source),
		cmocka_unit_test(test_award_solve__shortfall_by_shares),
		cmocka_unit_test(test_award_solve__ties_lead_then_supplier),
		cmocka_unit_test(test_award_solve__input_order_independent),
		cmocka_unit_test(test_award_solve__invalid_arguments),
		cmocka_unit_test(test_award_solve__extreme_numbers),
		cmocka_unit_test(test_award_solve__all_units_break),
		cmocka_unit_test(test_award_solve__split_moves_to_break),
		cmocka_unit_test(test_award_solve__incremental),
		cmocka_unit_test(test_award_solve__published_incremental_breaks),
		cmocka_unit_test(test_award_solve__curve_ties),
		cmocka_unit_test(test_award_solve__mixed_curves),
		cmocka_unit_test(test_award_solve__curves_moq_max),
		cmocka_unit_test(test_award_solve__curves_shortfall),
		cmocka_unit_test(test_award_solve__flat_curves),
		cmocka_unit_test(test_award_solve__invalid_segments),
		cmocka_unit_test(test_award_solve__curves_extreme),
		cmocka_unit_test(test_award_solve__curves_order_independent),
		cmocka_unit_test(test_award_solve__brute_force_reference),
		cmocka_unit_test(test_award_solve__brute_force_curves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
