/*
 * bidcmp/award.h - awarding a round: normalise every quote line to a
 * landed unit cost, split each part among 2-3 suppliers at least cost,
 * store the result, and read it back for reports.
 */
#ifndef BIDCMP_AWARD_H
#define BIDCMP_AWARD_H

#include <stdio.h>
#include "round.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options for bid_round_award. */
typedef struct bid_award_options {
	unsigned    version;       /* BID_AWARD_OPTIONS_VERSION */
	const char *scenario;      /* NULL = "default" */
	int         min_vendors;   /* 1..8, default 2 */
	int         max_vendors;   /* min..8, default 3 */
	bid_dec     min_share_pct; /* percent as a decimal: 20 % = 20000000 */
	bid_dec     max_share_pct; /* 80 % = 80000000 */
	int         independence;  /* suppliers of one group, or of one manufacturer, are one source (default on) */
	/* rules across parts (with the master's capacities and spend caps) */
	bid_dec     max_spend_share_pct; /* no supplier (group) above this share of spend; 0 = none */
	long long   time_limit_ms;       /* for a coupled award; 0 = none */
	long long   gap_ppm;             /* stop a coupled award at this proven gap (100 = 0.01 %) */
	const char *export_model;        /* write the coupled model (CPLEX LP) here, or NULL */
} bid_award_options;

#define BID_AWARD_OPTIONS_VERSION 1
#define BID_AWARD_OPTIONS_INIT { BID_AWARD_OPTIONS_VERSION, NULL, 2, 3, \
	20 * BID_DEC_SCALE, 80 * BID_DEC_SCALE, 1, 0, 0, 100, NULL }

/** The state of one part after an award. */
typedef enum bid_part_status {
	BID_PART_AWARDED = 0,
	BID_PART_SHORTFALL,     /* fewer independent vendors than asked for */
	BID_PART_UNAWARDED      /* nothing could be awarded; see reason */
} bid_part_status;

/** One supplier's share of one part. */
typedef struct bid_award_line {
	const char *supplier;
	long long   quote_line_id;
	bid_dec     qty;           /* in the part's unit */
	bid_dec     unit_cost;     /* landed, round currency, 6 decimals */
	bid_dec     line_cost;     /* qty × unit_cost rounded to minor units */
	bid_dec     share_pct;     /* percent of demand, 2 decimals */
	/* the sticker price, as quoted, beside the landed cost */
	bid_dec     price;         /* per basis_qty of basis_unit */
	const char *price_currency;
	bid_dec     basis_qty;
	const char *basis_unit;
	bid_dec     goods;         /* the price alone per RFQ unit in the round currency */
	bid_dec     max_qty;       /* the most the offer covers, in the part's unit; -1 = no limit */
} bid_award_line;

/** The award of one part. */
typedef struct bid_award_part {
	const char     *part;
	const char     *unit;
	bid_dec         demand;
	bid_part_status status;
	const char     *reason;        /* "" when awarded */
	size_t          nlines;
	const bid_award_line *lines;   /* by supplier id */
	bid_dec         cost;          /* Σ line_cost */
	const char     *single_supplier; /* cheapest single source, or NULL */
	bid_dec         single_cost;   /* its cost for the whole demand */
	size_t          offers;        /* offers considered */
	size_t          eligible;      /* of which eligible */
	int             independence_changed;  /* counting each supplier would split it otherwise */
} bid_award_part;

typedef struct bid_result bid_result;

/**
 * Normalise and award a round, and store the award (its parameters,
 * every offer's landed cost and eligibility, the split, the objective and
 * the SHA-256 digest of all inputs) in one transaction.
 *
 * @param out  receives the result (release with bid_result_free); may be NULL
 * @return 0; BID_EUSAGE for bad options; BID_EIO
 */
int bid_round_award(bid_result **out, bid_round *round,
                    const bid_award_options *opts, bid_error *err);

/**
 * Load the latest stored award of a scenario (NULL = "default").
 * @return 0 or BID_ENOTFOUND
 */
int bid_result_load(bid_result **out, bid_round *round, const char *scenario,
                    bid_error *err);

void                  bid_result_free(bid_result *res);
size_t                bid_result_count(const bid_result *res);
const bid_award_part *bid_result_get(const bid_result *res, size_t i);
const char           *bid_result_currency(const bid_result *res);
const char           *bid_result_scenario(const bid_result *res);
const char           *bid_result_digest(const bid_result *res);   /* hex SHA-256 */
long long             bid_result_id(const bid_result *res);
bid_date              bid_result_award_date(const bid_result *res);
/** Σ of the parts' costs, and Σ of the cheapest single sources. */
bid_dec               bid_result_total(const bid_result *res);
bid_dec               bid_result_single_total(const bid_result *res);

/** Report formats. */
typedef enum bid_report_format {
	BID_REPORT_TABLE = 0,
	BID_REPORT_CSV,
	BID_REPORT_JSON
} bid_report_format;

/**
 * Write a report of an award to out.  CSV has the header
 * part,supplier,quantity,unit,unit_cost,currency,line_cost,share_pct and
 * one row per awarded part and supplier, by part then supplier.
 * @return 0 or BID_EIO
 */
int bid_report_write(FILE *out, bid_round *round, const bid_result *res,
                     bid_report_format fmt, bid_error *err);

/**
 * Compare the latest awards of two scenarios: per part, who gets what in
 * each and what the change costs, and the totals.  Recorded as an event.
 * @return 0, BID_ENOTFOUND (a scenario has no award), BID_EIO
 */
int bid_compare(FILE *out, bid_round *round, const char *a, const char *b, bid_error *err);

/**
 * Explain how each offer for a part (of one supplier, when `supplier` is
 * not NULL) becomes its landed cost: one factor a line, with the position
 * of the price in the supplier's document, the price breaks, and the
 * eligibility verdict; under the round's policy in force today.
 * @return 0, BID_ENOTFOUND (no such part, or no offer), BID_EIO
 */
int bid_explain(FILE *out, bid_round *round, const char *part, const char *supplier,
                bid_error *err);

#ifdef __cplusplus
}
#endif
#endif
