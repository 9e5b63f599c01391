/*
 * ubl.c - OASIS UBL 2.0-2.3 Quotation and RequestForQuotation importer.
 * One streaming xmlTextReader pass (never a DOM tree) that matches
 * elements by namespace URI and local name, never by prefix, and hands
 * canonical headers and lines to the sink.  Depends on libxml2, the C
 * library and the public bidcmp headers only (no engine/, no SQLite).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "importer.h"

#define NS_QUOTE "urn:oasis:names:specification:ubl:schema:xsd:Quotation-2"
#define NS_RFQ   "urn:oasis:names:specification:ubl:schema:xsd:RequestForQuotation-2"
#define NS_CAC   "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC   "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

/*
 * Limits against hostile input.  Real UBL nests about 10 deep and no
 * value we read is near 64 KiB; libxml2's own limits (no XML_PARSE_HUGE)
 * stay in force beneath these.
 */
#define MAX_DEPTH     256
#define MAX_TEXT      65536
#define MAX_XML_WARN  20
#define MAX_LEAD_DAYS 100000

/* The elements we care about; everything else is E_OTHER and ignored. */
enum el {
	E_OTHER = 0,
	E_QUOTATION, E_RFQ_DOC,
	/* cac */
	E_VALIDITY_PERIOD, E_RFQ_DOC_REF, E_SELLER_SUPPLIER_PARTY, E_PARTY,
	E_PARTY_IDENTIFICATION, E_PARTY_NAME, E_PARTY_LEGAL_ENTITY, E_QUOTATION_LINE,
	E_RFQ_LINE, E_LINE_ITEM, E_ITEM, E_SELLERS_ITEM_ID, E_STANDARD_ITEM_ID,
	E_BUYERS_ITEM_ID, E_MANUFACTURERS_ITEM_ID, E_REQUEST_LINE_REFERENCE, E_PRICE,
	E_PRICING_REFERENCE, E_ORIGINAL_ILQ, E_DELIVERY, E_PROMISED_PERIOD,
	E_REQUESTED_PERIOD, E_SUBSTITUTE_LINE_ITEM, E_ALTERNATIVE_LINE_ITEM,
	/* cbc */
	E_ID, E_ISSUE_DATE, E_PRICING_CURRENCY, E_START_DATE, E_END_DATE,
	E_CUSTOMER_ACCOUNT_ID, E_ENDPOINT_ID, E_COMPANY_ID, E_NAME, E_DESCRIPTION, E_NOTE,
	E_RFQ_LINE_ID, E_LINE_ID, E_QUANTITY, E_PRICE_AMOUNT, E_BASE_QUANTITY,
	E_MIN_QUANTITY, E_MAX_QUANTITY, E_LEAD_TIME, E_SUBMISSION_DUE,
	E__COUNT
};

enum nskind { NSK_NONE = 0, NSK_QUOTE, NSK_RFQ, NSK_CAC, NSK_CBC };

static const struct {
	const char *name;
	int         ns;
} el_info[E__COUNT] = {
	[E_QUOTATION]             = { "Quotation", NSK_QUOTE },
	[E_RFQ_DOC]               = { "RequestForQuotation", NSK_RFQ },
	[E_VALIDITY_PERIOD]       = { "ValidityPeriod", NSK_CAC },
	[E_RFQ_DOC_REF]           = { "RequestForQuotationDocumentReference", NSK_CAC },
	[E_SELLER_SUPPLIER_PARTY] = { "SellerSupplierParty", NSK_CAC },
	[E_PARTY]                 = { "Party", NSK_CAC },
	[E_PARTY_IDENTIFICATION]  = { "PartyIdentification", NSK_CAC },
	[E_PARTY_NAME]            = { "PartyName", NSK_CAC },
	[E_PARTY_LEGAL_ENTITY]    = { "PartyLegalEntity", NSK_CAC },
	[E_QUOTATION_LINE]        = { "QuotationLine", NSK_CAC },
	[E_RFQ_LINE]              = { "RequestForQuotationLine", NSK_CAC },
	[E_LINE_ITEM]             = { "LineItem", NSK_CAC },
	[E_ITEM]                  = { "Item", NSK_CAC },
	[E_SELLERS_ITEM_ID]       = { "SellersItemIdentification", NSK_CAC },
	[E_STANDARD_ITEM_ID]      = { "StandardItemIdentification", NSK_CAC },
	[E_BUYERS_ITEM_ID]        = { "BuyersItemIdentification", NSK_CAC },
	[E_MANUFACTURERS_ITEM_ID] = { "ManufacturersItemIdentification", NSK_CAC },
	[E_REQUEST_LINE_REFERENCE] = { "RequestLineReference", NSK_CAC },
	[E_PRICE]                 = { "Price", NSK_CAC },
	[E_PRICING_REFERENCE]     = { "PricingReference", NSK_CAC },
	[E_ORIGINAL_ILQ]          = { "OriginalItemLocationQuantity", NSK_CAC },
	[E_DELIVERY]              = { "Delivery", NSK_CAC },
	[E_PROMISED_PERIOD]       = { "PromisedDeliveryPeriod", NSK_CAC },
	[E_REQUESTED_PERIOD]      = { "RequestedDeliveryPeriod", NSK_CAC },
	[E_SUBSTITUTE_LINE_ITEM]  = { "SellerProposedSubstituteLineItem", NSK_CAC },
	[E_ALTERNATIVE_LINE_ITEM] = { "AlternativeLineItem", NSK_CAC },
	[E_ID]                    = { "ID", NSK_CBC },
	[E_ISSUE_DATE]            = { "IssueDate", NSK_CBC },
	[E_PRICING_CURRENCY]      = { "PricingCurrencyCode", NSK_CBC },
	[E_START_DATE]            = { "StartDate", NSK_CBC },
	[E_END_DATE]              = { "EndDate", NSK_CBC },
	[E_CUSTOMER_ACCOUNT_ID]   = { "CustomerAssignedAccountID", NSK_CBC },
	[E_ENDPOINT_ID]           = { "EndpointID", NSK_CBC },
	[E_COMPANY_ID]            = { "CompanyID", NSK_CBC },
	[E_NAME]                  = { "Name", NSK_CBC },
	[E_DESCRIPTION]           = { "Description", NSK_CBC },
	[E_NOTE]                  = { "Note", NSK_CBC },
	[E_RFQ_LINE_ID]           = { "RequestForQuotationLineID", NSK_CBC },
	[E_LINE_ID]               = { "LineID", NSK_CBC },
	[E_QUANTITY]              = { "Quantity", NSK_CBC },
	[E_PRICE_AMOUNT]          = { "PriceAmount", NSK_CBC },
	[E_BASE_QUANTITY]         = { "BaseQuantity", NSK_CBC },
	[E_MIN_QUANTITY]          = { "MinimumQuantity", NSK_CBC },
	[E_MAX_QUANTITY]          = { "MaximumQuantity", NSK_CBC },
	[E_LEAD_TIME]             = { "LeadTimeMeasure", NSK_CBC },
	[E_SUBMISSION_DUE]        = { "SubmissionDueDate", NSK_CBC },
};

