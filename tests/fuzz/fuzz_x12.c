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
		__builtin_trap();        /* the contract: required */
	touch(h->supplier_id); touch(h->supplier_name); touch(h->quote_id);
	touch(h->rfq_ref); touch(h->currency); touch(h->incoterm); touch(h->total_currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->valid_from + (size_t)h->valid_until;
	sink_hole += (size_t)h->pay_days + (size_t)h->has_pay_days + (size_t)h->discount_pct +
	             (size_t)h->discount_days + (size_t)h->has_discount + (size_t)h->total +
	             (size_t)h->has_total;
	touch_pos(h->pos);
	touch_pos(h->total_pos);
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
	touch(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		touch(l->part_ids[i]);
	touch(l->description); touch(l->unit); touch(l->currency); touch(l->basis_unit);
	touch(l->manufacturer); touch(l->origin_country);
	sink_hole += (size_t)(l->qty + l->price + l->basis_qty + l->min_qty + l->max_qty);
	sink_hole += (size_t)(l->has_qty + l->has_min_qty + l->has_max_qty + l->has_lead_time);
	sink_hole += (size_t)l->lead_time_days + (size_t)l->delivery_date + (size_t)l->pay_days;
	sink_hole += (size_t)l->defect_ppm + (size_t)l->line_amount + (size_t)l->tax_included;
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
	if (l->ntiers && l->tiers[0].price != l->price)
		__builtin_trap();        /* quote.h: the first tier's price is `price` */
	for (i = 0; i < l->ntiers; i++) {
		if (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty)
			__builtin_trap();    /* ascending, or it was an error */
		sink_hole += (size_t)(l->tiers[i].from_qty + l->tiers[i].price);
		touch_pos(l->tiers[i].pos);
	}
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	if (!d->msg || !d->msg[0] || strchr(d->msg, '\n') || strchr(d->msg, '\r') || !d->rule)
		__builtin_trap();        /* diagnostics are one line, and say something */
	touch(d->rule);
	touch(d->msg);
	touch_pos(d->pos);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, NULL, NULL, on_diag, NULL };
	bid_error err;
	int rc;

	rc = bid_import_parse((const char *)data, size, BID_FORMAT_X12, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n') || strchr(err.msg, '\r')))
		__builtin_trap();        /* every error says something, on one line */
	if (rc < 0 && rc != BID_EINVALID)
		__builtin_trap();        /* no callback stops here; no allocation can fail */
	return 0;
}
