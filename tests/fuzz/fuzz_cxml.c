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
#include "touch.h"

static int nheaders;

static int on_qh(const bid_quote_header *h, void *payload)
{
	(void)payload;
	if (!h->supplier_id || !h->supplier_id[0] || nheaders++)
		__builtin_trap();        /* required, and one header per document */
	if (!h->has_charges && (h->charges || h->charges_currency))
		__builtin_trap();        /* charges: absent is zero, no currency */
	touch_quote_header(h);
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
	for (i = 0; i < l->ntiers; i++)
		if (l->tiers[i].price <= 0 || (i && l->tiers[i].from_qty <= l->tiers[i - 1].from_qty))
			__builtin_trap();    /* tiers are checked before delivery */
	if (!l->has_charges && l->charges)
		__builtin_trap();        /* charges: absent is zero */
	touch_quote_line(l);
	return 0;
}

static int on_diag(const bid_diag *d, void *payload)
{
	(void)payload;
	check_msg(d->msg);
	touch_diag(d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const bid_import_sink sink = { on_qh, on_ql, NULL, NULL, on_diag, NULL, NULL };
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
