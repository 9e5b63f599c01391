/*
 * import_x12.c - cmocka tests of the X12 843 importer (importers/x12.c)
 * on the fixtures in fixtures/x12/, on hostile input built in memory, and
 * on public samples in ../shared/samples/x12 when there are any (else skipped).
 * Run from the repository root; BIDCMP_FIXTURES / BIDCMP_SAMPLES override.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "bidcmp/bidcmp.h"
#include "collect.h"

/* ---- inputs ------------------------------------------------------- */

/* How the next parse's callbacks should stop (tests of stopping set these). */
static int next_stop_after_lines, next_stop_on_error;

static int parse_mem(const char *data, size_t len, got *g, bid_error *err)
{
	got_free(g);            /* what a previous parse into g kept */
	got_reset(g, 0);
	g->stop_after = next_stop_after_lines;
	g->stop_on_error = next_stop_on_error;
	next_stop_after_lines = next_stop_on_error = 0;
	return got_parse(g, data, len, BID_FORMAT_X12, "test.x12", err);
}

static int parse_str(const char *s, got *g, bid_error *err)
{
	return parse_mem(s, strlen(s), g, err);
}

static int parse_fixture(const char *name, got *g, bid_error *err)
{
	size_t len;
	char *data = fixture("x12", name, &len);
	int rc = parse_mem(data, len, g, err);

	free(data);
	return rc;
}

#define ISA "ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        " \
            "*240301*1200*U*00401*000000101*0*P*>~"
#define GS  "GS*RR*SENDER*BUYERCO*20240301*1200*101*X*004010~"
#define HEAD "ST*843*0001~BQR*00*RFQ-1*20240301~N1*SE*Seller*1*SUP~"
#define TAIL "GE*1*101~IEA*1*000000101~"

/* ISA, GS, ST header (segments 1-5), body, "SE*n", GE, IEA. */
static char *doc(const char *body)
{
	static char buf[16384];
	int nseg = 3 + 1;    /* ST BQR N1 ... SE */
	const char *p;

	for (p = body; *p; p++)
		nseg += *p == '~';
	snprintf(buf, sizeof(buf), "%s%s%s%sSE*%d*0001~%s", ISA, GS, HEAD, body, nseg, TAIL);
	return buf;
}

/* The returned error: code, position and a part of its message. */
static void assert_error(int rc, const bid_error *err, long line, long col, const char *needle)
{
	assert_import_error(rc, err, "test.x12", line, col, needle);
}

/* ---- good documents ----------------------------------------------- */

static void test_import_x12__full_quote(void **state)
{
	bid_error err;
	got g = { 0 };
	got_header *h;
	got_line *l;

	(void)state;
	assert_int_equal(parse_fixture("quote-full.x12", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nheaders, 1);
	h = &g.headers[0];
	assert_string_equal(h->supplier_id, "123456789");          /* N1*SE, not N1*BY */
	assert_string_equal(h->supplier_name, "Acme Fasteners & Co");
	assert_string_equal(h->quote_id, "Q-1001");                 /* REF*PR */
	assert_string_equal(h->rfq_ref, "RFQ-7");                   /* BQR02 */
	assert_string_equal(h->currency, "EUR");
	assert_int_equal(h->h.issue_date, date("2024-03-01"));      /* BQR03 */
	assert_int_equal(h->h.valid_from, date("2024-03-01"));      /* DTM*007 */
	assert_int_equal(h->h.valid_until, date("2024-04-30"));     /* DTM*036 beats BQR05 */
	assert_int_equal(h->h.pos.line, 12);
	assert_int_equal(h->h.pos.col, 4);
	assert_true(h->h.has_pay_days);
	assert_int_equal(h->h.pay_days, 30);                        /* ITD07 */
	assert_true(h->h.has_discount);
	assert_int_equal(h->h.discount_pct, dec("2"));              /* ITD03 */
	assert_int_equal(h->h.discount_days, 10);                   /* ITD05 */
	assert_int_equal(g.nlines, 3);

	l = &g.lines[0];
	assert_string_equal(l->line_id, "1");
	assert_string_equal(l->part_ids[BID_PART_BUYER], "B-100");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "S-100");
	assert_string_equal(l->part_ids[BID_PART_MANUFACTURER], "M-100");
	assert_string_equal(l->part_ids[BID_PART_STANDARD], "012345678905");
	assert_null(l->part_ids[BID_PART_LINE_ITEM]);
	assert_string_equal(l->description, "Hex bolt M8x40");      /* PID*F */
	assert_string_equal(l->manufacturer, "Bolt Makers Inc");    /* N1*MF in the line */
	assert_true(l->l.has_qty);
	assert_int_equal(l->l.qty, dec("1000"));
	assert_string_equal(l->unit, "EA");
	assert_int_equal(l->l.price, dec("12.345"));
	assert_int_equal(l->l.basis_qty, dec("100"));               /* HP */
	assert_null(l->l.basis_unit);
	assert_string_equal(l->currency, "USD");                    /* the line's CUR */
	assert_true(l->l.has_lead_time);
	assert_int_equal(l->l.lead_time_days, 10);                  /* 10 DA */
	assert_int_equal(l->l.delivery_date, date("2024-05-15"));
	assert_true(l->l.has_pay_days);
	assert_int_equal(l->l.pay_days, 45);
	assert_int_equal(l->l.tier_type, BID_TIER_ALL_UNITS);
	assert_int_equal(l->ntiers, 3);                             /* base + 2 CTP */
	assert_int_equal(l->tiers[0].from_qty, 0);
	assert_int_equal(l->tiers[0].price, dec("12.345"));
	assert_int_equal(l->tiers[1].from_qty, dec("5000"));
	assert_int_equal(l->tiers[1].price, dec("11.50"));
	assert_int_equal(l->tiers[1].pos.line, 17);
	assert_int_equal(l->tiers[1].pos.col, 3);
	assert_int_equal(l->tiers[2].from_qty, dec("10000"));
	assert_int_equal(l->tiers[2].price, dec("10.75"));
	assert_int_equal(l->l.pos[BID_F_LINE].line, 15);
	assert_int_equal(l->l.pos[BID_F_LINE].col, 0);
	assert_int_equal(l->l.pos[BID_F_QTY].line, 15);
	assert_int_equal(l->l.pos[BID_F_QTY].col, 2);
	assert_int_equal(l->l.pos[BID_F_UNIT].col, 3);
	assert_int_equal(l->l.pos[BID_F_PRICE].line, 15);
	assert_int_equal(l->l.pos[BID_F_PRICE].col, 4);
	assert_int_equal(l->l.pos[BID_F_BASIS].col, 5);
	assert_int_equal(l->l.pos[BID_F_PART].col, 7);              /* the buyer's id */
	assert_int_equal(l->l.pos[BID_F_CURRENCY].line, 16);
	assert_int_equal(l->l.pos[BID_F_CURRENCY].col, 2);
	assert_int_equal(l->l.pos[BID_F_LEAD_TIME].line, 22);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].line, 21);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].col, 2);

	l = &g.lines[1];
	assert_string_equal(l->line_id, "2");
	assert_string_equal(l->part_ids[BID_PART_SELLER], "S-200");  /* VP */
	assert_null(l->part_ids[BID_PART_BUYER]);
	assert_null(l->description);
	assert_null(l->manufacturer);
	assert_int_equal(l->l.qty, dec("2.5"));
	assert_string_equal(l->unit, "KGM");                        /* X12 KG */
	assert_int_equal(l->l.basis_qty, dec("1"));                 /* PE */
	assert_string_equal(l->currency, "EUR");                    /* the header's */
	assert_int_equal(l->l.pos[BID_F_CURRENCY].line, 5);
	assert_int_equal(l->l.lead_time_days, 45);                  /* 1.5 MO x 30 */
	assert_int_equal(l->l.delivery_date, date("2024-06-20"));   /* SCH06 */
	assert_int_equal(l->l.pos[BID_F_DELIVERY].line, 27);
	assert_int_equal(l->l.pos[BID_F_DELIVERY].col, 6);
	assert_false(l->l.has_pay_days);
	/* The first CTP restates PO104: no extra base tier. */
	assert_int_equal(l->ntiers, 2);
	assert_int_equal(l->tiers[0].from_qty, dec("1"));
	assert_int_equal(l->tiers[0].price, dec("8.90"));
	assert_int_equal(l->tiers[1].from_qty, dec("10"));
	assert_int_equal(l->tiers[1].price, dec("8.50"));

	l = &g.lines[2];
	assert_string_equal(l->unit, "CS");                         /* X12 CA: a case */
	assert_int_equal(l->l.basis_qty, dec("1000"));              /* TP */
	assert_int_equal(l->l.lead_time_days, 14);                  /* header LDT 2 WK */
	assert_int_equal(l->l.pos[BID_F_LEAD_TIME].line, 14);
	assert_int_equal(l->l.delivery_date, date("2024-06-01"));   /* header DTM*002 */
	assert_int_equal(l->ntiers, 2);                             /* PO3 break */
	assert_int_equal(l->tiers[0].price, dec("100"));
	assert_int_equal(l->tiers[1].from_qty, dec("50"));
	assert_int_equal(l->tiers[1].price, dec("95"));
	assert_int_equal(l->tiers[1].pos.line, 30);
	assert_int_equal(l->tiers[1].pos.col, 4);
	got_free(&g);
}

