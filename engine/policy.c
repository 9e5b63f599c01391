/*
 * policy.c - a round's policy: check and record key=value changes (every
 * change kept, with who and when), and load the policy in force for the
 * normaliser.  No SQL here; the store keeps the rows.
 */
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "store.h"

static const char *const incoterms[] = {
	"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP", "DAT", "none",
};

void bid_policy__init(bid_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->award_date = BID_DATE_NONE;
}

/* A percentage 0..100 with up to 6 decimals. */
static int pct(bid_dec *out, const char *key, const char *v, bid_error *err)
{
	bid_error e;

	if (bid_dec_parse_cstr(out, v, &e) < 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "%s: '%s': %s", key, v, e.msg);
	if (*out < 0 || *out > 100 * BID_DEC_SCALE)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "%s: a percentage from 0 to 100, not '%s'", key, v);
	return 0;
}

static int amount(bid_dec *out, const char *key, const char *v, bid_error *err)
{
	bid_error e;

	if (bid_dec_parse_cstr(out, v, &e) < 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "%s: '%s': %s", key, v, e.msg);
	if (*out < 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "%s: must not be negative", key);
	return 0;
}

int bid_policy__apply(bid_policy *p, const char *key, const char *v, bid_error *err)
{
	int reset = !*v;
	size_t i;

	if (strcmp(key, "award_date") == 0) {
		bid_error e;
		if (reset) {
			p->award_date = BID_DATE_NONE;
			return 0;
		}
		if (bid_date_parse(&p->award_date, v, strlen(v), 0, &e) < 0)
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "award_date: %s", e.msg);
		return 0;
	}
	if (strcmp(key, "cost_of_capital_pct") == 0) {
		p->coc_pct = 0;
		return reset ? 0 : pct(&p->coc_pct, key, v, err);
	}
	if (strcmp(key, "early_payment") == 0) {
		if (reset || strcmp(v, "best") == 0)
			p->early = BID_EARLY_BEST;
		else if (strcmp(v, "take") == 0)
			p->early = BID_EARLY_TAKE;
		else if (strcmp(v, "ignore") == 0)
			p->early = BID_EARLY_IGNORE;
		else
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "early_payment is best, take or ignore, not '%s'", v);
		return 0;
	}
	if (strncmp(key, "freight_pct.", 12) == 0) {
		const char *code = key + 12;
		bid_dec x = 0;
		int rc;

		for (i = 0; i < sizeof(incoterms) / sizeof(incoterms[0]); i++)
			if (strcmp(code, incoterms[i]) == 0)
				break;
		if (i == sizeof(incoterms) / sizeof(incoterms[0]))
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			        "freight_pct.%s: unknown incoterm (expected EXW, FCA, FAS, FOB, CFR, CIF, CPT, "
			        "CIP, DAP, DPU, DDP, or none)", code);
		if (!reset && (rc = pct(&x, key, v, err)) < 0)
			return rc;
		for (i = 0; i < p->nfreight && strcmp(p->freight[i].code, code) != 0; i++)
			;
		if (i == p->nfreight)
			snprintf(p->freight[p->nfreight++].code, 5, "%s", code);
		p->freight[i].pct = x;
		return 0;
	}
	if (strncmp(key, "duty_pct.", 9) == 0) {
		const char *cc = key + 9;
		bid_dec x = 0;
		int rc;

		if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "duty_pct.%s: expected an ISO 3166 country code like CN", cc);
		if (!reset && (rc = pct(&x, key, v, err)) < 0)
			return rc;
		for (i = 0; i < p->nduty && strcmp(p->duty[i].cc, cc) != 0; i++)
			;
		if (i == p->nduty) {
			if (p->nduty == sizeof(p->duty) / sizeof(p->duty[0]))
				return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE, "too many duty rates");
			snprintf(p->duty[p->nduty++].cc, 3, "%s", cc);
		}
		p->duty[i].pct = x;
		return 0;
	}
	if (strcmp(key, "cost_per_defect") == 0) {
		p->cost_per_defect = 0;
		return reset ? 0 : amount(&p->cost_per_defect, key, v, err);
	}
	if (strcmp(key, "max_defect_ppm") == 0) {
		p->has_max_ppm = !reset;
		p->max_ppm = 0;
		return reset ? 0 : amount(&p->max_ppm, key, v, err);
	}
	if (strcmp(key, "required_certificates") == 0) {
		if (strlen(v) >= sizeof(p->certs) || strpbrk(v, " \t"))
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "required_certificates: a comma-separated list of codes, no spaces");
		snprintf(p->certs, sizeof(p->certs), "%s", v);
		return 0;
	}
	if (strcmp(key, "late_delivery") == 0) {
		if (reset || strcmp(v, "ineligible") == 0) {
			p->late_penalty = 0;
			return 0;
		}
		if (strncmp(v, "penalty:", 8) == 0) {
			p->late_penalty = 1;
			return amount(&p->penalty_per_day, key, v + 8, err);
		}
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "late_delivery is 'ineligible' or 'penalty:AMOUNT' (per unit per day), not '%s'", v);
	}
	if (strncmp(key, "commit/", 7) == 0) {
		const char *sup = key + 7, *slash = strchr(sup, '/');
		bid_dec q = 0;
		int rc;

		if (!slash || slash == sup || !slash[1] || strchr(slash + 1, '/') ||
		    (size_t)(slash - sup) >= sizeof(p->commit[0].supplier) ||
		    strlen(slash + 1) >= sizeof(p->commit[0].part))
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "a commitment is commit/SUPPLIER/PART (no '/' inside, under 64 characters each)");
		if (!reset && (rc = amount(&q, "committed quantity", v, err)) < 0)
			return rc;
		for (i = 0; i < p->ncommit; i++)
			if (strncmp(p->commit[i].supplier, sup, (size_t)(slash - sup)) == 0 &&
			    p->commit[i].supplier[slash - sup] == '\0' && strcmp(p->commit[i].part, slash + 1) == 0)
				break;
		if (i == p->ncommit) {
			if (p->ncommit == sizeof(p->commit) / sizeof(p->commit[0]))
				return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE, "too many commitments in one round");
			snprintf(p->commit[i].supplier, sizeof(p->commit[i].supplier), "%.*s",
			         (int)(slash - sup), sup);
			snprintf(p->commit[i].part, sizeof(p->commit[i].part), "%s", slash + 1);
			p->ncommit++;
		}
		p->commit[i].qty = q;
		return 0;
	}
	return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
	        "unknown policy key '%s' (award_date, cost_of_capital_pct, early_payment, "
	        "freight_pct.INCOTERM, duty_pct.CC, cost_per_defect, max_defect_ppm, "
	        "required_certificates, late_delivery)", key);
}

