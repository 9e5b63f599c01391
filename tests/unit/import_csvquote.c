/*
 * import_csvquote.c - cmocka tests of the CSV bid sheet reader
 * (bid_csv__parse_quote in importers/csv.c): every column, tiers merged
 * from rows anywhere in the file, disagreements, every error with its
 * line:col, quoting, BOM/CRLF and hostile input.  Fixtures: fixtures/csvquote/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <dirent.h>
#include <cmocka.h>

#include "bidcmp/bidcmp.h"
#include "collect.h"

#if defined(__SANITIZE_ADDRESS__)
#define NO_RSS_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_RSS_CHECK 1
#endif
#endif
#ifndef NO_RSS_CHECK
#define NO_RSS_CHECK 0
#endif

/* ---- inputs ------------------------------------------------------- */

static int parse_mem(const char *data, size_t len, got *g, bid_error *err)
{
	got_reset(g, 1);
	return got_parse(g, data, len, BID_FORMAT_UNKNOWN, "bid.csv", err);
}

static int parse_str(const char *s, got *g, bid_error *err)
{
	return parse_mem(s, strlen(s), g, err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	got_reset(g, 1);
	return got_parse_fixture(g, "csvquote", name, BID_FORMAT_UNKNOWN, "bid.csv", err);
}

/* The parse failed, err names the first error, and it was the first diagnostic. */
static void assert_failed(int rc, const bid_error *err, const got *g, long line, long col,
                          const char *needle)
{
	assert_int_equal(rc, BID_EINVALID);
	assert_int_equal(err->area, BID_AREA_IMPORT);
	assert_string_equal(err->file, "bid.csv");
	if (err->line != line || err->col != col || !strstr(err->msg, needle))
		fail_msg("error %ld:%ld '%s'; expected %ld:%ld '%s'", err->line, err->col, err->msg,
		         line, col, needle);
	assert_true(g->ndiags >= 1);
	assert_int_equal(g->diags[0].sev, BID_SEV_ERROR);
	assert_string_equal(g->diags[0].msg, err->msg);
	assert_int_equal(g->diags[0].pos.line, (uint32_t)line);
	assert_int_equal(g->diags[0].pos.col, (uint32_t)col);
}

static const got_line *find_line(const got *g, const char *part)
{
	int i;

	for (i = 0; i < g->nlines; i++)
		if (strcmp(g->lines[i].part_ids[BID_PART_BUYER], part) == 0)
			return &g->lines[i];
	fail_msg("no line for part %s", part);
	return NULL;
}

#define HEAD "supplier,part,unit,currency,price"

/* ---- the good path ------------------------------------------------ */

/* Every column of fixtures/csvquote/full.csv, read back field by field. */
static void test_import_csvquote__full(void **state)
{
	const got_line *b, *gr, *w;
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("full.csv", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.ndiags, 0);

	/* header */
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].supplier_id, "ACME-01");
	assert_string_equal(g.headers[0].supplier_name, "Acme Fasteners, Ltd.");
	assert_pos(g.headers[0].h.pos, 2, 1);
	assert_int_equal(g.headers[0].h.valid_until, date("2024-06-30"));
	assert_int_equal(g.headers[0].h.issue_date, BID_DATE_NONE);
	assert_int_equal(g.headers[0].h.has_pay_days, 1);       /* every part says 30 */
	assert_int_equal(g.headers[0].h.pay_days, 30);
	assert_null(g.headers[0].h.quote_id);
	assert_null(g.headers[0].h.currency);

	/* lines in order of the parts' first rows */
	assert_int_equal(g.nlines, 3);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "B-100");
	assert_string_equal(g.lines[1].part_ids[BID_PART_BUYER], "G-7");
	assert_string_equal(g.lines[2].part_ids[BID_PART_BUYER], "W-3");

	/* B-100: rows 2, 4 and 6 - non-consecutive tiers, all-units */
	b = find_line(&g, "B-100");
	assert_pos(b->l.pos[BID_F_LINE], 2, 1);
	assert_pos(b->l.pos[BID_F_PART], 2, 32);
	assert_int_equal(b->l.has_qty, 1);
	assert_int_equal(b->l.qty, dec("1000"));
	assert_pos(b->l.pos[BID_F_QTY], 2, 38);
	assert_string_equal(b->unit, "C62");
	assert_pos(b->l.pos[BID_F_UNIT], 2, 43);
	assert_string_equal(b->currency, "EUR");
	assert_pos(b->l.pos[BID_F_CURRENCY], 2, 47);
	assert_int_equal(b->l.price, dec("2.50"));
	assert_pos(b->l.pos[BID_F_PRICE], 2, 51);
	assert_int_equal(b->l.basis_qty, dec("1"));
	assert_pos(b->l.pos[BID_F_BASIS], 2, 56);
	assert_int_equal(b->l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(b->l.ntiers, 3);
	assert_int_equal(b->tiers[0].from_qty, 0);
	assert_int_equal(b->tiers[0].price, dec("2.50"));
	assert_pos(b->tiers[0].pos, 2, 58);
	assert_int_equal(b->tiers[1].from_qty, dec("100"));
	assert_int_equal(b->tiers[1].price, dec("2.20"));
	assert_pos(b->tiers[1].pos, 4, 58);
	assert_int_equal(b->tiers[2].from_qty, dec("1000"));
	assert_int_equal(b->tiers[2].price, dec("1.95"));
	assert_pos(b->tiers[2].pos, 6, 53);
	assert_int_equal(b->l.has_min_qty, 0);
	assert_int_equal(b->l.has_max_qty, 1);
	assert_int_equal(b->l.max_qty, dec("5000"));
	assert_pos(b->l.pos[BID_F_MAX_QTY], 2, 71);
	assert_int_equal(b->l.has_lead_time, 1);
	assert_int_equal(b->l.lead_time_days, 21);
	assert_pos(b->l.pos[BID_F_LEAD_TIME], 2, 76);
	assert_int_equal(b->l.delivery_date, BID_DATE_NONE);
	assert_int_equal(b->l.has_pay_days, 1);
	assert_int_equal(b->l.pay_days, 30);
	assert_string_equal(b->manufacturer, "W\xC3\xBCrth \"Pro\", Inc.");
	assert_int_equal(b->l.has_defect_ppm, 1);
	assert_int_equal(b->l.defect_ppm, dec("150"));
	assert_string_equal(b->certificates, "ISO9001,RoHS");   /* "ISO9001, RoHS" tidied; row 4 agrees */
	assert_null(b->l.line_id);
	assert_null(b->l.description);
	assert_int_equal(b->l.tax_included, 0);

	/* G-7: incremental, price per 10 KGM, MOQ 10, row 5 leaves most cells empty */
	gr = find_line(&g, "G-7");
	assert_pos(gr->l.pos[BID_F_LINE], 3, 1);
	assert_string_equal(gr->unit, "KGM");
	assert_int_equal(gr->l.qty, dec("20"));
	assert_int_equal(gr->l.basis_qty, dec("10"));
	assert_int_equal(gr->l.tier_type, BID_TIER_INCREMENTAL);
	assert_int_equal(gr->l.has_min_qty, 1);
	assert_int_equal(gr->l.min_qty, dec("10"));
	assert_pos(gr->l.pos[BID_F_MIN_QTY], 3, 68);
	assert_int_equal(gr->l.has_max_qty, 0);
	assert_int_equal(gr->l.lead_time_days, 14);
	assert_int_equal(gr->l.ntiers, 2);
	assert_int_equal(gr->tiers[0].from_qty, 0);
	assert_int_equal(gr->tiers[0].price, dec("12.5"));
	assert_int_equal(gr->tiers[1].from_qty, dec("50"));
	assert_int_equal(gr->tiers[1].price, dec("11"));
	assert_pos(gr->tiers[1].pos, 5, 29);
	assert_string_equal(gr->manufacturer, "Lubco");
	assert_int_equal(gr->l.has_defect_ppm, 1);
	assert_int_equal(gr->l.defect_ppm, 0);        /* 0 ppm is allowed */
	assert_string_equal(gr->certificates, "ISO9001");

	/* W-3: one row, most columns empty: a plain price, no tiers */
	w = find_line(&g, "W-3");
	assert_int_equal(w->l.price, dec("0.125"));
	assert_string_equal(w->currency, "USD");
	assert_int_equal(w->l.ntiers, 0);
	assert_int_equal(w->l.has_qty, 0);
	assert_int_equal(w->l.basis_qty, 0);          /* 0 means 1 */
	assert_int_equal(w->l.has_lead_time, 0);
	assert_int_equal(w->l.has_defect_ppm, 0);
	assert_null(w->manufacturer);
	assert_null(w->certificates);
	got_free(&g);
}