static void test_import_x12__several_groups_and_sets(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* GS{ST, ST}, GS{ST} in one ISA, CRLF after every terminator, no CUR. */
	assert_int_equal(parse_fixture("quote-multi.x12", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nheaders, 3);
	assert_string_equal(g.headers[0].supplier_id, "SUP-A");
	assert_string_equal(g.headers[0].supplier_name, "Alpha");
	assert_string_equal(g.headers[0].quote_id, "RFQ-1");        /* no REF*PR: BQR02 */
	assert_string_equal(g.headers[0].currency, "USD");          /* implied */
	assert_string_equal(g.headers[1].supplier_id, "SUP-B");
	assert_string_equal(g.headers[2].supplier_id, "SUP-C");
	assert_int_equal(g.headers[2].h.pos.line, 20);
	assert_int_equal(g.nlines, 4);
	assert_int_equal(g.lines[0].header, 0);
	assert_int_equal(g.lines[1].header, 0);
	assert_string_equal(g.lines[1].unit, "LBR");
	assert_string_equal(g.lines[1].currency, "USD");
	assert_int_equal(g.lines[1].l.pos[BID_F_CURRENCY].line, 0);  /* implied: no position */
	assert_int_equal(g.lines[2].header, 1);
	assert_string_equal(g.lines[2].unit, "DZN");
	assert_int_equal(g.lines[3].header, 2);
	assert_string_equal(g.lines[3].part_ids[BID_PART_SELLER], "P-3-1");
	assert_int_equal(g.lines[3].l.pos[BID_F_LINE].line, 21);
	assert_int_equal(g.lines[3].l.price, dec("0.5"));
	assert_int_equal(g.lines[3].l.basis_qty, 0);               /* no PO105 */
	got_free(&g);
}

static void test_import_x12__other_delimiters(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* '|' elements, '^' components, '!' repetitions (00501), no newlines. */
	assert_int_equal(parse_fixture("quote-delims.x12", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nheaders, 1);
	assert_string_equal(g.headers[0].supplier_id, "987654321");
	assert_string_equal(g.headers[0].supplier_name, "Pipe Co");
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "A1");
	assert_string_equal(g.lines[0].part_ids[BID_PART_SELLER], "S-1");   /* first repetition */
	assert_string_equal(g.lines[0].part_ids[BID_PART_BUYER], "B-9");
	assert_string_equal(g.lines[0].unit, "FOT");
	assert_int_equal(g.lines[0].ntiers, 2);
	assert_int_equal(g.lines[0].tiers[1].from_qty, dec("100"));        /* CTP05 FT^1 */
	assert_int_equal(g.lines[0].tiers[1].price, dec("3.90"));
	got_free(&g);
}

static void test_import_x12__newline_terminator(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* The ISA ends in LF: LF terminates segments and a CR before it is dropped. */
	assert_int_equal(parse_fixture("quote-newline.x12", &g, &err), 0);
	assert_int_equal(g.ndiags, 0);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.headers[0].supplier_id, "555");
	assert_string_equal(g.headers[0].rfq_ref, "RFQ-NL");
	assert_int_equal(g.lines[0].l.price, dec("2.00"));
	assert_int_equal(g.lines[0].l.pos[BID_F_LINE].line, 6);
	got_free(&g);
}

static void test_import_x12__counts_are_warnings(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_int_equal(parse_fixture("quote-counts.x12", &g, &err), 0);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.nerrors, 0);
	assert_int_equal(g.nwarnings, 7);
	assert_diag(&g, 0, BID_SEV_WARNING, 8, 1, "x12.count.ctt",
	            "CTT01 says 3 line items, but the transaction set has 2 PO1 segments");
	assert_diag(&g, 1, BID_SEV_WARNING, 9, 1, "x12.count.se", "SE01 says 9 segments, but there are 7");
	assert_diag(&g, 2, BID_SEV_WARNING, 9, 2, "x12.control", "'0002' does not match ST02 '0001'");
	assert_diag(&g, 3, BID_SEV_WARNING, 10, 1, "x12.count.ge",
	            "GE01 says 2 transaction sets, but there are 1");
	assert_diag(&g, 4, BID_SEV_WARNING, 10, 2, "x12.control", "'12' does not match GS06 '11'");
	assert_diag(&g, 5, BID_SEV_WARNING, 11, 1, "x12.count.iea",
	            "IEA01 says 3 functional groups, but there are 1");
	assert_diag(&g, 6, BID_SEV_WARNING, 11, 2, "x12.control",
	            "'000000999' does not match ISA13 '000000505'");
	got_free(&g);
}

