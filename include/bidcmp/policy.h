/*
 * bidcmp/policy.h - a round's policy: the buyer's rules for turning a
 * quoted price into a landed cost (cost of capital, freight and duty
 * adders, quality cost, delivery, the award date).  Every change is kept
 * with who made it and when.
 */
#ifndef BIDCMP_POLICY_H
#define BIDCMP_POLICY_H

#include "round.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Set policy keys of a round: n pairs of keys[i]=values[i] (an empty
 * value removes the key).  Every value is checked first; then all are
 * stored in one transaction, or none.  Keys:
 *
 *   award_date            YYYY-MM-DD: rates, validity and delivery are judged on it
 *                         (default: the day the award runs)
 *   cost_of_capital_pct   annual percent; later payment is worth this much (default 0)
 *   early_payment         best | take | ignore: how an early-payment discount
 *                         is valued (default best: whichever is cheaper)
 *   freight_pct.INCOTERM  percent of the goods value added for a quote on
 *                         these terms (EXW, FCA, FAS, FOB, CFR, CIF, CPT, CIP,
 *                         DAP, DPU, DDP; "none" for quotes naming none)
 *   duty_pct.CC           percent of goods + freight added for goods from
 *                         country CC (ISO 3166 alpha-2)
 *   cost_per_defect       round currency per defective unit (default 0)
 *   max_defect_ppm        lines with a higher defect rate are ineligible
 *   required_certificates comma-separated certificate codes every line must carry
 *   late_delivery         ineligible (default) | penalty:AMOUNT per unit per day late
 *
 * @return 0, BID_EINVALID (err says what was expected), BID_EIO
 */
int bid_round_policy_set(bid_round *round, size_t n, const char *const *keys,
                         const char *const *values, bid_error *err);

/** One policy entry, as shown and as changed. */
typedef struct bid_policy_entry {
	const char *key;
	const char *value;
	const char *set_at;   /* UTC */
	const char *set_by;
} bid_policy_entry;

/**
 * Call cb for each key in force, by key; with `history` set, for every
 * change ever made instead, oldest first.
 */
int bid_round_policy_each(bid_round *round, int history,
                          int (*cb)(const bid_policy_entry *e, void *payload),
                          void *payload, bid_error *err);

#ifdef __cplusplus
}
#endif
#endif