/*
 * Slots: the values we capture.  Header slots live for the document,
 * line slots (from S_LINE_FIRST) are reset at each line.
 */
enum slot {
	S_NONE = 0,
	QH_ID, QH_ISSUE, QH_CURRENCY, QH_VALID_FROM, QH_VALID_UNTIL, QH_RFQ_REF,
	QH_SUP_ACCOUNT, QH_SUP_PARTY_ID, QH_SUP_ENDPOINT, QH_SUP_COMPANY, QH_SUP_NAME,
	RH_ID, RH_NOTE, RH_CURRENCY, RH_ISSUE, RH_DUE, RH_NEED_BY,
	S_LINE_FIRST,
	QL_ID = S_LINE_FIRST, QL_QTY_LINE, QL_RFQ_LINE_ID, QL_REQ_LINE_REF, QL_ITEM_ID,
	QL_QTY, QL_MIN, QL_MAX, QL_MIN_OILQ, QL_MAX_OILQ, QL_LEAD, QL_PRICE, QL_BASIS,
	QL_DELIV_END, QL_DELIV_START, QL_NAME, QL_DESC, QL_PART_SELLER, QL_PART_STANDARD,
	QL_PART_BUYER, QL_PART_MANUF,
	RL_ID, RL_NOTE, RL_ITEM_ID, RL_QTY, RL_BUYER, RL_SELLER, RL_NAME, RL_DESC, RL_NEED_BY,
	S__COUNT
};

enum vtype { T_TEXT = 0, T_DEC, T_DATE, T_LEAD };

static const struct {
	unsigned char type;
	const char   *attr;   /* the attribute to keep with the value */
	const char   *what;   /* the value's name in messages */
} slot_info[S__COUNT] = {
	[QH_ID]            = { T_TEXT, NULL, "quote id" },
	[QH_ISSUE]         = { T_DATE, NULL, "issue date" },
	[QH_CURRENCY]      = { T_TEXT, NULL, "pricing currency" },
	[QH_VALID_FROM]    = { T_DATE, NULL, "validity start date" },
	[QH_VALID_UNTIL]   = { T_DATE, NULL, "validity end date" },
	[QH_RFQ_REF]       = { T_TEXT, NULL, "RFQ reference" },
	[QH_SUP_ACCOUNT]   = { T_TEXT, NULL, "supplier account id" },
	[QH_SUP_PARTY_ID]  = { T_TEXT, NULL, "supplier party id" },
	[QH_SUP_ENDPOINT]  = { T_TEXT, NULL, "supplier endpoint id" },
	[QH_SUP_COMPANY]   = { T_TEXT, NULL, "supplier company id" },
	[QH_SUP_NAME]      = { T_TEXT, NULL, "supplier name" },
	[RH_ID]            = { T_TEXT, NULL, "RFQ id" },
	[RH_NOTE]          = { T_TEXT, NULL, "note" },
	[RH_CURRENCY]      = { T_TEXT, NULL, "pricing currency" },
	[RH_ISSUE]         = { T_DATE, NULL, "issue date" },
	[RH_DUE]           = { T_DATE, NULL, "submission due date" },
	[RH_NEED_BY]       = { T_DATE, NULL, "requested delivery date" },
	[QL_ID]            = { T_TEXT, NULL, "line id" },
	[QL_QTY_LINE]      = { T_DEC, "unitCode", "quantity" },
	[QL_RFQ_LINE_ID]   = { T_TEXT, NULL, "RFQ line id" },
	[QL_REQ_LINE_REF]  = { T_TEXT, NULL, "RFQ line reference" },
	[QL_ITEM_ID]       = { T_TEXT, NULL, "line item id" },
	[QL_QTY]           = { T_DEC, "unitCode", "quantity" },
	[QL_MIN]           = { T_DEC, NULL, "minimum quantity" },
	[QL_MAX]           = { T_DEC, NULL, "maximum quantity" },
	[QL_MIN_OILQ]      = { T_DEC, NULL, "minimum quantity" },
	[QL_MAX_OILQ]      = { T_DEC, NULL, "maximum quantity" },
	[QL_LEAD]          = { T_LEAD, "unitCode", "lead time" },
	[QL_PRICE]         = { T_DEC, "currencyID", "price" },
	[QL_BASIS]         = { T_DEC, "unitCode", "base quantity" },
	[QL_DELIV_END]     = { T_DATE, NULL, "promised delivery date" },
	[QL_DELIV_START]   = { T_DATE, NULL, "promised delivery date" },
	[QL_NAME]          = { T_TEXT, NULL, "item name" },
	[QL_DESC]          = { T_TEXT, NULL, "item description" },
	[QL_PART_SELLER]   = { T_TEXT, NULL, "seller's item id" },
	[QL_PART_STANDARD] = { T_TEXT, NULL, "standard item id" },
	[QL_PART_BUYER]    = { T_TEXT, NULL, "buyer's item id" },
	[QL_PART_MANUF]    = { T_TEXT, NULL, "manufacturer's item id" },
	[RL_ID]            = { T_TEXT, NULL, "line id" },
	[RL_NOTE]          = { T_TEXT, NULL, "note" },
	[RL_ITEM_ID]       = { T_TEXT, NULL, "line item id" },
	[RL_QTY]           = { T_DEC, "unitCode", "quantity" },
	[RL_BUYER]         = { T_TEXT, NULL, "buyer's item id" },
	[RL_SELLER]        = { T_TEXT, NULL, "seller's item id" },
	[RL_NAME]          = { T_TEXT, NULL, "item name" },
	[RL_DESC]          = { T_TEXT, NULL, "item description" },
	[RL_NEED_BY]       = { T_DATE, NULL, "requested delivery date" },
};