int bid_round_policy_set(bid_round *round, size_t n, const char *const *keys,
                         const char *const *values, bid_error *err)
{
	bid_policy p;
	size_t i;
	int rc;

	/* Check all against the policy in force first: a bad value stores nothing. */
	if ((rc = bid_policy__load(&p, round, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = bid_policy__apply(&p, keys[i], values[i], err)) < 0)
			return rc;
	if ((rc = bid_store__begin(round->store, err)) < 0)
		return rc;
	for (i = 0; rc == 0 && i < n; i++) {
		rc = bid_store__policy_insert(round->store, round->info.id, keys[i], values[i], err);
		if (rc == 0)
			rc = bid_audit__record(round->store, "policy.changed", round->info.id, err,
			                       "key", keys[i], "value", values[i], (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(round->store, err);
	if (rc < 0)
		bid_store__rollback(round->store);
	return rc;
}

int bid_round_policy_each(bid_round *round, int history,
                          int (*cb)(const bid_policy_entry *e, void *payload),
                          void *payload, bid_error *err)
{
	return bid_store__policy_each(round->store, round->info.id, history, cb, payload, err);
}

typedef struct loader {
	bid_policy *p;
	bid_error  *err;
} loader;

static int load_one(const bid_policy_entry *e, void *payload)
{
	loader *l = payload;
	return bid_policy__apply(l->p, e->key, e->value, l->err);
}

int bid_policy__load(bid_policy *p, bid_round *r, bid_error *err)
{
	loader l = { p, err };

	bid_policy__init(p);
	return bid_store__policy_each(r->store, r->info.id, 0, load_one, &l, err);
}

bid_dec bid_policy__freight(const bid_policy *p, const char *incoterm)
{
	size_t i;

	for (i = 0; i < p->nfreight; i++)
		if (strcmp(p->freight[i].code, incoterm ? incoterm : "none") == 0)
			return p->freight[i].pct;
	return 0;
}

bid_dec bid_policy__duty(const bid_policy *p, const char *country)
{
	size_t i;

	for (i = 0; country && i < p->nduty; i++)
		if (strcmp(p->duty[i].cc, country) == 0)
			return p->duty[i].pct;
	return 0;
}
