/*
 * rates.c - exchange-rate files: the ECB's euro reference rates (XML,
 * daily or historical; or its wide CSV) and a plain long CSV
 * (date,base,currency,rate).  A pure parser like the quote importers:
 * bytes in, one callback per rate; no network, no entities.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "importer.h"

/* The ECB's namespace for the Cube elements. */
#define ECB_NS "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The ECB quotes every currency per euro: 1 EUR buys `rate` of currency. */
static int ecb_rate(const char *cur, const char *rate, bid_date date, bid_pos pos,
                    const char *name, int (*cb)(const bid_rate *, void *), void *payload,
                    bid_error *err)
{
	bid_rate r;
	int rc;

	if (strlen(cur) != 3)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
		                        "currency '%.16s' is not a 3-letter ISO 4217 code", cur);
	if ((rc = bid_import__dec(&r.rate, "rate", rate, strlen(rate), name, pos, err)) < 0)
		return rc;
	if (r.rate <= 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
		                        "rate for %s must be positive", cur);
	r.base = cur;
	r.currency = "EUR";
	r.date = date;
	r.pos = pos;
	rc = cb(&r, payload);
	return rc < 0 ? bid_import__stopped(err, rc, name, pos) : 0;
}

static int parse_ecb_xml(const char *data, size_t len, const char *name,
                         int (*cb)(const bid_rate *, void *), void *payload, bid_error *err)
{
	xmlTextReaderPtr r;
	bid_xml_scan scan;
	bid_date date = BID_DATE_NONE;
	bid_pos pos;
	int rc = 0, ret, cubes = 0;

	if (bid_xml__entity_decl(data, len, &pos))
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
		                        "entity declarations are not allowed");
	if (!(r = bid_xml__reader(data, len)))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
	bid_xml__scan_init(&scan, data, len);
	while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *ns, *local;
		char *time, *cur, *rate;

		if (type == XML_READER_TYPE_DOCUMENT_TYPE && bid_xml__dtd_has_entities(r)) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
			                      "entity declarations are not allowed");
			break;
		}
		if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name,
			                      xmlTextReaderGetParserLineNumber(r), 1,
			                      "entity references are not allowed");
			break;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		pos = bid_xml__scan_tag(&scan, r);
		ns = (const char *)xmlTextReaderConstNamespaceUri(r);
		local = (const char *)xmlTextReaderConstLocalName(r);
		if (!ns || strcmp(ns, ECB_NS) != 0 || strcmp(local, "Cube") != 0)
			continue;
		time = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"time");
		cur = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"currency");
		rate = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"rate");
		if (time) {
			rc = bid_import__date(&date, "time", time, strlen(time), 0, name, pos, err);
		} else if (cur || rate) {
			if (!cur || !rate)
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line,
				                      pos.col, "a rate Cube needs both currency and rate");
			else if (date == BID_DATE_NONE)
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line,
				                      pos.col, "a rate Cube outside a Cube with a time");
			else
				rc = ecb_rate(cur, rate, date, pos, name, cb, payload, err);
			cubes++;
		}
		xmlFree(time);
		xmlFree(cur);
		xmlFree(rate);
	}
	if (rc == 0 && ret < 0) {
		const xmlError *e = xmlGetLastError();
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name,
		                      e ? e->line : 0, e ? e->int2 : 0, "XML error: %s",
		                      e && e->message ? e->message : "not well-formed");
		if (err) {
			/* libxml2's messages may span lines; ours are one */
			size_t n;
			for (n = 0; err->msg[n]; n++)
				if ((unsigned char)err->msg[n] < 0x20)
					err->msg[n] = ' ';
			while (n && err->msg[n - 1] == ' ')
				err->msg[--n] = '\0';
		}
	}
	if (rc == 0 && cubes == 0)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
		                      "no rates: expected ECB Cube elements with currency and rate");
	xmlFreeTextReader(r);
	return rc;
}

/* Which column is which in a rates CSV. */
enum { COL_DATE, COL_BASE, COL_CURRENCY, COL_RATE, NCOLS };