/* One captured value: text (and attribute) in an arena, plus its parse. */
typedef struct value {
	unsigned char set, has_attr;
	bid_pos       pos;
	size_t        off, len;        /* text in the slot's arena */
	size_t        attr_off;
	union {
		bid_dec  dec;
		bid_date date;
		int32_t  days;
	} v;
} value;

#define NAME_HASH 128

typedef struct ubl {
	xmlTextReaderPtr       r;
	const char            *name;
	const bid_import_sink *sink;
	bid_error             *err;
	int                    rc;          /* first failure; stops the loop */

	const xmlChar         *ns[5];       /* interned URIs by enum nskind */
	struct { const xmlChar *key; unsigned char code; } names[NAME_HASH];
	int                    by_strcmp;   /* the reader does not intern names */

	int                    kind;        /* BID_DOC_QUOTE or BID_DOC_RFQ, once seen */
	int                    root_done;
	int                    header_sent;
	unsigned char          stack[MAX_DEPTH];

	int                    cap_slot;    /* value being captured, or S_NONE */
	int                    cap_depth;
	bid_strbuf             text;        /* its text so far */

	value                  val[S__COUNT];
	bid_strbuf             harena, larena;
	bid_pos                line_pos;
	unsigned long          nlines;
	char                   line_label[80];

	bid_xml_scan           scan;
	int                    xml_warnings;
	struct {
		int  set, fatal, code;
		long line, col;
		char msg[200];
	} xerr;
} ubl;

/* ---- errors ------------------------------------------------------- */

static int fail_at(ubl *u, bid_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int fail_at(ubl *u, bid_pos pos, const char *fmt, ...)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	u->rc = bid_error_set_at(u->err, BID_EINVALID, BID_AREA_IMPORT, u->name,
	                         pos.line, pos.col, "%s", msg);
	return u->rc;
}

/* A value's own failure (already in err) or a callback's stop code. */
static int stop(ubl *u, int rc, bid_pos pos, int from_callback)
{
	if (from_callback)
		bid_import__stopped(u->err, rc, u->name, pos);
	u->rc = rc;
	return rc;
}

static int nomem(ubl *u)
{
	u->rc = bid_error_set(u->err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s",
	                      u->name);
	return u->rc;
}

/*
 * libxml2 reports here.  The first error ends the parse (recoverable
 * ones too: a document with an undefined prefix is not a quote we can
 * trust); warnings become diagnostics.
 */
static void on_xml_error(void *payload, xmlErrorPtr e)
{
	ubl *u = payload;
	const char *msg;
	size_t n;

	if (!e)
		return;
	if (e->level == XML_ERR_WARNING) {
		bid_pos pos = { (uint32_t)(e->line > 0 ? e->line : 0),
		                (uint32_t)(e->int2 > 0 ? e->int2 : 0) };
		char shown[200];
		int rc;

		if (u->rc || u->xerr.set || ++u->xml_warnings > MAX_XML_WARN || !e->message)
			return;
		n = strlen(e->message);
		while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
			n--;
		rc = bid_import__warn(u->sink, pos, "xml.warning", "%s",
		                      bid_import__shown(shown, sizeof(shown), e->message, n));
		if (rc < 0)
			stop(u, rc, pos, 1);
		return;
	}
	if (u->xerr.set)
		return;
	u->xerr.set = 1;
	u->xerr.fatal = e->level == XML_ERR_FATAL;
	u->xerr.code = e->code;
	u->xerr.line = e->line;
	u->xerr.col = e->int2;
	msg = e->message ? e->message : "unknown error";
	snprintf(u->xerr.msg, sizeof(u->xerr.msg), "%s", msg);
	/* Our messages are one line; libxml2's sometimes are two. */
	for (n = 0; u->xerr.msg[n]; n++)
		if ((unsigned char)u->xerr.msg[n] < 0x20)
			u->xerr.msg[n] = ' ';
	while (n && u->xerr.msg[n - 1] == ' ')
		u->xerr.msg[--n] = '\0';
}

static int report_xml_error(ubl *u)
{
	long line = u->xerr.line, col = u->xerr.col;

	if (line <= 0)
		line = xmlTextReaderGetParserLineNumber(u->r);
	u->rc = bid_error_set_at(u->err, BID_EINVALID, BID_AREA_IMPORT, u->name, line,
	                         col > 0 ? col : 0, "%s: %s",
	                         u->xerr.fatal ? "not well-formed XML" : "XML error",
	                         u->xerr.msg);
	if (u->err)
		u->err->cause = u->xerr.code;
	return u->rc;
}

/* ---- element names ------------------------------------------------ */

static size_t hash_ptr(const void *p)
{
	return (size_t)((((uintptr_t)p >> 3) * 2654435761u) % NAME_HASH);
}

/* Intern our names in the reader's dictionary so a node is one lookup. */
static void intern_names(ubl *u)
{
	int e;

	u->ns[NSK_QUOTE] = xmlTextReaderConstString(u->r, BAD_CAST NS_QUOTE);
	u->ns[NSK_RFQ] = xmlTextReaderConstString(u->r, BAD_CAST NS_RFQ);
	u->ns[NSK_CAC] = xmlTextReaderConstString(u->r, BAD_CAST NS_CAC);
	u->ns[NSK_CBC] = xmlTextReaderConstString(u->r, BAD_CAST NS_CBC);
	for (e = 1; e < E__COUNT; e++) {
		const xmlChar *k = xmlTextReaderConstString(u->r, BAD_CAST el_info[e].name);
		size_t h;

		if (!k)
			continue;
		for (h = hash_ptr(k); u->names[h].key && u->names[h].key != k; h = (h + 1) % NAME_HASH)
			;
		u->names[h].key = k;
		u->names[h].code = (unsigned char)e;
	}
}

