/*
 * store_sqlite.c - the SQLite implementation of the store (engine/store.h).
 * The only file that includes sqlite3.h.  Money and quantities are stored
 * as INTEGER millionths (columns named *_micros); dates as YYYY-MM-DD text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

#define APPLICATION_ID 0x42494443   /* "BIDC": marks a bidcmp database */

/*
 * Migrations, in order.  Migration i takes the schema from version i to
 * i+1 (one transaction, a NULL-terminated list of statements); PRAGMA
 * user_version holds the version reached.  Never edit a migration that
 * has shipped: add a new one.
 */
/*
 * What may never change once written: a correction is a new row (and a
 * new event).  audit verify checks that
 * every one of these triggers is still there, word for word.
 */
#define APPEND_ONLY(t) \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t \
	" BEGIN SELECT RAISE(ABORT, '" t " are append-only: record a correction instead'); END;", \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t \
	" BEGIN SELECT RAISE(ABORT, '" t " are append-only: record a correction instead'); END;",
/*
 * Exact decimal text of a *_micros column in plain SQL (views must work in
 * the auditor's own sqlite3 shell, without bidcmp's functions).
 */
#define DEC_SQL(c) \
	"(CASE WHEN " c " < 0 THEN '-' ELSE '' END || rtrim(rtrim(printf('%d.%06d', abs(" c ") / 1000000," \
	" abs(" c ") % 1000000), '0'), '.'))"

#define AUDIT_TRIGGERS \
	"CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents" \
	" BEGIN SELECT RAISE(ABORT, 'documents are kept as received'); END;", \
	"CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents" \
	" BEGIN SELECT RAISE(ABORT, 'documents are kept as received'); END;", \
	APPEND_ONLY("events") APPEND_ONLY("rounds") APPEND_ONLY("parts") \
	APPEND_ONLY("quotes") APPEND_ONLY("quote_lines") APPEND_ONLY("quote_tiers") \
	APPEND_ONLY("fx_rates") APPEND_ONLY("round_policy") APPEND_ONLY("suppliers") \
	APPEND_ONLY("awards") \
	APPEND_ONLY("award_offers") APPEND_ONLY("award_offer_tiers") \
	APPEND_ONLY("award_parts") APPEND_ONLY("award_lines")

static const char *const migration_1[] = {  /* the foundation */
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id TEXT,"
	"  name TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('rfq','quote','rules','suppliers')),"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL,"
	"  imported_by TEXT NOT NULL,"
	/* last, so that SQLite keeps a zeroblob lazy instead of building it in memory */
	"  content BLOB NOT NULL);",
	"CREATE INDEX documents_round ON documents(round_id, sha256);",
	"CREATE TABLE rounds ("
	"  id TEXT PRIMARY KEY,"
	"  title TEXT,"
	"  currency TEXT NOT NULL,"
	"  rfq_id TEXT,"
	"  due_date TEXT,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL);",
	"CREATE TABLE parts ("
	"  round_id TEXT NOT NULL REFERENCES rounds(id),"
	"  seq INTEGER NOT NULL,"
	"  part TEXT NOT NULL,"
	"  line_id TEXT,"
	"  description TEXT,"
	"  quantity_micros INTEGER NOT NULL CHECK (quantity_micros > 0),"
	"  unit TEXT NOT NULL,"
	"  need_by TEXT,"
	"  src_line INTEGER,"
	"  PRIMARY KEY (round_id, part));",
	"CREATE TABLE quotes ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id TEXT NOT NULL REFERENCES rounds(id),"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  supplier_id TEXT NOT NULL,"
	"  supplier_name TEXT,"
	"  quote_ref TEXT,"
	"  rfq_ref TEXT,"
	"  currency TEXT,"
	"  issue_date TEXT,"
	"  valid_from TEXT,"
	"  valid_until TEXT,"
	"  pay_days INTEGER,"
	"  discount_pct_micros INTEGER,"
	"  discount_days INTEGER,"
	"  incoterm TEXT,"
	"  total_micros INTEGER,"
	"  total_currency TEXT,"
	"  charges_micros INTEGER,"
	"  charges_currency TEXT);",
	"CREATE INDEX quotes_round ON quotes(round_id, supplier_id);",
	"CREATE TABLE quote_lines ("
	"  id INTEGER PRIMARY KEY,"
	"  quote_id INTEGER NOT NULL REFERENCES quotes(id),"
	"  seq INTEGER NOT NULL,"
	"  line_ref TEXT,"
	"  part TEXT NOT NULL,"
	"  part_source TEXT NOT NULL,"
	"  description TEXT,"
	"  quantity_micros INTEGER,"
	"  unit TEXT,"
	"  price_micros INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  basis_qty_micros INTEGER NOT NULL,"
	"  basis_unit TEXT,"
	"  min_qty_micros INTEGER,"
	"  max_qty_micros INTEGER,"
	"  lead_time_days INTEGER,"
	"  delivery_date TEXT,"
	"  src_line INTEGER,"
	"  src_col INTEGER,"
	"  price_line INTEGER,"
	"  price_col INTEGER,"
	"  tier_type TEXT,"
	"  manufacturer TEXT,"
	"  origin_country TEXT,"
	"  defect_ppm_micros INTEGER,"
	"  tax_included INTEGER NOT NULL DEFAULT 0,"
	"  line_amount_micros INTEGER,"
	"  pay_days INTEGER,"
	"  certificates TEXT,"
	"  charges_micros INTEGER);",
	"CREATE INDEX quote_lines_quote ON quote_lines(quote_id);",
	/* price breaks: from a quantity (in the line's unit) on, this price */
	"CREATE TABLE quote_tiers ("
	"  line_id INTEGER NOT NULL REFERENCES quote_lines(id),"
	"  seq INTEGER NOT NULL,"
	"  from_qty_micros INTEGER NOT NULL,"
	"  price_micros INTEGER NOT NULL,"
	"  src_line INTEGER,"
	"  src_col INTEGER,"
	"  PRIMARY KEY (line_id, seq)) WITHOUT ROWID;",
	"CREATE TABLE fx_rates ("
	"  id INTEGER PRIMARY KEY,"
	"  base TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  rate_micros INTEGER NOT NULL CHECK (rate_micros > 0),"
	"  rate_date TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL);",
	"CREATE INDEX fx_rates_lookup ON fx_rates(base, currency, rate_date);",
	"CREATE TABLE awards ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id TEXT NOT NULL REFERENCES rounds(id),"
	"  scenario TEXT NOT NULL,"
	"  award_date TEXT NOT NULL,"
	"  params TEXT NOT NULL,"
	"  objective_micros INTEGER NOT NULL,"
	"  total_micros INTEGER NOT NULL,"
	"  single_source_total_micros INTEGER NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  method TEXT NOT NULL,"
	"  engine_version TEXT NOT NULL,"
	"  inputs_digest TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  quotes_upto INTEGER NOT NULL,"
	"  fx_upto INTEGER NOT NULL,"
	"  policy_upto INTEGER NOT NULL,"
	"  suppliers_upto INTEGER NOT NULL,"
	"  bound_micros INTEGER NOT NULL,"
	"  gap_ppm INTEGER NOT NULL);",
	"CREATE INDEX awards_round ON awards(round_id, scenario);",
	"CREATE TABLE award_offers ("
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  quote_line_id INTEGER NOT NULL REFERENCES quote_lines(id),"
	"  unit_cost_micros INTEGER,"
	"  fx_num_micros INTEGER,"
	"  fx_den_micros INTEGER,"
	"  unit_num INTEGER,"
	"  unit_den INTEGER,"
	"  min_qty_micros INTEGER,"
	"  max_qty_micros INTEGER,"
	"  eligible INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  goods_micros INTEGER,"
	"  freight_micros INTEGER,"
	"  duty_micros INTEGER,"
	"  payment_micros INTEGER,"
	"  quality_micros INTEGER,"
	"  late_micros INTEGER,"
	"  charges_micros INTEGER,"
	"  freight_pct_micros INTEGER,"
	"  duty_pct_micros INTEGER,"
	"  pay_days INTEGER,"
	"  took_discount INTEGER,"
	"  arrival TEXT,"
	"  days_late INTEGER,"
	"  PRIMARY KEY (award_id, quote_line_id)) WITHOUT ROWID;",
	/* the landed cost at each price break of an offer */
	"CREATE TABLE award_offer_tiers ("
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  quote_line_id INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  from_qty_micros INTEGER NOT NULL,"
	"  unit_cost_micros INTEGER NOT NULL,"
	"  PRIMARY KEY (award_id, quote_line_id, seq)) WITHOUT ROWID;",
	/* What an auditor asks first: every offer of an award, readable. */
	"CREATE VIEW offers AS"
	"  SELECT o.award_id, a.round_id, a.scenario, l.part, q.supplier_id,"
	"    o.quote_line_id, q.document_id, l.price_micros, l.currency,"
	"    l.basis_qty_micros, l.basis_unit, l.unit, o.unit_cost_micros,"
	"    o.fx_num_micros, o.fx_den_micros, o.unit_num, o.unit_den,"
	"    o.min_qty_micros, o.max_qty_micros, o.eligible, o.reason,"
	"    o.goods_micros, o.freight_micros, o.duty_micros, o.payment_micros,"
	"    o.quality_micros, o.late_micros, o.charges_micros, o.freight_pct_micros, o.duty_pct_micros,"
	"    o.pay_days, o.took_discount, o.arrival, o.days_late"
	"  FROM award_offers o JOIN awards a ON a.id = o.award_id"
	"  JOIN quote_lines l ON l.id = o.quote_line_id JOIN quotes q ON q.id = l.quote_id;",
	/* the awarded splits with readable decimals, for auditors */
	"CREATE VIEW awarded AS"
	"  SELECT a.id AS award_id, a.round_id, a.scenario, a.award_date, l.part, l.supplier_id,"
	"    " DEC_SQL("l.quantity_micros") " AS quantity, " DEC_SQL("l.unit_cost_micros") " AS unit_cost,"
	"    " DEC_SQL("l.line_cost_micros") " AS line_cost, " DEC_SQL("l.share_pct_micros") " AS share_pct,"
	"    a.currency, l.quote_line_id"
	"  FROM award_lines l JOIN awards a ON a.id = l.award_id;",
	"CREATE TABLE award_parts ("
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  seq INTEGER NOT NULL,"
	"  part TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  demand_micros INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('awarded','shortfall','unawarded')),"
	"  reason TEXT NOT NULL,"
	"  cost_micros INTEGER NOT NULL,"
	"  single_supplier TEXT,"
	"  single_cost_micros INTEGER,"
	"  offers INTEGER NOT NULL,"
	"  eligible INTEGER NOT NULL,"
	"  independence_changed INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (award_id, part));",
	"CREATE TABLE award_lines ("
	"  award_id INTEGER NOT NULL REFERENCES awards(id),"
	"  part TEXT NOT NULL,"
	"  supplier_id TEXT NOT NULL,"
	"  quote_line_id INTEGER NOT NULL REFERENCES quote_lines(id),"
	"  quantity_micros INTEGER NOT NULL,"
	"  unit_cost_micros INTEGER NOT NULL,"
	"  line_cost_micros INTEGER NOT NULL,"
	"  share_pct_micros INTEGER NOT NULL,"
	"  PRIMARY KEY (award_id, part, supplier_id));",
	/* the round's policy: every change kept; the newest per key is in force */
	"CREATE TABLE round_policy ("
	"  id INTEGER PRIMARY KEY,"
	"  round_id TEXT NOT NULL REFERENCES rounds(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  set_at TEXT NOT NULL,"
	"  set_by TEXT NOT NULL);",
	"CREATE INDEX round_policy_key ON round_policy(round_id, key, id);",
	/* the supplier master: every import adds rows; the newest per supplier is in force */
	"CREATE TABLE suppliers ("
	"  id INTEGER PRIMARY KEY,"
	"  supplier_id TEXT NOT NULL,"
	"  name TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('qualified','probation','blocked')),"
	"  grp TEXT,"
	"  capacity_micros INTEGER,"
	"  spend_cap_micros INTEGER,"
	"  defect_ppm_micros INTEGER,"
	"  otd_pct_micros INTEGER,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  set_at TEXT NOT NULL,"
	"  set_by TEXT NOT NULL);",
	"CREATE INDEX suppliers_id ON suppliers(supplier_id, id);",
	/*
	 * The audit log: one row per state change, each holding the hash of
	 * the one before and its own SHA-256 over both (engine/audit.c).
	 */
	"CREATE TABLE events ("
	"  seq INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  round_id TEXT,"
	"  payload TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL UNIQUE);",
	"CREATE INDEX events_round ON events(round_id, seq);",
	AUDIT_TRIGGERS
	NULL
};

