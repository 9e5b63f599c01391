/*
 * round_import.c - importing a supplier's quote file into a round:
 * detect, parse (importers/), match each line to a part, check codes,
 * and store document, quote and lines in one transaction.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/*
 * Two threads share an import: the parse (the importer, the line checks
 * and the matching to the round's parts) runs in a thread of its own and
 * hands what it found, in order, through a bounded queue to the calling
 * thread, which does everything the store does (quote, lines, document).
 * Warnings travel through the queue too, so they reach the caller's
 * callback in the calling thread and in the order the parse found them;
 * the parse's first error ends the queue.  When the store fails, the
 * parse is told to stop and nothing queued after the failure is
 * delivered: the output is what the same import one line at a time would
 * have printed.  Without a thread (pthread_create failing) it runs so,
 * the parse calling the store directly.
 */

/* ---- the queue: blocks of records, handed over whole ---- */

enum { QBLOCK = 1 << 17, QBLOCKS = 4 };    /* 512 KiB in flight at most (plus an oversized record) */

typedef struct qblock {
	struct qblock *next;
	size_t         used, size;
	_Alignas(max_align_t) unsigned char data[];
} qblock;

typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t  filled, freed;
	qblock         *head, *tail;      /* handed over, oldest first */
	qblock         *spare;            /* QBLOCK-sized blocks to reuse */
	qblock         *cur;              /* the parse's block being filled */
	size_t          nblocks;          /* allocated, in any list or in use */
	int             closed;           /* the parse is done */
	int             stop;             /* the store failed: its code */
} queue;

/* Hand the parse's current block over (parse thread). */
static void q_publish(queue *q)
{
	qblock *b = q->cur;

	q->cur = NULL;
	if (!b)
		return;
	if (!b->used) {
		pthread_mutex_lock(&q->mu);
		b->next = q->spare;
		q->spare = b;
		pthread_mutex_unlock(&q->mu);
		return;
	}
	b->next = NULL;
	pthread_mutex_lock(&q->mu);
	if (q->tail)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->mu);
}

/*
 * n bytes (aligned) for a record in the parse's block, waiting for a free
 * block when all are in use.  NULL when the store has failed.
 */
static void *q_reserve(queue *q, size_t n)
{
	size_t align = _Alignof(max_align_t);
	qblock *b;

	n = (n + align - 1) & ~(align - 1);
	if (q->cur && q->cur->size - q->cur->used >= n)
		goto take;
	q_publish(q);
	pthread_mutex_lock(&q->mu);
	while (!q->stop && !q->spare && q->nblocks >= QBLOCKS)
		pthread_cond_wait(&q->freed, &q->mu);
	if (q->stop) {
		pthread_mutex_unlock(&q->mu);
		return NULL;
	}
	b = q->spare;
	if (b)
		q->spare = b->next;
	else
		q->nblocks++;
	pthread_mutex_unlock(&q->mu);
	if (b && n > b->size) {
		free(b);
		b = NULL;
	}
	if (!b) {
		b = bid__malloc(sizeof(*b) + (n > QBLOCK ? n : QBLOCK));
		b->size = n > QBLOCK ? n : QBLOCK;
	}
	b->used = 0;
	q->cur = b;
take:
	q->cur->used += n;
	return q->cur->data + q->cur->used - n;
}

/* The parse is done (parse thread). */
static void q_close(queue *q)
{
	q_publish(q);
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->mu);
}

/*
 * The next block handed over, or NULL: once the parse is done and all are
 * taken (*done set), or at once when none is ready and wait is 0.
 */
static qblock *q_take(queue *q, int wait, int *done)
{
	qblock *b;

	pthread_mutex_lock(&q->mu);
	while (wait && !q->head && !q->closed)
		pthread_cond_wait(&q->filled, &q->mu);
	b = q->head;
	if (b) {
		q->head = b->next;
		if (!q->head)
			q->tail = NULL;
	}
	*done = !b && q->closed;
	pthread_mutex_unlock(&q->mu);
	return b;
}

/* A block read: back to the spares (an oversized one is freed). */
static void q_give(queue *q, qblock *b)
{
	pthread_mutex_lock(&q->mu);
	if (b->size == QBLOCK) {
		b->next = q->spare;
		q->spare = b;
	} else {
		free(b);
		q->nblocks--;
	}
	pthread_cond_signal(&q->freed);
	pthread_mutex_unlock(&q->mu);
}

/* The store failed with rc: the parse stops at its next record. */
static void q_stop(queue *q, int rc)
{
	pthread_mutex_lock(&q->mu);
	q->stop = rc;
	pthread_cond_broadcast(&q->freed);
	pthread_mutex_unlock(&q->mu);
}

