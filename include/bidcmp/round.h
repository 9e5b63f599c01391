/*
 * bidcmp/round.h - a bid round: created from an RFQ, it holds the parts
 * the buyer wants, the quotes imported into it, and the rates that
 * convert them.  Also the import of a quote file into a round.
 */
#ifndef BIDCMP_ROUND_H
#define BIDCMP_ROUND_H

#include <stddef.h>
#include "error.h"
#include "money.h"
#include "import.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bid_round bid_round;

/** Options for bid_round_create. */
typedef struct bid_round_options {
	unsigned    version;   /* BID_ROUND_OPTIONS_VERSION */
	const char *id;        /* round id; NULL = the RFQ's id, else generated */
	const char *currency;  /* round currency when the RFQ names none */
} bid_round_options;

#define BID_ROUND_OPTIONS_VERSION 1
#define BID_ROUND_OPTIONS_INIT { BID_ROUND_OPTIONS_VERSION, NULL, NULL }

/** What a round is; strings borrowed from the round handle. */
typedef struct bid_round_info {
	const char *id;
	const char *title;
	const char *currency;
	const char *rfq_id;       /* the RFQ document's own id, or NULL */
	const char *created_at;   /* UTC, ISO 8601 */
	size_t      nparts;
	size_t      nquotes;      /* quote documents imported */
	size_t      nawards;      /* award runs stored */
} bid_round_info;

/** One part the buyer asks for. */
typedef struct bid_part {
	const char *part;         /* the buyer's part number */
	const char *line_id;      /* the RFQ line id, or NULL */
	const char *description;  /* or NULL */
	bid_dec     qty;          /* demand, in unit */
	const char *unit;         /* Rec 20 code */
	bid_date    need_by;      /* or BID_DATE_NONE */
} bid_part;

/**
 * Create a round from an RFQ file: a UBL RequestForQuotation or a CSV
 * with header part,description,quantity,unit,need_by.  The RFQ document
 * is stored byte for byte.  All of it is written or none.
 *
 * @return 0; BID_EINVALID for a bad file (position in err), BID_EEXISTS
 *         when the id is taken, BID_EIO
 */
int bid_round_create(bid_round **out, bid_store *store, const char *path,
                     const bid_round_options *opts, bid_error *err);

/** Load a round by id.  @return 0 or BID_ENOTFOUND */
int bid_round_open(bid_round **out, bid_store *store, const char *id,
                   bid_error *err);

/**
 * Load a round to import quotes into (bid_import_file): its description
 * and an index of its part numbers and RFQ line ids, not the parts
 * themselves, so that a round of a million parts takes tens of
 * megabytes.  Such a handle has no parts (bid_round_part_count is 0) and
 * serves bid_import_file and bid_check_file without preview only.
 * @return 0 or BID_ENOTFOUND
 */
int bid_round_open_for_import(bid_round **out, bid_store *store, const char *id,
                              bid_error *err);

/** Release a round handle.  NULL is a no-op. */
void bid_round_free(bid_round *round);

/** The round's description; valid while the round handle lives. */
const bid_round_info *bid_round_info_of(const bid_round *round);

/** Number of parts, and part i (borrowed) in RFQ order. */
size_t          bid_round_part_count(const bid_round *round);
const bid_part *bid_round_part_at(const bid_round *round, size_t i);

/**
 * Call cb for each round, oldest first.  A non-zero return from cb stops
 * the walk and is returned.
 */
int bid_round_list(bid_store *store,
                   int (*cb)(const bid_round_info *info, void *payload),
                   void *payload, bid_error *err);

/** Options for bid_import_file. */
typedef struct bid_import_options {
	unsigned version;  /* BID_IMPORT_OPTIONS_VERSION */
	/* warnings (and the error) found in the file; file is the path */
	void (*diag)(const char *file, const bid_diag *d, void *payload);
	void *payload;
} bid_import_options;

#define BID_IMPORT_OPTIONS_VERSION 1
#define BID_IMPORT_OPTIONS_INIT { BID_IMPORT_OPTIONS_VERSION, NULL, NULL }

/** What one import did. */
typedef struct bid_import_stats {
	bid_format format;
	long long  document_id;
	char       supplier[128];
	char       quote_id[128];
	char       sha256[65];
	size_t     lines;          /* lines stored */
	size_t     skipped;        /* lines not matched to a part (warned) */
	size_t     warnings;
} bid_import_stats;

/**
 * Import one quote file into a round: detect the format, parse, match
 * each line to a part, and store the document, the quote and its lines
 * in one transaction.  On any error nothing is stored.
 *
 * @return 0; BID_EINVALID for a bad file (err has file, line, col);
 *         BID_EEXISTS when the same bytes were imported already; BID_EIO
 */
int bid_import_file(bid_round *round, const char *path,
                    const bid_import_options *opts,
                    bid_import_stats *stats_out, bid_error *err);

/**
 * Record an exchange rate: one unit of `currency` buys `rate` units of
 * `base`, from `date` on (BID_DATE_NONE = today), said by `source`.
 * @return 0, BID_EINVALID for an unknown currency or a rate <= 0
 */
int bid_fx_set(bid_store *store, const char *base, const char *currency,
               bid_dec rate, bid_date date, const char *source, bid_error *err);

/**
 * Import a file of exchange rates (see bid_import_rates: ECB XML or CSV,
 * or date,base,currency,rate CSV) in one transaction: all or none.  Each
 * rate's source names the file.
 * @return 0, BID_EINVALID (position in err), BID_EIO
 */
int bid_fx_import(bid_store *store, const char *path, size_t *count_out, bid_error *err);

/**
 * Import the supplier master (see bid_import_suppliers for the CSV): the
 * file is stored, each row added; the newest row per supplier is in force
 * for later awards.  Blocked suppliers are ineligible; a supplier's
 * defect history stands in where its quote states none; suppliers of one
 * group count as one source.  All or nothing.
 * @return 0, BID_EINVALID (position in err), BID_EIO
 */
int bid_supplier_import(bid_store *store, const char *path, size_t *count_out, bid_error *err);

/**
 * The currency shared by every round in the store (what `fx set` means
 * by "the round currency"), copied into buf (4 bytes).
 * @return 0, BID_ENOTFOUND when there is no round, BID_EINVALID when the
 *         rounds use several currencies
 */
int bid_store_round_currency(bid_store *store, char buf[4], bid_error *err);

#ifdef __cplusplus
}
#endif
#endif
