/*
 * money_decimal.c - cmocka tests of the exact decimals in engine/money.c:
 * parse, format, half-even rounding, mul/div/ratio, currency minor units.
 * Uses only the public header; no float or double.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "bidcmp/money.h"

/* Parse text and expect value; fails the test with the message otherwise. */
static void ok(const char *text, bid_dec want)
{
	bid_error err;
	bid_dec v = 12345;
	int rc;

	bid_error_clear(&err);
	rc = bid_dec_parse_cstr(&v, text, &err);
	if (rc != 0)
		fail_msg("\"%s\": %s", text, err.msg);
	if (v != want)
		fail_msg("\"%s\": got %lld, want %lld", text, (long long)v, (long long)want);
}

/* Parse text and expect failure with code and a message containing msg. */
static void bad(const char *text, int code, const char *msg)
{
	bid_error err;
	bid_dec v = 777;
	int rc;

	bid_error_clear(&err);
	rc = bid_dec_parse_cstr(&v, text, &err);
	if (rc != code)
		fail_msg("\"%s\": rc %d, want %d (%s)", text, rc, code, err.msg);
	if (err.code != code || err.area != BID_AREA_ENGINE)
		fail_msg("\"%s\": err.code %d area %d", text, err.code, err.area);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.msg, msg);
	/* A failed parse leaves the output alone. */
	assert_int_equal(v, 777);
}

static const char *fmt(bid_dec v, int min_frac)
{
	static char buf[BID_DEC_FMT_MAX];
	return bid_dec_format(buf, sizeof(buf), v, min_frac);
}

static void test_money_decimal__parses_plain_forms(void **state)
{
	(void)state;
	ok("0", 0);
	ok("12", 12000000);
	ok("-0.5", -500000);
	ok("+0.5", 500000);
	ok("3.", 3000000);
	ok(".25", 250000);
	ok("-.25", -250000);
	ok("-0", 0);
	ok("007.5", 7500000);
	ok("0.000001", 1);
	ok("-0.000001", -1);
	ok("26.2475", 26247500);
	ok("  42 \t\n", 42000000);
	ok("1.123456000000", 1123456);   /* zeros past the scale are fine */
	ok("1.000000000000000000000000000000", 1000000);
}

static void test_money_decimal__parses_extremes(void **state)
{
	(void)state;
	ok("9223372036854.775807", INT64_MAX);
	ok("-9223372036854.775807", -INT64_MAX);
	ok("0000000000000000000000000000009223372036854.775807", INT64_MAX);
	bad("9223372036854.775808", BID_ERANGE, "number too large");
	bad("-9223372036854.775808", BID_ERANGE, "number too large");
	bad("9223372036855", BID_ERANGE, "number too large");
	bad("99999999999999999999999999999999999999999", BID_ERANGE, "number too large");
}

static void test_money_decimal__parses_length_not_nul(void **state)
{
	bid_dec v = 0;
	(void)state;
	/* Only len characters count: "12.5" out of "12.5xyz". */
	assert_int_equal(bid_dec_parse(&v, "12.5xyz", 4, NULL), 0);
	assert_int_equal(v, 12500000);
	assert_int_equal(bid_dec_parse(&v, "12.5xyz", 5, NULL), BID_EINVALID);
	assert_int_equal(bid_dec_parse(&v, "", 0, NULL), BID_EINVALID);
	assert_int_equal(bid_dec_parse(&v, NULL, 0, NULL), BID_EINVALID);
}

static void test_money_decimal__rejects_empty(void **state)
{
	(void)state;
	bad("", BID_EINVALID, "empty number");
	bad("   ", BID_EINVALID, "empty number");
	bad("-", BID_EINVALID, "no digits");
	bad(".", BID_EINVALID, "no digits");
	bad("+.", BID_EINVALID, "no digits");
}

static void test_money_decimal__rejects_exponent(void **state)
{
	(void)state;
	bad("1e3", BID_EINVALID, "exponent not allowed");
	bad("1E3", BID_EINVALID, "exponent not allowed");
	bad("2.5e-3", BID_EINVALID, "exponent not allowed");
	bad("1E+3", BID_EINVALID, "exponent not allowed");
	bad("1.1234567e5", BID_EINVALID, "exponent not allowed");
}