static void q_free(queue *q)
{
	qblock *b, *next;

	free(q->cur);
	for (b = q->head; b; b = next) {
		next = b->next;
		free(b);
	}
	for (b = q->spare; b; b = next) {
		next = b->next;
		free(b);
	}
}

/* ---- records ---- */

enum { REC_HEADER = 1, REC_LINE, REC_WARNING };

typedef struct rec {
	int    kind;
	size_t size;                  /* of the whole record, aligned */
} rec;

typedef struct rec_header {
	rec              r;
	bid_quote_header h;
} rec_header;

typedef struct rec_line {
	rec            r;
	bid_quote_line l;
	const char    *part, *src;
} rec_line;

typedef struct rec_warning {
	rec      r;
	bid_diag d;
} rec_warning;

/* Copy a string into a record's tail. */
static const char *put_str(char **tail, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = *tail;
	memcpy(p, s, n);
	*tail += n;
	return p;
}

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* ---- the import ---- */

typedef struct importer {
	bid_round                *round;
	const char               *path;
	const bid_import_options *opts;
	bid_import_stats         *stats;
	bid_error                *err;        /* the store's errors (calling thread) */
	bid_error                 perr;       /* the parse's errors (parse thread) */
	long long                 doc_id, quote_id;
	size_t                    seq;
	bid_file                 *file;       /* the mapped input */
	queue                    *q;          /* NULL: the parse calls the store directly */
	/* the parse thread's own */
	int                       have_header;
	int                       failed;     /* value errors seen */
	size_t                    parsed;     /* lines matched and handed on */
	size_t                    skipped;
	char                      supplier[sizeof(((bid_import_stats *)0)->supplier)];
	char                      quote_ref[sizeof(((bid_import_stats *)0)->quote_id)];
	int                       parse_rc;
	int                       store_rc;   /* the store's first failure (calling thread) */
	bid_sha256               *sha;        /* the document's hash, taken while the store waits */
	size_t                    hashed;     /* bytes of it so far */
} importer;

/*
 * While no record is ready the calling thread hashes the next piece of
 * the document, so that its SHA-256 is (mostly) known when the parse ends.
 */
static void hash_some(importer *im, size_t n)
{
	bid_file *f = im->file;

	if (n > f->len - im->hashed)
		n = f->len - im->hashed;
	bid__sha256_add(im->sha, f->data + im->hashed, n);
	im->hashed += n;
	bid__file_release(f, im->hashed);
}

/* ---- what the calling thread does with each record (the store's side) ---- */

static int store_header(importer *im, const bid_quote_header *h)
{
	bid_quote_row q;

	q.round_id = im->round->info.id;
	q.document_id = im->doc_id;
	q.h = h;
	return im->store_rc = bid_store__quote_insert(im->round->store, &q, &im->quote_id, im->err);
}

static int store_line(importer *im, const bid_quote_line *l, const char *part, const char *src)
{
	int rc = bid_store__line_insert(im->round->store, im->quote_id, im->seq++, l, part, src,
	                                im->err);
	if (rc == 0)
		im->stats->lines++;
	return im->store_rc = rc;
}

static void store_warning(importer *im, const bid_diag *d)
{
	im->stats->warnings++;
	if (im->opts->diag)
		im->opts->diag(im->path, d, im->opts->payload);
}

/* ---- the parse's side: checks, matching, and handing records on ---- */

static int hand_header(importer *im, const bid_quote_header *h)
{
	rec_header *r;
	char *tail;
	size_t n;

	if (!im->q)
		return store_header(im, h);
	n = sizeof(*r) + str_size(h->supplier_id) + str_size(h->supplier_name) +
	    str_size(h->quote_id) + str_size(h->rfq_ref) + str_size(h->currency) +
	    str_size(h->incoterm) + str_size(h->total_currency) + str_size(h->charges_currency);
	if (!(r = q_reserve(im->q, n)))
		return im->q->stop;
	r->r.kind = REC_HEADER;
	r->r.size = n;
	r->h = *h;
	tail = (char *)(r + 1);
	r->h.supplier_id = put_str(&tail, h->supplier_id);
	r->h.supplier_name = put_str(&tail, h->supplier_name);
	r->h.quote_id = put_str(&tail, h->quote_id);
	r->h.rfq_ref = put_str(&tail, h->rfq_ref);
	r->h.currency = put_str(&tail, h->currency);
	r->h.incoterm = put_str(&tail, h->incoterm);
	r->h.total_currency = put_str(&tail, h->total_currency);
	r->h.charges_currency = put_str(&tail, h->charges_currency);
	return 0;
}

