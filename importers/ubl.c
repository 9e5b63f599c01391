/*
 * ubl.c - OASIS UBL 2.0-2.3 Quotation and RequestForQuotation importer.
 * One streaming pass of libxml2's SAX2 push parser (never a DOM tree, no
 * xmlTextReader: its per-node bookkeeping cost twice the parse) that
 * matches elements by namespace URI and local name, never by prefix, and
 * hands canonical headers and lines to the sink.  Value errors are
 * reported one by one through the sink and the parse goes on; structural
 * errors stop it.  Depends on libxml2, the C library and the public
 * bidcmp headers only (no engine/, no SQLite).
 */
/*
 * Conventions where UBL has no field of its own (FORMATS.md section 1):
 *  - Price breaks (all-units): the line's Price is the first break, from
 *    its MinimumQuantity (else 0).  LineItem/PricingReference/
 *    OriginalItemLocationQuantity with a cac:Price adds a break from that
 *    ILQ's MinimumQuantity (which is then not the MOQ); each
 *    PricingReference/AlternativeConditionPrice with a cbc:MinimumQuantity
 *    adds a break from it.  A price with no quantity to start at is
 *    ignored with a warning (ubl.tier.bound); a break in another currency
 *    or per another base quantity is an error.  The extra breaks are
 *    sorted by quantity.
 *  - Quality: Item/AdditionalItemProperty whose cbc:Name is "defect_ppm"
 *    (any case) gives defect_ppm from its cbc:Value (or ValueQuantity).
 *  - Payment terms: Quotation has no PaymentTerms, so a cbc:Note or
 *    TransactionConditions/cbc:Description that is exactly "net 30",
 *    "30 days net", "2% 10 net 30" or "2/10 net 30" (see read_terms) is
 *    read, with a warning (ubl.terms.text); notes that disagree give none.
 *  - Incoterm: DeliveryTerms/cbc:ID.  Totals: QuotedMonetaryTotal/
 *    cbc:LineExtensionAmount, and per line LineItem/ or QuotationLine/
 *    cbc:LineExtensionAmount.  Origin: Item/OriginCountry/
 *    cbc:IdentificationCode.  Manufacturer: Item/ManufacturerParty/
 *    PartyName/cbc:Name.
 *  - Charges less allowances: cac:AllowanceCharge as a child of Quotation
 *    (quote-level) and of the line's main cac:LineItem (line-level, for
 *    the line's quantity).  cbc:ChargeIndicator true (or 1) is a charge
 *    (+), false (or 0) an allowance (-); cbc:Amount is the magnitude (a
 *    negative one is refused: the indicator gives the sign) and they are
 *    summed.  Price/AllowanceCharge is not read: it says how PriceAmount,
 *    already the net price, was derived from a gross one, so adding it
 *    would count it twice; nor are the AllowanceCharges of
 *    ItemLocationQuantity, of PricingReference or of the substitute and
 *    alternative line items (which are not read at all).  All
 *    quote-level amounts must share one currencyID (charges_currency;
 *    none = the header's), and a line's must be the line's price
 *    currency.  A missing or bad ChargeIndicator or Amount is a value
 *    error (ubl.charge.*): a line is then not handed over, the header's
 *    charges are left out.  The header's charges_pos is the first
 *    AllowanceCharge's start tag; one after the first QuotationLine is
 *    out of the schema's order and ignored with a warning.
 *  - Certificates held: each LineItem/Item/cac:Certificate gives its
 *    cbc:CertificateTypeCode (else cbc:CertificateType, else cbc:ID);
 *    the line's `certificates` is the codes joined by ',' in document
 *    order.  A code holding a ',' or a control character is a value
 *    error (ubl.certificate.code); a Certificate with none of the three
 *    is ignored with a warning (ubl.certificate.missing).  Certificates
 *    of the substitute and alternative line items are not read.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "importer.h"

#define NS_QUOTE "urn:oasis:names:specification:ubl:schema:xsd:Quotation-2"
#define NS_RFQ   "urn:oasis:names:specification:ubl:schema:xsd:RequestForQuotation-2"
#define NS_CAC   "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC   "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

/*
 * Limits against hostile input.  Real UBL nests about 10 deep and no
 * value we read is near 64 KiB; MAX_RUN is libxml2's own limit on one
 * text node (XML_MAX_TEXT_LENGTH), which its SAX interface leaves to us.
 * libxml2's other limits (no XML_PARSE_HUGE) stay in force beneath these.
 */
#define MAX_DEPTH     256
#define MAX_TEXT      65536
#define MAX_RUN       10000000
#define MAX_XML_WARN  20
#define MAX_LEAD_DAYS 100000
#define MAX_TIERS     64
#define MAX_PAY_DAYS  3650
#define CHUNK         65536      /* bytes handed to the push parser at a time */

/* The elements we care about; everything else is E_OTHER and ignored. */
enum el {
	E_OTHER = 0,
	E_QUOTATION, E_RFQ_DOC,
	/* cac */
	E_VALIDITY_PERIOD, E_RFQ_DOC_REF, E_SELLER_SUPPLIER_PARTY, E_PARTY,
	E_PARTY_IDENTIFICATION, E_PARTY_NAME, E_PARTY_LEGAL_ENTITY, E_QUOTATION_LINE,
	E_RFQ_LINE, E_LINE_ITEM, E_ITEM, E_SELLERS_ITEM_ID, E_STANDARD_ITEM_ID,
	E_BUYERS_ITEM_ID, E_MANUFACTURERS_ITEM_ID, E_REQUEST_LINE_REFERENCE, E_PRICE,
	E_PRICING_REFERENCE, E_ORIGINAL_ILQ, E_ALT_CONDITION_PRICE, E_DELIVERY,
	E_PROMISED_PERIOD, E_REQUESTED_PERIOD, E_SUBSTITUTE_LINE_ITEM, E_ALTERNATIVE_LINE_ITEM,
	E_QUOTED_MONETARY_TOTAL, E_DELIVERY_TERMS, E_TRANSACTION_CONDITIONS, E_ORIGIN_COUNTRY,
	E_MANUFACTURER_PARTY, E_ADDITIONAL_ITEM_PROPERTY, E_ALLOWANCE_CHARGE, E_CERTIFICATE,
	/* cbc */
	E_ID, E_ISSUE_DATE, E_PRICING_CURRENCY, E_START_DATE, E_END_DATE,
	E_CUSTOMER_ACCOUNT_ID, E_ENDPOINT_ID, E_COMPANY_ID, E_NAME, E_DESCRIPTION, E_NOTE,
	E_RFQ_LINE_ID, E_LINE_ID, E_QUANTITY, E_PRICE_AMOUNT, E_BASE_QUANTITY,
	E_MIN_QUANTITY, E_MAX_QUANTITY, E_LEAD_TIME, E_SUBMISSION_DUE, E_LINE_EXT_AMOUNT,
	E_IDENTIFICATION_CODE, E_VALUE, E_VALUE_QUANTITY, E_CHARGE_INDICATOR, E_AMOUNT,
	E_CERT_TYPE_CODE, E_CERT_TYPE,
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
	[E_ALT_CONDITION_PRICE]   = { "AlternativeConditionPrice", NSK_CAC },
	[E_DELIVERY]              = { "Delivery", NSK_CAC },
	[E_PROMISED_PERIOD]       = { "PromisedDeliveryPeriod", NSK_CAC },
	[E_REQUESTED_PERIOD]      = { "RequestedDeliveryPeriod", NSK_CAC },
	[E_SUBSTITUTE_LINE_ITEM]  = { "SellerProposedSubstituteLineItem", NSK_CAC },
	[E_ALTERNATIVE_LINE_ITEM] = { "AlternativeLineItem", NSK_CAC },
	[E_QUOTED_MONETARY_TOTAL] = { "QuotedMonetaryTotal", NSK_CAC },
	[E_DELIVERY_TERMS]        = { "DeliveryTerms", NSK_CAC },
	[E_TRANSACTION_CONDITIONS] = { "TransactionConditions", NSK_CAC },
	[E_ORIGIN_COUNTRY]        = { "OriginCountry", NSK_CAC },
	[E_MANUFACTURER_PARTY]    = { "ManufacturerParty", NSK_CAC },
	[E_ADDITIONAL_ITEM_PROPERTY] = { "AdditionalItemProperty", NSK_CAC },
	[E_ALLOWANCE_CHARGE]      = { "AllowanceCharge", NSK_CAC },
	[E_CERTIFICATE]           = { "Certificate", NSK_CAC },
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
	[E_LINE_EXT_AMOUNT]       = { "LineExtensionAmount", NSK_CBC },
	[E_IDENTIFICATION_CODE]   = { "IdentificationCode", NSK_CBC },
	[E_VALUE]                 = { "Value", NSK_CBC },
	[E_VALUE_QUANTITY]        = { "ValueQuantity", NSK_CBC },
	[E_CHARGE_INDICATOR]      = { "ChargeIndicator", NSK_CBC },
	[E_AMOUNT]                = { "Amount", NSK_CBC },
	[E_CERT_TYPE_CODE]        = { "CertificateTypeCode", NSK_CBC },
	[E_CERT_TYPE]             = { "CertificateType", NSK_CBC },
};

/*
 * Slots: the values we capture.  Header slots live for the document,
 * line slots (from S_LINE_FIRST) are reset at each line.
 */