static int parse_csv(const char *data, size_t len, const char *name,
                     int (*cb)(const bid_rate *, void *), void *payload, bid_error *err)
{
	static const char *const names[NCOLS] = { "date", "base", "currency", "rate" };
	char *curs = NULL;            /* ECB wide form: the currency of each column */
	size_t col[NCOLS], i, ncols = 0, nrates = 0;
	int wide = 0, rc;
	bid_csv c;

	if ((rc = bid_csv__open(&c, data, len, name, err)) < 0)
		return rc;
	if ((rc = bid_csv__next(&c, err)) <= 0) {
		if (rc == 0)
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1, "empty file");
		goto done;
	}
	for (i = 0; i < NCOLS; i++)
		col[i] = (size_t)-1;
	/* "Date, USD, JPY, ..." is the ECB's own CSV: one column per currency. */
	if (c.nfields > 1 && strcmp(c.fields[0].text, "Date") == 0) {
		wide = 1;
		ncols = c.nfields;
		curs = calloc(ncols, 4);
		if (!curs) {
			rc = bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
			goto done;
		}
		for (i = 1; i < ncols; i++) {
			const bid_csv_field *f = &c.fields[i];
			if (f->len == 0 && i == ncols - 1)
				continue;           /* the ECB ends each line with a comma */
			if (f->len != 3) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line,
				                      f->col, "column %zu: expected a currency code", i + 1);
				goto done;
			}
			memcpy(curs + 4 * i, f->text, 3);
		}
	} else {
		for (i = 0; i < c.nfields; i++) {
			const bid_csv_field *f = &c.fields[i];
			size_t k;
			for (k = 0; k < NCOLS; k++)
				if (strcmp(f->text, names[k]) == 0)
					break;
			if (k == NCOLS || col[k] != (size_t)-1) {
				char shown[40];
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line,
				        f->col, "%s column '%s' (expected date,base,currency,rate)",
				        k == NCOLS ? "unknown" : "repeated",
				        bid_import__shown(shown, sizeof(shown), f->text, f->len));
				goto done;
			}
			col[k] = i;
		}
		for (i = 0; i < NCOLS; i++)
			if (col[i] == (size_t)-1) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
				                      "missing column '%s' (expected date,base,currency,rate)",
				                      names[i]);
				goto done;
			}
	}
	while ((rc = bid_csv__next(&c, err)) == 1) {
		const bid_csv_field *f = c.fields;
		bid_pos pos = { c.rec_line, 1 };
		bid_date date;
		bid_rate r;

		if (wide) {
			if ((rc = bid_import__date(&date, "Date", f[0].text, f[0].len, 0, name,
			                           (bid_pos){ f[0].line, f[0].col }, err)) < 0)
				goto done;
			for (i = 1; i < c.nfields && i < ncols; i++) {
				/* the historical file says N/A where a currency had no rate yet */
				if (!curs[4 * i] || f[i].len == 0 || strcmp(f[i].text, "N/A") == 0)
					continue;
				if ((rc = ecb_rate(curs + 4 * i, f[i].text, date,
				                   (bid_pos){ f[i].line, f[i].col }, name, cb, payload, err)) < 0)
					goto done;
				nrates++;
			}
			continue;
		}
		if (c.nfields < NCOLS) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, 1,
			                      "expected %d fields, found %zu", NCOLS, c.nfields);
			goto done;
		}
		if ((rc = bid_import__date(&r.date, "date", f[col[COL_DATE]].text, f[col[COL_DATE]].len,
		                           0, name, (bid_pos){ f[col[COL_DATE]].line, f[col[COL_DATE]].col },
		                           err)) < 0 ||
		    (rc = bid_import__dec(&r.rate, "rate", f[col[COL_RATE]].text, f[col[COL_RATE]].len,
		                          name, (bid_pos){ f[col[COL_RATE]].line, f[col[COL_RATE]].col },
		                          err)) < 0)
			goto done;
		if (r.rate <= 0) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name,
			                      f[col[COL_RATE]].line, f[col[COL_RATE]].col,
			                      "a rate must be positive");
			goto done;
		}
		r.base = f[col[COL_BASE]].text;
		r.currency = f[col[COL_CURRENCY]].text;
		r.pos = pos;
		if ((rc = cb(&r, payload)) < 0) {
			rc = bid_import__stopped(err, rc, name, pos);
			goto done;
		}
		nrates++;
	}
	if (rc == 0 && nrates == 0)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1, "no rates in the file");
done:
	free(curs);
	bid_csv__free(&c);
	return rc;
}

int bid_import_rates(const char *data, size_t len, const char *name,
                     int (*cb)(const bid_rate *r, void *payload), void *payload,
                     const char **source_out, bid_error *err)
{
	size_t i = 0;

	if (!name)
		name = "<input>";
	if (err)
		bid_error_clear(err);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && is_blank((unsigned char)data[i]))
		i++;
	if (i < len && data[i] == '<') {
		if (source_out)
			*source_out = "ECB";
		return parse_ecb_xml(data, len, name, cb, payload, err);
	}
	if (source_out)
		*source_out = "CSV";
	return parse_csv(data, len, name, cb, payload, err);
}