static void test_money_decimal__rejects_nan_inf(void **state)
{
	(void)state;
	bad("NaN", BID_EINVALID, "NaN");
	bad("nan", BID_EINVALID, "NaN");
	bad("inf", BID_EINVALID, "infinity");
	bad("-Infinity", BID_EINVALID, "infinity");
}

static void test_money_decimal__rejects_grouping(void **state)
{
	(void)state;
	bad("1,000", BID_EINVALID, "digit grouping not allowed");
	bad("1,000,000.50", BID_EINVALID, "digit grouping not allowed");
	bad("1 000", BID_EINVALID, "digit grouping not allowed");
	bad("1'000", BID_EINVALID, "digit grouping not allowed");
	bad("1\xc2\xa0" "000", BID_EINVALID, "digit grouping not allowed");
	bad("1\xe2\x80\xaf" "000", BID_EINVALID, "digit grouping not allowed");
}

static void test_money_decimal__rejects_decimal_comma(void **state)
{
	(void)state;
	bad("1,5", BID_EINVALID, "decimal comma not allowed: use '.'");
	bad("12,50", BID_EINVALID, "decimal comma not allowed");
	bad("1.000,50", BID_EINVALID, "decimal comma not allowed");
	bad(",5", BID_EINVALID, "decimal comma not allowed");
}

static void test_money_decimal__rejects_too_many_places(void **state)
{
	(void)state;
	bad("0.1234567", BID_EINVALID, "more than 6 decimal places");
	bad("1.0000001", BID_EINVALID, "more than 6 decimal places");
	bad("-0.0000005", BID_EINVALID, "more than 6 decimal places");
}

static void test_money_decimal__rejects_junk(void **state)
{
	(void)state;
	bad("1.2.3", BID_EINVALID, "more than one '.'");
	bad("$5", BID_EINVALID, "unexpected character '$'");
	bad("5 EUR", BID_EINVALID, "unexpected character ' '");
	bad("5EUR", BID_EINVALID, "unexpected character 'E'");   /* no exponent digits */
	bad("1e", BID_EINVALID, "unexpected character 'e'");
	bad("1.5 0", BID_EINVALID, "unexpected character ' '");
	bad("0x10", BID_EINVALID, "unexpected character 'x'");
	bad("+-5", BID_EINVALID, "unexpected character '-'");
	bad("5-", BID_EINVALID, "unexpected character '-'");
	bad("- 5", BID_EINVALID, "unexpected character ' '");
	bad("1\x01", BID_EINVALID, "unexpected byte 0x01");
}

static void test_money_decimal__formats(void **state)
{
	(void)state;
	assert_string_equal(fmt(0, 0), "0");
	assert_string_equal(fmt(0, 2), "0.00");
	assert_string_equal(fmt(-12500000, 0), "-12.5");
	assert_string_equal(fmt(3000000, 0), "3");
	assert_string_equal(fmt(1, 0), "0.000001");
	assert_string_equal(fmt(-1, 0), "-0.000001");
	assert_string_equal(fmt(1500000, 2), "1.50");
	assert_string_equal(fmt(1234567, 2), "1.234567");
	assert_string_equal(fmt(1000000, 6), "1.000000");
	assert_string_equal(fmt(1000000, 9), "1.000000");   /* clamped to 6 */
	assert_string_equal(fmt(1000000, -3), "1");         /* clamped to 0 */
	assert_string_equal(fmt(INT64_MAX, 0), "9223372036854.775807");
	assert_string_equal(fmt(-INT64_MAX, 0), "-9223372036854.775807");
	/* INT64_MIN is outside what parse makes, but format must not break. */
	assert_string_equal(fmt(INT64_MIN, 0), "-9223372036854.775808");
	assert_true(strlen(fmt(INT64_MIN, 6)) < BID_DEC_FMT_MAX);
}

static void test_money_decimal__format_truncates_safely(void **state)
{
	char buf[5];
	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(bid_dec_format(buf, sizeof(buf), -12500000, 0), buf);
	assert_string_equal(buf, "-12.");
	assert_ptr_equal(bid_dec_format(buf, 1, 5, 0), buf);
	assert_string_equal(buf, "");
	buf[0] = 'q';
	bid_dec_format(buf, 0, 5, 0);
	assert_int_equal(buf[0], 'q');
}

