/*
 * money_dates.c - cmocka tests of the calendar dates in engine/money.c:
 * parse (strict and lenient), format, leap years, today and $BIDCMP_TODAY.
 * Uses only the public header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "bidcmp/money.h"

static int parse(bid_date *out, const char *text, int lenient, bid_error *err)
{
	return bid_date_parse(out, text, strlen(text), lenient, err);
}

static void ok(const char *text, int lenient, bid_date want)
{
	bid_error err;
	bid_date d = 4242;

	bid_error_clear(&err);
	if (parse(&d, text, lenient, &err) != 0)
		fail_msg("\"%s\" (lenient %d): %s", text, lenient, err.msg);
	if (d != want)
		fail_msg("\"%s\": got %ld, want %ld", text, (long)d, (long)want);
}

static void bad(const char *text, int lenient, const char *msg)
{
	bid_error err;
	bid_date d = 4242;

	bid_error_clear(&err);
	if (parse(&d, text, lenient, &err) != BID_EINVALID)
		fail_msg("\"%s\" (lenient %d): accepted as %ld", text, lenient, (long)d);
	assert_int_equal(err.code, BID_EINVALID);
	assert_int_equal(err.area, BID_AREA_ENGINE);
	if (!strstr(err.msg, msg))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.msg, msg);
	assert_int_equal(d, 4242);
}

static const char *fmt(bid_date d)
{
	static char buf[32];
	return bid_date_format(buf, sizeof(buf), d);
}

static void test_money_dates__known_days(void **state)
{
	(void)state;
	ok("1970-01-01", 0, 0);
	ok("1970-01-02", 0, 1);
	ok("1969-12-31", 0, -1);
	ok("2000-01-01", 0, 10957);
	ok("2008-04-19", 0, 13988);
	ok("2038-01-19", 0, 24855);
	ok("0001-01-01", 0, -719162);
	ok("9999-12-31", 0, 2932896);
	ok("1600-02-29", 0, -135081);
	assert_string_equal(fmt(13988), "2008-04-19");
	assert_string_equal(fmt(-719162), "0001-01-01");
	assert_string_equal(fmt(2932896), "9999-12-31");
	assert_string_equal(fmt(-1), "1969-12-31");
}

static void test_money_dates__compact_form(void **state)
{
	(void)state;
	ok("20080419", 0, 13988);
	ok("19700101", 0, 0);
	ok("20240229", 0, 19782);
	bad("20230229", 0, "no such date");
	bad("2008041", 0, "not a date");
	bad("200804190", 0, "not a date");
	bad("2008-0419", 0, "not a date");
}

static void test_money_dates__leap_years(void **state)
{
	(void)state;
	ok("2000-02-29", 0, 11016);        /* divisible by 400: leap */
	ok("2024-02-29", 0, 19782);        /* divisible by 4: leap */
	bad("1900-02-29", 0, "no such date: 1900-02-29");   /* by 100: not */
	bad("2100-02-29", 0, "no such date");
	bad("2023-02-29", 0, "no such date");
	ok("1900-03-01", 0, -25508);
	ok("2100-03-01", 0, 47541);
	ok("1900-02-28", 0, -25509);
	ok("2000-03-01", 0, 11017);
}

static void test_money_dates__rejects_impossible(void **state)
{
	(void)state;
	bad("2024-00-10", 0, "no such date");
	bad("2024-13-01", 0, "no such date");
	bad("2024-01-00", 0, "no such date");
	bad("2024-01-32", 0, "no such date");
	bad("2024-04-31", 0, "no such date");
	bad("2024-06-31", 0, "no such date");
	bad("2024-09-31", 0, "no such date");
	bad("2024-11-31", 0, "no such date");
	bad("0000-01-01", 0, "no such date");
	ok("2024-12-31", 0, 20088);
	ok("2024-01-31", 0, 19753);
}

static void test_money_dates__rejects_malformed(void **state)
{
	bid_date d = 7;
	(void)state;
	bad("", 0, "empty date");
	bad("   ", 1, "empty date");
	bad("2024-1-5", 0, "not a date");
	bad("24-01-05", 0, "not a date");
	bad("2024/01/05", 0, "not a date");
	bad("05.01.2024", 0, "not a date");
	bad("2024-01-0x", 0, "not a date");
	bad("+024-01-05", 0, "not a date");
	bad("-2024-01-05", 0, "not a date");
	bad("2024-O1-05", 0, "not a date");
	bad("tomorrow", 1, "not a date");
	assert_int_equal(bid_date_parse(&d, NULL, 0, 0, NULL), BID_EINVALID);
	assert_int_equal(d, 7);
	/* Only len characters count. */
	assert_int_equal(bid_date_parse(&d, "2008-04-19junk", 10, 0, NULL), 0);
	assert_int_equal(d, 13988);
}

