/*
 * import_cxml.c - cmocka tests of the cXML importer (importers/cxml.c) on
 * the fixtures in fixtures/cxml/, on hostile input built in memory, and on
 * the public cxml-php samples when ../shared/samples is there (else skipped).
 * Run from the repository root; BIDCMP_FIXTURES / BIDCMP_SAMPLES override.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int parse_str(const char *doc, got *g, bid_error *err)
{
	return parse_mem(doc, strlen(doc), BID_FORMAT_UNKNOWN, g, err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	got_reset(g, 1);
	return got_parse_fixture(g, "cxml", name, BID_FORMAT_UNKNOWN, "test.xml", err);
}

static void assert_error(int rc, const bid_error *err, long line, long col, const char *needle)
{
	assert_import_error(rc, err, NULL, line, col, needle);
}

/*
 * The price per one unit of the line's unit, exactly: price ÷ basis
 * (basis 0 means 1), or fail when that is not a whole number of millionths.
 */
static bid_dec per_unit(const got_line *l)
{
	bid_dec basis = l->l.basis_qty > 0 ? l->l.basis_qty : BID_DEC_SCALE;
	__extension__ __int128 x = (__int128)l->l.price * BID_DEC_SCALE;

	assert_int_equal((int64_t)(x % basis), 0);
	return (bid_dec)(x / basis);
}

/* A minimal QuoteMessage around the given header extras and items. */
static char *quote_doc(const char *header_extra, const char *items)
{
	static const char fmt[] =
		"<?xml version='1.0'?>\n"
		"<cXML payloadID='x' timestamp='2024-01-01T00:00:00Z'>\n"
		"<Header><From><Credential domain='NetworkID'><Identity>AN1</Identity></Credential>"
		"</From></Header>\n"
		"<Message><QuoteMessage>\n"
		"<QuoteMessageHeader type='accept' quoteID='Q' quoteDate='2024-01-01' currency='EUR'>"
		"%s</QuoteMessageHeader>\n"
		"%s\n"
		"</QuoteMessage></Message></cXML>\n";
	size_t n = sizeof(fmt) + strlen(header_extra) + strlen(items);
	char *o = malloc(n);

	assert_non_null(o);
	snprintf(o, n, fmt, header_extra, items);
	return o;
}

#define ITEM(attrs, detail) \
	"<QuoteItemIn type='accept' " attrs "><ItemID><SupplierPartID>P</SupplierPartID></ItemID>" \
	"<ItemDetail>" detail "</ItemDetail></QuoteItemIn>"
#define PRICE(m) "<UnitPrice><Money currency='EUR'>" m "</Money></UnitPrice>"
#define DESC "<Description xml:lang='en'>d</Description>"
#define UOM "<UnitOfMeasure>EA</UnitOfMeasure>"

/* ---- good documents ----------------------------------------------- */

static void test_import_cxml__full_quote(void **state)
{
	bid_error err;
	got g;
	got_line *l;

	(void)state;
	assert_int_equal(parse_fixture("quote-full.xml", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.ndiags, 0);                 /* totals add up: no warning */
	assert_string_equal(g.headers[0].supplier_id, "AN01000042");    /* From's first Credential */
	assert_int_equal(g.headers[0].h.pos.line, 7);
	assert_int_equal(g.headers[0].h.pos.col, 9);
	assert_string_equal(g.headers[0].supplier_name, "Acme Fasteners & Co");   /* supplierCorporate */
	assert_string_equal(g.headers[0].quote_id, "Q-1001");
	assert_string_equal(g.headers[0].rfq_ref, "RFQ-7");
	assert_string_equal(g.headers[0].currency, "EUR");
	assert_int_equal(g.headers[0].h.issue_date, date("2024-03-01"));
	assert_int_equal(g.headers[0].h.valid_from, BID_DATE_NONE);
	assert_int_equal(g.headers[0].h.valid_until, date("2024-04-30"));      /* Extrinsic Expiry_Date */
	assert_true(g.headers[0].h.has_pay_days);
	assert_int_equal(g.headers[0].h.pay_days, 30);                         /* the longest term */
	assert_true(g.headers[0].h.has_discount);
	assert_int_equal(g.headers[0].h.discount_pct, dec("2"));
	assert_int_equal(g.headers[0].h.discount_days, 10);
	assert_true(g.headers[0].h.has_total);
	assert_int_equal(g.headers[0].h.total, dec("1275.00"));
	assert_string_equal(g.headers[0].total_currency, "EUR");
	assert_int_equal(g.headers[0].h.total_pos.line, 26);
	assert_int_equal(g.headers[0].h.total_pos.col, 16);
	assert_null(g.headers[0].h.incoterm);
	assert_int_equal(g.nlines, 2);

	l = &g.lines[0];
	assert_string_equal(l->line_id, "1");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "S-100");
	assert_string_equal(l->part_ids[BID_PART_BUYER], "B-100");
	assert_string_equal(l->part_ids[BID_PART_MANUFACTURER], "M-100");
	assert_null(l->part_ids[BID_PART_STANDARD]);
	assert_null(l->part_ids[BID_PART_LINE_ITEM]);
	assert_string_equal(l->description, "Hex bolt M8x40");      /* text beats ShortName */
	assert_true(l->l.has_qty);
	assert_int_equal(l->l.qty, dec("1000"));
	assert_string_equal(l->unit, "EA");
	assert_int_equal(l->l.price, dec("1.25"));
	assert_string_equal(l->currency, "EUR");
	assert_int_equal(l->l.basis_qty, 0);
	assert_null(l->basis_unit);
	assert_string_equal(l->manufacturer, "Bolt Works GmbH");
	assert_true(l->l.has_lead_time);
	assert_int_equal(l->l.lead_time_days, 14);
	assert_int_equal(l->l.delivery_date, date("2024-05-15"));    /* requestedDeliveryDate */
	assert_true(l->l.has_defect_ppm);
	assert_int_equal(l->l.defect_ppm, dec("120"));
	assert_string_equal(l->origin_country, "DE");
	assert_true(l->l.has_min_qty);
	assert_int_equal(l->l.min_qty, dec("100"));
	assert_true(l->l.has_line_amount);
	assert_int_equal(l->l.line_amount, dec("1100.00"));          /* 1000 at the 500 tier */
	assert_int_equal(l->ntiers, 3);
	assert_int_equal(l->l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(l->tiers[0].from_qty, 0);
	assert_int_equal(l->tiers[0].price, dec("1.25"));
	assert_int_equal(l->tiers[1].from_qty, dec("500"));
	assert_int_equal(l->tiers[1].price, dec("1.10"));
	assert_int_equal(l->tiers[2].from_qty, dec("5000"));
	assert_int_equal(l->tiers[2].price, dec("0.95"));
	assert_int_equal(l->tiers[1].pos.line, 58);
	assert_int_equal(l->tiers[1].pos.col, 25);
	/* Positions: elements at their start tag, attributes at their name. */
	assert_int_equal(l->l.pos[BID_F_LINE].line, 42);
	assert_int_equal(l->l.pos[BID_F_LINE].col, 7);
	assert_int_equal(l->l.pos[BID_F_QTY].line, 42);
	assert_int_equal(l->l.pos[BID_F_QTY].col, 34);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].line, 42);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].col, 65);
	assert_int_equal(l->l.pos[BID_F_PART].line, 46);              /* the buyer's id */
	assert_int_equal(l->l.pos[BID_F_PART].col, 11);
	assert_int_equal(l->l.pos[BID_F_PRICE].line, 50);
	assert_int_equal(l->l.pos[BID_F_PRICE].col, 13);
	assert_int_equal(l->l.pos[BID_F_CURRENCY].line, 50);
	assert_int_equal(l->l.pos[BID_F_CURRENCY].col, 20);
	assert_int_equal(l->l.pos[BID_F_UNIT].line, 68);
	assert_int_equal(l->l.pos[BID_F_LEAD_TIME].line, 72);
	assert_int_equal(l->l.pos[BID_F_MIN_QTY].line, 78);

	l = &g.lines[1];
	assert_string_equal(l->line_id, "2");
	assert_int_equal(l->l.qty, dec("2.5"));
	assert_string_equal(l->unit, "KGM");
	assert_string_equal(l->description, "Grease <lithium>");   /* ShortName, CDATA */
	assert_int_equal(l->l.delivery_date, date("2024-06-01"));    /* promisedDeliveryDate */
	assert_int_equal(l->l.pos[BID_F_DELIVERY].line, 88);
	assert_null(l->part_ids[BID_PART_BUYER]);
	assert_int_equal(l->l.pos[BID_F_PART].line, 81);              /* the supplier's id */
	assert_int_equal(l->ntiers, 0);
	assert_false(l->l.has_lead_time);
	assert_false(l->l.has_defect_ppm);
	assert_false(l->l.has_line_amount);
	assert_null(l->origin_country);
	got_free(&g);
}