static int name_code(const ubl *u, const xmlChar *local)
{
	size_t h;
	int e;

	if (u->by_strcmp) {
		for (e = 1; e < E__COUNT; e++)
			if (strcmp((const char *)local, el_info[e].name) == 0)
				return e;
		return E_OTHER;
	}
	for (h = hash_ptr(local); u->names[h].key; h = (h + 1) % NAME_HASH)
		if (u->names[h].key == local)
			return u->names[h].code;
	return E_OTHER;
}

/* The element the reader is on, if it is one we know (namespace first). */
static int classify(ubl *u)
{
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(u->r);
	const xmlChar *local;
	int nsk, code;

	if (!ns)
		return E_OTHER;
	if (ns == u->ns[NSK_CBC])
		nsk = NSK_CBC;
	else if (ns == u->ns[NSK_CAC])
		nsk = NSK_CAC;
	else if (ns == u->ns[NSK_QUOTE])
		nsk = NSK_QUOTE;
	else if (ns == u->ns[NSK_RFQ])
		nsk = NSK_RFQ;
	else
		return E_OTHER;
	if (!(local = xmlTextReaderConstLocalName(u->r)))
		return E_OTHER;
	code = name_code(u, local);
	return el_info[code].ns == nsk ? code : E_OTHER;
}

/* ---- what to capture where ---------------------------------------- */

/* The slot for the element at depth d, from the path of known elements. */
static int match_quote(const unsigned char *s, int d)
{
	if (d == 1) {
		switch (s[1]) {
		case E_ID:               return QH_ID;
		case E_ISSUE_DATE:       return QH_ISSUE;
		case E_PRICING_CURRENCY: return QH_CURRENCY;
		}
		return S_NONE;
	}
	switch (s[1]) {
	case E_VALIDITY_PERIOD:
		if (d == 2 && s[2] == E_START_DATE)
			return QH_VALID_FROM;
		if (d == 2 && s[2] == E_END_DATE)
			return QH_VALID_UNTIL;
		return S_NONE;
	case E_RFQ_DOC_REF:
		return d == 2 && s[2] == E_ID ? QH_RFQ_REF : S_NONE;
	case E_SELLER_SUPPLIER_PARTY:
		if (d == 2)
			return s[2] == E_CUSTOMER_ACCOUNT_ID ? QH_SUP_ACCOUNT : S_NONE;
		if (s[2] != E_PARTY)
			return S_NONE;
		if (d == 3)
			return s[3] == E_ENDPOINT_ID ? QH_SUP_ENDPOINT : S_NONE;
		if (d != 4)
			return S_NONE;
		if (s[3] == E_PARTY_IDENTIFICATION && s[4] == E_ID)
			return QH_SUP_PARTY_ID;
		if (s[3] == E_PARTY_NAME && s[4] == E_NAME)
			return QH_SUP_NAME;
		if (s[3] == E_PARTY_LEGAL_ENTITY && s[4] == E_COMPANY_ID)
			return QH_SUP_COMPANY;
		return S_NONE;
	case E_QUOTATION_LINE:
		break;
	default:
		return S_NONE;
	}

	/* Inside a QuotationLine.  Only its main LineItem counts. */
	if (d == 2) {
		switch (s[2]) {
		case E_ID:          return QL_ID;
		case E_QUANTITY:    return QL_QTY_LINE;
		case E_RFQ_LINE_ID: return QL_RFQ_LINE_ID;
		}
		return S_NONE;
	}
	if (s[2] == E_REQUEST_LINE_REFERENCE)
		return d == 3 && s[3] == E_LINE_ID ? QL_REQ_LINE_REF : S_NONE;
	if (s[2] != E_LINE_ITEM)
		return S_NONE;
	switch (d) {
	case 3:
		switch (s[3]) {
		case E_ID:           return QL_ITEM_ID;
		case E_QUANTITY:     return QL_QTY;
		case E_MIN_QUANTITY: return QL_MIN;
		case E_MAX_QUANTITY: return QL_MAX;
		}
		return S_NONE;
	case 4:
		if (s[3] == E_PRICE && s[4] == E_PRICE_AMOUNT)
			return QL_PRICE;
		if (s[3] == E_PRICE && s[4] == E_BASE_QUANTITY)
			return QL_BASIS;
		if (s[3] == E_ITEM && s[4] == E_NAME)
			return QL_NAME;
		if (s[3] == E_ITEM && s[4] == E_DESCRIPTION)
			return QL_DESC;
		return S_NONE;
	case 5:
		if (s[3] == E_ITEM && s[5] == E_ID) {
			switch (s[4]) {
			case E_SELLERS_ITEM_ID:       return QL_PART_SELLER;
			case E_STANDARD_ITEM_ID:      return QL_PART_STANDARD;
			case E_BUYERS_ITEM_ID:        return QL_PART_BUYER;
			case E_MANUFACTURERS_ITEM_ID: return QL_PART_MANUF;
			}
			return S_NONE;
		}
		if (s[3] == E_DELIVERY && s[4] == E_PROMISED_PERIOD)
			return s[5] == E_END_DATE ? QL_DELIV_END :
			       s[5] == E_START_DATE ? QL_DELIV_START : S_NONE;
		if (s[3] == E_PRICING_REFERENCE && s[4] == E_ORIGINAL_ILQ)
			return s[5] == E_MIN_QUANTITY ? QL_MIN_OILQ :
			       s[5] == E_MAX_QUANTITY ? QL_MAX_OILQ :
			       s[5] == E_LEAD_TIME ? QL_LEAD : S_NONE;
		return S_NONE;
	}
	return S_NONE;
}

