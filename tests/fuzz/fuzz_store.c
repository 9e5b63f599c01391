/*
 * fuzz_store.c - libFuzzer target for the whole import, not only the
 * parse: arbitrary bytes imported into a round of a real database (the
 * parse on its own thread, the matching, the store, the document, the
 * refusal).  The property checked after every file: a refused import
 * stored no document, quote or line; an accepted one stored exactly one
 * document and quote and the lines it counted.  Bad input loses nothing.
 *
 * The round is the demo round (fixtures/demo/rfq.xml, from the directory
 * the fuzzer runs in, as tests/fuzz/run.sh does), else a small CSV RFQ of
 * its own.  The database lives in a temporary directory and starts afresh
 * every 2,000 files, so that long runs do not grow it without end.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlerror.h>
#include <sqlite3.h>

#include "bidcmp/bidcmp.h"

static char dir[64], db_path[96], quote_path[96];
static bid_store *store;
static bid_round *round;
static sqlite3 *peek;          /* a second connection that only counts rows */
static unsigned runs;

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void die(const char *what, const bid_error *err)
{
	fprintf(stderr, "fuzz_store: %s: %s\n", what, err ? err->msg : "");
	abort();
}

/* documents, quotes, quote lines */
static void count(long long n[3])
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(peek, "SELECT (SELECT count(*) FROM documents),"
	                       " (SELECT count(*) FROM quotes), (SELECT count(*) FROM quote_lines)",
	                       -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		die("count", NULL);
	n[0] = sqlite3_column_int64(st, 0);
	n[1] = sqlite3_column_int64(st, 1);
	n[2] = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
}

static void close_db(void)
{
	bid_round_free(round);
	bid_store_free(store);
	sqlite3_close(peek);
	round = NULL;
	store = NULL;
	peek = NULL;
	unlink(db_path);
	{
		char p[128];
		snprintf(p, sizeof(p), "%s-wal", db_path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", db_path);
		unlink(p);
	}
}

static void open_db(void)
{
	static const char csv_rfq[] =
		"part,description,quantity,unit\n"
		"BRK-100,Brake pad,400,C62\n"
		"BLT-M8,Bolt M8,6000,C62\n"
		"OIL-HYD46,Hydraulic oil,800,LTR\n";
	bid_round_options ro = BID_ROUND_OPTIONS_INIT;
	const char *rfq = "fixtures/demo/rfq.xml";
	bid_round *created;
	bid_error err;

	if (bid_store_open(&store, db_path, NULL, &err) < 0)
		die("open the database", &err);
	if (access(rfq, R_OK) != 0) {
		char p[128];
		FILE *f;

		snprintf(p, sizeof(p), "%s/rfq.csv", dir);
		if (!(f = fopen(p, "w")) || fwrite(csv_rfq, 1, sizeof(csv_rfq) - 1, f) != sizeof(csv_rfq) - 1 ||
		    fclose(f) != 0)
			die("write the RFQ", NULL);
		rfq = p;
		ro.currency = "EUR";
		ro.id = "MRO-2026-Q4";
		if (bid_round_create(&created, store, rfq, &ro, &err) < 0)
			die("create the round", &err);
	} else if (bid_round_create(&created, store, rfq, &ro, &err) < 0) {
		die("create the round", &err);
	}
	if (bid_round_open_for_import(&round, store, bid_round_info_of(created)->id, &err) < 0)
		die("open the round", &err);
	bid_round_free(created);
	if (sqlite3_open_v2(db_path, &peek, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open a second connection", NULL);
}

/* At exit: the database and the files go, and the directory. */
static void clean_up(void)
{
	char p[128];

	close_db();
	unlink(quote_path);
	snprintf(p, sizeof(p), "%s/rfq.csv", dir);
	unlink(p);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlSetGenericErrorFunc(NULL, quiet);
	snprintf(dir, sizeof(dir), "/tmp/bidcmp-fuzz-XXXXXX");
	if (!mkdtemp(dir))
		die("make a temporary directory", NULL);
	snprintf(db_path, sizeof(db_path), "%s/fuzz.db", dir);
	snprintf(quote_path, sizeof(quote_path), "%s/quote", dir);
	open_db();
	atexit(clean_up);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bid_import_stats st;
	bid_error err;
	long long before[3], after[3];
	FILE *f;
	int rc;

	if (++runs % 2000 == 0) {
		close_db();
		open_db();
	}
	if (!(f = fopen(quote_path, "wb")) || (size && fwrite(data, 1, size, f) != size) ||
	    fclose(f) != 0)
		die("write the quote", NULL);
	count(before);
	rc = bid_import_file(round, quote_path, NULL, &st, &err);
	count(after);
	if (rc < 0) {
		/* every refusal says why, on one line, and stores nothing */
		if (err.msg[0] == '\0' || strchr(err.msg, '\n'))
			__builtin_trap();
		if (after[0] != before[0] || after[1] != before[1] || after[2] != before[2])
			__builtin_trap();
	} else if (after[0] != before[0] + 1 || after[1] != before[1] + 1 ||
	           after[2] != before[2] + (long long)st.lines || st.lines == 0) {
		__builtin_trap();
	}
	return 0;
}