/*
 * The price basis: 104.99 USD for 2 BOX with conversionFactor 0.5 (one
 * EA is half a BOX) buys 4 EA, exactly 26.2475 USD per EA.
 */
static void test_import_cxml__price_basis(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("punchout-basis.xml", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);                 /* Total 345.48 = 209.98 + 90 + 45.50 */
	assert_string_equal(g.headers[0].supplier_id, "chairs-inc");
	assert_string_equal(g.headers[0].currency, "USD");       /* from the PunchOut header's Total */
	assert_null(g.headers[0].quote_id);
	assert_int_equal(g.nlines, 3);

	assert_int_equal(g.lines[0].l.price, dec("104.99"));
	assert_int_equal(g.lines[0].l.basis_qty, dec("4"));
	assert_null(g.lines[0].basis_unit);            /* in the order unit, EA */
	assert_int_equal(per_unit(&g.lines[0]), dec("26.2475"));
	assert_int_equal(g.lines[0].l.pos[BID_F_BASIS].line, 21);
	assert_int_equal(g.lines[0].l.pos[BID_F_BASIS].col, 31);
	assert_int_equal(g.lines[0].l.lead_time_days, 3);

	/* 1 per 3 EA is not exact as a quantity: the price is scaled instead. */
	assert_string_equal(g.lines[1].currency, "USD");   /* Money without @currency */
	assert_int_equal(g.lines[1].l.price, dec("30"));
	assert_int_equal(g.lines[1].l.basis_qty, dec("1"));
	assert_int_equal(per_unit(&g.lines[1]), dec("30"));

	/* No conversionFactor: the basis keeps its own unit. */
	assert_int_equal(g.lines[2].l.basis_qty, dec("100"));
	assert_string_equal(g.lines[2].basis_unit, "KGM");
	assert_int_equal(per_unit(&g.lines[2]), dec("0.455"));
	got_free(&g);
}

static void test_import_cxml__basis_inexact(void **state)
{
	char *doc = quote_doc("", ITEM("quantity='1' lineNumber='1'", PRICE("0.000001") DESC UOM
	                      "<PriceBasisQuantity quantity='7' conversionFactor='0.3'>"
	                      "<UnitOfMeasure>BOX</UnitOfMeasure></PriceBasisQuantity>"));
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 6, -1, "more than 6 decimals");
	assert_int_equal(g.nlines, 0);
	assert_rule_diag(&g, "cxml.basis.inexact", BID_SEV_ERROR, 6, err.col, "QuoteItemIn 1");
	free(doc);
	got_free(&g);
}

static void test_import_cxml__tiers_and_composite(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-tiers.xml", &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_name, "First Contact");     /* no supplierCorporate */
	assert_int_equal(g.nlines, 1);                              /* the kit parent skipped */
	assert_rule_diag(&g, "cxml.item.composite", BID_SEV_WARNING, 10, 7, "composite parent");
	assert_rule_diag(&g, "cxml.scale.percentage", BID_SEV_WARNING, 21, 42, "Percentage");
	assert_rule_diag(&g, "cxml.scale.ignored", BID_SEV_WARNING, 30, 17, "further Scales");
	assert_int_equal(g.nerrors, 0);
	assert_string_equal(g.lines[0].line_id, "2");
	assert_int_equal(g.lines[0].l.tier_type, BID_TIER_INCREMENTAL);  /* Graduated */
	assert_int_equal(g.lines[0].ntiers, 2);
	assert_int_equal(g.lines[0].tiers[0].price, dec("0.10"));
	assert_int_equal(g.lines[0].tiers[1].from_qty, dec("500"));
	assert_int_equal(g.lines[0].tiers[1].price, dec("0.09"));
	got_free(&g);
}

