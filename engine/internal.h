/*
 * internal.h - what engine files share and the public API hides: the
 * round and result structs, a string arena, allocation that aborts on
 * out-of-memory (Redis style: no caller checks for NULL), and hashing.
 * Never included by importers/ or cli/.
 */
#ifndef BID_INTERNAL_H
#define BID_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bidcmp/bidcmp.h"

#define BID_ENGINE_VERSION "bidcmp " BIDCMP_VERSION

/* Allocation: abort with a message when memory runs out. */
void *bid__malloc(size_t n);
void *bid__calloc(size_t n, size_t size);
void *bid__realloc(void *p, size_t n);
char *bid__strdup(const char *s);          /* NULL stays NULL */

/*
 * An arena of strings and small objects freed all at once: rounds and
 * results own one, so the borrowed pointers they hand out live exactly
 * as long as they do.
 */
typedef struct bid_arena {
	struct bid_arena_block *head;
} bid_arena;

void *bid__arena_alloc(bid_arena *a, size_t n);
char *bid__arena_strdup(bid_arena *a, const char *s);   /* NULL stays NULL */
void  bid__arena_free(bid_arena *a);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (buf >= 21 bytes). */
char *bid__utc_now(char *buf, size_t size);

/* The acting user: the store's actor option, else $USER, else "unknown". */
const char *bid__default_actor(void);

/* SHA-256 of a buffer as 64 lower-case hex digits plus NUL. */
void bid__sha256_hex(const void *data, size_t len, char out[65]);

/* Incremental SHA-256, for digests over many pieces. */
typedef struct bid_sha256 bid_sha256;
bid_sha256 *bid__sha256_new(void);
void        bid__sha256_add(bid_sha256 *h, const void *data, size_t len);
void        bid__sha256_addf(bid_sha256 *h, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Fixed-width little-endian integer; length-prefixed string (NULL allowed). */
void        bid__sha256_add_i64(bid_sha256 *h, int64_t v);
void        bid__sha256_add_str(bid_sha256 *h, const char *s);
void        bid__sha256_done(bid_sha256 *h, char out[65]);   /* frees h */

/*
 * A file mapped read-only into memory (mmap), so that a large quote is
 * paged in as the parser and the blob writer walk it, never copied whole.
 */
typedef struct bid_file {
	const char *data;
	size_t      len;
} bid_file;

int  bid__file_map(bid_file *f, const char *path, bid_error *err);
void bid__file_unmap(bid_file *f);
/*
 * Let go of the mapped pages before `upto` (they come back from the page
 * cache if touched again).  Keeps a long sequential pass over a large
 * file from holding all of it in the process's memory.
 */
void bid__file_release(bid_file *f, size_t upto);

/* The hash of an event over its fields and the previous hash (audit.c). */
void bid_audit__hash(long long seq, const char *at, const char *actor, const char *kind,
                     const char *round_id, const char *payload, const char *prev,
                     char out[65]);

/*
 * Record an event in the current transaction: key, value, ... pairs
 * (strings; a NULL value is JSON null), ended by a NULL key.
 */
int bid_audit__record(bid_store *s, const char *kind, const char *round_id, bid_error *err, ...);

/* The digest of the rows an import / an award wrote (audit.c). */
int bid_audit__import_rows(bid_store *s, long long document_id, char out[65], bid_error *err);
int bid_audit__award_rows(bid_store *s, long long award_id, char out[65], bid_error *err);

/*
 * The index of a round's part numbers and RFQ line ids (round.c): the
 * strings back to back, and open-addressing tables of part index + 1.
 */
typedef struct bid_part_index {
	char     *keys;
	size_t    nkeys, capkeys;
	uint32_t *part_key;             /* per part: offset in keys of its number; its
	                                   line id (or "") follows */
	uint32_t *seq;                  /* per part: its place in the RFQ */
	uint16_t *unit_of;              /* per part: its unit's place in unit_key */
	uint32_t *unit_key;             /* the round's distinct units: offsets in keys */
	size_t    nunits, last_unit;
	uint32_t *by_part, *by_line;
	size_t    nslots, n, cap;
} bid_part_index;

/* A round in memory. */
struct bid_round {
	bid_store      *store;
	bid_arena       arena;
	bid_round_info  info;
	bid_part       *parts;      /* NULL when opened for import only */
	size_t          nparts;
	bid_part_index  index;      /* parts[i] is the i-th added when parts is not NULL */
};

/*
 * Build the part index while a round loads: init for about `expect`
 * parts, then add each (the store calls these from bid_store__round_load).
 */
void bid_round__index_init(bid_round *r, size_t expect);
void bid_round__index_add(bid_round *r, const char *part, const char *line_id, const char *unit,
                          size_t seq);

/*
 * Match a quote line to a part of the round by its identifiers, in the
 * documented order (buyer, RFQ line, seller, manufacturer, standard,
 * line item).  *src names the identifier that matched; *shown the first
 * identifier the line has (for messages).  NULL when nothing matches.
 */
const bid_part *bid_round__match(const bid_round *r, const bid_quote_line *l,
                                 const char **src, const char **shown);

/* A finding of a check: severity, position, rule id, one-line message. */
typedef void (*bid_finding_fn)(bid_severity sev, bid_pos pos, const char *rule,
                               const char *msg, void *payload);

/*
 * The value checks every quote line gets, on import and in `check`:
 * currency known, price and quantities positive, unit codes known, tiers
 * increasing.  Calls found() per problem; returns the number of errors.
 */
int bid_check__line_values(const bid_quote_line *l, bid_finding_fn found, void *payload);

/*
 * The same match, giving the matched part's number: works on a round
 * opened for import only (bid_round__match needs the parts).
 */
const char *bid_round__match_part(const bid_round *r, const bid_quote_line *l,
                                  const char **src, const char **shown);

/*
 * The same match as the part's place in the index (-1: none), and the
 * number and unit of the part at a place: both work on a round opened for
 * import only.  With its parts loaded, place i is r->parts[i].
 */
long bid_round__match_at(const bid_round *r, const bid_quote_line *l, const char **src,
                         const char **shown);
const char *bid_round__part_at(const bid_round *r, long i, const char **unit);

/* Find a part of the round by part number or RFQ line id; NULL if none. */
const bid_part *bid_round__find_part(const bid_round *r, const char *part);
const bid_part *bid_round__find_line(const bid_round *r, const char *line_id);

/* An award in memory. */
struct bid_result {
	bid_arena       arena;
	long long       id;
	const char     *scenario;
	const char     *currency;
	const char     *digest;
	bid_date        award_date;
	bid_award_part *parts;
	size_t          nparts;
	bid_dec         total;
	bid_dec         single_total;
	const char     *method;
	bid_dec         objective, bound;
	long long       gap_ppm;
};

#endif
