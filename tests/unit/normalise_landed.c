/*
 * normalise.c tests - the landed cost, factor by factor, against values
 * computed by hand (exact fractions, each factor rounded half-even to 6
 * places), price breaks, eligibility, and two properties: paying later
 * never costs more, and a round trip through another currency is exact
 * within the documented rounding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "normalise.h"

static char dbpath[256], rfqpath[256];
static bid_store *store;
static bid_round *round_;

#define D(x) ((bid_dec)((x) * 1000000LL))

static void set_policy(const char *key, const char *value)
{
	const char *k[1] = { key }, *v[1] = { value };
	bid_error err;
	assert_int_equal(bid_round_policy_set(round_, 1, k, v, &err), 0);
}

static int setup(void **state)
{
	bid_round_options o = BID_ROUND_OPTIONS_INIT;
	bid_error err;
	FILE *f;

	(void)state;
	setenv("BIDCMP_TODAY", "2026-12-01", 1);
	snprintf(dbpath, sizeof(dbpath), "/tmp/bidcmp-norm-%ld.db", (long)getpid());
	snprintf(rfqpath, sizeof(rfqpath), "/tmp/bidcmp-norm-%ld.csv", (long)getpid());
	unlink(dbpath);
	f = fopen(rfqpath, "w");
	assert_non_null(f);
	/* need by 2026-12-31: 30 days after the award date */
	fputs("part,description,quantity,unit,need_by\nP-1,bolts,1000,C62,2026-12-31\n"
	      "P-2,oil,500,LTR,2026-12-31\n", f);
	fclose(f);
	o.id = "N1";
	o.currency = "EUR";
	assert_int_equal(bid_store_open(&store, dbpath, NULL, &err), 0);
	assert_int_equal(bid_round_create(&round_, store, rfqpath, &o, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	char p[300];

	(void)state;
	bid_round_free(round_);
	bid_store_free(store);
	unlink(dbpath);
	unlink(rfqpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	return 0;
}

/* An offer of 12.00 EUR per 10 C62, ex works from China, with every factor. */
static bid_offer_row full_offer(void)
{
	bid_offer_row o;

	memset(&o, 0, sizeof(o));
	o.supplier = "S1";
	o.part = "P-1";
	o.unit = "C62";
	o.price = D(12);
	o.currency = "EUR";
	o.basis_qty = D(10);
	o.valid_until = BID_DATE_NONE;
	o.delivery_date = BID_DATE_NONE;
	o.incoterm = "EXW";
	o.origin = "CN";
	o.defect_ppm = D(500);
	o.has_ppm = 1;
	o.pay_days = 60;
	o.has_pay_days = 1;
	o.discount_pct = D(2);
	o.discount_days = 10;
	o.has_discount = 1;
	o.lead_days = 40;
	o.has_lead = 1;
	return o;
}

static void full_policy(void)
{
	set_policy("cost_of_capital_pct", "10");
	set_policy("freight_pct.EXW", "5");
	set_policy("duty_pct.CN", "3.5");
	set_policy("cost_per_defect", "20");
	set_policy("late_delivery", "penalty:0.10");
}

static void normalise(const bid_offer_row *o, bid_norm *n, bid_norm_ctx *ctx)
{
	bid_error err;

	assert_int_equal(bid_norm__init(ctx, round_, &err), 0);
	assert_int_equal(bid_normalise__offer(ctx, bid_round_part_at(round_, 0), o, n, &err), 0);
}

/*
 * By hand: goods 12/10 = 1.2; freight 5 % = 0.06; duty 3.5 % of 1.26 =
 * 0.0441; payment: net 60 days at 10 %: 1.2 × 36500/37100 = 1.180593,
 * or 2 % off in 10 days: 1.176 × 36500/36600 = 1.172787 (cheaper, taken),
 * so −0.027213; quality 500 ppm × 20 = 0.01; late 40 − 30 = 10 days ×
 * 0.10 = 1.00.  Total 2.286887.
 */
static void test_normalise_landed__every_factor_by_hand(void **state)
{
	bid_offer_row o = full_offer();
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	full_policy();
	normalise(&o, &n, &ctx);
	assert_true(n.eligible);
	assert_int_equal(n.landed.goods, 1200000);
	assert_int_equal(n.landed.freight, 60000);
	assert_int_equal(n.landed.duty, 44100);
	assert_int_equal(n.landed.payment, -27213);
	assert_true(n.took_discount);
	assert_int_equal(n.landed.quality, 10000);
	assert_int_equal(n.days_late, 10);
	assert_int_equal(n.landed.late, 1000000);
	assert_int_equal(n.landed.total, 2286887);
	assert_int_equal(n.unit_cost, 2286887);
	assert_int_equal(n.landed.total, n.landed.goods + n.landed.freight + n.landed.duty +
	                 n.landed.payment + n.landed.quality + n.landed.late);
	bid_norm__free(&ctx);
}

static void test_normalise_landed__early_payment_policies(void **state)
{
	bid_offer_row o = full_offer();
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	full_policy();
	set_policy("early_payment", "ignore");      /* net 60 days: 1.180593 */
	normalise(&o, &n, &ctx);
	assert_false(n.took_discount);
	assert_int_equal(n.landed.payment, 1180593 - 1200000);
	bid_norm__free(&ctx);
	set_policy("early_payment", "take");
	normalise(&o, &n, &ctx);
	assert_true(n.took_discount);
	assert_int_equal(n.landed.payment, 1172787 - 1200000);
	bid_norm__free(&ctx);
}

/* The same price breaks, by hand: 10.80 per 10 from 100 C62 → 2.159198. */
static void test_normalise_landed__price_breaks_carry_every_factor(void **state)
{
	bid_offer_row o = full_offer();
	bid_tier t[1] = { { D(100), D(10.8), { 0, 0 } } };
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	full_policy();
	o.tiers = t;
	o.ntiers = 1;
	normalise(&o, &n, &ctx);
	assert_true(n.eligible);
	assert_int_equal(n.ntiers, 2);
	assert_int_equal(n.tier_from[0], 0);
	assert_int_equal(n.tier_from[1], D(100));
	assert_int_equal(n.tier_cost[0].total, 2286887);
	assert_int_equal(n.tier_cost[1].total, 2159198);
	bid_norm__free(&ctx);
}

/* Breaks in another unit: from 10 DZN = from 120 C62, per dozen prices. */
static void test_normalise_landed__tiers_times_units(void **state)
{
	bid_offer_row o;
	bid_tier t[2] = { { D(10), D(9), { 0, 0 } }, { D(50), D(8.4), { 0, 0 } } };
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.supplier = "S2";
	o.part = "P-1";
	o.unit = "DZN";
	o.price = D(9.6);
	o.currency = "EUR";
	o.basis_qty = D(1);
	o.valid_until = o.delivery_date = BID_DATE_NONE;
	o.tiers = t;
	o.ntiers = 2;
	normalise(&o, &n, &ctx);
	assert_true(n.eligible);
	assert_int_equal(n.unit_num, 1);
	assert_int_equal(n.unit_den, 12);
	assert_int_equal(n.ntiers, 3);
	assert_int_equal(n.tier_from[1], D(120));
	assert_int_equal(n.tier_from[2], D(600));
	assert_int_equal(n.tier_cost[0].total, 800000);   /* 9.60 / 12 */
	assert_int_equal(n.tier_cost[1].total, 750000);   /* 9.00 / 12 */
	assert_int_equal(n.tier_cost[2].total, 700000);   /* 8.40 / 12 */
	bid_norm__free(&ctx);
}

static void test_normalise_landed__ineligible_with_reasons(void **state)
{
	bid_offer_row o = full_offer();
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	full_policy();
	set_policy("late_delivery", "ineligible");
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "delivers on 2027-01-10, 10 days after the need-by date 2026-12-31");
	bid_norm__free(&ctx);

	set_policy("late_delivery", "penalty:0.10");
	set_policy("max_defect_ppm", "400");
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "defect rate 500 ppm is above the round's maximum of 400 ppm");
	bid_norm__free(&ctx);

	set_policy("max_defect_ppm", "");
	set_policy("required_certificates", "ISO9001,RoHS");
	o.certificates = "ISO9001";
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "no RoHS certificate (the round requires ISO9001,RoHS)");
	bid_norm__free(&ctx);
	o.certificates = "RoHS,ISO9001,CE";
	normalise(&o, &n, &ctx);
	assert_true(n.eligible);
	bid_norm__free(&ctx);

	o.valid_until = 20787;    /* 2026-11-30, the day before the award */
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "quote expired on 2026-11-30");
	bid_norm__free(&ctx);

	o = full_offer();
	o.currency = "CHF";
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "no exchange rate from CHF to EUR on or before 2026-12-01");
	bid_norm__free(&ctx);

	o = full_offer();
	o.unit = "KGM";
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_non_null(strstr(n.reason, "cannot convert"));
	bid_norm__free(&ctx);
}