static void test_import_cxml__reject(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-reject.xml", &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 0);
	assert_rule_diag(&g, "cxml.quote.reject", BID_SEV_WARNING, 6, 27, "no lines are taken");
	got_free(&g);
}

static void test_import_cxml__callback_stops(void **state)
{
	bid_import_sink sink;
	bid_error err;
	char *data;
	size_t len;
	got g;

	(void)state;
	assert_non_null(data = fixture("cxml", "quote-full.xml", &len));
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

/* ---- every error, not just the first ------------------------------ */

static void test_import_cxml__all_errors(void **state)
{
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_fixture("quote-errors.xml", &g, &err), &err, 10, 53,
	             "payInNumberOfDays 'net30' is not a decimal");
	assert_string_equal(err.file, "test.xml");
	assert_int_equal(g.nheaders, 1);
	/* Only the good line is delivered. */
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "3");
	assert_int_equal(g.nerrors, 10);
	assert_rule_diag(&g, "cxml.payterm.days", BID_SEV_ERROR, 10, 53, "net30");
	assert_rule_diag(&g, "cxml.price.decimal", BID_SEV_ERROR, 15, 22,
	            "QuoteItemIn 1: unit price '12,50' is not a decimal");
	assert_rule_diag(&g, "cxml.qty.range", BID_SEV_ERROR, 20, 34,
	            "QuoteItemIn 2: quantity must be greater than 0");
	assert_rule_diag(&g, "cxml.unit.missing", BID_SEV_ERROR, 20, 7, "QuoteItemIn 2: no unit");
	assert_rule_diag(&g, "cxml.item.date", BID_SEV_ERROR, 35, 62, "no such date: 2024-02-30");
	assert_rule_diag(&g, "cxml.scale.order", BID_SEV_ERROR, 42, 17, "Scale @from must increase");
	assert_rule_diag(&g, "cxml.price.range", BID_SEV_ERROR, 38, 22,
	            "QuoteItemIn 4: unit price must be greater than 0");
	assert_rule_diag(&g, "cxml.lead", BID_SEV_ERROR, 54, 11, "lead time must not be negative");
	assert_rule_diag(&g, "cxml.part.missing", BID_SEV_ERROR, 50, 7, "QuoteItemIn 5: no part number");
	assert_rule_diag(&g, "cxml.price.missing", BID_SEV_ERROR, 50, 7, "QuoteItemIn 5: no price");
	/* With errors the totals are not compared. */
	assert_int_equal(g.nwarnings, 0);
	got_free(&g);
}

static void test_import_cxml__no_supplier(void **state)
{
	const char *doc =
		"<cXML>\n<Header><From><Credential domain='DUNS'><Identity> </Identity></Credential>"
		"</From></Header>\n<Message><QuoteMessage>\n"
		"  <QuoteMessageHeader type='accept' quoteID='Q' quoteDate='2024-01-01' currency='EUR'/>\n"
		ITEM("quantity='1'", PRICE("1") DESC UOM) "\n"
		"</QuoteMessage></Message></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 4, 3, "no supplier id: expected "
	             "cXML/Header/From/Credential/Identity");
	assert_int_equal(g.nheaders, 0);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_cxml__organization_id_fallback(void **state)
{
	const char *doc =
		"<cXML><Header><From/></Header><Message><QuoteMessage>"
		"<QuoteMessageHeader type='accept' quoteID='Q' quoteDate='2024-01-01' currency='EUR'>"
		"<OrganizationID><Credential domain='x'><Identity>ORG-1</Identity></Credential>"
		"</OrganizationID></QuoteMessageHeader>"
		ITEM("quantity='1'", PRICE("1") DESC UOM)
		"</QuoteMessage></Message></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "ORG-1");
	assert_int_equal(g.nlines, 1);
	got_free(&g);
}

