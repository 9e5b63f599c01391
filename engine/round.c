/*
 * round.c - bid rounds: create one from an RFQ file (UBL or CSV), load
 * it with its parts, list them, and find a part fast by number or RFQ
 * line id.  SQL lives in the store; parsing in the importers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* ---- part index: open addressing, FNV-1a, built once per load ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Slots hold part index + 1; 0 is empty. */
static void index_put(size_t *slots, size_t nslots, const char *key, size_t i)
{
	size_t j = (size_t)hash_str(key) & (nslots - 1);

	while (slots[j])
		j = (j + 1) & (nslots - 1);
	slots[j] = i + 1;
}

static void build_index(bid_round *r)
{
	size_t i;

	r->nslots = 16;
	while (r->nslots < 2 * r->nparts + 1)
		r->nslots *= 2;
	r->by_part = bid__calloc(r->nslots, sizeof(size_t));
	r->by_line = bid__calloc(r->nslots, sizeof(size_t));
	for (i = 0; i < r->nparts; i++) {
		index_put(r->by_part, r->nslots, r->parts[i].part, i);
		if (r->parts[i].line_id)
			index_put(r->by_line, r->nslots, r->parts[i].line_id, i);
	}
}

static const bid_part *index_get(const bid_round *r, const size_t *slots,
                                 const char *key, int by_line)
{
	size_t j;

	if (!key || !slots)
		return NULL;
	for (j = (size_t)hash_str(key) & (r->nslots - 1); slots[j]; j = (j + 1) & (r->nslots - 1)) {
		const bid_part *p = &r->parts[slots[j] - 1];
		const char *k = by_line ? p->line_id : p->part;
		if (k && strcmp(k, key) == 0)
			return p;
	}
	return NULL;
}

const bid_part *bid_round__find_part(const bid_round *r, const char *part)
{
	return index_get(r, r->by_part, part, 0);
}

const bid_part *bid_round__find_line(const bid_round *r, const char *line_id)
{
	return index_get(r, r->by_line, line_id, 1);
}

/* ---- matching quote lines to parts ---- */

/* The order in which a line's identifiers are tried against the round. */
static const struct {
	bid_part_src src;
	const char  *name;
	int          by_line;     /* match the RFQ line id, not the part number */
} match_order[] = {
	{ BID_PART_BUYER,        "buyer",        0 },
	{ BID_PART_RFQ_LINE,     "rfq-line",     1 },
	{ BID_PART_SELLER,       "seller",       0 },
	{ BID_PART_MANUFACTURER, "manufacturer", 0 },
	{ BID_PART_STANDARD,     "standard",     0 },
	{ BID_PART_LINE_ITEM,    "line-item",    0 },
};

const bid_part *bid_round__match(const bid_round *r, const bid_quote_line *l,
                                 const char **src, const char **shown)
{
	size_t i, n = sizeof(match_order) / sizeof(match_order[0]);

	*src = *shown = NULL;
	for (i = 0; i < n; i++) {
		const char *key = l->part_ids[match_order[i].src];
		const bid_part *p;

		if (!key)
			continue;
		if (!*shown)
			*shown = key;
		p = match_order[i].by_line ? bid_round__find_line(r, key) : bid_round__find_part(r, key);
		if (p) {
			*src = match_order[i].name;
			return p;
		}
	}
	return NULL;
}

/* ---- creating a round from an RFQ ---- */

typedef struct rfq_reader {
	bid_arena      arena;
	const char    *path;
	bid_rfq_header h;
	int            have_header;
	bid_part      *parts;
	bid_pos       *pos;
	size_t         nparts, cap;
	bid_error     *err;
} rfq_reader;

static int on_rfq_header(const bid_rfq_header *h, void *payload)
{
	rfq_reader *rd = payload;

	rd->h = *h;
	rd->h.rfq_id = bid__arena_strdup(&rd->arena, h->rfq_id);
	rd->h.title = bid__arena_strdup(&rd->arena, h->title);
	rd->h.currency = bid__arena_strdup(&rd->arena, h->currency);
	rd->have_header = 1;
	return 0;
}

