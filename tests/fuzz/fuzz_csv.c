/*
 * fuzz_csv.c - libFuzzer target for the CSV readers (bid sheets and RFQs):
 * parse arbitrary bytes as CSV with a sink that reads every field it is
 * handed and checks the contract (required fields, sorted tiers, one-line
 * messages).  Build with `make fuzz`.  Depends on the public bidcmp API only.
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
		__builtin_trap();
	touch_quote_header(h);
	return 0;
}

static int on_ql(const bid_quote_line *l, void *payload)
{
	size_t i;

	(void)payload;
	/* The contract: part, unit, currency, a positive price; tiers ascend. */
	if (!l->part_ids[BID_PART_BUYER] || !l->unit || !l->currency || l->price <= 0)
		__builtin_trap();
	if (l->ntiers && l->tiers[0].price != l->price)
		__builtin_trap();
	for (i = 0; i < l->ntiers; i++)
		if (l->tiers[i].price <= 0 || l->tiers[i].from_qty < 0 ||
		    (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty))
			__builtin_trap();
	touch_quote_line(l);
	return 0;
}

static int on_rh(const bid_rfq_header *h, void *payload)
{
	(void)payload;
	touch_rfq_header(h);
	return 0;
}

static int on_rl(const bid_rfq_line *l, void *payload)
{
	(void)payload;
	if (!l->part || !l->unit || l->qty <= 0)
		__builtin_trap();
	touch_rfq_line(l);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	if (!d->msg || !d->msg[0] || strchr(d->msg, '\n') || !d->rule || !d->pos.line)
		__builtin_trap();        /* one positioned line that says something */
	touch_diag(d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, on_rh, on_rl, on_diag, NULL, NULL };
	bid_error err;
	int rc;

	rc = bid_import_parse((const char *)data, size, BID_FORMAT_CSV, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
		__builtin_trap();
	if (rc == BID_EINVALID && err.line <= 0)
		__builtin_trap();        /* a refusal always names its position */
	return 0;
}
