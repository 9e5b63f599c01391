/*
 * policy.h - a round's policy in memory (internal): what normalise.c
 * needs to turn a quoted price into a landed cost.
 */
#ifndef BID_POLICY_H
#define BID_POLICY_H

#include "internal.h"

enum { BID_EARLY_BEST = 0, BID_EARLY_TAKE, BID_EARLY_IGNORE };

typedef struct bid_policy {
	bid_date award_date;            /* BID_DATE_NONE: the day the award runs */
	bid_dec  coc_pct;               /* cost of capital, annual percent */
	int      early;                 /* BID_EARLY_* */
	struct { char code[5]; bid_dec pct; } freight[16];
	size_t   nfreight;
	struct { char cc[3]; bid_dec pct; } duty[64];
	size_t   nduty;
	bid_dec  cost_per_defect;
	bid_dec  max_ppm;   int has_max_ppm;
	char     certs[256];            /* required, comma-separated; "" = none */
	int      late_penalty;          /* 0: late lines are ineligible */
	bid_dec  penalty_per_day;       /* per unit per day late */
	/* committed minimums from existing contracts: key commit/SUPPLIER/PART */
	struct bid_commitment {
		char    supplier[64];
		char    part[64];
		bid_dec qty;
	} commit[128];
	size_t   ncommit;
} bid_policy;

/* The defaults: nothing added, late deliveries ineligible. */
void bid_policy__init(bid_policy *p);

/* Check key=value and apply it to p (an empty value resets the key). */
int bid_policy__apply(bid_policy *p, const char *key, const char *value, bid_error *err);

/* The policy in force for a round. */
int bid_policy__load(bid_policy *p, bid_round *r, bid_error *err);

/* The freight percent for an incoterm (NULL = none named); 0 if unset. */
bid_dec bid_policy__freight(const bid_policy *p, const char *incoterm);
/* The duty percent for a country of origin; 0 if unset or unknown. */
bid_dec bid_policy__duty(const bid_policy *p, const char *country);

#endif
