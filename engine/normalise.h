/*
 * normalise.h - turning one quote line into a landed unit cost per RFQ
 * unit in the round currency, with every factor kept (internal).
 */
#ifndef BID_NORMALISE_H
#define BID_NORMALISE_H

#include "store.h"

/* amount_in_to = amount_in_from × num ÷ den (num, den decimals). */
typedef struct bid_fx_factor {
	bid_dec  num, den;
	bid_date date;          /* the rate's date */
	char     how[96];       /* "DKK/EUR rate of 2026-11-20" */
} bid_fx_factor;

int bid_fx__factor(bid_store *s, const char *from, const char *to, bid_date date,
                   bid_fx_factor *out, bid_error *err);

/* A normalisation context: one round, one award date, cached rates. */
typedef struct bid_norm_ctx {
	bid_store  *store;
	const char *currency;
	bid_date    date;
	struct fx_entry {
		char          cur[4];
		int           rc;            /* 0 or BID_ENOTFOUND */
		bid_fx_factor f;
		char          why[256];
	} fx[64];
	size_t      nfx;
	bid_arena   arena;           /* owns the reasons of ineligible offers */
} bid_norm_ctx;

/* One normalised offer. */
typedef struct bid_norm {
	int           eligible;
	const char   *reason;          /* why not eligible; "" when eligible (ctx owns it) */
	bid_dec       unit_cost;       /* landed, per RFQ unit, round currency */
	bid_dec       fx_num, fx_den;  /* the exchange-rate factor used */
	int64_t       unit_num, unit_den;  /* basis units in one RFQ unit */
	bid_dec       min_qty;         /* in RFQ units, rounded up to step */
	bid_dec       max_qty;         /* in RFQ units, rounded down; -1 = none */
} bid_norm;

void bid_norm__init(bid_norm_ctx *ctx, bid_store *store, const char *currency,
                    bid_date date);
void bid_norm__free(bid_norm_ctx *ctx);

/*
 * Normalise offer o for part p.  Ineligibility is not an error: it is
 * reported in out->eligible and out->reason.  Returns < 0 only when the
 * store fails.
 */
int bid_normalise__offer(bid_norm_ctx *ctx, const bid_part *p,
                         const bid_offer_row *o, bid_norm *out, bid_error *err);

/* The quantity step of a unit: one whole unit for count units, else 10^-6. */
bid_dec bid_norm__step(const char *unit);

#endif