enum slot {
	S_NONE = 0,
	QH_ID, QH_ISSUE, QH_CURRENCY, QH_VALID_FROM, QH_VALID_UNTIL, QH_RFQ_REF,
	QH_SUP_ACCOUNT, QH_SUP_PARTY_ID, QH_SUP_ENDPOINT, QH_SUP_COMPANY, QH_SUP_NAME,
	QH_TOTAL, QH_INCOTERM, QH_TERMS, QH_AC_IND, QH_AC_AMOUNT,
	RH_ID, RH_NOTE, RH_CURRENCY, RH_ISSUE, RH_DUE, RH_NEED_BY,
	S_LINE_FIRST,
	QL_ID = S_LINE_FIRST, QL_QTY_LINE, QL_RFQ_LINE_ID, QL_REQ_LINE_REF, QL_ITEM_ID,
	QL_QTY, QL_MIN, QL_MAX, QL_MIN_OILQ, QL_MAX_OILQ, QL_LEAD, QL_PRICE, QL_BASIS,
	QL_DELIV_END, QL_DELIV_START, QL_NAME, QL_DESC, QL_PART_SELLER, QL_PART_STANDARD,
	QL_PART_BUYER, QL_PART_MANUF, QL_AMOUNT, QL_AMOUNT_LINE, QL_ORIGIN, QL_MANUFACTURER,
	QL_PROP_NAME, QL_PROP_VALUE, QL_PROP_VQTY, QL_OILQ_PRICE, QL_OILQ_BASIS,
	QL_ACP_PRICE, QL_ACP_BASIS, QL_ACP_MIN, QL_AC_IND, QL_AC_AMOUNT,
	QL_CERT_CODE, QL_CERT_TYPE, QL_CERT_ID,
	RL_ID, RL_NOTE, RL_ITEM_ID, RL_QTY, RL_BUYER, RL_SELLER, RL_NAME, RL_DESC, RL_NEED_BY,
	S__COUNT
};

enum vtype { T_TEXT = 0, T_DEC, T_DATE, T_LEAD, T_TERMS };

static const struct {
	unsigned char type;
	const char   *attr;   /* the attribute to keep with the value */
	const char   *what;   /* the value's name in messages */
	const char   *rule;   /* rule id stem: "ubl.price" + ".decimal" */
} slot_info[S__COUNT] = {
	[QH_ID]            = { T_TEXT, NULL, "quote id", NULL },
	[QH_ISSUE]         = { T_DATE, NULL, "issue date", "ubl.issue" },
	[QH_CURRENCY]      = { T_TEXT, NULL, "pricing currency", NULL },
	[QH_VALID_FROM]    = { T_DATE, NULL, "validity start date", "ubl.validity" },
	[QH_VALID_UNTIL]   = { T_DATE, NULL, "validity end date", "ubl.validity" },
	[QH_RFQ_REF]       = { T_TEXT, NULL, "RFQ reference", NULL },
	[QH_SUP_ACCOUNT]   = { T_TEXT, NULL, "supplier account id", NULL },
	[QH_SUP_PARTY_ID]  = { T_TEXT, NULL, "supplier party id", NULL },
	[QH_SUP_ENDPOINT]  = { T_TEXT, NULL, "supplier endpoint id", NULL },
	[QH_SUP_COMPANY]   = { T_TEXT, NULL, "supplier company id", NULL },
	[QH_SUP_NAME]      = { T_TEXT, NULL, "supplier name", NULL },
	[QH_TOTAL]         = { T_DEC, "currencyID", "quoted line total", "ubl.total" },
	[QH_INCOTERM]      = { T_TEXT, NULL, "delivery terms", NULL },
	[QH_TERMS]         = { T_TERMS, NULL, "note", NULL },
	[QH_AC_IND]        = { T_TEXT, NULL, "charge indicator", NULL },
	[QH_AC_AMOUNT]     = { T_DEC, "currencyID", "allowance or charge amount", "ubl.charge" },
	[RH_ID]            = { T_TEXT, NULL, "RFQ id", NULL },
	[RH_NOTE]          = { T_TEXT, NULL, "note", NULL },
	[RH_CURRENCY]      = { T_TEXT, NULL, "pricing currency", NULL },
	[RH_ISSUE]         = { T_DATE, NULL, "issue date", "ubl.issue" },
	[RH_DUE]           = { T_DATE, NULL, "submission due date", "ubl.due" },
	[RH_NEED_BY]       = { T_DATE, NULL, "requested delivery date", "ubl.delivery" },
	[QL_ID]            = { T_TEXT, NULL, "line id", NULL },
	[QL_QTY_LINE]      = { T_DEC, "unitCode", "quantity", "ubl.qty" },
	[QL_RFQ_LINE_ID]   = { T_TEXT, NULL, "RFQ line id", NULL },
	[QL_REQ_LINE_REF]  = { T_TEXT, NULL, "RFQ line reference", NULL },
	[QL_ITEM_ID]       = { T_TEXT, NULL, "line item id", NULL },
	[QL_QTY]           = { T_DEC, "unitCode", "quantity", "ubl.qty" },
	[QL_MIN]           = { T_DEC, NULL, "minimum quantity", "ubl.min" },
	[QL_MAX]           = { T_DEC, NULL, "maximum quantity", "ubl.max" },
	[QL_MIN_OILQ]      = { T_DEC, NULL, "minimum quantity", "ubl.min" },
	[QL_MAX_OILQ]      = { T_DEC, NULL, "maximum quantity", "ubl.max" },
	[QL_LEAD]          = { T_LEAD, "unitCode", "lead time", "ubl.lead" },
	[QL_PRICE]         = { T_DEC, "currencyID", "price", "ubl.price" },
	[QL_BASIS]         = { T_DEC, "unitCode", "base quantity", "ubl.basis" },
	[QL_DELIV_END]     = { T_DATE, NULL, "promised delivery date", "ubl.delivery" },
	[QL_DELIV_START]   = { T_DATE, NULL, "promised delivery date", "ubl.delivery" },
	[QL_NAME]          = { T_TEXT, NULL, "item name", NULL },
	[QL_DESC]          = { T_TEXT, NULL, "item description", NULL },
	[QL_PART_SELLER]   = { T_TEXT, NULL, "seller's item id", NULL },
	[QL_PART_STANDARD] = { T_TEXT, NULL, "standard item id", NULL },
	[QL_PART_BUYER]    = { T_TEXT, NULL, "buyer's item id", NULL },
	[QL_PART_MANUF]    = { T_TEXT, NULL, "manufacturer's item id", NULL },
	[QL_AMOUNT]        = { T_DEC, "currencyID", "line amount", "ubl.amount" },
	[QL_AMOUNT_LINE]   = { T_DEC, "currencyID", "line amount", "ubl.amount" },
	[QL_ORIGIN]        = { T_TEXT, NULL, "origin country", NULL },
	[QL_MANUFACTURER]  = { T_TEXT, NULL, "manufacturer name", NULL },
	[QL_PROP_NAME]     = { T_TEXT, NULL, "property name", NULL },
	[QL_PROP_VALUE]    = { T_TEXT, NULL, "property value", NULL },
	[QL_PROP_VQTY]     = { T_TEXT, NULL, "property value", NULL },
	[QL_OILQ_PRICE]    = { T_DEC, "currencyID", "price break price", "ubl.tier" },
	[QL_OILQ_BASIS]    = { T_DEC, "unitCode", "price break base quantity", "ubl.tier" },
	[QL_ACP_PRICE]     = { T_DEC, "currencyID", "price break price", "ubl.tier" },
	[QL_ACP_BASIS]     = { T_DEC, "unitCode", "price break base quantity", "ubl.tier" },
	[QL_ACP_MIN]       = { T_DEC, NULL, "price break quantity", "ubl.tier" },
	[QL_AC_IND]        = { T_TEXT, NULL, "charge indicator", NULL },
	[QL_AC_AMOUNT]     = { T_DEC, "currencyID", "allowance or charge amount", "ubl.charge" },
	[QL_CERT_CODE]     = { T_TEXT, NULL, "certificate type code", NULL },
	[QL_CERT_TYPE]     = { T_TEXT, NULL, "certificate type", NULL },
	[QL_CERT_ID]       = { T_TEXT, NULL, "certificate id", NULL },
	[RL_ID]            = { T_TEXT, NULL, "line id", NULL },
	[RL_NOTE]          = { T_TEXT, NULL, "note", NULL },
	[RL_ITEM_ID]       = { T_TEXT, NULL, "line item id", NULL },
	[RL_QTY]           = { T_DEC, "unitCode", "quantity", "ubl.qty" },
	[RL_BUYER]         = { T_TEXT, NULL, "buyer's item id", NULL },
	[RL_SELLER]        = { T_TEXT, NULL, "seller's item id", NULL },
	[RL_NAME]          = { T_TEXT, NULL, "item name", NULL },
	[RL_DESC]          = { T_TEXT, NULL, "item description", NULL },
	[RL_NEED_BY]       = { T_DATE, NULL, "requested delivery date", "ubl.delivery" },
};

/* One captured value: text (and attribute) in an arena, plus its parse. */
typedef struct value {
	unsigned char set, has_attr, bad;  /* bad: present but refused (reported) */
	bid_pos       pos;
	size_t        off, len;        /* text in the slot's arena */
	size_t        attr_off;
	union {
		bid_dec  dec;
		bid_date date;
		int32_t  days;
	} v;
} value;

