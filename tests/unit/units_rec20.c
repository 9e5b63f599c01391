/*
 * units_rec20.c - cmocka tests of engine/units.c: lookup, exact ratios,
 * the errors for unknown, mismatched and package units, the X12 map, and
 * an all-pairs property check over the whole table.  No float.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "bidcmp/units.h"

/* Internal (engine/units.c): the whole table, sorted by code. */
const bid_unit *bid_units__table(size_t *count);

__extension__ typedef __int128 i128;

static void ratio_is(const char *from, const char *to, int64_t want_num, int64_t want_den)
{
	bid_error err;
	int64_t n = -7, d = -7;

	bid_error_clear(&err);
	if (bid_unit_ratio(&n, &d, from, to, &err) != 0)
		fail_msg("%s -> %s: %s", from, to, err.msg);
	if (n != want_num || d != want_den)
		fail_msg("%s -> %s: got %lld/%lld, want %lld/%lld", from, to,
		         (long long)n, (long long)d, (long long)want_num, (long long)want_den);
}

static void ratio_fails(const char *from, const char *to, int code, const char *msg)
{
	bid_error err;
	int64_t n = -7, d = -7;

	bid_error_clear(&err);
	if (bid_unit_ratio(&n, &d, from, to, &err) != code)
		fail_msg("%s -> %s: want code %d, got %lld/%lld (%s)", from, to, code,
		         (long long)n, (long long)d, err.msg);
	assert_int_equal(err.code, code);
	assert_int_equal(err.area, BID_AREA_ENGINE);
	assert_string_equal(err.msg, msg);
	/* Outputs untouched on failure. */
	assert_int_equal(n, -7);
	assert_int_equal(d, -7);
}

static void test_units_rec20__lookup(void **state)
{
	const bid_unit *u;
	(void)state;

	u = bid_unit_lookup("KGM");
	assert_non_null(u);
	assert_string_equal(u->code, "KGM");
	assert_string_equal(u->name, "kilogram");
	assert_int_equal(u->dim, BID_DIM_MASS);
	assert_int_equal(u->num, 1);
	assert_int_equal(u->den, 1);

	u = bid_unit_lookup("LBR");
	assert_non_null(u);
	assert_int_equal(u->num, 45359237);
	assert_int_equal(u->den, 100000000);

	u = bid_unit_lookup("ONZ");     /* 0.028349523125 kg exactly */
	assert_non_null(u);
	assert_true((i128)u->num * 1000000000000LL == (i128)28349523125LL * u->den);

	u = bid_unit_lookup("GLL");     /* 3.785411784 L exactly */
	assert_non_null(u);
	assert_true((i128)u->num * 1000000000000LL == (i128)3785411784LL * u->den);

	u = bid_unit_lookup("GLI");     /* 4.54609 L exactly */
	assert_non_null(u);
	assert_true((i128)u->num * 100000000LL == (i128)454609 * u->den);

	u = bid_unit_lookup("DZN");
	assert_non_null(u);
	assert_int_equal(u->dim, BID_DIM_COUNT);
	assert_int_equal(u->num, 12);

	u = bid_unit_lookup("MON");
	assert_non_null(u);
	assert_int_equal(u->num, 2629800);
	assert_int_equal(bid_unit_lookup("ANN")->num, 31557600);
	assert_int_equal(bid_unit_lookup("MWH")->num, 3600000000LL);

	u = bid_unit_lookup("XBX");
	assert_non_null(u);
	assert_int_equal(u->dim, BID_DIM_PACKAGE);
	assert_int_equal(u->num, 0);
	assert_int_equal(u->den, 0);
	assert_int_equal(bid_unit_lookup("BX")->dim, BID_DIM_PACKAGE);
	assert_int_equal(bid_unit_lookup("SET")->dim, BID_DIM_PACKAGE);
	assert_int_equal(bid_unit_lookup("E48")->dim, BID_DIM_COUNT);

	/* Exact and case-sensitive; unknown and malformed codes. */
	assert_null(bid_unit_lookup("kgm"));
	assert_null(bid_unit_lookup("KG"));
	assert_null(bid_unit_lookup("KGMX"));
	assert_null(bid_unit_lookup("XYZ"));
	assert_null(bid_unit_lookup(""));
	assert_null(bid_unit_lookup(NULL));
	/* Both ends of the table are reachable. */
	assert_non_null(bid_unit_lookup("ACR"));
	assert_non_null(bid_unit_lookup("ZZ"));
}