static int match_rfq(const unsigned char *s, int d)
{
	if (d == 1) {
		switch (s[1]) {
		case E_ID:               return RH_ID;
		case E_NOTE:             return RH_NOTE;
		case E_PRICING_CURRENCY: return RH_CURRENCY;
		case E_ISSUE_DATE:       return RH_ISSUE;
		case E_SUBMISSION_DUE:   return RH_DUE;
		}
		return S_NONE;
	}
	if (s[1] == E_DELIVERY)
		return d == 3 && s[2] == E_REQUESTED_PERIOD && s[3] == E_END_DATE ? RH_NEED_BY : S_NONE;
	if (s[1] != E_RFQ_LINE)
		return S_NONE;
	if (d == 2)
		return s[2] == E_ID ? RL_ID : s[2] == E_NOTE ? RL_NOTE : S_NONE;
	if (s[2] != E_LINE_ITEM)
		return S_NONE;
	switch (d) {
	case 3:
		return s[3] == E_ID ? RL_ITEM_ID : s[3] == E_QUANTITY ? RL_QTY : S_NONE;
	case 4:
		if (s[3] == E_ITEM)
			return s[4] == E_NAME ? RL_NAME : s[4] == E_DESCRIPTION ? RL_DESC : S_NONE;
		return S_NONE;
	case 5:
		if (s[3] == E_ITEM && s[5] == E_ID)
			return s[4] == E_BUYERS_ITEM_ID ? RL_BUYER :
			       s[4] == E_SELLERS_ITEM_ID ? RL_SELLER : S_NONE;
		if (s[3] == E_DELIVERY && s[4] == E_REQUESTED_PERIOD && s[5] == E_END_DATE)
			return RL_NEED_BY;
		return S_NONE;
	}
	return S_NONE;
}

/* ---- captured values ---------------------------------------------- */

static bid_strbuf *arena_of(ubl *u, int slot)
{
	return slot < S_LINE_FIRST ? &u->harena : &u->larena;
}

/* The slot's text, or NULL when absent or empty. */
static const char *str(ubl *u, int slot)
{
	const value *v = &u->val[slot];

	return v->set && v->len ? arena_of(u, slot)->p + v->off : NULL;
}

static const char *attr(ubl *u, int slot)
{
	const value *v = &u->val[slot];

	return v->set && v->has_attr ? arena_of(u, slot)->p + v->attr_off : NULL;
}

/* Copy trimmed text into the slot's arena, NUL-terminated; sets off/len. */
static int keep(ubl *u, int slot, const char *s, size_t n, size_t *off, size_t *len)
{
	bid_strbuf *a = arena_of(u, slot);

	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*off = a->len;
	*len = n;
	if (bid_strbuf__append(a, s, n) < 0 || bid_strbuf__append(a, "", 1) < 0)
		return nomem(u);
	return 0;
}

/* Start capturing a value: remember where, and take its attribute now. */
static int capture_begin(ubl *u, int slot, int d, bid_pos pos)
{
	value *v = &u->val[slot];
	const char *want = slot_info[slot].attr;

	memset(v, 0, sizeof(*v));
	v->pos = pos;
	u->cap_slot = slot;
	u->cap_depth = d;
	u->text.len = 0;
	if (!want || xmlTextReaderMoveToFirstAttribute(u->r) != 1)
		return 0;
	do {
		const xmlChar *local = xmlTextReaderConstLocalName(u->r);
		const xmlChar *value_text;
		size_t len;

		/* Only unqualified attributes: xmlns declarations have a namespace. */
		if (xmlTextReaderConstNamespaceUri(u->r) || !local ||
		    strcmp((const char *)local, want) != 0)
			continue;
		if (!(value_text = xmlTextReaderConstValue(u->r)))
			break;
		if (keep(u, slot, (const char *)value_text, strlen((const char *)value_text),
		         &v->attr_off, &len) < 0)
			return u->rc;
		v->has_attr = len > 0;
		break;
	} while (xmlTextReaderMoveToNextAttribute(u->r) == 1);
	xmlTextReaderMoveToElement(u->r);
	return 0;
}

/* Lead time in whole days; part days round up (ready by the next day). */
static int lead_days(ubl *u, value *v, const char *unit)
{
	int64_t mult, whole, frac, days;

	if (!unit || strcmp(unit, "DAY") == 0)
		mult = 1;
	else if (strcmp(unit, "WEE") == 0)
		mult = 7;
	else {
		char shown[32];
		return fail_at(u, v->pos, "lead time unit '%s' is not supported: expected DAY or WEE",
		               bid_import__shown(shown, sizeof(shown), unit, strlen(unit)));
	}
	if (v->v.dec < 0)
		return fail_at(u, v->pos, "lead time must not be negative");
	whole = v->v.dec / BID_DEC_SCALE;
	frac = v->v.dec % BID_DEC_SCALE;
	if (whole > MAX_LEAD_DAYS)
		return fail_at(u, v->pos, "lead time is out of range (more than %d days)", MAX_LEAD_DAYS);
	days = whole * mult + (frac * mult + BID_DEC_SCALE - 1) / BID_DEC_SCALE;
	if (days > MAX_LEAD_DAYS)
		return fail_at(u, v->pos, "lead time is out of range (more than %d days)", MAX_LEAD_DAYS);
	v->v.days = (int32_t)days;
	return 0;
}

static int capture_end(ubl *u)
{
	int slot = u->cap_slot;
	value *v = &u->val[slot];
	const char *what = slot_info[slot].what;
	const char *t;

	u->cap_slot = S_NONE;
	if (keep(u, slot, u->text.p ? u->text.p : "", u->text.len, &v->off, &v->len) < 0)
		return u->rc;
	t = arena_of(u, slot)->p + v->off;
	switch (slot_info[slot].type) {
	case T_TEXT:
		/* An empty element is as good as none, so fallbacks apply. */
		v->set = v->len > 0;
		return 0;
	case T_DEC:
		if (bid_import__dec(&v->v.dec, what, t, v->len, u->name, v->pos, u->err) < 0)
			return stop(u, BID_EINVALID, v->pos, 0);
		break;
	case T_DATE:
		if (bid_import__date(&v->v.date, what, t, v->len, 1, u->name, v->pos, u->err) < 0)
			return stop(u, BID_EINVALID, v->pos, 0);
		break;
	case T_LEAD:
		if (bid_import__dec(&v->v.dec, what, t, v->len, u->name, v->pos, u->err) < 0)
			return stop(u, BID_EINVALID, v->pos, 0);
		if (lead_days(u, v, v->has_attr ? arena_of(u, slot)->p + v->attr_off : NULL) < 0)
			return u->rc;
		break;
	}
	v->set = 1;
	return 0;
}

static bid_date date_or_none(ubl *u, int slot)
{
	return u->val[slot].set ? u->val[slot].v.date : BID_DATE_NONE;
}