/* Header names in any order and case, with blanks; BOM; CRLF; blank rows. */
static void test_import_csvquote__bom_crlf_case(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("crlf-bom.csv", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_string_equal(g.headers[0].supplier_id, "Z9");
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "P1");
	assert_int_equal(g.lines[0].l.ntiers, 2);
	assert_int_equal(g.lines[0].tiers[1].from_qty, dec("10"));
	assert_pos(g.lines[0].tiers[1].pos, 3, 21);
	assert_int_equal(g.headers[0].h.valid_until, BID_DATE_NONE);
	assert_int_equal(g.headers[0].h.has_pay_days, 0);
	got_free(&g);

	/* A lone CR ends a row too; a header-only CRLF file is blank. */
	assert_int_equal(parse_str("part ,\"SUPPLIER\", Price,UNIT,Currency\rA,S,1,ea,eur\r", &g,
	                           &err), 0);
	assert_string_equal(g.lines[0].unit, "EA");   /* codes in capitals */
	assert_string_equal(g.lines[0].currency, "EUR");
	got_free(&g);
}

/* Quoting: commas, quotes and blanks inside quoted cells. */
static void test_import_csvquote__quoting(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(HEAD ",manufacturer,supplier_name\n"
	                           "\"S, 1\",\"P,1\",EA,EUR,\"1.5\",\"Smith & Sons, \"\"Ltd\"\"\","
	                           "\"  Acme  \"\n", &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "S, 1");
	assert_string_equal(g.headers[0].supplier_name, "Acme");          /* trimmed */
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "P,1");
	assert_int_equal(g.lines[0].l.price, dec("1.5"));
	assert_string_equal(g.lines[0].manufacturer, "Smith & Sons, \"Ltd\"");
	got_free(&g);

	/* An unquoted comma in a manufacturer shifts the columns: one error, named. */
	assert_failed(parse_str(HEAD ",manufacturer\nS,P,EA,EUR,1,Smith, Sons\n", &g, &err),
	              &err, &g, 2, 1, "row has 7 fields but the header has 6");
	got_free(&g);

	/* A line break inside a quoted part number is refused, at its cell. */
	assert_failed(parse_str(HEAD "\nS,\"P\n1\",EA,EUR,1\n", &g, &err), &err, &g, 2, 3,
	              "part 'P?1' contains a line break");
	got_free(&g);

	/* Tokenizer errors stop the parse with their position. */
	assert_failed(parse_str(HEAD "\nS,\"P,EA,EUR,1\n", &g, &err), &err, &g, 2, 3,
	              "unterminated quoted field");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,P\"x,EA,EUR,1\n", &g, &err), &err, &g, 2, 4,
	              "quote inside an unquoted field");
	got_free(&g);
}

