/*
 * import_ubl.c - cmocka tests of the UBL importer (importers/ubl.c) on the
 * fixtures in fixtures/ubl/, on hostile input built in memory, and on the
 * official OASIS examples when ../shared/samples is there (else skipped).
 * Run from the repository root; BIDCMP_FIXTURES / BIDCMP_SAMPLES override.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <libxml/parserInternals.h>

#include "bidcmp/bidcmp.h"
#include "collect.h"

/* ---- inputs ------------------------------------------------------- */

static int parse_mem(const char *data, size_t len, bid_format fmt, got *g, bid_error *err)
{
	got_reset(g, 1);
	return got_parse(g, data, len, fmt, "test.xml", err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	got_reset(g, 1);
	return got_parse_fixture(g, "ubl", name, BID_FORMAT_UNKNOWN, "test.xml", err);
}

static void assert_error(int rc, const bid_error *err, long line, long col, const char *needle)
{
	assert_import_error(rc, err, NULL, line, col, needle);
}

/* ---- good documents ----------------------------------------------- */

static void test_import_ubl__full_quote(void **state)
{
	bid_error err;
	got g;
	got_line *l;

	(void)state;
	assert_int_equal(parse_fixture("quote-full.xml", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].supplier_id, "V-042");  /* CustomerAssignedAccountID first */
	assert_string_equal(g.headers[0].supplier_name, "Acme Fasteners & Co");
	assert_string_equal(g.headers[0].quote_id, "Q-1001");
	assert_string_equal(g.headers[0].rfq_ref, "RFQ-7");
	assert_string_equal(g.headers[0].currency, "EUR");
	assert_int_equal(g.headers[0].h.issue_date, date("2024-03-01"));
	assert_int_equal(g.headers[0].h.valid_from, date("2024-03-01"));
	assert_int_equal(g.headers[0].h.valid_until, date("2024-04-30"));   /* "Z" allowed */
	assert_int_equal(g.headers[0].h.pos.line, 19);
	assert_int_equal(g.headers[0].h.pos.col, 5);
	assert_int_equal(g.nlines, 2);

	l = &g.lines[0];
	assert_string_equal(l->line_id, "1");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "S-100");
	assert_string_equal(l->part_ids[BID_PART_STANDARD], "05790000000019");
	assert_string_equal(l->part_ids[BID_PART_BUYER], "B-100");
	assert_string_equal(l->part_ids[BID_PART_MANUFACTURER], "M-100");
	assert_string_equal(l->part_ids[BID_PART_LINE_ITEM], "LI-1");
	assert_string_equal(l->part_ids[BID_PART_RFQ_LINE], "R1");
	assert_string_equal(l->description, "Hex bolt M8x40");      /* Name beats Description */
	assert_true(l->l.has_qty);
	assert_int_equal(l->l.qty, dec("1000"));
	assert_string_equal(l->unit, "C62");
	assert_int_equal(l->l.price, dec("12.345"));                  /* trimmed */
	assert_string_equal(l->currency, "USD");                    /* the line's own */
	assert_int_equal(l->l.basis_qty, dec("100"));
	assert_string_equal(l->basis_unit, "C62");
	assert_true(l->l.has_min_qty);
	assert_int_equal(l->l.min_qty, dec("100"));
	assert_true(l->l.has_max_qty);
	assert_int_equal(l->l.max_qty, dec("5000"));
	assert_true(l->l.has_lead_time);
	assert_int_equal(l->l.lead_time_days, 21);                    /* 3 WEE */
	assert_int_equal(l->l.delivery_date, date("2024-05-15"));     /* EndDate first */
	assert_int_equal(l->l.pos[BID_F_LINE].line, 29);
	assert_int_equal(l->l.pos[BID_F_LINE].col, 3);
	assert_int_equal(l->l.pos[BID_F_PRICE].line, 49);
	assert_int_equal(l->l.pos[BID_F_PRICE].col, 9);
	assert_int_equal(l->l.pos[BID_F_QTY].line, 34);
	assert_int_equal(l->l.pos[BID_F_LEAD_TIME].line, 45);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].line, 40);
	assert_int_equal(l->l.pos[BID_F_PART].line, 55);              /* the buyer's id */

	l = &g.lines[1];
	assert_string_equal(l->line_id, "2");
	assert_int_equal(l->l.qty, dec("2.5"));                       /* QuotationLine/Quantity */
	assert_string_equal(l->unit, "KGM");
	assert_string_equal(l->currency, "EUR");
	assert_int_equal(l->l.basis_qty, 0);
	assert_null(l->basis_unit);
	assert_false(l->l.has_min_qty);
	assert_false(l->l.has_lead_time);
	assert_int_equal(l->l.delivery_date, date("2024-06-01"));     /* StartDate fallback */
	assert_string_equal(l->description, "Grease <lithium>");   /* CDATA */
	assert_string_equal(l->part_ids[BID_PART_RFQ_LINE], "R2"); /* RequestLineReference */
	assert_null(l->part_ids[BID_PART_SELLER]);
	got_free(&g);
}

static void test_import_ubl__alternative_ignored(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-full.xml", &g, &err), 0);
	assert_int_equal(g.nwarnings, 2);
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.line.alternative");
	assert_non_null(strstr(diag_sev(&g, BID_SEV_WARNING, 0)->msg, "alternative line item ignored"));
	assert_non_null(strstr(diag_sev(&g, BID_SEV_WARNING, 1)->msg, "AlternativeLineItem"));
	/* The substitute's 999 @ 1.00 and the alternative's 2.00 left the line alone. */
	assert_int_equal(g.lines[0].l.qty, dec("1000"));
	assert_int_equal(g.lines[0].l.price, dec("12.345"));
	assert_string_equal(g.lines[0].part_ids[BID_PART_LINE_ITEM], "LI-1");
	assert_string_equal(g.lines[0].description, "Hex bolt M8x40");
	got_free(&g);
}