/* The award date comes from the policy when it is set. */
static void test_normalise_landed__award_date_from_policy(void **state)
{
	bid_offer_row o = full_offer();
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	full_policy();
	set_policy("award_date", "2026-11-21");     /* 40 days of lead: arrives 12-31, in time */
	normalise(&o, &n, &ctx);
	assert_int_equal(n.days_late, 0);
	assert_int_equal(n.landed.late, 0);
	assert_int_equal(n.landed.total, 2286887 - 1000000);
	bid_norm__free(&ctx);
}

/*
 * Charges by hand: 2.50 EUR per piece; the line carries 50.00 of charges
 * for its 200 pieces (0.25 a piece) and the quote 120.00 over lines worth
 * 2,400.00 (5 % of goods: 0.125) -> 2.875.  In dozens the line charge is
 * per dozen quoted: 24.00 for 100 DZN is 0.02 a piece.
 */
static void test_normalise_landed__charges_spread_per_unit(void **state)
{
	bid_offer_row o;
	bid_norm_ctx ctx;
	bid_norm n;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.supplier = "S3";
	o.part = "P-1";
	o.unit = "C62";
	o.price = D(2.5);
	o.currency = "EUR";
	o.basis_qty = D(1);
	o.valid_until = o.delivery_date = BID_DATE_NONE;
	o.qty = D(200);
	o.has_qty = 1;
	o.line_charges = D(50);
	o.has_line_charges = 1;
	o.quote_charges = D(120);
	o.has_quote_charges = 1;
	o.quote_charges_currency = "EUR";
	o.quote_value = D(2400);
	o.quote_value_currency = "EUR";
	normalise(&o, &n, &ctx);
	assert_true(n.eligible);
	assert_int_equal(n.landed.goods, 2500000);
	assert_int_equal(n.landed.charges, 250000 + 125000);
	assert_int_equal(n.landed.total, 2875000);
	bid_norm__free(&ctx);

	o.unit = "DZN";
	o.price = D(30);
	o.qty = D(100);
	o.line_charges = D(24);
	o.has_quote_charges = 0;
	normalise(&o, &n, &ctx);
	assert_int_equal(n.landed.goods, 2500000);
	assert_int_equal(n.landed.charges, 20000);
	bid_norm__free(&ctx);

	/* charges without a quantity to spread them over */
	o.has_qty = 0;
	normalise(&o, &n, &ctx);
	assert_false(n.eligible);
	assert_string_equal(n.reason, "line charges cannot be spread: the line states no quantity");
	bid_norm__free(&ctx);
}

