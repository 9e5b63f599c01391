/*
 * import_edifact.c - cmocka tests of importers/edifact.c on fixtures/edifact/,
 * on hostile input built in memory, and on the public samples when
 * ../shared/samples is there (else skipped).  Run from the repository root;
 * BIDCMP_FIXTURES / BIDCMP_SAMPLES override.  Public bidcmp API only.
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

/* ---- the sink: collect.h's, with EDIFACT's part of the contract ---- */

static int on_ql(const bid_quote_line *l, void *payload)
{
	assert_true(l->price > 0);
	return got_on_ql(l, payload);
}

static int on_diag(const bid_diag *d, void *payload)
{
	assert_non_null(d->rule);
	assert_true(strncmp(d->rule, "edifact.", 8) == 0);
	return got_on_diag(d, payload);
}

static bid_import_sink sink_of(got *g)
{
	bid_import_sink sink = got_sink(g);

	sink.quote_line = on_ql;
	sink.diag = on_diag;
	return sink;
}

/* ---- inputs ------------------------------------------------------- */

static int parse_mem(const char *data, size_t len, got *g, bid_error *err)
{
	bid_import_sink sink = sink_of(g);

	return bid_import_parse(data, len, BID_FORMAT_EDIFACT, "test.edi", &sink, err);
}

static int parse_str(const char *text, got *g, bid_error *err)
{
	got_reset(g, 0);
	return parse_mem(text, strlen(text), g, err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	size_t len;
	char *data = fixture("edifact", name, &len);
	bid_doc_kind kind;
	int rc;

	got_reset(g, 0);
	/* Detection must agree: these are EDIFACT by content. */
	assert_int_equal(bid_import_detect(data, len, &kind), BID_FORMAT_EDIFACT);
	assert_int_equal(kind, BID_DOC_QUOTE);
	rc = parse_mem(data, len, g, err);
	free(data);
	return rc;
}

static int parse_sample(const char *name, got *g, bid_error *err)
{
	size_t len;
	char *data = sample("edifact", name, &len);
	int rc;

	got_reset(g, 0);
	rc = parse_mem(data, len, g, err);
	free(data);
	return rc;
}

static void assert_error(int rc, const bid_error *err, long line, long col, const char *needle)
{
	assert_import_error(rc, err, "test.edi", line, col, needle);
}

/* Index of the first diagnostic with this rule, or -1. */
static int find_diag(const got *g, const char *rule)
{
	int i;

	for (i = 0; i < g->ndiags && i < GOT_DIAGS; i++)
		if (strcmp(g->diags[i].rule, rule) == 0)
			return i;
	return -1;
}

/* A small valid quote around the given line segments (default delimiters). */
static char *wrap(const char *lines)
{
	static const char head[] = "UNA:+.? 'UNB+UNOC:3+SUP+BUYER+260301:0800+IC1'"
	                           "UNH+1+QUOTES:D:96A:UN'BGM+310+Q1+9'CUX+2:EUR'";
	static const char tail[] = "UNS+S'UNT+99+1'UNZ+1+IC1'";
	size_t n = strlen(head) + strlen(lines) + strlen(tail) + 1;
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, "%s%s%s", head, lines, tail);
	return s;
}

/* Segment numbers inside wrap(): UNA 1, UNB 2, UNH 3, BGM 4, CUX 5, lines from 6. */
#define W 6

/* ---- good documents ----------------------------------------------- */

static void test_import_edifact__full_quote(void **state)
{
	bid_error err;
	got g;
	const bid_quote_header *h;
	got_line *l;

	(void)state;
	assert_int_equal(parse_fixture("quote-full.edi", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nwarnings, 0);

	h = &g.headers[0].h;
	assert_string_equal(g.headers[0].supplier_id, "5412345000020");       /* NAD+SU over UNB */
	assert_string_equal(g.headers[0].supplier_name, "Acme Fasteners Wholesale Company Ltd");
	assert_pos(h->pos, 13, 2);
	assert_string_equal(g.headers[0].quote_id, "Q-2026-0042");
	assert_string_equal(g.headers[0].rfq_ref, "RFQ-77");
	assert_string_equal(g.headers[0].currency, "EUR");
	assert_int_equal(h->issue_date, date("2026-03-01"));
	assert_int_equal(h->valid_until, date("2026-03-31"));
	assert_int_equal(h->valid_from, BID_DATE_NONE);
	assert_true(h->has_pay_days);
	assert_int_equal(h->pay_days, 30);
	assert_true(h->has_discount);
	assert_int_equal(h->discount_pct, dec("2.5"));                /* decimal comma */
	assert_int_equal(h->discount_days, 10);
	assert_string_equal(g.headers[0].incoterm, "FCA");
	assert_true(h->has_total);
	assert_int_equal(h->total, dec("1207.50"));
	assert_string_equal(g.headers[0].total_currency, "EUR");
	assert_pos(h->total_pos, 42, 1);                               /* read ahead */

	l = &g.lines[0];
	assert_string_equal(l->line_id, "1");
	assert_string_equal(l->part_ids[BID_PART_STANDARD], "4006381333931");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "AF-100-M8");
	assert_string_equal(l->part_ids[BID_PART_MANUFACTURER], "MX-8812");
	assert_string_equal(l->part_ids[BID_PART_BUYER], "B-4711");
	assert_string_equal(l->part_ids[BID_PART_RFQ_LINE], "RFQ-77-001");
	assert_null(l->part_ids[BID_PART_LINE_ITEM]);
	/* IMD text split across components (no space added), released ' and :. */
	assert_string_equal(l->description,
	                    "Hex bolt M8 x 40, zinc plated: DIN 933 '8.8' grade: bulk");
	assert_true(l->l.has_qty);
	assert_int_equal(l->l.qty, dec("5000"));
	assert_string_equal(l->unit, "PCE");
	assert_true(l->l.has_min_qty);
	assert_int_equal(l->l.min_qty, dec("500"));
	assert_true(l->l.has_max_qty);
	assert_int_equal(l->l.max_qty, dec("20000"));
	/* Net AAA wins over the tax-inclusive AAE; its tiers come from RNG. */
	assert_int_equal(l->l.price, dec("24.5"));
	assert_false(l->l.tax_included);
	assert_string_equal(l->currency, "EUR");
	assert_int_equal(l->l.basis_qty, dec("100"));
	assert_string_equal(l->basis_unit, "PCE");
	assert_int_equal(l->l.ntiers, 2);
	assert_int_equal(l->l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(l->tiers[0].from_qty, dec("500"));
	assert_int_equal(l->tiers[0].price, dec("24.5"));
	assert_pos(l->tiers[0].pos, 25, 1);
	assert_int_equal(l->tiers[1].from_qty, dec("5000"));
	assert_int_equal(l->tiers[1].price, dec("22.75"));
	assert_pos(l->tiers[1].pos, 27, 1);
	assert_true(l->l.has_lead_time);
	assert_int_equal(l->l.lead_time_days, 14);
	assert_int_equal(l->l.delivery_date, date("2026-04-15"));
	assert_true(l->l.has_line_amount);
	assert_int_equal(l->l.line_amount, dec("1137.50"));
	assert_string_equal(l->manufacturer, "Maxfast GmbH");
	assert_string_equal(l->origin_country, "DE");
	assert_true(l->l.has_pay_days);
	assert_int_equal(l->l.pay_days, 45);
	assert_false(l->l.has_defect_ppm);
	assert_pos(l->l.pos[BID_F_LINE], 15, 1);
	assert_pos(l->l.pos[BID_F_PART], 15, 3);
	assert_pos(l->l.pos[BID_F_QTY], 19, 1);
	assert_pos(l->l.pos[BID_F_UNIT], 19, 1);
	assert_pos(l->l.pos[BID_F_MIN_QTY], 20, 1);
	assert_pos(l->l.pos[BID_F_MAX_QTY], 21, 1);
	assert_pos(l->l.pos[BID_F_DELIVERY], 22, 1);
	assert_pos(l->l.pos[BID_F_LEAD_TIME], 23, 1);
	assert_pos(l->l.pos[BID_F_PRICE], 25, 1);
	assert_pos(l->l.pos[BID_F_BASIS], 25, 1);
	assert_pos(l->l.pos[BID_F_CURRENCY], 8, 1);                   /* header CUX */

	l = &g.lines[1];
	assert_string_equal(l->line_id, "2");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "SEAL-22");
	assert_null(l->part_ids[BID_PART_STANDARD]);
	assert_string_equal(l->description, "O-ring 22 x 3 NBR");      /* IMD+F, no code */
	assert_int_equal(l->l.qty, dec("200"));
	assert_null(l->unit);                                          /* no unit: NULL */
	assert_int_equal(l->l.price, dec("0.35"));                     /* decimal point too */
	assert_string_equal(l->currency, "USD");                       /* CUX in the PRI group */
	assert_pos(l->l.pos[BID_F_CURRENCY], 38, 1);
	assert_int_equal(l->l.basis_qty, 0);
	assert_null(l->basis_unit);
	assert_int_equal(l->l.ntiers, 0);
	assert_int_equal(l->l.delivery_date, date("2026-05-01"));      /* DTM+2 */
	assert_int_equal(l->l.lead_time_days, 14);                     /* 2 weeks (803) */
	assert_false(l->l.has_line_amount);
	assert_false(l->l.has_pay_days);
	assert_null(l->manufacturer);
	got_free(&g);
}