/* Tiers merged from rows anywhere, sorted; all-units against incremental. */
static void test_import_csvquote__tiers(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(HEAD ",tier_from,tier_type\n"
	                           "S,A,EA,EUR,1.90,500,\n"
	                           "S,B,EA,EUR,3,,incremental\n"
	                           "S,A,EA,EUR,2.50,,ALL-UNITS\n"
	                           "S,B,EA,EUR,2.5,10,\n"
	                           "S,A,EA,EUR,2.20,100,\n", &g, &err), 0);
	assert_int_equal(g.nlines, 2);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "A");
	/* The line sits at its lowest tier's row (line 4), not the first row seen. */
	assert_pos(g.lines[0].l.pos[BID_F_LINE], 4, 1);
	assert_pos(g.lines[0].l.pos[BID_F_PRICE], 4, 12);
	assert_int_equal(g.lines[0].l.price, dec("2.50"));
	assert_int_equal(g.lines[0].l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(g.lines[0].l.ntiers, 3);
	assert_int_equal(g.lines[0].tiers[0].from_qty, 0);
	assert_int_equal(g.lines[0].tiers[1].from_qty, dec("100"));
	assert_int_equal(g.lines[0].tiers[1].price, dec("2.20"));
	assert_pos(g.lines[0].tiers[1].pos, 6, 17);
	assert_int_equal(g.lines[0].tiers[2].from_qty, dec("500"));
	assert_pos(g.lines[0].tiers[2].pos, 2, 17);
	/* B states incremental once; its other row leaves tier_type empty. */
	assert_int_equal(g.lines[1].l.tier_type, BID_TIER_INCREMENTAL);
	assert_int_equal(g.lines[1].l.ntiers, 2);
	got_free(&g);

	/* The lowest tier may start at the MOQ. */
	assert_int_equal(parse_str(HEAD ",tier_from,moq\nS,A,EA,EUR,2,100,100\n"
	                           "S,A,EA,EUR,1.5,1000,\n", &g, &err), 0);
	assert_int_equal(g.lines[0].l.ntiers, 2);
	assert_int_equal(g.lines[0].l.min_qty, dec("100"));
	got_free(&g);

	/* A tier above max_qty is a warning: it never applies. */
	assert_int_equal(parse_str(HEAD ",tier_from,max_qty\nS,A,EA,EUR,2,,500\n"
	                           "S,A,EA,EUR,1.5,1000,\n", &g, &err), 0);
	assert_int_equal(g.ndiags, 1);
	assert_int_equal(g.diags[0].sev, BID_SEV_WARNING);
	assert_pos(g.diags[0].pos, 3, 16);
	assert_string_equal(g.diags[0].rule, "csv.quote.tier.unreachable");
	assert_int_equal(g.nlines, 1);
	got_free(&g);
}

/* Values stated once per part or sheet; the header's pay_days only when all agree. */
static void test_import_csvquote__stated_once(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(HEAD ",tier_from,payment_days,valid_until,supplier_name\n"
	                           "S,A,EA,EUR,2,,30,,\n"
	                           "S,B,EA,EUR,2,,60,2025-01-31,Seller\n"
	                           "S,A,EA,EUR,1,10,,,\n", &g, &err), 0);
	assert_int_equal(g.headers[0].h.has_pay_days, 0);
	assert_int_equal(g.headers[0].h.valid_until, date("2025-01-31"));
	assert_string_equal(g.headers[0].supplier_name, "Seller");
	assert_int_equal(g.lines[0].l.pay_days, 30);
	assert_int_equal(g.lines[1].l.pay_days, 60);
	got_free(&g);

	/* Numbers agree by value, not by spelling. */
	assert_int_equal(parse_str(HEAD ",tier_from,moq\nS,A,EA,EUR,2,,10\n"
	                           "S,A,EA,EUR,1,100,10.00\n", &g, &err), 0);
	got_free(&g);
}

