/*
 * fuzz_x12.c - libFuzzer target for the X12 843 importer: parse arbitrary
 * bytes as X12 with a sink that reads every field it is handed, so that
 * ASan/UBSan see any bad pointer or length, and that traps on an empty or
 * multi-line message.  Build with `make fuzz`.  Public bidcmp API only.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bidcmp/bidcmp.h"
#include "touch.h"

static int on_qh(const bid_quote_header *h, void *payload)
{
	(void)payload;
	if (!h->supplier_id || !h->supplier_id[0])
		__builtin_trap();        /* the contract: required */
	if (!h->has_charges && (h->charges || h->charges_currency))
		__builtin_trap();        /* charges: absent is zero, no currency */
	touch_quote_header(h);
	return 0;
}

static int on_ql(const bid_quote_line *l, void *payload)
{
	size_t i;

	(void)payload;
	if (!l->currency || strlen(l->currency) != 3)
		__builtin_trap();        /* the contract: required */
	if (l->price <= 0 || (l->has_qty && l->qty <= 0))
		__builtin_trap();        /* bad values are errors, never delivered */
	if (l->ntiers && l->tiers[0].price != l->price)
		__builtin_trap();        /* quote.h: the first tier's price is `price` */
	for (i = 1; i < l->ntiers; i++)
		if (l->tiers[i].from_qty <= l->tiers[i - 1].from_qty)
			__builtin_trap();    /* ascending, or it was an error */
	if (!l->has_charges && l->charges)
		__builtin_trap();        /* charges: absent is zero */
	touch_quote_line(l);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	if (!d->msg || !d->msg[0] || strchr(d->msg, '\n') || strchr(d->msg, '\r') || !d->rule)
		__builtin_trap();        /* diagnostics are one line, and say something */
	touch_diag(d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, NULL, NULL, on_diag, NULL, NULL };
	bid_error err;
	int rc;

	rc = bid_import_parse((const char *)data, size, BID_FORMAT_X12, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n') || strchr(err.msg, '\r')))
		__builtin_trap();        /* every error says something, on one line */
	if (rc < 0 && rc != BID_EINVALID)
		__builtin_trap();        /* no callback stops here; no allocation can fail */
	return 0;
}