/*
 * A line for the store: the values bid_store__line_insert reads, copied
 * (its identifiers are not: the match has used them).
 */
static int hand_line(importer *im, const bid_quote_line *l, const char *part, const char *src)
{
	rec_line *r;
	char *tail;
	size_t n, tiers = l->ntiers * sizeof(bid_tier);
	int i;

	if (!im->q)
		return store_line(im, l, part, src);
	n = sizeof(*r) + tiers + str_size(l->line_id) + str_size(l->description) +
	    str_size(l->unit) + str_size(l->currency) + str_size(l->basis_unit) +
	    str_size(l->manufacturer) + str_size(l->origin_country) +
	    str_size(l->certificates) + str_size(part);
	if (!(r = q_reserve(im->q, n)))
		return im->q->stop;
	r->r.kind = REC_LINE;
	r->r.size = n;
	r->l = *l;
	tail = (char *)(r + 1);
	if (tiers) {
		/* bid_tier first: the record's tail is aligned there */
		memcpy(tail, l->tiers, tiers);
		r->l.tiers = (const bid_tier *)tail;
		tail += tiers;
	}
	for (i = 0; i < BID_PART__COUNT; i++)
		r->l.part_ids[i] = NULL;
	r->l.line_id = put_str(&tail, l->line_id);
	r->l.description = put_str(&tail, l->description);
	r->l.unit = put_str(&tail, l->unit);
	r->l.currency = put_str(&tail, l->currency);
	r->l.basis_unit = put_str(&tail, l->basis_unit);
	r->l.manufacturer = put_str(&tail, l->manufacturer);
	r->l.origin_country = put_str(&tail, l->origin_country);
	r->l.certificates = put_str(&tail, l->certificates);
	r->part = put_str(&tail, part);
	r->src = src;                 /* a static name */
	return 0;
}

static int hand_warning(importer *im, const bid_diag *d)
{
	rec_warning *r;
	char *tail;
	size_t n;

	if (!im->q) {
		store_warning(im, d);
		return 0;
	}
	n = sizeof(*r) + str_size(d->rule) + str_size(d->msg);
	if (!(r = q_reserve(im->q, n)))
		return im->q->stop;
	r->r.kind = REC_WARNING;
	r->r.size = n;
	r->d = *d;
	tail = (char *)(r + 1);
	r->d.rule = put_str(&tail, d->rule);
	r->d.msg = put_str(&tail, d->msg);
	return 0;
}