/* ---- headers and lines -------------------------------------------- */

static int send_quote_header(ubl *u, bid_pos at)
{
	static const int order[] = { QH_SUP_ACCOUNT, QH_SUP_PARTY_ID, QH_SUP_ENDPOINT, QH_SUP_COMPANY };
	bid_quote_header h;
	size_t i;
	int rc;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < sizeof(order) / sizeof(order[0]) && !h.supplier_id; i++) {
		if ((h.supplier_id = str(u, order[i])))
			h.pos = u->val[order[i]].pos;
	}
	if (!h.supplier_id)
		return fail_at(u, at, "no supplier id before the first QuotationLine: expected "
		               "cac:SellerSupplierParty with cbc:CustomerAssignedAccountID, "
		               "cac:Party/cac:PartyIdentification/cbc:ID, cac:Party/cbc:EndpointID "
		               "or cac:Party/cac:PartyLegalEntity/cbc:CompanyID");
	h.supplier_name = str(u, QH_SUP_NAME);
	h.quote_id = str(u, QH_ID);
	h.rfq_ref = str(u, QH_RFQ_REF);
	h.currency = str(u, QH_CURRENCY);
	h.issue_date = date_or_none(u, QH_ISSUE);
	h.valid_from = date_or_none(u, QH_VALID_FROM);
	h.valid_until = date_or_none(u, QH_VALID_UNTIL);
	u->header_sent = 1;
	if (u->sink->quote_header && (rc = u->sink->quote_header(&h, u->sink->payload)) < 0)
		return stop(u, rc, h.pos, 1);
	return 0;
}

static int send_rfq_header(ubl *u, bid_pos at)
{
	bid_rfq_header h;
	int rc;

	memset(&h, 0, sizeof(h));
	h.rfq_id = str(u, RH_ID);
	h.title = str(u, RH_NOTE) ? str(u, RH_NOTE) : h.rfq_id;
	h.currency = str(u, RH_CURRENCY);
	h.issue_date = date_or_none(u, RH_ISSUE);
	h.due_date = date_or_none(u, RH_DUE);
	h.need_by = date_or_none(u, RH_NEED_BY);
	u->header_sent = 1;
	if (u->sink->rfq_header && (rc = u->sink->rfq_header(&h, u->sink->payload)) < 0)
		return stop(u, rc, at, 1);
	return 0;
}

static int begin_line(ubl *u, bid_pos pos)
{
	int rc = 0;

	if (!u->header_sent)
		rc = u->kind == BID_DOC_QUOTE ? send_quote_header(u, pos) : send_rfq_header(u, pos);
	if (rc < 0)
		return rc;
	memset(&u->val[S_LINE_FIRST], 0, sizeof(value) * (S__COUNT - S_LINE_FIRST));
	u->larena.len = 0;
	u->line_pos = pos;
	u->nlines++;
	return 0;
}

/* "QuotationLine 3" by its ID, or by its ordinal when it has none. */
static const char *line_label(ubl *u, int id_slot, const char *element)
{
	const char *id = str(u, id_slot);

	char shown[44];

	if (id)
		snprintf(u->line_label, sizeof(u->line_label), "%s %s", element,
		         bid_import__shown(shown, sizeof(shown), id, strlen(id)));
	else
		snprintf(u->line_label, sizeof(u->line_label), "%s #%lu", element, u->nlines);
	return u->line_label;
}

static int end_quote_line(ubl *u)
{
	/* Which id locates the part: the most specific present. */
	static const int part_order[] = { QL_PART_BUYER, QL_RFQ_LINE_ID, QL_REQ_LINE_REF,
	                                  QL_PART_SELLER, QL_PART_MANUF, QL_PART_STANDARD,
	                                  QL_ITEM_ID };
	const char *label = line_label(u, QL_ID, "QuotationLine");
	bid_quote_line l;
	int qty, rc;
	size_t i;

	memset(&l, 0, sizeof(l));
	l.pos[BID_F_LINE] = u->line_pos;
	l.line_id = str(u, QL_ID);
	l.part_ids[BID_PART_SELLER] = str(u, QL_PART_SELLER);
	l.part_ids[BID_PART_STANDARD] = str(u, QL_PART_STANDARD);
	l.part_ids[BID_PART_BUYER] = str(u, QL_PART_BUYER);
	l.part_ids[BID_PART_MANUFACTURER] = str(u, QL_PART_MANUF);
	l.part_ids[BID_PART_LINE_ITEM] = str(u, QL_ITEM_ID);
	l.part_ids[BID_PART_RFQ_LINE] = str(u, QL_RFQ_LINE_ID) ? str(u, QL_RFQ_LINE_ID)
	                                                        : str(u, QL_REQ_LINE_REF);
	for (i = 0; i < sizeof(part_order) / sizeof(part_order[0]); i++) {
		if (str(u, part_order[i])) {
			l.pos[BID_F_PART] = u->val[part_order[i]].pos;
			break;
		}
	}
	l.description = str(u, QL_NAME) ? str(u, QL_NAME) : str(u, QL_DESC);

	qty = u->val[QL_QTY].set ? QL_QTY : u->val[QL_QTY_LINE].set ? QL_QTY_LINE : S_NONE;
	if (qty) {
		l.qty = u->val[qty].v.dec;
		l.has_qty = 1;
		l.unit = attr(u, qty);
		l.pos[BID_F_QTY] = l.pos[BID_F_UNIT] = u->val[qty].pos;
		if (!l.unit && (rc = bid_import__warn(u->sink, u->val[qty].pos, "ubl.unit.missing",
		                                      "%s: quantity has no unitCode", label)) < 0)
			return stop(u, rc, u->val[qty].pos, 1);
	}

	if (!u->val[QL_PRICE].set)
		return fail_at(u, u->line_pos, "%s: no price: expected "
		               "cac:LineItem/cac:Price/cbc:PriceAmount", label);
	l.price = u->val[QL_PRICE].v.dec;
	l.pos[BID_F_PRICE] = u->val[QL_PRICE].pos;
	if ((l.currency = attr(u, QL_PRICE))) {
		l.pos[BID_F_CURRENCY] = u->val[QL_PRICE].pos;
	} else if ((l.currency = str(u, QH_CURRENCY))) {
		l.pos[BID_F_CURRENCY] = u->val[QH_CURRENCY].pos;
	} else {
		return fail_at(u, u->val[QL_PRICE].pos, "%s: no currency: cbc:PriceAmount has no "
		               "currencyID and the document has no cbc:PricingCurrencyCode", label);
	}

	if (u->val[QL_BASIS].set) {
		l.basis_qty = u->val[QL_BASIS].v.dec;
		l.basis_unit = attr(u, QL_BASIS);
		l.pos[BID_F_BASIS] = u->val[QL_BASIS].pos;
	}
	i = u->val[QL_MIN].set ? QL_MIN : u->val[QL_MIN_OILQ].set ? QL_MIN_OILQ : S_NONE;
	if (i) {
		l.min_qty = u->val[i].v.dec;
		l.has_min_qty = 1;
		l.pos[BID_F_MIN_QTY] = u->val[i].pos;
	}
	i = u->val[QL_MAX].set ? QL_MAX : u->val[QL_MAX_OILQ].set ? QL_MAX_OILQ : S_NONE;
	if (i) {
		l.max_qty = u->val[i].v.dec;
		l.has_max_qty = 1;
		l.pos[BID_F_MAX_QTY] = u->val[i].pos;
	}
	if (u->val[QL_LEAD].set) {
		l.lead_time_days = u->val[QL_LEAD].v.days;
		l.has_lead_time = 1;
		l.pos[BID_F_LEAD_TIME] = u->val[QL_LEAD].pos;
	}
	i = u->val[QL_DELIV_END].set ? QL_DELIV_END : u->val[QL_DELIV_START].set ? QL_DELIV_START
	                                                                         : S_NONE;
	l.delivery_date = i ? u->val[i].v.date : BID_DATE_NONE;
	if (i)
		l.pos[BID_F_DELIVERY] = u->val[i].pos;

	if (u->sink->quote_line && (rc = u->sink->quote_line(&l, u->sink->payload)) < 0)
		return stop(u, rc, u->line_pos, 1);
	return 0;
}