static void test_import_ubl__prefixes_and_default_ns(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-prefixes.xml", &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "SUP-PFX");
	assert_string_equal(g.headers[0].quote_id, "P-1");
	/* "cbc:" bound to another namespace is not UBL's cbc. */
	assert_null(g.headers[0].currency);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "W-1");
	assert_string_equal(g.lines[0].description, "Widget");
	assert_int_equal(g.lines[0].l.price, dec("99.5"));
	assert_string_equal(g.lines[0].currency, "SEK");
	assert_string_equal(g.lines[0].unit, "EA");
	got_free(&g);
}

static void test_import_ubl__ubl20_style(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-2.0.xml", &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "GB123");        /* PartyLegalEntity/CompanyID */
	assert_string_equal(g.headers[0].supplier_name, "Old Style Ltd");
	assert_int_equal(g.nlines, 1);
	assert_null(g.lines[0].line_id);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "6578489");
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "17589683");
	assert_string_equal(g.lines[0].description, "Acme beeswax");
	assert_int_equal(g.lines[0].l.qty, dec("100"));
	assert_string_equal(g.lines[0].unit, "KGM");
	assert_string_equal(g.lines[0].currency, "GBP");
	got_free(&g);
}

static void test_import_ubl__ubl23_style(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-2.3.xml", &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "987654321");    /* EndpointID beats CompanyID */
	assert_string_equal(g.headers[0].quote_id, "Q23");             /* not the extension's ID */
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].currency, "NOK");    /* from PricingCurrencyCode */
	assert_int_equal(g.lines[0].l.price, dec("250.50"));  /* not AlternativeCurrencyPrice */
	assert_true(g.lines[0].l.has_lead_time);
	assert_int_equal(g.lines[0].l.lead_time_days, 12);    /* no unitCode: days */
	assert_int_equal(g.lines[0].l.min_qty, dec("10"));
	assert_int_equal(g.lines[0].l.max_qty, dec("400"));
	assert_null(g.lines[0].unit);
	assert_int_equal(g.nwarnings, 1);
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.unit.missing");
	got_free(&g);
}

static void test_import_ubl__rfq_full(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("rfq-full.xml", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.rfq.rfq_id, "RFQ-7");
	assert_string_equal(g.rfq.title, "Fasteners 2024");
	assert_string_equal(g.rfq.currency, "EUR");
	assert_int_equal(g.rfq.h.issue_date, date("2024-02-01"));
	assert_int_equal(g.rfq.h.due_date, date("2024-02-20"));
	assert_int_equal(g.rfq.h.need_by, date("2024-06-30"));
	assert_int_equal(g.nrlines, 3);
	assert_string_equal(g.rlines[0].line_id, "R1");
	assert_string_equal(g.rlines[0].part, "B-100");
	assert_string_equal(g.rlines[0].description, "Hex bolt M8x40");
	assert_int_equal(g.rlines[0].l.qty, dec("1000"));
	assert_string_equal(g.rlines[0].unit, "C62");
	assert_int_equal(g.rlines[0].l.need_by, date("2024-05-31"));
	assert_int_equal(g.rlines[0].l.pos.line, 16);
	assert_int_equal(g.rlines[0].l.pos.col, 3);
	assert_string_equal(g.rlines[1].part, "S-200");
	assert_string_equal(g.rlines[1].description, "Grease for the press");   /* the line's Note */
	assert_int_equal(g.rlines[1].l.need_by, BID_DATE_NONE);
	assert_string_equal(g.rlines[2].part, "LI-3");
	assert_string_equal(g.rlines[2].description, "Chain");
	got_free(&g);
}

static void test_import_ubl__callback_stops(void **state)
{
	bid_import_sink sink;
	bid_error err;
	char *data;
	size_t len;
	got g;

	(void)state;
	assert_non_null(data = fixture("ubl", "quote-full.xml", &len));
	got_reset(&g, 1);
	g.stop_after = 1;
	sink = got_sink(&g);
	assert_int_equal(bid_import_parse(data, len, BID_FORMAT_UNKNOWN, "q.xml", &sink, &err),
	                 BID_ESTOP);
	assert_int_equal(err.code, BID_ESTOP);
	assert_int_equal(g.nlines, 1);
	free(data);
	got_free(&g);
}

/* ---- bad values and missing ones ---------------------------------- */

static void test_import_ubl__missing_price(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-missing-price.xml", &g, &err), &err, 6, 3,
	             "QuotationLine 1: no price: expected cac:LineItem/cac:Price/cbc:PriceAmount");
	assert_string_equal(err.file, "test.xml");
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_ubl__bad_decimal(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-bad-decimal.xml", &g, &err), &err, 11, 18,
	             "price '12,50' is not a decimal: ");
	assert_non_null(strstr(err.msg, "comma"));
	got_free(&g);
}

static void test_import_ubl__bad_date(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-bad-date.xml", &g, &err), &err, 4, 3,
	             "issue date '2024-02-30' is not a date");
	got_free(&g);
}

static void test_import_ubl__missing_currency(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-missing-currency.xml", &g, &err), &err, 11, 18,
	             "no currency");
	got_free(&g);
}

static void test_import_ubl__lead_time_unit(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-lead-unit.xml", &g, &err), &err, 11, -1,
	             "lead time unit 'MON' is not supported");
	got_free(&g);
}

static void test_import_ubl__no_supplier(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-no-supplier.xml", &g, &err), &err, 5, 3,
	             "no supplier id before the first QuotationLine");
	assert_int_equal(g.nheaders, 0);
	got_free(&g);
}

static void test_import_ubl__rfq_missing_unit(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-missing-unit.xml", &g, &err), &err, 8, 7,
	             "RequestForQuotationLine 7: cbc:Quantity has no unitCode");
	got_free(&g);
}