static void test_import_edifact__multi_interchange(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("multi.edi", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nwarnings, 0);
	assert_int_equal(g.nheaders, 3);
	assert_int_equal(g.nlines, 3);
	/* Interchange 1, UNA>^,! ~: two messages. */
	assert_string_equal(g.headers[0].supplier_id, "SUP-A");
	assert_string_equal(g.headers[0].quote_id, "QA-1");
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "ART^1");   /* released ^ */
	assert_int_equal(g.lines[0].l.price, dec("1.25"));
	assert_int_equal(g.lines[0].l.qty, dec("10"));
	assert_int_equal(g.lines[0].header, 0);
	/* No NAD+SU: the UNB sender is the supplier. */
	assert_string_equal(g.headers[1].supplier_id, "SENDER-A");
	assert_pos(g.headers[1].h.pos, 2, 2);
	assert_string_equal(g.headers[1].quote_id, "QA-2");
	assert_string_equal(g.lines[1].description, "Gr\xc3\xbc\xc3\x9f" "e");   /* UNOY UTF-8 */
	assert_int_equal(g.lines[1].header, 1);
	/* Interchange 2: no UNA, default delimiters, one segment per line. */
	assert_string_equal(g.headers[2].supplier_id, "SENDER-B");
	assert_string_equal(g.headers[2].currency, "GBP");
	assert_int_equal(g.lines[2].l.price, dec("3"));
	assert_int_equal(g.lines[2].header, 2);
	assert_pos(g.lines[2].l.pos[BID_F_LINE], 23, 1);               /* numbering goes on */
	got_free(&g);
}

/* Groups keyed on triggers: QTY after PRI, NAD after CUX, DTM anywhere. */
static void test_import_edifact__order_free_groups(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("NAD+SU+S-9++Name'LIN+1++A:SA'PRI+AAA:4'DTM+169:5:804'QTY+21:3:KGM'"
	               "IMD+F++:::late text'RFF+LI:L-1'DTM+63:202604011230:203'"
	               "LIN+2++B:SA'QTY+1:2'DTM+69:20260401-20260410:718'MOA+203:8'");

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_string_equal(g.headers[0].supplier_id, "S-9");
	assert_string_equal(g.headers[0].supplier_name, "Name");
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.lines[0].l.qty, dec("3"));
	assert_string_equal(g.lines[0].unit, "KGM");
	assert_int_equal(g.lines[0].l.lead_time_days, 5);
	assert_string_equal(g.lines[0].description, "late text");
	assert_string_equal(g.lines[0].part_ids[BID_PART_RFQ_LINE], "L-1");
	assert_int_equal(g.lines[0].l.delivery_date, date("2026-04-01"));      /* 203 */
	/* No PRI: the price is MOA+203 over QTY, with a warning. */
	assert_int_equal(g.lines[1].l.price, dec("4"));
	assert_int_equal(g.lines[1].l.line_amount, dec("8"));
	assert_int_equal(g.lines[1].l.delivery_date, date("2026-04-01"));      /* 718 start */
	assert_true(find_diag(&g, "edifact.pri.derived") >= 0);
	got_free(&g);
	free(s);
}

/* CRLF, tabs and blanks between segments; a wrapped line inside one. */
static void test_import_edifact__whitespace(void **state)
{
	bid_error err;
	got g;
	const char *s = "\xEF\xBB\xBF  UNB+UNOC:3+SUP+BUYER+260301:0800+IC1'\r\n"
	                "UNH+1+QUOTES:D:96A:UN'\r\n\tBGM+310+Q1+9'\r\n  CUX+2:EUR'\r\n"
	                "LIN+1++AB\r\nC:SA'\r\n\t\tPRI+AAA:1\r\n.5'\r\nUNT+6+1'\r\nUNZ+1+IC1'\r\n\r\n";

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "ABC");
	assert_int_equal(g.lines[0].l.price, dec("1.5"));
	assert_pos(g.lines[0].l.pos[BID_F_PRICE], 6, 1);               /* no UNA here */
	got_free(&g);
}

