/*
 * detect.c - guess a document's format and kind from its first bytes
 * (and, for XML, the root element's namespace), never from a file name.
 * A cheap scan: no allocation for ASCII-compatible input, and no network.
 * Depends on libxml2 (for UTF-16 XML only), the C library and bidcmp/import.h.
 */
#include <string.h>

#include <libxml/xmlreader.h>

#include "importer.h"

#define NS_UBL_QUOTE "urn:oasis:names:specification:ubl:schema:xsd:Quotation-2"
#define NS_UBL_RFQ   "urn:oasis:names:specification:ubl:schema:xsd:RequestForQuotation-2"

/* How far into a document we look for the root element or a CSV header. */
#define SNIFF_MAX 65536

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Index of needle in s[from..n), or n when absent. */
static size_t find(const char *s, size_t n, size_t from, const char *needle)
{
	size_t k = strlen(needle);

	for (; from + k <= n; from++)
		if (s[from] == needle[0] && memcmp(s + from, needle, k) == 0)
			return from;
	return n;
}

/* Skip a <!DOCTYPE ...> or other declaration, with its internal subset. */
static size_t skip_decl(const char *s, size_t n, size_t i)
{
	int depth = 0;
	char quote = 0;

	for (; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			depth++;
		} else if (c == ']') {
			depth--;
		} else if (c == '>' && depth <= 0) {
			return i + 1;
		}
	}
	return n;
}

/*
 * The root element's namespace URI, from its start tag's xmlns or
 * xmlns:PREFIX attribute.  Sets *local to its local name.  Returns 0 when
 * no complete start tag is in sight.
 */
static int xml_root(const char *s, size_t n, const char **local, size_t *nlocal,
                    const char **ns, size_t *nns)
{
	size_t i = 0, qstart, qend, colon;

	*ns = NULL;
	*nns = 0;
	for (;;) {
		while (i < n && is_space(s[i]))
			i++;
		if (i + 1 >= n || s[i] != '<')
			return 0;
		if (s[i + 1] == '?')
			i = find(s, n, i, "?>") + 2;
		else if (i + 3 < n && memcmp(s + i, "<!--", 4) == 0)
			i = find(s, n, i + 4, "-->") + 3;
		else if (s[i + 1] == '!')
			i = skip_decl(s, n, i + 2);
		else
			break;
		if (i > n)
			return 0;
	}

	qstart = ++i;
	while (i < n && !is_space(s[i]) && s[i] != '>' && s[i] != '/')
		i++;
	if (i >= n || i == qstart)
		return 0;
	qend = i;
	for (colon = qstart; colon < qend && s[colon] != ':'; colon++)
		;
	if (colon < qend) {
		*local = s + colon + 1;
		*nlocal = qend - colon - 1;
	} else {
		*local = s + qstart;
		*nlocal = qend - qstart;
	}

	/* Attributes: name = "value" pairs up to the end of the tag. */
	for (;;) {
		size_t astart, aend, vstart;
		char quote;

		while (i < n && is_space(s[i]))
			i++;
		if (i >= n)
			return 0;
		if (s[i] == '>' || s[i] == '/')
			return 1;
		astart = i;
		while (i < n && !is_space(s[i]) && s[i] != '=' && s[i] != '>')
			i++;
		aend = i;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || s[i] != '=')
			return 0;
		i++;
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n || (s[i] != '"' && s[i] != '\''))
			return 0;
		quote = s[i++];
		vstart = i;
		while (i < n && s[i] != quote)
			i++;
		if (i >= n)
			return 0;

		/* xmlns binds the default namespace, xmlns:P the root's prefix P. */
		if (colon == qend) {
			if (aend - astart == 5 && memcmp(s + astart, "xmlns", 5) == 0) {
				*ns = s + vstart;
				*nns = i - vstart;
			}
		} else if (aend - astart == 6 + colon - qstart &&
		           memcmp(s + astart, "xmlns:", 6) == 0 &&
		           memcmp(s + astart + 6, s + qstart, colon - qstart) == 0) {
			*ns = s + vstart;
			*nns = i - vstart;
		}
		i++;
	}
}

static void quiet(void *payload, xmlErrorPtr error)
{
	(void)payload;
	(void)error;
}

/*
 * XML in an encoding that is not ASCII-compatible (UTF-16): let libxml2
 * decode just far enough to see the first element.  No DTD, no network.
 */
