/*
 * import_csv.c - cmocka tests of the CSV tokenizer and the RFQ CSV
 * importer (importers/csv.c): RFC 4180 quoting, line endings, headers in
 * any order, and every error with its line:col.  Fixtures: fixtures/csv/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bidcmp/bidcmp.h"
#include "collect.h"
#include "importer.h"

/* An RFQ sheet has no header fields: its header only says that the RFQ begins. */
static int on_rh(const bid_rfq_header *h, void *payload)
{
	assert_null(h->rfq_id);
	assert_null(h->title);
	assert_null(h->currency);
	assert_int_equal(h->issue_date, BID_DATE_NONE);
	assert_int_equal(h->due_date, BID_DATE_NONE);
	assert_int_equal(h->need_by, BID_DATE_NONE);
	return got_on_rh(h, payload);
}

static int parse(const char *data, size_t len, got *g, bid_error *err)
{
	bid_import_sink sink = got_sink(g);

	sink.rfq_header = on_rh;
	got_reset(g, 0);
	return bid_import_parse(data, len, BID_FORMAT_CSV, "t.csv", &sink, err);
}

static int parse_str(const char *s, got *g, bid_error *err)
{
	return parse(s, strlen(s), g, err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	size_t len;
	char *data = fixture("csv", name, &len);
	int rc = parse(data, len, g, err);

	free(data);
	return rc;
}

static void assert_error(int rc, const bid_error *err, long line, long col, const char *needle)
{
	assert_import_error(rc, err, NULL, line, col, needle);
}

static void test_import_csv__fixture(void **state)
{
	bid_error err;
	bid_date d;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("rfq.csv", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nrlines, 4);
	assert_string_equal(g.rlines[0].part, "B-100");
	assert_string_equal(g.rlines[0].description, "Hex bolt M8x40, zinc plated");
	assert_int_equal(g.rlines[0].l.qty, dec("1000"));
	assert_string_equal(g.rlines[0].unit, "C62");
	assert_int_equal(bid_date_parse(&d, "2024-05-31", 10, 0, NULL), 0);
	assert_int_equal(g.rlines[0].l.need_by, d);
	assert_int_equal(g.rlines[0].l.pos.line, 2);
	assert_int_equal(g.rlines[0].l.pos.col, 1);
	assert_null(g.rlines[0].l.line_id);
	assert_string_equal(g.rlines[1].description, "Grease \"lithium\"");
	assert_int_equal(g.rlines[1].l.need_by, BID_DATE_NONE);
	assert_string_equal(g.rlines[2].description, "Chain\r\nsecond line");
	assert_int_equal(g.rlines[2].l.pos.line, 4);
	assert_string_equal(g.rlines[3].part, "P 4");          /* trimmed, inner blank kept */
	assert_null(g.rlines[3].description);                         /* empty description */
	assert_int_equal(g.rlines[3].l.qty, dec("7"));
	assert_int_equal(g.rlines[3].l.pos.line, 6);
	got_free(&g);
}

static void test_import_csv__minimal_columns_lf_no_final_newline(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str("unit,PART,quantity\nEA,A1,3\nKGM,A2,0.5", &g, &err), 0);
	assert_int_equal(g.nrlines, 2);
	assert_string_equal(g.rlines[1].part, "A2");
	assert_string_equal(g.rlines[1].unit, "KGM");
	assert_int_equal(g.rlines[1].l.qty, dec("0.5"));
	assert_null(g.rlines[0].description);
	got_free(&g);
}

static void test_import_csv__quoted_header_and_blanks_before_quote(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str("\"part\",\"quantity\",unit\n  \"x,y\" ,1,EA\n", &g, &err),
	                 BID_EINVALID);
	/* blanks after a closing quote are not allowed: */
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 8);
	assert_int_equal(parse_str("\"part\",\"quantity\",unit\n  \"x,y\",1,EA\n", &g, &err), 0);
	assert_string_equal(g.rlines[0].part, "x,y");
	got_free(&g);
}

static void test_import_csv__header_only(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str("part,description,quantity,unit,need_by\r\n", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nrlines, 0);
	assert_int_equal(g.ndiags, 1);
}

static void test_import_csv__unknown_column(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-unknown-column.csv", &g, &err), &err, 1, 32,
	             "unknown column 'colour' (column 5)");
}

static void test_import_csv__duplicate_and_missing_column(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str("part,quantity,unit,Part\n", &g, &err), &err, 1, 20,
	             "column 'part' appears twice");
	assert_error(parse_str("part,quantity,description\n", &g, &err), &err, 1, 1,
	             "missing column 'unit'");
}

static void test_import_csv__unterminated_quote(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-unterminated.csv", &g, &err), &err, 2, 3,
	             "unterminated quoted field");
}

static void test_import_csv__quote_inside_field(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str("part,quantity,unit\n12\" pipe,1,EA\n", &g, &err), &err, 2, 3,
	             "quote inside an unquoted field");
	assert_error(parse_str("part,quantity,unit\n\"a\"b,1,EA\n", &g, &err), &err, 2, 4,
	             "after a closing quote");
}

static void test_import_csv__bad_quantity(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-bad-quantity.csv", &g, &err), &err, 2, 5,
	             "quantity '12,50' is not a decimal: ");
	assert_error(parse_str("part,quantity,unit\nA,0,EA\n", &g, &err), &err, 2, 3,
	             "must be greater than 0");
	assert_error(parse_str("part,quantity,unit\nA,,EA\n", &g, &err), &err, 2, 3,
	             "quantity is empty");
}

