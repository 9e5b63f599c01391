/*
 * store_sqlite.c tests - the database: schema and migrations, refusing
 * foreign or newer files, and all-or-nothing documents.  Uses sqlite3
 * directly only to inspect and to tamper, as an auditor would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include <bidcmp/bidcmp.h>

#ifndef FIXTURES
#define FIXTURES "fixtures"
#endif

static char dbpath[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dbpath, sizeof(dbpath), "/tmp/bidcmp-store-test-%ld.db", (long)getpid());
	unlink(dbpath);
	setenv("BIDCMP_TODAY", "2026-12-01", 1);
	return 0;
}

static int teardown(void **state)
{
	char p[300];

	(void)state;
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	return 0;
}

static long long scalar(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void run_sql(const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_store_sqlite__creates_schema_in_wal_mode(void **state)
{
	bid_store *s;
	bid_error err;

	(void)state;
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	bid_store_free(s);
	assert_int_equal(scalar("PRAGMA user_version"), bid_store_schema_version());
	assert_int_equal(scalar("PRAGMA application_id"), 0x42494443);
	assert_int_equal(scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'quote_lines'"), 1);
	assert_int_equal(scalar("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	/* Reopening an up-to-date file migrates nothing and succeeds. */
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	bid_store_free(s);
}

static void test_store_sqlite__refuses_a_newer_schema(void **state)
{
	bid_store *s;
	bid_error err;

	(void)state;
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	bid_store_free(s);
	run_sql("PRAGMA user_version = 999");
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), BID_EINVALID);
	assert_null(s);
	assert_non_null(strstr(err.msg, "newer than this bidcmp"));
}

static void test_store_sqlite__refuses_a_foreign_database(void **state)
{
	bid_store *s;
	bid_error err;

	(void)state;
	run_sql("CREATE TABLE payroll (name TEXT, salary INTEGER)");
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), BID_EINVALID);
	assert_non_null(strstr(err.msg, "not a bidcmp database"));
	/* and left it alone */
	assert_int_equal(scalar("SELECT count(*) FROM sqlite_schema"), 1);
}

static void test_store_sqlite__foreign_keys_are_enforced(void **state)
{
	bid_store *s;
	bid_error err;
	sqlite3 *db;

	(void)state;
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	bid_store_free(s);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO parts (round_id, seq, part, quantity_micros, unit)"
	                                      " VALUES ('nope', 0, 'x', 1000000, 'C62')", NULL, NULL, NULL),
	                     SQLITE_OK);
	sqlite3_close(db);
}

static void test_store_sqlite__round_from_csv_keeps_exact_quantities(void **state)
{
	bid_round_options o = BID_ROUND_OPTIONS_INIT;
	const bid_part *p;
	bid_round *r;
	bid_store *s;
	bid_error err;

	(void)state;
	o.id = "T1";
	o.currency = "EUR";
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	assert_int_equal(bid_round_create(&r, s, FIXTURES "/store/rfq.csv", &o, &err), 0);
	assert_string_equal(bid_round_info_of(r)->currency, "EUR");
	assert_int_equal(bid_round_part_count(r), 2);
	p = bid_round_part_at(r, 1);
	assert_string_equal(p->part, "A-2");
	assert_int_equal(p->qty, 50500000);
	assert_string_equal(p->unit, "KGM");
	assert_int_equal(p->need_by, BID_DATE_NONE);
	assert_null(bid_round_part_at(r, 2));
	bid_round_free(r);
	bid_store_free(s);
	assert_int_equal(scalar("SELECT quantity_micros FROM parts WHERE part = 'A-2'"), 50500000);
}

/*
 * A quote whose last line is bad: the earlier lines were already written
 * when the error came, and must be gone with the document.
 */
static void test_store_sqlite__a_refused_document_leaves_nothing(void **state)
{
	bid_round_options o = BID_ROUND_OPTIONS_INIT;
	bid_round *r;
	bid_store *s;
	bid_error err;
	char path[300];
	int rc;

	(void)state;
	o.id = "T2";
	o.currency = "EUR";
	snprintf(path, sizeof(path), "%s.quote.xml", dbpath);
	write_file(path,
	    "<?xml version='1.0'?>\n"
	    "<Quotation xmlns='urn:oasis:names:specification:ubl:schema:xsd:Quotation-2'"
	    " xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2'"
	    " xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>\n"
	    "<cbc:ID>Q1</cbc:ID><cbc:IssueDate>2026-11-01</cbc:IssueDate>\n"
	    "<cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>S1</cbc:CustomerAssignedAccountID></cac:SellerSupplierParty>\n"
	    "<cac:QuotedMonetaryTotal><cbc:PayableAmount currencyID='EUR'>1</cbc:PayableAmount></cac:QuotedMonetaryTotal>\n"
	    "<cac:QuotationLine><cac:LineItem><cbc:ID>A-1</cbc:ID><cbc:Quantity unitCode='C62'>100</cbc:Quantity>\n"
	    "<cac:Price><cbc:PriceAmount currencyID='EUR'>2.50</cbc:PriceAmount></cac:Price><cac:Item/></cac:LineItem></cac:QuotationLine>\n"
	    "<cac:QuotationLine><cac:LineItem><cbc:ID>A-2</cbc:ID><cbc:Quantity unitCode='KGM'>50</cbc:Quantity>\n"
	    "<cac:Price><cbc:PriceAmount currencyID='XXQ'>9.00</cbc:PriceAmount></cac:Price><cac:Item/></cac:LineItem></cac:QuotationLine>\n"
	    "</Quotation>\n");
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	assert_int_equal(bid_round_create(&r, s, FIXTURES "/store/rfq.csv", &o, &err), 0);
	rc = bid_import_file(r, path, NULL, NULL, &err);
	assert_int_equal(rc, BID_EINVALID);
	assert_non_null(strstr(err.msg, "XXQ"));
	assert_int_equal(err.line, 9);
	bid_round_free(r);
	bid_store_free(s);
	unlink(path);
	assert_int_equal(scalar("SELECT count(*) FROM documents WHERE kind = 'quote'"), 0);
	assert_int_equal(scalar("SELECT count(*) FROM quotes"), 0);
	assert_int_equal(scalar("SELECT count(*) FROM quote_lines"), 0);
}

static void test_store_sqlite__readonly_open_cannot_write(void **state)
{
	bid_store_options so = BID_STORE_OPTIONS_INIT;
	bid_round_options o = BID_ROUND_OPTIONS_INIT;
	bid_round *r;
	bid_store *s;
	bid_error err;

	(void)state;
	assert_int_equal(bid_store_open(&s, dbpath, NULL, &err), 0);
	bid_store_free(s);
	so.readonly = 1;
	o.id = "RO";
	o.currency = "EUR";
	assert_int_equal(bid_store_open(&s, dbpath, &so, &err), 0);
	assert_true(bid_round_create(&r, s, FIXTURES "/store/rfq.csv", &o, &err) < 0);
	assert_int_equal(err.code, BID_EIO);
	bid_store_free(s);
	assert_int_equal(scalar("SELECT count(*) FROM rounds"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store_sqlite__creates_schema_in_wal_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__refuses_a_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__refuses_a_foreign_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__foreign_keys_are_enforced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__round_from_csv_keeps_exact_quantities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__a_refused_document_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_sqlite__readonly_open_cannot_write, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
