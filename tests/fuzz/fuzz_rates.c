/*
 * fuzz_rates.c - libFuzzer target for exchange-rate files (ECB XML and
 * CSV, plain CSV): every rate handed over must be well-formed and every
 * error must have a one-line message.  Build with `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bidcmp/bidcmp.h"

static int on_rate(const bid_rate *r, void *payload)
{
	(void)payload;
	if (!r->base || !r->currency || r->rate <= 0 || r->date == BID_DATE_NONE)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bid_error err;
	const char *src = NULL;

	if (bid_import_rates((const char *)data, size, "fuzz", on_rate, NULL, &src, &err) < 0 &&
	    (!err.msg[0] || strchr(err.msg, '\n')))
		__builtin_trap();
	return 0;
}
