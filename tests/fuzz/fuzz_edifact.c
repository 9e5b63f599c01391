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

static volatile size_t sink_hole;

/* Read every byte of a string the importer lends us. */
static void touch(const char *s)
{
	if (s)
		sink_hole += strlen(s);
}

static void touch_pos(bid_pos p)
{
	sink_hole += p.line + p.col;
}

/* Messages are one non-empty line. */
static void check_msg(const char *msg)
{
	if (!msg || !msg[0] || strchr(msg, '\n') || strchr(msg, '\r'))
		__builtin_trap();
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
	if (!l->currency || l->price <= 0)
		__builtin_trap();        /* the contract: required, positive */
	if (l->has_qty && l->qty <= 0)
		__builtin_trap();
	touch(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		touch(l->part_ids[i]);
	touch(l->description); touch(l->unit); touch(l->currency); touch(l->basis_unit);
	touch(l->manufacturer); touch(l->origin_country);
	sink_hole += (size_t)(l->qty + l->price + l->basis_qty + l->min_qty + l->max_qty);
	sink_hole += (size_t)(l->has_qty + l->has_min_qty + l->has_max_qty + l->has_lead_time);
	sink_hole += (size_t)l->lead_time_days + (size_t)l->delivery_date;
	sink_hole += (size_t)(l->defect_ppm + l->has_defect_ppm + l->tax_included);
	sink_hole += (size_t)(l->line_amount + l->has_line_amount + l->pay_days + l->has_pay_days);
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
	/* Tiers: ascending, the first at the line's price. */
	if (l->ntiers && (!l->tiers || l->tiers[0].price != l->price))
		__builtin_trap();
	for (i = 0; i < l->ntiers; i++) {
		if (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty)
			__builtin_trap();
		sink_hole += (size_t)(l->tiers[i].from_qty + l->tiers[i].price);
		touch_pos(l->tiers[i].pos);
	}
	sink_hole += (size_t)l->tier_type;
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
	touch(d->rule);
	touch_pos(d->pos);
	return 0;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, NULL, NULL, on_diag, NULL };
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