static void test_import_x12__count_not_a_number(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%s%sPO1*1*1*EA*1~SE*x*0001~%s", ISA, GS, HEAD, TAIL);
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_int_equal(g.nwarnings, 1);
	assert_diag(&g, 0, BID_SEV_WARNING, 7, 1, "x12.count.se", "SE01 'x' is not a count: expected 5");
	got_free(&g);
}

/* ---- ISA and envelope errors -------------------------------------- */

static void test_import_x12__isa_short_element(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_fixture("isa-short.x12", &g, &err), &err, 1, 6,
	             "ISA06 is 12 characters: expected 15 (ISA is fixed-width: 106 characters up "
	             "to and including the segment terminator)");
	assert_int_equal(g.nheaders, 0);
	assert_int_equal(g.nerrors, 1);
	assert_diag(&g, 0, BID_SEV_ERROR, 1, 6, "x12.isa.length", "ISA06 is 12");
	got_free(&g);
}

static void test_import_x12__isa_cut_short(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str("ISA*00*          *00*   ", &g, &err), &err, 1, 4,
	             "the file ends inside the ISA header (in ISA04, after 24 characters): "
	             "expected 106");
	assert_error(parse_str("ISA", &g, &err), &err, 1, 0,
	             "the file ends inside the ISA header after 3 characters: expected 106");
	/* All 16 elements but no terminator. */
	assert_error(parse_str("ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        "
	                       "*240301*1200*U*00401*000000101*0*P*>", &g, &err), &err, 1, 16,
	             "the ISA header is 105 characters: expected 106");
	got_free(&g);
}

static void test_import_x12__isa_long_element(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* A 16-character ISA08: too long, named. */
	assert_error(parse_str("ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO         "
	                       "*240301*1200*U*00401*000000101*0*P*>~", &g, &err), &err, 1, 8,
	             "ISA08 is longer than 15 characters");
	got_free(&g);
}

static void test_import_x12__isa_bad_delimiters(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* 107 characters: the character after ISA16 is a letter, not a terminator. */
	assert_error(parse_str("ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        "
	                       "*240301*1200*U*00401*000000101*0*P*>X~", &g, &err), &err, 1, 16,
	             "the character after ISA16 is 'X': expected the segment terminator");
	assert_error(parse_str("ISAX00", &g, &err), &err, 1, 0,
	             "the element separator (4th character of ISA) is 'X'");
	/* ISA16 equal to the element separator. */
	assert_error(parse_str("ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        "
	                       "*240301*1200*U*00401*000000101*0*P**~", &g, &err), &err, 1, 16,
	             "the component separator (ISA16) is '*'");
	got_free(&g);
}

static void test_import_x12__no_envelope(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* An 843 without ISA/GS, as in the only public example (a Rust test). */
	assert_error(parse_str("ST*843*0001~BQR*00*R*20240101~SE*3*0001~", &g, &err), &err, 1, 0,
	             "found 'ST' where an interchange must begin: expected ISA");
	assert_error(parse_str("", &g, &err), &err, 1, 0, "the file is empty");
	assert_error(parse_str(" \r\n\t", &g, &err), &err, 1, 0, "the file is empty");
	got_free(&g);
}

static void test_import_x12__envelope_order(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%sST*843*0001~", ISA);
	assert_error(parse_str(buf, &g, &err), &err, 2, 0,
	             "found ST at segment 2: expected GS (a functional group) or IEA");
	snprintf(buf, sizeof(buf), "%s%sBQR*00*R*20240101~", ISA, GS);
	assert_error(parse_str(buf, &g, &err), &err, 3, 0, "found BQR at segment 3: expected ST");
	/* A GE where SE is due: the transaction set was never closed. */
	snprintf(buf, sizeof(buf), "%s%s%sPO1*1*1*EA*1~%s", ISA, GS, HEAD, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 7, 0,
	             "found GE at segment 7: expected SE to end the transaction set begun at segment 3");
	assert_int_equal(g.nlines, 0);             /* the open line was not handed over */
	/* Something other than ISA after the interchange. */
	snprintf(buf, sizeof(buf), "%s\r\nGARBAGE~", doc("PO1*1*1*EA*1~"));
	assert_error(parse_str(buf, &g, &err), &err, 10, 0,
	             "found 'GAR' where an interchange must begin: expected ISA");
	/* A second interchange is fine. */
	snprintf(buf, sizeof(buf), "%s", doc("PO1*1*1*EA*1~"));
	strncat(buf, "\n", sizeof(buf) - strlen(buf) - 1);
	strncat(buf, doc("PO1*1*2*EA*1~"), sizeof(buf) - strlen(buf) - 1);
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_int_equal(g.nheaders, 2);
	assert_int_equal(g.nlines, 2);
	assert_int_equal(g.lines[1].l.pos[BID_F_LINE].line, 15);   /* numbering goes on */
	got_free(&g);
}

static void test_import_x12__not_843(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%sST*850*0001~BEG*00*SA*1**20240101~SE*3*0001~%s", ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 3, 1,
	             "transaction set '850' is not an 843 (Response to Request for Quotation): "
	             "expected ST01 843");
	got_free(&g);
}

static void test_import_x12__gs_not_rr(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%sGS*PO*S*R*20240301*1200*101*X*004010~%sPO1*1*1*EA*1~SE*5*0001~%s",
	         ISA, HEAD, TAIL);
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_int_equal(g.nwarnings, 1);
	assert_diag(&g, 0, BID_SEV_WARNING, 2, 1, "x12.gs.functional", "GS01 functional id 'PO' is not RR");
	got_free(&g);
}

static void test_import_x12__truncated(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];
	size_t n;

	(void)state;
	assert_error(parse_fixture("truncated.x12", &g, &err), &err, 24, 0,
	             "the file ends inside segment 24 ('PO1'): expected the segment terminator '~' "
	             "(truncated file?)");
	assert_int_equal(g.nheaders, 1);       /* delivered before the cut; the caller discards */
	assert_int_equal(g.nlines, 0);         /* line 1 was open when the file ended */

	/* Cut after a whole segment: SE, GE and IEA are missing. */
	snprintf(buf, sizeof(buf), "%s", doc("PO1*1*1*EA*1~"));
	n = strstr(buf, "~SE*") - buf + 1;
	assert_error(parse_mem(buf, n, &g, &err), &err, 6, 0,
	             "the file ends inside the transaction set begun at segment 3: expected SE");
	n = strstr(buf, "GE*") - buf;
	assert_error(parse_mem(buf, n, &g, &err), &err, 7, 0,
	             "the file ends inside the functional group begun at segment 2: expected GE");
	n = strstr(buf, "IEA*") - buf;
	assert_error(parse_mem(buf, n, &g, &err), &err, 8, 0,
	             "the file ends inside the interchange begun at segment 1: expected IEA");
	got_free(&g);
}

