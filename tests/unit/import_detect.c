/*
 * import_detect.c - cmocka tests of format detection (importers/detect.c)
 * and the dispatcher's names and refusals (importers/import.c).  All
 * inputs are built in memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bidcmp/bidcmp.h"
#include "collect.h"

#define UBL_Q   "urn:oasis:names:specification:ubl:schema:xsd:Quotation-2"
#define UBL_RFQ "urn:oasis:names:specification:ubl:schema:xsd:RequestForQuotation-2"

static void expect(const char *data, bid_format fmt, bid_doc_kind kind)
{
	bid_doc_kind detected = (bid_doc_kind)99;

	assert_int_equal(bid_import_detect(data, strlen(data), &detected), fmt);
	assert_int_equal(detected, kind);
}

static void test_import_detect__edi(void **state)
{
	(void)state;
	expect("UNA:+.? 'UNB+UNOC:3+X+Y'", BID_FORMAT_EDIFACT, BID_DOC_QUOTE);
	expect("\r\n  UNB+UNOA:2+X", BID_FORMAT_EDIFACT, BID_DOC_QUOTE);
	expect("ISA*00*          *00*", BID_FORMAT_X12, BID_DOC_QUOTE);
	expect("UN", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
}

static void test_import_detect__ubl(void **state)
{
	(void)state;
	expect("<?xml version='1.0'?>\n<!-- c -->\n<Quotation xmlns=\"" UBL_Q "\"/>",
	       BID_FORMAT_UBL, BID_DOC_QUOTE);
	expect("\xEF\xBB\xBF<q:Quotation xmlns:a='x' xmlns:q = '" UBL_Q "'>",
	       BID_FORMAT_UBL, BID_DOC_QUOTE);
	expect("<RequestForQuotation\n  xmlns:cbc='x'\n  xmlns='" UBL_RFQ "'>",
	       BID_FORMAT_UBL, BID_DOC_RFQ);
	/* A prefixed root is bound by its prefix, not by the default namespace. */
	expect("<q:Quotation xmlns='" UBL_Q "' xmlns:q='urn:other'>",
	       BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	/* A DOCTYPE with an internal subset holding '>' is skipped whole. */
	expect("<!DOCTYPE Quotation [<!ENTITY e 'a>b'>]><Quotation xmlns='" UBL_Q "'/>",
	       BID_FORMAT_UBL, BID_DOC_QUOTE);
	expect("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
	       BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("<Quotation xmlns='" UBL_Q, BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
}

static void test_import_detect__ubl_utf16(void **state)
{
	size_t len;
	char *o = utf16("<?xml version='1.0' encoding='UTF-16'?><Quotation xmlns='" UBL_Q "'/>", &len);
	bid_doc_kind kind;

	(void)state;
	assert_int_equal(bid_import_detect(o, len, &kind), BID_FORMAT_UBL);
	assert_int_equal(kind, BID_DOC_QUOTE);
	free(o);
}

static void test_import_detect__cxml(void **state)
{
	(void)state;
	expect("<?xml version=\"1.0\"?>\n<!DOCTYPE cXML SYSTEM \"http://xml.cxml.org/schemas/"
	       "cXML/1.2.060/Quote.dtd\">\n<cXML payloadID=\"1\" timestamp=\"t\">",
	       BID_FORMAT_CXML, BID_DOC_QUOTE);
	expect("<cXML xmlns='urn:x'>", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
}

static void test_import_detect__csv(void **state)
{
	(void)state;
	expect("part,description,quantity,unit,need_by\nA,b,1,EA,\n", BID_FORMAT_CSV, BID_DOC_RFQ);
	expect("\xEF\xBB\xBF\"Quantity\" , PART,Unit\r\n", BID_FORMAT_CSV, BID_DOC_RFQ);
	expect("part,quantity,unit,colour\n", BID_FORMAT_CSV, BID_DOC_RFQ);
	expect("supplier_id,part,unit_price,currency\n", BID_FORMAT_CSV, BID_DOC_QUOTE);
	expect("name,age\nbob,3\n", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("part\n", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
}

static void test_import_detect__empty_and_junk(void **state)
{
	bid_doc_kind kind;

	(void)state;
	assert_int_equal(bid_import_detect(NULL, 0, &kind), BID_FORMAT_UNKNOWN);
	assert_int_equal(kind, BID_DOC_UNKNOWN);
	assert_int_equal(bid_import_detect("", 0, NULL), BID_FORMAT_UNKNOWN);
	expect("   \n\t", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("\x7f" "ELF", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("<", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("<!--", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
	expect("<?xml", BID_FORMAT_UNKNOWN, BID_DOC_UNKNOWN);
}

static void test_import_detect__names(void **state)
{
	(void)state;
	assert_string_equal(bid_format_name(BID_FORMAT_UBL), "ubl");
	assert_string_equal(bid_format_name(BID_FORMAT_CXML), "cxml");
	assert_string_equal(bid_format_name(BID_FORMAT_EDIFACT), "edifact");
	assert_string_equal(bid_format_name(BID_FORMAT_X12), "x12");
	assert_string_equal(bid_format_name(BID_FORMAT_CSV), "csv");
	assert_string_equal(bid_format_name(BID_FORMAT_UNKNOWN), "unknown");
}

static void test_import_detect__parse_refuses_unknown(void **state)
{
	bid_error err;

	(void)state;
	assert_int_equal(bid_import_parse("hello", 5, BID_FORMAT_UNKNOWN, "f.txt", NULL, &err),
	                 BID_EINVALID);
	assert_string_equal(err.file, "f.txt");
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "unknown format"));
	assert_int_equal(bid_import_parse("UNA:+.? '", 9, BID_FORMAT_UNKNOWN, "q.edi", NULL, &err),
	                 BID_EINVALID);
	/* detected as EDIFACT and parsed as such: the envelope is missing */
	assert_non_null(strstr(err.msg, "expected UNB"));
	/* No sink and no err: a plain validation run. */
	assert_int_equal(bid_import_parse("part,quantity,unit\nA,1,EA\n", 25, BID_FORMAT_UNKNOWN,
	                                  NULL, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_detect__edi),
		cmocka_unit_test(test_import_detect__ubl),
		cmocka_unit_test(test_import_detect__ubl_utf16),
		cmocka_unit_test(test_import_detect__cxml),
		cmocka_unit_test(test_import_detect__csv),
		cmocka_unit_test(test_import_detect__empty_and_junk),
		cmocka_unit_test(test_import_detect__names),
		cmocka_unit_test(test_import_detect__parse_refuses_unknown),
	};

	return cmocka_run_group_tests_name("import_detect", tests, NULL, NULL);
}