static void test_import_ubl__rfq_missing_part(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("rfq-missing-part.xml", &g, &err), &err, 4, 3,
	             "RequestForQuotationLine 7: no part number");
	got_free(&g);
}

/* ---- every problem, not just the first ---------------------------- */

/* Error number i (from 0): rule, position and a piece of its text. */
static void assert_nth_error(const got *g, int i, const char *rule, uint32_t line, uint32_t col,
                             const char *needle)
{
	const got_diag *d;

	assert_true(i < g->nerrors);
	d = diag_sev(g, BID_SEV_ERROR, i);
	assert_string_equal(d->rule, rule);
	assert_int_equal(d->pos.line, line);
	assert_int_equal(d->pos.col, col);
	if (!strstr(d->msg, needle))
		fail_msg("diagnostic %d '%s' lacks '%s'", i, d->msg, needle);
}

static void test_import_ubl__many_errors(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-many-errors.xml", &g, &err), &err, 4, 3,
	             "issue date '2024-13-01' is not a date");
	/* err is the first diagnostic, word for word (bidcmp check relies on it) */
	assert_int_equal(g.nerrors, 8);
	assert_string_equal(err.msg, diag_sev(&g, BID_SEV_ERROR, 0)->msg);
	assert_string_equal(err.file, "test.xml");
	assert_nth_error(&g, 0, "ubl.issue.date", 4, 3, "issue date '2024-13-01'");
	assert_nth_error(&g, 1, "ubl.price.decimal", 19, 18, "price '12,50' is not a decimal");
	assert_nth_error(&g, 2, "ubl.price.missing", 22, 3, "QuotationLine 3: no price");
	assert_nth_error(&g, 3, "ubl.qty.decimal", 33, 7, "quantity '1x'");
	assert_nth_error(&g, 4, "ubl.delivery.date", 34, 49, "promised delivery date '2024-02-30'");
	assert_nth_error(&g, 5, "ubl.lead.unit", 35, 63, "lead time unit 'MON'");
	assert_nth_error(&g, 6, "ubl.currency.missing", 36, 18, "QuotationLine 4: no currency");
	assert_nth_error(&g, 7, "ubl.tier.currency", 51, 60, "price break in USD");
	/* The header (a bad date is not a missing supplier) and the good lines only. */
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].supplier_id, "V-9");
	assert_int_equal(g.headers[0].h.issue_date, BID_DATE_NONE);
	assert_int_equal(g.nlines, 2);
	assert_string_equal(g.lines[0].line_id, "1");
	assert_string_equal(g.lines[1].line_id, "5");
	assert_int_equal(g.lines[1].l.price, dec("2.25"));
	got_free(&g);
}

/* A consumer may stop at the first error diagnostic. */
static int stop_at_error(const bid_diag *d, void *payload)
{
	int *n = payload;

	if (d->severity == BID_SEV_ERROR && ++*n == 2)
		return BID_ESTOP;
	return 0;
}

static void test_import_ubl__diag_stops(void **state)
{
	bid_import_sink sink = { NULL, NULL, NULL, NULL, stop_at_error, NULL, NULL };
	bid_error err;
	char *data;
	size_t len;
	int n = 0;

	(void)state;
	assert_non_null(data = fixture("ubl", "quote-many-errors.xml", &len));
	sink.payload = &n;
	assert_int_equal(bid_import_parse(data, len, BID_FORMAT_UNKNOWN, "q.xml", &sink, &err),
	                 BID_ESTOP);
	assert_int_equal(n, 2);
	assert_int_equal(err.code, BID_ESTOP);
	free(data);
}

static void test_import_ubl__no_supplier_lines_checked(void **state)
{
	const char *doc =
		"<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
		"xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' "
		"xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'>\n"
		"<cac:QuotationLine><cac:LineItem><cbc:ID>A</cbc:ID><cac:Price>"
		"<cbc:PriceAmount currencyID='EUR'>1</cbc:PriceAmount></cac:Price></cac:LineItem>"
		"</cac:QuotationLine>\n"
		"<cac:QuotationLine><cac:LineItem><cbc:ID>B</cbc:ID><cac:Price>"
		"<cbc:PriceAmount currencyID='EUR'>x</cbc:PriceAmount></cac:Price></cac:LineItem>"
		"</cac:QuotationLine>\n</Quotation>\n";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), &err, 2, 1,
	             "no supplier id");
	/* No header, so no line; the second line's bad price is still found. */
	assert_int_equal(g.nheaders, 0);
	assert_int_equal(g.nlines, 0);
	assert_int_equal(g.nerrors, 2);
	assert_string_equal(diag_sev(&g, BID_SEV_ERROR, 0)->rule, "ubl.supplier.missing");
	assert_nth_error(&g, 1, "ubl.price.decimal", 3, 63, "price 'x'");
	got_free(&g);
}

/* ---- price breaks, totals, terms and the other new fields ------- */

