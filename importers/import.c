/*
 * import.c - the importers' front door: detect the format, dispatch to
 * its parser, and the small helpers every importer shares (buffers,
 * warnings, value messages).  Pure parsing: depends on the C library and
 * the public bidcmp headers only, never on engine/ or SQLite.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

const char *bid_format_name(bid_format fmt)
{
	switch (fmt) {
	case BID_FORMAT_UBL:     return "ubl";
	case BID_FORMAT_CXML:    return "cxml";
	case BID_FORMAT_EDIFACT: return "edifact";
	case BID_FORMAT_X12:     return "x12";
	case BID_FORMAT_CSV:     return "csv";
	default:                 return "unknown";
	}
}

int bid_import_parse(const char *data, size_t len, bid_format fmt,
                     const char *name, const bid_import_sink *sink,
                     bid_error *err)
{
	static const bid_import_sink none;
	bid_doc_kind kind = BID_DOC_UNKNOWN;
	bid_format found;

	if (!name)
		name = "<input>";
	if (!sink)
		sink = &none;
	if (!data && len)
		return bid_error_set(err, BID_EUSAGE, BID_AREA_IMPORT,
		                     "bid_import_parse: no data");
	if (err)
		bid_error_clear(err);

	/* The kind comes from content even when the caller names the format. */
	found = bid_import_detect(data, len, &kind);
	if (fmt == BID_FORMAT_UNKNOWN)
		fmt = found;
	else if (fmt != found)
		kind = BID_DOC_UNKNOWN;

	switch (fmt) {
	case BID_FORMAT_UBL:
		return bid_ubl__parse(data, len, name, sink, err);
	case BID_FORMAT_CSV:
		if (kind == BID_DOC_QUOTE)
			return bid_csv__parse_quote(data, len, name, sink, err);
		return bid_csv__parse_rfq(data, len, name, sink, err);
	case BID_FORMAT_CXML:
		return bid_cxml__parse(data, len, name, sink, err);
	case BID_FORMAT_EDIFACT:
		return bid_edifact__parse(data, len, name, sink, err);
	case BID_FORMAT_X12:
		return bid_x12__parse(data, len, name, sink, err);
	default:
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
		        "unknown format: expected UBL Quotation or RequestForQuotation XML, "
		        "cXML, UN/EDIFACT, X12, or a CSV with header "
		        "part,description,quantity,unit,need_by");
	}
}

void bid_import__progress(const bid_import_sink *sink, const char *base, const char *p,
                          size_t *mark)
{
	size_t off = (size_t)(p - base);

	if (!sink->progress || off < *mark + BID_PROGRESS_STEP)
		return;
	*mark = off;
	sink->progress(off, sink->payload);
}

int bid_strbuf__append(bid_strbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap - b->len <= n) {
			if (cap > (size_t)-1 / 2)
				return BID_ENOMEM;
			cap *= 2;
		}
		if (!(p = realloc(b->p, cap)))
			return BID_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void bid_strbuf__free(bid_strbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int bid_import__warn(const bid_import_sink *sink, bid_pos pos, const char *rule,
                     const char *fmt, ...)
{
	char msg[512];
	bid_diag d;
	va_list ap;

	if (!sink->diag)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d.severity = BID_SEV_WARNING;
	d.pos = pos;
	d.rule = rule;
	d.msg = msg;
	return sink->diag(&d, sink->payload);
}

int bid_import__stopped(bid_error *err, int rc, const char *name, bid_pos pos)
{
	if (err && err->code == BID_OK)
		bid_error_set_at(err, rc, BID_AREA_IMPORT, name, pos.line, pos.col,
		                 "import stopped by its consumer (%s)", bid_error_str(rc));
	return rc;
}

/* Trim ASCII white space: XML and CSV values are compared trimmed. */
static void trim(const char **text, size_t *len)
{
	const char *s = *text;
	size_t n = *len;

	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*text = s;
	*len = n;
}

const char *bid_import__shown(char *buf, size_t size, const char *text, size_t len)
{
	size_t i, n = len < size ? len : size - 1;

	/* Cut long text at a UTF-8 boundary, leaving room for "...". */
	if (len >= size) {
		n = size >= 4 ? size - 4 : 0;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
	if (len >= size && size >= 4)
		memcpy(buf + n, "...", 3), n += 3;
	buf[n] = '\0';
	return buf;
}

int bid_import__dec(bid_dec *out, const char *what, const char *text, size_t len,
                    const char *name, bid_pos pos, bid_error *err)
{
	bid_error why;
	char shown[48], reason[160];
	int rc;

	trim(&text, &len);
	bid_error_clear(&why);
	if (len == 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
		                        "%s is empty: expected a decimal like 12.50", what);
	if ((rc = bid_dec_parse(out, text, len, &why)) == 0)
		return 0;
	return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
	                        "%s '%s' is not a decimal: %s", what,
	                        bid_import__shown(shown, sizeof(shown), text, len),
	                        why.msg[0] ? bid_import__shown(reason, sizeof(reason), why.msg,
	                                                       strlen(why.msg))
	                                   : bid_error_str(rc));
}

int bid_import__date(bid_date *out, const char *what, const char *text, size_t len,
                     int lenient, const char *name, bid_pos pos, bid_error *err)
{
	bid_error why;
	char shown[48], reason[160];
	int rc;

	trim(&text, &len);
	bid_error_clear(&why);
	if (len == 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
		                        "%s is empty: expected a date YYYY-MM-DD", what);
	if ((rc = bid_date_parse(out, text, len, lenient, &why)) == 0)
		return 0;
	return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, pos.line, pos.col,
	                        "%s '%s' is not a date: %s", what,
	                        bid_import__shown(shown, sizeof(shown), text, len),
	                        why.msg[0] ? bid_import__shown(reason, sizeof(reason), why.msg,
	                                                       strlen(why.msg))
	                                   : "expected YYYY-MM-DD");
}