static bid_format xml_root_decoded(const char *data, size_t len, bid_doc_kind *kind)
{
	xmlTextReaderPtr r;
	bid_format fmt = BID_FORMAT_UNKNOWN;

	if (len > SNIFF_MAX)
		len = SNIFF_MAX;
	r = xmlReaderForMemory(data, (int)len, NULL, NULL,
	                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r)
		return fmt;
	xmlTextReaderSetStructuredErrorHandler(r, quiet, NULL);
	while (xmlTextReaderRead(r) == 1) {
		const char *ns, *local;
		int type = xmlTextReaderNodeType(r);

		if (type == XML_READER_TYPE_ENTITY_REFERENCE)
			break;
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		ns = (const char *)xmlTextReaderConstNamespaceUri(r);
		local = (const char *)xmlTextReaderConstLocalName(r);
		if (ns && strcmp(ns, NS_UBL_QUOTE) == 0)
			fmt = BID_FORMAT_UBL, *kind = BID_DOC_QUOTE;
		else if (ns && strcmp(ns, NS_UBL_RFQ) == 0)
			fmt = BID_FORMAT_UBL, *kind = BID_DOC_RFQ;
		else if (!ns && local && strcmp(local, "cXML") == 0)
			fmt = BID_FORMAT_CXML, *kind = BID_DOC_QUOTE;
		break;
	}
	xmlFreeTextReader(r);
	return fmt;
}

static int lower_eq(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != word[i])
			return 0;
	}
	return 1;
}

static int lower_contains(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word), i;

	for (i = 0; i + k <= n; i++)
		if (lower_eq(s + i, k, word))
			return 1;
	return 0;
}

/*
 * A first line that names CSV columns.  RFQ: part and quantity columns
 * (the RFQ reader reports anything else wrong with the header); bid
 * sheet: a supplier or a price column.
 */
static bid_format csv_header(const char *s, size_t n, bid_doc_kind *kind)
{
	size_t i = 0, eol;
	int part = 0, qty = 0, supplier = 0, price = 0, ncols = 0;

	for (eol = 0; eol < n && s[eol] != '\n' && s[eol] != '\r'; eol++)
		;
	while (i <= eol) {
		size_t a = i, b;

		while (i < eol && s[i] != ',')
			i++;
		b = i++;
		while (a < b && (is_space(s[a]) || s[a] == '"'))
			a++;
		while (b > a && (is_space(s[b - 1]) || s[b - 1] == '"'))
			b--;
		ncols++;
		part |= lower_eq(s + a, b - a, "part");
		qty |= lower_eq(s + a, b - a, "quantity");
		supplier |= lower_contains(s + a, b - a, "supplier");
		price |= lower_contains(s + a, b - a, "price");
	}
	/*
	 * One column naming both: a bid sheet saved with ';' or tabs, which
	 * the bid sheet reader explains.  With columns, either name is enough
	 * (an RFQ has neither), so a sheet missing one hears so from the bid
	 * sheet reader rather than "unknown column" from the RFQ reader.
	 */
	if ((supplier && price) || (ncols >= 2 && (supplier || price))) {
		*kind = BID_DOC_QUOTE;
		return BID_FORMAT_CSV;
	}
	if (ncols < 2)
		return BID_FORMAT_UNKNOWN;
	if (part && qty) {
		*kind = BID_DOC_RFQ;
		return BID_FORMAT_CSV;
	}
	return BID_FORMAT_UNKNOWN;
}

bid_format bid_import_detect(const char *data, size_t len, bid_doc_kind *kind_out)
{
	bid_doc_kind dummy;
	bid_doc_kind *kind = kind_out ? kind_out : &dummy;
	const unsigned char *u = (const unsigned char *)data;
	const char *local, *ns;
	size_t nlocal, nns, i = 0, n;

	*kind = BID_DOC_UNKNOWN;
	if (!data || len == 0)
		return BID_FORMAT_UNKNOWN;

	/* UTF-16 (a BOM, or "<" / "<?" as 16-bit units) is XML or nothing. */
	if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) ||
	                 (u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0)))
		return xml_root_decoded(data, len, kind);

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		i = 3;
	while (i < len && is_space(data[i]))
		i++;
	data += i;
	n = len - i > SNIFF_MAX ? SNIFF_MAX : len - i;
	if (n == 0)
		return BID_FORMAT_UNKNOWN;

	if (n >= 3 && (memcmp(data, "UNA", 3) == 0 || memcmp(data, "UNB", 3) == 0)) {
		*kind = BID_DOC_QUOTE;
		return BID_FORMAT_EDIFACT;
	}
	if (n >= 3 && memcmp(data, "ISA", 3) == 0) {
		*kind = BID_DOC_QUOTE;
		return BID_FORMAT_X12;
	}
	if (data[0] == '<') {
		if (!xml_root(data, n, &local, &nlocal, &ns, &nns))
			return BID_FORMAT_UNKNOWN;
		if (ns && nns == strlen(NS_UBL_QUOTE) && memcmp(ns, NS_UBL_QUOTE, nns) == 0) {
			*kind = BID_DOC_QUOTE;
			return BID_FORMAT_UBL;
		}
		if (ns && nns == strlen(NS_UBL_RFQ) && memcmp(ns, NS_UBL_RFQ, nns) == 0) {
			*kind = BID_DOC_RFQ;
			return BID_FORMAT_UBL;
		}
		if (!ns && nlocal == 4 && memcmp(local, "cXML", 4) == 0) {
			*kind = BID_DOC_QUOTE;
			return BID_FORMAT_CXML;
		}
		return BID_FORMAT_UNKNOWN;
	}
	return csv_header(data, n, kind);
}