/* A price break on its way: its currency and basis are checked at the line's end. */
typedef struct tier_in {
	bid_tier t;
	size_t   cur_off;       /* currencyID in the line arena, if has_cur */
	int      has_cur, has_basis;
	bid_dec  basis;
} tier_in;

/* Charges less allowances being summed: the quote's or the line's. */
typedef struct charges {
	unsigned long n;         /* AllowanceCharges read */
	int           bad;       /* one was refused (reported) */
	int           has_cur;
	size_t        cur_off;   /* the first currencyID, in the slots' arena */
	bid_dec       sum;
	bid_pos       pos;       /* the first AllowanceCharge */
} charges;

/* Payment terms read from free text. */
typedef struct terms {
	int     found, ambiguous;
	int32_t days, disc_days;
	int     has_disc;
	bid_dec disc_pct;
	bid_pos pos;
} terms;

#define NAME_HASH 128

typedef struct ubl {
	xmlParserCtxtPtr       ctxt;
	int                    parsing;     /* inside xmlParseChunk: may stop it */
	const char            *data;        /* the document's bytes */
	size_t                 len;
	const char            *name;
	const bid_import_sink *sink;
	bid_error             *err;
	int                    rc;          /* first failure; stops the parse */
	unsigned long          nerrors;     /* value errors reported so far */

	const xmlChar         *ns[5];       /* interned URIs by enum nskind */
	struct { const xmlChar *key; unsigned char code; } names[NAME_HASH];
	int                    by_strcmp;   /* the parser does not intern names */

	int                    kind;        /* BID_DOC_QUOTE or BID_DOC_RFQ, once seen */
	int                    root_done;
	int                    header_sent, header_failed;
	int                    depth;       /* open elements */
	unsigned char          stack[MAX_DEPTH];
	size_t                 run;         /* text bytes since the last tag */

	int                    cap_slot;    /* value being captured, or S_NONE */
	int                    cap_depth;
	bid_strbuf             text;        /* its text so far */

	value                  val[S__COUNT];
	bid_strbuf             harena, larena;
	int                    in_line, line_bad;
	bid_pos                line_pos;
	unsigned long          nlines;
	char                   line_label[80];
	tier_in                tiers[MAX_TIERS];
	bid_tier               tier_out[MAX_TIERS + 2];
	size_t                 ntiers;
	int                    has_defect;
	bid_dec                defect_ppm;
	terms                  terms;
	charges                hcharges, lcharges;
	bid_pos                ac_pos;      /* the AllowanceCharge being read */
	bid_pos                cert_pos;    /* the Certificate being read */
	bid_strbuf             certs;       /* the line's certificate codes, joined by ',' */

	/* start-tag positions: a cursor over the raw bytes (see tag_pos) */
	int                    scan_ok;
	size_t                 scan_off, line_start;
	uint32_t               scan_line;

	int                    xml_warnings;
	bid_xml_error          xerr;        /* libxml2's first error */
} ubl;

/* ---- errors ------------------------------------------------------- */