static const char *const *const migrations[] = {
	migration_1,
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Statements prepared once per handle, used per line on hot paths. */
enum {
	STMT_LINE_INSERT,
	STMT_TIER_INSERT,
	STMT_AWARD_OFFER_INSERT,
	STMT_AWARD_TIER_INSERT,
	STMT_FX_INSERT,
	STMT_SUPPLIER_INSERT,
	STMT_AWARD_LINE_INSERT,
	STMT_AWARD_PART_INSERT,
	STMT__COUNT
};

/*
 * An import's rows digest taken as the rows are written (see
 * bid_store__import_digest_start): what bid_store__rows_digest would
 * compute over them afterwards, without reading them back.
 */
typedef struct row_digest {
	bid_sha256 *h;
	int         state;        /* 1 quote rows, 2 line rows, -1 given up (read back) */
	long long   first_line;   /* id of the first line, 0 before it */
	long long   next_line;    /* the id the next line must get */
	size_t      ntiers;       /* price breaks written (read back at the end) */
} row_digest;

struct bid_store {
	bid_asof      asof;         /* limits on what reads see; INT64_MAX = none */
	sqlite3      *db;
	sqlite3_stmt *stmt[STMT__COUNT];
	char         *actor;
	int           in_tx;
	int           line_cols;    /* quote_lines has the columns line_columns[] names: 1 yes, -1 no, 0 unknown */
	row_digest    dig;
};

/*
 * SQL function bid_dec(INTEGER micros) -> TEXT: the exact decimal text
 * of a stored amount ("12.5" for 12500000), for reports and auditors.
 */
static void sql_bid_dec(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[BID_DEC_FMT_MAX];

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	bid_dec_format(buf, sizeof(buf), sqlite3_value_int64(argv[0]), 0);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

int bid_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* Record a SQLite failure in err: the message names what we were doing. */
static int db_error(bid_store *s, bid_error *err, const char *what)
{
	int rc = sqlite3_errcode(s->db);
	int code = ((rc & 0xff) == SQLITE_CONSTRAINT) ? BID_EEXISTS : BID_EIO;

	bid_error_set(err, code, BID_AREA_STORE, "%s: %s", what, sqlite3_errmsg(s->db));
	if (err)
		err->cause = sqlite3_extended_errcode(s->db);
	return code;
}

static int exec(bid_store *s, const char *sql, bid_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		bid_error_set(err, BID_EIO, BID_AREA_STORE, "database: %s", msg ? msg : "error");
		if (err)
			err->cause = sqlite3_extended_errcode(s->db);
		sqlite3_free(msg);
		return BID_EIO;
	}
	return 0;
}

static int prepare(bid_store *s, sqlite3_stmt **st, const char *sql, bid_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(s, err, "prepare");
	return 0;
}

/* A cached statement, prepared on first use and reset for reuse. */
static sqlite3_stmt *cached(bid_store *s, int which, const char *sql, bid_error *err)
{
	if (!s->stmt[which]) {
		if (prepare(s, &s->stmt[which], sql, err) < 0)
			return NULL;
	} else {
		sqlite3_reset(s->stmt[which]);
		sqlite3_clear_bindings(s->stmt[which]);
	}
	return s->stmt[which];
}

/* Run a statement that returns no rows, then finalize it unless cached. */
static int step_done(bid_store *s, sqlite3_stmt *st, int keep, bid_error *err,
                     const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		db_error(s, err, what);
		rc = ((sqlite3_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT) ? BID_EEXISTS : BID_EIO;
	} else {
		rc = 0;
	}
	if (!keep)
		sqlite3_finalize(st);
	else
		sqlite3_reset(st);
	return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i, bid_date d)
{
	char buf[16];

	if (d == BID_DATE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, bid_date_format(buf, sizeof(buf), d), -1, SQLITE_TRANSIENT);
}

static bid_date column_date(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	bid_date d;

	if (!t || bid_date_parse(&d, t, strlen(t), 0, NULL) < 0)
		return BID_DATE_NONE;
	return d;
}

static void digest_drop(bid_store *s);
static void digest_quote(bid_store *s, long long id);

static int migrate(bid_store *s, bid_error *err)
{
	sqlite3_stmt *st;
	int version = 0, app = 0, ntables = 0, rc;

	if (prepare(s, &st, "PRAGMA user_version", err) < 0)
		return BID_EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (prepare(s, &st, "PRAGMA application_id", err) < 0)
		return BID_EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		app = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (prepare(s, &st, "SELECT count(*) FROM sqlite_schema", err) < 0)
		return BID_EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		ntables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	/* A non-empty database that is not ours is left alone. */
	if (app != APPLICATION_ID && (ntables > 0 || version != 0))
		return bid_error_set(err, BID_EINVALID, BID_AREA_STORE,
		                     "not a bidcmp database (application_id %d)", app);
	if (version > SCHEMA_VERSION)
		return bid_error_set(err, BID_EINVALID, BID_AREA_STORE,
		                     "database schema version %d is newer than this bidcmp (%d)",
		                     version, SCHEMA_VERSION);
	while (version < SCHEMA_VERSION) {
		char pragma[64];

		const char *const *sql;

		if ((rc = exec(s, "BEGIN IMMEDIATE", err)) < 0)
			return rc;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version + 1);
		for (sql = migrations[version]; *sql && rc == 0; sql++)
			rc = exec(s, *sql, err);
		if (rc < 0 ||
		    (rc = exec(s, pragma, err)) < 0 ||
		    (rc = exec(s, "PRAGMA application_id = 1112097859", err)) < 0) {
			exec(s, "ROLLBACK", NULL);
			return rc;
		}
		if ((rc = exec(s, "COMMIT", err)) < 0)
			return rc;
		version++;
	}
	return 0;
}

int bid_store_open(bid_store **out, const char *path,
                   const bid_store_options *opts, bid_error *err)
{
	bid_store_options def = BID_STORE_OPTIONS_INIT;
	bid_store *s;
	int flags, rc;

	*out = NULL;
	if (!opts)
		opts = &def;
	s = bid__calloc(1, sizeof(*s));
	bid_store__set_asof(s, NULL);
	s->actor = bid__strdup(opts->actor ? opts->actor : bid__default_actor());
	flags = opts->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = bid_error_set(err, BID_EIO, BID_AREA_STORE, "cannot open database '%s': %s",
		                   path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 5000);
	if ((rc = exec(s, "PRAGMA foreign_keys = ON", err)) < 0)
		goto fail;
	sqlite3_create_function(s->db, "bid_dec", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                        NULL, sql_bid_dec, NULL, NULL);
	if (!opts->readonly) {
		/*
		 * A new file gets 64 KiB pages: raw documents are large blobs, and
		 * big pages halve the work of writing them through the WAL.  The
		 * page size of an existing file cannot change in WAL mode; this is
		 * a no-op there.
		 */
		if ((rc = exec(s, "PRAGMA page_size = 65536", err)) < 0 ||
		    (rc = exec(s, "PRAGMA journal_mode = WAL", err)) < 0 ||
		    (rc = exec(s, "PRAGMA synchronous = NORMAL", err)) < 0 ||
		    (rc = migrate(s, err)) < 0)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	bid_store_free(s);
	return rc;
}

void bid_store_free(bid_store *s)
{
	int i;

	if (!s)
		return;
	digest_drop(s);
	for (i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s->actor);
	free(s);
}

void bid_store__set_asof(bid_store *s, const bid_asof *a)
{
	/* a given limit is exact: 0 means "none of them existed yet" */
	s->asof.quotes = a ? a->quotes : INT64_MAX;
	s->asof.fx = a ? a->fx : INT64_MAX;
	s->asof.policy = a ? a->policy : INT64_MAX;
	s->asof.suppliers = a ? a->suppliers : INT64_MAX;
}

int bid_store__asof_now(bid_store *s, bid_asof *out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT (SELECT coalesce(max(id), 0) FROM quotes),"
	                          " (SELECT coalesce(max(id), 0) FROM fx_rates),"
	                          " (SELECT coalesce(max(id), 0) FROM round_policy),"
	                          " (SELECT coalesce(max(id), 0) FROM suppliers)", err)) < 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->quotes = sqlite3_column_int64(st, 0);
		out->fx = sqlite3_column_int64(st, 1);
		out->policy = sqlite3_column_int64(st, 2);
		out->suppliers = sqlite3_column_int64(st, 3);
		rc = 0;
	} else {
		rc = db_error(s, err, "as of");
	}
	sqlite3_finalize(st);
	return rc;
}

const char *bid_store__actor(const bid_store *s)
{
	return s->actor;
}

int bid_store__begin(bid_store *s, bid_error *err)
{
	int rc = exec(s, "BEGIN IMMEDIATE", err);

	if (rc == 0)
		s->in_tx = 1;
	return rc;
}

int bid_store__commit(bid_store *s, bid_error *err)
{
	int rc = exec(s, "COMMIT", err);

	if (rc == 0)
		s->in_tx = 0;
	digest_drop(s);
	return rc;
}