static void test_import_cxml__header_attrs_missing(void **state)
{
	const char *doc =
		"<cXML><Header><From><Credential domain='x'><Identity>S</Identity></Credential></From>"
		"</Header><Message><QuoteMessage><QuoteMessageHeader type='maybe'/>"
		ITEM("quantity='1'", "<UnitPrice><Money>1</Money></UnitPrice>" DESC UOM)
		"</QuoteMessage></Message></cXML>";
	bid_error err;
	got g;

	(void)state;
	/* Warnings for the DTD's required attributes; the Money has no currency at all. */
	assert_error(parse_str(doc, &g, &err), &err, 1, -1, "no currency");
	assert_int_equal(diag(&g, "cxml.header.attr")->sev, BID_SEV_WARNING);
	assert_non_null(strstr(diag_n(&g, "cxml.header.attr", 2)->msg, "@currency"));
	assert_non_null(strstr(diag(&g, "cxml.header.type")->msg, "'maybe' is unknown"));
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_cxml__value_errors(void **state)
{
	static const struct {
		const char *items, *rule, *needle;
	} cases[] = {
		{ ITEM("quantity='1'", PRICE("1") DESC "<UnitOfMeasure>EA</UnitOfMeasure>"
		       "<PriceBasisQuantity quantity='0' conversionFactor='1'/>"),
		  "cxml.basis.range", "price basis quantity must be greater than 0" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM
		       "<PriceBasisQuantity quantity='1' conversionFactor='-2'/>"),
		  "cxml.basis.range", "conversionFactor must be greater than 0" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM
		       "<PriceBasisQuantity quantity='1' conversionFactor=''/>"),
		  "cxml.basis.decimal", "conversionFactor is empty" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM "<PriceBasisQuantity/>"),
		  "cxml.basis.missing", "PriceBasisQuantity has no @quantity" },
		{ ITEM("quantity='1e3'", PRICE("1") DESC UOM),
		  "cxml.qty.decimal", "quantity '1e3' is not a decimal" },
		{ ITEM("", PRICE("1") DESC UOM), "cxml.qty.missing", "no @quantity" },
		{ ITEM("quantity='1'", PRICE("99999999999999999999") DESC UOM),
		  "cxml.price.decimal", "unit price '99999999999999999999' is not a decimal" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM "<LeadTime>two weeks</LeadTime>"),
		  "cxml.lead", "lead time 'two weeks' is not a decimal" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM "<LeadTime>200000</LeadTime>"),
		  "cxml.lead", "out of range" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM "<Extrinsic name='defect_ppm'>-1</Extrinsic>"),
		  "cxml.defect.range", "defect ppm must be between 0 and 1000000" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM
		       "<Extrinsic name='CountryOfOrigin'>Germany</Extrinsic>"),
		  "cxml.origin.code", "'Germany' is not an ISO 3166 alpha-2 code" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM "<Extrinsic name='moq'>-5</Extrinsic>"),
		  "cxml.moq.range", "minimum order quantity must not be negative" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM
		       "<Extrinsic name='deliveryDate'>2024-13-01</Extrinsic>"),
		  "cxml.item.date", "promised delivery date '2024-13-01' is not a date" },
		{ ITEM("quantity='1'", "<UnitPrice><Money currency='EUR'>1</Money><PricingConditions>"
		       "<Scales><Scale from='0'><CostTermValue><Money currency='USD'>1</Money>"
		       "</CostTermValue></Scale></Scales></PricingConditions></UnitPrice>" DESC UOM),
		  "cxml.scale.currency", "Scale price is in USD, the unit price in EUR" },
		{ ITEM("quantity='1'", "<UnitPrice><Money currency='EUR'>1</Money><PricingConditions>"
		       "<Scales><Scale to='5'><CostTermValue><Money>1</Money>"
		       "</CostTermValue></Scale></Scales></PricingConditions></UnitPrice>" DESC UOM),
		  "cxml.scale.from", "Scale has no @from" },
		{ ITEM("quantity='1'", "<UnitPrice><Money currency='EUR'>1</Money><PricingConditions>"
		       "<Scales><Scale from='0'><CostTermValue><Money>0</Money>"
		       "</CostTermValue></Scale></Scales></PricingConditions></UnitPrice>" DESC UOM),
		  "cxml.scale.range", "Scale price must be greater than 0" },
		{ ITEM("quantity='1'", "<UnitPrice><Money currency='EUR'>1</Money><PricingConditions>"
		       "<Scales><Scale from='x'/></Scales></PricingConditions></UnitPrice>" DESC UOM),
		  "cxml.scale.decimal", "Scale from 'x' is not a decimal" },
		{ ITEM("quantity='1'", "<UnitPrice><Money currency='EUR'>1</Money><PricingConditions>"
		       "<Scales><Scale from='1'/></Scales></PricingConditions></UnitPrice>" DESC UOM),
		  "cxml.scale.price", "Scale has no CostTermValue/Money" },
		{ ITEM("quantity='1'", PRICE("1") DESC UOM
		       "<Extrinsic name='certificates'>ISO9001, RoHS&#9;2</Extrinsic>"),
		  "cxml.certificate.code", "certificate code 'RoHS?2' holds a control character" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = quote_doc("", cases[i].items);
		bid_error err;
		got g;
		int rc = parse_str(doc, &g, &err);

		if (rc != BID_EINVALID || g.nerrors != 1 || !strstr(err.msg, cases[i].needle))
			fail_msg("case %zu: rc %d, %d errors, '%s'", i, rc, g.nerrors, err.msg);
		assert_string_equal(g.diags[0].rule, cases[i].rule);
		assert_int_equal(err.line, 6);
		assert_true(err.col > 0);
		assert_int_equal(g.nlines, 0);
		free(doc);
		got_free(&g);
	}
}

static void test_import_cxml__header_value_errors(void **state)
{
	char *doc = quote_doc("<QuoteHeaderInfo><PaymentTerms><PaymentTerm payInNumberOfDays='30'>"
	                      "<Discount><DiscountPercent percent='120'/></Discount></PaymentTerm>"
	                      "<PaymentTerm/><PaymentTerm payInNumberOfDays='45'><Discount>"
	                      "<DiscountPercent percent='-1'/></Discount></PaymentTerm>"
	                      "</PaymentTerms></QuoteHeaderInfo>"
	                      "<Extrinsic name='validUntil'>soon</Extrinsic>",
	                      ITEM("quantity='1'", PRICE("1") DESC UOM));
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 5, -1, "discount percent is more than 100");
	assert_int_equal(g.nerrors, 3);
	assert_non_null(strstr(diag(&g, "cxml.payterm.days")->msg, "no @payInNumberOfDays"));
	assert_non_null(strstr(diag(&g, "cxml.header.date")->msg, "expiry date 'soon'"));
	assert_non_null(strstr(diag(&g, "cxml.payterm.penalty")->msg, "penalty"));
	assert_int_equal(g.headers[0].h.pay_days, 45);
	assert_false(g.headers[0].h.has_discount);
	assert_int_equal(g.nlines, 1);       /* the line itself is fine */
	free(doc);
	got_free(&g);
}

static void test_import_cxml__totals_mismatch(void **state)
{
	char *doc = quote_doc("<Total><Money currency='EUR'>10.00</Money></Total>",
	                      "<QuoteItemIn type='accept' quantity='3' lineNumber='7'>"
	                      "<ItemID><SupplierPartID>P</SupplierPartID></ItemID><ItemDetail>"
	                      PRICE("3.333") DESC UOM "</ItemDetail>"
	                      "<Total><Money currency='EUR'>9.99</Money></Total></QuoteItemIn>");
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_non_null(strstr(diag(&g, "cxml.total.line")->msg,
	                       "QuoteItemIn 7: line total 9.99 does not match quantity x price = 10.00"));
	/* 3 x 3.333 = 9.999 rounds to the stated 10.00: the header Total agrees. */
	assert_int_equal(g.nwarnings, 1);
	assert_int_equal(g.nerrors, 0);
	free(doc);
	got_free(&g);
}