/* ---- errors ------------------------------------------------------- */

static void test_import_csvquote__header_errors(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_failed(parse_str("supplier,part,unit,currency,price,colour,Price\nS,A,EA,EUR,1,red,1\n",
	                        &g, &err), &err, &g, 1, 35,
	              "unknown column 'colour' (column 6); the columns are supplier, ");
	assert_diag(&g, 1, 0, 1, 42, "csv.quote.header", "column 'price' appears twice (columns 5 and 7)");
	assert_int_equal(g.ndiags, 2);
	assert_int_equal(g.nheaders, 0);
	got_free(&g);

	assert_failed(parse_str("supplier,part,price\nS,A,1\n", &g, &err), &err, &g, 1, 1,
	              "missing column 'unit': a bid sheet needs supplier, part, unit, currency "
	              "and price");
	assert_diag(&g, 1, 0, 1, 1, "csv.quote.header", "missing column 'currency'");
	got_free(&g);

	assert_failed(parse_str("supplier,,part,unit,currency,price\n", &g, &err), &err, &g, 1, 10,
	              "column 2 has no name in the header");
	got_free(&g);

	assert_failed(parse_fixture("semicolon.csv", &g, &err), &err, &g, 1, 1,
	              "the header is one column with ';' in it: separate the columns with ','");
	got_free(&g);

	assert_failed(parse_str("supplier\tpart\tunit\tcurrency\tprice\nS\tA\tEA\tEUR\t1\n", &g,
	                        &err), &err, &g, 1, 1, "one column with tabs in it");
	got_free(&g);

	/* A forgotten supplier column is still read as a bid sheet (detect.c). */
	assert_failed(parse_str("part,quantity,unit,currency,price\nA,1,EA,EUR,1\n", &g, &err),
	              &err, &g, 1, 1, "missing column 'supplier'");
	got_free(&g);

	/* The empty template: a header and no rows. */
	assert_failed(parse_fixture("template.csv", &g, &err), &err, &g, 1, 1,
	              "the bid sheet has a header but no rows");
	got_free(&g);
}

/* Every value error of fixtures/csvquote/values-bad.csv, each at its cell, all reported. */
static void test_import_csvquote__value_errors(void **state)
{
	bid_error err;
	got g;
	int i = 0;

	(void)state;
	assert_failed(parse_fixture("values-bad.csv", &g, &err), &err, &g, 2, 6,
	              "quantity '0' must be greater than 0");
	assert_diag(&g, i++, 0, 2, 6, "csv.quote.range", "quantity '0' must be greater than 0");
	assert_diag(&g, i++, 0, 2, 15, "csv.quote.decimal", "price '2,50' has a decimal comma: "
	            "write '2.50' ('.' is the decimal point)");
	assert_diag(&g, i++, 0, 2, 22, "csv.quote.range", "price_per '0' must be greater than 0");
	assert_diag(&g, i++, 0, 2, 24, "csv.quote.range", "tier_from '-1' must not be negative");
	assert_diag(&g, i++, 0, 2, 27, "csv.quote.tier_type", "tier_type 'bulk' is neither "
	            "all-units nor incremental");
	assert_diag(&g, i++, 0, 2, 32, "csv.quote.range", "moq '-5' must be greater than 0");
	assert_diag(&g, i++, 0, 2, 35, "csv.quote.range", "max_qty '0' must be greater than 0");
	assert_diag(&g, i++, 0, 2, 37, "csv.quote.range", "lead_time_days '-2' must not be negative");
	assert_diag(&g, i++, 0, 2, 40, "csv.quote.days", "payment_days '1.5' is not a whole number "
	            "of days");
	assert_diag(&g, i++, 0, 2, 44, "csv.quote.date", "valid_until '2023-02-29' is not a date");
	assert_diag(&g, i++, 0, 2, 55, "csv.quote.range", "defect_ppm '-1' must not be negative");
	assert_diag(&g, i++, 0, 3, 6, "csv.quote.decimal", "quantity '1,000' has a thousands "
	            "separator or a decimal comma: write plain digits with '.' as the decimal point");
	assert_diag(&g, i++, 0, 3, 14, "csv.quote.code", "unit 'pieces' is not a code: expected a "
	            "UN/ECE Rec 20 code");
	assert_diag(&g, i++, 0, 3, 21, "csv.quote.code", "currency 'euro' is not a code: expected "
	            "an ISO 4217 code");
	assert_diag(&g, i++, 0, 3, 26, "csv.quote.decimal", "price '1 000' has a thousands separator");
	assert_diag(&g, i++, 0, 3, 37, "csv.quote.range", "lead_time_days '100001' is more than "
	            "100000 days");
	assert_diag(&g, i++, 0, 3, 45, "csv.quote.date", "valid_until '31/12/2024' is not a date");
	assert_diag(&g, i++, 0, 3, 56, "csv.quote.range", "defect_ppm '1000001' is more than 1000000");
	assert_diag(&g, i++, 0, 4, 4, "csv.quote.empty", "part is empty: every row needs the "
	            "buyer's part number");
	assert_diag(&g, i++, 0, 4, 14, "csv.quote.empty", "price is empty: expected the price");
	assert_diag(&g, i++, 0, 5, 15, "csv.quote.decimal", "price '1e3' is not a decimal");
	assert_int_equal(g.ndiags, i);
	assert_int_equal(g.nerrors, i);
	/* No bad row is delivered; the header still is. */
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 0);
	got_free(&g);

	/* More number spellings. */
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,\"1.234,50\"\n", &g, &err), &err, &g, 2, 12,
	              "thousands separator");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,1\xC2\xA0" "000\n", &g, &err), &err, &g, 2, 12,
	              "thousands separator");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,0\n", &g, &err), &err, &g, 2, 12,
	              "price '0' must be greater than 0");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,99999999999999\n", &g, &err), &err, &g, 2, 12,
	              "price '99999999999999' is not a decimal");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,0.0000001\n", &g, &err), &err, &g, 2, 12,
	              "is not a decimal");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,\xE2\x82\xAC" "2\n", &g, &err), &err, &g, 2, 12,
	              "is not a decimal");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,EA,EU,1\n", &g, &err), &err, &g, 2, 8,
	              "currency 'EU' is not a code");
	got_free(&g);
	assert_failed(parse_str(HEAD "\n,A,EA,EUR,1\n", &g, &err), &err, &g, 2, 1,
	              "supplier is empty: every row names the supplier");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,A,,EUR,1\n", &g, &err), &err, &g, 2, 5,
	              "unit is empty: expected a UN/ECE Rec 20 code");
	got_free(&g);
}

