/*
 * touch.h - what the libFuzzer targets share: reading every field an
 * importer hands a sink (so that ASan and UBSan see any bad pointer or
 * length) and the one-line message check.  Each target keeps its own
 * contract checks and calls these after them.  Public bidcmp API only.
 */
#ifndef BIDCMP_FUZZ_TOUCH_H
#define BIDCMP_FUZZ_TOUCH_H

#include <stddef.h>
#include <string.h>

#include "bidcmp/bidcmp.h"

/* Where every value read goes, so that the reads are not optimised away. */
static volatile size_t sink_hole;

/* Read every byte of a string the importer lends us. */
static inline void touch(const char *s)
{
	if (s)
		sink_hole += strlen(s);
}

static inline void touch_pos(bid_pos p)
{
	sink_hole += p.line + p.col;
}

/* A one-line, non-empty message, or trap. */
static inline void check_msg(const char *m)
{
	if (!m || !m[0] || strchr(m, '\n') || strchr(m, '\r'))
		__builtin_trap();
}

static inline void touch_quote_header(const bid_quote_header *h)
{
	touch(h->supplier_id); touch(h->supplier_name); touch(h->quote_id);
	touch(h->rfq_ref); touch(h->currency); touch(h->incoterm); touch(h->total_currency);
	touch(h->charges_currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->valid_from + (size_t)h->valid_until;
	sink_hole += (size_t)(h->pay_days + h->has_pay_days + h->discount_days + h->has_discount);
	sink_hole += (size_t)(h->discount_pct + h->total + h->has_total);
	sink_hole += (size_t)(h->charges + h->has_charges);
	touch_pos(h->pos);
	touch_pos(h->total_pos);
	touch_pos(h->charges_pos);
}

/* Every field of the line, its tiers' too (their order is the target's to check). */
static inline void touch_quote_line(const bid_quote_line *l)
{
	size_t i;

	touch(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		touch(l->part_ids[i]);
	touch(l->description); touch(l->unit); touch(l->currency); touch(l->basis_unit);
	touch(l->manufacturer); touch(l->origin_country); touch(l->certificates);
	sink_hole += (size_t)(l->qty + l->price + l->basis_qty + l->min_qty + l->max_qty);
	sink_hole += (size_t)(l->has_qty + l->has_min_qty + l->has_max_qty + l->has_lead_time);
	sink_hole += (size_t)l->lead_time_days + (size_t)l->delivery_date;
	sink_hole += (size_t)(l->defect_ppm + l->has_defect_ppm + l->tax_included);
	sink_hole += (size_t)(l->line_amount + l->has_line_amount + l->pay_days + l->has_pay_days);
	sink_hole += (size_t)(l->charges + l->has_charges);
	for (i = 0; i < l->ntiers; i++) {
		sink_hole += (size_t)(l->tiers[i].from_qty + l->tiers[i].price);
		touch_pos(l->tiers[i].pos);
	}
	sink_hole += (size_t)l->tier_type;
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
}

static inline void touch_rfq_header(const bid_rfq_header *h)
{
	touch(h->rfq_id); touch(h->title); touch(h->currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->due_date + (size_t)h->need_by;
}

static inline void touch_rfq_line(const bid_rfq_line *l)
{
	touch(l->line_id); touch(l->part); touch(l->description); touch(l->unit);
	sink_hole += (size_t)l->qty + (size_t)l->need_by;
	touch_pos(l->pos);
}

static inline void touch_diag(const bid_diag *d)
{
	touch(d->rule);
	touch(d->msg);
	touch_pos(d->pos);
}

/* For xmlSetGenericErrorFunc: libxml2's own printing, silenced. */
static inline void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

#endif