static int warn(importer *im, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int warn(importer *im, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[512];
	bid_diag d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d.severity = BID_SEV_WARNING;
	d.pos = pos;
	d.rule = rule;
	d.msg = msg;
	return hand_warning(im, &d);
}

static int on_diag(const bid_diag *d, void *payload)
{
	importer *im = payload;

	if (d->severity == BID_SEV_WARNING)
		return hand_warning(im, d);
	return 0;
}

static int on_header(const bid_quote_header *h, void *payload)
{
	importer *im = payload;

	if (!h->supplier_id || !*h->supplier_id)
		return bid_error_set_at(&im->perr, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        h->pos.line, h->pos.col, "the quote names no supplier");
	if (h->currency && !bid_currency_is_known(h->currency))
		return bid_error_set_at(&im->perr, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        h->pos.line, h->pos.col,
		                        "unknown currency code '%s' (expected ISO 4217)", h->currency);
	snprintf(im->supplier, sizeof(im->supplier), "%s", h->supplier_id);
	snprintf(im->quote_ref, sizeof(im->quote_ref), "%s", h->quote_id ? h->quote_id : "");
	im->have_header = 1;
	return hand_header(im, h);
}

/* A value problem found by the shared line checks: the first error fails the file. */
static void on_finding(bid_severity sev, bid_pos pos, const char *rule, const char *msg,
                       void *payload)
{
	importer *im = payload;

	if (sev == BID_SEV_WARNING) {
		/* a stopped store shows at the line's hand-over */
		(void)warn(im, pos, rule, "%s", msg);
		return;
	}
	if (!im->failed++)
		bid_error_set_at(&im->perr, BID_EINVALID, BID_AREA_IMPORT, im->path, pos.line,
		                 pos.col, "%s", msg);
}

static int on_line(const bid_quote_line *l, void *payload)
{
	importer *im = payload;
	const char *part;
	const char *src = NULL, *shown = NULL;
	int rc;

	if (!im->have_header)
		return bid_error_set_at(&im->perr, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        l->pos[BID_F_LINE].line, l->pos[BID_F_LINE].col,
		                        "quote line before the quote's header (no supplier)");
	if (bid_check__line_values(l, on_finding, im) > 0)
		return BID_EINVALID;
	part = bid_round__match_part(im->round, l, &src, &shown);
	if (!part) {
		im->skipped++;
		return warn(im, l->pos[BID_F_PART], "import.part.unknown",
		            "line %s: item '%s' is not a part of round %s; line not imported",
		            l->line_id ? l->line_id : "?", shown ? shown : "(no id)",
		            im->round->info.id);
	}
	/* The buyer's own number outranks the others: a disagreement is worth a word. */
	if (l->part_ids[BID_PART_BUYER] && strcmp(l->part_ids[BID_PART_BUYER], part) != 0 &&
	    (rc = warn(im, l->pos[BID_F_PART], "import.part.mismatch",
	               "line %s: buyer's item id '%s' is not a part of round %s; matched to %s by its %s id",
	               l->line_id ? l->line_id : "?", l->part_ids[BID_PART_BUYER],
	               im->round->info.id, part, src)) < 0)
		return rc;
	if ((rc = hand_line(im, l, part, src)) < 0)
		return rc;
	/* Now and then let go of the pages the parser has passed. */
	if (++im->parsed % 4096 == 0)
		bid__file_release(im->file, im->file->len);
	return 0;
}

/* A pass that delivers no line (a format's look-ahead) lets the pages behind it go. */
static void on_progress(size_t upto, void *payload)
{
	importer *im = payload;

	bid__file_release(im->file, upto);
}

static void *parse_thread(void *payload)
{
	importer *im = payload;
	bid_import_sink sink = { 0 };

	sink.quote_header = on_header;
	sink.quote_line = on_line;
	sink.diag = on_diag;
	sink.progress = on_progress;
	sink.payload = im;
	im->parse_rc = bid_import_parse(im->file->data, im->file->len, im->stats->format, im->path,
	                                &sink, &im->perr);
	if (im->q)
		q_close(im->q);
	return NULL;
}

/*
 * The calling thread's side: every record in order into the store, until
 * the parse is done.  After a store failure the rest is read and dropped.
 * Returns 0 or the store's error code.
 */
static int store_records(importer *im)
{
	qblock *b;
	size_t off;
	int rc = 0, done = 0;

	for (;;) {
		if (!(b = q_take(im->q, im->hashed == im->file->len, &done))) {
			if (done)
				break;
			hash_some(im, 1 << 20);
			continue;
		}
		for (off = 0; rc == 0 && off < b->used; ) {
			const rec *r = (const rec *)(b->data + off);

			if (r->kind == REC_HEADER) {
				rc = store_header(im, &((const rec_header *)r)->h);
			} else if (r->kind == REC_LINE) {
				const rec_line *rl = (const rec_line *)r;
				rc = store_line(im, &rl->l, rl->part, rl->src);
			} else {
				store_warning(im, &((const rec_warning *)r)->d);
			}
			off += (r->size + _Alignof(max_align_t) - 1) & ~(_Alignof(max_align_t) - 1);
		}
		q_give(im->q, b);
		if (rc < 0 && !im->q->stop)
			q_stop(im->q, rc);
	}
	return rc;
}

/* Parse the file and store what it holds; the store's errors in im->err, the parse's in im->perr. */
static int parse_and_store(importer *im)
{
	queue q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
	            NULL, NULL, NULL, NULL, 0, 0, 0 };
	pthread_t t;
	int rc;

	bid_error_clear(&im->perr);
	im->q = &q;
	if (pthread_create(&t, NULL, parse_thread, im) != 0)
		im->q = NULL;
	if (!im->q) {
		/* one thread: the parse calls the store itself */
		parse_thread(im);
		rc = im->store_rc;           /* a failure of the store is in err already */
	} else {
		rc = store_records(im);
		pthread_join(t, NULL);
		im->q = NULL;
	}
	q_free(&q);
	pthread_cond_destroy(&q.filled);
	pthread_cond_destroy(&q.freed);
	pthread_mutex_destroy(&q.mu);
	if (rc < 0)
		return rc;
	if (im->parse_rc < 0 && im->err)
		*im->err = im->perr;
	return im->parse_rc;
}

static void record_refusal(bid_round *round, const char *path, int code, const bid_error *why)
{
	char line[24], col[24], msg[300];
	bid_error e2;

	(void)code;
	snprintf(line, sizeof(line), "%ld", why ? why->line : 0);
	snprintf(col, sizeof(col), "%ld", why ? why->col : 0);
	snprintf(msg, sizeof(msg), "%s", why ? why->msg : "refused");
	if (bid_store__begin(round->store, &e2) < 0)
		return;
	if (bid_audit__record(round->store, "document.refused", round->info.id, &e2, "name", path,
	                      "error", msg, "line", line, "col", col, (const char *)NULL) < 0 ||
	    bid_store__commit(round->store, &e2) < 0)
		bid_store__rollback(round->store);
}

