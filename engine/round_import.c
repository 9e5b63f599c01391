/*
 * round_import.c - importing a supplier's quote file into a round:
 * detect, parse (importers/), match each line to a part, check codes,
 * and store document, quote and lines in one transaction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

typedef struct importer {
	bid_round                *round;
	const char               *path;
	const bid_import_options *opts;
	bid_import_stats         *stats;
	bid_error                *err;
	long long                 doc_id, quote_id;
	size_t                    seq;
	int                       failed;     /* value errors seen */
	bid_file                 *file;       /* the mapped input */
} importer;

static void warn(importer *im, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void warn(importer *im, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[512];
	bid_diag d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	im->stats->warnings++;
	if (!im->opts->diag)
		return;
	d.severity = BID_SEV_WARNING;
	d.pos = pos;
	d.rule = rule;
	d.msg = msg;
	im->opts->diag(im->path, &d, im->opts->payload);
}

static int on_diag(const bid_diag *d, void *payload)
{
	importer *im = payload;

	if (d->severity == BID_SEV_WARNING) {
		im->stats->warnings++;
		if (im->opts->diag)
			im->opts->diag(im->path, d, im->opts->payload);
	}
	return 0;
}

static int on_header(const bid_quote_header *h, void *payload)
{
	importer *im = payload;
	bid_quote_row q;

	if (!h->supplier_id || !*h->supplier_id)
		return bid_error_set_at(im->err, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        h->pos.line, h->pos.col, "the quote names no supplier");
	if (h->currency && !bid_currency_is_known(h->currency))
		return bid_error_set_at(im->err, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        h->pos.line, h->pos.col,
		                        "unknown currency code '%s' (expected ISO 4217)", h->currency);
	snprintf(im->stats->supplier, sizeof(im->stats->supplier), "%s", h->supplier_id);
	snprintf(im->stats->quote_id, sizeof(im->stats->quote_id), "%s", h->quote_id ? h->quote_id : "");
	q.round_id = im->round->info.id;
	q.document_id = im->doc_id;
	q.h = h;
	return bid_store__quote_insert(im->round->store, &q, &im->quote_id, im->err);
}

/* A value problem found by the shared line checks: the first error fails the file. */
static void on_finding(bid_severity sev, bid_pos pos, const char *rule, const char *msg,
                       void *payload)
{
	importer *im = payload;

	if (sev == BID_SEV_WARNING) {
		warn(im, pos, rule, "%s", msg);
		return;
	}
	if (!im->failed++)
		bid_error_set_at(im->err, BID_EINVALID, BID_AREA_IMPORT, im->path, pos.line,
		                 pos.col, "%s", msg);
}

static int on_line(const bid_quote_line *l, void *payload)
{
	importer *im = payload;
	const char *part;
	const char *src = NULL, *shown = NULL;
	int rc;

	if (!im->quote_id)
		return bid_error_set_at(im->err, BID_EINVALID, BID_AREA_IMPORT, im->path,
		                        l->pos[BID_F_LINE].line, l->pos[BID_F_LINE].col,
		                        "quote line before the quote's header (no supplier)");
	if (bid_check__line_values(l, on_finding, im) > 0)
		return BID_EINVALID;
	part = bid_round__match_part(im->round, l, &src, &shown);
	if (!part) {
		warn(im, l->pos[BID_F_PART], "import.part.unknown",
		     "line %s: item '%s' is not a part of round %s; line not imported",
		     l->line_id ? l->line_id : "?", shown ? shown : "(no id)", im->round->info.id);
		im->stats->skipped++;
		return 0;
	}
	/* The buyer's own number outranks the others: a disagreement is worth a word. */
	if (l->part_ids[BID_PART_BUYER] && strcmp(l->part_ids[BID_PART_BUYER], part) != 0)
		warn(im, l->pos[BID_F_PART], "import.part.mismatch",
		     "line %s: buyer's item id '%s' is not a part of round %s; matched to %s by its %s id",
		     l->line_id ? l->line_id : "?", l->part_ids[BID_PART_BUYER], im->round->info.id,
		     part, src);
	if ((rc = bid_store__line_insert(im->round->store, im->quote_id, im->seq++, l,
	                                 part, src, im->err)) < 0)
		return rc;
	/* Now and then let go of the pages the parser has passed. */
	if (++im->stats->lines % 4096 == 0)
		bid__file_release(im->file, im->file->len);
	return 0;
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
	bid_import_sink sink = { 0 };
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
	rc = bid_store__doc_reserve(round->store, &im.doc_id, err);
	if (rc == 0) {
		/* the rows' digest is taken as they are written, not read back */
		bid_store__import_digest_start(round->store);
		im.file = &f;
		sink.quote_header = on_header;
		sink.quote_line = on_line;
		sink.diag = on_diag;
		sink.payload = &im;
		rc = bid_import_parse(f.data, f.len, stats.format, path, &sink, err);
	}
	if (rc == 0 && !im.quote_id)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "no quote found in the file");
	if (rc == 0 && stats.lines == 0)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "no line of the quote matches a part of round %s", round->info.id);
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