static int end_rfq_line(ubl *u)
{
	const char *label = line_label(u, RL_ID, "RequestForQuotationLine");
	bid_rfq_line l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.pos = u->line_pos;
	l.line_id = str(u, RL_ID);
	l.part = str(u, RL_BUYER) ? str(u, RL_BUYER) :
	         str(u, RL_SELLER) ? str(u, RL_SELLER) : str(u, RL_ITEM_ID);
	if (!l.part)
		return fail_at(u, u->line_pos, "%s: no part number: expected cac:LineItem/cac:Item/"
		               "cac:BuyersItemIdentification/cbc:ID, "
		               "cac:SellersItemIdentification/cbc:ID or cac:LineItem/cbc:ID", label);
	l.description = str(u, RL_NAME) ? str(u, RL_NAME) :
	                str(u, RL_DESC) ? str(u, RL_DESC) : str(u, RL_NOTE);
	if (!u->val[RL_QTY].set)
		return fail_at(u, u->line_pos, "%s: no quantity: expected cac:LineItem/cbc:Quantity",
		               label);
	l.qty = u->val[RL_QTY].v.dec;
	if (l.qty <= 0)
		return fail_at(u, u->val[RL_QTY].pos, "%s: quantity must be greater than 0", label);
	if (!(l.unit = attr(u, RL_QTY)))
		return fail_at(u, u->val[RL_QTY].pos, "%s: cbc:Quantity has no unitCode "
		               "(a UN/ECE Rec 20 code such as EA or KGM)", label);
	l.need_by = date_or_none(u, RL_NEED_BY);
	if (u->sink->rfq_line && (rc = u->sink->rfq_line(&l, u->sink->payload)) < 0)
		return stop(u, rc, u->line_pos, 1);
	return 0;
}

/* ---- the reader loop ---------------------------------------------- */

static int on_end(ubl *u, int d)
{
	if (u->cap_slot && d == u->cap_depth && capture_end(u) < 0)
		return u->rc;
	if (d == 1 && u->stack[1] == E_QUOTATION_LINE && u->kind == BID_DOC_QUOTE)
		return end_quote_line(u);
	if (d == 1 && u->stack[1] == E_RFQ_LINE && u->kind == BID_DOC_RFQ)
		return end_rfq_line(u);
	if (d == 0) {
		u->root_done = 1;
		/* A document without lines still has a header to give. */
		if (!u->header_sent) {
			bid_pos at = { 1, 1 };
			return u->kind == BID_DOC_QUOTE ? send_quote_header(u, at)
			                                : send_rfq_header(u, at);
		}
	}
	return 0;
}

static int on_root(ubl *u, int code, bid_pos pos)
{
	const xmlChar *ns, *local;
	char ns_shown[100], local_shown[60];

	/* Names come from the reader's dictionary unless this build differs. */
	if (code == E_OTHER && (local = xmlTextReaderConstLocalName(u->r)) &&
	    (ns = xmlTextReaderConstNamespaceUri(u->r)) &&
	    ((strcmp((const char *)local, "Quotation") == 0 && ns == u->ns[NSK_QUOTE]) ||
	     (strcmp((const char *)local, "RequestForQuotation") == 0 && ns == u->ns[NSK_RFQ]))) {
		u->by_strcmp = 1;
		code = classify(u);
	}
	if (code == E_QUOTATION) {
		u->kind = BID_DOC_QUOTE;
		return 0;
	}
	if (code == E_RFQ_DOC) {
		u->kind = BID_DOC_RFQ;
		return 0;
	}
	ns = xmlTextReaderConstNamespaceUri(u->r);
	local = xmlTextReaderConstLocalName(u->r);
	if (!ns)
		ns = BAD_CAST "";
	if (!local)
		local = BAD_CAST "";
	return fail_at(u, pos, "not a UBL Quotation or RequestForQuotation: the root element is "
	               "{%s}%s",
	               bid_import__shown(ns_shown, sizeof(ns_shown), (const char *)ns,
	                                 strlen((const char *)ns)),
	               bid_import__shown(local_shown, sizeof(local_shown), (const char *)local,
	                                 strlen((const char *)local)));
}