#define SCALES(p0, p1) \
	"<PricingConditions><ValidityPeriods><ValidityPeriod><ConditionTypes><ConditionType name='Price'>" \
	"<Scales scaleType='From'><Scale from='0'><CostTermValue><Money currency='EUR'>" p0 \
	"</Money></CostTermValue></Scale><Scale from='100'><CostTermValue><Money currency='EUR'>" p1 \
	"</Money></CostTermValue></Scale></Scales></ConditionType></ConditionTypes></ValidityPeriod>" \
	"</ValidityPeriods></PricingConditions>"

static void test_import_cxml__unit_price_vs_scales(void **state)
{
	char *doc = quote_doc("",
		ITEM("quantity='150' lineNumber='1'", "<UnitPrice><Money currency='EUR'>0.90</Money>"
		     SCALES("1.00", "0.90") "</UnitPrice>" DESC UOM)
		ITEM("quantity='150' lineNumber='2'", "<UnitPrice><Money currency='EUR'>0.50</Money>"
		     SCALES("1.00", "0.90") "</UnitPrice>" DESC UOM));
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_int_equal(g.nlines, 2);
	/* UnitPrice at the tier 150 reaches: consistent, the first tier is the price. */
	assert_int_equal(g.lines[0].l.price, dec("1.00"));
	assert_int_equal(g.lines[0].tiers[1].price, dec("0.90"));
	/* 0.50 matches no tier: a warning, and the Scale prices stand. */
	assert_int_equal(g.lines[1].l.price, dec("1.00"));
	assert_int_equal(g.nwarnings, 1);
	assert_non_null(strstr(diag(&g, "cxml.scale.base")->msg,
	                       "QuoteItemIn 2: UnitPrice 0.50 is not the Scale price for quantity "
	                       "150 (0.90)"));
	free(doc);
	got_free(&g);
}

static void test_import_cxml__extrinsic_markup(void **state)
{
	char *doc = quote_doc("<Extrinsic name='x'><Total><Money currency='EUR'>1</Money></Total>"
	                      "</Extrinsic>",
	                      ITEM("quantity='1'", PRICE("5") DESC UOM
	                           "<Extrinsic name='DefectPPM'>12<b>34</b></Extrinsic>"
	                           "<Extrinsic name='other'><LeadTime>9</LeadTime></Extrinsic>"));
	bid_error err;
	got g;

	(void)state;
	/* Extrinsic is ANY: markup inside is not read as cXML elements. */
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_false(g.headers[0].h.has_total);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(g.lines[0].l.defect_ppm, dec("12"));   /* its own text only */
	assert_false(g.lines[0].l.has_lead_time);
	free(doc);
	got_free(&g);
}

/* ---- documents that are not supplier quotes ----------------------- */

static void test_import_cxml__quote_request(void **state)
{
	const char *doc = "<cXML><Header/><Request>\n <QuoteRequest/></Request></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 2, 2,
	             "cXML Request/QuoteRequest is not a supplier quote");
	assert_non_null(strstr(err.msg, "buyer's request for quotation"));
	got_free(&g);
}

static void test_import_cxml__other_message(void **state)
{
	const char *doc = "<cXML><Header/><Message><OrderRequest/></Message></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 1, 25, "Message/OrderRequest is not a supplier");
	got_free(&g);
}

static void test_import_cxml__no_message(void **state)
{
	const char *doc = "<cXML><Header/></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 1, 1, "no Message/QuoteMessage");
	got_free(&g);
}

static void test_import_cxml__wrong_root(void **state)
{
	const char *doc = "<?xml version='1.0'?>\n<Quote><x/></Quote>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_CXML, &g, &err), &err, 2, 1,
	             "not a cXML document: the root element is 'Quote'");
	got_free(&g);
}

static void test_import_cxml__namespaced_elements_ignored(void **state)
{
	char *doc = quote_doc("", "<QuoteItemIn xmlns='urn:other' quantity='1'/>"
	                      ITEM("quantity='2'", PRICE("1") DESC UOM));
	bid_error err;
	got g;

	(void)state;
	/* cXML has no namespace: an element in one is someone else's. */
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(g.lines[0].l.qty, dec("2"));
	free(doc);
	got_free(&g);
}

/* ---- broken and hostile XML --------------------------------------- */

static int loader_calls;

static xmlParserInputPtr spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	loader_calls++;
	return NULL;
}

static void test_import_cxml__external_dtd_not_loaded(void **state)
{
	const char *docs[] = {
		("<?xml version='1.0'?>\n"
		 "<!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/cXML/1.2.063/Quote.dtd\">\n"),
		("<?xml version='1.0'?>\n<!DOCTYPE cXML SYSTEM 'file:///etc/passwd'>\n"),
		/* An internal subset without entities is harmless. */
		("<?xml version='1.0'?>\n<!DOCTYPE cXML SYSTEM 'Quote.dtd' [<!ATTLIST cXML a CDATA 'x'>]>\n"),
	};
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *body = quote_doc("", ITEM("quantity='1'", PRICE("1") DESC UOM));
		size_t n = strlen(docs[i]) + strlen(body) + 1;
		char *doc = malloc(n);
		bid_error err;
		got g;

		assert_non_null(doc);
		/* Replace quote_doc's XML declaration by ours with the DOCTYPE. */
		snprintf(doc, n, "%s%s", docs[i], strchr(body, '\n') + 1);
		loader_calls = 0;
		xmlSetExternalEntityLoader(spy_loader);
		assert_int_equal(parse_str(doc, &g, &err), 0);
		xmlSetExternalEntityLoader(old);
		assert_int_equal(loader_calls, 0);
		assert_int_equal(g.nlines, 1);
		assert_int_equal(g.lines[0].l.pos[BID_F_LINE].line, 7);   /* positions past the DOCTYPE */
		free(doc);
		free(body);
		got_free(&g);
	}
}

