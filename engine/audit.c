/*
 * audit.c - the audit trail: the hash of an event, and the checks behind
 * `audit verify`: the chain (order, links, hashes), the append-only
 * triggers, every document's bytes against its hash and its event, and
 * the digests recorded for imports and awards against the rows as they
 * are now.  The rows come from the store; no SQL library here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/*
 * An event's hash covers every field and the previous hash, each
 * length-prefixed, so no two different events can serialise alike.
 */
void bid_audit__hash(long long seq, const char *at, const char *actor, const char *kind,
                     const char *round_id, const char *payload, const char *prev,
                     char out[65])
{
	bid_sha256 *h = bid__sha256_new();

	bid__sha256_add_str(h, "bidcmp-event-v1");
	bid__sha256_add_i64(h, seq);
	bid__sha256_add_str(h, at);
	bid__sha256_add_str(h, actor);
	bid__sha256_add_str(h, kind);
	bid__sha256_add_str(h, round_id);
	bid__sha256_add_str(h, payload);
	bid__sha256_add_str(h, prev);
	bid__sha256_done(h, out);
}

int bid_audit_each(bid_store *store, const char *round_id,
                   int (*cb)(const bid_event *e, void *payload), void *payload,
                   bid_error *err)
{
	return bid_store__events_each(store, round_id, cb, payload, err);
}

static int last_event(const bid_event *e, void *payload)
{
	bid_event *last = payload;

	last->seq = e->seq;
	snprintf((char *)last->hash, 65, "%s", e->hash);
	return 0;
}

int bid_audit_head(bid_store *store, long long *seq, char hash[65], bid_error *err)
{
	bid_event last;
	int rc;

	memset(&last, 0, sizeof(last));
	hash[0] = '\0';
	last.hash = hash;
	if ((rc = bid_store__events_each(store, NULL, last_event, &last, err)) < 0)
		return rc;
	*seq = last.seq;
	if (last.seq == 0)
		return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE, "the log has no event yet");
	return 0;
}

/* ---- verify ---- */

typedef struct verifier {
	bid_store  *store;
	bid_error  *err;
	long long   expect;      /* the next sequence number */
	char        prev[65];
	const char *head;
	int         head_seen;
	long long   checked;
} verifier;