/* ---- value errors: every one reported, good lines still delivered -- */

static void test_import_x12__bad_values(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_fixture("bad-values.x12", &g, &err), &err, 6, 4,
	             "PO104 unit price '12,50' is not a decimal: decimal comma");
	assert_int_equal(g.nerrors, 5);
	assert_int_equal(g.nwarnings, 0);
	assert_diag(&g, 0, BID_SEV_ERROR, 6, 4, "x12.decimal", "PO104 unit price '12,50' is not a decimal");
	assert_diag(&g, 1, BID_SEV_ERROR, 7, 4, "x12.po1.price",
	            "PO104 unit price must be greater than 0, found '-1'");
	assert_diag(&g, 2, BID_SEV_ERROR, 9, 4, "x12.po1.price", "PO104 unit price is missing");
	assert_diag(&g, 3, BID_SEV_ERROR, 10, 5, "x12.po1.basis",
	            "PO105 basis of unit price 'PD' is not supported: expected PE (per each), "
	            "HP (per hundred) or TP (per thousand)");
	assert_diag(&g, 4, BID_SEV_ERROR, 11, 2, "x12.date",
	            "DTM02 delivery date '20230229' is not a date");
	/* The returned error is the first diagnostic, word for word. */
	assert_string_equal(err.msg, g.diags[0].msg);
	/* Only the good line was handed over. */
	assert_int_equal(g.nheaders, 1);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "3");
	assert_int_equal(g.lines[0].l.price, dec("7.25"));
	got_free(&g);
}

static void test_import_x12__units(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_fixture("units.x12", &g, &err), &err, 7, 3,
	             "PO103 unit 'XQ' is not a known X12 355 unit code");
	assert_int_equal(g.nerrors, 1);
	assert_int_equal(g.nlines, 2);
	/* Packages pass through; the engine refuses them without a pack size. */
	assert_string_equal(g.lines[0].unit, "CS");
	assert_string_equal(g.lines[1].unit, "BX");
	got_free(&g);
}

static void test_import_x12__unit_missing(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("PO1*1*5**1.00~"), &g, &err), &err, 6, 3,
	             "PO103 unit is missing: PO102 quantity needs its unit");
	/* No quantity, no unit: a price-only line is fine. */
	assert_int_equal(parse_str(doc("PO1*1***1.00~"), &g, &err), 0);
	assert_int_equal(g.nlines, 1);
	assert_false(g.lines[0].l.has_qty);
	assert_null(g.lines[0].unit);
	got_free(&g);
}

static void test_import_x12__zero_quantity(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("PO1*1*0*EA*1.00~"), &g, &err), &err, 6, 2,
	             "PO102 quantity must be greater than 0, found '0'");
	assert_error(parse_str(doc("PO1*1*5*EA*0~"), &g, &err), &err, 6, 4,
	             "PO104 unit price must be greater than 0, found '0'");
	got_free(&g);
}

static void test_import_x12__number_too_long(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("PO1*1*5*EA*99999999999999999999.5~"), &g, &err), &err, 6, 4,
	             "PO104 unit price '99999999999999999999.5' is not a decimal");
	assert_error(parse_str(doc("PO1*1*5*EA*1.1234567~"), &g, &err), &err, 6, 4,
	             "PO104 unit price '1.1234567' is not a decimal");
	/* An implied-decimal reading is never guessed: "1e3" is not a number. */
	assert_error(parse_str(doc("PO1*1*5*EA*1e3~"), &g, &err), &err, 6, 4, "is not a decimal");
	got_free(&g);
}

static void test_import_x12__product_id_pairs(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* EN and UK are standard ids; the first of a kind wins; ZZ is ignored. */
	assert_int_equal(parse_str(doc("PO1*1*5*EA*1*PE*ZZ*X*EN*4006381333931*UK*00012345600012*"
	                               "MF*MFG-1~"), &g, &err), 0);
	assert_string_equal(g.lines[0].part_ids[BID_PART_STANDARD], "4006381333931");
	assert_string_equal(g.lines[0].part_ids[BID_PART_MANUFACTURER], "MFG-1");
	assert_null(g.lines[0].part_ids[BID_PART_SELLER]);
	assert_int_equal(g.lines[0].l.pos[BID_F_PART].col, 13);     /* MF id: PO113 */
	/* A qualifier without its id, and an id without a qualifier. */
	assert_error(parse_str(doc("PO1*1*5*EA*1*PE*VN~"), &g, &err), &err, 6, 7,
	             "PO106 has no product id in PO107");
	assert_error(parse_str(doc("PO1*1*5*EA*1*PE**X-1~"), &g, &err), &err, 6, 6,
	             "PO107 has no qualifier in PO106");
	got_free(&g);
}

static void test_import_x12__tiers_out_of_order(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_fixture("tiers-order.x12", &g, &err), &err, 8, 4,
	             "CTP04 break quantity 200 is not above the previous break's 500: price "
	             "breaks must come in increasing quantity order");
	assert_int_equal(g.nerrors, 1);
	assert_int_equal(g.nlines, 1);
	assert_string_equal(g.lines[0].line_id, "2");
	got_free(&g);
}

static void test_import_x12__tier_errors(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* Equal quantities are not increasing either. */
	assert_error(parse_str(doc("PO1*1*5*EA*2~CTP**QTE*1.5*10~CTP**QTE*1.4*10~"), &g, &err), &err,
	             8, 4, "break quantity 10 is not above the previous break's 10");
	/* A break in another unit or basis than the line's. */
	assert_error(parse_str(doc("PO1*1*5*EA*2~CTP**QTE*1.5*10*CA~"), &g, &err), &err, 7, 5,
	             "CTP05 break unit 'CA' differs from the line's PO103 'EA'");
	assert_error(parse_str(doc("PO1*1*5*EA*2*PE~CTP**QTE*1.5*10*EA****HP~"), &g, &err), &err, 7, 9,
	             "CTP09 break basis 'HP' differs from the line's PO105 'PE'");
	/* A break at quantity 0 must restate the unit price. */
	assert_error(parse_str(doc("PO1*1*5*EA*2~CTP**QTE*1.5*0~"), &g, &err), &err, 7, 3,
	             "the price break at quantity 0 is 1.50 but the unit price PO104 is 2.00");
	assert_error(parse_str(doc("PO1*1*5*EA*2~CTP**QTE*-1*10~"), &g, &err), &err, 7, 3,
	             "CTP03 break price must be greater than 0");
	/* A CTP without a quantity is a price of another kind, not a break. */
	assert_int_equal(parse_str(doc("PO1*1*5*EA*2~CTP**RES*3.00~"), &g, &err), 0);
	assert_int_equal(g.lines[0].ntiers, 0);
	/* CTP and PO3 on one line: the first kind wins, with a warning. */
	assert_int_equal(parse_str(doc("PO1*1*5*EA*2~CTP**QTE*1.5*10~PO3*ZZ**QTE*1*PE*20*EA~"), &g,
	                           &err), 0);
	assert_int_equal(g.lines[0].ntiers, 2);
	assert_diag(&g, 0, BID_SEV_WARNING, 8, 0, "x12.tier.mixed", "PO3 price breaks ignored");
	/* A header CTP is not a break. */
	assert_int_equal(parse_str(doc("CTP**QTE*1.5*10~PO1*1*5*EA*2~"), &g, &err), 0);
	assert_diag(&g, 0, BID_SEV_WARNING, 6, 0, "x12.ctp.header", "CTP before the first PO1");
	got_free(&g);
}