static void test_import_ubl__breaks_and_fields(void **state)
{
	bid_error err;
	got_line *l;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-breaks.xml", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].incoterm, "FCA");
	assert_true(g.headers[0].h.has_total);
	assert_int_equal(g.headers[0].h.total, dec("1150.00"));
	assert_string_equal(g.headers[0].total_currency, "EUR");
	assert_int_equal(g.headers[0].h.total_pos.line, 11);
	assert_int_equal(g.headers[0].h.total_pos.col, 5);
	/* "2% 10, net 30 days" in TransactionConditions; the Note says nothing. */
	assert_true(g.headers[0].h.has_pay_days);
	assert_int_equal(g.headers[0].h.pay_days, 30);
	assert_true(g.headers[0].h.has_discount);
	assert_int_equal(g.headers[0].h.discount_pct, dec("2"));
	assert_int_equal(g.headers[0].h.discount_days, 10);
	assert_int_equal(g.nwarnings, 2);
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.terms.text");
	assert_non_null(strstr(diag_sev(&g, BID_SEV_WARNING, 0)->msg, "payment terms read from free text"));
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 1)->rule, "ubl.tier.bound");   /* the 1.45 without a quantity */

	assert_int_equal(g.nlines, 2);
	l = &g.lines[0];
	assert_int_equal(l->l.price, dec("1.20"));
	assert_int_equal(l->l.min_qty, dec("100"));          /* LineItem's, not the break's 500 */
	assert_int_equal(l->l.lead_time_days, 10);
	assert_int_equal(l->ntiers, 3);
	assert_int_equal(l->l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(l->tiers[0].from_qty, dec("100"));
	assert_int_equal(l->tiers[0].price, dec("1.20"));
	assert_int_equal(l->tiers[1].from_qty, dec("500"));  /* OriginalItemLocationQuantity */
	assert_int_equal(l->tiers[1].price, dec("1.10"));
	assert_int_equal(l->tiers[1].pos.line, 25);
	assert_int_equal(l->tiers[2].from_qty, dec("1000")); /* AlternativeConditionPrice */
	assert_int_equal(l->tiers[2].price, dec("1.00"));
	assert_int_equal(l->tiers[2].pos.line, 28);
	assert_int_equal(l->tiers[2].pos.col, 11);
	assert_true(l->l.has_line_amount);
	assert_int_equal(l->l.line_amount, dec("1000.00"));
	assert_string_equal(l->origin_country, "DE");
	assert_string_equal(l->manufacturer, "Schrauben AG");
	assert_true(l->l.has_defect_ppm);                     /* "Defect_PPM": any case */
	assert_int_equal(l->l.defect_ppm, dec("120"));

	l = &g.lines[1];
	assert_string_equal(l->currency, "EUR");
	assert_int_equal(l->ntiers, 2);
	assert_int_equal(l->tiers[0].from_qty, 0);
	assert_int_equal(l->tiers[1].from_qty, dec("500"));
	assert_int_equal(l->l.line_amount, dec("150.00"));    /* QuotationLine's own */
	assert_false(l->l.has_defect_ppm);
	assert_null(l->origin_country);
	got_free(&g);
}

/* A quote whose only payment-terms text is `note`. */
static int terms_of(const char *note, got *g, bid_error *err)
{
	char doc[2048];

	snprintf(doc, sizeof(doc),
	         "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
	         "xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' "
	         "xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'>"
	         "<cbc:Note>%s</cbc:Note><cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>V"
	         "</cbc:CustomerAssignedAccountID></cac:SellerSupplierParty></Quotation>", note);
	return parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, g, err);
}

static void test_import_ubl__payment_terms_text(void **state)
{
	static const struct { const char *text; int days, disc_days; const char *pct; } ok[] = {
		{ "net 30", 30, 0, NULL }, { "Net 45 days.", 45, 0, NULL },
		{ "30 days net", 30, 0, NULL }, { "NET30", 30, 0, NULL },
		{ "Payment terms: net 60", 60, 0, NULL }, { "2% 10 net 30", 30, 10, "2" },
		{ "2/10 net 30", 30, 10, "2" }, { "1.5% 15 days, net 45 days", 45, 15, "1.5" },
	};
	static const char *refused[] = {
		"net 30 or net 60", "payment within 30 days", "30 days", "net thirty",
		"2% 40 net 30", "net 30, 60 days end of month", "net 0", "",
	};
	bid_error err;
	size_t i;
	got g;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(terms_of(ok[i].text, &g, &err), 0);
		if (!g.headers[0].h.has_pay_days)
			fail_msg("'%s' not read", ok[i].text);
		assert_int_equal(g.headers[0].h.pay_days, ok[i].days);
		assert_int_equal(g.headers[0].h.has_discount, ok[i].pct != NULL);
		if (ok[i].pct) {
			assert_int_equal(g.headers[0].h.discount_days, ok[i].disc_days);
			assert_int_equal(g.headers[0].h.discount_pct, dec(ok[i].pct));
		}
		assert_int_equal(g.nwarnings, 1);
		assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.terms.text");
		got_free(&g);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(terms_of(refused[i], &g, &err), 0);
		if (g.headers[0].h.has_pay_days)
			fail_msg("'%s' read as net %d", refused[i], (int)g.headers[0].h.pay_days);
		assert_int_equal(g.nwarnings, 0);
		got_free(&g);
	}
}

/* ---- broken and hostile XML --------------------------------------- */

static void test_import_ubl__truncated(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-truncated.xml", &g, &err), &err, 11, -1,
	             "not well-formed XML");
	got_free(&g);
}

static void test_import_ubl__truncated_between_elements(void **state)
{
	const char *doc = "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:"
	                  "Quotation-2'>\n<x>1</x>\n";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), &err, -1, -1,
	             "XML");
	assert_true(err.line >= 2);
	got_free(&g);
}

static void test_import_ubl__not_well_formed(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-not-well-formed.xml", &g, &err), &err, 11, -1,
	             "not well-formed XML: Opening and ending tag mismatch");
	assert_true(err.col > 0);
	assert_true(err.cause != 0);
	got_free(&g);
}

static int loader_calls;

static xmlParserInputPtr spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loader_calls++;
	return NULL;
}

static void test_import_ubl__xxe(void **state)
{
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	bid_error err;
	got g;

	(void)state;
	loader_calls = 0;
	xmlSetExternalEntityLoader(spy_loader);
	assert_error(parse_fixture("xxe.xml", &g, &err), &err, 2, 22,
	             "entity declarations are not allowed");
	xmlSetExternalEntityLoader(old);
	assert_int_equal(loader_calls, 0);
	assert_null(strstr(err.msg, "root:"));
	got_free(&g);
}