static void test_units_rec20__table_is_sound(void **state)
{
	size_t n, i;
	const bid_unit *t = bid_units__table(&n);
	(void)state;

	assert_true(n > 100);
	for (i = 0; i < n; i++) {
		/* Sorted strictly: binary search depends on it, no duplicates. */
		if (i > 0 && strcmp(t[i - 1].code, t[i].code) >= 0)
			fail_msg("table out of order at %s, %s", t[i - 1].code, t[i].code);
		assert_ptr_equal(bid_unit_lookup(t[i].code), &t[i]);
		assert_true(t[i].name && t[i].name[0]);
		assert_string_not_equal(bid_dim_name(t[i].dim), "unknown");
		if (t[i].dim == BID_DIM_PACKAGE) {
			assert_int_equal(t[i].num, 0);
			assert_int_equal(t[i].den, 0);
		} else {
			/* Positive and reduced. */
			int64_t a = t[i].num, b = t[i].den;
			assert_true(a > 0 && b > 0);
			while (b) {
				int64_t r = a % b;
				a = b;
				b = r;
			}
			if (a != 1)
				fail_msg("%s: %lld/%lld is not reduced", t[i].code,
				         (long long)t[i].num, (long long)t[i].den);
		}
	}
}

static void test_units_rec20__ratios(void **state)
{
	(void)state;
	ratio_is("KGM", "GRM", 1000, 1);
	ratio_is("GRM", "KGM", 1, 1000);
	ratio_is("LBR", "KGM", 45359237, 100000000);
	ratio_is("KGM", "LBR", 100000000, 45359237);
	ratio_is("ONZ", "LBR", 1, 16);
	ratio_is("STN", "LBR", 2000, 1);
	ratio_is("LTN", "LBR", 2240, 1);
	ratio_is("TNE", "KGM", 1000, 1);
	ratio_is("GLL", "LTR", 473176473, 125000000);   /* 3.785411784 */
	ratio_is("LTR", "GLL", 125000000, 473176473);
	ratio_is("GLI", "LTR", 454609, 100000);
	ratio_is("GLL", "INQ", 231, 1);                 /* the US gallon's definition */
	ratio_is("GLL", "OZA", 128, 1);
	ratio_is("FTQ", "INQ", 1728, 1);
	ratio_is("MLT", "CMQ", 1, 1);
	ratio_is("PR", "C62", 2, 1);
	ratio_is("C62", "PR", 1, 2);
	ratio_is("DZN", "EA", 12, 1);
	ratio_is("GRO", "DZN", 12, 1);
	ratio_is("NIU", "EA", 1, 1);
	ratio_is("EA", "NIU", 1, 1);
	ratio_is("PCE", "H87", 1, 1);
	ratio_is("FOT", "INH", 12, 1);
	ratio_is("YRD", "FOT", 3, 1);
	ratio_is("SMI", "YRD", 1760, 1);
	ratio_is("INH", "MMT", 127, 5);                 /* 25.4 mm */
	ratio_is("ACR", "FTK", 43560, 1);
	ratio_is("FTK", "MTK", 145161, 1562500);        /* 0.09290304 */
	ratio_is("HAR", "MTK", 10000, 1);
	ratio_is("WEE", "DAY", 7, 1);
	ratio_is("ANN", "MON", 12, 1);
	ratio_is("MON", "DAY", 487, 16);                /* 30.4375 days */
	ratio_is("MWH", "KWH", 1000, 1);
	ratio_is("KWH", "JOU", 3600000, 1);
	ratio_is("KGM", "KGM", 1, 1);
	/* Extremes of one dimension: still exact in int64. */
	ratio_is("MMQ", "BLL", 125, 19873411866LL);     /* 1e-9 / 0.158987294928 */
	ratio_is("BLL", "OZA", 5376, 1);
	ratio_is("GWH", "JOU", 3600000000000LL, 1);
}

