/*
 * fuzz_cxml.c - libFuzzer target for the cXML importer: parse arbitrary
 * bytes as cXML with a sink that reads every field it is handed (ASan and
 * UBSan see any bad pointer or length) and traps on a broken contract.
 * Depends on the public bidcmp API only (and libxml2 to keep it quiet).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/xmlerror.h>

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

/* A one-line, non-empty message. */
static void check_msg(const char *m)
{
	if (!m || !m[0] || strchr(m, '\n') || strchr(m, '\r'))
		__builtin_trap();
}

static int nheaders;

static int on_qh(const bid_quote_header *h, void *payload)
{
	(void)payload;
	if (!h->supplier_id || !h->supplier_id[0] || nheaders++)
		__builtin_trap();        /* required, and one header per document */
	touch(h->supplier_id); touch(h->supplier_name); touch(h->quote_id);
	touch(h->rfq_ref); touch(h->currency); touch(h->incoterm); touch(h->total_currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->valid_from + (size_t)h->valid_until;
	sink_hole += (size_t)(h->pay_days + h->has_pay_days + h->discount_days + h->has_discount);
	sink_hole += (size_t)(h->discount_pct + h->total + h->has_total);
	touch_pos(h->pos);
	touch_pos(h->total_pos);
	return 0;
}

static int on_ql(const bid_quote_line *l, void *payload)
{
	size_t i;

	(void)payload;
	if (!nheaders || !l->currency || !l->unit || l->price <= 0 || !l->has_qty || l->qty <= 0)
		__builtin_trap();        /* header first; the required values */
	if (l->ntiers && (!l->tiers || l->tiers[0].price != l->price))
		__builtin_trap();        /* the first tier carries the line's price */
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
	for (i = 0; i < l->ntiers; i++) {
		if (l->tiers[i].price <= 0 || (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty))
			__builtin_trap();    /* tiers are checked before delivery */
		sink_hole += (size_t)(l->tiers[i].from_qty + l->tiers[i].price);
		touch_pos(l->tiers[i].pos);
	}
	sink_hole += (size_t)l->tier_type;
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	check_msg(d->msg);
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
	nheaders = 0;
	rc = bid_import_parse((const char *)data, size, BID_FORMAT_CXML, "fuzz", &sink, &err);
	if (rc < 0)
		check_msg(err.msg);
	else if (!nheaders)
		__builtin_trap();        /* a document that imports has a header */
	return 0;
}