/* UNOB without UNA: IS1/IS3/IS4 separators and no release character. */
static void test_import_edifact__unob_separators(void **state)
{
	bid_error err;
	got g;
	const char *s = "UNB\x1dUNOB\x1f" "3\x1dSUP\x1d" "B\x1d" "260301\x1f" "0800\x1dIC1\x1c"
	                "UNH\x1d" "1\x1dQUOTES\x1f" "D\x1f" "96A\x1fUN\x1c"
	                "CUX\x1d" "2\x1fSEK\x1cLIN\x1d" "1\x1d\x1d" "A?B\x1fSA\x1c"
	                "PRI\x1d" "AAA\x1f" "7\x1cUNT\x1d" "5\x1d" "1\x1cUNZ\x1d" "1\x1dIC1\x1c";

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "A?B");
	assert_int_equal(g.lines[0].l.price, dec("7"));
	assert_string_equal(g.lines[0].currency, "SEK");
	got_free(&g);
}

/* UNOC is ISO 8859-1: a Latin-1 byte becomes UTF-8. */
static void test_import_edifact__latin1(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("LIN+1++A:SA'IMD+F++:::Stra\xdf" "e Caf\xe9'PRI+AAA:1'");

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].description, "Stra\xc3\x9f" "e Caf\xc3\xa9");
	got_free(&g);
	free(s);
}

/* ---- prices: qualifiers, tax, gross --------------------------------- */

static void test_import_edifact__price_kinds(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("price-kinds.edi", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nlines, 3);
	/* Gross only: used, not tax-included, warned. */
	assert_int_equal(g.lines[0].l.price, dec("10"));
	assert_false(g.lines[0].l.tax_included);
	assert_diag(&g, 0, BID_SEV_WARNING, 7, 1, "edifact.pri.gross", "gross");
	/* Tax-inclusive only: marked and warned. */
	assert_int_equal(g.lines[1].l.price, dec("11.90"));
	assert_true(g.lines[1].l.tax_included);
	assert_diag(&g, 1, BID_SEV_WARNING, 9, 1, "edifact.pri.tax_included", "PRI+AAE");
	/* Both: the net price, never the tax-inclusive one. */
	assert_int_equal(g.lines[2].l.price, dec("10"));
	assert_false(g.lines[2].l.tax_included);
	assert_pos(g.lines[2].l.pos[BID_F_PRICE], 12, 1);
	assert_int_equal(g.ndiags, 2);
	got_free(&g);
}

/* ---- control counts and totals (warnings, never failures) ---------- */

/*
 * Control counts longer than their n..6 field (a message of millions of
 * segments) are named as such, not as a mismatch with the same number;
 * CNT's control value is n..18, so 7 digits there are a plain count.
 */
static void test_import_edifact__overlong_counts(void **state)
{
	static const char text[] =
		"UNB+UNOC:3+SUP+BUYER+260304:0800+IC9'UNH+7+QUOTES:D:96A:UN'BGM+310+QCNT+9'"
		"CUX+2:GBP:9'NAD+SU+SUP-9'LIN+1++X-1:SA'QTY+21:3'PRI+AAA:10'"
		"CNT+2:0000001'UNT+0000009+7'UNZ+0000001+IC9'";
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(text, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(find_diag(&g, "edifact.cnt.count"), -1);
	assert_diag(&g, find_diag(&g, "edifact.unt.count"), BID_SEV_WARNING, 10, 1,
	            "edifact.unt.count", "UNT segment count '0000009' is not a number of 1 to 6 "
	            "digits (n..6); message '7' has 9 segments");
	assert_diag(&g, find_diag(&g, "edifact.unz.count"), BID_SEV_WARNING, 11, 1,
	            "edifact.unz.count", "'0000001' is not a number of 1 to 6 digits (n..6); the "
	            "interchange has 1 messages");
	got_free(&g);
}

static void test_import_edifact__wrong_counts(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("wrong-counts.edi", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.ndiags, 7);
	assert_diag(&g, 0, BID_SEV_WARNING, 10, 1, "edifact.moa.line", "31");
	assert_diag(&g, 1, BID_SEV_WARNING, 16, 1, "edifact.cnt.count", "declares 3 lines");
	assert_diag(&g, 2, BID_SEV_WARNING, 17, 1, "edifact.unt.count",
	            "UNT declares 99 segments but message '7' has 15");
	assert_diag(&g, 3, BID_SEV_WARNING, 17, 2, "edifact.unt.ref", "'8'");
	assert_diag(&g, 4, BID_SEV_WARNING, 15, 1, "edifact.moa.total", "99");
	assert_true(strstr(g.diags[4].msg, "41") != NULL);
	assert_diag(&g, 5, BID_SEV_WARNING, 18, 1, "edifact.unz.count",
	            "UNZ declares 5 messages but the interchange has 1");
	assert_diag(&g, 6, BID_SEV_WARNING, 18, 2, "edifact.unz.ref", "IC8");
	assert_int_equal(g.headers[0].h.total, dec("99"));
	assert_int_equal(g.lines[0].l.line_amount, dec("31"));
	got_free(&g);
}

/* ---- value errors: every one reported, at its place ---------------- */

static void test_import_edifact__bad_values(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("bad-values.edi", &g, &err), &err, 9, 1, "'12.3.4'");
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nerrors, 8);
	assert_diag(&g, 0, BID_SEV_ERROR, 9, 1, "edifact.pri.decimal", "PRI price '12.3.4'");
	assert_diag(&g, 1, BID_SEV_ERROR, 11, 1, "edifact.pri.value", "-5 is negative");
	assert_diag(&g, 2, BID_SEV_ERROR, 13, 1, "edifact.pri.qualifier", "'XYZ'");
	assert_diag(&g, 3, BID_SEV_ERROR, 18, 2, "edifact.rng.order", "increasing");
	assert_diag(&g, 4, BID_SEV_ERROR, 21, 1, "edifact.dtm.date", "'20230229'");
	assert_diag(&g, 5, BID_SEV_ERROR, 22, 1, "edifact.pri.missing", "no price");
	assert_diag(&g, 6, BID_SEV_ERROR, 27, 1, "edifact.qty.value", "not above zero");
	assert_diag(&g, 7, BID_SEV_ERROR, 30, 1, "edifact.pri.decimal", "too large");
	/* Only the good line is handed over. */
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "P-7");
	got_free(&g);
}

