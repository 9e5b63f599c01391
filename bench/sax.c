/* sax: the bare libxml2 SAX2 baseline of the UBL import benchmark (make bench).
 * `sax FILE...` maps each file and feeds it to one libxml2 push parser
 * (XML_PARSE_NONET, no entity substitution, no DTD, no tree) whose
 * startElementNs/endElementNs/characters callbacks extract what the UBL
 * importer extracts -- header ids, per line the ids, quantity+unitCode,
 * price+currencyID, base quantity, min/max, lead time, dates, amounts --
 * copying the texts into one struct per QuotationLine as a real consumer
 * would.  No decimal parsing, no checks, no store: the least such a reader
 * does.  Prints elements, quote lines and a checksum of what it kept. */

#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

#define CHUNK     (256 * 1024)
#define MAX_DEPTH 256
#define FIELD     64

/* The elements on the paths we read; everything else is OTHER. */
enum el {
	OTHER = 0, QUOTATION_LINE, LINE_ITEM, ITEM, PRICE, PRICING_REF, OILQ, ALT_PRICE,
	SELLERS_ID, BUYERS_ID, STANDARD_ID, MANUF_ID, DELIVERY, PROMISED, SUPPLIER_PARTY,
	PARTY, PARTY_ID, PARTY_NAME, ORIGIN, MANUF_PARTY, ADD_PROP, REQ_LINE_REF,
	ID, QUANTITY, PRICE_AMOUNT, BASE_QUANTITY, MIN_QUANTITY, MAX_QUANTITY, LEAD_TIME,
	START_DATE, END_DATE, NAME, DESCRIPTION, RFQ_LINE_ID, LINE_ID, ACCOUNT_ID,
	LINE_AMOUNT, CODE, VALUE, N_EL
};

static const struct { const char *name; int cbc; } names[N_EL] = {
	[QUOTATION_LINE] = { "QuotationLine", 0 }, [LINE_ITEM] = { "LineItem", 0 },
	[ITEM] = { "Item", 0 }, [PRICE] = { "Price", 0 }, [PRICING_REF] = { "PricingReference", 0 },
	[OILQ] = { "OriginalItemLocationQuantity", 0 },
	[ALT_PRICE] = { "AlternativeConditionPrice", 0 },
	[SELLERS_ID] = { "SellersItemIdentification", 0 },
	[BUYERS_ID] = { "BuyersItemIdentification", 0 },
	[STANDARD_ID] = { "StandardItemIdentification", 0 },
	[MANUF_ID] = { "ManufacturersItemIdentification", 0 },
	[DELIVERY] = { "Delivery", 0 }, [PROMISED] = { "PromisedDeliveryPeriod", 0 },
	[SUPPLIER_PARTY] = { "SellerSupplierParty", 0 }, [PARTY] = { "Party", 0 },
	[PARTY_ID] = { "PartyIdentification", 0 }, [PARTY_NAME] = { "PartyName", 0 },
	[ORIGIN] = { "OriginCountry", 0 }, [MANUF_PARTY] = { "ManufacturerParty", 0 },
	[ADD_PROP] = { "AdditionalItemProperty", 0 },
	[REQ_LINE_REF] = { "RequestLineReference", 0 },
	[ID] = { "ID", 1 }, [QUANTITY] = { "Quantity", 1 }, [PRICE_AMOUNT] = { "PriceAmount", 1 },
	[BASE_QUANTITY] = { "BaseQuantity", 1 }, [MIN_QUANTITY] = { "MinimumQuantity", 1 },
	[MAX_QUANTITY] = { "MaximumQuantity", 1 }, [LEAD_TIME] = { "LeadTimeMeasure", 1 },
	[START_DATE] = { "StartDate", 1 }, [END_DATE] = { "EndDate", 1 }, [NAME] = { "Name", 1 },
	[DESCRIPTION] = { "Description", 1 }, [RFQ_LINE_ID] = { "RequestForQuotationLineID", 1 },
	[LINE_ID] = { "LineID", 1 }, [ACCOUNT_ID] = { "CustomerAssignedAccountID", 1 },
	[LINE_AMOUNT] = { "LineExtensionAmount", 1 }, [CODE] = { "IdentificationCode", 1 },
	[VALUE] = { "Value", 1 },
};