void bid_store__rollback(bid_store *s)
{
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	digest_drop(s);
}

/*
 * Documents: insert a zeroblob of the right size, then stream the bytes
 * in with sqlite3_blob_write, so a large file is never copied whole.
 */
int bid_store__doc_reserve(bid_store *s, long long *id_out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/*
	 * Rows that point at the document may come before it (its bytes are
	 * stored last, after the parse): foreign keys are checked at commit.
	 * Inside BEGIN IMMEDIATE no other writer can take the same id.
	 */
	if ((rc = exec(s, "PRAGMA defer_foreign_keys = ON", err)) < 0 ||
	    (rc = prepare(s, &st, "SELECT coalesce(max(id), 0) + 1 FROM documents", err)) < 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = db_error(s, err, "reserve document");
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Store a document: hash its bytes in one pass, insert its row with a
 * zeroblob (the last column, so SQLite never builds it in memory), then
 * stream the bytes in with incremental blob I/O.  The mapping's pages are
 * let go behind both passes, so a large quote never sits in memory whole.
 */
int bid_store__doc_store(bid_store *s, long long id, const bid_doc_row *d, char sha_out[65],
                         bid_error *err)
{
	enum { CHUNK = 1 << 20 };
	bid_file *f = d->file;
	sqlite3_stmt *st;
	sqlite3_blob *blob = NULL;
	bid_sha256 *h;
	char now[32];
	size_t off;
	int rc;

	/* SQLite keeps a value to SQLITE_LIMIT_LENGTH bytes (1e9 by default). */
	if (f->len > (size_t)sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, -1))
		return bid_error_set(err, BID_EINVALID, BID_AREA_STORE,
		                     "a document of %zu bytes is larger than the store keeps (%d bytes)",
		                     f->len, sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, -1));
	if (d->sha256) {
		memcpy(sha_out, d->sha256, 65);
	} else {
		h = bid__sha256_new();
		for (off = 0; off < f->len; off += CHUNK) {
			size_t n = f->len - off < CHUNK ? f->len - off : CHUNK;
			bid__sha256_add(h, f->data + off, n);
			bid__file_release(f, off + n);
		}
		bid__sha256_done(h, sha_out);
	}

	if ((rc = prepare(s, &st,
	        "INSERT INTO documents (id, round_id, name, format, kind, sha256, size,"
	        " imported_at, imported_by, content) VALUES (?,?,?,?,?,?,?,?,?,zeroblob(?))", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, d->round_id);
	bind_text(st, 3, d->name);
	bind_text(st, 4, d->format);
	bind_text(st, 5, d->kind);
	bind_text(st, 6, sha_out);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)f->len);
	bind_text(st, 8, bid__utc_now(now, sizeof(now)));
	bind_text(st, 9, s->actor);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)f->len);
	if ((rc = step_done(s, st, 0, err, "store document")) < 0)
		return rc;
	if (f->len > 0 &&
	    sqlite3_blob_open(s->db, "main", "documents", "content", id, 1, &blob) != SQLITE_OK)
		return db_error(s, err, "store document bytes");
	for (off = 0; rc == 0 && off < f->len; off += CHUNK) {
		size_t n = f->len - off < CHUNK ? f->len - off : CHUNK;

		if (sqlite3_blob_write(blob, f->data + off, (int)n, (int)off) != SQLITE_OK)
			rc = db_error(s, err, "store document bytes");
		bid__file_release(f, off + n);
	}
	if (blob && sqlite3_blob_close(blob) != SQLITE_OK && rc == 0)
		rc = db_error(s, err, "store document bytes");
	return rc;
}

int bid_store__doc_find(bid_store *s, const char *round_id, const char *sha256,
                        long long except, long long *id_out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT id FROM documents WHERE round_id = ? AND sha256 = ?"
	                          " AND id <> ? ORDER BY id LIMIT 1", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	bind_text(st, 2, sha256);
	sqlite3_bind_int64(st, 3, except);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? BID_ENOTFOUND : db_error(s, err, "find document");
	}
	sqlite3_finalize(st);
	return rc;
}

int bid_store__doc_latest(bid_store *s, const char *round_id, const char *kind,
                          int (*cb)(const void *data, size_t len, void *payload),
                          void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT content FROM documents WHERE round_id = ? AND kind = ?"
	                          " ORDER BY id DESC LIMIT 1", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	bind_text(st, 2, kind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = cb(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), payload);
	else
		rc = rc == SQLITE_DONE ? BID_ENOTFOUND : db_error(s, err, "load document");
	sqlite3_finalize(st);
	return rc;
}

int bid_store__round_insert(bid_store *s, const char *id, const char *title,
                            const char *currency, const char *rfq_id, bid_date due_date,
                            long long document_id, bid_error *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if ((rc = prepare(s, &st, "INSERT INTO rounds (id, title, currency, rfq_id, document_id,"
	                          " created_at, created_by, due_date) VALUES (?,?,?,?,?,?,?,?)", err)) < 0)
		return rc;
	bind_text(st, 1, id);
	bind_text(st, 2, title);
	bind_text(st, 3, currency);
	bind_text(st, 4, rfq_id);
	sqlite3_bind_int64(st, 5, document_id);
	bind_text(st, 6, bid__utc_now(now, sizeof(now)));
	bind_text(st, 7, s->actor);
	bind_date(st, 8, due_date);
	rc = step_done(s, st, 0, err, "create round");
	if (rc == BID_EEXISTS)
		bid_error_set(err, BID_EEXISTS, BID_AREA_STORE, "round '%s' already exists", id);
	return rc;
}

int bid_store__part_insert(bid_store *s, const char *round_id, size_t seq,
                           const bid_part *p, unsigned src_line, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "INSERT INTO parts (round_id, seq, part, line_id, description,"
	                          " quantity_micros, unit, need_by, src_line) VALUES (?,?,?,?,?,?,?,?,?)", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	bind_text(st, 3, p->part);
	bind_text(st, 4, p->line_id);
	bind_text(st, 5, p->description);
	sqlite3_bind_int64(st, 6, p->qty);
	bind_text(st, 7, p->unit);
	bind_date(st, 8, p->need_by);
	sqlite3_bind_int(st, 9, (int)src_line);
	rc = step_done(s, st, 0, err, "store part");
	if (rc == BID_EEXISTS)
		bid_error_set(err, BID_EINVALID, BID_AREA_STORE,
		              "part '%s' appears twice in the RFQ", p->part);
	return rc;
}

static const char *col_dup(bid_arena *a, sqlite3_stmt *st, int i)
{
	return bid__arena_strdup(a, (const char *)sqlite3_column_text(st, i));
}

#define ROUND_INFO_SQL \
	"SELECT r.id, r.title, r.currency, r.rfq_id, r.created_at," \
	" (SELECT count(*) FROM parts p WHERE p.round_id = r.id)," \
	" (SELECT count(*) FROM quotes q WHERE q.round_id = r.id)," \
	" (SELECT count(*) FROM awards a WHERE a.round_id = r.id) FROM rounds r"

static void fill_info(bid_arena *a, sqlite3_stmt *st, bid_round_info *info)
{
	info->id = col_dup(a, st, 0);
	info->title = col_dup(a, st, 1);
	info->currency = col_dup(a, st, 2);
	info->rfq_id = col_dup(a, st, 3);
	info->created_at = col_dup(a, st, 4);
	info->nparts = (size_t)sqlite3_column_int64(st, 5);
	info->nquotes = (size_t)sqlite3_column_int64(st, 6);
	info->nawards = (size_t)sqlite3_column_int64(st, 7);
}

int bid_store__round_load(bid_store *s, const char *id, bid_round *r, int with_parts,
                          bid_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((rc = prepare(s, &st, ROUND_INFO_SQL " WHERE r.id = ?", err)) < 0)
		return rc;
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return bid_error_set(err, BID_ENOTFOUND, BID_AREA_STORE, "no round '%s'", id);
		return db_error(s, err, "load round");
	}
	fill_info(&r->arena, st, &r->info);
	sqlite3_finalize(st);
	bid_round__index_init(r, r->info.nparts);

	if (!with_parts) {
		/* the index alone, in key order (no sort): the seq decides between equal line ids */
		if ((rc = prepare(s, &st, "SELECT part, line_id, seq, unit FROM parts WHERE round_id = ?",
		                  err)) < 0)
			return rc;
		bind_text(st, 1, id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			bid_round__index_add(r, (const char *)sqlite3_column_text(st, 0),
			                     (const char *)sqlite3_column_text(st, 1),
			                     (const char *)sqlite3_column_text(st, 3),
			                     (size_t)sqlite3_column_int64(st, 2));
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : db_error(s, err, "load parts");
	}
	if ((rc = prepare(s, &st, "SELECT part, line_id, description, quantity_micros, unit, need_by"
	                          " FROM parts WHERE round_id = ? ORDER BY seq", err)) < 0)
		return rc;
	bind_text(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_part *p;

		if (r->nparts == cap) {
			cap = cap ? 2 * cap : 16;
			r->parts = bid__realloc(r->parts, cap * sizeof(*r->parts));
		}
		p = &r->parts[r->nparts];
		p->part = col_dup(&r->arena, st, 0);
		p->line_id = col_dup(&r->arena, st, 1);
		p->description = col_dup(&r->arena, st, 2);
		p->qty = sqlite3_column_int64(st, 3);
		p->unit = col_dup(&r->arena, st, 4);
		p->need_by = column_date(st, 5);
		bid_round__index_add(r, p->part, p->line_id, p->unit, r->nparts);
		r->nparts++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "load parts");
	return 0;
}

int bid_store__round_each(bid_store *s,
                          int (*cb)(const bid_round_info *info, void *payload),
                          void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, ROUND_INFO_SQL " ORDER BY r.created_at, r.rowid", err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_arena a = { 0 };
		bid_round_info info;

		fill_info(&a, st, &info);
		rc = cb(&info, payload);
		bid__arena_free(&a);
		if (rc) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "list rounds");
}

