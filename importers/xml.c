/*
 * xml.c - what the XML importers (ubl.c, cxml.c) share: a libxml2 reader
 * that never touches the network, a DTD or an entity; the refusal of
 * entity declarations before libxml2 sees them; libxml2's errors made
 * one line; and exact start-tag positions by a forward scan of the raw
 * bytes.  Depends on libxml2, the
 * C library and importer.h only.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "importer.h"

static const char *find_str(const char *p, const char *end, const char *pat)
{
	size_t k = strlen(pat);

	while (p && (size_t)(end - p) >= k) {
		if (!(p = memchr(p, pat[0], (size_t)(end - p) - k + 1)))
			return NULL;
		if (memcmp(p, pat, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* Past a <!DOCTYPE ...> (its internal subset may hold '>' in brackets). */
static const char *skip_decl(const char *p, const char *end)
{
	int depth = 0;
	char quote = 0;

	for (; p < end; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			depth--;
		} else if (*p == '>' && depth <= 0) {
			return p + 1;
		}
	}
	return NULL;
}

static int is_name_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

xmlTextReaderPtr bid_xml__reader(const char *data, size_t len)
{
	xmlTextReaderPtr r;

	xmlInitParser();
	/*
	 * No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR/
	 * DTDVALID (no DTD is read), NONET, and no XML_PARSE_HUGE so libxml2's
	 * own size and depth limits hold.
	 */
	r = xmlReaderForMemory(data, (int)len, NULL, NULL,
	                       XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
	                       XML_PARSE_NOWARNING);
	if (!r)
		return NULL;
	xmlTextReaderSetParserProp(r, XML_PARSER_LOADDTD, 0);
	xmlTextReaderSetParserProp(r, XML_PARSER_DEFAULTATTRS, 0);
	xmlTextReaderSetParserProp(r, XML_PARSER_VALIDATE, 0);
	xmlTextReaderSetParserProp(r, XML_PARSER_SUBST_ENTITIES, 0);
	return r;
}

int bid_xml__entity_decl(const char *data, size_t len, bid_pos *pos)
{
	const char *p = data, *end = data + len, *decl_end, *ent, *q;

	pos->line = pos->col = 1;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		                   (unsigned char)*p >= 0x80))
			p++;
		if (end - p < 2 || *p != '<')
			return 0;
		if (p[1] == '?') {
			if (!(p = find_str(p + 2, end, "?>")))
				return 0;
			p += 2;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if (!(p = find_str(p + 4, end, "-->")))
				return 0;
			p += 3;
		} else if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
			break;
		} else {
			return 0;
		}
	}
	if (!(decl_end = skip_decl(p + 2, end)))
		decl_end = end;
	if (!(ent = find_str(p, decl_end, "<!ENTITY")))
		return 0;
	for (q = data; q < ent; q++) {
		if (*q == '\n') {
			pos->line++;
			pos->col = 1;
		} else {
			pos->col++;
		}
	}
	return 1;
}

int bid_xml__dtd_has_entities(xmlTextReaderPtr r)
{
	/* Not xmlTextReaderCurrentDoc(): that would make us own the document. */
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	xmlDtdPtr dtd = node && node->type == XML_DTD_NODE ? (xmlDtdPtr)node : NULL;

	return dtd && (dtd->entities || dtd->pentities);
}

void bid_xml__scan_init(bid_xml_scan *s, const char *data, size_t len)
{
	s->cur = s->line_start = data;
	s->end = data + len;
	s->tag = NULL;
	s->line = 1;
	s->ok = 1;
}

static bid_pos scan_fallback(bid_xml_scan *s, xmlTextReaderPtr r)
{
	bid_pos pos;
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	long line = node ? xmlGetLineNo(node) : -1;

	s->ok = 0;
	s->tag = NULL;
	if (line <= 0)
		line = xmlTextReaderGetParserLineNumber(r);
	pos.line = line > 0 ? (uint32_t)line : 0;
	pos.col = 0;
	return pos;
}

bid_pos bid_xml__scan_tag(bid_xml_scan *s, xmlTextReaderPtr r)
{
	const char *p = s->cur, *q, *qname;
	size_t n;
	bid_pos pos;

	if (!s->ok)
		return scan_fallback(s, r);
	for (;;) {
		if (!p || !(p = memchr(p, '<', (size_t)(s->end - p))) || s->end - p < 2)
			return scan_fallback(s, r);
		if (p[1] == '/') {
			p += 2;
		} else if (p[1] == '?') {
			if ((p = find_str(p + 2, s->end, "?>")))
				p += 2;
		} else if (p[1] == '!') {
			if (s->end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
				if ((p = find_str(p + 4, s->end, "-->")))
					p += 3;
			} else if (s->end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
				if ((p = find_str(p + 9, s->end, "]]>")))
					p += 3;
			} else {
				p = skip_decl(p + 2, s->end);
			}
		} else {
			break;
		}
	}

	qname = (const char *)xmlTextReaderConstName(r);
	n = qname ? strlen(qname) : 0;
	if (n == 0 || (size_t)(s->end - p - 1) < n || memcmp(p + 1, qname, n) != 0 ||
	    (p + 1 + n < s->end && !is_name_end(p[1 + n])))
		return scan_fallback(s, r);

	for (q = s->cur; q < p && (q = memchr(q, '\n', (size_t)(p - q))); q++) {
		s->line++;
		s->line_start = q + 1;
	}
	pos.line = s->line;
	pos.col = (uint32_t)(p - s->line_start) + 1;
	s->tag = p;
	s->cur = p + 1;
	return pos;
}

/* ---- libxml2's errors --------------------------------------------- */

bid_pos bid_xml__err_pos(const xmlError *e)
{
	bid_pos pos = { (uint32_t)(e->line > 0 ? e->line : 0),
	                (uint32_t)(e->int2 > 0 ? e->int2 : 0) };

	return pos;
}

const char *bid_xml__err_text(char *buf, size_t size, const xmlError *e)
{
	size_t n = strlen(e->message);

	while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
		n--;
	return bid_import__shown(buf, size, e->message, n);
}

void bid_xml__err_keep(bid_xml_error *x, const xmlError *e, int spaces)
{
	size_t n;

	x->set = 1;
	x->fatal = e->level == XML_ERR_FATAL;
	x->code = e->code;
	x->line = e->line;
	x->col = e->int2;
	if (!spaces) {
		bid_xml__err_text(x->msg, sizeof(x->msg), e);
		return;
	}
	snprintf(x->msg, sizeof(x->msg), "%s", e->message ? e->message : "unknown error");
	/* Our messages are one line; libxml2's sometimes are two. */
	for (n = 0; x->msg[n]; n++)
		if ((unsigned char)x->msg[n] < 0x20)
			x->msg[n] = ' ';
	while (n && x->msg[n - 1] == ' ')
		x->msg[--n] = '\0';
}