/* What one line holds once read: fixed fields, as a consumer would keep them. */
enum field {
	F_NONE = 0, F_LINE_ID, F_RFQ_LINE, F_ITEM_ID, F_BUYER, F_SELLER, F_STANDARD, F_MANUF_ID,
	F_QTY, F_PRICE, F_BASIS, F_MIN, F_MAX, F_LEAD, F_DELIVERY, F_NAME, F_DESC, F_AMOUNT,
	F_ORIGIN, F_MANUF, F_PROP_NAME, F_PROP_VALUE, N_FIELD,
	F_SUPPLIER = N_FIELD          /* a header field, kept apart */
};

typedef struct line {
	char text[N_FIELD][FIELD];
	char attr[N_FIELD][8];     /* unitCode or currencyID */
} line;

typedef struct walk {
	unsigned char stack[MAX_DEPTH];
	int           depth;
	int           field, field_depth;
	char          buf[FIELD];
	size_t        nbuf;
	char          supplier[FIELD];
	line          cur;
	unsigned long long elements, lines;
	unsigned long sum;
	/* name interning: the parser's dictionary gives stable pointers */
	const xmlChar *cac, *cbc;
	struct { const xmlChar *key; unsigned char code; } cache[512];
} walk;

static int lookup(walk *w, const xmlChar *local, const xmlChar *uri)
{
	size_t h = ((size_t)local >> 4) % 512;
	int cbc, e;

	if (!uri)
		return OTHER;
	if (uri != w->cac && uri != w->cbc) {
		if (strcmp((const char *)uri, NS_CAC) == 0)
			w->cac = uri;
		else if (strcmp((const char *)uri, NS_CBC) == 0)
			w->cbc = uri;
		else
			return OTHER;
	}
	cbc = uri == w->cbc;
	if (w->cache[h].key != local) {
		w->cache[h].key = local;
		w->cache[h].code = 0;
		for (e = 1; e < N_EL; e++)
			if (strcmp((const char *)local, names[e].name) == 0) {
				w->cache[h].code = (unsigned char)e;
				break;
			}
	}
	e = w->cache[h].code;
	return e && names[e].cbc == cbc ? e : OTHER;
}

/* The field for the element on top of the stack, from its path. */
static int field_of(const unsigned char *s, int d)
{
	if (d >= 2 && s[1] == QUOTATION_LINE) {
		if (d == 2)
			return s[2] == ID ? F_LINE_ID : s[2] == RFQ_LINE_ID ? F_RFQ_LINE :
			       s[2] == QUANTITY ? F_QTY : s[2] == LINE_AMOUNT ? F_AMOUNT : F_NONE;
		if (s[2] == REQ_LINE_REF)
			return d == 3 && s[3] == LINE_ID ? F_RFQ_LINE : F_NONE;
		if (s[2] != LINE_ITEM)
			return F_NONE;
		if (d == 3)
			return s[3] == ID ? F_ITEM_ID : s[3] == QUANTITY ? F_QTY :
			       s[3] == MIN_QUANTITY ? F_MIN : s[3] == MAX_QUANTITY ? F_MAX :
			       s[3] == LINE_AMOUNT ? F_AMOUNT : F_NONE;
		if (d == 4 && s[3] == PRICE)
			return s[4] == PRICE_AMOUNT ? F_PRICE : s[4] == BASE_QUANTITY ? F_BASIS : F_NONE;
		if (d == 4 && s[3] == ITEM)
			return s[4] == NAME ? F_NAME : s[4] == DESCRIPTION ? F_DESC : F_NONE;
		if (d == 5 && s[3] == ITEM && s[5] == ID)
			return s[4] == BUYERS_ID ? F_BUYER : s[4] == SELLERS_ID ? F_SELLER :
			       s[4] == STANDARD_ID ? F_STANDARD : s[4] == MANUF_ID ? F_MANUF_ID : F_NONE;
		if (d == 5 && s[3] == ITEM && s[4] == ORIGIN && s[5] == CODE)
			return F_ORIGIN;
		if (d == 5 && s[3] == ITEM && s[4] == ADD_PROP)
			return s[5] == NAME ? F_PROP_NAME : s[5] == VALUE ? F_PROP_VALUE : F_NONE;
		if (d == 6 && s[3] == ITEM && s[4] == MANUF_PARTY && s[5] == PARTY_NAME && s[6] == NAME)
			return F_MANUF;
		if (d == 5 && s[3] == PRICING_REF && s[4] == OILQ)
			return s[5] == LEAD_TIME ? F_LEAD : s[5] == MIN_QUANTITY ? F_MIN :
			       s[5] == MAX_QUANTITY ? F_MAX : F_NONE;
		if (d == 5 && s[3] == DELIVERY && s[4] == PROMISED && s[5] == END_DATE)
			return F_DELIVERY;
		return F_NONE;
	}
	if (d == 2 && s[1] == SUPPLIER_PARTY && s[2] == ACCOUNT_ID)
		return F_SUPPLIER;
	return F_NONE;
}