static int bad(verifier *v, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int bad(verifier *v, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bid_error_set(v->err, BID_EINVALID, BID_AREA_ENGINE, "%s", msg);
}

static int check_event(const bid_event *e, void *payload)
{
	verifier *v = payload;
	char hash[65];

	if (e->seq != v->expect)
		return bad(v, "event %lld: expected event %lld here: an event was deleted, "
		           "inserted or reordered", e->seq, v->expect);
	if (strcmp(e->prev_hash, v->prev) != 0)
		return bad(v, "event %lld: its link to the event before does not match: the chain "
		           "was broken before it", e->seq);
	bid_audit__hash(e->seq, e->at, e->actor, e->kind, e->round_id, e->payload, e->prev_hash,
	                hash);
	if (strcmp(hash, e->hash) != 0)
		return bad(v, "event %lld (%s): its contents do not match its hash: the row was edited",
		           e->seq, e->kind);
	if (v->head && strcmp(e->hash, v->head) == 0)
		v->head_seen = 1;
	snprintf(v->prev, sizeof(v->prev), "%s", e->hash);
	v->expect++;
	v->checked++;
	return 0;
}

static int check_trigger(verifier *v, const char *expected)
{
	char name[96], *stored = NULL;
	const char *p = expected + strlen("CREATE TRIGGER ");
	size_t n = strcspn(p, " ");
	int rc;

	snprintf(name, sizeof(name), "%.*s", (int)n, p);
	rc = bid_store__trigger_sql(v->store, name, &stored, v->err);
	if (rc == BID_ENOTFOUND)
		return bad(v, "trigger %s is missing: someone dropped it to change rows", name);
	if (rc < 0)
		return rc;
	/* the schema keeps the statement without its final ';' */
	if (strncmp(stored, expected, strlen(expected) - 1) != 0 ||
	    strlen(stored) != strlen(expected) - 1)
		rc = bad(v, "trigger %s was changed", name);
	free(stored);
	return rc;
}

/* Documents: the bytes against the hash, and the hash against its event. */
typedef struct doc_check {
	verifier  *v;
	long long  id;
	const char *sha;
	int        found;
} doc_check;

static int doc_event(int ncol, const char *const *col, void *payload)
{
	doc_check *d = payload;

	(void)ncol;
	if (col[0] && atoll(col[0]) == d->id) {
		d->found = 1;
		if (!col[1] || strcmp(col[1], d->sha) != 0)
			return bad(d->v, "document %lld: its hash differs from the one event %s recorded",
			           d->id, col[2]);
	}
	return 0;
}

static int check_doc(long long id, const char *kind, const char *sha, const void *data,
                     size_t len, void *payload)
{
	verifier *v = payload;
	doc_check d = { v, id, sha, 0 };
	char actual[65];
	int rc;

	bid__sha256_hex(data ? data : "", len, actual);
	if (strcmp(actual, sha) != 0)
		return bad(v, "document %lld (%s): its bytes do not match its SHA-256: altered", id, kind);
	rc = bid_store__rows_each(v->store,
	        "SELECT json_extract(payload, '$.document'), json_extract(payload, '$.sha256'), seq"
	        " FROM events WHERE json_extract(payload, '$.document') = CAST(?1 AS TEXT)",
	        id, NULL, doc_event, &d, v->err);
	if (rc < 0)
		return rc;
	if (!d.found)
		return bad(v, "document %lld (%s): no event records it: inserted outside bidcmp", id, kind);
	return 0;
}

/* The rows an import or an award wrote, as they are now, against the digest its event recorded. */
#define IMPORT_ROWS_SQL \
	"SELECT * FROM quotes WHERE document_id = ?1 ORDER BY id;" \
	"SELECT l.* FROM quote_lines l JOIN quotes q ON q.id = l.quote_id" \
	" WHERE q.document_id = ?1 ORDER BY l.id;" \
	"SELECT t.* FROM quote_tiers t JOIN quote_lines l ON l.id = t.line_id" \
	" JOIN quotes q ON q.id = l.quote_id WHERE q.document_id = ?1 ORDER BY t.line_id, t.seq"
#define AWARD_ROWS_SQL \
	"SELECT * FROM awards WHERE id = ?1;" \
	"SELECT * FROM award_parts WHERE award_id = ?1 ORDER BY seq;" \
	"SELECT * FROM award_lines WHERE award_id = ?1 ORDER BY part, supplier_id;" \
	"SELECT * FROM award_offers WHERE award_id = ?1 ORDER BY quote_line_id;" \
	"SELECT * FROM award_offer_tiers WHERE award_id = ?1 ORDER BY quote_line_id, seq"

/* The digests, for the events that record them. */
int bid_audit__import_rows(bid_store *s, long long document_id, char out[65], bid_error *err)
{
	/* taken as the rows were written, when the store could follow them */
	int rc = bid_store__import_digest_done(s, document_id, out, err);

	if (rc != BID_ENOTFOUND)
		return rc;
	return bid_store__rows_digest(s, IMPORT_ROWS_SQL, document_id, out, err);
}

int bid_audit__award_rows(bid_store *s, long long award_id, char out[65], bid_error *err)
{
	return bid_store__rows_digest(s, AWARD_ROWS_SQL, award_id, out, err);
}

typedef struct digest_check {
	verifier *v;
} digest_check;

static int check_digest_event(int ncol, const char *const *col, void *payload)
{
	digest_check *c = payload;
	char now[65];
	int rc;

	(void)ncol;
	/* col: seq, kind, the id, the recorded digest */
	if (!col[2] || !col[3])
		return 0;
	rc = bid_store__rows_digest(c->v->store,
	                            strcmp(col[1], "award.run") == 0 ? AWARD_ROWS_SQL : IMPORT_ROWS_SQL,
	                            atoll(col[2]), now, c->v->err);
	if (rc < 0)
		return rc;
	if (strcmp(now, col[3]) != 0)
		return bad(c->v, "event %s (%s): the rows it wrote have changed since", col[0], col[1]);
	return 0;
}

/* Every award and quote row has the event that made it. */
static int orphan(int ncol, const char *const *col, void *payload)
{
	(void)ncol;
	return bad(payload, "%s %s: no event records it: inserted outside bidcmp", col[0], col[1]);
}

int bid_audit_verify(bid_store *store, const char *head, long long *events_out, bid_error *err)
{
	const char *const *t;
	verifier v;
	digest_check dc;
	int rc;

	memset(&v, 0, sizeof(v));
	v.store = store;
	v.err = err;
	v.expect = 1;
	v.head = head;
	memset(v.prev, '0', 64);
	if (events_out)
		*events_out = 0;
	for (t = bid_store__triggers(); *t; t++)
		if ((rc = check_trigger(&v, *t)) < 0)
			return rc;
	if ((rc = bid_store__events_each(store, NULL, check_event, &v, err)) < 0)
		return rc;
	if (head && !v.head_seen)
		return bad(&v, "the published head %.16s... is not in the chain: the log was rewritten "
		           "or cut back", head);
	if ((rc = bid_store__docs_each(store, check_doc, &v, err)) < 0)
		return rc;
	dc.v = &v;
	if ((rc = bid_store__rows_each(store,
	        "SELECT seq, kind, json_extract(payload, '$.document'), json_extract(payload, '$.rows')"
	        " FROM events WHERE kind = 'document.imported'"
	        " UNION ALL SELECT seq, kind, json_extract(payload, '$.award'), json_extract(payload, '$.rows')"
	        " FROM events WHERE kind = 'award.run' ORDER BY 1", 0, NULL, check_digest_event, &dc, err)) < 0)
		return rc;
	if ((rc = bid_store__rows_each(store,
	        "SELECT 'award', id FROM awards WHERE CAST(id AS TEXT) NOT IN (SELECT json_extract(payload, '$.award')"
	        " FROM events WHERE kind = 'award.run')"
	        " UNION ALL SELECT 'quote', id FROM quotes WHERE CAST(document_id AS TEXT) NOT IN"
	        " (SELECT json_extract(payload, '$.document') FROM events WHERE kind = 'document.imported')"
	        " LIMIT 1", 0, NULL, orphan, &v, err)) < 0)
		return rc;
	if (events_out)
		*events_out = v.checked;
	return 0;
}

int bid_audit__record(bid_store *s, const char *kind, const char *round_id, bid_error *err, ...)
{
	const char *kv[64];
	size_t n = 0;
	va_list ap;

	va_start(ap, err);
	while (n + 1 < sizeof(kv) / sizeof(kv[0])) {
		const char *k = va_arg(ap, const char *);
		if (!k)
			break;
		kv[n++] = k;
		kv[n++] = va_arg(ap, const char *);
	}
	va_end(ap);
	return bid_store__event(s, kind, round_id, kv, n / 2, err);
}

/* ---- red flags ---- */

typedef struct flagger {
	FILE      *out;
	size_t     n;
	const char *what;
} flagger;

static int print_flag(int ncol, const char *const *col, void *payload)
{
	flagger *f = payload;
	int i;

	fprintf(f->out, "flag %s:", f->what);
	for (i = 0; i < ncol; i++)
		fprintf(f->out, " %s", col[i] ? col[i] : "-");
	fputc('\n', f->out);
	f->n++;
	return 0;
}

#define CURRENT_LINES \
	"WITH cur AS (SELECT q.supplier_id AS s, l.part AS p, l.price_micros AS pr, l.currency AS c," \
	"  l.basis_qty_micros AS b, l.manufacturer AS m FROM quote_lines l JOIN quotes q ON q.id = l.quote_id" \
	"  WHERE q.round_id = ?2 AND q.id = (SELECT max(id) FROM quotes q2 WHERE q2.round_id = ?2" \
	"  AND q2.supplier_id = q.supplier_id)) "

static const struct {
	const char *what;
	const char *sql;
} flag_queries[] = {
	{ "identical-prices", CURRENT_LINES
	  "SELECT a.s || ' and ' || b.s || ' quote identical prices on ' || count(*) || ' of '"
	  " || (SELECT count(*) FROM cur x JOIN cur y ON x.p = y.p AND x.s = a.s AND y.s = b.s)"
	  " || ' shared parts:', group_concat(a.p || '=' || printf('%d.%06d', a.pr / 1000000, a.pr % 1000000)"
	  " || ' ' || a.c, ', ')"
	  " FROM cur a JOIN cur b ON a.p = b.p AND a.s < b.s AND a.pr = b.pr AND a.c = b.c AND a.b = b.b"
	  " GROUP BY a.s, b.s HAVING count(*) >= 3 OR 2 * count(*) >= (SELECT count(*) FROM cur x"
	  " JOIN cur y ON x.p = y.p AND x.s = a.s AND y.s = b.s) ORDER BY a.s, b.s" },
	{ "shared-manufacturer", CURRENT_LINES
	  "SELECT 'part ' || p || ': ' || group_concat(DISTINCT s) || ' all offer goods made by', min(m)"
	  " FROM cur WHERE m IS NOT NULL AND m <> '' GROUP BY p, lower(m)"
	  " HAVING count(DISTINCT s) > 1 ORDER BY p" },
	{ "dearer-got-more",
	  "SELECT 'award ' || a.id || ' (' || a.scenario || '), part ' || x.part || ': ' || x.supplier_id"
	  " || ' got ' || (x.quantity_micros / 1000000) || ' at landed ' || printf('%d.%06d', x.unit_cost_micros / 1000000, x.unit_cost_micros % 1000000)"
	  " || ', more than ' || y.supplier_id || ' (' || (y.quantity_micros / 1000000) || ' at '"
	  " || printf('%d.%06d', y.unit_cost_micros / 1000000, y.unit_cost_micros % 1000000) || ')',"
	  " CASE WHEN o.max_qty_micros = y.quantity_micros THEN '- the cheaper offered no more'"
	  " ELSE '- check the rules that bound (bidcmp audit why)' END"
	  " FROM award_lines x JOIN award_lines y ON x.award_id = y.award_id AND x.part = y.part"
	  "  AND x.unit_cost_micros > y.unit_cost_micros AND x.quantity_micros > y.quantity_micros"
	  " JOIN awards a ON a.id = x.award_id"
	  " LEFT JOIN award_offers o ON o.award_id = y.award_id AND o.quote_line_id = y.quote_line_id"
	  " WHERE a.round_id = ?2 AND a.id IN (SELECT max(id) FROM awards WHERE round_id = ?2 GROUP BY scenario)"
	  " ORDER BY a.id, x.part" },
	{ "late-document",
	  "SELECT 'document ' || d.id || ' (' || d.name || ') imported ' || d.imported_at"
	  " || ' by ' || d.imported_by || ', after the round closed on', r.due_date"
	  " FROM documents d JOIN rounds r ON r.id = d.round_id"
	  " WHERE r.id = ?2 AND d.kind = 'quote' AND r.due_date IS NOT NULL"
	  " AND substr(d.imported_at, 1, 10) > r.due_date ORDER BY d.id" },
};

int bid_audit_flags(FILE *out, bid_round *round, size_t *count_out, bid_error *err)
{
	flagger f = { out, 0, NULL };
	size_t i;
	int rc;

	for (i = 0; i < sizeof(flag_queries) / sizeof(flag_queries[0]); i++) {
		f.what = flag_queries[i].what;
		if ((rc = bid_store__rows_each(round->store, flag_queries[i].sql, 0, round->info.id,
		                               print_flag, &f, err)) < 0)
			return rc;
	}
	/* An award edited by hand no longer matches its own replay. */
	{
		FILE *sink = tmpfile();
		bid_error e2;

		if (sink) {
			rc = bid_audit_replay(sink, round, NULL, &e2);
			fclose(sink);
			if (rc == BID_EINVALID) {
				fprintf(out, "flag award-overridden: %s\n", e2.msg);
				f.n++;
			}
		}
	}
	if (count_out)
		*count_out = f.n;
	return 0;
}