static void test_money_decimal__round_trips(void **state)
{
	static const bid_dec vals[] = {
		0, 1, -1, 10, 999999, 1000000, -1000001, 123456789, 26247500,
		INT64_MAX, -INT64_MAX, INT64_MAX - 1, 4611686018427387904LL,
	};
	char buf[BID_DEC_FMT_MAX];
	size_t i;
	int f;
	uint64_t x = 88172645463325252ULL;
	(void)state;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		for (f = 0; f <= 6; f++) {
			bid_dec back = 0;
			bid_dec_format(buf, sizeof(buf), vals[i], f);
			assert_int_equal(bid_dec_parse_cstr(&back, buf, NULL), 0);
			assert_int_equal(back, vals[i]);
		}
	/* And a few thousand pseudo-random values (xorshift, deterministic). */
	for (i = 0; i < 5000; i++) {
		bid_dec v, back = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (bid_dec)(x >> (1 + i % 40));
		if (i & 1)
			v = -v;
		bid_dec_format(buf, sizeof(buf), v, (int)(i % 7));
		assert_int_equal(bid_dec_parse_cstr(&back, buf, NULL), 0);
		assert_int_equal(back, v);
	}
}

static void test_money_decimal__round_half_even(void **state)
{
	(void)state;
	/* Ties to even at 0 digits. */
	assert_int_equal(bid_dec_round(500000, 0), 0);
	assert_int_equal(bid_dec_round(1500000, 0), 2000000);
	assert_int_equal(bid_dec_round(2500000, 0), 2000000);
	assert_int_equal(bid_dec_round(3500000, 0), 4000000);
	assert_int_equal(bid_dec_round(-500000, 0), 0);
	assert_int_equal(bid_dec_round(-1500000, 0), -2000000);
	assert_int_equal(bid_dec_round(-2500000, 0), -2000000);
	/* Not ties: nearest. */
	assert_int_equal(bid_dec_round(2500001, 0), 3000000);
	assert_int_equal(bid_dec_round(-2500001, 0), -3000000);
	assert_int_equal(bid_dec_round(2499999, 0), 2000000);
	/* The header's example and 2-digit ties. */
	assert_int_equal(bid_dec_round(1235000, 2), 1240000);
	assert_int_equal(bid_dec_round(1245000, 2), 1240000);
	assert_int_equal(bid_dec_round(-1245000, 2), -1240000);
	assert_int_equal(bid_dec_round(-1255000, 2), -1260000);
	assert_int_equal(bid_dec_round(1234567, 5), 1234570);
	assert_int_equal(bid_dec_round(1234565, 5), 1234560);
	assert_int_equal(bid_dec_round(1234567, 6), 1234567);
	assert_int_equal(bid_dec_round(1234567, 9), 1234567);
}

static void test_money_decimal__round_at_int64_edges(void **state)
{
	(void)state;
	/* 9223372036854.775807 would round up past INT64_MAX: one step back. */
	assert_int_equal(bid_dec_round(INT64_MAX, 0), 9223372036854000000LL);
	assert_int_equal(bid_dec_round(-INT64_MAX, 0), -9223372036854000000LL);
	assert_int_equal(bid_dec_round(INT64_MIN, 0), -9223372036854000000LL);
	assert_int_equal(bid_dec_round(INT64_MAX, 2), 9223372036854770000LL);
	assert_int_equal(bid_dec_ceil_to(INT64_MAX, 1000000), 9223372036854000000LL);
	assert_int_equal(bid_dec_floor_to(INT64_MIN, 1000000), -9223372036854000000LL);
	assert_int_equal(bid_dec_floor_to(INT64_MIN, 1), INT64_MIN);
	assert_int_equal(bid_dec_ceil_to(INT64_MIN, INT64_MAX), -INT64_MAX);
}

