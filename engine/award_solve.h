/*
 * award_solve.h - the exact split award of one part (internal).
 * Pure computation on arrays: no store, no I/O, no allocation beyond the
 * stack, so it can be tested against a brute-force reference alone.
 */
#ifndef BID_AWARD_SOLVE_H
#define BID_AWARD_SOLVE_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 bid_i128;

#define BID_SPLIT_MAX_VENDORS 8
#define BID_QTY_UNLIMITED     INT64_MAX
#define BID_MAX_SEGS          8

/**
 * One segment of a price-break cost curve: from `from_qty` on (up to the
 * next segment's from_qty) one unit costs `unit_cost`.
 */
typedef struct bid_price_seg {
	int64_t from_qty;        /* decimal quantity in the part's unit, a multiple of
	                            rules->step; segs[0].from_qty == 0 */
	int64_t unit_cost;       /* landed cost per unit from this quantity on (decimal, >= 0) */
} bid_price_seg;

/**
 * One eligible offer for the part.  Quantities and costs are decimals
 * (millionths) in the RFQ unit and the round currency.
 *
 * Cost of x units: without segments (segs NULL or nsegs 0) unit_cost × x.
 * With segments, unit_cost is not read (but must still be >= 0) and
 *   all-units   (incremental 0): x × the unit_cost of the highest segment
 *               with from_qty <= x (the tier x reaches);
 *   incremental (incremental 1): Σ over segments k of (units of x inside
 *               [from_k, from_k+1)) × segs[k].unit_cost.
 * Costs are exact (scale 10^12).  Prices need not fall with quantity.
 * Callers must initialise segs/nsegs/incremental (e.g. memset the struct):
 * they are read.
 */
typedef struct bid_offer {
	int64_t     unit_cost;   /* landed cost of one RFQ unit, >= 0 */
	int64_t     min_qty;     /* minimum order quantity, 0 = none */
	int64_t     max_qty;     /* most offered, BID_QTY_UNLIMITED = no limit */
	int32_t     lead_days;   /* for ties; INT32_MAX when unknown */
	int32_t     group;       /* independence group: offers with one group are one source */
	const char *supplier;    /* supplier id: the last tie-break (strcmp order); unique per offer */
	const bid_price_seg *segs;   /* NULL or nsegs == 0: one price, unit_cost, for any quantity */
	int         nsegs;       /* 0..BID_MAX_SEGS; from_qty strictly increasing */
	int         incremental; /* 0: all-units; 1: incremental (each band at its own cost) */
} bid_offer;

/** The per-part rules. */
typedef struct bid_split_rules {
	int     min_vendors;     /* independent sources wanted, >= 1 */
	int     max_vendors;     /* suppliers allowed, min..BID_SPLIT_MAX_VENDORS */
	int64_t min_share;       /* fraction of demand as a decimal: 20 % = 200000 */
	int64_t max_share;       /* 80 % = 800000; at most 1000000 */
	int64_t step;            /* quantity granularity: 1000000 for count units, 1 otherwise */
} bid_split_rules;

typedef enum bid_split_status {
	BID_SPLIT_AWARDED = 0,   /* the rules hold */
	BID_SPLIT_SHORTFALL,     /* the rules could not all hold: fewer independent
	                            sources than min_vendors, or shares relaxed */
	BID_SPLIT_UNAWARDED      /* nothing can be awarded; see reason */
} bid_split_status;

/** The award of one part. */
typedef struct bid_split {
	bid_split_status status;
	int      nvendors;                          /* suppliers awarded */
	int      nsources;                          /* distinct groups among them */
	size_t   offer[BID_SPLIT_MAX_VENDORS];      /* indexes into offers[], by supplier id */
	int64_t  qty[BID_SPLIT_MAX_VENDORS];        /* decimals, multiples of step */
	int      tier[BID_SPLIT_MAX_VENDORS];       /* all-units: the segment that priced qty
	                                               (highest from_qty <= qty); incremental:
	                                               the highest band holding a unit
	                                               (highest from_qty < qty); 0 without */
	bid_i128 line_cost[BID_SPLIT_MAX_VENDORS];  /* exact cost of qty[i] (scale 10^12) */
	bid_i128 cost;                              /* exact Σ line_cost, the curve costs
	                                               (flat: Σ unit_cost × qty; scale 10^12) */
	bid_i128 lead_qty;                          /* Σ lead_days × qty, the second tie key */
	char     reason[200];                       /* why shortfall / unawarded; "" when awarded */
} bid_split;

/**
 * Award `demand` (a positive multiple of rules->step) among offers[0..n).
 *
 * Rules: between min_vendors independent sources and max_vendors
 * suppliers; each awarded supplier gets a positive multiple of step, at
 * least max(min_share × demand, its min_qty) and at most
 * min(max_share × demand, its max_qty); the quantities add up to demand.
 * Objective: least total cost (by each offer's cost curve, see bid_offer);
 * ties by least Σ lead×qty, then by giving
 * more to the supplier whose id sorts first (strcmp) — a total order, so
 * the award does not depend on the order of offers[].  The exact rules
 * are in award_solve.c's header.
 *
 * When no split satisfies min_vendors (too few independent sources, or
 * the share and quantity rules admit none), the award with the most
 * sources that the share rules allow (2 or more) is made, else the share
 * bounds are dropped and the award with the most sources (up to
 * min_vendors) is made; either is flagged BID_SPLIT_SHORTFALL with a
 * reason.  When nothing can cover demand, BID_SPLIT_UNAWARDED with a
 * reason.  The result's offer[] and qty[] are ordered by supplier id.
 * No heap allocation (about 56 KB of stack: room for 64 offers × 8
 * segments); `offers` is only read.  With segments, tier[] and
 * line_cost[] say which tier priced each quantity and what it cost.
 *
 * @return 0, or -1 when the arguments are invalid: n > 64, a NULL or
 *         duplicate supplier id, a negative cost or quantity, price
 *         segments that are not valid (nsegs outside 0..BID_MAX_SEGS,
 *         segs[0].from_qty != 0, from_qty not strictly increasing or not
 *         a multiple of step, a negative segment cost, incremental other
 *         than 0 or 1 when segments are given), rules out
 *         of range (1 <= min_vendors <= max_vendors <= 8,
 *         0 <= min_share <= max_share <= 1000000, step >= 1), or a demand
 *         that is not a positive multiple of step
 */
int bid_award__solve_part(bid_split *out, const bid_offer *offers, size_t n,
                          int64_t demand, const bid_split_rules *rules);

#endif