static void test_import_edifact__more_value_errors(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("LIN+1++A:SA'PRI+AAA:1'DTM+69:2026-04-01:999'"
	               "LIN+2++B:SA'PRI+AAA:1'DTM+169:3:805'"
	               "LIN+3'PRI+AAA:1'"
	               "LIN+4++C:SA'PRI+AAA'"
	               "LIN+5++D:SA'PRI+AAA:1:CA::0'"
	               "LIN+6++E:SA'PRI+AAA:2'RNG+4+PCE:10'PRI+AAA:1'"
	               "LIN+7++F:SA'CUX+2:XYZ'PRI+AAA:1'"
	               "LIN+8++G:SA'PRI+AAA:1,5'RNG+4+PCE:-1'"
	               "LIN+9++H:SA'PRI+AAA:1'QTY+53:-2'"
	               "LIN+10++I:SA'PRI+AAA:1'DTM+69:20261301:102'");

	(void)state;
	assert_error(parse_str(s, &g, &err), &err, W + 2, 1, "format '999'");
	assert_diag(&g, 0, BID_SEV_ERROR, W + 2, 1, "edifact.dtm.format", "102");
	assert_diag(&g, 1, BID_SEV_ERROR, W + 5, 1, "edifact.dtm.lead", "'805'");
	assert_diag(&g, 2, BID_SEV_ERROR, W + 6, 3, "edifact.lin.item", "names no item");
	assert_diag(&g, 3, BID_SEV_ERROR, W + 9, 1, "edifact.pri.missing", "PRI+AAA has no price");
	assert_diag(&g, 4, BID_SEV_ERROR, W + 11, 1, "edifact.pri.basis", "basis 0");
	/* A second price without RNG cannot be a tier. */
	assert_diag(&g, 5, BID_SEV_ERROR, W + 15, 1, "edifact.rng.missing", "RNG");
	assert_diag(&g, 6, BID_SEV_ERROR, W + 17, 1, "edifact.cux.code", "'XYZ'");
	assert_diag(&g, 7, BID_SEV_ERROR, W + 21, 2, "edifact.rng.value", "-1 is negative");
	assert_diag(&g, 8, BID_SEV_ERROR, W + 24, 1, "edifact.qty.value", "negative");
	assert_diag(&g, 9, BID_SEV_ERROR, W + 27, 1, "edifact.dtm.date", "'20261301'");
	assert_int_equal(g.nerrors, 10);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
	free(s);
}

static void test_import_edifact__no_currency(void **state)
{
	bid_error err;
	got g;
	const char *s = "UNB+UNOC:3+SUP+B+260301:0800+IC1'UNH+1+QUOTES:D:96A:UN'"
	                "LIN+1++A:SA'PRI+AAA:1'UNT+4+1'UNZ+1+IC1'";

	(void)state;
	assert_error(parse_str(s, &g, &err), &err, 3, 1, "no currency");
	assert_int_equal(g.nlines, 0);
	assert_int_equal(g.nheaders, 1);
	got_free(&g);
}

static void test_import_edifact__not_quotes(void **state)
{
	bid_error err;
	got g;
	const char *s = "UNB+UNOC:3+SUP+B+260301:0800+IC1'UNH+1+ORDERS:D:96A:UN'BGM+220+O1'"
	                "LIN+1++A:SA'UNT+4+1'UNZ+1+IC1'";

	(void)state;
	assert_error(parse_str(s, &g, &err), &err, 2, 2, "ORDERS");
	assert_int_equal(g.nheaders, 0);
	got_free(&g);
}

/* ---- structural errors: stop at once ------------------------------- */

static void test_import_edifact__truncated(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("truncated.edi", &g, &err), &err, 9, 3, "truncated");
	assert_true(strstr(err.msg, "IMD") != NULL);
	got_free(&g);
}

static void test_import_edifact__release_at_eof(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("release-eof.edi", &g, &err), &err, 7, 3,
	             "release character '?' at the end of the file");
	assert_diag(&g, 0, BID_SEV_ERROR, 7, 3, "edifact.release", "release character");
	got_free(&g);
}

static void test_import_edifact__envelope_errors(void **state)
{
	bid_error err;
	got g;

	(void)state;
	/* A message never closed by UNT. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'"
	                       "LIN+1++A:SA'UNZ+1+R'", &g, &err), &err, 5, 1,
	             "UNZ in segment 5 before the UNT");
	got_free(&g);
	/* The file ends inside a message. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'",
	                       &g, &err), &err, 3, 1, "expected UNT");
	got_free(&g);
	/* ...or inside an interchange. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'", &g, &err), &err, 1, 1, "expected UNZ");
	got_free(&g);
	/* No UNB. */
	assert_error(parse_str("UNA:+.? 'UNH+1+QUOTES:D:96A:UN'", &g, &err), &err, 2, 1,
	             "expected UNB");
	got_free(&g);
	/* A segment outside any message. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'LIN+1'UNZ+0+R'", &g, &err), &err, 2, 1,
	             "outside a message");
	got_free(&g);
	/* An interchange without messages. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'UNZ+0+R'", &g, &err), &err, 2, 1,
	             "no QUOTES message");
	got_free(&g);
	/* Empty input and blank input. */
	assert_error(parse_str("", &g, &err), &err, 1, 1, "empty");
	got_free(&g);
	assert_error(parse_str(" \r\n\t", &g, &err), &err, 1, 1, "empty");
	got_free(&g);
	/* A tag that is not one. */
	assert_error(parse_str("UNB+UNOC:3+S+B+1:1+R'un h+1'", &g, &err), &err, 2, 1,
	             "segment tag");
	got_free(&g);
}

static void test_import_edifact__bad_una(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str("UNA::.? 'UNB", &g, &err), &err, 1, 1, "not distinct");
	got_free(&g);
	assert_error(parse_str("UNA:+.", &g, &err), &err, 1, 1, "cut short");
	got_free(&g);
	assert_error(parse_str("UNAa+.? 'UNB", &g, &err), &err, 1, 1, "not distinct");
	got_free(&g);
}

/* ---- hostile input ------------------------------------------------- */

static void test_import_edifact__nul_byte(void **state)
{
	bid_error err;
	got g;
	char s[] = "UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'LIN+1++A\0B:SA'";

	(void)state;
	got_reset(&g, 0);
	assert_error(parse_mem(s, sizeof(s) - 1, &g, &err), &err, 4, 3, "NUL byte");
	got_free(&g);
}