static void test_import_x12__too_many_tiers(void **state)
{
	bid_error err;
	got g = { 0 };
	static char body[8192];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(body + n, sizeof(body) - n, "PO1*1*5*EA*200~");
	for (i = 1; i <= 101; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "CTP**QTE*%d*%d~", 200 - i, i * 10);
	assert_error(parse_str(doc(body), &g, &err), &err, 107, 0, "more than 100 price breaks");
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_x12__lead_times(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_int_equal(parse_str(doc("PO1*1*5*EA*2~LDT*AF*3*CD~PO1*2*5*EA*2~LDT*AF*0.5*DA~"
	                               "PO1*3*5*EA*2~LDT*AF*1.1*WK~"), &g, &err), 0);
	assert_int_equal(g.lines[0].l.lead_time_days, 3);
	assert_int_equal(g.lines[1].l.lead_time_days, 1);        /* part days round up */
	assert_int_equal(g.lines[2].l.lead_time_days, 8);        /* 7.7 -> 8 */
	assert_error(parse_str(doc("PO1*1*5*EA*2~LDT*AF*3*HR~"), &g, &err), &err, 7, 3,
	             "LDT03 unit of time 'HR' is not supported: expected DA or CD (days), WK "
	             "(weeks) or MO (months of 30 days)");
	assert_error(parse_str(doc("PO1*1*5*EA*2~LDT*AF*-3*DA~"), &g, &err), &err, 7, 2,
	             "LDT02 lead time must not be negative");
	assert_error(parse_str(doc("PO1*1*5*EA*2~LDT*AF*400000*DA~"), &g, &err), &err, 7, 2,
	             "more than 100000 days");
	assert_error(parse_str(doc("PO1*1*5*EA*2~LDT**3*DA~"), &g, &err), &err, 7, 1,
	             "LDT01 lead time code is missing");
	assert_error(parse_str(doc("PO1*1*5*EA*2~LDT*AF**DA~"), &g, &err), &err, 7, 2,
	             "LDT02 lead time quantity is missing");
	got_free(&g);
}

static void test_import_x12__payment_terms(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("ITD*01*3*2*****30~PO1*1*5*EA*2~"), &g, &err), &err, 6, 5,
	             "ITD03 discount of 2% has no discount days in ITD05");
	assert_error(parse_str(doc("ITD*01*3*150**10**30~PO1*1*5*EA*2~"), &g, &err), &err, 6, 3,
	             "ITD03 discount percent '150' is not between 0 and 100");
	assert_error(parse_str(doc("ITD*01*3*****3O~PO1*1*5*EA*2~"), &g, &err), &err, 6, 7,
	             "ITD07 net days '3O' is not a whole number");
	/* A line's discount cannot be kept: a warning, the net days are. */
	assert_int_equal(parse_str(doc("PO1*1*5*EA*2~ITD*01*3*1**5**60~"), &g, &err), 0);
	assert_int_equal(g.lines[0].l.pay_days, 60);
	assert_diag(&g, 0, BID_SEV_WARNING, 7, 3, "x12.itd.line", "the discount in a line's ITD");
	got_free(&g);
}

static void test_import_x12__currency(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("CUR*SE*XYZ~PO1*1*5*EA*2~"), &g, &err), &err, 6, 2,
	             "CUR02 currency 'XYZ' is not an ISO 4217 code");
	assert_error(parse_str(doc("PO1*1*5*EA*2~CUR*SE*usd~"), &g, &err), &err, 7, 2,
	             "CUR02 currency 'usd' is not an ISO 4217 code");
	assert_int_equal(g.nlines, 0);
	/* A CUR inside a detail CST loop is that cost's, not the line's. */
	assert_int_equal(parse_str(doc("CUR*SE*CAD~PO1*1*5*EA*2~CST*1~CUR*SE*JPY~"), &g, &err), 0);
	assert_string_equal(g.lines[0].currency, "CAD");
	got_free(&g);
}

static void test_import_x12__dates(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("DTM*036*240430~PO1*1*5*EA*2~"), &g, &err), &err, 6, 2,
	             "DTM02 expiration date '240430' is not a date: expected CCYYMMDD");
	assert_error(parse_str(doc("DTM*036*20241331~PO1*1*5*EA*2~"), &g, &err), &err, 6, 2,
	             "DTM02 expiration date '20241331' is not a date");
	/* A DTM in a header N9 loop belongs to the reference, not the quote. */
	assert_int_equal(parse_str(doc("N9*ZZ*X~DTM*036*20250101~PO1*1*5*EA*2~"), &g, &err), 0);
	assert_int_equal(g.headers[0].h.valid_until, BID_DATE_NONE);
	/* BQR05 with BQR04 036 is the expiration when no DTM*036 says it. */
	assert_int_equal(parse_str("ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        "
	                           "*240301*1200*U*00401*000000101*0*P*>~" GS
	                           "ST*843*0001~BQR*00*R-2*20240301*036*20240331~N1*SE*S*1*SUP~"
	                           "SE*4*0001~" TAIL, &g, &err), 0);
	assert_int_equal(g.headers[0].h.valid_until, date("2024-03-31"));
	assert_diag(&g, 0, BID_SEV_WARNING, 3, 0, "x12.po1.none", "has no PO1 lines");
	got_free(&g);
}

static void test_import_x12__bqr_missing(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~N1*SE*S*1*SUP~PO1*1*1*EA*1~SE*4*0001~%s",
	         ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 3, 0,
	             "transaction set 0001 has no BQR: expected BQR with the RFQ reference");
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00**~N1*SE*S*1*SUP~PO1*1*1*EA*1~SE*5*0001~%s",
	         ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 4, 2, "BQR02 request for quote reference is missing");
	assert_int_equal(g.nerrors, 2);
	assert_diag(&g, 1, BID_SEV_ERROR, 4, 3, "x12.bqr.missing", "BQR03 date is missing");
	got_free(&g);
}

