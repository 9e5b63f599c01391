/*
 * normalise.h - turning one quote line into a landed cost per RFQ unit in
 * the round currency, factor by factor, with every factor kept so that
 * any number can be explained (internal).
 */
#ifndef BID_NORMALISE_H
#define BID_NORMALISE_H

#include "policy.h"
#include "store.h"

/* amount_in_to = amount_in_from × num ÷ den (num, den decimals). */
typedef struct bid_fx_factor {
	bid_dec  num, den;
	bid_date date;          /* the rate's date */
	char     how[96];       /* "DKK/EUR rate of 2026-11-20" */
} bid_fx_factor;

int bid_fx__factor(bid_store *s, const char *from, const char *to, bid_date date,
                   bid_fx_factor *out, bid_error *err);

/* A normalisation context: one round, its policy, one award date, cached rates. */
typedef struct bid_norm_ctx {
	bid_store  *store;
	const char *currency;
	bid_date    date;
	bid_policy  policy;
	struct fx_entry {
		char          cur[4];
		int           rc;            /* 0 or BID_ENOTFOUND */
		bid_fx_factor f;
		char          why[256];
	} fx[64];
	size_t      nfx;
	bid_arena   arena;           /* owns reasons and tier arrays */
} bid_norm_ctx;

/* bid_landed, the landed cost by factor, is in store.h: the store keeps it. */

/* One normalised offer. */
typedef struct bid_norm {
	int           eligible;
	const char   *reason;          /* why not eligible; "" when eligible (ctx owns it) */
	bid_dec       unit_cost;       /* landed.total at the quoted price */
	bid_landed    landed;          /* at the quoted price (first tier) */
	bid_dec       fx_num, fx_den;  /* the exchange-rate factor used */
	int64_t       unit_num, unit_den;  /* basis units in one RFQ unit */
	bid_dec       min_qty;         /* in RFQ units, rounded up to step */
	bid_dec       max_qty;         /* in RFQ units, rounded down; -1 = none */
	/* the factors' inputs, for explaining */
	bid_dec       freight_pct, duty_pct;
	bid_dec       charge_unit;     /* line charges per RFQ unit, round currency */
	int64_t       qc_num[4], qc_den[3];  /* quote charges ÷ quote value, as a ratio (0 = none) */
	int32_t       pay_days;        /* days of credit valued */
	int           took_discount;   /* the early-payment discount was valued */
	int           ppm_from_master; /* the defect rate is the supplier's history */
	bid_date      arrival;         /* when it would arrive, or NONE if unknown */
	int32_t       days_late;
	/* price breaks: from quantities (RFQ units) and landed costs, ascending */
	size_t        ntiers;
	const bid_dec *tier_from;
	const bid_landed *tier_cost;
} bid_norm;

/* ctx for a round: loads its policy; the award date is the policy's, else today. */
int  bid_norm__init(bid_norm_ctx *ctx, bid_round *round, bid_error *err);
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