int bid_import_file(bid_round *round, const char *path, const bid_import_options *opts,
                    bid_import_stats *stats_out, bid_error *err)
{
	bid_import_options def = BID_IMPORT_OPTIONS_INIT;
	bid_import_stats stats;
	bid_doc_kind kind = BID_DOC_UNKNOWN;
	importer im;
	bid_doc_row doc;
	bid_file f;
	long long existing;
	int rc;

	memset(&stats, 0, sizeof(stats));
	memset(&im, 0, sizeof(im));
	if (!opts)
		opts = &def;
	im.round = round;
	im.path = path;
	im.opts = opts;
	im.stats = &stats;
	im.err = err;
	if ((rc = bid__file_map(&f, path, err)) < 0)
		goto out;

	stats.format = bid_import_detect(f.data, f.len, &kind);
	if (kind == BID_DOC_RFQ) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "this is an RFQ, not a quote (use 'bidcmp round create')");
		goto done;
	}
	if (stats.format == BID_FORMAT_UNKNOWN) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		        "unknown format: expected UBL or cXML XML, UN/EDIFACT, X12 or a CSV bid sheet");
		goto done;
	}
	/*
	 * Parse first, store the bytes after: a hostile file fails before it
	 * is read whole, and a good one is read in one pass behind the parser.
	 */
	if ((rc = bid_store__begin(round->store, err)) < 0)
		goto done;
	doc.round_id = round->info.id;
	doc.name = path;
	doc.format = bid_format_name(stats.format);
	doc.kind = "quote";
	doc.file = &f;
	doc.sha256 = NULL;
	rc = bid_store__doc_reserve(round->store, &im.doc_id, err);
	if (rc == 0) {
		/* the rows' digest is taken as they are written, not read back */
		bid_store__import_digest_start(round->store);
		im.file = &f;
		im.sha = bid__sha256_new();
		rc = parse_and_store(&im);
		snprintf(stats.supplier, sizeof(stats.supplier), "%s", im.supplier);
		snprintf(stats.quote_id, sizeof(stats.quote_id), "%s", im.quote_ref);
		stats.skipped = im.skipped;
	}
	if (rc == 0 && !im.quote_id)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "no quote found in the file");
	if (rc == 0 && stats.lines == 0)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "no line of the quote matches a part of round %s", round->info.id);
	if (im.sha) {
		/* the rest of the document's hash, if the parse left any to do */
		while (rc == 0 && im.hashed < f.len)
			hash_some(&im, 1 << 20);
		bid__sha256_done(im.sha, stats.sha256);
		doc.sha256 = rc == 0 ? stats.sha256 : NULL;
	}
	if (rc == 0)
		rc = bid_store__doc_store(round->store, im.doc_id, &doc, stats.sha256, err);
	if (rc == 0 && bid_store__doc_find(round->store, round->info.id, stats.sha256, im.doc_id,
	                                   &existing, err) == 0)
		rc = bid_error_set_at(err, BID_EEXISTS, BID_AREA_IMPORT, path, 0, 0,
		                      "already imported into round %s as document %lld (same SHA-256)",
		                      round->info.id, existing);
	if (rc == 0) {
		char docid[24], lines[24], rows[65];
		snprintf(docid, sizeof(docid), "%lld", im.doc_id);
		snprintf(lines, sizeof(lines), "%zu", stats.lines);
		rc = bid_audit__import_rows(round->store, im.doc_id, rows, err);
		if (rc == 0)
			rc = bid_audit__record(round->store, "document.imported", round->info.id, err,
			                       "document", docid, "sha256", stats.sha256, "name", path,
			                       "format", bid_format_name(stats.format),
			                       "supplier", stats.supplier, "quote", stats.quote_id,
			                       "lines", lines, "rows", rows, (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(round->store, err);
	if (rc < 0) {
		bid_store__rollback(round->store);
		goto done;
	}
	stats.document_id = im.doc_id;
done:
	bid__file_unmap(&f);
out:
	if (err && rc < 0 && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", path);
	/* A refusal is part of the history too, in a transaction of its own. */
	if (rc < 0 && rc != BID_EIO && rc != BID_ENOMEM)
		record_refusal(round, path, rc, err);
	if (stats_out)
		*stats_out = stats;
	return rc;
}
