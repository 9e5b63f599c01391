/*
 * couple.h - the award of a whole round when rules couple its parts
 * (internal): supplier capacity, spend caps and spend-share caps on top of
 * each part's split rules.  Pure computation on the caller's arrays: no
 * store, no I/O; only engine/milp.c talks to the MILP solver.
 */
#ifndef BID_COUPLE_H
#define BID_COUPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "award_solve.h"

/*
 * Numbers.  As in award_solve.h: quantities and unit costs are decimals in
 * millionths (int64), costs of lines and awards are exact at scale 10^12
 * (bid_i128).  Nothing reported below is a float.
 */

/**
 * One part of the round.  offers[k] is an offer of supplier
 * suppliers[sup[k]] (sup[k] < nsup, and offers[k].supplier must equal that
 * supplier's id: strcmp).  A supplier has at most one offer per part.
 *
 * `counts`: 1 when this part's quantities count toward supplier capacity.
 * Capacity is a plain sum of quantities across parts, so it only makes
 * sense for parts of one unit dimension; the caller (award.c) sets counts
 * for the parts in count units (pieces and the like) and leaves it 0 for
 * kilograms, metres, ...  Parts with counts 0 are not limited by capacity.
 */
typedef struct bid_couple_part {
	const char      *id;         /* the part's name in reasons; NULL: its index */
	int64_t          demand;     /* positive multiple of rules.step */
	const bid_offer *offers;
	const size_t    *sup;        /* sup[k]: index into the supplier array */
	size_t           noffers;    /* at most 64 */
	bid_split_rules  rules;
	int              counts;     /* 1: quantities count toward capacity */
} bid_couple_part;

#define BID_SPEND_UNLIMITED (-1)

/** One supplier of the round (the supplier master's coupling facts). */
typedef struct bid_couple_supplier {
	const char *id;         /* unique; the name in reasons and in the model */
	int32_t     group;      /* parent company, for share caps by group */
	int64_t     capacity;   /* most quantity over the parts with counts set,
	                           decimal; BID_QTY_UNLIMITED = none */
	int64_t     spend_cap;  /* most spend in the round currency, decimal
	                           (millionths); BID_SPEND_UNLIMITED = none */
} bid_couple_supplier;

/** Rules across parts other than the per-supplier facts. */
typedef struct bid_couple_rules {
	int64_t max_spend_share;   /* no supplier (or group) above this fraction of
	                              the round's total spend: 40 % = 400000;
	                              0 = no such cap; at most 1000000 */
	int     share_by_group;    /* 1: the share cap is per group (suppliers
	                              with one `group` add up), 0: per supplier */
} bid_couple_rules;

/** How the solve may spend its time.  Start from BID_COUPLE_OPTIONS_INIT. */
typedef struct bid_couple_options {
	int     version;           /* BID_COUPLE_OPTIONS_VERSION */
	int64_t time_limit_ms;     /* wall clock for the whole solve, 0 = none */
	int64_t gap_ppm;           /* stop once the proven gap is at most this
	                              (parts per million; 100 = 0.01 %) */
	int     max_iter;          /* subgradient iterations, 0 = 3000 */
	int     milp;              /* BID_COUPLE_MILP_* */
	int64_t milp_time_limit_ms;/* for the MILP part, 0 = what is left of
	                              time_limit_ms (none if that is 0) */
} bid_couple_options;

#define BID_COUPLE_OPTIONS_VERSION 1
#define BID_COUPLE_OPTIONS_INIT { BID_COUPLE_OPTIONS_VERSION, 0, 100, 0, 0, 0 }

enum {
	BID_COUPLE_MILP_NEVER = 0, /* the decomposition only */
	BID_COUPLE_MILP_CLOSE,     /* then CBC when the gap is above target */
	BID_COUPLE_MILP_ONLY,      /* CBC only (still checked exactly) */
	BID_COUPLE_MILP_RESCUE     /* then CBC only when the decomposition found no
	                              award (large rounds: CBC is slow there, but
	                              better late than "not found"); nothing without CBC */
};

