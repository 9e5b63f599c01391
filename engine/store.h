/*
 * store.h - the store's internal interface: what the engine asks of the
 * database.  engine/store_sqlite.c implements it and is the only file
 * that knows SQL or includes sqlite3.h.
 */
#ifndef BID_STORE_INTERNAL_H
#define BID_STORE_INTERNAL_H

#include <stddef.h>
#include "internal.h"

/*
 * "As of": the highest quote, rate and policy row ids that reads may see,
 * so an award can be re-run on exactly the inputs it had (audit replay).
 * bid_store__set_asof(s, NULL) lifts the limits.
 */
typedef struct bid_asof {
	long long quotes, fx, policy, suppliers;
} bid_asof;

void bid_store__set_asof(bid_store *s, const bid_asof *a);   /* NULL: no limit */
int  bid_store__asof_now(bid_store *s, bid_asof *out, bid_error *err);

/* Transactions: one per imported document, one per award. */
int bid_store__begin(bid_store *s, bid_error *err);
int bid_store__commit(bid_store *s, bid_error *err);
void bid_store__rollback(bid_store *s);

const char *bid_store__actor(const bid_store *s);

/* Raw documents, kept byte for byte (written with incremental blob I/O). */
typedef struct bid_doc_row {
	const char *round_id;   /* may be NULL until the round row exists */
	const char *name;
	const char *format;
	const char *kind;       /* "rfq" or "quote" */
	bid_file   *file;
	const char *sha256;     /* the bytes' SHA-256 if the caller has it already, else NULL */
} bid_doc_row;

/*
 * A document's id, reserved in the current transaction for the rows that
 * will point at it; then bid_store__doc_store writes the document itself
 * (row, SHA-256 and bytes) once the parse has succeeded.
 */
int bid_store__doc_reserve(bid_store *s, long long *id_out, bid_error *err);
int bid_store__doc_store(bid_store *s, long long id, const bid_doc_row *d, char sha_out[65],
                         bid_error *err);
/* Another document of the round with these bytes (not `except`), or BID_ENOTFOUND. */
int bid_store__doc_find(bid_store *s, const char *round_id, const char *sha256,
                        long long except, long long *id_out, bid_error *err);

/* The newest document of a kind in a round, handed to cb; BID_ENOTFOUND if none. */
int bid_store__doc_latest(bid_store *s, const char *round_id, const char *kind,
                          int (*cb)(const void *data, size_t len, void *payload),
                          void *payload, bid_error *err);

/* Rounds and parts. */
int bid_store__round_insert(bid_store *s, const char *id, const char *title,
                            const char *currency, const char *rfq_id, bid_date due_date,
                            long long document_id, bid_error *err);
int bid_store__part_insert(bid_store *s, const char *round_id, size_t seq,
                           const bid_part *p, unsigned src_line, bid_error *err);
/*
 * Fill r (its arena owns the strings) and its part index; with_parts 0
 * loads the info and the index only.  BID_ENOTFOUND when absent.
 */
int bid_store__round_load(bid_store *s, const char *id, bid_round *r, int with_parts,
                          bid_error *err);
int bid_store__round_each(bid_store *s,
                          int (*cb)(const bid_round_info *info, void *payload),
                          void *payload, bid_error *err);
/* Distinct currencies of all rounds: count, and the first one. */
int bid_store__round_currencies(bid_store *s, int *n, char first[4], bid_error *err);

/* Quotes and their lines. */
typedef struct bid_quote_row {
	const char *round_id;
	long long   document_id;
	const bid_quote_header *h;
} bid_quote_row;

int bid_store__quote_insert(bid_store *s, const bid_quote_row *q,
                            long long *id_out, bid_error *err);
int bid_store__line_insert(bid_store *s, long long quote_id, size_t seq,
                           const bid_quote_line *l, const char *part,
                           const char *part_source, bid_error *err);

/* Exchange rates. */
int bid_store__fx_insert(bid_store *s, const char *base, const char *currency,
                         bid_dec rate, bid_date date, const char *source,
                         bid_error *err);
/* Latest rate on or before date; BID_ENOTFOUND when there is none. */
int bid_store__fx_lookup(bid_store *s, const char *base, const char *currency,
                         bid_date date, bid_dec *rate, bid_date *date_out,
                         bid_error *err);