static void test_import_cxml__xxe(void **state)
{
	const char *doc =
		"<?xml version='1.0'?>\n"
		"<!DOCTYPE cXML SYSTEM 'Quote.dtd' [\n  <!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
		"<cXML><Header><From><Credential domain='x'><Identity>&e;</Identity></Credential>"
		"</From></Header></cXML>";
	xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
	bid_error err;
	got g;

	(void)state;
	loader_calls = 0;
	xmlSetExternalEntityLoader(spy_loader);
	assert_error(parse_str(doc, &g, &err), &err, 3, 3, "entity declarations are not allowed");
	xmlSetExternalEntityLoader(old);
	assert_int_equal(loader_calls, 0);
	assert_int_equal(g.nheaders, 0);
	got_free(&g);
}

static void test_import_cxml__billion_laughs(void **state)
{
	char doc[4096];
	bid_error err;
	int i, n;
	got g;

	(void)state;
	n = snprintf(doc, sizeof(doc), "<?xml version='1.0'?>\n<!DOCTYPE cXML [<!ENTITY l0 'lol'>");
	for (i = 1; i < 10; i++)
		n += snprintf(doc + n, sizeof(doc) - (size_t)n,
		              "<!ENTITY l%d '&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;'>",
		              i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	snprintf(doc + n, sizeof(doc) - (size_t)n, "]>\n<cXML>&l9;</cXML>\n");
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_CXML, &g, &err), &err, 2, 17,
	             "entity declarations are not allowed");
	got_free(&g);
}

static void test_import_cxml__undeclared_entity(void **state)
{
	const char *doc = "<cXML><Header>&nope;</Header></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, strlen(doc), BID_FORMAT_CXML, &g, &err), &err, 1, -1, "nope");
	got_free(&g);
}

static void test_import_cxml__char_refs_are_fine(void **state)
{
	char *doc = quote_doc("<Contact role='supplierCorporate'><Name>Caf&#xE9; &amp; Co</Name>"
	                      "</Contact>", ITEM("quantity='1'", PRICE("1") DESC UOM));
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_name, "Caf\xC3\xA9 & Co");
	free(doc);
	got_free(&g);
}

static void test_import_cxml__truncated(void **state)
{
	char *doc = quote_doc("", ITEM("quantity='1'", PRICE("1") DESC UOM));
	char *cut = strstr(doc, "</ItemDetail>");
	bid_error err;
	got g;

	(void)state;
	*cut = '\0';
	assert_error(parse_str(doc, &g, &err), &err, 6, -1, "XML");
	assert_int_equal(g.nlines, 0);
	free(doc);
	got_free(&g);
}

static void test_import_cxml__not_well_formed(void **state)
{
	char *doc = quote_doc("", "<QuoteItemIn quantity='1'><ItemID></QuoteItemIn>");
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 6, -1,
	             "not well-formed XML: Opening and ending tag mismatch");
	assert_true(err.cause != 0);
	assert_rule_diag(&g, "xml.syntax", BID_SEV_ERROR, 6, (uint32_t)err.col, "mismatch");
	free(doc);
	got_free(&g);
}

static void test_import_cxml__deep_nesting(void **state)
{
	size_t depth = 10000, n = 0, i, cap = 64 + depth * 7;
	char *doc = malloc(cap);
	bid_error err;
	got g;

	(void)state;
	assert_non_null(doc);
	n += (size_t)snprintf(doc, cap, "<cXML><Header>");
	for (i = 0; i < depth; i++, n += 3)
		memcpy(doc + n, "<a>", 3);
	for (i = 0; i < depth; i++, n += 4)
		memcpy(doc + n, "</a>", 4);
	n += (size_t)snprintf(doc + n, cap - n, "</Header></cXML>");
	assert_error(parse_mem(doc, n, BID_FORMAT_CXML, &g, &err), &err, 1, -1, "");
	assert_true(strstr(err.msg, "deep") || strstr(err.msg, "depth"));
	free(doc);
	got_free(&g);
}

/* A one-line quote with '@' in the part number replaced by the bytes. */
static char *patched(const char *bytes, size_t nbytes, size_t *len)
{
	char *base = quote_doc("", ITEM("quantity='1'", "<ManufacturerPartID>M@</ManufacturerPartID>"
	                                PRICE("1") DESC UOM));
	const char *at = strchr(base, '@');
	size_t head = (size_t)(at - base), tail = strlen(at + 1);
	char *o = malloc(head + nbytes + tail + 1);

	assert_non_null(o);
	memcpy(o, base, head);
	memcpy(o + head, bytes, nbytes);
	memcpy(o + head + nbytes, at + 1, tail + 1);
	*len = head + nbytes + tail;
	free(base);
	return o;
}

static void test_import_cxml__patched_ok(void **state)
{
	size_t len;
	char *doc = patched("\xC3\xA9", 2, &len);
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_string_equal(g.lines[0].part_ids[BID_PART_MANUFACTURER], "M\xC3\xA9");
	free(doc);
	got_free(&g);
}

static void test_import_cxml__invalid_utf8(void **state)
{
	size_t len;
	char *doc = patched("\xC3\x28", 2, &len);
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), &err, 6, -1, "UTF-8");
	assert_int_equal(g.nlines, 0);
	free(doc);
	got_free(&g);
}

static void test_import_cxml__nul_byte(void **state)
{
	size_t len;
	char *doc = patched("\0", 1, &len);
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_mem(doc, len, BID_FORMAT_CXML, &g, &err), &err, 6, -1, "XML");
	assert_int_equal(g.nlines, 0);
	free(doc);
	got_free(&g);
}

static void test_import_cxml__huge_token(void **state)
{
	size_t n = 200000, len;
	char *big = malloc(n), *doc;
	bid_error err;
	got g;

	(void)state;
	assert_non_null(big);
	memset(big, '7', n);
	/* A 200 kB part number: longer than any value we keep; reported, parse goes on. */
	doc = patched(big, n, &len);
	assert_error(parse_mem(doc, len, BID_FORMAT_UNKNOWN, &g, &err), &err, 6, -1,
	             "ManufacturerPartID is longer than 65536 bytes");
	assert_int_equal(g.nerrors, 1);
	assert_int_equal(g.nlines, 0);
	free(doc);
	free(big);
	got_free(&g);
}