typedef enum bid_couple_status {
	BID_COUPLE_OPTIMAL = 0,    /* feasible, gap 0: proven optimal */
	BID_COUPLE_FEASIBLE,       /* feasible, gap_ppm > 0 (see stopped) */
	BID_COUPLE_INFEASIBLE,     /* proven: no award meets the rules; see reason */
	BID_COUPLE_NOT_FOUND       /* no feasible award found, not proven
	                              infeasible (time or heuristic); see reason */
} bid_couple_status;

/** Which coupling rule a reason is about. */
enum {
	BID_COUPLE_RULE_NONE = 0,
	BID_COUPLE_RULE_CAPACITY,
	BID_COUPLE_RULE_SPEND_CAP,
	BID_COUPLE_RULE_SPEND_SHARE,
	BID_COUPLE_RULE_PART       /* a part's own rules (the MILP's rounding) */
};

enum {
	BID_COUPLE_BY_NONE = 0,
	BID_COUPLE_BY_DECOMPOSITION,   /* Lagrangian bound + repaired award */
	BID_COUPLE_BY_MILP             /* CBC's award, re-checked exactly */
};

enum {
	BID_COUPLE_STOP_DONE = 0,      /* gap target reached (or optimal) */
	BID_COUPLE_STOP_ITER,          /* iteration limit */
	BID_COUPLE_STOP_TIME           /* time limit: the result depends on the clock */
};

/**
 * The award of the round.  Costs at scale 10^12.  gap_ppm is
 * ceil(10^6 × (cost - bound) / cost) (0 when cost is 0 or equals bound),
 * so cost <= bound / (1 - gap).  `bound` is a proven lower bound on the
 * cost of every award that meets the rules (exact: see couple.c), and
 * bound <= cost.  The per-supplier usage is of the returned award.
 */
typedef struct bid_couple_result {
	bid_couple_status status;
	size_t     nparts, nsup;
	bid_split *parts;          /* [nparts]: the award of each part (offer[]
	                              indexes that part's offers); status
	                              BID_SPLIT_UNAWARDED for parts nothing can
	                              cover, as bid_award__solve_part says */
	int64_t   *sup_qty;        /* [nsup]: quantity counting toward capacity */
	bid_i128  *sup_spend;      /* [nsup]: exact spend */
	bid_i128   cost;           /* exact total */
	bid_i128   bound;          /* proven lower bound; 0 when none is known */
	int64_t    gap_ppm;
	int        method;         /* BID_COUPLE_BY_* that produced `parts` */
	int        stopped;        /* BID_COUPLE_STOP_* */
	int        iterations;     /* subgradient iterations done */
	int        bound_by_milp;  /* 1: the bound is CBC's: its proof of
	                              optimality, or its best bound derated by
	                              1e-9 relative; computed in doubles, so sound
	                              up to CBC's tolerances only.  0: the exact
	                              Lagrangian bound */
	int        rule;           /* BID_COUPLE_RULE_* of the reason */
	long       rule_part;      /* part index the reason names, -1 none */
	long       rule_sup;       /* supplier index the reason names, -1 none */
	char       reason[256];    /* infeasible / not found: which rule, which
	                              part and supplier; "" otherwise */
} bid_couple_result;

/**
 * Award the round: every part by its split rules (in the phase that
 * bid_award__solve_part would award it alone: a part short of sources
 * stays short the same way, see award_solve.h) and every coupling rule:
 *   capacity:   Σ over parts with counts of supplier j's quantity <= capacity_j
 *   spend cap:  Σ of j's exact line costs <= spend_cap_j
 *   share cap:  spend of j (or of j's group) × 10^6 <= max_spend_share × total
 * minimising the exact total cost.
 *
 * Method: Lagrangian relaxation of the coupling rules, each part solved
 * exactly by bid_award__solve_part at the multiplier-adjusted costs; a
 * repair heuristic turns relaxed awards into feasible ones; CBC (see
 * options->milp) can close the gap.  Deterministic: the same arguments
 * give the same result byte for byte, unless the time limit stopped the
 * search (then `stopped` says BID_COUPLE_STOP_TIME).  Ties: of the awards
 * it meets, the first by one total order wins -- least cost, then least
 * Σ lead_days × quantity over the round, then at the first part that
 * differs more quantity to the supplier whose id sorts first (couple.c,
 * "Ties": the cost is proven, the tie keys are not searched exhaustively).
 *
 * @param out     filled on success and on BID_EINFEASIBLE-like outcomes
 *                (status says which); free with bid_couple_result_free
 * @param opt     NULL for BID_COUPLE_OPTIONS_INIT
 * @param errmsg  NULL or a buffer for the message of a refused call
 * @return 0 (look at out->status), BID_EINVALID for invalid arguments
 *         (anything bid_award__solve_part refuses, a bad supplier index or
 *         id, a negative cap, a share above 100 %, numbers too large for
 *         exact 128-bit totals), BID_ENOMEM, or BID_EUSAGE when the MILP is
 *         asked for and the build has no CBC.
 */
