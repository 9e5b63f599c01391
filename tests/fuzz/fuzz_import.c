/*
 * fuzz_import.c - libFuzzer target for the importers: detect and parse
 * arbitrary bytes with a sink that reads every field it is handed, so
 * that ASan/UBSan see any bad pointer or length.  Build with `make fuzz`.
 * Depends on the public bidcmp API only (and libxml2 to keep it quiet).
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

static int on_qh(const bid_quote_header *h, void *payload)
{
	(void)payload;
	if (!h->supplier_id)
		__builtin_trap();        /* the contract: required */
	touch(h->supplier_id); touch(h->supplier_name); touch(h->quote_id);
	touch(h->rfq_ref); touch(h->currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->valid_from + (size_t)h->valid_until;
	touch_pos(h->pos);
	if (!h->has_charges && (h->charges || h->charges_currency))
		__builtin_trap();        /* charges: absent is zero, no currency */
	touch(h->charges_currency);
	sink_hole += (size_t)h->charges;
	touch_pos(h->charges_pos);
	return 0;
}

static int on_ql(const bid_quote_line *l, void *payload)
{
	int i;

	(void)payload;
	if (!l->currency)
		__builtin_trap();        /* the contract: required */
	touch(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		touch(l->part_ids[i]);
	touch(l->description); touch(l->unit); touch(l->currency); touch(l->basis_unit);
	sink_hole += (size_t)(l->qty + l->price + l->basis_qty + l->min_qty + l->max_qty);
	sink_hole += (size_t)(l->has_qty + l->has_min_qty + l->has_max_qty + l->has_lead_time);
	sink_hole += (size_t)l->lead_time_days + (size_t)l->delivery_date;
	if (!l->has_charges && l->charges)
		__builtin_trap();        /* charges: absent is zero */
	sink_hole += (size_t)l->charges;
	for (i = 0; i < BID_F__COUNT; i++)
		touch_pos(l->pos[i]);
	return 0;
}

static int on_rh(const bid_rfq_header *h, void *payload)
{
	(void)payload;
	touch(h->rfq_id); touch(h->title); touch(h->currency);
	sink_hole += (size_t)h->issue_date + (size_t)h->due_date + (size_t)h->need_by;
	return 0;
}

static int on_rl(const bid_rfq_line *l, void *payload)
{
	(void)payload;
	if (!l->part || !l->unit || l->qty <= 0)
		__builtin_trap();        /* the contract: required */
	touch(l->line_id); touch(l->part); touch(l->description); touch(l->unit);
	sink_hole += (size_t)l->qty + (size_t)l->need_by;
	touch_pos(l->pos);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	if (!d->msg || strchr(d->msg, '\n'))
		__builtin_trap();        /* diagnostics are one line too */
	touch(d->rule);
	touch(d->msg);
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
	static const bid_import_sink sink = { on_qh, on_ql, on_rh, on_rl, on_diag, NULL, NULL };
	bid_doc_kind kind;
	bid_error err;
	int rc;

	xmlSetGenericErrorFunc(NULL, quiet);
	(void)bid_import_detect((const char *)data, size, &kind);
	rc = bid_import_parse((const char *)data, size, BID_FORMAT_UNKNOWN, "fuzz", &sink, &err);
	if (rc < 0)
		touch(err.msg);
	/* The UBL reader again on whatever it is: detection must not shield it. */
	rc = bid_import_parse((const char *)data, size, BID_FORMAT_UBL, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
		__builtin_trap();        /* every error says something, on one line */
	rc = bid_import_parse((const char *)data, size, BID_FORMAT_CSV, "fuzz", &sink, &err);
	if (rc < 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
		__builtin_trap();
	return 0;
}
