/*
 * rules.h - buyer-written field rules (PCRE2), internal side: which
 * fields exist and how a value is checked against them.
 */
#ifndef BID_RULES_H
#define BID_RULES_H

#include "internal.h"

typedef enum bid_rule_field {
	BID_RF_SUPPLIER = 0,
	BID_RF_SUPPLIER_NAME,
	BID_RF_QUOTE_ID,
	BID_RF_PART,
	BID_RF_BUYER_PART,
	BID_RF_SELLER_PART,
	BID_RF_MANUFACTURER_PART,
	BID_RF_STANDARD_PART,
	BID_RF_LINE_ID,
	BID_RF_DESCRIPTION,
	BID_RF_UNIT,
	BID_RF_CURRENCY,
	BID_RF_MANUFACTURER,
	BID_RF_ORIGIN_COUNTRY,
	BID_RF__COUNT
} bid_rule_field;

/* Called per finding: the rule's id, severity and message. */
typedef void (*bid_rule_finding)(const char *rule_id, bid_severity sev,
                                 const char *msg, void *payload);

/*
 * Check `value` (NULL = absent) against every rule on `field`; call
 * found() for each rule it breaks.  Returns the number of findings.
 */
int bid_rules__check(const bid_rules *r, bid_rule_field field, const char *value,
                     bid_rule_finding found, void *payload);

#endif