static void test_import_ubl__external_dtd_not_loaded(void **state)
{
	const char *doc =
		"<?xml version='1.0'?>\n"
		"<!DOCTYPE Quotation SYSTEM 'file:///etc/passwd'>\n"
		"<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
		"xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' "
		"xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'>"
		"<cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>V</cbc:CustomerAssignedAccountID>"
		"</cac:SellerSupplierParty></Quotation>\n";
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	bid_error err;
	got g;

	(void)state;
	loader_calls = 0;
	xmlSetExternalEntityLoader(spy_loader);
	/* A DOCTYPE without entities is allowed; its DTD is never fetched. */
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), 0);
	xmlSetExternalEntityLoader(old);
	assert_int_equal(loader_calls, 0);
	assert_int_equal(g.nheaders, 1);          /* a quote without lines still has a header */
	assert_string_equal(g.headers[0].supplier_id, "V");
	got_free(&g);
}

static void test_import_ubl__xxe_utf16(void **state)
{
	const char *doc =
		"<?xml version='1.0' encoding='UTF-16'?>\n"
		"<!DOCTYPE Quotation [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
		"<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
		"xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>"
		"<cbc:ID>&e;</cbc:ID></Quotation>\n";
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	bid_error err;
	size_t len;
	char *data = utf16(doc, &len);
	got g;

	(void)state;
	loader_calls = 0;
	xmlSetExternalEntityLoader(spy_loader);
	assert_error(parse_mem(data, len, BID_FORMAT_UBL, &g, &err), &err, -1, -1, "entit");
	xmlSetExternalEntityLoader(old);
	assert_int_equal(loader_calls, 0);
	free(data);
	got_free(&g);
}

static void test_import_ubl__billion_laughs(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("billion-laughs.xml", &g, &err), &err, 3, 2,
	             "entity declarations are not allowed");
	got_free(&g);
}

static void test_import_ubl__billion_laughs_utf16(void **state)
{
	char doc[4096];
	bid_error err;
	size_t len;
	char *data;
	int i, n;
	got g;

	(void)state;
	n = snprintf(doc, sizeof(doc), "<?xml version='1.0' encoding='UTF-16'?>\n"
	             "<!DOCTYPE q [<!ENTITY l0 'lol'>");
	for (i = 1; i < 10; i++)
		n += snprintf(doc + n, sizeof(doc) - (size_t)n,
		              "<!ENTITY l%d '&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;'>",
		              i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	snprintf(doc + n, sizeof(doc) - (size_t)n,
	         "]>\n<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2'>"
	         "&l9;</Quotation>\n");
	data = utf16(doc, &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UBL, &g, &err), BID_EINVALID);
	assert_int_equal(err.area, BID_AREA_IMPORT);
	free(data);
	got_free(&g);
}

static void test_import_ubl__undeclared_entity(void **state)
{
	const char *doc = "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:"
	                  "Quotation-2'>&nope;</Quotation>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), &err, 1, -1,
	             "nope");
	got_free(&g);
}

static void test_import_ubl__deep_nesting(void **state)
{
	const char *open = "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:"
	                   "Quotation-2'>";
	size_t n = strlen(open), cap = n + 10000 * 7 + 32, i;
	char *doc = malloc(cap);
	bid_error err;
	got g;

	(void)state;
	assert_non_null(doc);
	memcpy(doc, open, n);
	for (i = 0; i < 10000; i++) {
		memcpy(doc + n, "<a>", 3);
		n += 3;
	}
	for (i = 0; i < 10000; i++) {
		memcpy(doc + n, "</a>", 4);
		n += 4;
	}
	memcpy(doc + n, "</Quotation>", 12);
	n += 12;
	assert_error(parse_mem(doc, n, BID_FORMAT_UNKNOWN, &g, &err), &err, 1, -1, "");
	assert_true(strstr(err.msg, "deep") || strstr(err.msg, "depth"));
	free(doc);
	got_free(&g);
}

static const char small_quote[] =
	"<?xml version='1.0' encoding='UTF-8'?>\n"
	"<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
	"xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2' "
	"xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>\n"
	"<cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>V</cbc:CustomerAssignedAccountID>"
	"</cac:SellerSupplierParty>\n"
	"<cac:QuotationLine><cac:LineItem><cbc:ID>P@</cbc:ID>"
	"<cac:Price><cbc:PriceAmount currencyID='EUR'>1</cbc:PriceAmount></cac:Price>"
	"</cac:LineItem></cac:QuotationLine>\n</Quotation>\n";

/* small_quote with its '@' replaced by the given bytes. */
static char *patched(const char *bytes, size_t nbytes, size_t *len)
{
	const char *at = strchr(small_quote, '@');
	size_t head = (size_t)(at - small_quote), tail = strlen(at + 1);
	char *o = malloc(head + nbytes + tail + 1);

	assert_non_null(o);
	memcpy(o, small_quote, head);
	memcpy(o + head, bytes, nbytes);
	memcpy(o + head + nbytes, at + 1, tail + 1);
	*len = head + nbytes + tail;
	return o;
}

static void test_import_ubl__small_quote_ok(void **state)
{
	bid_error err;
	size_t len;
	char *doc = patched("1", 1, &len);
	got g;

	(void)state;
	assert_int_equal(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_LINE_ITEM], "P1");
	free(doc);
	got_free(&g);
}

static void test_import_ubl__invalid_utf8(void **state)
{
	bid_error err;
	size_t len;
	char *doc = patched("\xC3\x28", 2, &len);
	got g;

	(void)state;
	assert_error(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), &err, 4, -1, "UTF-8");
	free(doc);
	got_free(&g);
}