static void test_import_x12__supplier(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	/* SE beats SU and VN whatever the order. */
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00*R*20240301~N1*VN*V*92*V1~N1*SU*U*92*U1~"
	         "N1*SE*E*92*E1~N1*SU*U2*92*U2~SE*7*0001~%s", ISA, GS, TAIL);
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "E1");
	assert_string_equal(g.headers[0].supplier_name, "E");
	/* No N1 with an id: the GS02 sender, with a warning. */
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00*R*20240301~N1*SE*Name Only~PO1*1*1*EA*1~"
	         "SE*5*0001~%s", ISA, GS, TAIL);
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_string_equal(g.headers[0].supplier_id, "SENDER");
	assert_string_equal(g.headers[0].supplier_name, "Name Only");
	assert_int_equal(g.headers[0].h.pos.line, 2);
	assert_int_equal(g.headers[0].h.pos.col, 2);
	assert_diag(&g, 0, BID_SEV_WARNING, 3, 0, "x12.supplier.sender", "the supplier is the GS02 "
	            "sender id 'SENDER'");
	/* N103 without N104. */
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00*R*20240301~N1*SE*S*92~PO1*1*1*EA*1~"
	         "SE*5*0001~%s", ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 5, 4, "N103 id qualifier '92' has no id in N104");
	got_free(&g);
}

static void test_import_x12__no_supplier_at_all(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	/* Blank ISA06 and GS02: nobody to attribute the quote to. */
	snprintf(buf, sizeof(buf), "ISA*00*          *00*          *ZZ*               *ZZ*BUYERCO        "
	         "*240301*1200*U*00401*000000101*0*P*>~GS*RR**B*20240301*1200*1*X*004010~"
	         "ST*843*0001~BQR*00*R*20240301~PO1*1*1*EA*1~SE*4*0001~GE*1*1~IEA*1*000000101~");
	assert_error(parse_str(buf, &g, &err), &err, 3, 0,
	             "transaction set 0001 names no supplier: expected N1*SE with an id in N104");
	assert_int_equal(g.nheaders, 0);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_x12__test_indicator(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%s", doc("PO1*1*1*EA*1~"));
	buf[102] = 'T';
	assert_int_equal(parse_str(buf, &g, &err), 0);
	assert_diag(&g, 0, BID_SEV_WARNING, 1, 15, "x12.isa.test", "test data (ISA15 T)");
	got_free(&g);
}

/* ---- hostile input ------------------------------------------------ */

static void test_import_x12__nul_byte(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_fixture("nul.x12", &g, &err), &err, 5, 0,
	             "segment 5 contains a NUL byte (at byte offset 198): X12 text never does");
	assert_int_equal(g.nheaders, 0);
	assert_int_equal(g.nlines, 0);
	assert_int_equal(g.nerrors, 1);
	/* A NUL right after a terminator: the next segment holds it. */
	{
		static char buf[17000];
		size_t n;

		snprintf(buf, sizeof(buf), "%s", doc("PO1*1*1*EA*1~"));
		n = strlen(buf);
		buf[strstr(buf, "ST*") - buf] = '\0';
		assert_error(parse_mem(buf, n, &g, &err), &err, 3, 0, "segment 3 contains a NUL byte");
		buf[3] = '\0';
		assert_error(parse_mem(buf, n, &g, &err), &err, 1, 0, "segment 1 contains a NUL byte");
	}
	got_free(&g);
}

static void test_import_x12__huge_element(void **state)
{
	bid_error err;
	got g = { 0 };
	size_t big = 3u << 20, n;
	char *buf = malloc(big + 1024);
	const char *pre = ISA GS "ST*843*0001~BQR*00*";

	(void)state;
	assert_non_null(buf);
	n = strlen(pre);
	memcpy(buf, pre, n);
	memset(buf + n, 'A', big);
	memcpy(buf + n + big, "*20240301~", 10);
	assert_error(parse_mem(buf, n + big + 10, &g, &err), &err, 4, 0,
	             "segment 4 ('BQR') runs on for more than 65536 bytes without the segment "
	             "terminator '~'");
	free(buf);
	got_free(&g);
}

static void test_import_x12__long_value(void **state)
{
	bid_error err;
	got g = { 0 };
	char id[400], body[600];

	(void)state;
	memset(id, 'X', 300);
	id[300] = '\0';
	snprintf(body, sizeof(body), "PO1*1*1*EA*1*PE*VN*%s~PO1*2*1*EA*1~", id);
	assert_error(parse_str(doc(body), &g, &err), &err, 6, 7,
	             "PO107 product id is 300 characters: at most 256 are accepted");
	assert_int_equal(g.nlines, 1);                 /* line 2 is fine */
	got_free(&g);
}

static void test_import_x12__invalid_utf8(void **state)
{
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00*R*20240301~N1*SE*Caf\xe9*1*SUP~"
	         "PO1*1*1*EA*1~SE*5*0001~%s", ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 5, 2,
	             "N102 supplier name contains a control character or a byte that is not UTF-8");
	/* The header still goes out (without the name) so the lines can be checked. */
	assert_int_equal(g.nheaders, 1);
	assert_null(g.headers[0].supplier_name);
	/* Proper UTF-8 is fine; a tab is not. */
	snprintf(buf, sizeof(buf), "%s%sST*843*0001~BQR*00*R*20240301~N1*SE*Caf\xc3\xa9*1*SUP~"
	         "PO1*1*1*EA*1*PE*VN*A\tB~SE*5*0001~%s", ISA, GS, TAIL);
	assert_error(parse_str(buf, &g, &err), &err, 6, 7, "PO107 product id contains a control character");
	assert_string_equal(g.headers[0].supplier_name, "Caf\xc3\xa9");
	got_free(&g);
}

static void test_import_x12__too_many_elements(void **state)
{
	bid_error err;
	got g = { 0 };
	char body[512];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(body + n, sizeof(body) - n, "PO1*1*1*EA*1");
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "*");
	snprintf(body + n, sizeof(body) - n, "~");
	assert_error(parse_str(doc(body), &g, &err), &err, 6, 0, "segment 6 has more than 64 elements");
	got_free(&g);
}

static void test_import_x12__bad_segment_id(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("po1*1*1*EA*1~"), &g, &err), &err, 6, 0,
	             "segment 6 starts with 'po1': expected a segment id of 2 or 3 upper-case "
	             "letters and digits (wrong delimiters?)");
	assert_error(parse_str(doc("PO1|1|1|EA|1~"), &g, &err), &err, 6, 0,
	             "segment 6 starts with 'PO1|1|1|EA|1'");
	got_free(&g);
}