static void test_units_rec20__errors(void **state)
{
	(void)state;
	ratio_fails("XYZ", "KGM", BID_ENOTFOUND, "unknown unit code 'XYZ'");
	ratio_fails("KGM", "kgm", BID_ENOTFOUND, "unknown unit code 'kgm'");
	ratio_fails("KGM", "", BID_ENOTFOUND, "unknown unit code ''");
	ratio_fails("KGM", "MTR", BID_EINVALID, "cannot convert KGM (mass) to MTR (length)");
	ratio_fails("C62", "KGM", BID_EINVALID, "cannot convert C62 (count) to KGM (mass)");
	ratio_fails("LTR", "MTK", BID_EINVALID, "cannot convert LTR (volume) to MTK (area)");
	ratio_fails("HUR", "KWH", BID_EINVALID, "cannot convert HUR (time) to KWH (energy)");
	ratio_fails("BX", "C62", BID_EINVALID,
	            "BX is a package unit: its size in pieces is not known (give a pack size)");
	ratio_fails("C62", "XBX", BID_EINVALID,
	            "XBX is a package unit: its size in pieces is not known (give a pack size)");
	ratio_fails("PK", "KGM", BID_EINVALID,
	            "PK is a package unit: its size in pieces is not known (give a pack size)");
	ratio_fails("BX", "PK", BID_EINVALID,
	            "BX is a package unit: its size in pieces is not known (give a pack size)");
	ratio_fails("SET", "EA", BID_EINVALID,
	            "SET is a package unit: its size in pieces is not known (give a pack size)");
	/* NULL err is allowed. */
	{
		int64_t n, d;
		assert_int_equal(bid_unit_ratio(&n, &d, "BX", "EA", NULL), BID_EINVALID);
		assert_int_equal(bid_unit_ratio(&n, &d, NULL, "EA", NULL), BID_ENOTFOUND);
	}
}

static void test_units_rec20__same_package_is_one(void **state)
{
	(void)state;
	/* Priced per box, bought per box: no pack size is needed. */
	ratio_is("BX", "BX", 1, 1);
	ratio_is("XBX", "BX", 1, 1);
	ratio_is("PK", "XPK", 1, 1);
	ratio_is("CT", "CT", 1, 1);
}

static void test_units_rec20__all_pairs_invert_exactly(void **state)
{
	size_t n, i, j, pairs = 0;
	const bid_unit *t = bid_units__table(&n);
	(void)state;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			int64_t an, ad, bn, bd;
			bid_error err;
			int rc1, rc2;

			rc1 = bid_unit_ratio(&an, &ad, t[i].code, t[j].code, &err);
			rc2 = bid_unit_ratio(&bn, &bd, t[j].code, t[i].code, NULL);
			if (t[i].dim != t[j].dim || t[i].dim == BID_DIM_PACKAGE) {
				/* Only identical packages convert. */
				if (rc1 == 0)
					assert_int_equal(t[i].dim, BID_DIM_PACKAGE);
				else
					assert_int_equal(rc1, BID_EINVALID);
				assert_int_equal(rc1, rc2);
				continue;
			}
			if (rc1 != 0 || rc2 != 0)
				fail_msg("%s <-> %s: %s", t[i].code, t[j].code, err.msg);
			/* Positive, reduced, and a × b == 1 exactly. */
			assert_true(an > 0 && ad > 0 && bn > 0 && bd > 0);
			assert_true((i128)an * bn == (i128)ad * bd);
			assert_int_equal(an, bd);
			assert_int_equal(ad, bn);
			/* And it is the quotient of the table's factors. */
			assert_true((i128)an * t[i].den * t[j].num == (i128)ad * t[i].num * t[j].den);
			if (i == j) {
				assert_int_equal(an, 1);
				assert_int_equal(ad, 1);
			}
			pairs++;
		}
	}
	assert_int_equal(pairs, 840);   /* every same-dimension pair, both ways */
}