/* The offers of a round: each line of each supplier's latest quote. */
typedef struct bid_offer_row {
	long long   line_id;
	long long   quote_id;
	const char *supplier;
	const char *part;
	const char *unit;           /* of qty/min/max; may be NULL */
	bid_dec     price;
	const char *currency;
	bid_dec     basis_qty;
	const char *basis_unit;     /* may be NULL */
	bid_dec     min_qty;  int has_min_qty;
	bid_dec     max_qty;  int has_max_qty;
	int32_t     lead_days; int has_lead;
	bid_date    valid_until;
	unsigned    src_line, src_col;
	/* what the landed cost needs beyond the price */
	const char *incoterm;       /* the quote's, or NULL */
	const char *origin;         /* ISO 3166 alpha-2, or NULL */
	bid_dec     defect_ppm; int has_ppm;
	int32_t     pay_days;   int has_pay_days;    /* the line's, else the quote's */
	bid_dec     discount_pct; int32_t discount_days; int has_discount;
	const char *certificates;   /* comma-separated, or NULL */
	bid_date    delivery_date;  /* promised, or BID_DATE_NONE */
	int         incremental;    /* price breaks are incremental, not all-units */
	const bid_tier *tiers;      /* price breaks (from_qty in `unit`), filled by the caller */
	size_t      ntiers;
	/* where it came from, for explanations */
	const char *doc_name;
	const char *quote_ref;
	const char *line_ref;
	unsigned    price_line, price_col;
	/* charges to spread: the line's (for its quoted quantity) and the quote's */
	bid_dec     qty;            int has_qty;          /* quoted, in `unit` */
	bid_dec     line_charges;   int has_line_charges; /* in `currency` */
	bid_dec     quote_charges;  int has_quote_charges;
	const char *quote_charges_currency;
	bid_dec     quote_value;    /* Σ qty × price ÷ basis of the quote's lines, filled by the caller; 0 = unknown */
	const char *quote_value_currency;
	/* the supplier master's word on the supplier, or NULL/absent */
	const char *master_status;      /* qualified, probation, blocked */
	const char *group;              /* parent company */
	bid_dec     master_ppm;  int has_master_ppm;
	bid_dec     master_capacity;  int has_master_capacity;
	bid_dec     master_spend_cap; int has_master_spend_cap;
	const char *manufacturer;       /* of the quoted goods, or NULL */
} bid_offer_row;

/* Every price break of the round's offers, by quote line id then quantity. */
int bid_store__tiers_each(bid_store *s, const char *round_id,
                          int (*cb)(long long line_id, const bid_tier *t, void *payload),
                          void *payload, bid_error *err);

int bid_store__offers_each(bid_store *s, const char *round_id,
                           int (*cb)(const bid_offer_row *o, void *payload),
                           void *payload, bid_error *err);

/* Awards. */
typedef struct bid_award_row {
	const char *round_id;
	const char *scenario;
	bid_date    award_date;
	int         min_vendors, max_vendors;     /* the parameters, kept as JSON */
	bid_dec     min_share_pct, max_share_pct;
	int         independence;
	bid_dec     max_spend_share_pct;
	bid_dec     bound;             /* proven lower bound (coupled), else the objective */
	long long   gap_ppm;
	long long   gap_target_ppm, time_limit_ms;   /* the coupled solve's stopping rules */
	bid_dec     objective;
	bid_dec     total;
	bid_dec     single_total;
	const char *currency;
	const char *method;
	const char *digest;
	bid_asof    asof;          /* the inputs it saw */
} bid_award_row;

/*
 * The landed cost of one unit at one price, by factor (decimals, round
 * currency, per RFQ unit; each rounded half-even to 6 places once, and
 * total = their sum exactly):
 *   goods    price ÷ basis quantity × unit factor × exchange rate
 *   charges  the line's charges ÷ its quoted quantity, plus the quote's
 *            charges spread by value (goods × charges ÷ the quote's value)
 *   freight  goods × freight % of the quote's incoterm
 *   duty     (goods + freight) × duty % of the country of origin
 *   payment  the value of paying later: goods ÷ (1 + r × days ÷ 365) − goods
 *            at the cost of capital r (simple interest), net days or the
 *            early-payment discount as the policy says; zero or negative
 *   quality  defect ppm ÷ 10^6 × cost per defect
 *   late     days late × penalty per unit per day (when the policy charges)
 */
typedef struct bid_landed {
	bid_dec goods, charges, freight, duty, payment, quality, late, total;
} bid_landed;

