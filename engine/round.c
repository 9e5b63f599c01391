/*
 * round.c - bid rounds: create one from an RFQ file (UBL or CSV), load
 * it with its parts, list them, and find a part fast by number or RFQ
 * line id.  SQL lives in the store; parsing in the importers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/*
 * ---- part index ----
 * Part numbers and RFQ line ids, back to back in one string buffer (each
 * part's number, then its line id or ""), each part's unit as a 16-bit
 * index into the round's few distinct units, and two open-addressing tables
 * (FNV-1a, linear probing, load at most 2/3) of 32-bit part indexes over
 * them: 12 to 20 bytes a part besides the strings, so a round opened only
 * to take quotes (bid_round_open_for_import) stays small however many
 * parts it has.
 */

#define NO_KEY UINT32_MAX

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint32_t key_add(bid_part_index *x, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off;

	if (x->nkeys + n > NO_KEY) {
		fprintf(stderr, "bid: fatal: part index larger than 4 GiB\n");
		abort();
	}
	if (x->nkeys + n > x->capkeys) {
		while (x->nkeys + n > x->capkeys)
			x->capkeys = x->capkeys ? 2 * x->capkeys : 4096;
		x->keys = bid__realloc(x->keys, x->capkeys);
	}
	off = (uint32_t)x->nkeys;
	memcpy(x->keys + off, s, n);
	x->nkeys += n;
	return off;
}

/* Part i's number, or its RFQ line id ("" when it has none): the line id
 * follows the number in keys. */
static const char *key_of(const bid_part_index *x, size_t i, int by_line)
{
	const char *k = x->keys + x->part_key[i];

	return by_line ? k + strlen(k) + 1 : k;
}

/* The place of a unit code among the round's units, added when new. */
static uint16_t unit_place(bid_part_index *x, const char *unit)
{
	size_t i;

	if (x->nunits && strcmp(x->keys + x->unit_key[x->last_unit], unit) == 0)
		return (uint16_t)x->last_unit;
	for (i = 0; i < x->nunits && strcmp(x->keys + x->unit_key[i], unit) != 0; i++)
		;
	if (i == x->nunits) {
		if (x->nunits == UINT16_MAX) {
			fprintf(stderr, "bid: fatal: more than 65535 units in a round\n");
			abort();
		}
		if (x->nunits % 16 == 0)
			x->unit_key = bid__realloc(x->unit_key, (x->nunits + 16) * sizeof(uint32_t));
		x->unit_key[x->nunits++] = key_add(x, unit);
	}
	x->last_unit = i;
	return (uint16_t)i;
}

/* Where a key falls in a table (nslots is a power of two). */
static size_t home_of(const bid_part_index *x, const char *key)
{
	return (size_t)hash_str(key) & (x->nslots - 1);
}

/* The slot of key in a table: where it is, or the empty slot it would take. */
static size_t slot_of(const bid_part_index *x, const uint32_t *slots, int by_line,
                      const char *key)
{
	size_t j = home_of(x, key);

	while (slots[j] && strcmp(key_of(x, slots[j] - 1, by_line), key) != 0)
		j = (j + 1) & (x->nslots - 1);
	return j;
}

/* Put part i into both tables (a number or line id given twice keeps the
 * first added, and of line ids the one first in the RFQ). */
static void index_put(bid_part_index *x, size_t i)
{
	const char *line = key_of(x, i, 1);
	size_t j = slot_of(x, x->by_part, 0, key_of(x, i, 0));

	if (!x->by_part[j])
		x->by_part[j] = (uint32_t)i + 1;
	if (*line) {
		j = slot_of(x, x->by_line, 1, line);
		if (!x->by_line[j] || x->seq[x->by_line[j] - 1] > x->seq[i])
			x->by_line[j] = (uint32_t)i + 1;
	}
}

/* Size the tables for n parts (load at most 2/3) and fill them again. */
static void index_rehash(bid_part_index *x, size_t n)
{
	size_t i;

	x->nslots = 16;
	while (x->nslots < n + n / 2 + 1)
		x->nslots *= 2;
	free(x->by_part);
	free(x->by_line);
	x->by_part = bid__calloc(x->nslots, sizeof(uint32_t));
	x->by_line = bid__calloc(x->nslots, sizeof(uint32_t));
	for (i = 0; i < x->n; i++)
		index_put(x, i);
}

void bid_round__index_init(bid_round *r, size_t expect)
{
	bid_part_index *x = &r->index;

	x->cap = expect ? expect : 16;
	x->part_key = bid__malloc(x->cap * sizeof(uint32_t));
	x->seq = bid__malloc(x->cap * sizeof(uint32_t));
	x->unit_of = bid__malloc(x->cap * sizeof(uint16_t));
	index_rehash(x, x->cap);
}