static void test_import_edifact__invalid_utf8(void **state)
{
	bid_error err;
	got g;

	(void)state;
	/* UNOY promises UTF-8: a stray byte is an error at its segment. */
	assert_error(parse_str("UNB+UNOY:4+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'"
	                       "LIN+1++A:SA'IMD+F++:::bad \xff here'", &g, &err),
	             &err, 5, 3, "invalid UTF-8 byte 0xFF");
	got_free(&g);
	/* An overlong encoding and a surrogate are not UTF-8 either. */
	assert_error(parse_str("UNB+UNOY:4+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'IMD+F++:::\xc0\xaf'",
	                       &g, &err), &err, 3, 3, "0xC0");
	got_free(&g);
	assert_error(parse_str("UNB+UNOY:4+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'IMD+F++:::\xed\xa0\x80'",
	                       &g, &err), &err, 3, 3, "0xED");
	got_free(&g);
}

/* A gigabyte-long token is refused at the segment cap, not buffered. */
static void test_import_edifact__huge_token(void **state)
{
	const char *head = "UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'LIN+1++";
	size_t big = (size_t)64 << 20, hl = strlen(head);
	char *s = malloc(hl + big);
	bid_error err;
	got g;

	(void)state;
	assert_non_null(s);
	memcpy(s, head, hl);
	memset(s + hl, '9', big);
	got_reset(&g, 0);
	assert_error(parse_mem(s, hl + big, &g, &err), &err, 4, 3, "longer than 65536 bytes");
	got_free(&g);
	free(s);
}

static void test_import_edifact__too_many_elements(void **state)
{
	bid_error err;
	got g;
	char *s = malloc(8192), *p;
	int i;

	(void)state;
	assert_non_null(s);
	p = s + sprintf(s, "UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'FTX");
	for (i = 0; i < 300; i++)
		*p++ = '+';
	strcpy(p, "'");
	assert_error(parse_str(s, &g, &err), &err, 3, 127, "more than 127 data elements");
	got_free(&g);
	p = s + sprintf(s, "UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'FTX+");
	for (i = 0; i < 2000; i++)
		*p++ = ':';
	strcpy(p, "'");
	assert_error(parse_str(s, &g, &err), &err, 3, 1, "more than 1024 components");
	got_free(&g);
	free(s);
}

static void test_import_edifact__long_values(void **state)
{
	bid_error err;
	got g;
	char *lines = malloc(16384), *s, *p;

	(void)state;
	assert_non_null(lines);
	/* An item id far longer than an..35, and a description longer than the cap. */
	p = lines + sprintf(lines, "LIN+1++");
	memset(p, 'X', 300);
	p += 300;
	p += sprintf(p, ":SA'PRI+AAA:1'LIN+2++B:SA'PRI+AAA:1'IMD+F++:::");
	memset(p, 'y', 5000);
	p += 5000;
	strcpy(p, "'");
	s = wrap(lines);
	assert_error(parse_str(s, &g, &err), &err, W, 3, "300 bytes long");
	assert_int_equal(g.nlines, 1);
	assert_int_equal(strlen(g.lines[0].description), 4095);
	assert_true(find_diag(&g, "edifact.text.long") >= 0);
	got_free(&g);
	free(s);
	free(lines);
}

/* 100,000 bad lines: every one reported, in bounded time and memory. */
static void test_import_edifact__endless_repetition(void **state)
{
	const char *head = "UNB+UNOC:3+S+B+1:1+R'UNH+1+QUOTES:D:96A:UN'CUX+2:EUR'";
	const char *rep = "LIN+1++A:SA'PRI+AAA:-1'";
	size_t n = 100000, hl = strlen(head), rl = strlen(rep), i;
	char *s = malloc(hl + n * rl + 64), *p;
	bid_error err;
	got g;

	(void)state;
	assert_non_null(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++, p += rl)
		memcpy(p, rep, rl);
	p += sprintf(p, "UNT+1+1'UNZ+1+R'");
	got_reset(&g, 0);
	assert_error(parse_mem(s, (size_t)(p - s), &g, &err), &err, 5, 1, "negative");
	assert_int_equal(g.nerrors, (int)n);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
	free(s);
}

static void test_import_edifact__callback_stops(void **state)
{
	bid_import_sink sink;
	bid_error err;
	got g;
	char *s = wrap("LIN+1++A:SA'PRI+AAA:1'LIN+2++B:SA'PRI+AAA:1'LIN+3++C:SA'PRI+AAA:1'");

	(void)state;
	got_reset(&g, 0);
	g.stop_after = 1;
	sink = sink_of(&g);
	assert_int_equal(bid_import_parse(s, strlen(s), BID_FORMAT_EDIFACT, "test.edi", &sink, &err),
	                 BID_ESTOP);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(err.code, BID_ESTOP);
	assert_int_equal(err.line, W + 2);
	got_free(&g);
	free(s);

	/* A diagnostic callback can stop the parse too. */
	s = wrap("LIN+1++A:SA'PRI+AAA:-1'LIN+2++B:SA'PRI+AAA:-1'");
	got_reset(&g, 0);
	g.stop_diag = 1;
	sink = sink_of(&g);
	assert_int_equal(bid_import_parse(s, strlen(s), BID_FORMAT_EDIFACT, "test.edi", &sink, &err),
	                 BID_ESTOP);
	assert_int_equal(g.nerrors, 1);
	got_free(&g);
	free(s);
}

/* No sink callbacks at all: the parse still checks everything. */
static void test_import_edifact__no_sink(void **state)
{
	bid_error err;
	char *s = wrap("LIN+1++A:SA'PRI+AAA:-1'");

	(void)state;
	assert_int_equal(bid_import_parse(s, strlen(s), BID_FORMAT_EDIFACT, "test.edi", NULL, &err),
	                 BID_EINVALID);
	assert_int_equal(err.line, W + 1);
	assert_int_equal(bid_import_parse(s, strlen(s), BID_FORMAT_EDIFACT, "test.edi", NULL, NULL),
	                 BID_EINVALID);
	free(s);
}

/* A message without lines: the header with its total, and a warning. */
static void test_import_edifact__no_lines(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("UNS+S'MOA+86:10'");

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 0);
	assert_true(g.headers[0].h.has_total);
	assert_int_equal(g.headers[0].h.total, dec("10"));
	assert_pos(g.headers[0].h.total_pos, W + 1, 1);
	assert_true(find_diag(&g, "edifact.lin.none") >= 0);
	got_free(&g);
	free(s);
}