/* Rows of a part or of the sheet that disagree: fixtures/csvquote/merge-bad.csv. */
static void test_import_csvquote__disagreements(void **state)
{
	bid_error err;
	got g;
	int i = 0;

	(void)state;
	assert_failed(parse_fixture("merge-bad.csv", &g, &err), &err, &g, 4, 1,
	              "supplier 'S2' differs from 'S1' on line 2: a bid sheet holds one "
	              "supplier's quote");
	assert_diag(&g, i++, 0, 4, 1, "csv.quote.supplier", "supplier 'S2' differs");
	assert_diag(&g, i++, 0, 4, 4, "csv.quote.sheet", "supplier_name 'Other' differs from "
	            "'Seller' on line 2");
	assert_diag(&g, i++, 0, 4, 31, "csv.quote.sheet", "valid_until '2024-07-31' differs from "
	            "'2024-06-30' on line 2");
	assert_diag(&g, i++, 0, 5, 20, "csv.quote.tier.twice", "part 'A' has a second price from "
	            "quantity 0 (lines 2 and 5)");
	assert_diag(&g, i++, 0, 6, 7, "csv.quote.disagree", "unit 'C62' disagrees with 'EA' on "
	            "line 3 for part 'B'");
	assert_diag(&g, i++, 0, 6, 11, "csv.quote.disagree", "currency 'USD' disagrees with 'EUR'");
	assert_diag(&g, i++, 0, 6, 27, "csv.quote.disagree", "tier_type 'incremental' disagrees "
	            "with 'all-units' on line 3");
	assert_diag(&g, i++, 0, 6, 44, "csv.quote.disagree", "lead_time_days '11' disagrees with "
	            "'10' on line 3");
	assert_diag(&g, i++, 0, 6, 51, "csv.quote.disagree", "manufacturer 'Maker Two' disagrees "
	            "with 'Maker' on line 3");
	/* After the whole sheet is read: per part checks. */
	assert_diag(&g, i++, 0, 7, 20, "csv.quote.tier.first", "the lowest price tier of part 'D' "
	            "starts at 50: start it at 0");
	assert_diag(&g, i++, 0, 8, 20, "csv.quote.tier.first", "part 'E' starts at 50 but moq is 40");
	assert_diag(&g, i++, 0, 9, 22, "csv.quote.moq", "moq 500 of part 'F' is more than its "
	            "max_qty 100");
	assert_int_equal(g.diags[i].sev, BID_SEV_WARNING);   /* G's tier above max_qty */
	i++;
	assert_int_equal(g.ndiags, i);
	/* Only G is clean; S2's row C and S3's row H belong to other suppliers. */
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "G");
	got_free(&g);

	/* Two rows of one part without tier_from: the same tier twice. */
	assert_failed(parse_str(HEAD "\nS,A,EA,EUR,1\nS,B,EA,EUR,1\nS,A,EA,EUR,2\n", &g, &err),
	              &err, &g, 4, 12, "part 'A' has a second price from quantity 0 (lines 2 "
	              "and 4)");
	assert_int_equal(g.nlines, 1);
	got_free(&g);

	/* A disagreement on quantity, price_per, moq, max_qty, payment_days, defect_ppm. */
	assert_failed(parse_str(HEAD ",tier_from,quantity,price_per,moq,max_qty,payment_days,"
	                        "defect_ppm\nS,A,EA,EUR,2,,5,1,1,9,30,10\n"
	                        "S,A,EA,EUR,1,2,6,2,2,8,31,11\n", &g, &err), &err, &g, 3, 16,
	              "quantity '6' disagrees with '5' on line 2 for part 'A'");
	assert_diag(&g, 1, 0, 3, 18, "csv.quote.disagree", "price_per '2' disagrees with '1'");
	assert_diag(&g, 2, 0, 3, 20, "csv.quote.disagree", "moq '2' disagrees with '1'");
	assert_diag(&g, 3, 0, 3, 22, "csv.quote.disagree", "max_qty '8' disagrees with '9'");
	assert_diag(&g, 4, 0, 3, 24, "csv.quote.disagree", "payment_days '31' disagrees with '30'");
	assert_diag(&g, 5, 0, 3, 27, "csv.quote.disagree", "defect_ppm '11' disagrees with '10'");
	assert_int_equal(g.ndiags, 6);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