static void test_money_dates__strict_rejects_trailing(void **state)
{
	(void)state;
	bad("2008-04-19T10:00:00Z", 0, "nothing after it");
	bad("2008-04-19Z", 0, "not a date");
	bad("2008-04-19+01:00", 0, "not a date");
	bad("2008-04-19 10:00", 0, "not a date");
	/* Surrounding white space is not trailing text. */
	ok("  2008-04-19\n", 0, 13988);
	ok("\t20080419 ", 0, 13988);
}

static void test_money_dates__lenient_accepts_time_and_zone(void **state)
{
	(void)state;
	ok("2008-04-19T10:00:00Z", 1, 13988);
	ok("2008-04-19T23:59:59.999+14:00", 1, 13988);
	ok("2008-04-19+01:00", 1, 13988);
	ok("2008-04-19-05:00", 1, 13988);
	ok("2008-04-19Z", 1, 13988);
	ok("2008-04-19 10:00", 1, 13988);
	ok("20080419T1000", 1, 13988);
	ok("2008-04-19", 1, 13988);
	/* Lenient is not sloppy: the date must still be whole and real. */
	bad("2008-04-199", 1, "not a date");
	bad("2008-04-19x", 1, "not a date");
	bad("2008-04-19/2", 1, "not a date");
	bad("2023-02-29T00:00:00Z", 1, "no such date");
	bad("2008-04", 1, "not a date");
	bad("200804191", 1, "not a date");
}

static void test_money_dates__round_trip_long_range(void **state)
{
	char buf[16];
	bid_date d, back;
	int64_t y;
	int m, dd, prev_m = 12, prev_d = 31;
	(void)state;

	/*
	 * Every day from 0001-01-01 to 9999-12-31: format and parse back,
	 * and check the calendar walks one day at a time with no gaps.
	 */
	y = 0;
	for (d = -719162; d <= 2932896; d++) {
		bid_date_format(buf, sizeof(buf), d);
		assert_int_equal(strlen(buf), 10);
		back = BID_DATE_NONE;
		if (bid_date_parse(&back, buf, 10, 0, NULL) != 0 || back != d)
			fail_msg("day %ld formats as %s, parses as %ld", (long)d, buf, (long)back);
		m = (buf[5] - '0') * 10 + (buf[6] - '0');
		dd = (buf[8] - '0') * 10 + (buf[9] - '0');
		if (dd == 1) {
			assert_true(m == prev_m % 12 + 1);
			if (m == 1) {
				assert_int_equal(prev_d, 31);
				y++;
				assert_int_equal(strtol(buf, NULL, 10), y);
			}
		} else {
			assert_int_equal(dd, prev_d + 1);
			assert_int_equal(m, prev_m);
		}
		prev_m = m;
		prev_d = dd;
	}
	assert_int_equal(y, 9999);
}

static void test_money_dates__format_edges(void **state)
{
	char buf[11], small[5];
	(void)state;

	assert_string_equal(bid_date_format(buf, sizeof(buf), BID_DATE_NONE), "");
	assert_string_equal(bid_date_format(buf, sizeof(buf), 0), "1970-01-01");
	/* Truncated, always terminated. */
	assert_string_equal(bid_date_format(small, sizeof(small), 0), "1970");
	/* Far outside 0001..9999: still well formed, never out of bounds. */
	{
		char big[32];
		bid_date_format(big, sizeof(big), INT32_MAX);
		assert_string_equal(big, "5881580-07-11");
		bid_date_format(big, sizeof(big), INT32_MIN + 1);
		assert_string_equal(big, "-5877641-06-24");
		bid_date_format(big, sizeof(big), -719163);
		assert_string_equal(big, "0000-12-31");
	}
}

static void test_money_dates__today(void **state)
{
	bid_date t, sys;
	(void)state;

	assert_int_equal(setenv("BIDCMP_TODAY", "2024-02-29", 1), 0);
	assert_int_equal(bid_date_today(), 19782);
	/* Not a date: the real clock, not garbage. */
	assert_int_equal(setenv("BIDCMP_TODAY", "someday", 1), 0);
	sys = (bid_date)(time(NULL) / 86400);
	t = bid_date_today();
	assert_true(t == sys || t == sys + 1);
	assert_int_equal(unsetenv("BIDCMP_TODAY"), 0);
	sys = (bid_date)(time(NULL) / 86400);
	t = bid_date_today();
	assert_true(t == sys || t == sys + 1);
	assert_true(t > 19782);   /* after this code was written */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_dates__known_days),
		cmocka_unit_test(test_money_dates__compact_form),
		cmocka_unit_test(test_money_dates__leap_years),
		cmocka_unit_test(test_money_dates__rejects_impossible),
		cmocka_unit_test(test_money_dates__rejects_malformed),
		cmocka_unit_test(test_money_dates__strict_rejects_trailing),
		cmocka_unit_test(test_money_dates__lenient_accepts_time_and_zone),
		cmocka_unit_test(test_money_dates__round_trip_long_range),
		cmocka_unit_test(test_money_dates__format_edges),
		cmocka_unit_test(test_money_dates__today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