static void test_import_ubl__nul_byte(void **state)
{
	bid_error err;
	size_t len;
	char *doc = patched("\0", 1, &len);
	got g;

	(void)state;
	assert_error(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), &err, 4, -1, "XML");
	assert_int_equal(g.nlines, 0);
	free(doc);
	got_free(&g);
}

static void test_import_ubl__huge_token(void **state)
{
	size_t n = 200000, len;
	char *big = malloc(n), *doc;
	bid_error err;
	got g;

	(void)state;
	assert_non_null(big);
	memset(big, '7', n);
	/* A 200 kB part number: longer than any value we keep. */
	doc = patched(big, n, &len);
	assert_error(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), &err, 4, -1,
	             "longer than");
	free(doc);
	free(big);
	got_free(&g);
}

static void test_import_ubl__huge_name(void **state)
{
	size_t n = 100000, len;
	char *big = malloc(n + 2), *doc;
	bid_error err;
	got g;

	(void)state;
	assert_non_null(big);
	/* An element name longer than libxml2 allows without XML_PARSE_HUGE. */
	big[0] = '<';
	memset(big + 1, 'n', n);
	big[n + 1] = '/';
	doc = patched(big, n + 2, &len);
	/* patched() leaves "...P<nnn.../</cbc:ID>": make the tag end properly. */
	assert_int_equal(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), BID_EINVALID);
	assert_int_equal(err.line, 4);
	free(doc);
	free(big);
	got_free(&g);
}

static void test_import_ubl__wrong_root(void **state)
{
	const char *doc = "<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:"
	                  "Quotation-2'/>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_UBL, &g, &err), &err, 1, 1,
	             "not a UBL Quotation or RequestForQuotation");
	got_free(&g);
}

static void test_import_ubl__utf16_document(void **state)
{
	size_t len;
	char *d16 = utf16(small_quote, &len);
	bid_error err;
	got g;

	(void)state;
	/* libxml2 decodes it; positions fall back to libxml2's line numbers. */
	assert_int_equal(parse_mem(d16, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_LINE_ITEM], "P@");
	assert_int_equal(g.lines[0].l.price, dec("1"));
	assert_true(g.lines[0].l.pos[BID_F_LINE].line >= 4);
	free(d16);
	got_free(&g);
}

/* ---- the official OASIS examples ---------------------------------- */