int bid_store__round_currencies(bid_store *s, int *n, char first[4], bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	first[0] = '\0';
	if ((rc = prepare(s, &st, "SELECT DISTINCT currency FROM rounds ORDER BY currency", err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((*n)++ == 0)
			snprintf(first, 4, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "round currencies");
}

int bid_store__quote_insert(bid_store *s, const bid_quote_row *q, long long *id_out,
                            bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "INSERT INTO quotes (round_id, document_id, supplier_id,"
	                          " supplier_name, quote_ref, rfq_ref, currency, issue_date, valid_from,"
	                          " valid_until, pay_days, discount_pct_micros, discount_days, incoterm,"
	                          " total_micros, total_currency, charges_micros, charges_currency)"
	                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err)) < 0)
		return rc;
	bind_text(st, 1, q->round_id);
	sqlite3_bind_int64(st, 2, q->document_id);
	bind_text(st, 3, q->h->supplier_id);
	bind_text(st, 4, q->h->supplier_name);
	bind_text(st, 5, q->h->quote_id);
	bind_text(st, 6, q->h->rfq_ref);
	bind_text(st, 7, q->h->currency);
	bind_date(st, 8, q->h->issue_date);
	bind_date(st, 9, q->h->valid_from);
	bind_date(st, 10, q->h->valid_until);
	if (q->h->has_pay_days)
		sqlite3_bind_int(st, 11, q->h->pay_days);
	if (q->h->has_discount) {
		sqlite3_bind_int64(st, 12, q->h->discount_pct);
		sqlite3_bind_int(st, 13, q->h->discount_days);
	}
	bind_text(st, 14, q->h->incoterm);
	if (q->h->has_total) {
		sqlite3_bind_int64(st, 15, q->h->total);
		bind_text(st, 16, q->h->total_currency);
	}
	if (q->h->has_charges) {
		sqlite3_bind_int64(st, 17, q->h->charges);
		bind_text(st, 18, q->h->charges_currency ? q->h->charges_currency : q->h->currency);
	}
	if ((rc = step_done(s, st, 0, err, "store quote")) < 0)
		return rc;
	*id_out = sqlite3_last_insert_rowid(s->db);
	digest_quote(s, *id_out);
	return 0;
}

/*
 * A column value as it is bound: the line insert binds these and feeds
 * the same values to the rows digest, so the two cannot disagree.
 */
typedef struct colval {
	int           type;         /* SQLITE_INTEGER, SQLITE_TEXT or SQLITE_NULL */
	sqlite3_int64 i;
	const char   *t;
	size_t        n;            /* bytes of t */
} colval;

static void cv_int(colval *c, sqlite3_int64 v)
{
	c->type = SQLITE_INTEGER;
	c->i = v;
}

static void cv_text(colval *c, const char *v)
{
	c->type = v ? SQLITE_TEXT : SQLITE_NULL;
	c->t = v;
	c->n = v ? strlen(v) : 0;
}

static void cv_null(colval *c)
{
	c->type = SQLITE_NULL;
}

/* The strings bound stay valid until the step is done: no copies. */
static void bind_values(sqlite3_stmt *st, const colval *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (v[i].type == SQLITE_INTEGER)
			sqlite3_bind_int64(st, i + 1, v[i].i);
		else if (v[i].type == SQLITE_TEXT)
			sqlite3_bind_text(st, i + 1, v[i].t, (int)v[i].n, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i + 1);
	}
}

/* ---- row images: what bid_store__rows_digest hashes per row ---- */

/*
 * Per column: its type as a little-endian int64, then (unless NULL) its
 * text as bid__sha256_add_str would add it (length, bytes); a BLOB its
 * length and bytes.  Gathered in a buffer and handed to SHA-256 in large
 * pieces.
 */
typedef struct row_image {
	bid_sha256   *h;
	size_t        n;
	unsigned char buf[4096];
} row_image;

static void img_flush(row_image *im)
{
	bid__sha256_add(im->h, im->buf, im->n);
	im->n = 0;
}

/* v as 8 little-endian bytes at p */
static void put_le64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	p[0] = (unsigned char)u;         p[1] = (unsigned char)(u >> 8);
	p[2] = (unsigned char)(u >> 16); p[3] = (unsigned char)(u >> 24);
	p[4] = (unsigned char)(u >> 32); p[5] = (unsigned char)(u >> 40);
	p[6] = (unsigned char)(u >> 48); p[7] = (unsigned char)(u >> 56);
}

static void img_i64(row_image *im, int64_t v)
{
	if (im->n + 8 > sizeof(im->buf))
		img_flush(im);
	put_le64(im->buf + im->n, v);
	im->n += 8;
}

static void img_bytes(row_image *im, const void *p, size_t n)
{
	if (n > sizeof(im->buf) - im->n) {
		img_flush(im);
		if (n > sizeof(im->buf)) {
			bid__sha256_add(im->h, p, n);
			return;
		}
	}
	memcpy(im->buf + im->n, p, n);
	im->n += n;
}

/* An integer's text as SQLite gives it (sqlite3_column_text): plain decimal. */
static size_t i64_text(char buf[24], sqlite3_int64 v)
{
	char tmp[24];
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	return k;
}

static void img_value(row_image *im, const colval *c)
{
	size_t n;

	if (c->type == SQLITE_TEXT) {
		img_i64(im, c->type);
		img_i64(im, (int64_t)c->n);
		img_bytes(im, c->t, c->n);
		return;
	}
	/* an integer or NULL: at most 16 + 20 bytes, written in place */
	if (im->n + 40 > sizeof(im->buf))
		img_flush(im);
	put_le64(im->buf + im->n, c->type);
	im->n += 8;
	if (c->type == SQLITE_INTEGER) {
		n = i64_text((char *)im->buf + im->n + 8, c->i);
		put_le64(im->buf + im->n, (int64_t)n);
		im->n += 8 + n;
	}
}

/* The current row of st, every column, as bid_store__rows_digest hashes it. */
static void img_row(row_image *im, sqlite3_stmt *st)
{
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++) {
		int t = sqlite3_column_type(st, i);

		img_i64(im, t);
		if (t == SQLITE_BLOB) {
			img_i64(im, sqlite3_column_bytes(st, i));
			img_bytes(im, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
		} else if (t != SQLITE_NULL) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			size_t len = v ? strlen(v) : 0;
			img_i64(im, v ? (int64_t)len : -1);
			img_bytes(im, v, len);
		}
	}
}

/* Every row of a prepared statement into the image, then ';' (a statement's end). */
static int img_rows(row_image *im, sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		img_row(im, st);
	img_i64(im, 1);
	img_bytes(im, ";", 1);
	return rc == SQLITE_DONE ? 0 : rc;
}

/* ---- an import's rows digest, taken as they are written ---- */

/* quote_lines' columns in table order; the streamed rows follow it. */
static const char *const line_columns[] = {
	"id", "quote_id", "seq", "line_ref", "part", "part_source", "description",
	"quantity_micros", "unit", "price_micros", "currency", "basis_qty_micros", "basis_unit",
	"min_qty_micros", "max_qty_micros", "lead_time_days", "delivery_date", "src_line",
	"src_col", "price_line", "price_col", "tier_type", "manufacturer", "origin_country",
	"defect_ppm_micros", "tax_included", "line_amount_micros", "pay_days", "certificates",
	"charges_micros",
};
#define NLINE_COLS ((int)(sizeof(line_columns) / sizeof(line_columns[0])))

static void digest_drop(bid_store *s)
{
	if (s->dig.h) {
		char unused[65];
		bid__sha256_done(s->dig.h, unused);
	}
	memset(&s->dig, 0, sizeof(s->dig));
}

/* Does quote_lines still have exactly the columns of line_columns[]? */
static int line_cols_match(bid_store *s)
{
	sqlite3_stmt *st;
	int i, ok;

	if (sqlite3_prepare_v2(s->db, "SELECT * FROM quote_lines LIMIT 0", -1, &st, NULL) != SQLITE_OK)
		return -1;
	ok = sqlite3_column_count(st) == NLINE_COLS;
	for (i = 0; ok && i < NLINE_COLS; i++)
		ok = strcmp(sqlite3_column_name(st, i), line_columns[i]) == 0;
	sqlite3_finalize(st);
	return ok ? 1 : -1;
}

void bid_store__import_digest_start(bid_store *s)
{
	digest_drop(s);
	if (!s->line_cols)
		s->line_cols = line_cols_match(s);
	if (s->line_cols < 0)
		return;
	s->dig.h = bid__sha256_new();
	s->dig.state = 1;
}