/* Less common segments and codes, and what is ignored on purpose. */
static void test_import_edifact__misc_segments(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("NAD+SU+++Line one :line two'PAT+1++5:3:M:1'"
	               "LIN+1++978000000000:IB'ALI+FR'PIA+1+X1:ZZ+M-1:MF'"
	               "PRI+AAG:1'PRI+AAA:3'RNG+5+KGM:1'ALC+A'MOA+203:999'QTY+21:7'");

	(void)state;
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	/* C058 name lines when there is no C080; the UNB sender stays the id. */
	assert_string_equal(g.headers[0].supplier_id, "SUP");
	assert_string_equal(g.headers[0].supplier_name, "Line one line two");
	assert_false(g.headers[0].h.has_pay_days);                  /* months: not used */
	assert_true(find_diag(&g, "edifact.pat.period") >= 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_STANDARD], "978000000000");
	assert_string_equal(g.lines[0].part_ids[BID_PART_MANUFACTURER], "M-1");
	assert_null(g.lines[0].part_ids[BID_PART_SELLER]);  /* ZZ: unknown type */
	assert_string_equal(g.lines[0].origin_country, "FR");
	assert_int_equal(g.lines[0].l.price, dec("3"));
	assert_int_equal(g.lines[0].l.ntiers, 0);           /* RNG+5 is no quantity range */
	assert_true(find_diag(&g, "edifact.rng.type") >= 0);
	assert_true(find_diag(&g, "edifact.pri.component") >= 0);
	/* MOA and QTY inside an ALC group belong to the charge, not the line. */
	assert_false(g.lines[0].l.has_line_amount);
	assert_false(g.lines[0].l.has_qty);
	got_free(&g);
	free(s);
}

/* Thousands of identical warnings: the first 1,000 and one notice. */
static void test_import_edifact__warning_cap(void **state)
{
	const char *rep = "LIN+1++A:SA'PRI+AAE:1'";
	size_t n = 1500, rl = strlen(rep), i;
	char *lines = malloc(n * rl + 1), *s;
	bid_error err;
	got g;

	(void)state;
	assert_non_null(lines);
	for (i = 0; i < n; i++)
		memcpy(lines + i * rl, rep, rl);
	lines[n * rl] = '\0';
	s = wrap(lines);
	assert_int_equal(parse_str(s, &g, &err), 0);
	assert_int_equal(g.nlines, (int)n);
	assert_int_equal(g.nwarnings, 1001);
	got_free(&g);
	free(s);
	free(lines);
}

/* ---- the public samples (skipped when ../shared is absent) --------- */

static void test_import_edifact__sample_413514(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_sample("QUOTES_413514.CEQ", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 14);
	assert_int_equal(g.nerrors, 0);
	assert_string_equal(g.headers[0].supplier_id, "5013546027173");
	assert_string_equal(g.headers[0].quote_id, "SO314841");
	assert_string_equal(g.headers[0].currency, "GBP");
	assert_int_equal(g.headers[0].h.issue_date, date("2015-09-28"));
	/* Every price is PRI+AAE: tax-included, and said so. */
	assert_true(g.lines[0].l.tax_included);
	assert_int_equal(g.lines[0].l.price, dec("16.99"));
	assert_int_equal(g.lines[0].l.qty, dec("5"));
	assert_string_equal(g.lines[0].part_ids[BID_PART_STANDARD], "9780749577216");
	assert_string_equal(g.lines[0].part_ids[BID_PART_RFQ_LINE], "SO3148410001");
	/* IMD text split mid-word, continued in a second IMD, released quote. */
	assert_string_equal(g.lines[2].description,
	                    "British qualifications 2016: a complete guide to professional, "
	                    "vocational & academic qualifications in the United Kingdom");
	assert_string_equal(g.lines[5].description,
	                    "Crockford's clerical directory 2016-2017: a directory of the clergy "
	                    "of the Church of England, the Church in Wales, the Scottish "
	                    "Episcopal Church, the Church of Ireland");
	assert_int_equal(g.lines[13].l.price, dec("525.00"));
	assert_int_equal(g.nwarnings, 15);
	assert_diag(&g, 14, BID_SEV_WARNING, 267, 1, "edifact.unt.count",
	            "UNT declares 264 segments but message '413514001' has 265");
	got_free(&g);
}

static void test_import_edifact__sample_prquotes(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_sample("prquotes_73050_20140430.CEQ", &g, &err), 0);
	assert_int_equal(g.nlines, 18);
	assert_int_equal(g.nerrors, 0);
	assert_string_equal(g.headers[0].quote_id, "Q741588");
	assert_int_equal(g.lines[0].l.price, dec("79.42"));                     /* PRI+AAE:79.42:DI */
	assert_string_equal(g.lines[0].description,
	                    "Heart disease and diabetes [electronic resource]");
	assert_int_equal(g.lines[3].l.price, dec("94.8"));
	assert_int_equal(g.lines[4].l.price, dec("171"));
	assert_int_equal(g.lines[7].l.qty, dec("4"));
	assert_int_equal(find_diag(&g, "edifact.unt.count"), -1);                /* 248 is right */
	got_free(&g);
}

static void test_import_edifact__sample_small_2(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_sample("QUOTES_SMALL_2.CEQ", &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.headers[0].rfq_ref, "orders 23/1");
	assert_int_equal(g.lines[0].l.price, dec("22.00"));
	assert_diag(&g, 1, BID_SEV_WARNING, 30, 1, "edifact.unt.count",
	            "declares 27 segments but message '1044416001' has 28");
	got_free(&g);
}

static void test_import_edifact__sample_multi(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_sample("QUOTES_MULTI.CEQ", &g, &err), 0);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.nerrors, 0);
	assert_string_equal(g.headers[0].supplier_id, "4012345000094");   /* NAD before CUX */
	assert_string_equal(g.headers[0].currency, "GBP");                /* CUX+2:GBP:9 */
	/* Line 1: QTY+21:1:PCE and MOA+203, no PRI. */
	assert_int_equal(g.lines[0].l.price, dec("25.99"));
	assert_string_equal(g.lines[0].unit, "PCE");
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "152992376X");
	assert_false(g.lines[0].l.tax_included);
	assert_true(g.lines[1].l.tax_included);
	assert_true(g.headers[0].h.has_total);
	assert_int_equal(g.headers[0].h.total, dec("87.97"));
	assert_true(find_diag(&g, "edifact.pri.derived") >= 0);
	assert_diag(&g, find_diag(&g, "edifact.unt.count"), BID_SEV_WARNING, 40, 1,
	            "edifact.unt.count", "declares 34 segments but message '1' has 38");
	assert_diag(&g, find_diag(&g, "edifact.moa.total"), BID_SEV_WARNING, 39, 1,
	            "edifact.moa.total", "87.97");
	assert_diag(&g, find_diag(&g, "edifact.unz.ref"), BID_SEV_WARNING, 41, 2,
	            "edifact.unz.ref", "'1044417'");
	got_free(&g);
}