/*
 * Part i (the i-th added) with its number, line id (or NULL) and RFQ
 * sequence: parts may come in any order; a line id given twice keeps the
 * part first in the RFQ, a part number the first added.
 */
void bid_round__index_add(bid_round *r, const char *part, const char *line_id, const char *unit,
                          size_t seq)
{
	bid_part_index *x = &r->index;
	size_t i = x->n;

	if (x->n == x->cap) {
		x->cap *= 2;
		x->part_key = bid__realloc(x->part_key, x->cap * sizeof(uint32_t));
		x->seq = bid__realloc(x->seq, x->cap * sizeof(uint32_t));
		x->unit_of = bid__realloc(x->unit_of, x->cap * sizeof(uint16_t));
	}
	x->part_key[i] = key_add(x, part);
	key_add(x, line_id ? line_id : "");
	x->unit_of[i] = unit_place(x, unit ? unit : "");
	x->seq[i] = seq > NO_KEY - 1 ? NO_KEY - 1 : (uint32_t)seq;
	x->n++;
	if (x->n + x->n / 2 + 1 > x->nslots)
		index_rehash(x, x->n);
	else
		index_put(x, i);
}

static void index_free(bid_part_index *x)
{
	free(x->keys);
	free(x->part_key);
	free(x->seq);
	free(x->unit_of);
	free(x->unit_key);
	free(x->by_part);
	free(x->by_line);
	memset(x, 0, sizeof(*x));
}

/* The index (as added) of the part with this number or line id, or -1. */
static long index_get(const bid_round *r, const char *key, int by_line)
{
	const bid_part_index *x = &r->index;
	const uint32_t *slots = by_line ? x->by_line : x->by_part;
	size_t j;

	if (!key || !slots)
		return -1;
	if (!*key)
		return -1;    /* "" stands for "no line id" in the index */
	j = slot_of(x, slots, by_line, key);
	return slots[j] ? (long)slots[j] - 1 : -1;
}

const bid_part *bid_round__find_part(const bid_round *r, const char *part)
{
	long i = index_get(r, part, 0);
	return i >= 0 && r->parts ? &r->parts[i] : NULL;
}

const bid_part *bid_round__find_line(const bid_round *r, const char *line_id)
{
	long i = index_get(r, line_id, 1);
	return i >= 0 && r->parts ? &r->parts[i] : NULL;
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

/* The index of the part a line matches, or -1 (see bid_round__match). */
static long match_index(const bid_round *r, const bid_quote_line *l,
                        const char **src, const char **shown)
{
	size_t i, n = sizeof(match_order) / sizeof(match_order[0]);

	*src = *shown = NULL;
	for (i = 0; i < n; i++) {
		const char *key = l->part_ids[match_order[i].src];
		long p;

		if (!key)
			continue;
		if (!*shown)
			*shown = key;
		if ((p = index_get(r, key, match_order[i].by_line)) >= 0) {
			*src = match_order[i].name;
			return p;
		}
	}
	return -1;
}

const bid_part *bid_round__match(const bid_round *r, const bid_quote_line *l,
                                 const char **src, const char **shown)
{
	long i = match_index(r, l, src, shown);

	if (i < 0 || !r->parts) {
		*src = NULL;
		return NULL;
	}
	return &r->parts[i];
}

const char *bid_round__match_part(const bid_round *r, const bid_quote_line *l,
                                  const char **src, const char **shown)
{
	long i = match_index(r, l, src, shown);

	return i < 0 ? NULL : key_of(&r->index, (size_t)i, 0);
}

long bid_round__match_at(const bid_round *r, const bid_quote_line *l, const char **src,
                         const char **shown)
{
	return match_index(r, l, src, shown);
}

const char *bid_round__part_at(const bid_round *r, long i, const char **unit)
{
	if (unit)
		*unit = r->index.keys + r->index.unit_key[r->index.unit_of[i]];
	return key_of(&r->index, (size_t)i, 0);
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
		bid_doc_row d = { id, path, bid_format_name(fmt), "rfq", &f, NULL };
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

static int round_open(bid_round **out, bid_store *store, const char *id, int with_parts,
                      bid_error *err)
{
	bid_round *r = bid__calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	r->store = store;
	if ((rc = bid_store__round_load(store, id, r, with_parts, err)) < 0) {
		bid_round_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int bid_round_open(bid_round **out, bid_store *store, const char *id, bid_error *err)
{
	return round_open(out, store, id, 1, err);
}

int bid_round_open_for_import(bid_round **out, bid_store *store, const char *id,
                              bid_error *err)
{
	return round_open(out, store, id, 0, err);
}

void bid_round_free(bid_round *r)
{
	if (!r)
		return;
	bid__arena_free(&r->arena);
	free(r->parts);
	index_free(&r->index);
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