static void test_money_decimal__ceil_floor(void **state)
{
	(void)state;
	assert_int_equal(bid_dec_ceil_to(1000001, 1000000), 2000000);
	assert_int_equal(bid_dec_ceil_to(1000000, 1000000), 1000000);
	assert_int_equal(bid_dec_ceil_to(-1500000, 1000000), -1000000);
	assert_int_equal(bid_dec_floor_to(1999999, 1000000), 1000000);
	assert_int_equal(bid_dec_floor_to(-1000001, 1000000), -2000000);
	assert_int_equal(bid_dec_floor_to(-1000000, 1000000), -1000000);
	/* Steps that are not powers of ten: packs of 25. */
	assert_int_equal(bid_dec_ceil_to(26000000, 25000000), 50000000);
	assert_int_equal(bid_dec_floor_to(74000000, 25000000), 50000000);
	assert_int_equal(bid_dec_ceil_to(0, 25000000), 0);
	/* A step that is not positive leaves the value alone. */
	assert_int_equal(bid_dec_ceil_to(1234, 0), 1234);
	assert_int_equal(bid_dec_floor_to(1234, -5), 1234);
}

static void test_money_decimal__mul(void **state)
{
	bid_dec v = 0;
	bid_error err;
	(void)state;

	assert_int_equal(bid_dec_mul(&v, 1500000, 2000000, NULL), 0);
	assert_int_equal(v, 3000000);
	assert_int_equal(bid_dec_mul(&v, -1500000, 2000000, NULL), 0);
	assert_int_equal(v, -3000000);
	assert_int_equal(bid_dec_mul(&v, -1500000, -1500000, NULL), 0);
	assert_int_equal(v, 2250000);
	/* 0.000001 × 0.5 = 0.0000005: a tie, to even 0; 0.000003 × 0.5 -> 0.000002 */
	assert_int_equal(bid_dec_mul(&v, 1, 500000, NULL), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bid_dec_mul(&v, 3, 500000, NULL), 0);
	assert_int_equal(v, 2);
	assert_int_equal(bid_dec_mul(&v, -3, 500000, NULL), 0);
	assert_int_equal(v, -2);
	assert_int_equal(bid_dec_mul(&v, 1, 500001, NULL), 0);
	assert_int_equal(v, 1);
	/* Full range in, exact out. */
	assert_int_equal(bid_dec_mul(&v, INT64_MAX, 1000000, NULL), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(bid_dec_mul(&v, INT64_MIN, 0, NULL), 0);
	assert_int_equal(v, 0);
	/* Overflow. */
	v = 99;
	assert_int_equal(bid_dec_mul(&v, INT64_MAX, 2000000, &err), BID_ERANGE);
	assert_int_equal(err.code, BID_ERANGE);
	assert_int_equal(v, 99);
	assert_int_equal(bid_dec_mul(&v, INT64_MIN, INT64_MIN, NULL), BID_ERANGE);
	assert_int_equal(bid_dec_mul(&v, INT64_MIN, 1000000, NULL), BID_ERANGE);
}

static void test_money_decimal__div(void **state)
{
	bid_dec v = 0;
	bid_error err;
	(void)state;

	assert_int_equal(bid_dec_div(&v, 1000000, 3000000, NULL), 0);
	assert_int_equal(v, 333333);
	assert_int_equal(bid_dec_div(&v, 2000000, 3000000, NULL), 0);
	assert_int_equal(v, 666667);
	assert_int_equal(bid_dec_div(&v, -2000000, 3000000, NULL), 0);
	assert_int_equal(v, -666667);
	assert_int_equal(bid_dec_div(&v, 7000000, -2000000, NULL), 0);
	assert_int_equal(v, -3500000);
	/* 0.000001 / 2 = 0.0000005: tie to even 0; 0.000003 / 2 -> 0.000002 */
	assert_int_equal(bid_dec_div(&v, 1, 2000000, NULL), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bid_dec_div(&v, 3, 2000000, NULL), 0);
	assert_int_equal(v, 2);
	assert_int_equal(bid_dec_div(&v, -5, 2000000, NULL), 0);
	assert_int_equal(v, -2);
	assert_int_equal(bid_dec_div(&v, INT64_MAX, 1000000, NULL), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(bid_dec_div(&v, INT64_MIN, INT64_MIN, NULL), 0);
	assert_int_equal(v, 1000000);
	/* Division by zero and overflow. */
	assert_int_equal(bid_dec_div(&v, 1, 0, &err), BID_EINVALID);
	assert_string_equal(err.msg, "division by zero");
	assert_int_equal(bid_dec_div(&v, INT64_MAX, 500000, &err), BID_ERANGE);
	assert_int_equal(bid_dec_div(&v, INT64_MIN, -1000000, NULL), BID_ERANGE);
	assert_int_equal(bid_dec_div(&v, 1000000000000LL, 1, NULL), 0);   /* 1e6 / 1e-6 fits */
	assert_int_equal(v, 1000000000000000000LL);
	assert_int_equal(bid_dec_div(&v, 10000000000000LL, 1, NULL), BID_ERANGE);
}

static void test_money_decimal__ratio(void **state)
{
	int64_t v = 0;
	bid_error err;
	(void)state;

	/* price × rate in decimals: 26.2475 × 0.9 = 23.62275 */
	{
		int64_t num[] = {26247500, 900000};
		int64_t den[] = {BID_DEC_SCALE};
		assert_int_equal(bid_dec_ratio(&v, num, 2, den, 1, NULL), 0);
		assert_int_equal(v, 23622750);
	}
	/* 10 USD per LBR in KGM: 10 / 0.45359237 = 22.046226218487757... */
	{
		int64_t num[] = {10000000, 100000000};
		int64_t den[] = {45359237};
		assert_int_equal(bid_dec_ratio(&v, num, 2, den, 1, NULL), 0);
		assert_int_equal(v, 22046226);
	}
	/* One rounding only: 1/3 + nothing: 1e6 × 1 / 3 = 333333.33 -> 333333 */
	{
		int64_t num[] = {1000000};
		int64_t den[] = {3};
		assert_int_equal(bid_dec_ratio(&v, num, 1, den, 1, NULL), 0);
		assert_int_equal(v, 333333);
	}
	/* Ties half-even, signs from any term. */
	{
		int64_t num[] = {5}, den[] = {2}, nneg[] = {-5}, dneg[] = {-2};
		int64_t num7[] = {7};
		assert_int_equal(bid_dec_ratio(&v, num, 1, den, 1, NULL), 0);
		assert_int_equal(v, 2);
		assert_int_equal(bid_dec_ratio(&v, num7, 1, den, 1, NULL), 0);
		assert_int_equal(v, 4);
		assert_int_equal(bid_dec_ratio(&v, nneg, 1, den, 1, NULL), 0);
		assert_int_equal(v, -2);
		assert_int_equal(bid_dec_ratio(&v, num, 1, dneg, 1, NULL), 0);
		assert_int_equal(v, -2);
		assert_int_equal(bid_dec_ratio(&v, nneg, 1, dneg, 1, NULL), 0);
		assert_int_equal(v, 2);
	}
	/* Empty products are 1. */
	assert_int_equal(bid_dec_ratio(&v, NULL, 0, NULL, 0, NULL), 0);
	assert_int_equal(v, 1);
	/* Zero numerator, zero denominator. */
	{
		int64_t num[] = {0, INT64_MAX}, den[] = {7, 0};
		assert_int_equal(bid_dec_ratio(&v, num, 2, den, 1, NULL), 0);
		assert_int_equal(v, 0);
		assert_int_equal(bid_dec_ratio(&v, num + 1, 1, den, 2, &err), BID_EINVALID);
		assert_string_equal(err.msg, "division by zero");
	}
}

static void test_money_decimal__ratio_edges(void **state)
{
	int64_t v = 0;
	bid_error err;
	(void)state;

	/* INT64_MIN anywhere: magnitudes are taken without UB. */
	{
		int64_t num[] = {INT64_MIN}, den[] = {INT64_MIN};
		assert_int_equal(bid_dec_ratio(&v, num, 1, den, 1, NULL), 0);
		assert_int_equal(v, 1);
	}
	{
		int64_t num[] = {INT64_MIN}, den[] = {-1};
		assert_int_equal(bid_dec_ratio(&v, num, 1, den, 1, &err), BID_ERANGE);
		assert_int_equal(bid_dec_ratio(&v, num, 1, den + 0, 0, NULL), BID_ERANGE);
	}
	{
		int64_t num[] = {INT64_MIN}, den[] = {2};
		assert_int_equal(bid_dec_ratio(&v, num, 1, den, 1, NULL), 0);
		assert_int_equal(v, INT64_MIN / 2);
	}
	/* Four full-size factors overflow 128 bits... */
	{
		int64_t num[] = {INT64_MAX, INT64_MAX, INT64_MAX}, den[] = {3};
		assert_int_equal(bid_dec_ratio(&v, num, 3, den, 1, &err), BID_ERANGE);
		assert_string_equal(err.msg, "intermediate product too large");
	}
	/* ...unless they cancel: the quotient is the exact rational. */
	{
		int64_t num[] = {INT64_MAX, INT64_MAX, INT64_MAX, 5};
		int64_t den[] = {INT64_MAX, INT64_MAX, INT64_MAX};
		assert_int_equal(bid_dec_ratio(&v, num, 4, den, 3, NULL), 0);
		assert_int_equal(v, 5);
	}
	/* Fits in 128 bits but not the result. */
	{
		int64_t num[] = {INT64_MAX, 3}, den[] = {2};
		assert_int_equal(bid_dec_ratio(&v, num, 2, den, 1, &err), BID_ERANGE);
		assert_string_equal(err.msg, "result out of range");
	}
	/* Two full-size numerators and a large denominator do fit. */
	{
		int64_t num[] = {INT64_MAX, INT64_MAX - 2}, den[] = {INT64_MAX - 1};
		/* (2^63-1)(2^63-3)/(2^63-2) = 2^63-2 - 1/(2^63-2) -> rounds to 2^63-2 */
		assert_int_equal(bid_dec_ratio(&v, num, 2, den, 1, NULL), 0);
		assert_int_equal(v, INT64_MAX - 1);
	}
}

static void test_money_decimal__currency_minor_units(void **state)
{
	(void)state;
	assert_int_equal(bid_currency_minor_units("EUR"), 2);
	assert_int_equal(bid_currency_minor_units("USD"), 2);
	assert_int_equal(bid_currency_minor_units("GBP"), 2);
	assert_int_equal(bid_currency_minor_units("CHF"), 2);
	assert_int_equal(bid_currency_minor_units("JPY"), 0);
	assert_int_equal(bid_currency_minor_units("KRW"), 0);
	assert_int_equal(bid_currency_minor_units("ISK"), 0);
	assert_int_equal(bid_currency_minor_units("KWD"), 3);
	assert_int_equal(bid_currency_minor_units("BHD"), 3);
	assert_int_equal(bid_currency_minor_units("TND"), 3);
	assert_int_equal(bid_currency_minor_units("CLF"), 4);
	assert_int_equal(bid_currency_minor_units("UYW"), 4);
	/* First and last of the table: the binary search reaches both ends. */
	assert_int_equal(bid_currency_minor_units("AED"), 2);
	assert_int_equal(bid_currency_minor_units("ZWG"), 2);
	/* Amendments after 2018. */
	assert_int_equal(bid_currency_minor_units("VED"), 2);
	assert_int_equal(bid_currency_minor_units("SLE"), 2);
	assert_int_equal(bid_currency_minor_units("ZWG"), 2);
	assert_int_equal(bid_currency_minor_units("HRK"), -1);
	assert_int_equal(bid_currency_minor_units("ZWL"), -1);
	assert_int_equal(bid_currency_minor_units("SLL"), -1);
	assert_int_equal(bid_currency_minor_units("CUC"), -1);
	assert_int_equal(bid_currency_minor_units("CUP"), 2);
	assert_int_equal(bid_currency_minor_units("XCG"), 2);
	assert_int_equal(bid_currency_minor_units("ANG"), 2);
	/* No minor unit, unknown, malformed. */
	assert_int_equal(bid_currency_minor_units("XAU"), -1);
	assert_int_equal(bid_currency_minor_units("XXX"), -1);
	assert_int_equal(bid_currency_minor_units("XDR"), -1);
	assert_int_equal(bid_currency_minor_units("ABC"), -1);
	assert_int_equal(bid_currency_minor_units("AAA"), -1);
	assert_int_equal(bid_currency_minor_units("ZZZ"), -1);
	assert_int_equal(bid_currency_minor_units("eur"), -1);
	assert_int_equal(bid_currency_minor_units("EURO"), -1);
	assert_int_equal(bid_currency_minor_units("EU"), -1);
	assert_int_equal(bid_currency_minor_units(""), -1);
	assert_int_equal(bid_currency_minor_units(NULL), -1);
	assert_int_equal(bid_currency_is_known("DKK"), 1);
	assert_int_equal(bid_currency_is_known("INR"), 1);
	assert_int_equal(bid_currency_is_known("XAG"), 0);
	assert_int_equal(bid_currency_is_known("DEM"), 0);
}

/* The exceptions listed in FORMATS.md section 5, straight from ISO 4217. */
static void test_money_decimal__currency_iso_exceptions(void **state)
{
	static const char *zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
	                             "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
	static const char *three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
	static const char *four[] = {"CLF", "UYW"};
	static const char *none[] = {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD",
	                             "XPT", "XSU", "XTS", "XUA", "XXX"};
	static const char *two[] = {"USD", "EUR", "GBP", "CHF", "DKK", "SEK", "NOK", "CNY",
	                            "INR", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "BRL",
	                            "ZAR", "PLN", "CZK", "HUF", "TRY", "AED", "SAR", "MGA",
	                            "MRU", "STN", "VES", "BOV", "CHE", "CHW", "COU", "MXV",
	                            "USN", "XCD"};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (bid_currency_minor_units(zero[i]) != 0)
			fail_msg("%s should have 0 minor units", zero[i]);
	for (i = 0; i < sizeof(three) / sizeof(three[0]); i++)
		if (bid_currency_minor_units(three[i]) != 3)
			fail_msg("%s should have 3 minor units", three[i]);
	for (i = 0; i < sizeof(four) / sizeof(four[0]); i++)
		if (bid_currency_minor_units(four[i]) != 4)
			fail_msg("%s should have 4 minor units", four[i]);
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (bid_currency_minor_units(none[i]) != -1 || bid_currency_is_known(none[i]))
			fail_msg("%s has no minor unit", none[i]);
	for (i = 0; i < sizeof(two) / sizeof(two[0]); i++)
		if (bid_currency_minor_units(two[i]) != 2)
			fail_msg("%s should have 2 minor units", two[i]);
}

static void test_money_decimal__money_round(void **state)
{
	(void)state;
	assert_int_equal(bid_money_round(1005000, "EUR"), 1000000);   /* 1.005 -> 1.00 */
	assert_int_equal(bid_money_round(1015000, "EUR"), 1020000);   /* 1.015 -> 1.02 */
	assert_int_equal(bid_money_round(-1015000, "USD"), -1020000);
	assert_int_equal(bid_money_round(2500000, "JPY"), 2000000);
	assert_int_equal(bid_money_round(3500000, "JPY"), 4000000);
	assert_int_equal(bid_money_round(1234500, "KWD"), 1234000);   /* tie, even */
	assert_int_equal(bid_money_round(1235500, "KWD"), 1236000);
	assert_int_equal(bid_money_round(1234550, "CLF"), 1234600);
	assert_int_equal(bid_money_round(1234450, "CLF"), 1234400);
	/* Unknown currency: 2 digits. */
	assert_int_equal(bid_money_round(1005000, "ABC"), 1000000);
	assert_int_equal(bid_money_round(1006000, NULL), 1010000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_decimal__parses_plain_forms),
		cmocka_unit_test(test_money_decimal__parses_extremes),
		cmocka_unit_test(test_money_decimal__parses_length_not_nul),
		cmocka_unit_test(test_money_decimal__rejects_empty),
		cmocka_unit_test(test_money_decimal__rejects_exponent),
		cmocka_unit_test(test_money_decimal__rejects_nan_inf),
		cmocka_unit_test(test_money_decimal__rejects_grouping),
		cmocka_unit_test(test_money_decimal__rejects_decimal_comma),
		cmocka_unit_test(test_money_decimal__rejects_too_many_places),
		cmocka_unit_test(test_money_decimal__rejects_junk),
		cmocka_unit_test(test_money_decimal__formats),
		cmocka_unit_test(test_money_decimal__format_truncates_safely),
		cmocka_unit_test(test_money_decimal__round_trips),
		cmocka_unit_test(test_money_decimal__round_half_even),
		cmocka_unit_test(test_money_decimal__round_at_int64_edges),
		cmocka_unit_test(test_money_decimal__ceil_floor),
		cmocka_unit_test(test_money_decimal__mul),
		cmocka_unit_test(test_money_decimal__div),
		cmocka_unit_test(test_money_decimal__ratio),
		cmocka_unit_test(test_money_decimal__ratio_edges),
		cmocka_unit_test(test_money_decimal__currency_minor_units),
		cmocka_unit_test(test_money_decimal__currency_iso_exceptions),
		cmocka_unit_test(test_money_decimal__money_round),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