static void test_import_csv__bad_date(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-bad-date.csv", &g, &err), &err, 2, 10,
	             "need_by '2024-13-01' is not a date");
	/* Strict: no time zone after a CSV date. */
	assert_error(parse_str("part,quantity,unit,need_by\nA,1,EA,2024-01-01Z\n", &g, &err),
	             &err, 2, 8, "not a date");
}

static void test_import_csv__empty_part_and_unit(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str("part,quantity,unit\n ,1,EA\n", &g, &err), &err, 2, 1,
	             "part is empty");
	assert_error(parse_str("part,quantity,unit\nA,1,\n", &g, &err), &err, 2, 5,
	             "unit is empty");
}

static void test_import_csv__field_count(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str("part,quantity,unit\nA,1,EA\nB,2\n", &g, &err), &err, 3, 1,
	             "row has 2 fields but the header has 3");
	assert_int_equal(g.nrlines, 1);
	got_free(&g);
}

static void test_import_csv__nul_and_utf8(void **state)
{
	static const char nul[] = "part,quantity,unit\nA\0,1,EA\n";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse(nul, sizeof(nul) - 1, &g, &err), &err, 2, 2, "NUL byte");
	assert_error(parse_str("part,quantity,unit\nA\xff,1,EA\n", &g, &err), &err, 2, 2,
	             "invalid UTF-8");
	assert_int_equal(parse_str("part,description,quantity,unit\nA,\xc3\xa6\xc3\xb8\xc3\xa5,1,EA\n",
	                           &g, &err), 0);
	assert_string_equal(g.rlines[0].description, "\xc3\xa6\xc3\xb8\xc3\xa5");
	got_free(&g);
}

static void test_import_csv__huge_field(void **state)
{
	size_t n = BID_CSV_MAX_FIELD + 10;
	const char *head = "part,quantity,unit\n";
	char *doc = malloc(strlen(head) + n + 16);
	bid_error err;
	got g;

	(void)state;
	assert_non_null(doc);
	strcpy(doc, head);
	memset(doc + strlen(head), 'x', n);
	strcpy(doc + strlen(head) + n, ",1,EA\n");
	assert_error(parse_str(doc, &g, &err), &err, 2, 1, "field longer than");
	free(doc);
}

/* A bid sheet goes to the bid sheet reader (tests/unit/import_csvquote.c), not the RFQ one. */
static void test_import_csv__bid_sheet_not_yet(void **state)
{
	bid_error err;
	got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_error(parse_fixture("bid-sheet.csv", &g, &err), &err, 1, 1,
	             "missing column 'unit': a bid sheet needs");
	assert_int_equal(g.nrlines, 0);
}

static void test_import_csv__tokenizer(void **state)
{
	static const char doc[] = "a, b ,\"c\"\"d\"\r\n\r\n\"multi\nline\",,\"\"\n   \nlast";
	bid_error err;
	bid_csv c;

	(void)state;
	assert_int_equal(bid_csv__open(&c, doc, sizeof(doc) - 1, "t", &err), 0);
	assert_int_equal(bid_csv__next(&c, &err), 1);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.fields[1].text, "b");
	assert_int_equal(c.fields[1].col, 3);
	assert_string_equal(c.fields[2].text, "c\"d");
	assert_true(c.fields[2].quoted);
	assert_int_equal(bid_csv__next(&c, &err), 1);
	assert_int_equal(c.rec_line, 3);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.fields[0].text, "multi\nline");
	assert_int_equal(c.fields[1].len, 0);
	assert_int_equal(c.fields[2].len, 0);
	assert_int_equal(bid_csv__next(&c, &err), 1);       /* the blank line is skipped */
	assert_int_equal(c.rec_line, 6);
	assert_int_equal(c.nfields, 1);
	assert_string_equal(c.fields[0].text, "last");
	assert_int_equal(bid_csv__next(&c, &err), 0);
	assert_int_equal(bid_csv__next(&c, &err), 0);
	bid_csv__free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_csv__fixture),
		cmocka_unit_test(test_import_csv__minimal_columns_lf_no_final_newline),
		cmocka_unit_test(test_import_csv__quoted_header_and_blanks_before_quote),
		cmocka_unit_test(test_import_csv__header_only),
		cmocka_unit_test(test_import_csv__unknown_column),
		cmocka_unit_test(test_import_csv__duplicate_and_missing_column),
		cmocka_unit_test(test_import_csv__unterminated_quote),
		cmocka_unit_test(test_import_csv__quote_inside_field),
		cmocka_unit_test(test_import_csv__bad_quantity),
		cmocka_unit_test(test_import_csv__bad_date),
		cmocka_unit_test(test_import_csv__empty_part_and_unit),
		cmocka_unit_test(test_import_csv__field_count),
		cmocka_unit_test(test_import_csv__nul_and_utf8),
		cmocka_unit_test(test_import_csv__huge_field),
		cmocka_unit_test(test_import_csv__bid_sheet_not_yet),
		cmocka_unit_test(test_import_csv__tokenizer),
	};

	return cmocka_run_group_tests_name("import_csv", tests, NULL, NULL);
}