/* A quote row: read back (one row) and hashed; lines must not have begun. */
static void digest_quote(bid_store *s, long long id)
{
	sqlite3_stmt *st;
	row_image im;

	if (!s->dig.h || s->dig.state != 1) {
		s->dig.state = -1;
		return;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT * FROM quotes WHERE id = ?", -1, &st, NULL) != SQLITE_OK) {
		s->dig.state = -1;
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	im.h = s->dig.h;
	im.n = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		img_row(&im, st);
	img_flush(&im);
	sqlite3_finalize(st);
}

/* A line row from the values bound; ids must follow on (they are the ORDER BY). */
static void digest_line(bid_store *s, long long id, const colval *v, int n)
{
	row_image im;
	colval idv;
	int i;

	if (!s->dig.h || s->dig.state < 0)
		return;
	im.h = s->dig.h;
	im.n = 0;
	if (s->dig.state == 1) {
		/* the end of the quote rows' statement */
		img_i64(&im, 1);
		img_bytes(&im, ";", 1);
		s->dig.state = 2;
		s->dig.first_line = id;
	} else if (id != s->dig.next_line) {
		s->dig.state = -1;
		return;
	}
	s->dig.next_line = id + 1;
	cv_int(&idv, id);
	img_value(&im, &idv);
	for (i = 0; i < n; i++)
		img_value(&im, &v[i]);
	img_flush(&im);
}

int bid_store__import_digest_done(bid_store *s, long long document_id, char out[65],
                                  bid_error *err)
{
	row_image im;
	int rc = 0;

	(void)document_id;
	if (!s->dig.h || s->dig.state < 0) {
		digest_drop(s);
		return BID_ENOTFOUND;
	}
	im.h = s->dig.h;
	im.n = 0;
	if (s->dig.state == 1) {
		img_i64(&im, 1);
		img_bytes(&im, ";", 1);
	}
	img_i64(&im, 1);
	img_bytes(&im, ";", 1);
	if (s->dig.ntiers > 0) {
		/* the price breaks of exactly this import's lines, by their ids */
		sqlite3_stmt *st;

		if ((rc = prepare(s, &st, "SELECT * FROM quote_tiers WHERE line_id BETWEEN ?1 AND ?2"
		                          " ORDER BY line_id, seq", err)) < 0) {
			digest_drop(s);
			return rc;
		}
		sqlite3_bind_int64(st, 1, s->dig.first_line);
		sqlite3_bind_int64(st, 2, s->dig.next_line - 1);
		if (img_rows(&im, st) != 0)
			rc = db_error(s, err, "digest rows");
		sqlite3_finalize(st);
	} else {
		img_i64(&im, 1);
		img_bytes(&im, ";", 1);
	}
	img_flush(&im);
	if (rc == 0) {
		bid__sha256_done(s->dig.h, out);
		s->dig.h = NULL;
	}
	digest_drop(s);
	return rc;
}

int bid_store__line_insert(bid_store *s, long long quote_id, size_t seq,
                           const bid_quote_line *l, const char *part,
                           const char *part_source, bid_error *err)
{
	sqlite3_stmt *st = cached(s, STMT_LINE_INSERT,
		"INSERT INTO quote_lines (quote_id, seq, line_ref, part, part_source, description,"
		" quantity_micros, unit, price_micros, currency, basis_qty_micros, basis_unit,"
		" min_qty_micros, max_qty_micros, lead_time_days, delivery_date, src_line, src_col,"
		" price_line, price_col, tier_type, manufacturer, origin_country, defect_ppm_micros,"
		" tax_included, line_amount_micros, pay_days, certificates, charges_micros)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	colval v[NLINE_COLS - 1];   /* every column but id, in table order */
	char delivery[16];
	long long line_id;
	size_t i;
	int rc;

	if (!st)
		return BID_EIO;
	cv_int(&v[0], quote_id);
	cv_int(&v[1], (sqlite3_int64)seq);
	cv_text(&v[2], l->line_id);
	cv_text(&v[3], part);
	cv_text(&v[4], part_source);
	cv_text(&v[5], l->description);
	if (l->has_qty) cv_int(&v[6], l->qty); else cv_null(&v[6]);
	cv_text(&v[7], l->unit);
	cv_int(&v[8], l->price);
	cv_text(&v[9], l->currency);
	cv_int(&v[10], l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE);
	cv_text(&v[11], l->basis_unit);
	if (l->has_min_qty) cv_int(&v[12], l->min_qty); else cv_null(&v[12]);
	if (l->has_max_qty) cv_int(&v[13], l->max_qty); else cv_null(&v[13]);
	if (l->has_lead_time) cv_int(&v[14], l->lead_time_days); else cv_null(&v[14]);
	cv_text(&v[15], l->delivery_date == BID_DATE_NONE ? NULL
	                : bid_date_format(delivery, sizeof(delivery), l->delivery_date));
	cv_int(&v[16], (int)l->pos[BID_F_LINE].line);
	cv_int(&v[17], (int)l->pos[BID_F_LINE].col);
	cv_int(&v[18], (int)l->pos[BID_F_PRICE].line);
	cv_int(&v[19], (int)l->pos[BID_F_PRICE].col);
	cv_text(&v[20], !l->ntiers ? NULL
	                : l->tier_type == BID_TIER_INCREMENTAL ? "incremental" : "all-units");
	cv_text(&v[21], l->manufacturer);
	cv_text(&v[22], l->origin_country);
	if (l->has_defect_ppm) cv_int(&v[23], l->defect_ppm); else cv_null(&v[23]);
	cv_int(&v[24], l->tax_included != 0);
	if (l->has_line_amount) cv_int(&v[25], l->line_amount); else cv_null(&v[25]);
	if (l->has_pay_days) cv_int(&v[26], l->pay_days); else cv_null(&v[26]);
	cv_text(&v[27], l->certificates);
	if (l->has_charges) cv_int(&v[28], l->charges); else cv_null(&v[28]);
	bind_values(st, v, NLINE_COLS - 1);
	if ((rc = step_done(s, st, 1, err, "store quote line")) < 0)
		return rc;
	line_id = sqlite3_last_insert_rowid(s->db);
	digest_line(s, line_id, v, NLINE_COLS - 1);
	if (l->ntiers == 0)
		return 0;
	s->dig.ntiers += l->ntiers;
	for (i = 0; i < l->ntiers; i++) {
		st = cached(s, STMT_TIER_INSERT,
			"INSERT INTO quote_tiers (line_id, seq, from_qty_micros, price_micros, src_line, src_col)"
			" VALUES (?,?,?,?,?,?)", err);
		if (!st)
			return BID_EIO;
		sqlite3_bind_int64(st, 1, line_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, l->tiers[i].from_qty);
		sqlite3_bind_int64(st, 4, l->tiers[i].price);
		sqlite3_bind_int(st, 5, (int)l->tiers[i].pos.line);
		sqlite3_bind_int(st, 6, (int)l->tiers[i].pos.col);
		if ((rc = step_done(s, st, 1, err, "store price break")) < 0)
			return rc;
	}
	return 0;
}

int bid_store__fx_insert(bid_store *s, const char *base, const char *currency,
                         bid_dec rate, bid_date date, const char *source, bid_error *err)
{
	/* cached: the ECB's historical file holds some 200,000 rates */
	sqlite3_stmt *st = cached(s, STMT_FX_INSERT,
		"INSERT INTO fx_rates (base, currency, rate_micros, rate_date,"
		" source, recorded_at, recorded_by) VALUES (?,?,?,?,?,?,?)", err);
	char now[32];

	if (!st)
		return BID_EIO;
	bind_text(st, 1, base);
	bind_text(st, 2, currency);
	sqlite3_bind_int64(st, 3, rate);
	bind_date(st, 4, date);
	bind_text(st, 5, source);
	bind_text(st, 6, bid__utc_now(now, sizeof(now)));
	bind_text(st, 7, s->actor);
	return step_done(s, st, 1, err, "store rate");
}

int bid_store__fx_lookup(bid_store *s, const char *base, const char *currency,
                         bid_date date, bid_dec *rate, bid_date *date_out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* The latest date wins; among rates of one date, the last recorded. */
	if ((rc = prepare(s, &st, "SELECT rate_micros, rate_date FROM fx_rates"
	                          " WHERE base = ? AND currency = ? AND rate_date <= ? AND id <= ?"
	                          " ORDER BY rate_date DESC, id DESC LIMIT 1", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 4, s->asof.fx);
	bind_text(st, 1, base);
	bind_text(st, 2, currency);
	bind_date(st, 3, date);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rate = sqlite3_column_int64(st, 0);
		if (date_out)
			*date_out = column_date(st, 1);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? BID_ENOTFOUND : db_error(s, err, "look up rate");
	}
	sqlite3_finalize(st);
	return rc;
}

int bid_store__offers_each(bid_store *s, const char *round_id,
                           int (*cb)(const bid_offer_row *o, void *payload),
                           void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/*
	 * A supplier's later quote replaces its earlier ones: only lines of
	 * each supplier's latest quote (highest id) are offers.
	 */
	if ((rc = prepare(s, &st,
	        "SELECT l.id, q.id, q.supplier_id, l.part, l.unit, l.price_micros, l.currency,"
	        " l.basis_qty_micros, l.basis_unit, l.min_qty_micros, l.max_qty_micros,"
	        " l.lead_time_days, q.valid_until, l.src_line, l.src_col,"
	        " q.incoterm, l.origin_country, l.defect_ppm_micros, coalesce(l.pay_days, q.pay_days),"
	        " q.discount_pct_micros, q.discount_days, l.certificates, l.delivery_date, l.tier_type,"
	        " (SELECT name FROM documents d WHERE d.id = q.document_id), q.quote_ref, l.line_ref,"
	        " l.price_line, l.price_col, l.quantity_micros, l.charges_micros,"
	        " q.charges_micros, q.charges_currency, m.status, m.grp, m.defect_ppm_micros,"
	        " l.manufacturer, m.capacity_micros, m.spend_cap_micros"
	        " FROM quote_lines l JOIN quotes q ON q.id = l.quote_id"
	        " LEFT JOIN suppliers m ON m.id = (SELECT max(m2.id) FROM suppliers m2"
	        "   WHERE m2.supplier_id = q.supplier_id AND m2.id <= ?3)"
	        " WHERE q.round_id = ?1 AND q.id = (SELECT max(q2.id) FROM quotes q2"
	        "   WHERE q2.round_id = ?1 AND q2.supplier_id = q.supplier_id AND q2.id <= ?2)"
	        "", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	sqlite3_bind_int64(st, 2, s->asof.quotes);
	sqlite3_bind_int64(st, 3, s->asof.suppliers);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_offer_row o;

		memset(&o, 0, sizeof(o));
		o.line_id = sqlite3_column_int64(st, 0);
		o.quote_id = sqlite3_column_int64(st, 1);
		o.supplier = (const char *)sqlite3_column_text(st, 2);
		o.part = (const char *)sqlite3_column_text(st, 3);
		o.unit = (const char *)sqlite3_column_text(st, 4);
		o.price = sqlite3_column_int64(st, 5);
		o.currency = (const char *)sqlite3_column_text(st, 6);
		o.basis_qty = sqlite3_column_int64(st, 7);
		o.basis_unit = (const char *)sqlite3_column_text(st, 8);
		if ((o.has_min_qty = sqlite3_column_type(st, 9) != SQLITE_NULL))
			o.min_qty = sqlite3_column_int64(st, 9);
		if ((o.has_max_qty = sqlite3_column_type(st, 10) != SQLITE_NULL))
			o.max_qty = sqlite3_column_int64(st, 10);
		if ((o.has_lead = sqlite3_column_type(st, 11) != SQLITE_NULL))
			o.lead_days = sqlite3_column_int(st, 11);
		o.valid_until = column_date(st, 12);
		o.src_line = (unsigned)sqlite3_column_int(st, 13);
		o.src_col = (unsigned)sqlite3_column_int(st, 14);
		o.incoterm = (const char *)sqlite3_column_text(st, 15);
		o.origin = (const char *)sqlite3_column_text(st, 16);
		if ((o.has_ppm = sqlite3_column_type(st, 17) != SQLITE_NULL))
			o.defect_ppm = sqlite3_column_int64(st, 17);
		if ((o.has_pay_days = sqlite3_column_type(st, 18) != SQLITE_NULL))
			o.pay_days = sqlite3_column_int(st, 18);
		if ((o.has_discount = sqlite3_column_type(st, 19) != SQLITE_NULL)) {
			o.discount_pct = sqlite3_column_int64(st, 19);
			o.discount_days = sqlite3_column_int(st, 20);
		}
		o.certificates = (const char *)sqlite3_column_text(st, 21);
		o.delivery_date = column_date(st, 22);
		o.incremental = sqlite3_column_type(st, 23) != SQLITE_NULL &&
		                strcmp((const char *)sqlite3_column_text(st, 23), "incremental") == 0;
		o.doc_name = (const char *)sqlite3_column_text(st, 24);
		o.quote_ref = (const char *)sqlite3_column_text(st, 25);
		o.line_ref = (const char *)sqlite3_column_text(st, 26);
		o.price_line = (unsigned)sqlite3_column_int(st, 27);
		o.price_col = (unsigned)sqlite3_column_int(st, 28);
		if ((o.has_qty = sqlite3_column_type(st, 29) != SQLITE_NULL))
			o.qty = sqlite3_column_int64(st, 29);
		if ((o.has_line_charges = sqlite3_column_type(st, 30) != SQLITE_NULL))
			o.line_charges = sqlite3_column_int64(st, 30);
		if ((o.has_quote_charges = sqlite3_column_type(st, 31) != SQLITE_NULL)) {
			o.quote_charges = sqlite3_column_int64(st, 31);
			o.quote_charges_currency = (const char *)sqlite3_column_text(st, 32);
		}
		o.master_status = (const char *)sqlite3_column_text(st, 33);
		o.group = (const char *)sqlite3_column_text(st, 34);
		if ((o.has_master_ppm = sqlite3_column_type(st, 35) != SQLITE_NULL))
			o.master_ppm = sqlite3_column_int64(st, 35);
		o.manufacturer = (const char *)sqlite3_column_text(st, 36);
		if ((o.has_master_capacity = sqlite3_column_type(st, 37) != SQLITE_NULL))
			o.master_capacity = sqlite3_column_int64(st, 37);
		if ((o.has_master_spend_cap = sqlite3_column_type(st, 38) != SQLITE_NULL))
			o.master_spend_cap = sqlite3_column_int64(st, 38);
		if ((rc = cb(&o, payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "load offers");
}

int bid_store__award_insert(bid_store *s, const bid_award_row *a, long long *id_out,
                            bid_error *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if ((rc = prepare(s, &st, "INSERT INTO awards (round_id, scenario, award_date, params,"
	                          " objective_micros, total_micros, single_source_total_micros, currency,"
	                          " method, engine_version, inputs_digest, created_at, created_by,"
	                          " quotes_upto, fx_upto, policy_upto, suppliers_upto, bound_micros, gap_ppm)"
	                          " VALUES (?1,?2,?3,json_object('min_vendors', ?13, 'max_vendors', ?14,"
	                          " 'min_share_pct', json(bid_dec(?15)), 'max_share_pct', json(bid_dec(?16)),"
	                          " 'independence', ?21, 'max_spend_share_pct', json(bid_dec(?22)),"
	                          " 'gap_target_ppm', ?25, 'time_limit_ms', ?26),"
	                          " ?4,?5,?6,?7,?8,?9,?10,?11,?12,?17,?18,?19,?20,?23,?24)", err)) < 0)
		return rc;
	bind_text(st, 1, a->round_id);
	bind_text(st, 2, a->scenario);
	bind_date(st, 3, a->award_date);
	sqlite3_bind_int(st, 13, a->min_vendors);
	sqlite3_bind_int(st, 14, a->max_vendors);
	sqlite3_bind_int64(st, 15, a->min_share_pct);
	sqlite3_bind_int64(st, 16, a->max_share_pct);
	sqlite3_bind_int64(st, 17, a->asof.quotes);
	sqlite3_bind_int64(st, 18, a->asof.fx);
	sqlite3_bind_int64(st, 19, a->asof.policy);
	sqlite3_bind_int64(st, 20, a->asof.suppliers);
	bind_text(st, 21, a->independence ? "on" : "off");
	sqlite3_bind_int64(st, 22, a->max_spend_share_pct);
	sqlite3_bind_int64(st, 23, a->gap_ppm ? a->bound : a->objective);
	sqlite3_bind_int64(st, 24, a->gap_ppm);
	sqlite3_bind_int64(st, 25, a->gap_target_ppm);
	sqlite3_bind_int64(st, 26, a->time_limit_ms);
	sqlite3_bind_int64(st, 4, a->objective);
	sqlite3_bind_int64(st, 5, a->total);
	sqlite3_bind_int64(st, 6, a->single_total);
	bind_text(st, 7, a->currency);
	bind_text(st, 8, a->method);
	bind_text(st, 9, BID_ENGINE_VERSION);
	bind_text(st, 10, a->digest);
	bind_text(st, 11, bid__utc_now(now, sizeof(now)));
	bind_text(st, 12, s->actor);
	if ((rc = step_done(s, st, 0, err, "store award")) < 0)
		return rc;
	*id_out = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int bid_store__award_offer_insert(bid_store *s, long long award_id,
                                  const bid_norm_row *n, bid_error *err)
{
	sqlite3_stmt *st = cached(s, STMT_AWARD_OFFER_INSERT,
		"INSERT INTO award_offers (award_id, quote_line_id,"
		" unit_cost_micros, fx_num_micros, fx_den_micros, unit_num, unit_den,"
		" min_qty_micros, max_qty_micros, eligible, reason, goods_micros, freight_micros,"
		" duty_micros, payment_micros, quality_micros, late_micros, freight_pct_micros,"
		" duty_pct_micros, pay_days, took_discount, arrival, days_late, charges_micros)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	size_t i;
	int rc;

	if (!st)
		return BID_EIO;
	sqlite3_bind_int64(st, 1, award_id);
	sqlite3_bind_int64(st, 2, n->line_id);
	if (n->eligible) {
		sqlite3_bind_int64(st, 3, n->unit_cost);
		sqlite3_bind_int64(st, 4, n->fx_num);
		sqlite3_bind_int64(st, 5, n->fx_den);
		sqlite3_bind_int64(st, 6, n->unit_num);
		sqlite3_bind_int64(st, 7, n->unit_den);
		sqlite3_bind_int64(st, 8, n->min_qty);
		if (n->max_qty >= 0)
			sqlite3_bind_int64(st, 9, n->max_qty);
	}
	sqlite3_bind_int(st, 10, n->eligible);
	/* the reason outlives the statement's step: no copy needed */
	sqlite3_bind_text(st, 11, n->reason ? n->reason : "", -1, SQLITE_STATIC);
	if (n->eligible) {
		sqlite3_bind_int64(st, 12, n->landed->goods);
		sqlite3_bind_int64(st, 13, n->landed->freight);
		sqlite3_bind_int64(st, 14, n->landed->duty);
		sqlite3_bind_int64(st, 15, n->landed->payment);
		sqlite3_bind_int64(st, 16, n->landed->quality);
		sqlite3_bind_int64(st, 17, n->landed->late);
		sqlite3_bind_int64(st, 18, n->freight_pct);
		sqlite3_bind_int64(st, 19, n->duty_pct);
		sqlite3_bind_int(st, 20, n->pay_days);
		sqlite3_bind_int(st, 21, n->took_discount);
		bind_date(st, 22, n->arrival);
		sqlite3_bind_int(st, 23, n->days_late);
		sqlite3_bind_int64(st, 24, n->landed->charges);
	}
	if ((rc = step_done(s, st, 1, err, "store offer")) < 0)
		return rc;
	for (i = 0; n->eligible && i < n->ntiers; i++) {
		st = cached(s, STMT_AWARD_TIER_INSERT,
			"INSERT INTO award_offer_tiers (award_id, quote_line_id, seq, from_qty_micros,"
			" unit_cost_micros) VALUES (?,?,?,?,?)", err);
		if (!st)
			return BID_EIO;
		sqlite3_bind_int64(st, 1, award_id);
		sqlite3_bind_int64(st, 2, n->line_id);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 4, n->tier_from[i]);
		sqlite3_bind_int64(st, 5, n->tier_cost[i].total);
		if ((rc = step_done(s, st, 1, err, "store offer break")) < 0)
			return rc;
	}
	return 0;
}

int bid_store__award_part_insert(bid_store *s, long long award_id, size_t seq,
                                 const bid_award_part *p, bid_error *err)
{
	static const char *const status[] = { "awarded", "shortfall", "unawarded" };
	sqlite3_stmt *st;
	size_t i;
	int rc;

	st = cached(s, STMT_AWARD_PART_INSERT,
		"INSERT INTO award_parts (award_id, seq, part, unit, demand_micros, status, reason,"
		" cost_micros, single_supplier, single_cost_micros, offers, eligible, independence_changed)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!st)
		return BID_EIO;
	sqlite3_bind_int64(st, 1, award_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	bind_text(st, 3, p->part);
	bind_text(st, 4, p->unit);
	sqlite3_bind_int64(st, 5, p->demand);
	bind_text(st, 6, status[p->status]);
	bind_text(st, 7, p->reason ? p->reason : "");
	sqlite3_bind_int64(st, 8, p->cost);
	bind_text(st, 9, p->single_supplier);
	if (p->single_supplier)
		sqlite3_bind_int64(st, 10, p->single_cost);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)p->offers);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)p->eligible);
	sqlite3_bind_int(st, 13, p->independence_changed);
	if ((rc = step_done(s, st, 1, err, "store award part")) < 0)
		return rc;
	for (i = 0; i < p->nlines; i++) {
		const bid_award_line *l = &p->lines[i];

		st = cached(s, STMT_AWARD_LINE_INSERT,
			"INSERT INTO award_lines (award_id, part, supplier_id, quote_line_id,"
			" quantity_micros, unit_cost_micros, line_cost_micros, share_pct_micros)"
			" VALUES (?,?,?,?,?,?,?,?)", err);
		if (!st)
			return BID_EIO;
		sqlite3_bind_int64(st, 1, award_id);
		bind_text(st, 2, p->part);
		bind_text(st, 3, l->supplier);
		sqlite3_bind_int64(st, 4, l->quote_line_id);
		sqlite3_bind_int64(st, 5, l->qty);
		sqlite3_bind_int64(st, 6, l->unit_cost);
		sqlite3_bind_int64(st, 7, l->line_cost);
		sqlite3_bind_int64(st, 8, l->share_pct);
		if ((rc = step_done(s, st, 1, err, "store award line")) < 0)
			return rc;
	}
	return 0;
}

static int status_of(const char *t)
{
	if (t && strcmp(t, "shortfall") == 0)
		return BID_PART_SHORTFALL;
	if (t && strcmp(t, "unawarded") == 0)
		return BID_PART_UNAWARDED;
	return BID_PART_AWARDED;
}

int bid_store__award_load(bid_store *s, const char *round_id, const char *scenario,
                          bid_result *res, bid_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0, i;
	int rc;

	if ((rc = prepare(s, &st, "SELECT id, scenario, currency, inputs_digest, award_date,"
	                          " total_micros, single_source_total_micros, method, objective_micros,"
	                          " bound_micros, gap_ppm FROM awards"
	                          " WHERE round_id = ? AND scenario = ? ORDER BY id DESC LIMIT 1", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	bind_text(st, 2, scenario);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			return bid_error_set(err, BID_ENOTFOUND, BID_AREA_STORE,
			                     "round '%s' has no award '%s' yet: run bidcmp award first",
			                     round_id, scenario);
		return db_error(s, err, "load award");
	}
	res->id = sqlite3_column_int64(st, 0);
	res->scenario = col_dup(&res->arena, st, 1);
	res->currency = col_dup(&res->arena, st, 2);
	res->digest = col_dup(&res->arena, st, 3);
	res->award_date = column_date(st, 4);
	res->total = sqlite3_column_int64(st, 5);
	res->single_total = sqlite3_column_int64(st, 6);
	res->method = col_dup(&res->arena, st, 7);
	res->objective = sqlite3_column_int64(st, 8);
	res->bound = sqlite3_column_int64(st, 9);
	res->gap_ppm = sqlite3_column_int64(st, 10);
	sqlite3_finalize(st);

	if ((rc = prepare(s, &st, "SELECT part, unit, demand_micros, status, reason, cost_micros,"
	                          " single_supplier, single_cost_micros, offers, eligible, independence_changed"
	                          " FROM award_parts WHERE award_id = ? ORDER BY seq", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, res->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_award_part *p;

		if (res->nparts == cap) {
			cap = cap ? 2 * cap : 16;
			res->parts = bid__realloc(res->parts, cap * sizeof(*res->parts));
		}
		p = &res->parts[res->nparts++];
		memset(p, 0, sizeof(*p));
		p->part = col_dup(&res->arena, st, 0);
		p->unit = col_dup(&res->arena, st, 1);
		p->demand = sqlite3_column_int64(st, 2);
		p->status = status_of((const char *)sqlite3_column_text(st, 3));
		p->reason = col_dup(&res->arena, st, 4);
		p->cost = sqlite3_column_int64(st, 5);
		p->single_supplier = col_dup(&res->arena, st, 6);
		p->single_cost = sqlite3_column_int64(st, 7);
		p->offers = (size_t)sqlite3_column_int64(st, 8);
		p->eligible = (size_t)sqlite3_column_int64(st, 9);
		p->independence_changed = sqlite3_column_int(st, 10);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "load award parts");

	/* Lines: one query, matched to the parts in order (both sorted by part seq). */
	if ((rc = prepare(s, &st, "SELECT l.part, l.supplier_id, l.quote_line_id, l.quantity_micros,"
	                          " l.unit_cost_micros, l.line_cost_micros, l.share_pct_micros,"
	                          " q.price_micros, q.currency, q.basis_qty_micros,"
	                          " coalesce(q.basis_unit, q.unit), o.goods_micros, o.max_qty_micros"
	                          " FROM award_lines l JOIN award_parts p"
	                          "   ON p.award_id = l.award_id AND p.part = l.part"
	                          " JOIN quote_lines q ON q.id = l.quote_line_id"
	                          " LEFT JOIN award_offers o ON o.award_id = l.award_id"
	                          "   AND o.quote_line_id = l.quote_line_id"
	                          " WHERE l.award_id = ? ORDER BY p.seq, l.supplier_id", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, res->id);
	i = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *part = (const char *)sqlite3_column_text(st, 0);
		bid_award_part *p;
		bid_award_line *l;

		while (i < res->nparts && strcmp(res->parts[i].part, part) != 0)
			i++;
		if (i == res->nparts)
			break;
		p = &res->parts[i];
		/* Lines of one part arrive together; grow that part's array. */
		l = bid__arena_alloc(&res->arena, (p->nlines + 1) * sizeof(*l));
		if (p->nlines)
			memcpy(l, p->lines, p->nlines * sizeof(*l));
		p->lines = l;
		l += p->nlines++;
		l->supplier = col_dup(&res->arena, st, 1);
		l->quote_line_id = sqlite3_column_int64(st, 2);
		l->qty = sqlite3_column_int64(st, 3);
		l->unit_cost = sqlite3_column_int64(st, 4);
		l->line_cost = sqlite3_column_int64(st, 5);
		l->share_pct = sqlite3_column_int64(st, 6);
		l->price = sqlite3_column_int64(st, 7);
		l->price_currency = col_dup(&res->arena, st, 8);
		l->basis_qty = sqlite3_column_int64(st, 9);
		l->basis_unit = col_dup(&res->arena, st, 10);
		l->goods = sqlite3_column_int64(st, 11);
		l->max_qty = sqlite3_column_type(st, 12) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 12);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, err, "load award lines");
	return 0;
}

/*
 * The JSON report is built by SQLite's json functions, so every string is
 * escaped by SQLite and never by hand.  Decimals are JSON numbers whose
 * text is the exact decimal (bid_dec(), below), never a float's rounding.
 */
int bid_store__award_json(bid_store *s, long long award_id, FILE *out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st,
	        "WITH lines AS ("
	        "  SELECT l.part, json_group_array(json_object("
	        "    'supplier', l.supplier_id,"
	        "    'quantity', json(bid_dec(l.quantity_micros)),"
	        "    'quoted', json_object('price', json(bid_dec(q.price_micros)), 'currency', q.currency,"
	        "       'per', json(bid_dec(q.basis_qty_micros)), 'unit', coalesce(q.basis_unit, q.unit)),"
	        "    'unit_cost', json(bid_dec(l.unit_cost_micros)),"
	        "    'line_cost', json(bid_dec(l.line_cost_micros)),"
	        "    'share_pct', json(bid_dec(l.share_pct_micros)))) AS arr"
	        "  FROM (SELECT * FROM award_lines WHERE award_id = ?1 ORDER BY part, supplier_id) l"
	        "  JOIN quote_lines q ON q.id = l.quote_line_id"
	        "  GROUP BY l.part)"
	        " SELECT json_object("
	        "  'round', a.round_id, 'scenario', a.scenario, 'award_id', a.id,"
	        "  'award_date', a.award_date, 'currency', a.currency,"
	        "  'total', json(bid_dec(a.total_micros)),"
	        "  'single_source_total', json(bid_dec(a.single_source_total_micros)),"
	        "  'method', a.method, 'engine', a.engine_version,"
	        "  'inputs_digest', a.inputs_digest,"
	        "  'parameters', json(a.params),"
	        "  'parts', (SELECT json_group_array(json_object("
	        "      'part', p.part, 'unit', p.unit, 'demand', json(bid_dec(p.demand_micros)),"
	        "      'status', p.status, 'reason', p.reason, 'cost', json(bid_dec(p.cost_micros)),"
	        "      'single_source', CASE WHEN p.single_supplier IS NULL THEN NULL ELSE"
	        "        json_object('supplier', p.single_supplier, 'cost', json(bid_dec(p.single_cost_micros))) END,"
	        "      'offers', p.offers, 'eligible', p.eligible,"
	        "      'lines', json(coalesce((SELECT arr FROM lines WHERE lines.part = p.part), '[]'))))"
	        "    FROM (SELECT * FROM award_parts WHERE award_id = ?1 ORDER BY seq) p))"
	        " FROM awards a WHERE a.id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, award_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fputs((const char *)sqlite3_column_text(st, 0), out);
		fputc('\n', out);
		rc = 0;
	} else {
		rc = db_error(s, err, "award report");
	}
	sqlite3_finalize(st);
	return rc;
}

static int fx_distinct(bid_store *s, const char *sql, char (*out)[4], size_t max,
                       size_t *n, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = prepare(s, &st, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, s->asof.fx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		snprintf(out[(*n)++], 4, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(s, err, "rate bases");
}

int bid_store__fx_bases(bid_store *s, char (*out)[4], size_t max, size_t *n, bid_error *err)
{
	return fx_distinct(s, "SELECT DISTINCT base FROM fx_rates WHERE id <= ?1 ORDER BY base",
	                   out, max, n, err);
}

int bid_store__fx_quoted(bid_store *s, char (*out)[4], size_t max, size_t *n, bid_error *err)
{
	return fx_distinct(s, "SELECT DISTINCT currency FROM fx_rates WHERE id <= ?1 ORDER BY currency",
	                   out, max, n, err);
}

/*
 * Diagnostics as JSON, for `check --json`: rows go into a table of an
 * in-memory database and come out as one array built by json_object, so
 * that no string is ever escaped by hand.
 */
struct bid_json_diags {
	sqlite3      *db;
	sqlite3_stmt *ins;
};

int bid_json_diags_new(bid_json_diags **out, bid_error *err)
{
	bid_json_diags *j = bid__calloc(1, sizeof(*j));

	*out = NULL;
	if (sqlite3_open_v2(":memory:", &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(j->db, "CREATE TABLE d (seq INTEGER PRIMARY KEY, file TEXT, line INTEGER,"
	                        " col INTEGER, severity TEXT, message TEXT, rule TEXT)",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(j->db, "INSERT INTO d (file, line, col, severity, message, rule)"
	                              " VALUES (?,?,?,?,?,?)", -1, &j->ins, NULL) != SQLITE_OK) {
		bid_error_set(err, BID_ENOMEM, BID_AREA_STORE, "json: %s",
		              j->db ? sqlite3_errmsg(j->db) : "out of memory");
		bid_json_diags_free(j);
		return BID_ENOMEM;
	}
	*out = j;
	return 0;
}

int bid_json_diags_add(bid_json_diags *j, const char *file, const bid_diag *d)
{
	int rc;

	sqlite3_reset(j->ins);
	sqlite3_bind_text(j->ins, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(j->ins, 2, d->pos.line);
	sqlite3_bind_int64(j->ins, 3, d->pos.col);
	sqlite3_bind_text(j->ins, 4, d->severity == BID_SEV_ERROR ? "error" : "warning", -1, SQLITE_STATIC);
	sqlite3_bind_text(j->ins, 5, d->msg, -1, SQLITE_STATIC);
	bind_text(j->ins, 6, d->rule);
	rc = sqlite3_step(j->ins);
	sqlite3_reset(j->ins);
	return rc == SQLITE_DONE ? 0 : BID_ENOMEM;
}

int bid_json_diags_write(bid_json_diags *j, FILE *out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(j->db,
	        "SELECT json_group_array(json_object('file', file, 'line', line, 'column', col,"
	        " 'severity', severity, 'message', message, 'rule', rule))"
	        " FROM (SELECT * FROM d ORDER BY seq)", -1, &st, NULL) != SQLITE_OK)
		return bid_error_set(err, BID_EIO, BID_AREA_STORE, "json: %s", sqlite3_errmsg(j->db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fputs((const char *)sqlite3_column_text(st, 0), out);
		fputc('\n', out);
		rc = 0;
	} else {
		rc = bid_error_set(err, BID_EIO, BID_AREA_STORE, "json: %s", sqlite3_errmsg(j->db));
	}
	sqlite3_finalize(st);
	return rc;
}

void bid_json_diags_free(bid_json_diags *j)
{
	if (!j)
		return;
	sqlite3_finalize(j->ins);
	sqlite3_close(j->db);
	free(j);
}

int bid_store__policy_insert(bid_store *s, const char *round_id, const char *key,
                             const char *value, bid_error *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if ((rc = prepare(s, &st, "INSERT INTO round_policy (round_id, key, value, set_at, set_by)"
	                          " VALUES (?,?,?,?,?)", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	bind_text(st, 2, key);
	bind_text(st, 3, value);
	bind_text(st, 4, bid__utc_now(now, sizeof(now)));
	bind_text(st, 5, s->actor);
	return step_done(s, st, 0, err, "store policy");
}

int bid_store__policy_each(bid_store *s, const char *round_id, int history,
                           int (*cb)(const bid_policy_entry *e, void *payload),
                           void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, &st, history
	    ? "SELECT key, value, set_at, set_by FROM round_policy WHERE round_id = ? ORDER BY id"
	    : "SELECT key, value, set_at, set_by FROM round_policy p WHERE round_id = ?1"
	      " AND id = (SELECT max(id) FROM round_policy q WHERE q.round_id = ?1 AND q.key = p.key"
	      "   AND q.id <= ?2) AND value <> '' ORDER BY key", err);
	if (rc < 0)
		return rc;
	bind_text(st, 1, round_id);
	if (!history)
		sqlite3_bind_int64(st, 2, s->asof.policy);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_policy_entry e;

		e.key = (const char *)sqlite3_column_text(st, 0);
		e.value = (const char *)sqlite3_column_text(st, 1);
		e.set_at = (const char *)sqlite3_column_text(st, 2);
		e.set_by = (const char *)sqlite3_column_text(st, 3);
		if ((rc = cb(&e, payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "load policy");
}

int bid_store__tiers_each(bid_store *s, const char *round_id,
                          int (*cb)(long long line_id, const bid_tier *t, void *payload),
                          void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st,
	        "SELECT t.line_id, t.from_qty_micros, t.price_micros, t.src_line, t.src_col"
	        " FROM quote_tiers t JOIN quote_lines l ON l.id = t.line_id"
	        " JOIN quotes q ON q.id = l.quote_id WHERE q.round_id = ? AND q.id <= ?"
	        " ORDER BY t.line_id, t.seq", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	sqlite3_bind_int64(st, 2, s->asof.quotes);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_tier t;

		t.from_qty = sqlite3_column_int64(st, 1);
		t.price = sqlite3_column_int64(st, 2);
		t.pos.line = (uint32_t)sqlite3_column_int(st, 3);
		t.pos.col = (uint32_t)sqlite3_column_int(st, 4);
		if ((rc = cb(sqlite3_column_int64(st, 0), &t, payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "load price breaks");
}

/* ---- the audit log ---- */

int bid_store__event(bid_store *s, const char *kind, const char *round_id,
                     const char *const *kv, size_t n, bid_error *err)
{
	static const char zero[65] =
		"0000000000000000000000000000000000000000000000000000000000000000";
	char sql[64 + 4 * 64], prev[65], hash[65], now[32];
	char *payload = NULL;
	sqlite3_stmt *st;
	long long seq = 1;
	size_t i, off;
	int rc;

	if (n > 64)
		return bid_error_set(err, BID_EUSAGE, BID_AREA_STORE, "event with too many fields");
	/* The payload is SQLite's json_object over the pairs: canonical, escaped by SQLite. */
	off = (size_t)snprintf(sql, sizeof(sql), "SELECT json_object(");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(sql + off, sizeof(sql) - off, "%s?,?", i ? "," : "");
	snprintf(sql + off, sizeof(sql) - off, ")");
	if ((rc = prepare(s, &st, sql, err)) < 0)
		return rc;
	for (i = 0; i < 2 * n; i++)
		bind_text(st, (int)i + 1, kv[i]);
	if (sqlite3_step(st) == SQLITE_ROW)
		payload = bid__strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!payload)
		return db_error(s, err, "event payload");

	memcpy(prev, zero, sizeof(prev));
	if ((rc = prepare(s, &st, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", err)) < 0)
		goto done;
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);

	bid__utc_now(now, sizeof(now));
	bid_audit__hash(seq, now, s->actor, kind, round_id, payload, prev, hash);
	if ((rc = prepare(s, &st, "INSERT INTO events (seq, at, actor, kind, round_id, payload,"
	                          " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)", err)) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, seq);
	bind_text(st, 2, now);
	bind_text(st, 3, s->actor);
	bind_text(st, 4, kind);
	bind_text(st, 5, round_id);
	bind_text(st, 6, payload);
	bind_text(st, 7, prev);
	bind_text(st, 8, hash);
	rc = step_done(s, st, 0, err, "record event");
done:
	free(payload);
	return rc;
}

int bid_store__events_each(bid_store *s, const char *round_id,
                           int (*cb)(const bid_event *e, void *payload),
                           void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	rc = prepare(s, &st, round_id
	    ? "SELECT seq, at, actor, kind, round_id, payload, prev_hash, hash FROM events"
	      " WHERE round_id = ? ORDER BY seq"
	    : "SELECT seq, at, actor, kind, round_id, payload, prev_hash, hash FROM events"
	      " ORDER BY seq", err);
	if (rc < 0)
		return rc;
	if (round_id)
		bind_text(st, 1, round_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bid_event e;

		e.seq = sqlite3_column_int64(st, 0);
		e.at = (const char *)sqlite3_column_text(st, 1);
		e.actor = (const char *)sqlite3_column_text(st, 2);
		e.kind = (const char *)sqlite3_column_text(st, 3);
		e.round_id = (const char *)sqlite3_column_text(st, 4);
		e.payload = (const char *)sqlite3_column_text(st, 5);
		e.prev_hash = (const char *)sqlite3_column_text(st, 6);
		e.hash = (const char *)sqlite3_column_text(st, 7);
		if ((rc = cb(&e, payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "read events");
}

int bid_store__docs_each(bid_store *s,
                         int (*cb)(long long id, const char *kind, const char *sha,
                                   const void *data, size_t len, void *payload),
                         void *payload, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT id, kind, sha256, content FROM documents ORDER BY id", err)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = cb(sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		             (const char *)sqlite3_column_text(st, 2), sqlite3_column_blob(st, 3),
		             (size_t)sqlite3_column_bytes(st, 3), payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "read documents");
}

int bid_store__trigger_sql(bid_store *s, const char *name, char **sql_out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*sql_out = NULL;
	if ((rc = prepare(s, &st, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?",
	                  err)) < 0)
		return rc;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*sql_out = bid__strdup((const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? BID_ENOTFOUND : db_error(s, err, "read schema");
	}
	sqlite3_finalize(st);
	return rc;
}

const char *const *bid_store__triggers(void)
{
	static const char *const triggers[] = { AUDIT_TRIGGERS NULL };
	return triggers;
}

int bid_store__rows_digest(bid_store *s, const char *sql, long long arg, char out[65],
                           bid_error *err)
{
	row_image im;
	const char *next = sql;
	int rc = 0;

	im.h = bid__sha256_new();
	im.n = 0;
	/* one or more statements separated by ';', every row of each hashed in turn */
	while (rc == 0 && next && *next) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(s->db, next, -1, &st, &next) != SQLITE_OK) {
			rc = 1;
			break;
		}
		if (!st)
			break;
		if (sqlite3_bind_parameter_count(st) > 0)
			sqlite3_bind_int64(st, 1, arg);
		rc = img_rows(&im, st);
		sqlite3_finalize(st);
	}
	img_flush(&im);
	bid__sha256_done(im.h, out);
	return rc == 0 ? 0 : db_error(s, err, "digest rows");
}

int bid_store__rows_each(bid_store *s, const char *sql, long long arg, const char *text,
                         int (*cb)(int ncol, const char *const *col, void *payload),
                         void *payload, bid_error *err)
{
	const char *cols[32];
	sqlite3_stmt *st;
	int rc, i, n;

	if ((rc = prepare(s, &st, sql, err)) < 0)
		return rc;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_bind_parameter_count(st) > 1)
		bind_text(st, 2, text);
	n = sqlite3_column_count(st);
	if (n > 32)
		n = 32;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if ((rc = cb(n, cols, payload)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "audit query");
}

/*
 * The auditor's read-only SQL: a separate read-only connection, and an
 * authorizer that allows reading and nothing else.
 */
static int auditor_auth(void *payload, int action, const char *a, const char *b,
                        const char *db, const char *trigger)
{
	(void)payload; (void)b; (void)db; (void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		/* functions that reach outside the database are not for auditors */
		if (a && (sqlite3_stricmp(a, "load_extension") == 0 ||
		          sqlite3_stricmp(a, "readfile") == 0 || sqlite3_stricmp(a, "writefile") == 0 ||
		          sqlite3_stricmp(a, "edit") == 0 || sqlite3_stricmp(a, "fts3_tokenizer") == 0))
			return SQLITE_DENY;
		return SQLITE_OK;
	default:
		return SQLITE_DENY;
	}
}

static void csv_cell(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int bid_audit_query(const char *path, const char *sql, FILE *out, bid_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc, i, n;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = bid_error_set(err, BID_EIO, BID_AREA_STORE, "cannot open database '%s' read-only: %s",
		                   path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db, 5000);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_create_function(db, "bid_dec", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_bid_dec, NULL, NULL);
	sqlite3_set_authorizer(db, auditor_auth, NULL);
	if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK || !st) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_STORE, "refused: %s",
		                   st || sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errmsg(db) : "empty statement");
		goto done;
	}
	while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail && *tail) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_STORE,
		                   "refused: one statement at a time");
		goto done;
	}
	if (!sqlite3_stmt_readonly(st)) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_STORE, "refused: the statement would write");
		goto done;
	}
	n = sqlite3_column_count(st);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		csv_cell(out, sqlite3_column_name(st, i));
	}
	if (n)
		fputc('\n', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			csv_cell(out, (const char *)sqlite3_column_text(st, i));
		}
		fputc('\n', out);
	}
	if (rc != SQLITE_DONE) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_STORE, "query: %s", sqlite3_errmsg(db));
		goto done;
	}
	rc = fflush(out) == 0 ? 0 : bid_error_set(err, BID_EIO, BID_AREA_STORE, "cannot write");
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int bid_audit_log_json(bid_store *s, const char *round_id, FILE *out, bid_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st,
	        "SELECT json_group_array(json_object('seq', seq, 'at', at, 'actor', actor, 'kind', kind,"
	        " 'round', round_id, 'payload', json(payload), 'prev_hash', prev_hash, 'hash', hash))"
	        " FROM (SELECT * FROM events WHERE ?1 IS NULL OR round_id = ?1 ORDER BY seq)", err)) < 0)
		return rc;
	bind_text(st, 1, round_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs((const char *)sqlite3_column_text(st, 0), out);
		fputc('\n', out);
		rc = 0;
	} else {
		rc = db_error(s, err, "events");
	}
	sqlite3_finalize(st);
	return rc;
}

int bid_store__supplier_insert(bid_store *s, const bid_supplier *m, long long document_id,
                               bid_error *err)
{
	static const char *const status[] = { "qualified", "probation", "blocked" };
	sqlite3_stmt *st = cached(s, STMT_SUPPLIER_INSERT,
		"INSERT INTO suppliers (supplier_id, name, status, grp, capacity_micros, spend_cap_micros,"
		" defect_ppm_micros, otd_pct_micros, document_id, set_at, set_by)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?)", err);
	char now[32];

	if (!st)
		return BID_EIO;
	bind_text(st, 1, m->id);
	bind_text(st, 2, m->name);
	bind_text(st, 3, status[m->status]);
	bind_text(st, 4, m->group);
	if (m->has_capacity)
		sqlite3_bind_int64(st, 5, m->capacity);
	if (m->has_spend_cap)
		sqlite3_bind_int64(st, 6, m->spend_cap);
	if (m->has_defect_ppm)
		sqlite3_bind_int64(st, 7, m->defect_ppm);
	if (m->has_otd_pct)
		sqlite3_bind_int64(st, 8, m->otd_pct);
	sqlite3_bind_int64(st, 9, document_id);
	bind_text(st, 10, bid__utc_now(now, sizeof(now)));
	bind_text(st, 11, s->actor);
	return step_done(s, st, 1, err, "store supplier");
}