static void test_import_edifact__sample_big(void **state)
{
	bid_error err;
	got g;

	(void)state;
	/* Two interchanges, each with its own UNA. */
	assert_int_equal(parse_sample("QUOTES_BIG.CEQ", &g, &err), 0);
	assert_int_equal(g.nheaders, 2);
	assert_int_equal(g.nlines, 3);
	assert_string_equal(g.headers[0].quote_id, "WO0800131");
	assert_string_equal(g.headers[1].quote_id, "WO0800132");
	assert_int_equal(g.lines[0].header, 0);
	assert_int_equal(g.lines[1].header, 1);
	assert_int_equal(g.lines[2].header, 1);
	assert_diag(&g, find_diag(&g, "edifact.unt.count"), BID_SEV_WARNING, 30, 1,
	            "edifact.unt.count", "27");
	got_free(&g);
}

static void test_import_edifact__sample_servicing(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_sample("QUOTES_SERVICING.CEQ", &g, &err), 0);
	assert_int_equal(g.nlines, 3);
	assert_int_equal(g.lines[2].l.price, dec("25.00"));
	assert_diag(&g, find_diag(&g, "edifact.unt.count"), BID_SEV_WARNING, 69, 1,
	            "edifact.unt.count", "declares 58 segments but message '1044417001' has 67");
	got_free(&g);
}

/*
 * The EDIEL energy bids are refused: PRI+CAL:-2100 is a negative price,
 * which issue 3 makes an error (an electricity spot bid is not a supplier
 * quote we accept).  The parse still reports everything else it finds.
 */
static void test_import_edifact__sample_ediel(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_sample("edifact.01.edi", &g, &err), &err, 15, 1,
	             "PRI+CAL price -2100 is negative");
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].supplier_id, "1234567891123");   /* NAD+FR */
	assert_string_equal(g.headers[0].currency, "SEK");
	assert_int_equal(g.headers[0].h.issue_date, date("2010-10-19")); /* format 203 */
	assert_int_equal(g.nerrors, 4);
	assert_diag(&g, 1, BID_SEV_ERROR, 18, 2, "edifact.rng.value", "-0.1");
	assert_int_equal(g.nlines, 0);
	/* UNT declares 158 but the message has 31 segments. */
	assert_diag(&g, 4, BID_SEV_WARNING, 33, 1, "edifact.unt.count",
	            "declares 158 segments but message '1' has 31");
	got_free(&g);
}

static void test_import_edifact__sample_ediel_multi(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_sample("edifact.01.multi-message.edi", &g, &err), &err, 15, 1,
	             "negative");
	assert_int_equal(g.nheaders, 2);                         /* two messages, one UNB */
	assert_int_equal(g.nerrors, 8);
	assert_diag(&g, find_diag(&g, "edifact.unz.ref"), BID_SEV_WARNING, 65, 2,
	            "edifact.unz.ref", "HBQ001");
	assert_int_equal(find_diag(&g, "edifact.unz.count"), -1); /* UNZ+2 is right */
	got_free(&g);
}

/* ---- allowances and charges (SG ALC) ------------------------------ */

/* The quote's charges currency is lent for the callback only: keep a copy. */
static char chg_cur[8];
static int  chg_cur_null;

static int chg_qh(const bid_quote_header *h, void *payload)
{
	chg_cur_null = h->charges_currency == NULL;
	snprintf(chg_cur, sizeof(chg_cur), "%s", h->charges_currency ? h->charges_currency : "");
	return got_on_qh(h, payload);
}

static int chg_parse(const char *data, size_t len, got *g, bid_error *err)
{
	bid_import_sink sink = sink_of(g);

	got_reset(g, 0);
	sink.quote_header = chg_qh;
	return bid_import_parse(data, len, BID_FORMAT_EDIFACT, "test.edi", &sink, err);
}

static void test_import_edifact__charges(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = fixture("edifact", "charges.edi", &len);
	assert_int_equal(chg_parse(data, len, &g, &err), 0);
	free(data);
	assert_int_equal(g.nerrors, 0);
	/* ALC+C with only a PCD is not used; ALC+N, the TAX's MOA and the summary ALC are not read. */
	assert_int_equal(g.nwarnings, 1);
	assert_diag(&g, 0, BID_SEV_WARNING, 13, 1, "edifact.alc.percent", "PCD");
	/* Quote level: MOA+23 40 EUR less MOA+204 5,5. */
	assert_int_equal(g.nheaders, 1);
	assert_true(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, dec("34.5"));
	assert_string_equal(chg_cur, "EUR");
	assert_pos(g.headers[0].h.charges_pos, 7, 1);
	assert_int_equal(g.nlines, 3);
	/* Line 1: 12.5 less 2,5; the ALC group's QTY is not the line's. */
	assert_int_equal(g.lines[0].l.qty, dec("100"));
	assert_true(g.lines[0].l.has_charges);
	assert_int_equal(g.lines[0].l.charges, dec("10"));
	assert_false(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, 0);
	/* Line 3 is priced in USD and so is its charge. */
	assert_string_equal(g.lines[2].currency, "USD");
	assert_true(g.lines[2].l.has_charges);
	assert_int_equal(g.lines[2].l.charges, dec("3"));
	got_free(&g);
}