/* Property: for any terms, a day more of credit never costs more. */
static void test_normalise_landed__later_payment_never_costs_more(void **state)
{
	bid_offer_row o = full_offer();
	bid_norm_ctx ctx;
	bid_norm n;
	bid_dec prev = INT64_MAX;
	int d;

	(void)state;
	full_policy();
	set_policy("early_payment", "ignore");
	o.price = D(987.654321);
	for (d = 0; d <= 720; d += 7) {
		o.pay_days = d;
		normalise(&o, &n, &ctx);
		assert_true(n.landed.total <= prev);
		prev = n.landed.total;
		bid_norm__free(&ctx);
	}
}

/* Property: EUR → GBP → EUR through exact rate fractions loses at most
 * the two roundings to 6 places. */
static void test_normalise_landed__currency_round_trip(void **state)
{
	bid_fx_factor to_gbp, to_eur;
	bid_error err;
	int64_t amounts[] = { 1, 999999, D(1), D(12.345678), D(1000000) };
	size_t i;

	(void)state;
	assert_int_equal(bid_fx_set(store, "EUR", "GBP", D(1.165), 20780, "test", &err), 0);
	assert_int_equal(bid_fx__factor(store, "EUR", "GBP", 20788, &to_gbp, &err), 0);
	assert_int_equal(bid_fx__factor(store, "GBP", "EUR", 20788, &to_eur, &err), 0);
	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		int64_t num1[2] = { amounts[i], to_gbp.num }, den1[1] = { to_gbp.den };
		bid_dec gbp, back;
		int64_t num2[2] = { 0, to_eur.num }, den2[1] = { to_eur.den };

		assert_int_equal(bid_dec_ratio(&gbp, num1, 2, den1, 1, &err), 0);
		num2[0] = gbp;
		assert_int_equal(bid_dec_ratio(&back, num2, 2, den2, 1, &err), 0);
		/* one rounding of ±0.5e-6 GBP, scaled by 1.165, plus one of ±0.5e-6 EUR */
		assert_true(back - amounts[i] <= 1 && amounts[i] - back <= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_normalise_landed__every_factor_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__early_payment_policies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__price_breaks_carry_every_factor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__tiers_times_units, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__ineligible_with_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__award_date_from_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__charges_spread_per_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__later_payment_never_costs_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_normalise_landed__currency_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
