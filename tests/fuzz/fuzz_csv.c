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

static volatile size_t sink_hole;

static void touch(const char *s)
{
	if (s)
		sink_hole += strlen(s);
}

static void touch_pos(bid_pos p)
{
	sink_hole += p.line + p.col;
}

static int on_qh(const bid_quote_header *h, void *payload)
{
	(void)payload;
	if (!h->supplier_id || !h->supplier_id[0])
		__builtin_trap();
	touch(h->supplier_id); touch(h->supplier_name); touch(h->quote_id);
	touch(h->rfq_ref); touch(h->currency); touch(h->incoterm); touch(h->total_currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->valid_from + (size_t)h->valid_until;
	sink_hole += (size_t)h->pay_days + (size_t)h->has_pay_days + (size_t)h->discount_pct;
	sink_hole += (size_t)h->discount_days + (size_t)h->total + (size_t)h->has_total;
	touch_pos(h->pos);
	touch_pos(h->total_pos);
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
	touch(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		touch(l->part_ids[i]);
	touch(l->description); touch(l->unit); touch(l->currency); touch(l->basis_unit);
	touch(l->manufacturer); touch(l->origin_country);
	sink_hole += (size_t)(l->qty + l->price + l->basis_qty + l->min_qty + l->max_qty);
	sink_hole += (size_t)(l->has_qty + l->has_min_qty + l->has_max_qty + l->has_lead_time);
	sink_hole += (size_t)l->lead_time_days + (size_t)l->delivery_date;
	sink_hole += (size_t)l->defect_ppm + (size_t)l->has_defect_ppm + (size_t)l->tax_included;
	sink_hole += (size_t)l->line_amount + (size_t)l->pay_days + (size_t)l->tier_type;
	for (i = 0; i < l->ntiers; i++) {
		if (l->tiers[i].price <= 0 || l->tiers[i].from_qty < 0 ||
		    (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty))
			__builtin_trap();
		touch_pos(l->tiers[i].pos);
	}
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
	return 0;
}

static int on_rh(const bid_rfq_header *h, void *payload)
{
	(void)payload;
	touch(h->rfq_id); touch(h->title); touch(h->currency);
	return 0;
}

static int on_rl(const bid_rfq_line *l, void *payload)
{
	(void)payload;
	if (!l->part || !l->unit || l->qty <= 0)
		__builtin_trap();
	touch(l->part); touch(l->description); touch(l->unit);
	touch_pos(l->pos);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	if (!d->msg || !d->msg[0] || strchr(d->msg, '\n') || !d->rule || !d->pos.line)
		__builtin_trap();        /* one positioned line that says something */
	touch(d->rule);
	touch(d->msg);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, on_rh, on_rl, on_diag, NULL };
	bid_error err;
	int rc;

	rc = bid_import_parse((const char *)data, size, BID_FORMAT_CSV, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
		__builtin_trap();
	if (rc == BID_EINVALID && err.line <= 0)
		__builtin_trap();        /* a refusal always names its position */
	return 0;
}