static void test_import_ubl__sample_rfq_21(void **state)
{
	static const char *parts[] = { "DELL1052665", "DELL2363463", "DELL2367452", "DELL8436783" };
	bid_error err;
	size_t len;
	char *data;
	got g;
	int i;

	(void)state;
	data = sample("ubl", "UBL-RequestForQuotation-2.1-Example.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_string_equal(g.rfq.rfq_id, "G867B");
	assert_string_equal(g.rfq.currency, "DKK");
	assert_int_equal(g.rfq.h.due_date, date("2008-04-24"));
	assert_int_equal(g.rfq.h.need_by, date("2008-05-10"));
	assert_int_equal(g.nrlines, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(g.rlines[i].part, parts[i]);
		assert_string_equal(g.rlines[i].unit, "NIU");
		assert_int_equal(g.rlines[i].l.qty, dec("35"));
	}
	free(data);
	got_free(&g);
}

static void test_import_ubl__sample_quote_21(void **state)
{
	static const char *prices[] = { "4300.00", "1250.00", "50.00", "50.00" };
	bid_error err;
	size_t len;
	char *data;
	got g;
	int i;

	(void)state;
	data = sample("ubl", "UBL-Quotation-2.1-Example.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	/* It has both: CustomerAssignedAccountID wins over the party's DK18296799. */
	assert_string_equal(g.headers[0].supplier_id, "LEV00123");
	assert_string_equal(g.headers[0].supplier_name, "Delcomputer A/S");
	assert_string_equal(g.headers[0].rfq_ref, "G867B");
	assert_int_equal(g.nlines, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(g.lines[i].unit, "EA");
		assert_string_equal(g.lines[i].currency, "DKK");
		assert_int_equal(g.lines[i].l.price, dec(prices[i]));
		assert_int_equal(g.lines[i].l.qty, dec("35"));
	}
	assert_string_equal(g.lines[0].part_ids[BID_PART_LINE_ITEM], "DELL1052665");
	free(data);
	got_free(&g);
}

static void test_import_ubl__sample_quote_20(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("ubl", "UBL-Quotation-2.0-Example.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "CO001");
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "6578489");
	assert_string_equal(g.lines[0].unit, "KGM");
	assert_int_equal(g.lines[0].l.price, dec("100.00"));
	assert_string_equal(g.lines[0].currency, "GBP");
	free(data);
	got_free(&g);
}

static void test_import_ubl__sample_rfq_20(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("ubl", "UBL-RequestForQuotation-2.0-Example.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_string_equal(g.rfq.rfq_id, "G867B");
	assert_int_equal(g.nrlines, 1);
	assert_string_equal(g.rlines[0].part, "6578489");
	assert_string_equal(g.rlines[0].unit, "KGM");
	assert_int_equal(g.rlines[0].l.qty, dec("100"));
	free(data);
	got_free(&g);
}

/* ---- charges less allowances (cac:AllowanceCharge) ---------------- */

static void test_import_ubl__charges(void **state)
{
	const bid_quote_header *h;
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-charges.xml", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nwarnings, 1);                      /* the substitute item */
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.line.alternative");
	/* quote level: freight 50.00 less an allowance of 10.25 */
	assert_int_equal(g.nheaders, 1);
	h = &g.headers[0].h;
	assert_true(h->has_charges);
	assert_int_equal(h->charges, dec("39.75"));
	assert_string_equal(h->charges_currency, "EUR");
	assert_int_equal(h->charges_pos.line, 13);             /* the first AllowanceCharge */
	assert_int_equal(h->charges_pos.col, 3);
	assert_int_equal(g.nlines, 3);
	/* line 1: 12.50 packing less 2.5; Price/ and substitute AllowanceCharge not read */
	assert_string_equal(g.lines[0].line_id, "1");
	assert_true(g.lines[0].l.has_charges);
	assert_int_equal(g.lines[0].l.charges, dec("10"));
	assert_string_equal(g.lines[1].line_id, "2");
	assert_false(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, 0);
	/* ChargeIndicator 0 is an allowance; no currencyID is the line's currency */
	assert_string_equal(g.lines[2].line_id, "3");
	assert_true(g.lines[2].l.has_charges);
	assert_int_equal(g.lines[2].l.charges, dec("-3"));
	got_free(&g);
}

static void test_import_ubl__charges_errors(void **state)
{
	static const char *const rules[] = {
		"ubl.charge.indicator", "ubl.charge.decimal", "ubl.charge.indicator",
		"ubl.charge.currency", "ubl.charge.negative", "ubl.charge.missing",
	};
	static const uint32_t lines[] = { 12, 23, 35, 46, 61, 73 };
	bid_error err;
	got g;
	int i;

	(void)state;
	assert_error(parse_fixture("quote-charges-bad.xml", &g, &err), &err, 12, 5,
	             "cbc:ChargeIndicator 'yes' is not a boolean");
	assert_int_equal(g.nerrors, 6);
	for (i = 0; i < 6; i++) {
		const got_diag *d = diag_sev(&g, BID_SEV_ERROR, i);

		assert_string_equal(d->rule, rules[i]);
		assert_int_equal(d->pos.line, lines[i]);
	}
	/* The header goes out without its charges; only line 6 is good. */
	assert_int_equal(g.nheaders, 1);
	assert_false(g.headers[0].h.has_charges);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "6");
	assert_int_equal(g.lines[0].l.charges, dec("4"));
	/* The quote's AllowanceCharge after the lines is ignored with a warning. */
	assert_int_equal(g.nwarnings, 1);
	assert_string_equal(diag_sev(&g, BID_SEV_WARNING, 0)->rule, "ubl.charge.late");
	got_free(&g);
}

/* More charges than a decimal holds, and one currency per quote. */
static void test_import_ubl__charges_range_and_currency(void **state)
{
	static const char head[] =
		"<Quotation xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Quotation-2\" "
		"xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" "
		"xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
		"<cbc:IssueDate>2024-03-01</cbc:IssueDate><cbc:PricingCurrencyCode>EUR"
		"</cbc:PricingCurrencyCode><cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>V"
		"</cbc:CustomerAssignedAccountID></cac:SellerSupplierParty>";
	static const char big[] =
		"<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
		"<cbc:Amount currencyID=\"EUR\">9000000000000</cbc:Amount></cac:AllowanceCharge>";
	static const char usd[] =
		"<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
		"<cbc:Amount currencyID=\"USD\">1</cbc:Amount></cac:AllowanceCharge>";
	static const char line[] =
		"<cac:QuotationLine><cbc:ID>1</cbc:ID><cac:LineItem><cbc:ID>P</cbc:ID>"
		"<cbc:Quantity unitCode=\"C62\">1</cbc:Quantity><cac:Price><cbc:PriceAmount>1"
		"</cbc:PriceAmount></cac:Price><cac:Item/></cac:LineItem></cac:QuotationLine>"
		"</Quotation>";
	char doc[4096];
	bid_error err;
	got g;

	(void)state;
	snprintf(doc, sizeof(doc), "%s%s%s%s", head, big, big, line);
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), BID_EINVALID);
	assert_int_equal(g.nerrors, 1);
	assert_string_equal(diag_sev(&g, BID_SEV_ERROR, 0)->rule, "ubl.charge.range");
	assert_false(g.headers[0].h.has_charges);
	assert_int_equal(g.nlines, 1);             /* the line is not the header's fault */
	got_free(&g);

	snprintf(doc, sizeof(doc), "%s%s%s%s", head, big, usd, line);
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), BID_EINVALID);
	assert_int_equal(g.nerrors, 1);
	assert_string_equal(diag_sev(&g, BID_SEV_ERROR, 0)->rule, "ubl.charge.currency");
	assert_false(g.headers[0].h.has_charges);
	got_free(&g);

	/* One in USD alone: the quote's charges are in USD, not the header's EUR. */
	snprintf(doc, sizeof(doc), "%s%s%s", head, usd, line);
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_true(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, dec("1"));
	assert_string_equal(g.headers[0].h.charges_currency, "USD");
	got_free(&g);

	/* No AllowanceCharge at all: nothing stated. */
	snprintf(doc, sizeof(doc), "%s%s", head, line);
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_false(g.headers[0].h.has_charges);
	assert_null(g.headers[0].h.charges_currency);
	assert_false(g.lines[0].l.has_charges);
	got_free(&g);
}

/* The OASIS 2.0 example: a 10 % allowance of 10.00 GBP at quote level. */
static void test_import_ubl__charges_sample_20(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("ubl", "UBL-Quotation-2.0-Example.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_true(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, dec("-10"));
	assert_string_equal(g.headers[0].h.charges_currency, "GBP");
	assert_int_equal(g.headers[0].h.charges_pos.line, 170);
	assert_int_equal(g.nlines, 1);
	assert_false(g.lines[0].l.has_charges);
	free(data);
	got_free(&g);
}

/* ---- certificates held (Item/cac:Certificate) --------------------- */

static void test_import_ubl__certificates(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-certificates.xml", &g, &err), &err, 63, 26,
	             "certificate code 'ISO9001,RoHS' holds a comma");
	assert_int_equal(g.nerrors, 2);
	assert_diag(&g, 1, BID_SEV_ERROR, 63, 26, "ubl.certificate.code", "QuotationLine 3");
	assert_diag(&g, 2, BID_SEV_ERROR, 76, 26, "ubl.certificate.code", "a control character");
	assert_rule_diag(&g, "ubl.line.alternative", BID_SEV_WARNING, 39, 5, "QuotationLine 1");
	assert_rule_diag(&g, "ubl.certificate.missing", BID_SEV_WARNING, 88, 9, "QuotationLine 5");
	assert_int_equal(g.nwarnings, 2);

	/* Lines 3 and 4 are not handed over. */
	assert_int_equal(g.nlines, 3);
	assert_string_equal(g.lines[0].line_id, "1");
	/* TypeCode (trimmed) before CertificateType before ID; the substitute's UL left out */
	assert_string_equal(g.lines[0].certificates, "ISO9001,RoHS,REACH");
	assert_string_equal(g.lines[1].line_id, "2");
	assert_null(g.lines[1].certificates);
	assert_string_equal(g.lines[2].line_id, "5");
	assert_string_equal(g.lines[2].certificates, "CE");
	got_free(&g);
}

