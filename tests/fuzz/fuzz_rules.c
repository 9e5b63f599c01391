/*
 * fuzz_rules.c - libFuzzer target for rules files: parse arbitrary bytes
 * as a rules file (compiling every PCRE2 pattern) and, when it parses,
 * run it on a few values.  Every error must have a one-line message.
 * Build with `make fuzz`.  Depends on the bidcmp library only.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bidcmp/bidcmp.h"
#include "rules.h"

static void found(const char *id, bid_severity sev, const char *msg, void *payload)
{
	(void)sev;
	(void)payload;
	if (!id || !msg || strchr(msg, '\n'))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const values[] = { "ABC-123", "", "S00001", "\xc3\xa9t\xc3\xa9", "x\ny" };
	bid_rules *r = NULL;
	bid_error err;
	size_t i;
	int f;

	if (bid_rules_parse(&r, (const char *)data, size, "fuzz", &err) < 0) {
		if (!err.msg[0] || strchr(err.msg, '\n'))
			__builtin_trap();
		return 0;
	}
	for (f = 0; f < BID_RF__COUNT; f++)
		for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
			bid_rules__check(r, (bid_rule_field)f, values[i], found, NULL);
	bid_rules__check(r, BID_RF_PART, NULL, found, NULL);
	bid_rules_free(r);
	return 0;
}
