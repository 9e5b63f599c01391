/*
 * fuzz_edifact.c - libFuzzer target for the EDIFACT QUOTES importer: parse
 * arbitrary bytes as EDIFACT with a sink that reads every field it is
 * handed and traps on a broken contract.  Build with `make fuzz`.
 * Depends on the public bidcmp API only (and libxml2, to keep detection quiet).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/xmlerror.h>

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
	if (!l->currency || l->price <= 0)
		__builtin_trap();        /* the contract: required, positive */
	if (l->has_qty && l->qty <= 0)
		__builtin_trap();
	/* Tiers: ascending, the first at the line's price. */
	if (l->ntiers && (!l->tiers || l->tiers[0].price != l->price))
		__builtin_trap();
	for (i = 1; i < l->ntiers; i++)
		if (l->tiers[i].from_qty <= l->tiers[i - 1].from_qty)
			__builtin_trap();
	if (!l->has_charges && l->charges)
		__builtin_trap();        /* charges: absent is zero */
	touch_quote_line(l);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	check_msg(d->msg);
	if (!d->rule || strncmp(d->rule, "edifact.", 8) != 0)
		__builtin_trap();
	if (d->pos.line == 0)
		__builtin_trap();        /* every diagnostic names a segment */
	touch_diag(d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, NULL, NULL, on_diag, NULL, NULL };
	bid_error err;
	int rc;

	xmlSetGenericErrorFunc(NULL, quiet);
	rc = bid_import_parse((const char *)data, size, BID_FORMAT_EDIFACT, "fuzz", &sink, &err);
	if (rc < 0) {
		check_msg(err.msg);      /* every error says something, on one line */
		if (err.line == 0)
			__builtin_trap();
	}
	return 0;
}