static int fail_at(ubl *u, bid_pos pos, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static int value_error(ubl *u, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* A structural error: the parse stops here, err says why. */
static int fail_at(ubl *u, bid_pos pos, const char *fmt, ...)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	u->rc = bid_error_set_at(u->err, BID_EINVALID, BID_AREA_IMPORT, u->name,
	                         pos.line, pos.col, "%s", msg);
	if (u->parsing)
		xmlStopParser(u->ctxt);
	return u->rc;
}

/*
 * A callback returned rc < 0.  If the consumer did not put its own
 * reason in err (it may hold our first value error), say it stopped.
 */
static int stop(ubl *u, int rc, bid_pos pos)
{
	if (u->err && u->err->code != rc)
		bid_error_clear(u->err);
	bid_import__stopped(u->err, rc, u->name, pos);
	u->rc = rc;
	if (u->parsing)
		xmlStopParser(u->ctxt);
	return rc;
}

/*
 * A value error: reported through sink->diag as an error and the parse
 * goes on; the line (or header) it belongs to is not handed over.  The
 * first one also goes into err, word for word, so that a consumer that
 * printed the diagnostics can recognise what the parse returns.
 * Returns 0, or the callback's code when it asked to stop.
 */
static int value_error(ubl *u, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (u->in_line)
		u->line_bad = 1;
	if (u->nerrors++ == 0)
		bid_error_set_at(u->err, BID_EINVALID, BID_AREA_IMPORT, u->name, pos.line, pos.col,
		                 "%s", msg);
	if (u->sink->diag) {
		bid_diag d;

		d.severity = BID_SEV_ERROR;
		d.pos = pos;
		d.rule = rule;
		d.msg = msg;
		if ((rc = u->sink->diag(&d, u->sink->payload)) < 0)
			return stop(u, rc, pos);
	}
	return 0;
}

static int warn(ubl *u, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int warn(ubl *u, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int rc;

	if (!u->sink->diag)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((rc = bid_import__warn(u->sink, pos, rule, "%s", msg)) < 0)
		return stop(u, rc, pos);
	return 0;
}

static int nomem(ubl *u)
{
	u->rc = bid_error_set(u->err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s",
	                      u->name);
	if (u->parsing)
		xmlStopParser(u->ctxt);
	return u->rc;
}

/* Stop doing anything once the parse has failed. */
static int halted(const ubl *u)
{
	return u->rc || u->xerr.set;
}

/*
 * libxml2 reports here.  The first error ends the parse (recoverable
 * ones too: a document with an undefined prefix is not a quote we can
 * trust); warnings become diagnostics.
 */
static void on_xml_error(void *payload, xmlErrorPtr e)
{
	ubl *u = payload;

	if (!e)
		return;
	if (e->level == XML_ERR_WARNING) {
		char shown[200];

		if (halted(u) || ++u->xml_warnings > MAX_XML_WARN || !e->message)
			return;
		warn(u, bid_xml__err_pos(e), "xml.warning", "%s",
		     bid_xml__err_text(shown, sizeof(shown), e));
		return;
	}
	/* Our own xmlStopParser shows up as an error: it is not the cause. */
	if (u->xerr.set || u->rc || e->code == XML_ERR_USER_STOP)
		return;
	bid_xml__err_keep(&u->xerr, e, 1);
}

static int report_xml_error(ubl *u)
{
	long line = u->xerr.line, col = u->xerr.col;

	if (line <= 0 && u->ctxt && u->ctxt->input)
		line = u->ctxt->input->line;
	u->rc = bid_error_set_at(u->err, BID_EINVALID, BID_AREA_IMPORT, u->name, line,
	                         col > 0 ? col : 0, "%s: %s",
	                         u->xerr.fatal ? "not well-formed XML" : "XML error",
	                         u->xerr.msg);
	if (u->err)
		u->err->cause = u->xerr.code;
	return u->rc;
}

/* ---- positions ---------------------------------------------------- */

/* libxml2's own idea of where it is: the line, no column. */
static bid_pos parser_pos(const ubl *u)
{
	bid_pos pos = { 0, 0 };

	if (u->ctxt && u->ctxt->input && u->ctxt->input->line > 0)
		pos.line = (uint32_t)u->ctxt->input->line;
	return pos;
}

/*
 * Where the start tag being reported begins, as line and byte column.
 * When startElementNs runs, the parser stands just past the tag's
 * attributes, so the tag's '<' is the last one before that offset in
 * the raw bytes (an attribute value cannot hold a literal '<').  Lines
 * are counted by a cursor that only moves forward: start tags come in
 * document order, so the whole document is scanned once at most.
 * Input libxml2 had to convert (UTF-16, Latin-1...) gives libxml2's
 * line and column 0 instead, as do bytes that do not show the tag.
 */
static bid_pos tag_pos(ubl *u, const xmlChar *prefix, const xmlChar *local)
{
	xmlParserInputPtr in = u->ctxt->input;
	const char *p, *q, *end;
	size_t off, np, nl;
	long at;
	bid_pos pos;

	if (!u->scan_ok)
		return parser_pos(u);
	if (!in || (in->buf && in->buf->encoder) || (at = xmlByteConsumed(u->ctxt)) < 0 ||
	    (size_t)at > u->len || (size_t)at < u->scan_off)
		goto fallback;
	/* scan_off is just past the previous tag's '<' */
	for (p = u->data + at; p > u->data + u->scan_off && p[-1] != '<'; p--)
		;
	if (p == u->data + u->scan_off)
		goto fallback;
	p--;
	/* The bytes must show this tag's name, or they are not what libxml2 read. */
	end = u->data + u->len;
	q = p + 1;
	if (prefix) {
		np = strlen((const char *)prefix);
		if ((size_t)(end - q) < np + 1 || memcmp(q, prefix, np) != 0 || q[np] != ':')
			goto fallback;
		q += np + 1;
	}
	nl = strlen((const char *)local);
	if ((size_t)(end - q) < nl || memcmp(q, local, nl) != 0)
		goto fallback;

	off = (size_t)(p - u->data);
	for (q = u->data + u->scan_off; q < p && (q = memchr(q, '\n', (size_t)(p - q))); q++) {
		u->scan_line++;
		u->line_start = (size_t)(q - u->data) + 1;
	}
	u->scan_off = off + 1;
	pos.line = u->scan_line;
	pos.col = (uint32_t)(off - u->line_start) + 1;
	return pos;
fallback:
	u->scan_ok = 0;
	return parser_pos(u);
}

/* ---- element names ------------------------------------------------ */

static size_t hash_ptr(const void *p)
{
	return (size_t)((((uintptr_t)p >> 3) * 2654435761u) % NAME_HASH);
}

/* Intern our names in the parser's dictionary so a node is one lookup. */
static void intern_names(ubl *u)
{
	xmlDictPtr dict = u->ctxt->dict;
	int e;

	u->ns[NSK_QUOTE] = xmlDictLookup(dict, BAD_CAST NS_QUOTE, -1);
	u->ns[NSK_RFQ] = xmlDictLookup(dict, BAD_CAST NS_RFQ, -1);
	u->ns[NSK_CAC] = xmlDictLookup(dict, BAD_CAST NS_CAC, -1);
	u->ns[NSK_CBC] = xmlDictLookup(dict, BAD_CAST NS_CBC, -1);
	for (e = 1; e < E__COUNT; e++) {
		const xmlChar *k = xmlDictLookup(dict, BAD_CAST el_info[e].name, -1);
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

static int ns_kind(const ubl *u, const xmlChar *ns)
{
	int k;

	if (!ns)
		return NSK_NONE;
	if (ns == u->ns[NSK_CBC])
		return NSK_CBC;
	if (ns == u->ns[NSK_CAC])
		return NSK_CAC;
	if (ns == u->ns[NSK_QUOTE])
		return NSK_QUOTE;
	if (ns == u->ns[NSK_RFQ])
		return NSK_RFQ;
	if (u->by_strcmp)
		for (k = NSK_QUOTE; k <= NSK_CBC; k++)
			if (u->ns[k] && strcmp((const char *)ns, (const char *)u->ns[k]) == 0)
				return k;
	return NSK_NONE;
}

/* The element, if it is one we know (namespace first). */
static int classify(const ubl *u, const xmlChar *local, const xmlChar *ns)
{
	int nsk = ns_kind(u, ns), code;

	if (nsk == NSK_NONE || !local)
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
		case E_NOTE:             return QH_TERMS;
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
	case E_QUOTED_MONETARY_TOTAL:
		return d == 2 && s[2] == E_LINE_EXT_AMOUNT ? QH_TOTAL : S_NONE;
	case E_DELIVERY_TERMS:
		return d == 2 && s[2] == E_ID ? QH_INCOTERM : S_NONE;
	case E_TRANSACTION_CONDITIONS:
		return d == 2 && s[2] == E_DESCRIPTION ? QH_TERMS : S_NONE;
	case E_ALLOWANCE_CHARGE:
		if (d != 2)
			return S_NONE;
		return s[2] == E_CHARGE_INDICATOR ? QH_AC_IND : s[2] == E_AMOUNT ? QH_AC_AMOUNT : S_NONE;
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
		case E_ID:              return QL_ID;
		case E_QUANTITY:        return QL_QTY_LINE;
		case E_RFQ_LINE_ID:     return QL_RFQ_LINE_ID;
		case E_LINE_EXT_AMOUNT: return QL_AMOUNT_LINE;
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
		case E_ID:              return QL_ITEM_ID;
		case E_QUANTITY:        return QL_QTY;
		case E_MIN_QUANTITY:    return QL_MIN;
		case E_MAX_QUANTITY:    return QL_MAX;
		case E_LINE_EXT_AMOUNT: return QL_AMOUNT;
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
		if (s[3] == E_ALLOWANCE_CHARGE)
			return s[4] == E_CHARGE_INDICATOR ? QL_AC_IND :
			       s[4] == E_AMOUNT ? QL_AC_AMOUNT : S_NONE;
		return S_NONE;
	case 5:
		if (s[3] == E_ITEM) {
			if (s[4] == E_CERTIFICATE)
				return s[5] == E_CERT_TYPE_CODE ? QL_CERT_CODE :
				       s[5] == E_CERT_TYPE ? QL_CERT_TYPE :
				       s[5] == E_ID ? QL_CERT_ID : S_NONE;
			if (s[5] == E_ID) {
				switch (s[4]) {
				case E_SELLERS_ITEM_ID:       return QL_PART_SELLER;
				case E_STANDARD_ITEM_ID:      return QL_PART_STANDARD;
				case E_BUYERS_ITEM_ID:        return QL_PART_BUYER;
				case E_MANUFACTURERS_ITEM_ID: return QL_PART_MANUF;
				}
				return S_NONE;
			}
			if (s[4] == E_ORIGIN_COUNTRY && s[5] == E_IDENTIFICATION_CODE)
				return QL_ORIGIN;
			if (s[4] == E_ADDITIONAL_ITEM_PROPERTY)
				return s[5] == E_NAME ? QL_PROP_NAME : s[5] == E_VALUE ? QL_PROP_VALUE :
				       s[5] == E_VALUE_QUANTITY ? QL_PROP_VQTY : S_NONE;
			return S_NONE;
		}
		if (s[3] == E_DELIVERY && s[4] == E_PROMISED_PERIOD)
			return s[5] == E_END_DATE ? QL_DELIV_END :
			       s[5] == E_START_DATE ? QL_DELIV_START : S_NONE;
		if (s[3] == E_PRICING_REFERENCE && s[4] == E_ORIGINAL_ILQ)
			return s[5] == E_MIN_QUANTITY ? QL_MIN_OILQ :
			       s[5] == E_MAX_QUANTITY ? QL_MAX_OILQ :
			       s[5] == E_LEAD_TIME ? QL_LEAD : S_NONE;
		if (s[3] == E_PRICING_REFERENCE && s[4] == E_ALT_CONDITION_PRICE)
			return s[5] == E_PRICE_AMOUNT ? QL_ACP_PRICE :
			       s[5] == E_BASE_QUANTITY ? QL_ACP_BASIS :
			       s[5] == E_MIN_QUANTITY ? QL_ACP_MIN : S_NONE;
		return S_NONE;
	case 6:
		if (s[3] == E_PRICING_REFERENCE && s[4] == E_ORIGINAL_ILQ && s[5] == E_PRICE)
			return s[6] == E_PRICE_AMOUNT ? QL_OILQ_PRICE :
			       s[6] == E_BASE_QUANTITY ? QL_OILQ_BASIS : S_NONE;
		if (s[3] == E_ITEM && s[4] == E_MANUFACTURER_PARTY && s[5] == E_PARTY_NAME &&
		    s[6] == E_NAME)
			return QL_MANUFACTURER;
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

/*
 * Start capturing a value: remember where, and take its attribute now.
 * SAX2 hands attributes as (local, prefix, URI, value, end) quintuples.
 */
static int capture_begin(ubl *u, int slot, int d, bid_pos pos, int nattr,
                         const xmlChar **attrs)
{
	value *v = &u->val[slot];
	const char *want = slot_info[slot].attr;
	int i;

	memset(v, 0, sizeof(*v));
	v->pos = pos;
	u->cap_slot = slot;
	u->cap_depth = d;
	u->text.len = 0;
	if (!want)
		return 0;
	for (i = 0; i < nattr; i++) {
		const xmlChar **a = attrs + 5 * i;
		size_t len;

		/* Only unqualified attributes. */
		if (a[2] || !a[0] || strcmp((const char *)a[0], want) != 0 || !a[3] || !a[4])
			continue;
		if (keep(u, slot, (const char *)a[3], (size_t)(a[4] - a[3]), &v->attr_off, &len) < 0)
			return u->rc;
		v->has_attr = len > 0;
		break;
	}
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
		return value_error(u, v->pos, "ubl.lead.unit",
		                   "lead time unit '%s' is not supported: expected DAY or WEE",
		                   bid_import__shown(shown, sizeof(shown), unit, strlen(unit))) < 0 ? u->rc : 1;
	}
	if (v->v.dec < 0)
		return value_error(u, v->pos, "ubl.lead.negative", "lead time must not be negative")
		       < 0 ? u->rc : 1;
	whole = v->v.dec / BID_DEC_SCALE;
	frac = v->v.dec % BID_DEC_SCALE;
	days = whole > MAX_LEAD_DAYS ? MAX_LEAD_DAYS + 1
	                             : whole * mult + (frac * mult + BID_DEC_SCALE - 1) / BID_DEC_SCALE;
	if (days > MAX_LEAD_DAYS)
		return value_error(u, v->pos, "ubl.lead.range",
		                   "lead time is out of range (more than %d days)", MAX_LEAD_DAYS)
		       < 0 ? u->rc : 1;
	v->v.days = (int32_t)days;
	return 0;
}

/*
 * Payment terms in free text, read only when the whole text is one of
 * a few unambiguous shapes (case and commas aside, an optional leading
 * "payment terms:" or "terms:"):
 *     net 30 [days]          30 days net
 *     2% 10 [days] net 30    2/10 net 30     (2 % off when paid within 10 days)
 * Anything else is left alone: a guess at payment terms is worse than none.
 */
#define MAX_TOK 12

typedef struct tok {
	const char *s;
	size_t      n;
} tok;

static int tok_is(const tok *t, const char *word)
{
	size_t i;

	if (t->n != strlen(word))
		return 0;
	for (i = 0; i < t->n; i++)
		if ((t->s[i] | 0x20) != word[i])
			return 0;
	return 1;
}

static int tok_int(const tok *t, int32_t *out)
{
	int32_t v = 0;
	size_t i;

	if (t->n == 0 || t->n > 4)
		return 0;
	for (i = 0; i < t->n; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return 0;
		v = v * 10 + (t->s[i] - '0');
	}
	*out = v;
	return 1;
}

static int read_terms(const char *s, size_t n, terms *out)
{
	tok t[MAX_TOK];
	size_t nt = 0, i = 0, k = 0;
	int32_t days, disc_days = 0;
	bid_dec pct = 0;
	int has_disc = 0;

	/* Tokens: runs of digits and '.', runs of letters, and single '%' '/' ':'. */
	while (k < n) {
		char c = s[k];
		size_t b = k;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
			k++;
			continue;
		}
		if (nt == MAX_TOK)
			return 0;
		if ((c >= '0' && c <= '9') || c == '.') {
			while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.'))
				k++;
		} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			while (k < n && (s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')
				k++;
		} else if (c == '%' || c == '/' || c == ':') {
			k++;
		} else {
			return 0;
		}
		t[nt].s = s + b;
		t[nt].n = k - b;
		nt++;
	}
	/* A full stop at the very end is punctuation. */
	if (nt && t[nt - 1].n > 1 && t[nt - 1].s[t[nt - 1].n - 1] == '.')
		t[nt - 1].n--;
	else if (nt && tok_is(&t[nt - 1], "."))
		nt--;

	if (i < nt && tok_is(&t[i], "payment"))
		i++;
	if (i < nt && tok_is(&t[i], "terms"))
		i++;
	if (i > 0 && i < nt && tok_is(&t[i], ":"))
		i++;
	/* discount: P % D [days]  or  P / D */
	if (i + 2 < nt && (tok_is(&t[i + 1], "%") || tok_is(&t[i + 1], "/"))) {
		if (bid_dec_parse(&pct, t[i].s, t[i].n, NULL) < 0 || pct <= 0 ||
		    pct >= 100 * BID_DEC_SCALE || !tok_int(&t[i + 2], &disc_days))
			return 0;
		has_disc = 1;
		i += 3;
		if (i < nt && (tok_is(&t[i], "days") || tok_is(&t[i], "day")))
			i++;
	}
	/* net N [days]  or  N days net */
	if (i + 1 < nt && tok_is(&t[i], "net") && tok_int(&t[i + 1], &days)) {
		i += 2;
		if (i < nt && (tok_is(&t[i], "days") || tok_is(&t[i], "day")))
			i++;
	} else if (i + 2 < nt && tok_int(&t[i], &days) &&
	           (tok_is(&t[i + 1], "days") || tok_is(&t[i + 1], "day")) &&
	           tok_is(&t[i + 2], "net")) {
		i += 3;
	} else {
		return 0;
	}
	if (i != nt || days <= 0 || days > MAX_PAY_DAYS || (has_disc && disc_days >= days))
		return 0;
	out->days = days;
	out->has_disc = has_disc;
	out->disc_pct = pct;
	out->disc_days = disc_days;
	return 1;
}

/* A Note or TransactionConditions/Description that may hold payment terms. */
static void terms_text(ubl *u, value *v, const char *t)
{
	terms got;

	memset(&got, 0, sizeof(got));
	if (!read_terms(t, v->len, &got))
		return;
	if (!u->terms.found) {
		got.found = 1;
		got.pos = v->pos;
		u->terms = got;
	} else if (got.days != u->terms.days || got.has_disc != u->terms.has_disc ||
	           got.disc_pct != u->terms.disc_pct || got.disc_days != u->terms.disc_days) {
		u->terms.ambiguous = 1;
	}
}

static int capture_end(ubl *u)
{
	int slot = u->cap_slot;
	value *v = &u->val[slot];
	const char *what = slot_info[slot].what;
	char rule[48];
	bid_error why;
	const char *t;
	int rc;

	u->cap_slot = S_NONE;
	if (keep(u, slot, u->text.p ? u->text.p : "", u->text.len, &v->off, &v->len) < 0)
		return u->rc;
	t = arena_of(u, slot)->p + v->off;
	/* why is filled by the parsers on failure only: no clearing per value */
	switch (slot_info[slot].type) {
	case T_TEXT:
		/* An empty element is as good as none, so fallbacks apply. */
		v->set = v->len > 0;
		return 0;
	case T_TERMS:
		terms_text(u, v, t);
		v->set = 0;          /* the next Note is read too */
		return 0;
	case T_DEC:
	case T_LEAD:
		if (bid_import__dec(&v->v.dec, what, t, v->len, u->name, v->pos, &why) < 0) {
			snprintf(rule, sizeof(rule), "%s.decimal", slot_info[slot].rule);
			v->bad = 1;
			return value_error(u, v->pos, rule, "%s", why.msg);
		}
		if (slot_info[slot].type == T_LEAD &&
		    (rc = lead_days(u, v, v->has_attr ? arena_of(u, slot)->p + v->attr_off : NULL))) {
			v->bad = 1;
			return rc < 0 ? rc : 0;
		}
		break;
	case T_DATE:
		if (bid_import__date(&v->v.date, what, t, v->len, 1, u->name, v->pos, &why) < 0) {
			snprintf(rule, sizeof(rule), "%s.date", slot_info[slot].rule);
			v->bad = 1;
			return value_error(u, v->pos, rule, "%s", why.msg);
		}
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
	if (!h.supplier_id) {
		/* No header, so no line is handed over; the lines are still checked. */
		u->header_failed = 1;
		return value_error(u, at, "ubl.supplier.missing",
		                   "no supplier id before the first QuotationLine: expected "
		                   "cac:SellerSupplierParty with cbc:CustomerAssignedAccountID, "
		                   "cac:Party/cac:PartyIdentification/cbc:ID, cac:Party/cbc:EndpointID "
		                   "or cac:Party/cac:PartyLegalEntity/cbc:CompanyID");
	}
	h.supplier_name = str(u, QH_SUP_NAME);
	h.quote_id = str(u, QH_ID);
	h.rfq_ref = str(u, QH_RFQ_REF);
	h.currency = str(u, QH_CURRENCY);
	h.issue_date = date_or_none(u, QH_ISSUE);
	h.valid_from = date_or_none(u, QH_VALID_FROM);
	h.valid_until = date_or_none(u, QH_VALID_UNTIL);
	h.incoterm = str(u, QH_INCOTERM);
	if (u->val[QH_TOTAL].set) {
		h.total = u->val[QH_TOTAL].v.dec;
		h.has_total = 1;
		h.total_pos = u->val[QH_TOTAL].pos;
		h.total_currency = attr(u, QH_TOTAL) ? attr(u, QH_TOTAL) : h.currency;
	}
	if (u->hcharges.n && !u->hcharges.bad) {
		h.charges = u->hcharges.sum;
		h.has_charges = 1;
		h.charges_currency = u->hcharges.has_cur ? u->harena.p + u->hcharges.cur_off : NULL;
		h.charges_pos = u->hcharges.pos;
	}
	if (u->terms.found && u->terms.ambiguous) {
		if (warn(u, u->terms.pos, "ubl.terms.ambiguous", "payment terms in the notes "
		         "disagree with each other; none were read") < 0)
			return u->rc;
	} else if (u->terms.found) {
		char pct[BID_DEC_FMT_MAX];

		h.pay_days = u->terms.days;
		h.has_pay_days = 1;
		if (u->terms.has_disc) {
			h.discount_pct = u->terms.disc_pct;
			h.discount_days = u->terms.disc_days;
			h.has_discount = 1;
		}
		if ((u->terms.has_disc
		     ? warn(u, u->terms.pos, "ubl.terms.text", "payment terms read from free text: "
		            "%s %% within %d days, net %d days",
		            bid_dec_format(pct, sizeof(pct), u->terms.disc_pct, 0),
		            (int)u->terms.disc_days, (int)u->terms.days)
		     : warn(u, u->terms.pos, "ubl.terms.text", "payment terms read from free text: "
		            "net %d days", (int)u->terms.days)) < 0)
			return u->rc;
	}
	u->header_sent = 1;
	if (u->sink->quote_header && (rc = u->sink->quote_header(&h, u->sink->payload)) < 0)
		return stop(u, rc, h.pos);
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
		return stop(u, rc, at);
	return 0;
}

static int begin_line(ubl *u, bid_pos pos)
{
	if (!u->header_sent && !u->header_failed &&
	    (u->kind == BID_DOC_QUOTE ? send_quote_header(u, pos) : send_rfq_header(u, pos)) < 0)
		return u->rc;
	memset(&u->val[S_LINE_FIRST], 0, sizeof(value) * (S__COUNT - S_LINE_FIRST));
	u->larena.len = 0;
	u->line_pos = pos;
	u->nlines++;
	u->in_line = 1;
	u->line_bad = 0;
	u->ntiers = 0;
	u->has_defect = 0;
	memset(&u->lcharges, 0, sizeof(u->lcharges));
	u->certs.len = 0;
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

static void clear_slots(ubl *u, int first, int last)
{
	memset(&u->val[first], 0, sizeof(value) * (size_t)(last - first + 1));
}

/* The end of an AlternativeConditionPrice: a price break if it says where it starts. */
static int end_alt_price(ubl *u)
{
	value *p = &u->val[QL_ACP_PRICE], *m = &u->val[QL_ACP_MIN], *b = &u->val[QL_ACP_BASIS];
	tier_in *t;

	if (!p->set || p->bad || m->bad || b->bad)
		return 0;      /* absent, or already reported */
	if (!m->set)
		return warn(u, p->pos, "ubl.tier.bound", "%s: cac:AlternativeConditionPrice ignored: "
		            "it has no cbc:MinimumQuantity to say where the price break starts",
		            line_label(u, QL_ID, "QuotationLine"));
	if (u->ntiers == MAX_TIERS)
		return value_error(u, p->pos, "ubl.tier.count", "%s: more than %d price breaks",
		                   line_label(u, QL_ID, "QuotationLine"), MAX_TIERS);
	t = &u->tiers[u->ntiers++];
	memset(t, 0, sizeof(*t));
	t->t.from_qty = m->v.dec;
	t->t.price = p->v.dec;
	t->t.pos = p->pos;
	if ((t->has_cur = p->has_attr))
		t->cur_off = p->attr_off;
	if ((t->has_basis = b->set))
		t->basis = b->v.dec;
	return 0;
}

/* The end of an AdditionalItemProperty: "defect_ppm" is the quality figure. */
static int end_property(ubl *u)
{
	const char *name = str(u, QL_PROP_NAME);
	int slot = u->val[QL_PROP_VALUE].set ? QL_PROP_VALUE : QL_PROP_VQTY;
	value *v = &u->val[slot];
	bid_error why;

	if (!name || strcasecmp(name, "defect_ppm") != 0 || u->has_defect)
		return 0;
	if (!v->set)
		return value_error(u, u->val[QL_PROP_NAME].pos, "ubl.defect.missing",
		                   "%s: property defect_ppm has no cbc:Value",
		                   line_label(u, QL_ID, "QuotationLine"));
	if (bid_import__dec(&u->defect_ppm, "defect ppm", str(u, slot), v->len, u->name, v->pos,
	                    &why) < 0)
		return value_error(u, v->pos, "ubl.defect.decimal", "%s", why.msg);
	if (u->defect_ppm < 0)
		return value_error(u, v->pos, "ubl.defect.negative", "defect ppm must not be negative");
	u->has_defect = 1;
	return 0;
}

/*
 * The end of an Item/cac:Certificate: its code (CertificateTypeCode,
 * else CertificateType, else ID) joins the line's list.  A code the list
 * cannot carry (a ',' or a control character) is a value error.
 */
static int end_certificate(ubl *u)
{
	static const int order[] = { QL_CERT_CODE, QL_CERT_TYPE, QL_CERT_ID };
	const char *code = NULL;
	size_t i, n;
	int slot = S_NONE;
	char shown[64];

	for (i = 0; i < sizeof(order) / sizeof(order[0]) && !code; i++)
		if ((code = str(u, order[i])))
			slot = order[i];
	if (!code)
		return warn(u, u->cert_pos, "ubl.certificate.missing", "%s: cac:Certificate ignored: "
		            "it has no cbc:CertificateTypeCode, cbc:CertificateType or cbc:ID",
		            line_label(u, QL_ID, "QuotationLine"));
	n = u->val[slot].len;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];

		/* C0, DEL and C1 (U+0080..U+009F, UTF-8 C2 80..C2 9F) controls, and the separator */
		if (c == ',' || c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n && (unsigned char)code[i + 1] >= 0x80 &&
		     (unsigned char)code[i + 1] <= 0x9f))
			return value_error(u, u->val[slot].pos, "ubl.certificate.code", "%s: certificate "
			                   "code '%s' holds %s: expected one code without commas or "
			                   "control characters", line_label(u, QL_ID, "QuotationLine"),
			                   bid_import__shown(shown, sizeof(shown), code, n),
			                   c == ',' ? "a comma" : "a control character");
	}
	if ((u->certs.len && bid_strbuf__append(&u->certs, ",", 1) < 0) ||
	    bid_strbuf__append(&u->certs, code, n) < 0)
		return nomem(u);
	return 0;
}

/*
 * The end of a cac:AllowanceCharge (the quote's or the line's main
 * LineItem's): its signed amount joins the sum in c.  Any refusal is a
 * value error and marks the sum bad.
 */
static int end_charge(ubl *u, int ind_slot, int amt_slot, charges *c, const char *label)
{
	value *ind = &u->val[ind_slot], *amt = &u->val[amt_slot];
	const char *t = str(u, ind_slot), *cur = attr(u, amt_slot);
	const char *sep = label[0] ? ": " : "";
	bid_strbuf *a = arena_of(u, amt_slot);
	char shown[40], b[16];
	bid_dec v;
	int sign;

	c->n++;
	if (amt->bad) {
		c->bad = 1;      /* reported already (ubl.charge.decimal) */
		return 0;
	}
	if (!t) {
		c->bad = 1;
		return value_error(u, amt->set ? amt->pos : u->ac_pos, "ubl.charge.indicator",
		                   "%s%scac:AllowanceCharge has no cbc:ChargeIndicator (true for a "
		                   "charge, false for an allowance)", label, sep);
	}
	if (strcmp(t, "true") == 0 || strcmp(t, "1") == 0) {
		sign = 1;
	} else if (strcmp(t, "false") == 0 || strcmp(t, "0") == 0) {
		sign = -1;
	} else {
		c->bad = 1;
		return value_error(u, ind->pos, "ubl.charge.indicator", "%s%scbc:ChargeIndicator '%s' "
		                   "is not a boolean: expected true (a charge) or false (an allowance)",
		                   label, sep, bid_import__shown(shown, sizeof(shown), t, strlen(t)));
	}
	if (!amt->set) {
		c->bad = 1;
		return value_error(u, ind->pos, "ubl.charge.missing", "%s%scac:AllowanceCharge has "
		                   "no cbc:Amount", label, sep);
	}
	if (amt->v.dec < 0) {
		c->bad = 1;
		return value_error(u, amt->pos, "ubl.charge.negative", "%s%sallowance or charge "
		                   "amount must not be negative: cbc:ChargeIndicator gives the sign",
		                   label, sep);
	}
	if (cur) {
		if (!c->has_cur) {
			c->has_cur = 1;
			c->cur_off = amt->attr_off;
		} else if (strcmp(cur, a->p + c->cur_off) != 0) {
			c->bad = 1;
			return value_error(u, amt->pos, "ubl.charge.currency", "%s%sallowance or charge "
			                   "in %s, but an earlier one is in %s", label, sep,
			                   bid_import__shown(shown, sizeof(shown), cur, strlen(cur)),
			                   bid_import__shown(b, sizeof(b), a->p + c->cur_off,
			                                     strlen(a->p + c->cur_off)));
		}
	}
	v = sign * amt->v.dec;
	if (__builtin_add_overflow(c->sum, v, &c->sum) || c->sum == INT64_MIN) {
		c->bad = 1;
		return value_error(u, amt->pos, "ubl.charge.range", "%s%sallowances and charges "
		                   "add up to more than a decimal can hold", label, sep);
	}
	return 0;
}

/* Insertion sort of the extra breaks by where they start; few, mostly sorted. */
static void sort_tiers(ubl *u)
{
	size_t i, j;

	for (i = 1; i < u->ntiers; i++) {
		tier_in t = u->tiers[i];

		for (j = i; j > 0 && u->tiers[j - 1].t.from_qty > t.t.from_qty; j--)
			u->tiers[j] = u->tiers[j - 1];
		u->tiers[j] = t;
	}
}

/* Price breaks: the line's own price first, then the others by quantity. */
static int build_tiers(ubl *u, bid_quote_line *l, const char *label)
{
	value *op = &u->val[QL_OILQ_PRICE];
	bid_dec basis = l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE;
	size_t i, n = 0;

	/* (b) OriginalItemLocationQuantity with a Price: a break from its minimum. */
	if (op->set && !op->bad) {
		if (!u->val[QL_MIN_OILQ].set) {
			if (!u->val[QL_MIN_OILQ].bad &&
			    warn(u, op->pos, "ubl.tier.bound", "%s: the price in "
			         "cac:OriginalItemLocationQuantity ignored: it has no cbc:MinimumQuantity "
			         "to say where the price break starts", label) < 0)
				return u->rc;
		} else if (u->ntiers < MAX_TIERS) {
			tier_in *t = &u->tiers[u->ntiers++];

			memset(t, 0, sizeof(*t));
			t->t.from_qty = u->val[QL_MIN_OILQ].v.dec;
			t->t.price = op->v.dec;
			t->t.pos = op->pos;
			if ((t->has_cur = op->has_attr))
				t->cur_off = op->attr_off;
			if ((t->has_basis = u->val[QL_OILQ_BASIS].set))
				t->basis = u->val[QL_OILQ_BASIS].v.dec;
		}
	}
	if (u->ntiers == 0)
		return 0;
	sort_tiers(u);
	u->tier_out[n].from_qty = l->has_min_qty ? l->min_qty : 0;
	u->tier_out[n].price = l->price;
	u->tier_out[n].pos = l->pos[BID_F_PRICE];
	n++;
	for (i = 0; i < u->ntiers; i++) {
		tier_in *t = &u->tiers[i];
		const char *cur = t->has_cur ? u->larena.p + t->cur_off : NULL;

		if (cur && l->currency && strcmp(cur, l->currency) != 0) {
			char a[16], b[16];
			if (value_error(u, t->t.pos, "ubl.tier.currency", "%s: price break in %s, but "
			                "the line's price is in %s", label,
			                bid_import__shown(a, sizeof(a), cur, strlen(cur)),
			                bid_import__shown(b, sizeof(b), l->currency,
			                                  strlen(l->currency))) < 0)
				return u->rc;
			continue;
		}
		if (t->has_basis && (t->basis > 0 ? t->basis : BID_DEC_SCALE) != basis) {
			char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
			if (value_error(u, t->t.pos, "ubl.tier.basis", "%s: price break per %s, but the "
			                "line's price is per %s", label,
			                bid_dec_format(a, sizeof(a), t->basis, 0),
			                bid_dec_format(b, sizeof(b), basis, 0)) < 0)
				return u->rc;
			continue;
		}
		u->tier_out[n++] = t->t;
	}
	l->tiers = u->tier_out;
	l->ntiers = n;
	l->tier_type = BID_TIER_ALL_UNITS;
	return 0;
}

static int end_quote_line(ubl *u)
{
	/* Which id locates the part: the most specific present. */
	static const int part_order[] = { QL_PART_BUYER, QL_RFQ_LINE_ID, QL_REQ_LINE_REF,
	                                  QL_PART_SELLER, QL_PART_MANUF, QL_PART_STANDARD,
	                                  QL_ITEM_ID };
	const char *label = line_label(u, QL_ID, "QuotationLine");
	bid_quote_line l;
	int qty, amount, rc;
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
	l.manufacturer = str(u, QL_MANUFACTURER);
	l.origin_country = str(u, QL_ORIGIN);
	l.certificates = u->certs.len ? u->certs.p : NULL;
	if (u->has_defect) {
		l.defect_ppm = u->defect_ppm;
		l.has_defect_ppm = 1;
	}

	qty = u->val[QL_QTY].set ? QL_QTY : u->val[QL_QTY_LINE].set ? QL_QTY_LINE : S_NONE;
	if (qty) {
		l.qty = u->val[qty].v.dec;
		l.has_qty = 1;
		l.unit = attr(u, qty);
		l.pos[BID_F_QTY] = l.pos[BID_F_UNIT] = u->val[qty].pos;
		if (!l.unit && warn(u, u->val[qty].pos, "ubl.unit.missing",
		                    "%s: quantity has no unitCode", label) < 0)
			return u->rc;
	}

	if (u->val[QL_PRICE].set) {
		l.price = u->val[QL_PRICE].v.dec;
		l.pos[BID_F_PRICE] = u->val[QL_PRICE].pos;
		if ((l.currency = attr(u, QL_PRICE))) {
			l.pos[BID_F_CURRENCY] = u->val[QL_PRICE].pos;
		} else if ((l.currency = str(u, QH_CURRENCY))) {
			l.pos[BID_F_CURRENCY] = u->val[QH_CURRENCY].pos;
		} else if (value_error(u, u->val[QL_PRICE].pos, "ubl.currency.missing",
		                       "%s: no currency: cbc:PriceAmount has no currencyID and the "
		                       "document has no cbc:PricingCurrencyCode", label) < 0) {
			return u->rc;
		}
	} else if (!u->val[QL_PRICE].bad &&
	           value_error(u, u->line_pos, "ubl.price.missing", "%s: no price: expected "
	                       "cac:LineItem/cac:Price/cbc:PriceAmount", label) < 0) {
		return u->rc;
	}

	if (u->val[QL_BASIS].set) {
		l.basis_qty = u->val[QL_BASIS].v.dec;
		l.basis_unit = attr(u, QL_BASIS);
		l.pos[BID_F_BASIS] = u->val[QL_BASIS].pos;
	}
	/* OriginalItemLocationQuantity's minimum is the MOQ unless it starts a price break. */
	i = u->val[QL_MIN].set ? QL_MIN
	  : u->val[QL_MIN_OILQ].set && !u->val[QL_OILQ_PRICE].set ? QL_MIN_OILQ : S_NONE;
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
	amount = u->val[QL_AMOUNT].set ? QL_AMOUNT : u->val[QL_AMOUNT_LINE].set ? QL_AMOUNT_LINE
	                                                                        : S_NONE;
	if (amount) {
		l.line_amount = u->val[amount].v.dec;
		l.has_line_amount = 1;
	}
	if (build_tiers(u, &l, label) < 0)
		return u->rc;
	if (u->lcharges.n && !u->lcharges.bad) {
		const char *cur = u->lcharges.has_cur ? u->larena.p + u->lcharges.cur_off : NULL;
		char a[16], b[16];

		if (cur && l.currency && strcmp(cur, l.currency) != 0) {
			if (value_error(u, u->lcharges.pos, "ubl.charge.currency", "%s: allowance or "
			                "charge in %s, but the line's price is in %s", label,
			                bid_import__shown(a, sizeof(a), cur, strlen(cur)),
			                bid_import__shown(b, sizeof(b), l.currency,
			                                  strlen(l.currency))) < 0)
				return u->rc;
		} else {
			l.charges = u->lcharges.sum;
			l.has_charges = 1;
		}
	}

	u->in_line = 0;
	if (u->line_bad || !u->header_sent)
		return 0;
	if (u->sink->quote_line && (rc = u->sink->quote_line(&l, u->sink->payload)) < 0)
		return stop(u, rc, u->line_pos);
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
	if (!l.part && value_error(u, u->line_pos, "ubl.part.missing", "%s: no part number: "
	                           "expected cac:LineItem/cac:Item/cac:BuyersItemIdentification/"
	                           "cbc:ID, cac:SellersItemIdentification/cbc:ID or "
	                           "cac:LineItem/cbc:ID", label) < 0)
		return u->rc;
	l.description = str(u, RL_NAME) ? str(u, RL_NAME) :
	                str(u, RL_DESC) ? str(u, RL_DESC) : str(u, RL_NOTE);
	if (!u->val[RL_QTY].set) {
		if (!u->val[RL_QTY].bad &&
		    value_error(u, u->line_pos, "ubl.qty.missing",
		                "%s: no quantity: expected cac:LineItem/cbc:Quantity", label) < 0)
			return u->rc;
	} else {
		l.qty = u->val[RL_QTY].v.dec;
		if (l.qty <= 0 && value_error(u, u->val[RL_QTY].pos, "ubl.qty.positive",
		                              "%s: quantity must be greater than 0", label) < 0)
			return u->rc;
		if (!(l.unit = attr(u, RL_QTY)) &&
		    value_error(u, u->val[RL_QTY].pos, "ubl.unit.missing", "%s: cbc:Quantity has no "
		                "unitCode (a UN/ECE Rec 20 code such as EA or KGM)", label) < 0)
			return u->rc;
	}
	l.need_by = date_or_none(u, RL_NEED_BY);
	u->in_line = 0;
	if (u->line_bad || !u->header_sent)
		return 0;
	if (u->sink->rfq_line && (rc = u->sink->rfq_line(&l, u->sink->payload)) < 0)
		return stop(u, rc, u->line_pos);
	return 0;
}

/* ---- the SAX callbacks -------------------------------------------- */

static int element_end(ubl *u, int d)
{
	if (u->cap_slot && d == u->cap_depth && capture_end(u) < 0)
		return u->rc;
	if (d == 1 && u->stack[1] == E_QUOTATION_LINE && u->kind == BID_DOC_QUOTE)
		return end_quote_line(u);
	if (d == 1 && u->stack[1] == E_RFQ_LINE && u->kind == BID_DOC_RFQ)
		return end_rfq_line(u);
	if (d == 4 && u->in_line && u->kind == BID_DOC_QUOTE && u->stack[2] == E_LINE_ITEM) {
		if (u->stack[3] == E_PRICING_REFERENCE && u->stack[4] == E_ALT_CONDITION_PRICE)
			return end_alt_price(u);
		if (u->stack[3] == E_ITEM && u->stack[4] == E_ADDITIONAL_ITEM_PROPERTY)
			return end_property(u);
		if (u->stack[3] == E_ITEM && u->stack[4] == E_CERTIFICATE)
			return end_certificate(u);
	}
	if (d == 3 && u->in_line && u->kind == BID_DOC_QUOTE && u->stack[2] == E_LINE_ITEM &&
	    u->stack[3] == E_ALLOWANCE_CHARGE)
		return end_charge(u, QL_AC_IND, QL_AC_AMOUNT, &u->lcharges,
		                  line_label(u, QL_ID, "QuotationLine"));
	if (d == 1 && u->kind == BID_DOC_QUOTE && u->stack[1] == E_ALLOWANCE_CHARGE &&
	    !u->header_sent && !u->header_failed)
		return end_charge(u, QH_AC_IND, QH_AC_AMOUNT, &u->hcharges, "");
	if (d == 0) {
		u->root_done = 1;
		/* A document without lines still has a header to give. */
		if (!u->header_sent && !u->header_failed) {
			bid_pos at = { 1, 1 };
			return u->kind == BID_DOC_QUOTE ? send_quote_header(u, at)
			                                : send_rfq_header(u, at);
		}
	}
	return 0;
}

static int on_root(ubl *u, const xmlChar *local, const xmlChar *ns, int code, bid_pos pos)
{
	char ns_shown[100], local_shown[60];

	/* Names come from the parser's dictionary unless this build differs. */
	if (code == E_OTHER && local && ns &&
	    ((strcmp((const char *)local, "Quotation") == 0 &&
	      strcmp((const char *)ns, NS_QUOTE) == 0) ||
	     (strcmp((const char *)local, "RequestForQuotation") == 0 &&
	      strcmp((const char *)ns, NS_RFQ) == 0))) {
		u->by_strcmp = 1;
		code = classify(u, local, ns);
	}
	if (code == E_QUOTATION) {
		u->kind = BID_DOC_QUOTE;
		return 0;
	}
	if (code == E_RFQ_DOC) {
		u->kind = BID_DOC_RFQ;
		return 0;
	}
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

static void on_start(void *payload, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **nsdecl, int nattr,
                     int ndefaulted, const xmlChar **attrs)
{
	ubl *u = payload;
	int d, code, slot = S_NONE;
	bid_pos pos;

	(void)nns, (void)nsdecl, (void)ndefaulted;
	if (halted(u))
		return;
	d = u->depth++;
	u->run = 0;
	if (d >= MAX_DEPTH) {
		fail_at(u, tag_pos(u, prefix, local), "elements nested too deep: depth over %d",
		        MAX_DEPTH);
		return;
	}
	code = classify(u, local, uri);
	u->stack[d] = (unsigned char)code;

	if (d == 0) {
		on_root(u, local, uri, code, tag_pos(u, prefix, local));
		return;
	}
	if (u->cap_slot || code == E_OTHER)
		return;          /* inside a value we read, or not ours */
	if (u->kind == BID_DOC_QUOTE) {
		if (d == 1 && code == E_QUOTATION_LINE) {
			begin_line(u, tag_pos(u, prefix, local));
			return;
		}
		if (d == 2 && u->stack[1] == E_QUOTATION_LINE &&
		    (code == E_SUBSTITUTE_LINE_ITEM || code == E_ALTERNATIVE_LINE_ITEM)) {
			warn(u, tag_pos(u, prefix, local), "ubl.line.alternative",
			     "%s: alternative line item ignored (cac:%s)",
			     line_label(u, QL_ID, "QuotationLine"), el_info[code].name);
			return;
		}
		/* Each AllowanceCharge is read afresh; the first one's tag is the sum's position. */
		if (d == 1 && code == E_ALLOWANCE_CHARGE) {
			u->ac_pos = pos = tag_pos(u, prefix, local);
			if (u->header_sent || u->header_failed) {
				warn(u, pos, "ubl.charge.late", "cac:AllowanceCharge after the first "
				     "QuotationLine ignored: the quote's charges come before its lines");
				return;
			}
			clear_slots(u, QH_AC_IND, QH_AC_AMOUNT);
			if (u->hcharges.n == 0)
				u->hcharges.pos = pos;
			return;
		}
		if (d == 3 && u->in_line && u->stack[2] == E_LINE_ITEM && code == E_ALLOWANCE_CHARGE) {
			u->ac_pos = tag_pos(u, prefix, local);
			if (u->lcharges.n == 0)
				u->lcharges.pos = u->ac_pos;
			clear_slots(u, QL_AC_IND, QL_AC_AMOUNT);
			return;
		}
		/* Each AlternativeConditionPrice and property is read afresh. */
		if (d == 4 && u->in_line && u->stack[2] == E_LINE_ITEM) {
			if (u->stack[3] == E_PRICING_REFERENCE && code == E_ALT_CONDITION_PRICE) {
				clear_slots(u, QL_ACP_PRICE, QL_ACP_MIN);
				return;
			}
			if (u->stack[3] == E_ITEM && code == E_ADDITIONAL_ITEM_PROPERTY) {
				clear_slots(u, QL_PROP_NAME, QL_PROP_VQTY);
				return;
			}
			if (u->stack[3] == E_ITEM && code == E_CERTIFICATE) {
				u->cert_pos = tag_pos(u, prefix, local);
				clear_slots(u, QL_CERT_CODE, QL_CERT_ID);
				return;
			}
		}
		slot = match_quote(u->stack, d);
	} else {
		if (d == 1 && code == E_RFQ_LINE) {
			begin_line(u, tag_pos(u, prefix, local));
			return;
		}
		slot = match_rfq(u->stack, d);
	}

	/*
	 * The first occurrence wins (a second Note or Description adds
	 * nothing), and the header is frozen once it has been handed over.
	 */
	if (slot && !u->val[slot].set && !u->val[slot].bad &&
	    !(slot < S_LINE_FIRST && (u->header_sent || u->header_failed))) {
		pos = tag_pos(u, prefix, local);
		capture_begin(u, slot, d, pos, nattr, attrs);
	}
}

static void on_end(void *payload, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
	ubl *u = payload;
	int d;

	(void)local, (void)prefix, (void)uri;
	if (halted(u))
		return;
	d = --u->depth;
	u->run = 0;
	if (d < MAX_DEPTH)
		element_end(u, d);
}

static void on_text(void *payload, const xmlChar *t, int len)
{
	ubl *u = payload;
	size_t n = len > 0 ? (size_t)len : 0;

	if (halted(u))
		return;
	/* SAX leaves the length of one text to us: libxml2's own limit. */
	if ((u->run += n) > MAX_RUN) {
		bid_pos pos = parser_pos(u);
		fail_at(u, pos, "text longer than %d bytes in one element", MAX_RUN);
		return;
	}
	if (!u->cap_slot || u->depth - 1 != u->cap_depth)
		return;
	if (u->text.len + n > MAX_TEXT) {
		fail_at(u, u->val[u->cap_slot].pos, "%s is longer than %d bytes",
		        slot_info[u->cap_slot].what, MAX_TEXT);
		return;
	}
	if (bid_strbuf__append(&u->text, (const char *)t, n) < 0)
		nomem(u);
}

/*
 * Entity declarations are refused before libxml2 sees them: external
 * ones would read files (XXE) and nested ones expand exponentially
 * ("billion laughs").  UBL has no use for either.  The SAX handler also
 * refuses any declaration and any entity reference, for input the byte
 * scan cannot read (UTF-16).
 */
static void on_entity_decl(void *payload, const xmlChar *name, int type,
                           const xmlChar *public_id, const xmlChar *system_id,
                           xmlChar *content)
{
	ubl *u = payload;

	(void)name, (void)type, (void)public_id, (void)system_id, (void)content;
	if (!halted(u))
		fail_at(u, parser_pos(u), "entity declarations are not allowed "
		        "(no external entities, no entity expansion)");
}

static void on_reference(void *payload, const xmlChar *name)
{
	ubl *u = payload;

	if (!halted(u))
		fail_at(u, parser_pos(u), "entity reference '&%.60s;' is not allowed",
		        name ? (const char *)name : "");
}

static int refuse_entity_decls(ubl *u, const char *data, size_t len)
{
	bid_pos pos;

	if (!bid_xml__entity_decl(data, len, &pos))
		return 0;
	return fail_at(u, pos, "entity declarations are not allowed "
	               "(no external entities, no entity expansion)");
}

int bid_ubl__parse(const char *data, size_t len, const char *name,
                   const bid_import_sink *sink, bid_error *err)
{
	xmlSAXHandler sax;
	size_t off;
	ubl *u;
	int rc;

	/* The state is big (value table, name hash, tiers); keep it off the stack. */
	if (!(u = calloc(1, sizeof(*u))))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s", name);
	u->name = name;
	u->sink = sink;
	u->err = err;
	u->data = data;
	u->len = len;
	u->scan_ok = 1;
	u->scan_line = 1;

	if (refuse_entity_decls(u, data, len) < 0)
		goto done;

	/*
	 * A bare SAX2 handler: no tree, no DTD loading (no externalSubset
	 * callback, no XML_PARSE_DTDLOAD), no entity substitution (no
	 * XML_PARSE_NOENT, declarations refused), NONET, and no
	 * XML_PARSE_HUGE so libxml2's own size and depth limits hold.
	 */
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.entityDecl = on_entity_decl;
	sax.reference = on_reference;
	sax.serror = on_xml_error;
	xmlInitParser();
	if (!(u->ctxt = xmlCreatePushParserCtxt(&sax, u, NULL, 0, NULL))) {
		nomem(u);
		goto done;
	}
	xmlCtxtUseOptions(u->ctxt, XML_PARSE_NONET);
	intern_names(u);

	/* Fed a chunk at a time, the parser holds a window, not the document. */
	u->parsing = 1;
	for (off = 0; off < len && !halted(u); off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;

		xmlParseChunk(u->ctxt, data + off, (int)n, 0);
	}
	if (!halted(u))
		xmlParseChunk(u->ctxt, NULL, 0, 1);
	u->parsing = 0;
	if (u->rc)
		goto done;
	if (u->xerr.set) {
		report_xml_error(u);
		goto done;
	}
	if (!u->ctxt->wellFormed) {
		fail_at(u, parser_pos(u), "not well-formed XML");
		goto done;
	}
	if (!u->root_done) {
		fail_at(u, parser_pos(u), "the document ends before its root element is closed");
		goto done;
	}
	/* Every value error has been reported; err holds the first. */
	if (u->nerrors)
		u->rc = BID_EINVALID;
done:
	rc = u->rc;
	if (u->ctxt) {
		/* An entity declaration makes libxml2 build a document "for expat compatibility". */
		if (u->ctxt->myDoc)
			xmlFreeDoc(u->ctxt->myDoc);
		u->ctxt->myDoc = NULL;
		xmlFreeParserCtxt(u->ctxt);
	}
	bid_strbuf__free(&u->text);
	bid_strbuf__free(&u->harena);
	bid_strbuf__free(&u->larena);
	bid_strbuf__free(&u->certs);
	free(u);
	return rc;
}