static void test_import_edifact__charges_errors(void **state)
{
	bid_error err;
	got g;
	char *s = wrap("LIN+1++A:SA'PRI+AAA:1'ALC+X'MOA+8:1'"
	               "LIN+2++B:SA'PRI+AAA:1'ALC+C'MOA+8:1.2.3'"
	               "LIN+3++C:SA'PRI+AAA:1'ALC+A'MOA+8:-2'"
	               "LIN+4++D:SA'PRI+AAA:1'ALC+A'MOA+23:2'"
	               "LIN+5++E:SA'PRI+AAA:1'ALC+C'MOA+8:2:USD'"
	               "LIN+6++F:SA'PRI+AAA:1'ALC+C'MOA+8:2:EUR'ALC+C'MOA+8:2:GBP'"
	               "LIN+7++G:SA'PRI+AAA:1'ALC+C'PCD+1:5'ALC+A'"
	               "LIN+8++H:SA'PRI+AAA:1'ALC+C'MOA+8:2'ALC+A'MOA+204:0.5'");

	(void)state;
	assert_error(chg_parse(s, strlen(s), &g, &err), &err, W + 2, 1, "'X'");
	assert_diag(&g, 0, BID_SEV_ERROR, W + 2, 1, "edifact.alc.indicator", "not C (charge)");
	assert_diag(&g, 1, BID_SEV_ERROR, W + 7, 1, "edifact.moa.decimal", "'1.2.3'");
	assert_diag(&g, 2, BID_SEV_ERROR, W + 11, 1, "edifact.alc.value", "negative");
	assert_diag(&g, 3, BID_SEV_ERROR, W + 15, 1, "edifact.alc.qualifier", "allowance (A)");
	assert_diag(&g, 4, BID_SEV_ERROR, W + 18, 1, "edifact.alc.currency", "in USD, but its "
	            "price is in EUR");
	assert_diag(&g, 5, BID_SEV_ERROR, W + 25, 1, "edifact.alc.currency", "in GBP, but an "
	            "earlier one is in EUR");
	assert_diag(&g, 6, BID_SEV_WARNING, W + 28, 1, "edifact.alc.percent", "not used");
	assert_diag(&g, 7, BID_SEV_WARNING, W + 30, 1, "edifact.alc.amount", "has no amount");
	assert_int_equal(g.nerrors, 6);
	/* Only the last two lines are good; the header states no charges. */
	assert_false(g.headers[0].h.has_charges);
	assert_true(chg_cur_null);
	assert_int_equal(g.nlines, 2);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "G");
	assert_false(g.lines[0].l.has_charges);
	assert_string_equal(g.lines[1].part_ids[BID_PART_SELLER], "H");
	assert_true(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, dec("1.5"));
	got_free(&g);
	free(s);
}

/* A bad header amount leaves the quote's charges out; the lines still go. */
static void test_import_edifact__charges_header_error(void **state)
{
	static const char doc[] =
		"UNA:+.? 'UNB+UNOC:3+SUP+BUYER+260301:0800+IC1'UNH+1+QUOTES:D:96A:UN'BGM+310+Q1+9'"
		"CUX+2:EUR'ALC+C'MOA+8:5'ALC+C'MOA+23:x'LIN+1++A:SA'PRI+AAA:1'"
		"UNS+S'UNT+11+1'UNZ+1+IC1'";
	bid_error err;
	got g;

	(void)state;
	assert_error(chg_parse(doc, strlen(doc), &g, &err), &err, 9, 1, "'x'");
	assert_diag(&g, 0, BID_SEV_ERROR, 9, 1, "edifact.moa.decimal", "'x'");
	assert_int_equal(g.nerrors, 1);
	assert_int_equal(g.nheaders, 1);
	assert_false(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, 0);
	assert_int_equal(g.nlines, 1);
	got_free(&g);
}

/* A look-ahead pass over a long message tells the sink how far it read, in order. */
static void test_import_edifact__progress(void **state)
{
	static const char line[] = "LIN+1++A:SA'PRI+AAA:1'FTX+AAI+++padding padding padding'";
	size_t k, nlines = 60000, n = nlines * (sizeof(line) - 1) + 1;
	char *lines = malloc(n), *s;
	progress_seen seen = PROGRESS_SEEN_INIT;
	bid_import_sink sink;
	bid_error err;

	(void)state;
	assert_non_null(lines);
	for (k = 0; k < nlines; k++)
		memcpy(lines + k * (sizeof(line) - 1), line, sizeof(line) - 1);
	lines[n - 1] = '\0';
	s = wrap(lines);
	memset(&sink, 0, sizeof(sink));
	sink.progress = progress_see;
	sink.payload = &seen;
	seen.len = strlen(s);
	/* over 3 MiB: the read-ahead to UNS reports at least twice, never backwards */
	assert_true(seen.len > 3 * ((size_t)1 << 20));
	assert_int_equal(bid_import_parse(s, seen.len, BID_FORMAT_EDIFACT, "test.edi", &sink, &err), 0);
	assert_true(seen.n >= 2);
	assert_true(seen.ordered);
	free(s);
	free(lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_edifact__full_quote),
		cmocka_unit_test(test_import_edifact__multi_interchange),
		cmocka_unit_test(test_import_edifact__order_free_groups),
		cmocka_unit_test(test_import_edifact__whitespace),
		cmocka_unit_test(test_import_edifact__unob_separators),
		cmocka_unit_test(test_import_edifact__latin1),
		cmocka_unit_test(test_import_edifact__price_kinds),
		cmocka_unit_test(test_import_edifact__overlong_counts),
		cmocka_unit_test(test_import_edifact__wrong_counts),
		cmocka_unit_test(test_import_edifact__bad_values),
		cmocka_unit_test(test_import_edifact__more_value_errors),
		cmocka_unit_test(test_import_edifact__no_currency),
		cmocka_unit_test(test_import_edifact__not_quotes),
		cmocka_unit_test(test_import_edifact__truncated),
		cmocka_unit_test(test_import_edifact__release_at_eof),
		cmocka_unit_test(test_import_edifact__envelope_errors),
		cmocka_unit_test(test_import_edifact__bad_una),
		cmocka_unit_test(test_import_edifact__nul_byte),
		cmocka_unit_test(test_import_edifact__invalid_utf8),
		cmocka_unit_test(test_import_edifact__huge_token),
		cmocka_unit_test(test_import_edifact__too_many_elements),
		cmocka_unit_test(test_import_edifact__long_values),
		cmocka_unit_test(test_import_edifact__endless_repetition),
		cmocka_unit_test(test_import_edifact__callback_stops),
		cmocka_unit_test(test_import_edifact__no_sink),
		cmocka_unit_test(test_import_edifact__no_lines),
		cmocka_unit_test(test_import_edifact__misc_segments),
		cmocka_unit_test(test_import_edifact__warning_cap),
		cmocka_unit_test(test_import_edifact__sample_413514),
		cmocka_unit_test(test_import_edifact__sample_prquotes),
		cmocka_unit_test(test_import_edifact__sample_small_2),
		cmocka_unit_test(test_import_edifact__sample_multi),
		cmocka_unit_test(test_import_edifact__sample_big),
		cmocka_unit_test(test_import_edifact__sample_servicing),
		cmocka_unit_test(test_import_edifact__sample_ediel),
		cmocka_unit_test(test_import_edifact__sample_ediel_multi),
		cmocka_unit_test(test_import_edifact__charges),
		cmocka_unit_test(test_import_edifact__charges_errors),
		cmocka_unit_test(test_import_edifact__charges_header_error),
		cmocka_unit_test(test_import_edifact__progress),
	};

	return cmocka_run_group_tests_name("import_edifact", tests, NULL, NULL);
}