static int on_rfq_line(const bid_rfq_line *l, void *payload)
{
	rfq_reader *rd = payload;
	const bid_unit *u;
	bid_part *p;

	/* The engine's own checks: the parser knows syntax, we know units. */
	if (!l->part || !*l->part)
		return bid_error_set_at(rd->err, BID_EINVALID, BID_AREA_IMPORT, rd->path,
		                        l->pos.line, l->pos.col, "RFQ line has no part number");
	if (l->qty <= 0)
		return bid_error_set_at(rd->err, BID_EINVALID, BID_AREA_IMPORT, rd->path,
		                        l->pos.line, l->pos.col,
		                        "part '%s': quantity must be positive", l->part);
	if (!l->unit || !(u = bid_unit_lookup(l->unit)))
		return bid_error_set_at(rd->err, BID_EINVALID, BID_AREA_IMPORT, rd->path,
		                        l->pos.line, l->pos.col,
		                        "part '%s': unknown unit code '%s' (expected a UN/ECE Rec 20 code such as C62, KGM, MTR)",
		                        l->part, l->unit ? l->unit : "");
	if (u->dim == BID_DIM_COUNT && l->qty % BID_DEC_SCALE != 0)
		return bid_error_set_at(rd->err, BID_EINVALID, BID_AREA_IMPORT, rd->path,
		                        l->pos.line, l->pos.col,
		                        "part '%s': %s counts whole units, but the quantity is not whole",
		                        l->part, l->unit);
	if (rd->nparts == rd->cap) {
		rd->cap = rd->cap ? 2 * rd->cap : 64;
		rd->parts = bid__realloc(rd->parts, rd->cap * sizeof(*rd->parts));
		rd->pos = bid__realloc(rd->pos, rd->cap * sizeof(*rd->pos));
	}
	p = &rd->parts[rd->nparts];
	p->part = bid__arena_strdup(&rd->arena, l->part);
	p->line_id = bid__arena_strdup(&rd->arena, l->line_id);
	p->description = bid__arena_strdup(&rd->arena, l->description);
	p->qty = l->qty;
	p->unit = bid__arena_strdup(&rd->arena, u->code);
	p->need_by = l->need_by;
	rd->pos[rd->nparts++] = l->pos;
	return 0;
}