static void test_import_x12__fuzz_regressions(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	/* A unit code with a control character: named with '?', never raw. */
	assert_error(parse_str(doc("PO1*1*5*\rA*2~PO3*ZZ**QTE*1*PE*20*EA~"), &g, &err), &err, 6, 3,
	             "PO103 unit '?A' is not a known X12 355 unit code");
	assert_null(strchr(err.msg, '\r'));
	/* 20 digits: past the fast path, refused by the exact parser. */
	assert_error(parse_str(doc("PO1*1*99999999999999999999*EA*2~"), &g, &err), &err, 6, 2,
	             "PO102 quantity '99999999999999999999' is not a decimal");
	/* 13 integer digits still parse exactly. */
	assert_int_equal(parse_str(doc("PO1*1*1234567890123*EA*2~"), &g, &err), 0);
	assert_int_equal(g.lines[0].l.qty, dec("1234567890123"));
	got_free(&g);
}

/* ISA GS ST BQR N1, n copies of `seg`, SE GE IEA, in a malloc'd buffer. */
static char *repeated(const char *seg, int n, size_t *len)
{
	size_t k = strlen(seg), cap = 1024 + (size_t)n * k;
	char *b = malloc(cap);
	size_t off;
	int i;

	assert_non_null(b);
	off = (size_t)snprintf(b, cap, "%s%s%s", ISA, GS, HEAD);
	for (i = 0; i < n; i++, off += k)
		memcpy(b + off, seg, k);
	off += (size_t)snprintf(b + off, cap - off, "SE*%d*0001~%s", n + 4, TAIL);
	*len = off;
	return b;
}

static void test_import_x12__error_flood(void **state)
{
	bid_error err;
	got g = { 0 };
	size_t len;
	char *b;

	(void)state;
	/* 5,000 bad lines: 1,000 errors are listed, then the parse gives up. */
	b = repeated("PO1*1*1*EA*x~", 5000, &len);
	assert_error(parse_mem(b, len, &g, &err), &err, 6, 4, "PO104 unit price 'x' is not a decimal");
	assert_int_equal(g.nerrors, 1001);
	assert_string_equal(g.diags[15].rule, "x12.decimal");
	free(b);
	/* 5,000 warnings: 1,000 and one that says the rest are dropped. */
	b = repeated("PO1*1*1*EA*1~ITD*01*3*1**5**60~", 5000, &len);
	assert_int_equal(parse_mem(b, len, &g, &err), 0);
	assert_int_equal(g.nlines, 5000);
	assert_int_equal(g.nwarnings, 1001);
	assert_msg(g.diags[15].msg, "the discount in a line's ITD");
	free(b);
	got_free(&g);
}

static void test_import_x12__callback_stops(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	next_stop_after_lines = 1;
	assert_int_equal(parse_mem(doc("PO1*1*1*EA*1~PO1*2*1*EA*1~PO1*3*1*EA*1~"),
	                           strlen(doc("PO1*1*1*EA*1~PO1*2*1*EA*1~PO1*3*1*EA*1~")), &g, &err),
	                 BID_ESTOP);
	assert_int_equal(g.nlines, 1);
	assert_int_equal(err.code, BID_ESTOP);
	assert_msg(err.msg, "import stopped by its consumer");
	got_free(&g);

	/* A diag callback that stops at the first error ends the parse there. */
	next_stop_on_error = 1;
	assert_int_equal(parse_fixture("bad-values.x12", &g, &err), BID_ESTOP);
	assert_int_equal(g.nerrors, 1);
	assert_int_equal(g.nlines, 0);
	got_free(&g);
}

static void test_import_x12__no_sink_callbacks(void **state)
{
	bid_import_sink none;
	bid_error err;

	(void)state;
	memset(&none, 0, sizeof(none));
	assert_int_equal(bid_import_parse(doc("PO1*1*1*EA*1~"), strlen(doc("PO1*1*1*EA*1~")),
	                                  BID_FORMAT_X12, "test.x12", &none, &err), 0);
	assert_int_equal(bid_import_parse("ISA*", 4, BID_FORMAT_X12, "test.x12", NULL, &err),
	                 BID_EINVALID);
	assert_int_equal(bid_import_parse("ISA*", 4, BID_FORMAT_X12, "test.x12", NULL, NULL),
	                 BID_EINVALID);
}

static void test_import_x12__detected(void **state)
{
	bid_doc_kind kind;
	bid_error err;
	got g = { 0 };
	static char buf[17000];

	(void)state;
	assert_int_equal(bid_import_detect(doc(""), strlen(doc("")), &kind), BID_FORMAT_X12);
	assert_int_equal(kind, BID_DOC_QUOTE);
	/* A BOM and blank lines before ISA, as detection allows. */
	snprintf(buf, sizeof(buf), "\xEF\xBB\xBF\r\n%s", doc("PO1*1*1*EA*1~"));
	memset(&g, 0, sizeof(g));
	{
		bid_import_sink sink = got_sink(&g);
		assert_int_equal(bid_import_parse(buf, strlen(buf), BID_FORMAT_UNKNOWN, "t", &sink, &err), 0);
	}
	assert_int_equal(g.nlines, 1);
	got_free(&g);
}

/* ---- public samples (none collected for X12: see FORMATS.md section 6) */

static void test_import_x12__samples(void **state)
{
	const char *dir = getenv("BIDCMP_SAMPLES") ? getenv("BIDCMP_SAMPLES") : "../shared/samples";
	char path[512];
	struct dirent *e;
	DIR *d;
	int seen = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/x12", dir);
	if (!(d = opendir(path)))
		skip();
	/*
	 * Every file there either imports, or is refused with a message that
	 * has a position (FORMATS.md X1, an 843 without an envelope, would be
	 * refused at 1:0 for its missing ISA, as test no_envelope shows).
	 */
	while ((e = readdir(d))) {
		char file[1024], *data;
		size_t len;
		bid_error err;
		got g = { 0 };
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		if (!(data = slurp(file, &len)))
			continue;
		seen++;
		rc = parse_mem(data, len, &g, &err);
		if (rc != 0) {
			assert_int_equal(rc, BID_EINVALID);
			assert_true(err.line >= 1);
			assert_true(err.msg[0] != '\0');
			print_message("%s refused: %ld:%ld: %s\n", e->d_name, err.line, err.col, err.msg);
		} else {
			assert_true(g.nheaders >= 1);
		}
		got_free(&g);
		free(data);
	}
	closedir(d);
	if (!seen)
		skip();
}

/* ---- allowances and charges (SAC) --------------------------------- */

static void test_import_x12__charges(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_int_equal(parse_fixture("charges.x12", &g, &err), 0);
	assert_int_equal(g.nerrors, 0);
	/* SAC*N is ignored; a percent without SAC05 is not used. */
	assert_int_equal(g.nwarnings, 1);
	assert_diag(&g, 0, BID_SEV_WARNING, 10, 7, "x12.sac.percent", "not used");
	/* Quote level, N2: 5000 is 50.00 of charge, 1025 is 10.25 of allowance. */
	assert_int_equal(g.nheaders, 1);
	assert_true(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, dec("39.75"));
	assert_null(g.headers[0].h.charges_currency);          /* the header's EUR */
	assert_int_equal(g.headers[0].h.charges_pos.line, 7);
	assert_int_equal(g.headers[0].h.charges_pos.col, 0);
	assert_int_equal(g.nlines, 3);
	/* Line 1: 12.50 less 2.50; the SAC after SLN is the subline's, not read. */
	assert_true(g.lines[0].l.has_charges);
	assert_int_equal(g.lines[0].l.charges, dec("10"));
	assert_false(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, 0);
	assert_true(g.lines[2].l.has_charges);
	assert_int_equal(g.lines[2].l.charges, dec("-3"));
	got_free(&g);
}