/* certificates: a list in one cell, tidied, agreeing across a part's rows. */
static void test_import_csvquote__certificates(void **state)
{
	bid_error err;
	got g;

	(void)state;
	/* Blanks around codes and empty codes go; a list of nothing is not stated. */
	assert_int_equal(parse_str(HEAD ",tier_from,Certificates\n"
	                           "S,A,EA,EUR,2,,\" ISO9001 ,, RoHS,\"\n"
	                           "S,B,EA,EUR,2,,\" , \"\n"
	                           "S,A,EA,EUR,1,10,\"ISO9001,RoHS\"\n"
	                           "S,C,EA,EUR,2,,IATF16949\n"
	                           "S,A,EA,EUR,0.5,20,\n", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nlines, 3);
	assert_string_equal(g.lines[0].certificates, "ISO9001,RoHS");
	assert_null(g.lines[1].certificates);
	assert_string_equal(g.lines[2].certificates, "IATF16949");
	got_free(&g);

	/* Without the column, no certificates. */
	assert_int_equal(parse_str(HEAD "\nS,A,EA,EUR,2\n", &g, &err), 0);
	assert_null(g.lines[0].certificates);
	got_free(&g);

	/* Rows of a part state the same list, in the same order. */
	assert_failed(parse_str(HEAD ",tier_from,certificates\nS,A,EA,EUR,2,,\"ISO9001,RoHS\"\n"
	                        "S,A,EA,EUR,1,10,\"RoHS,ISO9001\"\n", &g, &err), &err, &g, 3, 17,
	              "certificates 'RoHS,ISO9001' disagrees with 'ISO9001,RoHS' on line 2 for "
	              "part 'A'");
	assert_string_equal(g.diags[0].rule, "csv.quote.disagree");
	assert_int_equal(g.nlines, 0);
	got_free(&g);

	/* A control character, or a list longer than a text may be, is refused. */
	assert_failed(parse_str(HEAD ",certificates\nS,A,EA,EUR,2,\"ISO9001,\tRoHS\"\n", &g, &err),
	              &err, &g, 2, 14, "certificates 'ISO9001,?RoHS' contains a line break or "
	              "another control character");
	assert_string_equal(g.diags[0].rule, "csv.quote.text");
	assert_int_equal(g.nlines, 0);
	got_free(&g);
	{
		char doc[512];
		int n = snprintf(doc, sizeof(doc), HEAD ",certificates\nS,A,EA,EUR,2,\"");

		memset(doc + n, 'X', 201);
		snprintf(doc + n + 201, sizeof(doc) - (size_t)n - 201, "\"\n");
		assert_failed(parse_str(doc, &g, &err), &err, &g, 2, 14,
		              "certificates is 201 bytes long: at most 200 are allowed");
		got_free(&g);
	}
}

/* A consumer that says stop, in diag or in quote_line, stops the parse with its code. */
static int stop_diag(const bid_diag *d, void *payload)
{
	(void)d;
	(*(int *)payload)++;
	return BID_ESTOP;
}

static int stop_line(const bid_quote_line *l, void *payload)
{
	(void)l;
	(*(int *)payload)++;
	return BID_ESTOP;
}

static void test_import_csvquote__consumer_stops(void **state)
{
	static const char bad[] = HEAD "\nS,A,EA,EUR,0\nS,B,EA,EUR,0\n";
	static const char good[] = HEAD "\nS,A,EA,EUR,1\nS,B,EA,EUR,1\n";
	bid_import_sink s1 = { NULL, NULL, NULL, NULL, stop_diag, NULL, NULL };
	bid_import_sink s2 = { NULL, stop_line, NULL, NULL, NULL, NULL, NULL };
	bid_error err;
	int n = 0;

	(void)state;
	s1.payload = &n;
	assert_int_equal(bid_import_parse(bad, strlen(bad), BID_FORMAT_CSV, "bid.csv", &s1, &err),
	                 BID_ESTOP);
	assert_int_equal(n, 1);
	assert_int_equal(err.line, 2);          /* the first error stays in err */
	n = 0;
	s2.payload = &n;
	assert_int_equal(bid_import_parse(good, strlen(good), BID_FORMAT_CSV, "bid.csv", &s2,
	                                  &err), BID_ESTOP);
	assert_int_equal(n, 1);
	assert_non_null(strstr(err.msg, "stopped by its consumer"));
	assert_int_equal(err.line, 2);
	/* No sink, no err: a plain validation. */
	assert_int_equal(bid_import_parse(good, strlen(good), BID_FORMAT_UNKNOWN, NULL, NULL, NULL),
	                 0);
	assert_int_equal(bid_import_parse(bad, strlen(bad), BID_FORMAT_UNKNOWN, NULL, NULL, NULL),
	                 BID_EINVALID);
}

/* ---- hostile input ------------------------------------------------ */

static void test_import_csvquote__nul_and_utf8(void **state)
{
	static const char nul[] = HEAD "\nS,A\0B,EA,EUR,1\n";
	bid_error err;
	got g;

	(void)state;
	assert_failed(parse_mem(nul, sizeof(nul) - 1, &g, &err), &err, &g, 2, 4,
	              "NUL byte in a CSV file");
	assert_int_equal(g.nheaders, 0);
	got_free(&g);
	assert_failed(parse_str(HEAD ",manufacturer\nS,A,EA,EUR,1,M\xC3\x28x\n", &g, &err), &err,
	              &g, 2, 15, "invalid UTF-8 (byte 0xC3): save the file as UTF-8");
	got_free(&g);
	/* Latin-1 as a spreadsheet may save it. */
	assert_failed(parse_str(HEAD ",manufacturer\nS,A,EA,EUR,1,W\xFCrth\n", &g, &err), &err,
	              &g, 2, 15, "invalid UTF-8 (byte 0xFC)");
	got_free(&g);
	/* Overlong and surrogate forms. */
	assert_failed(parse_str(HEAD "\nS,\xC0\xAF,EA,EUR,1\n", &g, &err), &err, &g, 2, 3,
	              "invalid UTF-8");
	got_free(&g);
	assert_failed(parse_str(HEAD "\nS,\xED\xA0\x80,EA,EUR,1\n", &g, &err), &err, &g, 2, 3,
	              "invalid UTF-8");
	got_free(&g);
}

static void test_import_csvquote__huge_fields(void **state)
{
	size_t n = 70000, h = strlen(HEAD "\nS,");
	char *doc = malloc(h + n + 64), *p;
	bid_error err;
	got g;
	int i;

	(void)state;
	assert_non_null(doc);
	/* A cell past the tokenizer's 64 KiB field cap: stop at the cell. */
	memcpy(doc, HEAD "\nS,", h);
	memset(doc + h, 'x', n);
	strcpy(doc + h + n, ",EA,EUR,1\n");
	assert_failed(parse_str(doc, &g, &err), &err, &g, 2, 3, "field longer than 65536 bytes");
	got_free(&g);
	/* A long but legal cell: a part number over 200 bytes is a value error. */
	strcpy(doc + h + 300, ",EA,EUR,1\n");
	assert_failed(parse_str(doc, &g, &err), &err, &g, 2, 3, "part is 300 bytes long: at "
	              "most 200 are allowed");
	got_free(&g);
	free(doc);

	/* A row of many 60 KB fields: the row cap (1 MiB) stops it, not memory. */
	doc = malloc(64 + 20 * 60001);
	assert_non_null(doc);
	p = doc + sprintf(doc, HEAD "\n");
	for (i = 0; i < 20; i++) {
		memset(p, 'y', 60000);
		p[60000] = ',';
		p += 60001;
	}
	strcpy(p, "\n");
	assert_failed(parse_str(doc, &g, &err), &err, &g, 2, 1 + 17 * 60001,
	              "row longer than 1048576 bytes");
	got_free(&g);
	free(doc);

	/* A gigantic number of blanks around a value is trimmed, not kept. */
	doc = malloc(64 + 3000000);
	assert_non_null(doc);
	p = doc + sprintf(doc, HEAD "\nS,A,EA,EUR,");
	memset(p, ' ', 3000000);
	strcpy(p + 3000000, "1\n");
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	got_free(&g);
	free(doc);
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char *many_rows(size_t rows, const char *fmt, size_t *len)
{
	size_t cap = 64 + rows * 64, n;
	char *doc = malloc(cap);
	size_t i;

	assert_non_null(doc);
	n = (size_t)sprintf(doc, HEAD ",tier_from\n");
	for (i = 0; i < rows; i++)
		n += (size_t)snprintf(doc + n, cap - n, fmt, (unsigned long)i);
	*len = n;
	return doc;
}

/* A million tiny rows: every shape stops at a cap, in bounded memory. */
static void test_import_csvquote__million_rows(void **state)
{
	bid_error err;
	size_t len;
	long before, grown;
	char *doc;
	got g;

	(void)state;
	/* A million distinct parts: stopped at row 100,001 (line 100,002). */
	doc = many_rows(1000000, "S,P%lu,EA,EUR,1,\n", &len);
	before = max_rss_kb();
	assert_failed(parse_mem(doc, len, &g, &err), &err, &g, 100002, 1,
	              "more than 100000 rows: a bid sheet holds at most 100000 rows");
	grown = max_rss_kb() - before;
	print_message("  100,000 parts kept: max RSS grew by %ld KB\n", grown);
	/* ASan's quarantine and redzones inflate the figure: check plain builds only. */
	if (!NO_RSS_CHECK)
		assert_true(grown < 64 * 1024);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
	free(doc);

	/* A million tiers of one part: 100 tiers, then an error per row up to 1000. */
	doc = many_rows(1000000, "S,A,EA,EUR,1,%lu\n", &len);
	assert_failed(parse_mem(doc, len, &g, &err), &err, &g, 102, 14,
	              "part 'A' has more than 100 price tiers");
	assert_int_equal(g.nerrors, 1001);
	assert_diag(&g, 1, 0, 103, 14, "csv.quote.tier.limit", "more than 100 price tiers");
	free(doc);
	got_free(&g);

	/* A million rows of empty cells below a sheet: skipped, cheaply. */
	doc = many_rows(1000001, ",,,,,\n", &len);
	/* the first 18 bytes of empty rows become one data row (18 bytes too) */
	memcpy(doc + strlen(HEAD ",tier_from\n"), "S,A,EA,EUR,1,\n\n\n\n\n", 18);
	assert_int_equal(parse_mem(doc, len, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	free(doc);
	got_free(&g);

	/* A million rows with the wrong field count: an error each, capped. */
	doc = many_rows(1000000, "S,%lu\n", &len);
	assert_failed(parse_mem(doc, len, &g, &err), &err, &g, 2, 1,
	              "row has 2 fields but the header has 6");
	assert_int_equal(g.nerrors, 1001);
	assert_true(g.ndiags > 0);
	free(doc);
	got_free(&g);
}

/* Detection: the header names the kind, in any case and with blanks. */
static void test_import_csvquote__detect(void **state)
{
	static const struct {
		const char *doc;
		bid_format  fmt;
		bid_doc_kind kind;
	} cases[] = {
		{ HEAD "\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ " SUPPLIER , Part ,UNIT,Currency, PRICE \r\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ "\xEF\xBB\xBF\"Supplier\",\" price \"\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ "part,unit,currency,price\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ "supplier,part,quantity,unit\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ "supplier;part;unit;currency;price\n", BID_FORMAT_CSV, BID_DOC_QUOTE },
		{ "part,quantity,unit\n", BID_FORMAT_CSV, BID_DOC_RFQ },
		{ "name,age\n", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bid_doc_kind kind;
		bid_format fmt = bid_import_detect(cases[i].doc, strlen(cases[i].doc), &kind);

		if (fmt != cases[i].fmt || kind != cases[i].kind)
			fail_msg("case %zu: format %d kind %d", i, fmt, kind);
	}
}

/*
 * The public samples (../shared/samples/csv, if it ever holds bid sheets):
 * each imports, or is refused with a positioned, one-line reason.  Today
 * there is no public CSV bid sheet, so this skips.
 */
static void test_import_csvquote__samples(void **state)
{
	const char *dir = getenv("BIDCMP_SAMPLES") ? getenv("BIDCMP_SAMPLES") : "../shared/samples";
	char path[1024];
	struct dirent *e;
	DIR *d;
	int n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/csv", dir);
	if (!(d = opendir(path))) {
		skip();
		return;
	}
	while ((e = readdir(d))) {
		char file[1300], *data;
		size_t len = 0, k = strlen(e->d_name);
		bid_error err;
		got g;
		int rc;

		if (k < 5 || strcmp(e->d_name + k - 4, ".csv") != 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		assert_non_null(data = slurp(file, &len));
		rc = parse_mem(data, len, &g, &err);
		print_message("  %s: %s\n", e->d_name, rc == 0 ? "imported" : err.msg);
		if (rc == 0)
			assert_true(g.nlines > 0);
		else
			assert_failed(rc, &err, &g, err.line, err.col, "");
		got_free(&g);
		free(data);
		n++;
	}
	closedir(d);
	if (n == 0)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_csvquote__full),
		cmocka_unit_test(test_import_csvquote__bom_crlf_case),
		cmocka_unit_test(test_import_csvquote__quoting),
		cmocka_unit_test(test_import_csvquote__tiers),
		cmocka_unit_test(test_import_csvquote__stated_once),
		cmocka_unit_test(test_import_csvquote__header_errors),
		cmocka_unit_test(test_import_csvquote__value_errors),
		cmocka_unit_test(test_import_csvquote__disagreements),
		cmocka_unit_test(test_import_csvquote__certificates),
		cmocka_unit_test(test_import_csvquote__consumer_stops),
		cmocka_unit_test(test_import_csvquote__nul_and_utf8),
		cmocka_unit_test(test_import_csvquote__huge_fields),
		cmocka_unit_test(test_import_csvquote__million_rows),
		cmocka_unit_test(test_import_csvquote__detect),
		cmocka_unit_test(test_import_csvquote__samples),
	};

	return cmocka_run_group_tests_name("import_csvquote", tests, NULL, NULL);
}