/* An offer as an award saw it: its landed cost and every factor of it. */
typedef struct bid_norm_row {
	long long   line_id;
	bid_dec     unit_cost;     /* landed, or 0 when ineligible */
	bid_dec     fx_num, fx_den;
	int64_t     unit_num, unit_den;
	bid_dec     min_qty, max_qty;  /* in the part's unit; max -1 = none */
	int         eligible;
	const char *reason;
	const bid_landed *landed;  /* the factors at the quoted price */
	bid_dec     freight_pct, duty_pct;
	int32_t     pay_days;
	int         took_discount;
	bid_date    arrival;
	int32_t     days_late;
	size_t      ntiers;            /* price breaks: from (RFQ units) and landed */
	const bid_dec *tier_from;
	const bid_landed *tier_cost;
} bid_norm_row;

int bid_store__award_insert(bid_store *s, const bid_award_row *a,
                            long long *id_out, bid_error *err);
int bid_store__award_offer_insert(bid_store *s, long long award_id,
                                  const bid_norm_row *n, bid_error *err);
int bid_store__award_part_insert(bid_store *s, long long award_id, size_t seq,
                                 const bid_award_part *p, bid_error *err);
/* Latest award of the scenario into res; BID_ENOTFOUND when none. */
int bid_store__award_load(bid_store *s, const char *round_id,
                          const char *scenario, bid_result *res, bid_error *err);
/* The award as JSON (built by SQLite's json functions) written to out. */
int bid_store__award_json(bid_store *s, long long award_id, FILE *out,
                          bid_error *err);

/* Distinct bases of the stored rates, sorted; at most max of them. */
/* Distinct currencies that rates are quoted for (the `currency` column). */
int bid_store__fx_quoted(bid_store *s, char (*out)[4], size_t max, size_t *n,
                         bid_error *err);
int bid_store__fx_bases(bid_store *s, char (*out)[4], size_t max, size_t *n,
                        bid_error *err);

/* Round policy: append a change; walk the keys in force (or every change). */
int bid_store__policy_insert(bid_store *s, const char *round_id, const char *key,
                             const char *value, bid_error *err);
int bid_store__policy_each(bid_store *s, const char *round_id, int history,
                           int (*cb)(const bid_policy_entry *e, void *payload),
                           void *payload, bid_error *err);

/*
 * Append an event in the current transaction: kind, round (or NULL), and
 * n key/value pairs for its JSON payload (values are strings; NULL is JSON
 * null).  The store chains it to the previous event (engine/audit.c hashes).
 */
int bid_store__event(bid_store *s, const char *kind, const char *round_id,
                     const char *const *kv, size_t n, bid_error *err);
int bid_store__events_each(bid_store *s, const char *round_id,
                           int (*cb)(const bid_event *e, void *payload),
                           void *payload, bid_error *err);
/* Every document: id, kind, sha256 and its bytes, oldest first. */
int bid_store__docs_each(bid_store *s,
                         int (*cb)(long long id, const char *kind, const char *sha,
                                   const void *data, size_t len, void *payload),
                         void *payload, bid_error *err);
/* The SQL of a trigger as stored in the schema, or NULL (ENOTFOUND). */
int bid_store__trigger_sql(bid_store *s, const char *name, char **sql_out, bid_error *err);
/* The expected trigger statements of the current schema, NULL-terminated. */
const char *const *bid_store__triggers(void);
/*
 * The digest of the rows one import writes, taken while they are written:
 * start it in the import's transaction before the quote row; after the
 * last line, bid_store__import_digest_done gives what bid_store__rows_digest
 * over audit.c's IMPORT_ROWS_SQL would give (the quote rows and price
 * breaks are read back, the lines hashed from the values bound), or
 * BID_ENOTFOUND when the rows came in an order it cannot follow (a quote
 * after lines, line ids not consecutive): then read them back.  Commit
 * and rollback drop it.
 */
void bid_store__import_digest_start(bid_store *s);
int  bid_store__import_digest_done(bid_store *s, long long document_id, char out[65],
                                   bid_error *err);

/* SHA-256 over every row of a query's result (all columns, in order). */
int bid_store__rows_digest(bid_store *s, const char *sql, long long arg, char out[65],
                           bid_error *err);

/*
 * Run a read query with an integer argument ?1 and a text argument ?2 (if
 * the SQL has them) and hand each row's columns to cb as text (NULL for
 * NULL).  For the auditor's checks and explanations.
 */
int bid_store__rows_each(bid_store *s, const char *sql, long long arg, const char *text,
                         int (*cb)(int ncol, const char *const *col, void *payload),
                         void *payload, bid_error *err);

/* One supplier master row from a stored master document. */
int bid_store__supplier_insert(bid_store *s, const bid_supplier *m, long long document_id,
                               bid_error *err);

#endif