static void test_import_cxml__huge_number(void **state)
{
	char *doc = quote_doc("", ITEM("quantity='123456789012345678901234567890'",
	                               PRICE("1") DESC UOM));
	bid_error err;
	got g;

	(void)state;
	assert_error(parse_str(doc, &g, &err), &err, 6, 28, "quantity '1234567890");
	free(doc);
	got_free(&g);
}

static void test_import_cxml__many_empty_identities(void **state)
{
	size_t k = 300000, i, n = 0, cap = 64 + k * 40;
	char *doc = malloc(cap);
	bid_error err;
	got g;

	(void)state;
	assert_non_null(doc);
	/* Each empty Identity is kept (empty); the arena cap bounds them all. */
	n += (size_t)snprintf(doc, cap, "<cXML><Header><From>");
	for (i = 0; i < k; i++)
		n += (size_t)snprintf(doc + n, cap - n, "<Credential><Identity/></Credential>");
	n += (size_t)snprintf(doc + n, cap - n, "</From></Header></cXML>");
	assert_int_equal(parse_mem(doc, n, BID_FORMAT_CXML, &g, &err), BID_EINVALID);
	free(doc);
	got_free(&g);
}

/* ---- the public cxml-php samples ---------------------------------- */

static void test_import_cxml__sample_quote_message(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("cxml", "QuoteMessage.xml", &len);
	/* Header only: delivered with a warning; the engine then refuses "no line". */
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 0);
	assert_string_equal(g.headers[0].supplier_id, "AN00000123");
	assert_string_equal(g.headers[0].supplier_name, "Joe Smith");
	assert_string_equal(g.headers[0].quote_id, "quoteId");
	assert_string_equal(g.headers[0].currency, "USD");
	assert_int_equal(g.headers[0].h.issue_date, date("2021-01-08"));
	assert_int_equal(g.headers[0].h.valid_until, date("2023-01-08"));
	assert_int_equal(g.headers[0].h.total, dec("100.00"));
	assert_rule_diag(&g, "cxml.quote.no_items", BID_SEV_WARNING, 24, 9, "no QuoteItemIn");
	free(data);
	got_free(&g);
}

static void test_import_cxml__sample_punchout(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("cxml", "PunchoutOrderMessage.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "83528721");
	assert_int_equal(g.nlines, 2);
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "5555");
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "KD5555");
	assert_string_equal(g.lines[0].description, "Excelsior Desk Chair");
	assert_int_equal(g.lines[0].l.qty, dec("3"));
	assert_int_equal(g.lines[1].l.qty, dec("5"));
	assert_int_equal(g.lines[1].l.price, dec("763.20"));
	assert_string_equal(g.lines[1].unit, "EA");
	/* The sample's Total is one unit price: 8 chairs cost more. */
	assert_rule_diag(&g, "cxml.total.mismatch", BID_SEV_WARNING, 27, 21,
	            "Total 763.20 does not match the sum of the lines, 6105.60");
	free(data);
	got_free(&g);
}

static void test_import_cxml__sample_advanced_pricing(void **state)
{
	bid_error err;
	size_t len;
	char *data;
	got g;

	(void)state;
	data = sample("cxml", "PunchoutOrderMessageAdvancedPricing.xml", &len);
	assert_int_equal(parse_mem(data, len, BID_FORMAT_UNKNOWN, &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(g.lines[0].l.price, dec("104.99"));
	assert_string_equal(g.lines[0].unit, "EA");
	assert_int_equal(g.lines[0].l.basis_qty, dec("4"));
	assert_null(g.lines[0].basis_unit);
	assert_int_equal(per_unit(&g.lines[0]), dec("26.2475"));
	/* 2 EA at 26.2475 is 52.495, not the stated 104.99. */
	assert_rule_diag(&g, "cxml.total.mismatch", BID_SEV_WARNING, 27, 21, "104.99");
	free(data);
	got_free(&g);
}

/* ---- charges: Shipping/Money -------------------------------------- */

#define SHIP_ITEM(no, ship) \
	"<QuoteItemIn type='accept' quantity='2' lineNumber='" no "'><ItemID><SupplierPartID>P" \
	"</SupplierPartID></ItemID><ItemDetail>" PRICE("1") DESC UOM "</ItemDetail>" ship \
	"</QuoteItemIn>"

static void test_import_cxml__shipping(void **state)
{
	const bid_quote_header *h;
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_fixture("quote-shipping.xml", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nheaders, 1);
	h = &g.headers[0].h;
	assert_true(h->has_charges);
	assert_int_equal(h->charges, dec("25.50"));
	assert_string_equal(h->charges_currency, "EUR");
	assert_int_equal(h->charges_pos.line, 15);            /* the Money */
	assert_int_equal(h->charges_pos.col, 11);
	assert_int_equal(g.nlines, 2);
	assert_true(g.lines[0].l.has_charges);                /* Shipping, not Tax */
	assert_int_equal(g.lines[0].l.charges, dec("12"));
	assert_false(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, 0);
	got_free(&g);
}

static void test_import_cxml__shipping_errors(void **state)
{
	static const char *const rules[] = {
		"cxml.shipping.range",                            /* the header's */
		"cxml.shipping.decimal", "cxml.shipping.currency", "cxml.shipping.range",
	};
	char *doc = quote_doc("<Total><Money currency='EUR'>1</Money></Total>"
	                      "<Shipping><Money currency='EUR'>-5</Money><Description xml:lang='en'>"
	                      "x</Description></Shipping>",
	                      SHIP_ITEM("1", "<Shipping><Money currency='EUR'>1,5</Money></Shipping>")
	                      SHIP_ITEM("2", "<Shipping><Money currency='USD'>1</Money></Shipping>")
	                      SHIP_ITEM("3", "<Shipping><Money currency='EUR'>-1</Money></Shipping>")
	                      SHIP_ITEM("4", "<Shipping><Money>3.25</Money></Shipping>"));
	bid_error err;
	got g;
	int i;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), BID_EINVALID);
	assert_int_equal(g.nerrors, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(diag_sev(&g, BID_SEV_ERROR, i)->rule, rules[i]);
	assert_false(g.headers[0].h.has_charges);
	assert_null(g.headers[0].h.charges_currency);
	/* Only item 4 is good: no @currency is the line's own. */
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "4");
	assert_true(g.lines[0].l.has_charges);
	assert_int_equal(g.lines[0].l.charges, dec("3.25"));
	free(doc);
	got_free(&g);
}