/* A C1 control character (U+0085) in a code is refused too; one code alone is the list. */
static void test_import_ubl__certificate_c1_control(void **state)
{
	static const char head[] =
	        "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2' "
	        "xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' "
	        "xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'>"
	        "<cbc:PricingCurrencyCode>EUR</cbc:PricingCurrencyCode><cac:SellerSupplierParty>"
	        "<cbc:CustomerAssignedAccountID>V</cbc:CustomerAssignedAccountID>"
	        "</cac:SellerSupplierParty><cac:QuotationLine><cbc:ID>1</cbc:ID><cac:LineItem>"
	        "<cac:Price><cbc:PriceAmount>1</cbc:PriceAmount></cac:Price><cac:Item>"
	        "<cac:Certificate><cbc:CertificateTypeCode>";
	static const char tail[] =
	        "</cbc:CertificateTypeCode></cac:Certificate></cac:Item></cac:LineItem>"
	        "</cac:QuotationLine></Quotation>";
	char doc[2048];
	bid_error err;
	got g;

	(void)state;
	snprintf(doc, sizeof(doc), "%s%s%s", head, "ISO\xc2\x85" "9001", tail);
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), &err, 1, -1,
	             "a control character");
	assert_string_equal(diag(&g, "ubl.certificate.code")->rule, "ubl.certificate.code");
	assert_int_equal(g.nlines, 0);
	got_free(&g);

	snprintf(doc, sizeof(doc), "%s%s%s", head, "IATF16949", tail);
	assert_int_equal(parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].certificates, "IATF16949");
	got_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_ubl__full_quote),
		cmocka_unit_test(test_import_ubl__alternative_ignored),
		cmocka_unit_test(test_import_ubl__prefixes_and_default_ns),
		cmocka_unit_test(test_import_ubl__ubl20_style),
		cmocka_unit_test(test_import_ubl__ubl23_style),
		cmocka_unit_test(test_import_ubl__rfq_full),
		cmocka_unit_test(test_import_ubl__callback_stops),
		cmocka_unit_test(test_import_ubl__missing_price),
		cmocka_unit_test(test_import_ubl__bad_decimal),
		cmocka_unit_test(test_import_ubl__bad_date),
		cmocka_unit_test(test_import_ubl__missing_currency),
		cmocka_unit_test(test_import_ubl__lead_time_unit),
		cmocka_unit_test(test_import_ubl__no_supplier),
		cmocka_unit_test(test_import_ubl__rfq_missing_unit),
		cmocka_unit_test(test_import_ubl__rfq_missing_part),
		cmocka_unit_test(test_import_ubl__many_errors),
		cmocka_unit_test(test_import_ubl__diag_stops),
		cmocka_unit_test(test_import_ubl__no_supplier_lines_checked),
		cmocka_unit_test(test_import_ubl__breaks_and_fields),
		cmocka_unit_test(test_import_ubl__payment_terms_text),
		cmocka_unit_test(test_import_ubl__truncated),
		cmocka_unit_test(test_import_ubl__truncated_between_elements),
		cmocka_unit_test(test_import_ubl__not_well_formed),
		cmocka_unit_test(test_import_ubl__xxe),
		cmocka_unit_test(test_import_ubl__xxe_utf16),
		cmocka_unit_test(test_import_ubl__external_dtd_not_loaded),
		cmocka_unit_test(test_import_ubl__billion_laughs),
		cmocka_unit_test(test_import_ubl__billion_laughs_utf16),
		cmocka_unit_test(test_import_ubl__undeclared_entity),
		cmocka_unit_test(test_import_ubl__deep_nesting),
		cmocka_unit_test(test_import_ubl__small_quote_ok),
		cmocka_unit_test(test_import_ubl__invalid_utf8),
		cmocka_unit_test(test_import_ubl__nul_byte),
		cmocka_unit_test(test_import_ubl__huge_token),
		cmocka_unit_test(test_import_ubl__huge_name),
		cmocka_unit_test(test_import_ubl__wrong_root),
		cmocka_unit_test(test_import_ubl__utf16_document),
		cmocka_unit_test(test_import_ubl__sample_rfq_21),
		cmocka_unit_test(test_import_ubl__sample_quote_21),
		cmocka_unit_test(test_import_ubl__sample_quote_20),
		cmocka_unit_test(test_import_ubl__sample_rfq_20),
		cmocka_unit_test(test_import_ubl__charges),
		cmocka_unit_test(test_import_ubl__charges_errors),
		cmocka_unit_test(test_import_ubl__charges_range_and_currency),
		cmocka_unit_test(test_import_ubl__charges_sample_20),
		cmocka_unit_test(test_import_ubl__certificates),
		cmocka_unit_test(test_import_ubl__certificate_c1_control),
	};

	return cmocka_run_group_tests_name("import_ubl", tests, NULL, NULL);
}