int bid_award__solve_round(bid_couple_result *out, const bid_couple_part *parts,
                           size_t nparts, const bid_couple_supplier *sup, size_t nsup,
                           const bid_couple_rules *rules, const bid_couple_options *opt,
                           char *errmsg, size_t errsize);

/** Release what a result holds (not the struct).  NULL is a no-op. */
void bid_couple_result_free(bid_couple_result *res);

/*
 * --- Between couple.c and milp.c (not for other callers) ---
 */

/** A round as both solvers see it. */
typedef struct bid_couple_round {
	const bid_couple_part     *parts;
	size_t                     nparts;
	const bid_couple_supplier *sup;
	size_t                     nsup;
	bid_couple_rules           rules;
	struct bid_couple_phase   *phase;     /* [nparts] */
} bid_couple_round;

/**
 * The phase a part is awarded in, from bid_award__solve_part alone (it
 * does not depend on prices): whether share bounds hold and how many
 * independent sources the award must have.
 */
typedef struct bid_couple_phase {
	bid_split_status status;   /* UNAWARDED: the part gets nothing */
	int shares;                /* 1: min/max share bounds hold */
	int min_sources;
	int max_sources;           /* INT32_MAX: no upper limit but max_vendors */
} bid_couple_phase;

/** Fill pb->phase[] (solving each part once alone).  0 or BID_EINVALID. */
int bid_couple__phases(bid_couple_round *pb);

/** Exact cost of x units by offer o's cost curve (scale 10^12). */
bid_i128 bid_couple__cost(const bid_offer *o, int64_t x);

/** The tier of x units (award_solve.h's bid_split.tier). */
int bid_couple__tier(const bid_offer *o, int64_t x);

/**
 * Check an award exactly against every rule: each part's split in its phase
 * and every coupling rule.  Fills usage (sup_qty, sup_spend, cost) and, on a
 * violation, rule, rule_part, rule_sup and reason.  @return 1 when all hold.
 */
int bid_couple__check(const bid_couple_round *pb, bid_couple_result *res);

/**
 * The round as a MILP for CBC, solved within time_limit_ms (0: none), with
 * `start` (NULL or a feasible award, one split per part) as the incumbent.
 * The answer is rounded to each part's step and re-checked by
 * bid_couple__check; res->parts, cost, bound (CBC's, derated) and status
 * are set: OPTIMAL/FEASIBLE, INFEASIBLE (CBC proved it; reason names no
 * single rule then), or NOT_FOUND (time, or the rounded answer broke a
 * rule: the reason says which).  res must have parts/sup arrays allocated.
 * @return 0, BID_EUSAGE when built without CBC (errmsg says so), BID_ENOMEM.
 */
int bid_milp__solve(bid_couple_result *res, const bid_couple_round *pb,
                    int64_t time_limit_ms, const bid_split *start,
                    char *errmsg, size_t errsize);

/**
 * Write the round's model in CPLEX LP format to f: deterministic text, the
 * same model bid_milp__solve gives CBC.  Variable and row names are built
 * from part and supplier indexes (x_p3_s1_k0); a comment block maps the
 * indexes to supplier ids (sanitised to [A-Za-z0-9_.-]).  Needs no CBC.
 * @return 0, BID_EIO on a write error, BID_ENOMEM.
 */
int bid_milp__write_lp(FILE *f, const bid_couple_round *pb);

/** bid_couple__phases + bid_milp__write_lp on the caller's arrays. */
int bid_award__write_round_lp(FILE *f, const bid_couple_part *parts, size_t nparts,
                              const bid_couple_supplier *sup, size_t nsup,
                              const bid_couple_rules *rules);

#endif