static int on_start(ubl *u)
{
	int d = xmlTextReaderDepth(u->r);
	int empty = xmlTextReaderIsEmptyElement(u->r) == 1;
	bid_pos pos = bid_xml__scan_tag(&u->scan, u->r);
	int code, slot = S_NONE, rc;

	if (d < 0 || d >= MAX_DEPTH)
		return fail_at(u, pos, "elements are nested more than %d deep", MAX_DEPTH);
	code = classify(u);
	u->stack[d] = (unsigned char)code;

	if (d == 0) {
		if (on_root(u, code, pos) < 0)
			return u->rc;
	} else if (u->cap_slot) {
		/* An element inside a value we are reading: not ours to read. */
	} else if (u->kind == BID_DOC_QUOTE) {
		if (d == 1 && code == E_QUOTATION_LINE) {
			if (begin_line(u, pos) < 0)
				return u->rc;
		} else if (d == 2 && u->stack[1] == E_QUOTATION_LINE &&
		           (code == E_SUBSTITUTE_LINE_ITEM || code == E_ALTERNATIVE_LINE_ITEM)) {
			rc = bid_import__warn(u->sink, pos, "ubl.line.alternative",
			                      "%s: alternative line item ignored (cac:%s)",
			                      line_label(u, QL_ID, "QuotationLine"), el_info[code].name);
			if (rc < 0)
				return stop(u, rc, pos, 1);
		} else if (code != E_OTHER) {
			slot = match_quote(u->stack, d);
		}
	} else {
		if (d == 1 && code == E_RFQ_LINE) {
			if (begin_line(u, pos) < 0)
				return u->rc;
		} else if (code != E_OTHER) {
			slot = match_rfq(u->stack, d);
		}
	}

	/*
	 * The first occurrence wins (a second Note or Description adds
	 * nothing), and the header is frozen once it has been handed over.
	 */
	if (slot && !u->val[slot].set && !(slot < S_LINE_FIRST && u->header_sent) &&
	    capture_begin(u, slot, d, pos) < 0)
		return u->rc;
	if (empty)
		return on_end(u, d);
	return 0;
}

static int on_text(ubl *u)
{
	const xmlChar *t;
	size_t n;

	if (!u->cap_slot || xmlTextReaderDepth(u->r) != u->cap_depth + 1)
		return 0;
	if (!(t = xmlTextReaderConstValue(u->r)))
		return 0;
	n = strlen((const char *)t);
	if (u->text.len + n > MAX_TEXT)
		return fail_at(u, u->val[u->cap_slot].pos, "%s is longer than %d bytes",
		               slot_info[u->cap_slot].what, MAX_TEXT);
	if (bid_strbuf__append(&u->text, (const char *)t, n) < 0)
		return nomem(u);
	return 0;
}

/*
 * Entity declarations are refused before libxml2 sees them: external
 * ones would read files (XXE) and nested ones expand exponentially
 * ("billion laughs").  UBL has no use for either.  The reader loop also
 * refuses any entity reference and any DTD that declares entities, for
 * input this byte scan cannot read (UTF-16).
 */
static int refuse_entity_decls(ubl *u, const char *data, size_t len)
{
	bid_pos pos;

	if (!bid_xml__entity_decl(data, len, &pos))
		return 0;
	return fail_at(u, pos, "entity declarations are not allowed "
	               "(no external entities, no entity expansion)");
}

static int check_doctype(ubl *u)
{
	bid_pos pos = { (uint32_t)xmlTextReaderGetParserLineNumber(u->r), 0 };

	if (bid_xml__dtd_has_entities(u->r))
		return fail_at(u, pos, "entity declarations are not allowed "
		               "(no external entities, no entity expansion)");
	return 0;
}

int bid_ubl__parse(const char *data, size_t len, const char *name,
                   const bid_import_sink *sink, bid_error *err)
{
	ubl *u;
	int rc, ret;

	if (len > INT_MAX)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 0, 0,
		                        "document too large for the XML reader (more than %d bytes)",
		                        INT_MAX);
	/* The state is big (value table, name hash); keep it off the stack. */
	if (!(u = calloc(1, sizeof(*u))))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s", name);
	u->name = name;
	u->sink = sink;
	u->err = err;
	bid_xml__scan_init(&u->scan, data, len);

	if (refuse_entity_decls(u, data, len) < 0)
		goto done;

	u->r = bid_xml__reader(data, len);
	if (!u->r) {
		nomem(u);
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(u->r, on_xml_error, u);
	intern_names(u);

	while ((ret = xmlTextReaderRead(u->r)) == 1) {
		if (u->xerr.set || u->rc)
			break;
		switch (xmlTextReaderNodeType(u->r)) {
		case XML_READER_TYPE_ELEMENT:
			on_start(u);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			on_end(u, xmlTextReaderDepth(u->r));
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			on_text(u);
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE: {
			bid_pos pos = { (uint32_t)xmlTextReaderGetParserLineNumber(u->r), 0 };
			const xmlChar *ename = xmlTextReaderConstName(u->r);

			fail_at(u, pos, "entity reference '&%.60s;' is not allowed",
			        ename ? (const char *)ename : "");
			break;
		}
		case XML_READER_TYPE_DOCUMENT_TYPE:
			check_doctype(u);
			break;
		default:
			break;
		}
		if (u->rc)
			break;
	}
	if (u->rc)
		goto done;
	if (u->xerr.set) {
		report_xml_error(u);
		goto done;
	}
	if (ret < 0) {
		bid_pos pos = { (uint32_t)xmlTextReaderGetParserLineNumber(u->r),
		                (uint32_t)xmlTextReaderGetParserColumnNumber(u->r) };
		fail_at(u, pos, "not well-formed XML");
		goto done;
	}
	if (!u->root_done) {
		bid_pos pos = { (uint32_t)xmlTextReaderGetParserLineNumber(u->r), 0 };
		fail_at(u, pos, "the document ends before its root element is closed");
	}
done:
	rc = u->rc;
	if (u->r)
		xmlFreeTextReader(u->r);
	bid_strbuf__free(&u->text);
	bid_strbuf__free(&u->harena);
	bid_strbuf__free(&u->larena);
	free(u);
	return rc;
}