static void test_import_x12__charges_errors(void **state)
{
	bid_error err;
	got g = { 0 };

	(void)state;
	assert_error(parse_str(doc("PO1*1*1*EA*1*PE*VN*A~SAC*X*D240***100~"
	                           "PO1*2*1*EA*1*PE*VN*B~SAC*C*D240***10.50~"
	                           "PO1*3*1*EA*1*PE*VN*C~SAC*A*D240***-100~"
	                           "PO1*4*1*EA*1*PE*VN*D~SAC*C*D240***99999999999999999~"
	                           "PO1*5*1*EA*1*PE*VN*E~SAC*C*D240~"
	                           "PO1*6*1*EA*1*PE*VN*F~SAC*C*D240***1050~SAC*C*D240***0~"),
	                       &g, &err), &err, 7, 1, "SAC01");
	assert_diag(&g, 0, BID_SEV_ERROR, 7, 1, "x12.sac.indicator", "'X'");
	assert_diag(&g, 1, BID_SEV_ERROR, 9, 5, "x12.sac.amount", "'10.50' is not an N2 number");
	assert_diag(&g, 2, BID_SEV_ERROR, 11, 5, "x12.sac.amount", "'-100'");
	assert_diag(&g, 3, BID_SEV_ERROR, 13, 5, "x12.sac.range", "more than a decimal");
	assert_diag(&g, 4, BID_SEV_WARNING, 15, 5, "x12.sac.amount", "no amount");
	assert_int_equal(g.nerrors, 4);
	assert_int_equal(g.nlines, 2);
	assert_string_equal(g.lines[0].line_id, "5");
	assert_false(g.lines[0].l.has_charges);
	assert_string_equal(g.lines[1].line_id, "6");
	assert_true(g.lines[1].l.has_charges);
	assert_int_equal(g.lines[1].l.charges, dec("10.50"));
	got_free(&g);

	/* A bad SAC in the header: the quote's charges are left out, its lines go. */
	assert_error(parse_str(doc("SAC*C*D240***5~SAC*C*D240***1.5~PO1*1*1*EA*1*PE*VN*A~"),
	                       &g, &err), &err, 7, 5, "'1.5'");
	assert_int_equal(g.nheaders, 1);
	assert_false(g.headers[0].h.has_charges);
	assert_int_equal(g.headers[0].h.charges, 0);
	assert_int_equal(g.nlines, 1);
	assert_false(g.lines[0].l.has_charges);
	got_free(&g);
}

/* The NUL check's pass over the whole file tells the sink how far it read, in order. */
static void test_import_x12__progress(void **state)
{
	size_t len = 3 * ((size_t)1 << 20) + 100;
	char *s = malloc(len);
	progress_seen seen = PROGRESS_SEEN_INIT;
	bid_import_sink sink;
	bid_error err;

	(void)state;
	assert_non_null(s);
	memset(s, ' ', len);
	memcpy(s, "ISA*", 4);
	memset(&sink, 0, sizeof(sink));
	sink.progress = progress_see;
	sink.payload = &seen;
	seen.len = len;
	/* not a valid interchange, but first the whole file is searched for NUL */
	assert_int_equal(bid_import_parse(s, len, BID_FORMAT_X12, "test.x12", &sink, &err),
	                 BID_EINVALID);
	assert_true(seen.n >= 3);
	assert_true(seen.ordered);
	assert_true(seen.last >= len - ((size_t)1 << 20));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_x12__full_quote),
		cmocka_unit_test(test_import_x12__several_groups_and_sets),
		cmocka_unit_test(test_import_x12__other_delimiters),
		cmocka_unit_test(test_import_x12__newline_terminator),
		cmocka_unit_test(test_import_x12__counts_are_warnings),
		cmocka_unit_test(test_import_x12__count_not_a_number),
		cmocka_unit_test(test_import_x12__isa_short_element),
		cmocka_unit_test(test_import_x12__isa_cut_short),
		cmocka_unit_test(test_import_x12__isa_long_element),
		cmocka_unit_test(test_import_x12__isa_bad_delimiters),
		cmocka_unit_test(test_import_x12__no_envelope),
		cmocka_unit_test(test_import_x12__envelope_order),
		cmocka_unit_test(test_import_x12__not_843),
		cmocka_unit_test(test_import_x12__gs_not_rr),
		cmocka_unit_test(test_import_x12__truncated),
		cmocka_unit_test(test_import_x12__bad_values),
		cmocka_unit_test(test_import_x12__units),
		cmocka_unit_test(test_import_x12__unit_missing),
		cmocka_unit_test(test_import_x12__zero_quantity),
		cmocka_unit_test(test_import_x12__number_too_long),
		cmocka_unit_test(test_import_x12__product_id_pairs),
		cmocka_unit_test(test_import_x12__tiers_out_of_order),
		cmocka_unit_test(test_import_x12__tier_errors),
		cmocka_unit_test(test_import_x12__too_many_tiers),
		cmocka_unit_test(test_import_x12__lead_times),
		cmocka_unit_test(test_import_x12__payment_terms),
		cmocka_unit_test(test_import_x12__currency),
		cmocka_unit_test(test_import_x12__dates),
		cmocka_unit_test(test_import_x12__bqr_missing),
		cmocka_unit_test(test_import_x12__supplier),
		cmocka_unit_test(test_import_x12__no_supplier_at_all),
		cmocka_unit_test(test_import_x12__test_indicator),
		cmocka_unit_test(test_import_x12__nul_byte),
		cmocka_unit_test(test_import_x12__huge_element),
		cmocka_unit_test(test_import_x12__long_value),
		cmocka_unit_test(test_import_x12__invalid_utf8),
		cmocka_unit_test(test_import_x12__too_many_elements),
		cmocka_unit_test(test_import_x12__bad_segment_id),
		cmocka_unit_test(test_import_x12__fuzz_regressions),
		cmocka_unit_test(test_import_x12__error_flood),
		cmocka_unit_test(test_import_x12__callback_stops),
		cmocka_unit_test(test_import_x12__no_sink_callbacks),
		cmocka_unit_test(test_import_x12__detected),
		cmocka_unit_test(test_import_x12__samples),
		cmocka_unit_test(test_import_x12__charges),
		cmocka_unit_test(test_import_x12__charges_errors),
		cmocka_unit_test(test_import_x12__progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