/* PunchOutOrderMessageHeader has Shipping in cXML.dtd: the quote's charges too. */
static void test_import_cxml__shipping_punchout(void **state)
{
	static const char doc[] =
		"<cXML payloadID='x' timestamp='2024-01-01T00:00:00Z'><Header><From><Credential "
		"domain='NetworkID'><Identity>AN1</Identity></Credential></From></Header><Message>"
		"<PunchOutOrderMessage><BuyerCookie>c</BuyerCookie><PunchOutOrderMessageHeader "
		"operationAllowed='edit'><Total><Money currency='USD'>10</Money></Total><Shipping>"
		"<Money currency='USD'>4.99</Money><Description xml:lang='en'>s</Description>"
		"</Shipping></PunchOutOrderMessageHeader><ItemIn quantity='1'><ItemID><SupplierPartID>"
		"P</SupplierPartID></ItemID><ItemDetail><UnitPrice><Money currency='USD'>10</Money>"
		"</UnitPrice>" DESC UOM "</ItemDetail></ItemIn></PunchOutOrderMessage></Message></cXML>";
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_true(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, dec("4.99"));
	assert_string_equal(g.headers[0].h.charges_currency, "USD");
	assert_int_equal(g.nlines, 1);
	assert_false(g.lines[0].l.has_charges);
	got_free(&g);
}

/* ---- certificates held (item Extrinsic) --------------------------- */

static void test_import_cxml__certificates(void **state)
{
	char *doc = quote_doc("<Extrinsic name='certificates'>HDR</Extrinsic>",
	                      ITEM("quantity='1' lineNumber='1'", PRICE("5") DESC UOM
	                           "<Extrinsic name='Certificates'> ISO9001 ,RoHS , ,</Extrinsic>"
	                           "<Extrinsic name='certificate'>CE</Extrinsic>")
	                      ITEM("quantity='1' lineNumber='2'", PRICE("5") DESC UOM
	                           "<Extrinsic name='CERTIFICATE'>  </Extrinsic>")
	                      ITEM("quantity='1' lineNumber='3'", PRICE("5") DESC UOM)
	                      "<QuoteItemIn type='accept' quantity='1' lineNumber='4'><ItemID>"
	                      "<SupplierPartID>P</SupplierPartID></ItemID><ItemDetail>" PRICE("5")
	                      DESC UOM "</ItemDetail><Extrinsic name='certificate'>IATF16949"
	                      "</Extrinsic></QuoteItemIn>");
	bid_error err;
	got g;

	(void)state;
	assert_int_equal(parse_str(doc, &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nlines, 4);
	/* trimmed, empty codes dropped, every certificates Extrinsic in document order */
	assert_string_equal(g.lines[0].line_id, "1");
	assert_string_equal(g.lines[0].certificates, "ISO9001,RoHS,CE");
	assert_null(g.lines[1].certificates);        /* blank: none */
	assert_null(g.lines[2].certificates);        /* the header's Extrinsic is not the item's */
	assert_string_equal(g.lines[3].certificates, "IATF16949");   /* QuoteItemIn's own Extrinsic */
	free(doc);
	got_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_cxml__full_quote),
		cmocka_unit_test(test_import_cxml__price_basis),
		cmocka_unit_test(test_import_cxml__basis_inexact),
		cmocka_unit_test(test_import_cxml__tiers_and_composite),
		cmocka_unit_test(test_import_cxml__reject),
		cmocka_unit_test(test_import_cxml__callback_stops),
		cmocka_unit_test(test_import_cxml__all_errors),
		cmocka_unit_test(test_import_cxml__no_supplier),
		cmocka_unit_test(test_import_cxml__organization_id_fallback),
		cmocka_unit_test(test_import_cxml__header_attrs_missing),
		cmocka_unit_test(test_import_cxml__value_errors),
		cmocka_unit_test(test_import_cxml__header_value_errors),
		cmocka_unit_test(test_import_cxml__totals_mismatch),
		cmocka_unit_test(test_import_cxml__unit_price_vs_scales),
		cmocka_unit_test(test_import_cxml__extrinsic_markup),
		cmocka_unit_test(test_import_cxml__quote_request),
		cmocka_unit_test(test_import_cxml__other_message),
		cmocka_unit_test(test_import_cxml__no_message),
		cmocka_unit_test(test_import_cxml__wrong_root),
		cmocka_unit_test(test_import_cxml__namespaced_elements_ignored),
		cmocka_unit_test(test_import_cxml__external_dtd_not_loaded),
		cmocka_unit_test(test_import_cxml__xxe),
		cmocka_unit_test(test_import_cxml__billion_laughs),
		cmocka_unit_test(test_import_cxml__undeclared_entity),
		cmocka_unit_test(test_import_cxml__char_refs_are_fine),
		cmocka_unit_test(test_import_cxml__truncated),
		cmocka_unit_test(test_import_cxml__not_well_formed),
		cmocka_unit_test(test_import_cxml__deep_nesting),
		cmocka_unit_test(test_import_cxml__patched_ok),
		cmocka_unit_test(test_import_cxml__invalid_utf8),
		cmocka_unit_test(test_import_cxml__nul_byte),
		cmocka_unit_test(test_import_cxml__huge_token),
		cmocka_unit_test(test_import_cxml__huge_number),
		cmocka_unit_test(test_import_cxml__many_empty_identities),
		cmocka_unit_test(test_import_cxml__sample_quote_message),
		cmocka_unit_test(test_import_cxml__sample_punchout),
		cmocka_unit_test(test_import_cxml__sample_advanced_pricing),
		cmocka_unit_test(test_import_cxml__shipping),
		cmocka_unit_test(test_import_cxml__shipping_errors),
		cmocka_unit_test(test_import_cxml__shipping_punchout),
		cmocka_unit_test(test_import_cxml__certificates),
	};

	return cmocka_run_group_tests_name("import_cxml", tests, NULL, NULL);
}