static void test_units_rec20__x12_map(void **state)
{
	(void)state;
	assert_string_equal(bid_unit_from_x12("LB"), "LBR");
	assert_string_equal(bid_unit_from_x12("EA"), "EA");
	assert_string_equal(bid_unit_from_x12("KG"), "KGM");
	assert_string_equal(bid_unit_from_x12("GR"), "GRM");
	assert_string_equal(bid_unit_from_x12("OZ"), "ONZ");
	assert_string_equal(bid_unit_from_x12("DZ"), "DZN");
	assert_string_equal(bid_unit_from_x12("PC"), "H87");
	assert_string_equal(bid_unit_from_x12("PR"), "PR");
	assert_string_equal(bid_unit_from_x12("FT"), "FOT");
	assert_string_equal(bid_unit_from_x12("GA"), "GLL");
	assert_string_equal(bid_unit_from_x12("TN"), "STN");
	assert_string_equal(bid_unit_from_x12("CA"), "CS");
	assert_string_equal(bid_unit_from_x12("BX"), "BX");
	assert_string_equal(bid_unit_from_x12("DA"), "DAY");
	assert_string_equal(bid_unit_from_x12("YR"), "ANN");
	assert_null(bid_unit_from_x12("ZZZ"));
	assert_null(bid_unit_from_x12("lb"));
	assert_null(bid_unit_from_x12("KGM"));
	assert_null(bid_unit_from_x12(""));
	assert_null(bid_unit_from_x12(NULL));
}

static void test_units_rec20__x12_map_targets_exist(void **state)
{
	/* Every X12 code we map must land on a unit of our table. */
	static const char *x12[] = {
		"BE", "BG", "BO", "BX", "CA", "CF", "CM", "CT", "DA", "DR", "DZ", "EA",
		"FT", "FZ", "GA", "GR", "HR", "IN", "KG", "KH", "LB", "LT", "ME", "MJ",
		"ML", "MM", "MO", "MR", "MT", "OZ", "PA", "PC", "PK", "PL", "PR", "PT",
		"QT", "RL", "SF", "ST", "SY", "TN", "UN", "WK", "YD", "YR",
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(x12) / sizeof(x12[0]); i++) {
		const char *r = bid_unit_from_x12(x12[i]);
		if (!r)
			fail_msg("X12 %s is not mapped", x12[i]);
		if (!bid_unit_lookup(r))
			fail_msg("X12 %s maps to %s, which is not in the table", x12[i], r);
	}
}

static void test_units_rec20__is_count_and_dim_names(void **state)
{
	(void)state;
	assert_int_equal(bid_unit_is_count("C62"), 1);
	assert_int_equal(bid_unit_is_count("EA"), 1);
	assert_int_equal(bid_unit_is_count("PR"), 1);
	assert_int_equal(bid_unit_is_count("DZN"), 1);
	assert_int_equal(bid_unit_is_count("KGM"), 0);
	assert_int_equal(bid_unit_is_count("BX"), 0);
	assert_int_equal(bid_unit_is_count("XYZ"), 0);
	assert_int_equal(bid_unit_is_count(NULL), 0);
	assert_string_equal(bid_dim_name(BID_DIM_COUNT), "count");
	assert_string_equal(bid_dim_name(BID_DIM_MASS), "mass");
	assert_string_equal(bid_dim_name(BID_DIM_LENGTH), "length");
	assert_string_equal(bid_dim_name(BID_DIM_VOLUME), "volume");
	assert_string_equal(bid_dim_name(BID_DIM_AREA), "area");
	assert_string_equal(bid_dim_name(BID_DIM_TIME), "time");
	assert_string_equal(bid_dim_name(BID_DIM_ENERGY), "energy");
	assert_string_equal(bid_dim_name(BID_DIM_PACKAGE), "package");
	assert_string_equal(bid_dim_name((bid_dim)0), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_rec20__lookup),
		cmocka_unit_test(test_units_rec20__table_is_sound),
		cmocka_unit_test(test_units_rec20__ratios),
		cmocka_unit_test(test_units_rec20__errors),
		cmocka_unit_test(test_units_rec20__same_package_is_one),
		cmocka_unit_test(test_units_rec20__all_pairs_invert_exactly),
		cmocka_unit_test(test_units_rec20__x12_map),
		cmocka_unit_test(test_units_rec20__x12_map_targets_exist),
		cmocka_unit_test(test_units_rec20__is_count_and_dim_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
