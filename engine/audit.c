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