/* Round ids appear in commands and file names: keep them plain. */
static int valid_id(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static int count_rounds(const bid_round_info *info, void *payload)
{
	(void)info;
	++*(size_t *)payload;
	return 0;
}

int bid_round_create(bid_round **out, bid_store *store, const char *path,
                     const bid_round_options *opts, bid_error *err)
{
	bid_round_options def = BID_ROUND_OPTIONS_INIT;
	bid_import_sink sink = { 0 };
	rfq_reader rd;
	bid_file f;
	bid_doc_kind kind = BID_DOC_UNKNOWN;
	bid_format fmt;
	const char *currency, *id;
	char idbuf[32], sha[65];
	long long doc_id;
	size_t i;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &def;
	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	rd.err = err;
	if ((rc = bid__file_map(&f, path, err)) < 0)
		return rc;

	fmt = bid_import_detect(f.data, f.len, &kind);
	if (kind != BID_DOC_RFQ) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		        "not an RFQ: expected a UBL RequestForQuotation or a CSV with header "
		        "part,description,quantity,unit,need_by (found %s%s)",
		        fmt == BID_FORMAT_UNKNOWN ? "an unknown format" : bid_format_name(fmt),
		        kind == BID_DOC_QUOTE ? " quote" : "");
		goto done;
	}
	sink.rfq_header = on_rfq_header;
	sink.rfq_line = on_rfq_line;
	sink.payload = &rd;
	if ((rc = bid_import_parse(f.data, f.len, fmt, path, &sink, err)) < 0)
		goto done;
	if (rd.nparts == 0) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "the RFQ has no lines");
		goto done;
	}
	/* The RFQ's pricing currency decides; --currency fills in or must agree. */
	currency = rd.h.currency && *rd.h.currency ? rd.h.currency : opts->currency;
	if (!currency) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                      "the RFQ names no pricing currency: give --currency");
		goto done;
	}
	if (opts->currency && strcmp(opts->currency, currency) != 0) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                   "the RFQ prices in %s but --currency says %s", currency, opts->currency);
		goto done;
	}
	if (!bid_currency_is_known(currency)) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                   "unknown currency code '%s' (expected ISO 4217, e.g. EUR)", currency);
		goto done;
	}

	id = opts->id ? opts->id : rd.h.rfq_id;
	if (!id) {
		size_t n = 0;
		if ((rc = bid_store__round_each(store, count_rounds, &n, err)) < 0)
			goto done;
		snprintf(idbuf, sizeof(idbuf), "R%zu", n + 1);
		id = idbuf;
	}
	if (!valid_id(id)) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                   "round id '%s' must be 1-64 letters, digits, '-', '_' or '.'%s", id,
		                   opts->id ? "" : " (give --id)");
		goto done;
	}

	for (i = 0; i < rd.nparts; i++)
		if (rd.parts[i].need_by == BID_DATE_NONE)
			rd.parts[i].need_by = rd.h.need_by;

	if ((rc = bid_store__begin(store, err)) < 0)
		goto done;
	{
		bid_doc_row d = { id, path, bid_format_name(fmt), "rfq", &f };
		rc = bid_store__doc_reserve(store, &doc_id, err);
		if (rc == 0)
			rc = bid_store__doc_store(store, doc_id, &d, sha, err);
	}
	if (rc == 0)
		rc = bid_store__round_insert(store, id, rd.h.title, currency, rd.h.rfq_id, rd.h.due_date,
		                             doc_id, err);
	for (i = 0; rc == 0 && i < rd.nparts; i++) {
		rc = bid_store__part_insert(store, id, i, &rd.parts[i], rd.pos[i].line, err);
		/* A part requested twice would make quotes ambiguous: say where. */
		if (rc == BID_EINVALID && err) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			err->line = rd.pos[i].line;
			err->col = rd.pos[i].col;
			err->area = BID_AREA_IMPORT;
		}
	}
	if (rc == 0) {
		char docs[24], nparts[24];
		snprintf(docs, sizeof(docs), "%lld", doc_id);
		snprintf(nparts, sizeof(nparts), "%zu", rd.nparts);
		rc = bid_audit__record(store, "round.created", id, err, "round", id,
		                       "document", docs, "sha256", sha, "name", path,
		                       "format", bid_format_name(fmt), "currency", currency,
		                       "title", rd.h.title, "parts", nparts, (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(store, err);
	if (rc < 0) {
		bid_store__rollback(store);
		goto done;
	}
	rc = bid_round_open(out, store, id, err);
done:
	bid__file_unmap(&f);
	bid__arena_free(&rd.arena);
	free(rd.parts);
	free(rd.pos);
	return rc;
}

int bid_round_open(bid_round **out, bid_store *store, const char *id, bid_error *err)
{
	bid_round *r = bid__calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	r->store = store;
	if ((rc = bid_store__round_load(store, id, r, err)) < 0) {
		bid_round_free(r);
		return rc;
	}
	build_index(r);
	*out = r;
	return 0;
}

void bid_round_free(bid_round *r)
{
	if (!r)
		return;
	bid__arena_free(&r->arena);
	free(r->parts);
	free(r->by_part);
	free(r->by_line);
	free(r);
}

const bid_round_info *bid_round_info_of(const bid_round *r)
{
	return &r->info;
}

size_t bid_round_part_count(const bid_round *r)
{
	return r->nparts;
}

const bid_part *bid_round_part_at(const bid_round *r, size_t i)
{
	return i < r->nparts ? &r->parts[i] : NULL;
}

int bid_round_list(bid_store *store,
                   int (*cb)(const bid_round_info *info, void *payload),
                   void *payload, bid_error *err)
{
	return bid_store__round_each(store, cb, payload, err);
}