static void copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static unsigned long fold(unsigned long h, const char *s)
{
	while (*s)
		h = h * 31 + (unsigned char)*s++;
	return h;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
                     int ndefaulted, const xmlChar **attrs)
{
	walk *w = ctx;
	int d = w->depth++, f, i;

	(void)prefix, (void)nns, (void)ns, (void)ndefaulted;
	w->elements++;
	if (d >= MAX_DEPTH)
		return;
	w->stack[d] = (unsigned char)lookup(w, local, uri);
	if (d == 1 && w->stack[1] == QUOTATION_LINE)
		memset(&w->cur, 0, sizeof(w->cur));
	if (w->field || !(f = field_of(w->stack, d)))
		return;
	w->field = f;
	w->field_depth = d;
	w->nbuf = 0;
	if (f >= N_FIELD)
		return;
	/* unitCode / currencyID: localname, prefix, URI, value, end */
	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (!a[2] && (strcmp((const char *)a[0], "unitCode") == 0 ||
		              strcmp((const char *)a[0], "currencyID") == 0))
			copy(w->cur.attr[f], sizeof(w->cur.attr[f]), (const char *)a[3],
			     (size_t)(a[4] - a[3]));
	}
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	walk *w = ctx;
	int d = --w->depth, i;

	(void)local, (void)prefix, (void)uri;
	if (w->field && d == w->field_depth) {
		if (w->field >= N_FIELD)
			copy(w->supplier, sizeof(w->supplier), w->buf, w->nbuf);
		else
			copy(w->cur.text[w->field], FIELD, w->buf, w->nbuf);
		w->field = 0;
	}
	if (d == 1 && w->stack[1] == QUOTATION_LINE) {
		/* The consumer takes the line. */
		w->lines++;
		for (i = 1; i < N_FIELD; i++)
			w->sum = fold(fold(w->sum, w->cur.text[i]), w->cur.attr[i]);
	}
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
	walk *w = ctx;
	size_t n = (size_t)len;

	if (!w->field)
		return;
	if (n > sizeof(w->buf) - w->nbuf)
		n = sizeof(w->buf) - w->nbuf;
	memcpy(w->buf + w->nbuf, ch, n);
	w->nbuf += n;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e && e->level >= XML_ERR_ERROR)
		fprintf(stderr, "sax: line %d: %s", e->line, e->message ? e->message : "error\n");
}

static int walk_file(walk *w, const char *path)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctxt;
	struct stat st;
	const char *data;
	size_t off;
	int fd, ok;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "sax: %s: cannot open\n", path);
		return -1;
	}
	data = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (st.st_size && data == MAP_FAILED) {
		fprintf(stderr, "sax: %s: cannot map\n", path);
		return -1;
	}
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_chars;
	sax.cdataBlock = on_chars;
	sax.serror = on_error;
	w->depth = 0;
	w->field = 0;
	ctxt = xmlCreatePushParserCtxt(&sax, w, NULL, 0, path);
	if (!ctxt) {
		fprintf(stderr, "sax: out of memory\n");
		return -1;
	}
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	for (off = 0; off < (size_t)st.st_size; off += CHUNK) {
		size_t n = (size_t)st.st_size - off < CHUNK ? (size_t)st.st_size - off : CHUNK;

		if (xmlParseChunk(ctxt, data + off, (int)n, 0) != 0)
			break;
	}
	xmlParseChunk(ctxt, NULL, 0, 1);
	ok = ctxt->wellFormed;
	xmlFreeParserCtxt(ctxt);
	if (data)
		munmap((void *)data, (size_t)st.st_size);
	if (!ok) {
		fprintf(stderr, "sax: %s: not well-formed XML\n", path);
		return -1;
	}
	w->sum = fold(w->sum, w->supplier);
	return 0;
}

int main(int argc, char **argv)
{
	walk *w;
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: sax FILE...\n");
		return 2;
	}
	LIBXML_TEST_VERSION
	if (!(w = calloc(1, sizeof(*w)))) {
		fprintf(stderr, "sax: out of memory\n");
		return 1;
	}
	for (i = 1; i < argc; i++)
		if (walk_file(w, argv[i]) < 0)
			failed = 1;
	printf("elements %llu quote_lines %llu (checksum %lx)\n", w->elements, w->lines, w->sum);
	free(w);
	xmlCleanupParser();
	return failed;
}
