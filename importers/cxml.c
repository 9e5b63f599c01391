/*
 * cxml.c - cXML QuoteMessage and PunchOutOrderMessage importer (Ariba
 * cXML 1.2, no XML namespace).  One streaming xmlTextReader pass, never a
 * DOM tree; values live in two reused arenas (header, current item).
 * Depends on libxml2, the C library and the public bidcmp headers only.
 *
 * Positions are line:col (1-based, bytes) of the start tag that holds a
 * value, or of the attribute's name when the value is an attribute.
 *
 * Field map (cXML -> canonical), as implemented:
 *   supplier_id     Header/From/Credential/Identity: the first non-empty
 *                   one in document order.  On a QuoteMessage and a
 *                   PunchOutOrderMessage the sender of From is the
 *                   supplier; its first Credential is the one it puts
 *                   first on every document (NetworkID, DUNS or its own
 *                   domain alike), so the key is stable per supplier.  The
 *                   domain is named in messages.  Fallback:
 *                   QuoteMessageHeader/OrganizationID/Credential/Identity.
 *   supplier_name   QuoteMessageHeader/Contact[@role="supplierCorporate"]/Name,
 *                   else the first Contact's Name.
 *   quote_id, issue_date, currency   QuoteMessageHeader/@quoteID,
 *                   @quoteDate (ISO 8601 with time and zone: the date part),
 *                   @currency; PunchOut: PunchOutOrderMessageHeader/Total/Money/@currency.
 *   rfq_ref         QuoteMessageHeader/QuoteRequestReference/@requestID.
 *   total           .../Total/Money (+ @currency): the lines' extended
 *                   amounts are summed and a mismatch is a warning.
 *   valid_until     header Extrinsic whose @name contains "expir" or "valid"
 *                   (any case), e.g. name="expiry_date".
 *   pay_days, discount_pct, discount_days
 *                   QuoteHeaderInfo/PaymentTerms/PaymentTerm/@payInNumberOfDays
 *                   and its Discount/DiscountPercent/@percent: pay_days is
 *                   the longest term; the first term with a positive
 *                   discount gives discount_pct and discount_days.
 *   @type           reject: warning, header only, no lines delivered.
 *   line            QuoteItemIn (PunchOut: ItemIn): @lineNumber -> line_id,
 *                   @quantity -> qty, @requestedDeliveryDate -> delivery_date
 *                   (an item Extrinsic "promisedDeliveryDate"/"deliveryDate"
 *                   wins), itemType="composite" parents are skipped (their
 *                   children carry the prices) with a warning.
 *   part ids        ItemID/SupplierPartID -> SELLER, ItemID/BuyerPartID -> BUYER,
 *                   ItemDetail/ManufacturerPartID -> MANUFACTURER
 *                   (SupplierPartAuxiliaryID is ignored).
 *   price/currency  ItemDetail/UnitPrice/Money and its @currency (the
 *                   header currency when absent).  Tax is ignored: prices
 *                   are net.
 *   charges         Shipping/Money, a charge (cXML has no allowance
 *                   there): QuoteItemIn's (ItemIn's) is the line's
 *                   charges for its quantity, in the line's currency (else
 *                   a value error); the header's (PunchOutOrderMessageHeader
 *                   has Shipping; Quote.dtd gives QuoteMessageHeader none,
 *                   but one there is read the same way) is the quote's,
 *                   in its @currency (charges_currency, none = the
 *                   header's), charges_pos its Money.  A bad or negative
 *                   amount is a value error (cxml.shipping.*).  Total/
 *                   Modifications (AdditionalCost, AdditionalDeduction)
 *                   are not read: they explain how a Total was reached.
 *   unit            ItemDetail/UnitOfMeasure (UN/CEFACT Rec 20, required).
 *   basis           ItemDetail/PriceBasisQuantity: see basis_of() below.
 *   tiers           UnitPrice/PricingConditions/.../ConditionType/Scales/
 *                   Scale[@from]/CostTermValue/Money; Scales/@scaleType
 *                   "Graduated" -> incremental, else all-units.  Only the
 *                   first Scales with Money values counts; Percentage
 *                   scales are ignored with a warning.  The first tier's
 *                   price becomes the line's price (a UnitPrice matching
 *                   no tier for the quantity is a warning).
 *   manufacturer    ItemDetail/ManufacturerName; lead time ItemDetail/LeadTime (days).
 *   description     ItemDetail/Description text, else its ShortName.
 *   line_amount     QuoteItemIn/Total/Money.
 *   item Extrinsic  @name compared without case, '_', '-' or spaces:
 *                   "defectppm" -> defect_ppm, "countryoforigin" or
 *                   "origincountry" -> origin_country (ISO alpha-2),
 *                   "moq"/"minimumorderquantity" -> min_qty,
 *                   "promiseddeliverydate"/"deliverydate" -> delivery_date,
 *                   "certificates"/"certificate" -> certificates: a
 *                   comma-separated list, each code trimmed of spaces,
 *                   empty ones dropped; every such Extrinsic of the item
 *                   adds to the list in document order; a code with a
 *                   control character is a value error
 *                   (cxml.certificate.code).
 *
 * A DOCTYPE with a SYSTEM id is accepted and its DTD is never loaded; any
 * entity declaration is refused.  Value errors are reported through
 * sink->diag and the parse goes on (the faulty line is not delivered);
 * structural errors stop it.  err always holds the first error.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "importer.h"

__extension__ typedef __int128 i128;

/*
 * Limits against hostile input.  Real cXML nests about 15 deep (price
 * scales) and no value we read is near 64 KiB; an arena holds at most
 * 4 MiB of kept text; libxml2's own limits (no XML_PARSE_HUGE) stay in
 * force beneath these.
 */
#define MAX_DEPTH     256
#define MAX_TEXT      65536
#define MAX_ARENA     (4u << 20)
#define MAX_TIERS     64
#define MAX_XML_WARN  20
#define MAX_LEAD_DAYS 100000

/* The elements we know (no namespace); anything else is E_OTHER. */
enum el {
	E_OTHER = 0,
	E_CXML, E_HEADER, E_FROM, E_CREDENTIAL, E_IDENTITY, E_MESSAGE, E_REQUEST, E_RESPONSE,
	E_QUOTE_MESSAGE, E_QUOTE_HEADER, E_QUOTE_ITEM, E_PUNCHOUT, E_PUNCHOUT_HEADER, E_ITEM_IN,
	E_ORGANIZATION_ID, E_TOTAL, E_MONEY, E_CONTACT, E_NAME, E_QUOTE_REQUEST_REF,
	E_PAYMENT_TERM, E_DISCOUNT_PERCENT, E_EXTRINSIC, E_ITEM_ID, E_SUPPLIER_PART_ID,
	E_BUYER_PART_ID, E_ITEM_DETAIL, E_UNIT_PRICE, E_DESCRIPTION, E_SHORT_NAME,
	E_UNIT_OF_MEASURE, E_PRICE_BASIS_QTY, E_MANUFACTURER_PART_ID, E_MANUFACTURER_NAME,
	E_LEAD_TIME, E_PRICING_CONDITIONS, E_SCALES, E_SCALE, E_COST_TERM_VALUE, E_PERCENTAGE,
	E_SHIPPING,
	E__COUNT
};

static const char *const el_name[E__COUNT] = {
	[E_CXML] = "cXML", [E_HEADER] = "Header", [E_FROM] = "From",
	[E_CREDENTIAL] = "Credential", [E_IDENTITY] = "Identity", [E_MESSAGE] = "Message",
	[E_REQUEST] = "Request", [E_RESPONSE] = "Response", [E_QUOTE_MESSAGE] = "QuoteMessage",
	[E_QUOTE_HEADER] = "QuoteMessageHeader", [E_QUOTE_ITEM] = "QuoteItemIn",
	[E_PUNCHOUT] = "PunchOutOrderMessage", [E_PUNCHOUT_HEADER] = "PunchOutOrderMessageHeader",
	[E_ITEM_IN] = "ItemIn", [E_ORGANIZATION_ID] = "OrganizationID", [E_TOTAL] = "Total",
	[E_MONEY] = "Money", [E_CONTACT] = "Contact", [E_NAME] = "Name",
	[E_QUOTE_REQUEST_REF] = "QuoteRequestReference", [E_PAYMENT_TERM] = "PaymentTerm",
	[E_DISCOUNT_PERCENT] = "DiscountPercent", [E_EXTRINSIC] = "Extrinsic",
	[E_ITEM_ID] = "ItemID", [E_SUPPLIER_PART_ID] = "SupplierPartID",
	[E_BUYER_PART_ID] = "BuyerPartID", [E_ITEM_DETAIL] = "ItemDetail",
	[E_UNIT_PRICE] = "UnitPrice", [E_DESCRIPTION] = "Description",
	[E_SHORT_NAME] = "ShortName", [E_UNIT_OF_MEASURE] = "UnitOfMeasure",
	[E_PRICE_BASIS_QTY] = "PriceBasisQuantity", [E_MANUFACTURER_PART_ID] = "ManufacturerPartID",
	[E_MANUFACTURER_NAME] = "ManufacturerName", [E_LEAD_TIME] = "LeadTime",
	[E_PRICING_CONDITIONS] = "PricingConditions", [E_SCALES] = "Scales", [E_SCALE] = "Scale",
	[E_COST_TERM_VALUE] = "CostTermValue", [E_PERCENTAGE] = "Percentage",
	[E_SHIPPING] = "Shipping",
};

/*
 * Slots: the values we keep, from element text or from an attribute.
 * Header slots live for the document, item slots (from S_ITEM_FIRST) are
 * reset at each item.
 */
enum slot {
	S_NONE = 0,
	H_FROM_ID, H_ORG_ID, H_SUP_NAME, H_FIRST_NAME, H_QUOTE_ID, H_QUOTE_DATE,
	H_CURRENCY, H_TYPE, H_RFQ_REF, H_TOTAL, H_TOTAL_CUR, H_VALID, H_PAY_DAYS, H_DISC_PCT,
	H_SHIP, H_SHIP_CUR,
	S_ITEM_FIRST,
	L_QTY = S_ITEM_FIRST, L_LINE_NO, L_REQ_DATE, L_ITEM_TYPE, L_SUP_PART, L_BUYER_PART,
	L_MANUF_PART, L_MANUF_NAME, L_PRICE, L_PRICE_CUR, L_DESC, L_SHORT_NAME, L_UNIT,
	L_PBQ_QTY, L_PBQ_CF, L_PBQ_UNIT, L_LEAD, L_TOTAL, L_TOTAL_CUR, L_DEFECT, L_ORIGIN,
	L_MOQ, L_DELIV, L_SCALE_FROM, L_SCALE_PRICE, L_SCALE_CUR, L_SHIP, L_SHIP_CUR, L_CERTS,
	S__COUNT
};

enum vtype { T_TEXT = 0, T_DEC, T_DATE, T_DAYS };

static const struct {
	unsigned char type;
	const char   *what;   /* the value's name in messages */
	const char   *rule;   /* rule id of a bad value */
} slot_info[S__COUNT] = {
	[H_FROM_ID]     = { T_TEXT, "supplier identity", "cxml.supplier" },
	[H_ORG_ID]      = { T_TEXT, "organization identity", "cxml.supplier" },
	[H_SUP_NAME]    = { T_TEXT, "supplier name", "cxml.supplier" },
	[H_FIRST_NAME]  = { T_TEXT, "contact name", "cxml.supplier" },
	[H_QUOTE_ID]    = { T_TEXT, "quoteID", "cxml.header" },
	[H_QUOTE_DATE]  = { T_DATE, "quoteDate", "cxml.header.date" },
	[H_CURRENCY]    = { T_TEXT, "currency", "cxml.header" },
	[H_TYPE]        = { T_TEXT, "type", "cxml.header" },
	[H_RFQ_REF]     = { T_TEXT, "requestID", "cxml.header" },
	[H_TOTAL]       = { T_DEC, "total", "cxml.total.decimal" },
	[H_TOTAL_CUR]   = { T_TEXT, "total currency", "cxml.total" },
	[H_VALID]       = { T_DATE, "expiry date", "cxml.header.date" },
	[H_PAY_DAYS]    = { T_DAYS, "payInNumberOfDays", "cxml.payterm.days" },
	[H_DISC_PCT]    = { T_DEC, "discount percent", "cxml.payterm.discount" },
	[H_SHIP]        = { T_DEC, "shipping", "cxml.shipping.decimal" },
	[H_SHIP_CUR]    = { T_TEXT, "shipping currency", "cxml.shipping" },
	[L_QTY]         = { T_DEC, "quantity", "cxml.qty.decimal" },
	[L_LINE_NO]     = { T_TEXT, "lineNumber", "cxml.item" },
	[L_REQ_DATE]    = { T_DATE, "requestedDeliveryDate", "cxml.item.date" },
	[L_ITEM_TYPE]   = { T_TEXT, "itemType", "cxml.item" },
	[L_SUP_PART]    = { T_TEXT, "SupplierPartID", "cxml.part" },
	[L_BUYER_PART]  = { T_TEXT, "BuyerPartID", "cxml.part" },
	[L_MANUF_PART]  = { T_TEXT, "ManufacturerPartID", "cxml.part" },
	[L_MANUF_NAME]  = { T_TEXT, "ManufacturerName", "cxml.item" },
	[L_PRICE]       = { T_DEC, "unit price", "cxml.price.decimal" },
	[L_PRICE_CUR]   = { T_TEXT, "price currency", "cxml.currency" },
	[L_DESC]        = { T_TEXT, "description", "cxml.item" },
	[L_SHORT_NAME]  = { T_TEXT, "short name", "cxml.item" },
	[L_UNIT]        = { T_TEXT, "unit of measure", "cxml.unit" },
	[L_PBQ_QTY]     = { T_DEC, "price basis quantity", "cxml.basis.decimal" },
	[L_PBQ_CF]      = { T_DEC, "conversionFactor", "cxml.basis.decimal" },
	[L_PBQ_UNIT]    = { T_TEXT, "price basis unit", "cxml.basis" },
	[L_LEAD]        = { T_DAYS, "lead time", "cxml.lead" },
	[L_TOTAL]       = { T_DEC, "line total", "cxml.total.decimal" },
	[L_TOTAL_CUR]   = { T_TEXT, "line total currency", "cxml.total" },
	[L_DEFECT]      = { T_DEC, "defect ppm", "cxml.defect.decimal" },
	[L_ORIGIN]      = { T_TEXT, "country of origin", "cxml.origin" },
	[L_MOQ]         = { T_DEC, "minimum order quantity", "cxml.moq.decimal" },
	[L_DELIV]       = { T_DATE, "promised delivery date", "cxml.item.date" },
	[L_SCALE_FROM]  = { T_DEC, "Scale from", "cxml.scale.decimal" },
	[L_SCALE_PRICE] = { T_DEC, "Scale price", "cxml.scale.decimal" },
	[L_SCALE_CUR]   = { T_TEXT, "Scale currency", "cxml.scale.currency" },
	[L_SHIP]        = { T_DEC, "shipping", "cxml.shipping.decimal" },
	[L_SHIP_CUR]    = { T_TEXT, "shipping currency", "cxml.shipping" },
	[L_CERTS]       = { T_TEXT, "certificates", "cxml.certificate" },
};

typedef struct value {
	unsigned char set, seen;    /* parsed fine; present at all */
	bid_pos       pos;
	size_t        off, len;     /* text in the slot's arena */
	union {
		bid_dec  dec;
		bid_date date;
		int32_t  days;
	} v;
} value;

enum msg_kind { M_NONE = 0, M_QUOTE, M_PUNCHOUT };

typedef struct cx {
	xmlTextReaderPtr       r;
	const char            *name;
	const bid_import_sink *sink;
	bid_error             *err;
	int                    rc;          /* structural failure or a stop: ends the loop */
	unsigned long          nerrors;     /* every error reported so far */

	int                    msg;         /* enum msg_kind once seen */
	int                    root_done, header_sent, header_bad, reject;
	unsigned char          stack[MAX_DEPTH];
	int                    opaque;      /* depth of an Extrinsic we do not read, or 0 */

	int                    cap_slot, cap_depth, cap_long;
	bid_strbuf             text;        /* the captured element's text so far */
	int                    sub_depth;   /* a ShortName inside the captured Description */
	bid_strbuf             sub_text;

	value                  val[S__COUNT];
	bid_strbuf             harena, larena;
	bid_xml_scan           scan;
	bid_pos                header_pos, message_pos;

	/* the contact and payment term being read */
	int                    contact_sup;
	int                    term_depth, term_has_days, term_has_pct;
	int32_t                term_days;
	bid_dec                term_pct;
	int32_t                pay_days, discount_days;
	int                    has_pay_days, has_discount;
	bid_dec                discount_pct;

	/* the item being read */
	int                    in_item, item_bad;
	bid_pos                item_pos;
	unsigned long          nitems, nsent;
	char                   label[96];
	bid_tier               tiers[MAX_TIERS];
	size_t                 ntiers;
	int                    tier_type, scales_state; /* 0 none yet, 1 reading, 2 done */
	int                    in_scale, scale_has_price, scale_pct;
	bid_tier               scale;
	bid_strbuf             certs;       /* the item's certificate codes, joined by ',' */

	/* the document total against the lines */
	bid_dec                sum;
	int                    sum_ok;

	int                    xml_warnings;
	bid_xml_error          xerr;        /* libxml2's first error */
} cx;

/* ---- errors ------------------------------------------------------- */

/*
 * Report an error: to sink->diag, and into err if it is the first.  A
 * structural error also ends the parse (rc); a value error lets it go on.
 * A diag callback that returns < 0 stops the parse with its code.
 */
static int report(cx *c, int structural, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int report(cx *c, int structural, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	va_list ap;
	bid_diag d;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->nerrors++ == 0)
		bid_error_set_at(c->err, BID_EINVALID, BID_AREA_IMPORT, c->name, pos.line, pos.col,
		                 "%s", msg);
	if (c->in_item)
		c->item_bad = 1;
	if (structural)
		c->rc = BID_EINVALID;
	if (c->sink->diag) {
		d.severity = BID_SEV_ERROR;
		d.pos = pos;
		d.rule = rule;
		d.msg = msg;
		if ((rc = c->sink->diag(&d, c->sink->payload)) < 0) {
			if (c->err)
				c->err->code = rc;
			c->rc = rc;
		}
	}
	return c->rc ? c->rc : BID_EINVALID;
}

#define value_error(c, ...) report((c), 0, __VA_ARGS__)
#define fatal(c, ...)       report((c), 1, __VA_ARGS__)

static int warn(cx *c, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int warn(cx *c, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((rc = bid_import__warn(c->sink, pos, rule, "%s", msg)) < 0) {
		bid_import__stopped(c->err, rc, c->name, pos);
		if (c->err)
			c->err->code = rc;
		c->rc = rc;
	}
	return rc;
}

/* A callback other than diag stopped the parse. */
static int stopped(cx *c, int rc, bid_pos pos)
{
	bid_import__stopped(c->err, rc, c->name, pos);
	if (c->err)
		c->err->code = rc;
	c->rc = rc;
	return rc;
}

static int nomem(cx *c)
{
	c->rc = bid_error_set(c->err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s",
	                      c->name);
	return c->rc;
}

/*
 * libxml2 reports here.  Its first error ends the parse (it is reported
 * after the reader stops, with libxml2's position); warnings become
 * diagnostics, at most MAX_XML_WARN of them.
 */
static void on_xml_error(void *payload, xmlErrorPtr e)
{
	cx *c = payload;
	char shown[200];

	if (!e || !e->message || c->rc || c->xerr.set)
		return;
	if (e->level == XML_ERR_WARNING) {
		if (++c->xml_warnings <= MAX_XML_WARN)
			warn(c, bid_xml__err_pos(e), "xml.warning", "%s",
			     bid_xml__err_text(shown, sizeof(shown), e));
		return;
	}
	bid_xml__err_keep(&c->xerr, e, 0);
}

static void report_xml_error(cx *c)
{
	bid_pos pos;
	long line = c->xerr.line > 0 ? c->xerr.line : xmlTextReaderGetParserLineNumber(c->r);

	pos.line = line > 0 ? (uint32_t)line : 0;
	pos.col = c->xerr.col > 0 ? (uint32_t)c->xerr.col : 0;
	fatal(c, pos, "xml.syntax", "%s: %s",
	      c->xerr.fatal ? "not well-formed XML" : "XML error", c->xerr.msg);
	if (c->err && c->nerrors == 1)
		c->err->cause = c->xerr.code;
}

/* ---- element names ------------------------------------------------ */

/* Our elements have no namespace; one in any namespace is not cXML's. */
static int classify(cx *c)
{
	const char *local;
	int e;

	if (xmlTextReaderConstNamespaceUri(c->r))
		return E_OTHER;
	if (!(local = (const char *)xmlTextReaderConstLocalName(c->r)))
		return E_OTHER;
	for (e = 1; e < E__COUNT; e++)
		if (local[0] == el_name[e][0] && strcmp(local, el_name[e]) == 0)
			return e;
	return E_OTHER;
}

/* ---- kept values -------------------------------------------------- */

static bid_strbuf *arena_of(cx *c, int slot)
{
	return slot < S_ITEM_FIRST ? &c->harena : &c->larena;
}

/* The slot's text, or NULL when absent or empty. */
static const char *str(cx *c, int slot)
{
	const value *v = &c->val[slot];

	return v->set && v->len ? arena_of(c, slot)->p + v->off : NULL;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static const char *item_label(cx *c);

static const char *item_label_or_empty(cx *c, int slot)
{
	return slot >= S_ITEM_FIRST && c->in_item ? item_label(c) : "";
}

/*
 * Keep trimmed text in the slot and parse it by the slot's type.  A bad
 * value is a value error: reported, and the slot stays unset.
 */
static int set_value(cx *c, int slot, const char *s, size_t n, bid_pos pos)
{
	bid_strbuf *a = arena_of(c, slot);
	value *v = &c->val[slot];
	const char *what = slot_info[slot].what;
	bid_error e;
	const char *t;

	memset(v, 0, sizeof(*v));
	v->pos = pos;
	v->seen = 1;
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (a->len + n + 1 > MAX_ARENA)
		return fatal(c, pos, "cxml.limit", "more than %u bytes of values kept for one %s",
		             MAX_ARENA, slot < S_ITEM_FIRST ? "header" : "item");
	v->len = n;
	if (n == 0) {
		/* Nothing to keep: an empty value takes no arena space. */
		t = "";
	} else {
		v->off = a->len;
		if (bid_strbuf__append(a, s, n) < 0 || bid_strbuf__append(a, "", 1) < 0)
			return nomem(c);
		t = a->p + v->off;
	}
	/* Say which item, as the item-level messages do (only on error). */
#define LABEL item_label_or_empty(c, slot), slot >= S_ITEM_FIRST && c->in_item ? ": " : ""
	switch (slot_info[slot].type) {
	case T_TEXT:
		/* An empty value is as good as none, so fallbacks apply. */
		v->set = n > 0;
		return 0;
	case T_DEC:
		if (bid_import__dec(&v->v.dec, what, t, n, c->name, pos, &e) < 0)
			return value_error(c, pos, slot_info[slot].rule, "%s%s%s", LABEL, e.msg);
		break;
	case T_DATE:
		if (bid_import__date(&v->v.date, what, t, n, 1, c->name, pos, &e) < 0)
			return value_error(c, pos, slot_info[slot].rule, "%s%s%s", LABEL, e.msg);
		break;
	case T_DAYS:
		if (bid_import__dec(&v->v.dec, what, t, n, c->name, pos, &e) < 0)
			return value_error(c, pos, slot_info[slot].rule, "%s%s%s", LABEL, e.msg);
		if (v->v.dec < 0)
			return value_error(c, pos, slot_info[slot].rule, "%s%s%s must not be negative",
			                   LABEL, what);
		if (v->v.dec / BID_DEC_SCALE > MAX_LEAD_DAYS)
			return value_error(c, pos, slot_info[slot].rule, "%s%s%s is out of range "
			                   "(more than %d days)", LABEL, what, MAX_LEAD_DAYS);
		/* Part days round up: ready by the next day. */
		v->v.days = (int32_t)((v->v.dec + BID_DEC_SCALE - 1) / BID_DEC_SCALE);
		break;
	}
	v->set = 1;
	return 0;
#undef LABEL
}

/*
 * Where an attribute's name sits inside the current start tag, from the
 * raw bytes the scanner found the tag at; the tag's position when the
 * scanner has fallen back.
 */
static bid_pos attr_pos(cx *c, bid_pos tag, const char *attr)
{
	const char *p0 = c->scan.tag, *p, *end = c->scan.end, *nl = NULL;
	size_t n = strlen(attr);
	char quote = 0;
	bid_pos pos = tag;

	if (!p0 || tag.col == 0)
		return tag;
	for (p = p0 + 1; p < end; p++) {
		if (*p == '\n') {
			pos.line++;
			nl = p;
		}
		if (quote) {
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '>') {
			break;
		} else if (is_space(p[-1]) && (size_t)(end - p) > n && memcmp(p, attr, n) == 0 &&
		           (p[n] == '=' || is_space(p[n]))) {
			pos.col = nl ? (uint32_t)(p - nl) : tag.col + (uint32_t)(p - p0);
			return pos;
		}
	}
	return tag;
}

/* Keep the current element's attribute `attr` in `slot`; 1 if present. */
static int take_attr(cx *c, int slot, const char *attr, bid_pos tag)
{
	const xmlChar *t;
	int found = 0;

	if (xmlTextReaderMoveToAttribute(c->r, BAD_CAST attr) == 1) {
		if ((t = xmlTextReaderConstValue(c->r))) {
			found = 1;
			set_value(c, slot, (const char *)t, strlen((const char *)t),
			          attr_pos(c, tag, attr));
		}
		xmlTextReaderMoveToElement(c->r);
	}
	return found;
}

/* An attribute's value in buf (trimmed, cut to fit); NULL if absent. */
static const char *peek_attr(cx *c, const char *attr, char *buf, size_t size)
{
	const xmlChar *t;
	const char *s = NULL;
	size_t n;

	if (xmlTextReaderMoveToAttribute(c->r, BAD_CAST attr) == 1) {
		if ((t = xmlTextReaderConstValue(c->r))) {
			s = (const char *)t;
			while (is_space(*s))
				s++;
			n = strlen(s);
			while (n && is_space(s[n - 1]))
				n--;
			if (n >= size)
				n = size - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			s = buf;
		}
		xmlTextReaderMoveToElement(c->r);
	}
	return s;
}

/* A name compared without case, '_', '-' and spaces: "Defect_PPM" = "defectppm". */
static void fold_name(char *out, size_t size, const char *in)
{
	size_t n = 0;

	for (; in && *in && n + 1 < size; in++) {
		unsigned char ch = (unsigned char)*in;

		if (ch == '_' || ch == '-' || ch == ' ')
			continue;
		out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	out[n] = '\0';
}

/* ---- capturing element text --------------------------------------- */

static void capture_begin(cx *c, int slot, int d, bid_pos pos)
{
	c->val[slot].pos = pos;
	c->cap_slot = slot;
	c->cap_depth = d;
	c->cap_long = 0;
	c->text.len = 0;
}

static int capture_end(cx *c)
{
	int slot = c->cap_slot;

	c->cap_slot = S_NONE;
	if (c->cap_long)
		return 0;
	return set_value(c, slot, c->text.p ? c->text.p : "", c->text.len, c->val[slot].pos);
}

/* Only the element's own text: markup inside (Extrinsic is ANY) is not ours. */
static int on_text(cx *c)
{
	const xmlChar *t;
	size_t n;

	int d = xmlTextReaderDepth(c->r);

	if (!c->cap_slot || c->cap_long)
		return 0;
	if (!(t = xmlTextReaderConstValue(c->r)))
		return 0;
	n = strlen((const char *)t);
	if (c->sub_depth && d == c->sub_depth + 1) {
		if (c->sub_text.len + n > MAX_TEXT) {
			c->cap_long = 1;
			return value_error(c, c->val[L_SHORT_NAME].pos, "cxml.limit",
			                   "short name is longer than %d bytes", MAX_TEXT);
		}
		if (bid_strbuf__append(&c->sub_text, (const char *)t, n) < 0)
			return nomem(c);
		return 0;
	}
	if (d != c->cap_depth + 1)
		return 0;
	if (c->text.len + n > MAX_TEXT) {
		c->cap_long = 1;
		return value_error(c, c->val[c->cap_slot].pos, "cxml.limit",
		                   "%s is longer than %d bytes", slot_info[c->cap_slot].what, MAX_TEXT);
	}
	if (bid_strbuf__append(&c->text, (const char *)t, n) < 0)
		return nomem(c);
	return 0;
}

/* ---- the header --------------------------------------------------- */

static bid_date date_or_none(cx *c, int slot)
{
	return c->val[slot].set ? c->val[slot].v.date : BID_DATE_NONE;
}

static int send_header(cx *c)
{
	bid_quote_header h;
	char shown[64];
	int rc;

	if (c->header_sent)
		return 0;
	c->header_sent = 1;
	memset(&h, 0, sizeof(h));
	if ((h.supplier_id = str(c, H_FROM_ID))) {
		h.pos = c->val[H_FROM_ID].pos;
	} else if ((h.supplier_id = str(c, H_ORG_ID))) {
		h.pos = c->val[H_ORG_ID].pos;
	} else {
		c->header_bad = 1;
		return value_error(c, c->header_pos.line ? c->header_pos : c->message_pos,
		                   "cxml.supplier.missing", "no supplier id: expected "
		                   "cXML/Header/From/Credential/Identity (or "
		                   "QuoteMessageHeader/OrganizationID/Credential/Identity)");
	}
	h.supplier_name = str(c, H_SUP_NAME) ? str(c, H_SUP_NAME) : str(c, H_FIRST_NAME);
	h.quote_id = str(c, H_QUOTE_ID);
	h.rfq_ref = str(c, H_RFQ_REF);
	h.currency = str(c, H_CURRENCY) ? str(c, H_CURRENCY) : str(c, H_TOTAL_CUR);
	h.issue_date = date_or_none(c, H_QUOTE_DATE);
	h.valid_from = BID_DATE_NONE;
	h.valid_until = date_or_none(c, H_VALID);
	h.pay_days = c->pay_days;
	h.has_pay_days = c->has_pay_days;
	h.discount_pct = c->discount_pct;
	h.discount_days = c->discount_days;
	h.has_discount = c->has_discount;
	if (c->val[H_TOTAL].set) {
		h.total = c->val[H_TOTAL].v.dec;
		h.has_total = 1;
		h.total_currency = str(c, H_TOTAL_CUR);
		h.total_pos = c->val[H_TOTAL].pos;
	}
	if (c->val[H_SHIP].set) {
		if (c->val[H_SHIP].v.dec < 0) {
			value_error(c, c->val[H_SHIP].pos, "cxml.shipping.range", "Shipping/Money must "
			            "not be negative");
			if (c->rc)
				return c->rc;
		} else {
			h.charges = c->val[H_SHIP].v.dec;
			h.has_charges = 1;
			h.charges_currency = str(c, H_SHIP_CUR);
			h.charges_pos = c->val[H_SHIP].pos;
		}
	}
	if (c->msg == M_QUOTE && c->reject &&
	    warn(c, c->val[H_TYPE].pos, "cxml.quote.reject", "QuoteMessage %s has type=\"reject\": "
	         "the supplier declines to quote, no lines are taken",
	         h.quote_id ? bid_import__shown(shown, sizeof(shown), h.quote_id,
	                                        strlen(h.quote_id)) : "(no quoteID)") < 0)
		return c->rc;
	if (c->sink->quote_header && (rc = c->sink->quote_header(&h, c->sink->payload)) < 0)
		return stopped(c, rc, h.pos);
	return 0;
}

/* QuoteMessageHeader's attributes: all required by Quote.dtd. */
static int quote_header_attrs(cx *c, bid_pos pos)
{
	static const struct { int slot; const char *attr; } attrs[] = {
		{ H_QUOTE_ID, "quoteID" }, { H_QUOTE_DATE, "quoteDate" },
		{ H_CURRENCY, "currency" }, { H_TYPE, "type" },
	};
	static const char *const types[] = { "accept", "reject", "update", "final", "award" };
	const char *type;
	char shown[40];
	size_t i;

	c->header_pos = pos;
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (!take_attr(c, attrs[i].slot, attrs[i].attr, pos) &&
		    warn(c, pos, "cxml.header.attr", "QuoteMessageHeader has no @%s (Quote.dtd "
		         "requires it)", attrs[i].attr) < 0)
			return c->rc;
	}
	if (!(type = str(c, H_TYPE)))
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return warn(c, c->val[H_TYPE].pos, "cxml.header.type", "QuoteMessageHeader type '%s' "
		            "is unknown: expected accept, reject, update, final or award",
		            bid_import__shown(shown, sizeof(shown), type, strlen(type)));
	c->reject = i == 1;
	return 0;
}

static int payment_term_begin(cx *c, int d, bid_pos pos)
{
	c->term_depth = d;
	c->term_has_days = c->term_has_pct = 0;
	if (!take_attr(c, H_PAY_DAYS, "payInNumberOfDays", pos))
		return value_error(c, pos, "cxml.payterm.days",
		                   "PaymentTerm has no @payInNumberOfDays: expected whole days");
	if (c->val[H_PAY_DAYS].set) {
		c->term_days = c->val[H_PAY_DAYS].v.days;
		c->term_has_days = 1;
	}
	return 0;
}

/* Fold one PaymentTerm into the header's terms (see the file comment). */
static int payment_term_end(cx *c)
{
	c->term_depth = 0;
	if (!c->term_has_days)
		return 0;
	if (!c->has_pay_days || c->term_days > c->pay_days)
		c->pay_days = c->term_days;
	c->has_pay_days = 1;
	if (c->term_has_pct && c->term_pct > 0 && !c->has_discount) {
		c->has_discount = 1;
		c->discount_pct = c->term_pct;
		c->discount_days = c->term_days;
	}
	return 0;
}

static int discount_percent(cx *c, bid_pos pos)
{
	const value *v = &c->val[H_DISC_PCT];

	if (!take_attr(c, H_DISC_PCT, "percent", pos))
		return value_error(c, pos, "cxml.payterm.discount",
		                   "DiscountPercent has no @percent");
	if (!v->set)
		return 0;
	if (v->v.dec > 100 * BID_DEC_SCALE)
		return value_error(c, v->pos, "cxml.payterm.discount",
		                   "discount percent is more than 100");
	if (v->v.dec < 0)
		return warn(c, v->pos, "cxml.payterm.penalty",
		            "a negative discount percent (a late-payment penalty) is ignored");
	c->term_pct = v->v.dec;
	c->term_has_pct = 1;
	return 0;
}

/* ---- items -------------------------------------------------------- */

static const char *item_label(cx *c)
{
	const char *id = str(c, L_LINE_NO);
	const char *el = c->msg == M_QUOTE ? "QuoteItemIn" : "ItemIn";
	char shown[44];

	if (id)
		snprintf(c->label, sizeof(c->label), "%s %s", el,
		         bid_import__shown(shown, sizeof(shown), id, strlen(id)));
	else
		snprintf(c->label, sizeof(c->label), "%s #%lu", el, c->nitems);
	return c->label;
}

static int item_begin(cx *c, bid_pos pos)
{
	if (!c->header_sent && send_header(c) < 0 && c->rc)
		return c->rc;
	memset(&c->val[S_ITEM_FIRST], 0, sizeof(value) * (S__COUNT - S_ITEM_FIRST));
	c->larena.len = 0;
	c->in_item = 1;
	c->item_bad = 0;
	c->item_pos = pos;
	c->nitems++;
	c->ntiers = 0;
	c->tier_type = BID_TIER_ALL_UNITS;
	c->scales_state = 0;
	c->in_scale = 0;
	c->certs.len = 0;
	take_attr(c, L_LINE_NO, "lineNumber", pos);
	take_attr(c, L_QTY, "quantity", pos);
	take_attr(c, L_REQ_DATE, "requestedDeliveryDate", pos);
	take_attr(c, L_ITEM_TYPE, "itemType", pos);
	return c->rc;
}

/* n × SCALE ÷ d exactly in decimals, or 0 when it is not exact or does not fit. */
static int exact_div(bid_dec *out, bid_dec n, bid_dec d)
{
	i128 x = (i128)n * BID_DEC_SCALE;

	if (d == 0 || x % d != 0 || x / d > BID_DEC_MAX || x / d < -BID_DEC_MAX)
		return 0;
	*out = (bid_dec)(x / d);
	return 1;
}

static int exact_mul(bid_dec *out, bid_dec a, bid_dec b)
{
	i128 x = (i128)a * b;

	if (x % BID_DEC_SCALE != 0 || x / BID_DEC_SCALE > BID_DEC_MAX ||
	    x / BID_DEC_SCALE < -BID_DEC_MAX)
		return 0;
	*out = (bid_dec)(x / BID_DEC_SCALE);
	return 1;
}

/*
 * PriceBasisQuantity: the price is for @quantity of its UnitOfMeasure,
 * and @conversionFactor is, per Quote.dtd, "the conversion ratio from the
 * unit of measure of the order to the unit of measure of the
 * PriceBasisQuantity": one order unit is conversionFactor basis units.
 * So the price buys quantity ÷ conversionFactor order units, and the
 * price per order unit is price × conversionFactor ÷ quantity.
 *
 * The public AdvancedPricing sample: 104.99 USD, order unit EA, basis
 * 2 BOX, conversionFactor 0.5 (one EA is half a BOX: a BOX holds 2 EA).
 * 104.99 buys 2 ÷ 0.5 = 4 EA: 26.2475 USD per EA.
 *
 * The engine cannot convert a BOX (a package without a pack size), so
 * the basis is expressed in the order unit: basis_qty = quantity ÷
 * conversionFactor, basis_unit = the line's unit.  When that division is
 * not exact in six decimals, price and tiers are scaled instead (price ×
 * conversionFactor per `quantity` order units); if neither is exact the
 * line is refused rather than rounded.  Without a conversionFactor the
 * basis is `quantity` of the PriceBasisQuantity's own unit.
 */
static int basis_of(cx *c, bid_quote_line *l, const char *label)
{
	const value *q = &c->val[L_PBQ_QTY], *cf = &c->val[L_PBQ_CF];
	size_t i;

	if (!q->set)
		return 0;
	if (q->v.dec <= 0)
		return value_error(c, q->pos, "cxml.basis.range",
		                   "%s: price basis quantity must be greater than 0", label);
	l->pos[BID_F_BASIS] = q->pos;
	if (!cf->set) {
		l->basis_qty = q->v.dec;
		l->basis_unit = str(c, L_PBQ_UNIT);
		return 0;
	}
	if (cf->v.dec <= 0)
		return value_error(c, cf->pos, "cxml.basis.range",
		                   "%s: conversionFactor must be greater than 0", label);
	l->basis_unit = NULL;
	if (exact_div(&l->basis_qty, q->v.dec, cf->v.dec))
		return 0;
	l->basis_qty = q->v.dec;
	if (!exact_mul(&l->price, l->price, cf->v.dec))
		goto inexact;
	for (i = 0; i < c->ntiers; i++)
		if (!exact_mul(&c->tiers[i].price, c->tiers[i].price, cf->v.dec))
			goto inexact;
	return 0;
inexact:
	return value_error(c, cf->pos, "cxml.basis.inexact", "%s: the price per unit "
	                   "(price x conversionFactor / quantity) has more than %d decimals",
	                   label, BID_DEC_DIGITS);
}

/* Scale tiers: each Scale@from with one Money under CostTermValue. */
static int scales_begin(cx *c, bid_pos pos)
{
	char buf[16];
	const char *type;

	if (c->scales_state == 2)
		return warn(c, pos, "cxml.scale.ignored", "%s: a further Scales element is ignored "
		            "(the first one with Money values gives the price tiers)", item_label(c));
	c->scales_state = 1;
	c->ntiers = 0;
	type = peek_attr(c, "scaleType", buf, sizeof(buf));
	c->tier_type = type && strcmp(type, "Graduated") == 0 ? BID_TIER_INCREMENTAL
	                                                      : BID_TIER_ALL_UNITS;
	return 0;
}

static int scale_begin(cx *c, bid_pos pos)
{
	if (c->scales_state != 1)
		return 0;
	c->in_scale = 0;
	c->scale_has_price = c->scale_pct = 0;
	memset(&c->scale, 0, sizeof(c->scale));
	c->scale.pos = pos;
	if (!take_attr(c, L_SCALE_FROM, "from", pos))
		return value_error(c, pos, "cxml.scale.from", "%s: Scale has no @from: expected the "
		                   "quantity where its price starts", item_label(c));
	if (!c->val[L_SCALE_FROM].set)
		return 0;            /* reported; the tiers of this item are void anyway */
	c->scale.from_qty = c->val[L_SCALE_FROM].v.dec;
	c->in_scale = 1;
	return 0;
}

static int scale_end(cx *c)
{
	bid_tier *prev = c->ntiers ? &c->tiers[c->ntiers - 1] : NULL;
	const char *cur = str(c, L_SCALE_CUR), *line_cur = str(c, L_PRICE_CUR);
	char shown[16];

	if (!c->in_scale)
		return 0;
	c->in_scale = 0;
	if (c->scale_pct && !c->scale_has_price) {
		/* A percentage scale is a discount condition, not a price. */
		return warn(c, c->scale.pos, "cxml.scale.percentage", "%s: a Scale with a Percentage "
		            "is ignored: only Money scales are price tiers", item_label(c));
	}
	if (!c->scale_has_price)
		return value_error(c, c->scale.pos, "cxml.scale.price", "%s: Scale has no "
		                   "CostTermValue/Money", item_label(c));
	if (!line_cur)
		line_cur = str(c, H_CURRENCY) ? str(c, H_CURRENCY) : str(c, H_TOTAL_CUR);
	if (cur && line_cur && strcmp(cur, line_cur) != 0)
		return value_error(c, c->val[L_SCALE_CUR].pos, "cxml.scale.currency", "%s: Scale "
		                   "price is in %s, the unit price in %s", item_label(c),
		                   bid_import__shown(shown, sizeof(shown), cur, strlen(cur)), line_cur);
	if (c->scale.from_qty < 0)
		return value_error(c, c->scale.pos, "cxml.scale.range",
		                   "%s: Scale @from must not be negative", item_label(c));
	if (c->scale.price <= 0)
		return value_error(c, c->scale.pos, "cxml.scale.range",
		                   "%s: Scale price must be greater than 0", item_label(c));
	if (prev && c->scale.from_qty <= prev->from_qty)
		return value_error(c, c->scale.pos, "cxml.scale.order",
		                   "%s: Scale @from must increase: this one does not start after "
		                   "the previous one", item_label(c));
	if (c->ntiers == MAX_TIERS)
		return value_error(c, c->scale.pos, "cxml.limit",
		                   "%s: more than %d price tiers", item_label(c), MAX_TIERS);
	c->tiers[c->ntiers++] = c->scale;
	return 0;
}

/* Item Extrinsic: the names we know (see the file comment). */
static int item_extrinsic(cx *c, int d, bid_pos pos)
{
	char buf[64], key[64];
	int slot = S_NONE;

	if (!peek_attr(c, "name", buf, sizeof(buf)))
		return 0;
	fold_name(key, sizeof(key), buf);
	if (strcmp(key, "defectppm") == 0)
		slot = L_DEFECT;
	else if (strcmp(key, "countryoforigin") == 0 || strcmp(key, "origincountry") == 0)
		slot = L_ORIGIN;
	else if (strcmp(key, "moq") == 0 || strcmp(key, "minimumorderquantity") == 0)
		slot = L_MOQ;
	else if (strcmp(key, "promiseddeliverydate") == 0 || strcmp(key, "deliverydate") == 0)
		slot = L_DELIV;
	else if (strcmp(key, "certificates") == 0 || strcmp(key, "certificate") == 0)
		slot = L_CERTS;
	if (slot && !c->val[slot].set) {
		capture_begin(c, slot, d, pos);
		return 1;
	}
	return 0;
}

/*
 * The end of a certificates Extrinsic: its comma-separated codes, each
 * trimmed of spaces, join the item's list (empty ones are dropped).  A
 * code with a control character inside is a value error.  Every such
 * Extrinsic of the item is read, in document order.
 */
static int item_certificates(cx *c)
{
	value *v = &c->val[L_CERTS];
	const char *p = str(c, L_CERTS), *end;
	char shown[64];

	if (!p)
		return 0;
	v->set = 0;          /* the next one is read too */
	end = p + v->len;
	while (p < end) {
		const char *e = memchr(p, ',', (size_t)(end - p)), *q;
		size_t n;

		if (!e)
			e = end;
		while (p < e && is_space(*p))
			p++;
		n = (size_t)(e - p);
		while (n && is_space(p[n - 1]))
			n--;
		for (q = p; q < p + n; q++) {
			unsigned char ch = (unsigned char)*q;

			if (ch < 0x20 || ch == 0x7f)
				return value_error(c, v->pos, "cxml.certificate.code", "%s: certificate "
				                   "code '%s' holds a control character", item_label(c),
				                   bid_import__shown(shown, sizeof(shown), p, n));
		}
		if (n && ((c->certs.len && bid_strbuf__append(&c->certs, ",", 1) < 0) ||
		          bid_strbuf__append(&c->certs, p, n) < 0))
			return nomem(c);
		p = e + 1;
	}
	return 0;
}

/* Extended amount of the line at the price the quantity reaches. */
static int line_amount(const bid_quote_line *l, bid_dec *out)
{
	bid_dec price = l->price;
	int64_t num[2], den[1];
	size_t i;

	if (l->ntiers && l->tier_type == BID_TIER_INCREMENTAL)
		return 0;
	for (i = 0; i < l->ntiers; i++)
		if (l->qty >= l->tiers[i].from_qty)
			price = l->tiers[i].price;
	num[0] = l->qty;
	num[1] = price;
	/* Plain integers: qty x price (both in millionths) / basis (millionths). */
	den[0] = l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE;
	if (bid_dec_ratio(out, num, 2, den, 1, NULL) < 0)
		return 0;
	*out = bid_money_round(*out, l->currency);
	return 1;
}

static int item_end(cx *c)
{
	const char *label = item_label(c);
	const char *type = str(c, L_ITEM_TYPE);
	bid_quote_line l;
	bid_dec amount;
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], shown[BID_DEC_FMT_MAX];
	int rc, have_amount;
	size_t i;

	c->in_item = 0;
	if (c->reject)
		return 0;
	memset(&l, 0, sizeof(l));
	c->in_item = 1;      /* errors below still belong to this item */
	l.pos[BID_F_LINE] = c->item_pos;
	l.line_id = str(c, L_LINE_NO);

	if (type && strcmp(type, "composite") == 0) {
		c->in_item = 0;
		return warn(c, c->item_pos, "cxml.item.composite", "%s: a composite parent item is "
		            "skipped: its child items (parentLineNumber) carry the prices", label);
	}
	l.part_ids[BID_PART_SELLER] = str(c, L_SUP_PART);
	l.part_ids[BID_PART_BUYER] = str(c, L_BUYER_PART);
	l.part_ids[BID_PART_MANUFACTURER] = str(c, L_MANUF_PART);
	if (l.part_ids[BID_PART_BUYER])
		l.pos[BID_F_PART] = c->val[L_BUYER_PART].pos;
	else if (l.part_ids[BID_PART_SELLER])
		l.pos[BID_F_PART] = c->val[L_SUP_PART].pos;
	else if (l.part_ids[BID_PART_MANUFACTURER])
		l.pos[BID_F_PART] = c->val[L_MANUF_PART].pos;
	else
		value_error(c, c->item_pos, "cxml.part.missing", "%s: no part number: expected "
		            "ItemID/SupplierPartID, ItemID/BuyerPartID or ItemDetail/ManufacturerPartID",
		            label);
	l.description = str(c, L_DESC) ? str(c, L_DESC) : str(c, L_SHORT_NAME);
	l.manufacturer = str(c, L_MANUF_NAME);
	l.certificates = c->certs.len ? c->certs.p : NULL;

	if (c->val[L_QTY].set) {
		l.qty = c->val[L_QTY].v.dec;
		l.has_qty = 1;
		l.pos[BID_F_QTY] = c->val[L_QTY].pos;
		if (l.qty <= 0)
			value_error(c, c->val[L_QTY].pos, "cxml.qty.range",
			            "%s: quantity must be greater than 0", label);
	} else if (!c->val[L_QTY].seen) {
		value_error(c, c->item_pos, "cxml.qty.missing", "%s: no @quantity", label);
	}
	if ((l.unit = str(c, L_UNIT)))
		l.pos[BID_F_UNIT] = c->val[L_UNIT].pos;
	else
		value_error(c, c->item_pos, "cxml.unit.missing", "%s: no unit: expected "
		            "ItemDetail/UnitOfMeasure (a UN/CEFACT Rec 20 code such as EA)", label);

	if (c->val[L_PRICE].set) {
		l.price = c->val[L_PRICE].v.dec;
		l.pos[BID_F_PRICE] = c->val[L_PRICE].pos;
		if (l.price <= 0)
			value_error(c, c->val[L_PRICE].pos, "cxml.price.range",
			            "%s: unit price must be greater than 0", label);
		if ((l.currency = str(c, L_PRICE_CUR))) {
			l.pos[BID_F_CURRENCY] = c->val[L_PRICE_CUR].pos;
		} else if ((l.currency = str(c, H_CURRENCY))) {
			l.pos[BID_F_CURRENCY] = c->val[H_CURRENCY].pos;
		} else if ((l.currency = str(c, H_TOTAL_CUR))) {
			l.pos[BID_F_CURRENCY] = c->val[H_TOTAL_CUR].pos;
		} else {
			value_error(c, c->val[L_PRICE].pos, "cxml.currency.missing", "%s: no currency: "
			            "Money has no @currency and the header has none", label);
		}
	} else if (!c->val[L_PRICE].seen) {
		value_error(c, c->item_pos, "cxml.price.missing", "%s: no price: expected "
		            "ItemDetail/UnitPrice/Money", label);
	}
	/*
	 * The model's first tier carries the line's price.  Suppliers often
	 * state the UnitPrice at the tier their quantity reaches; that is
	 * consistent.  A UnitPrice that matches no tier is worth a warning.
	 */
	if (c->ntiers && c->val[L_PRICE].set && c->tiers[0].price != l.price) {
		bid_dec reached = c->tiers[0].price;

		for (i = 0; i < c->ntiers; i++)
			if (l.has_qty && l.qty >= c->tiers[i].from_qty)
				reached = c->tiers[i].price;
		if (reached != l.price && !c->item_bad &&
		    warn(c, c->val[L_PRICE].pos, "cxml.scale.base", "%s: UnitPrice %s is not the Scale "
		         "price for quantity %s (%s): the Scale prices are used", label,
		         bid_dec_format(a, sizeof(a), l.price, 2), bid_dec_format(b, sizeof(b), l.qty, 0),
		         bid_dec_format(shown, sizeof(shown), reached, 2)) < 0)
			return c->rc;
		l.price = c->tiers[0].price;
	}
	if (basis_of(c, &l, label) < 0 && c->rc)
		return c->rc;

	if (c->val[L_LEAD].set) {
		l.lead_time_days = c->val[L_LEAD].v.days;
		l.has_lead_time = 1;
		l.pos[BID_F_LEAD_TIME] = c->val[L_LEAD].pos;
	}
	if (c->val[L_DELIV].set) {
		l.delivery_date = c->val[L_DELIV].v.date;
		l.pos[BID_F_DELIVERY] = c->val[L_DELIV].pos;
	} else if (c->val[L_REQ_DATE].set) {
		l.delivery_date = c->val[L_REQ_DATE].v.date;
		l.pos[BID_F_DELIVERY] = c->val[L_REQ_DATE].pos;
	} else {
		l.delivery_date = BID_DATE_NONE;
	}
	if (c->val[L_MOQ].set) {
		l.min_qty = c->val[L_MOQ].v.dec;
		l.has_min_qty = 1;
		l.pos[BID_F_MIN_QTY] = c->val[L_MOQ].pos;
		if (l.min_qty < 0)
			value_error(c, c->val[L_MOQ].pos, "cxml.moq.range",
			            "%s: minimum order quantity must not be negative", label);
	}
	if (c->val[L_DEFECT].set) {
		l.defect_ppm = c->val[L_DEFECT].v.dec;
		l.has_defect_ppm = 1;
		if (l.defect_ppm < 0 || l.defect_ppm > 1000000 * BID_DEC_SCALE)
			value_error(c, c->val[L_DEFECT].pos, "cxml.defect.range",
			            "%s: defect ppm must be between 0 and 1000000", label);
	}
	if ((l.origin_country = str(c, L_ORIGIN))) {
		const char *o = l.origin_country;

		if (strlen(o) != 2 || o[0] < 'A' || o[0] > 'Z' || o[1] < 'A' || o[1] > 'Z')
			value_error(c, c->val[L_ORIGIN].pos, "cxml.origin.code", "%s: country of origin "
			            "'%s' is not an ISO 3166 alpha-2 code like DE", label,
			            bid_import__shown(shown, sizeof(shown), o, strlen(o)));
	}
	if (c->val[L_SHIP].set) {
		const char *sc = str(c, L_SHIP_CUR);

		if (c->val[L_SHIP].v.dec < 0)
			value_error(c, c->val[L_SHIP].pos, "cxml.shipping.range", "%s: Shipping/Money "
			            "must not be negative", label);
		else if (sc && l.currency && strcmp(sc, l.currency) != 0)
			value_error(c, c->val[L_SHIP].pos, "cxml.shipping.currency", "%s: Shipping is "
			            "in %s, but the unit price is in %s", label,
			            bid_import__shown(shown, sizeof(shown), sc, strlen(sc)), l.currency);
		else {
			l.charges = c->val[L_SHIP].v.dec;
			l.has_charges = 1;
		}
	}
	l.tiers = c->ntiers ? c->tiers : NULL;
	l.ntiers = c->ntiers;
	l.tier_type = (bid_tier_type)c->tier_type;
	if (c->val[L_TOTAL].set) {
		const char *tc = str(c, L_TOTAL_CUR);

		if (!tc || !l.currency || strcmp(tc, l.currency) == 0) {
			l.line_amount = c->val[L_TOTAL].v.dec;
			l.has_line_amount = 1;
		} else if (warn(c, c->val[L_TOTAL].pos, "cxml.total.currency", "%s: line Total is in "
		                "%s, the unit price in %s: not compared", label,
		                bid_import__shown(shown, sizeof(shown), tc, strlen(tc)),
		                l.currency) < 0) {
			return c->rc;
		}
	}

	c->in_item = 0;
	if (c->item_bad || c->header_bad)
		return 0;

	/* Totals: a difference is worth a warning, never a refusal. */
	have_amount = line_amount(&l, &amount);
	if (have_amount && l.has_line_amount && amount != l.line_amount &&
	    warn(c, c->val[L_TOTAL].pos, "cxml.total.line", "%s: line total %s does not match "
	         "quantity x price = %s", label, bid_dec_format(a, sizeof(a), l.line_amount, 2),
	         bid_dec_format(b, sizeof(b), amount, 2)) < 0)
		return c->rc;
	if (!have_amount || !str(c, H_TOTAL_CUR) || strcmp(str(c, H_TOTAL_CUR), l.currency) != 0 ||
	    (amount > 0 && c->sum > BID_DEC_MAX - amount))
		c->sum_ok = 0;
	else
		c->sum += amount;

	c->nsent++;
	if (c->sink->quote_line && (rc = c->sink->quote_line(&l, c->sink->payload)) < 0)
		return stopped(c, rc, c->item_pos);
	return 0;
}

/* ---- the reader loop ---------------------------------------------- */

static int message_end(cx *c)
{
	const value *t = &c->val[H_TOTAL];
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];

	if (!c->header_sent && send_header(c) < 0 && c->rc)
		return c->rc;
	if (c->nitems == 0)
		return warn(c, c->message_pos, c->msg == M_QUOTE ? "cxml.quote.no_items"
		                                                 : "cxml.punchout.no_items",
		            c->msg == M_QUOTE ? "no QuoteItemIn: the quote has a header only"
		                              : "no ItemIn: the PunchOutOrderMessage has no lines");
	if (t->set && c->sum_ok && c->nsent == c->nitems && !c->nerrors && c->sum != t->v.dec)
		return warn(c, t->pos, "cxml.total.mismatch", "Total %s does not match the sum of "
		            "the lines, %s", bid_dec_format(a, sizeof(a), t->v.dec, 2),
		            bid_dec_format(b, sizeof(b), c->sum, 2));
	return 0;
}

static int on_end(cx *c, int d)
{
	if (c->cap_slot && d == c->cap_depth) {
		int slot = c->cap_slot;

		if (capture_end(c) < 0 && c->rc)
			return c->rc;
		if (slot == L_SCALE_PRICE && c->in_scale && c->val[slot].set) {
			c->scale.price = c->val[slot].v.dec;
			c->scale_has_price = 1;
		}
		if (slot == L_CERTS)
			return item_certificates(c);
		return 0;
	}
	if (c->sub_depth && d == c->sub_depth) {
		c->sub_depth = 0;
		if (c->cap_long)
			return 0;
		return set_value(c, L_SHORT_NAME, c->sub_text.p ? c->sub_text.p : "",
		                 c->sub_text.len, c->val[L_SHORT_NAME].pos);
	}
	if (c->cap_slot && d > c->cap_depth)
		return 0;
	if (c->opaque) {
		if (d == c->opaque)
			c->opaque = 0;
		return 0;
	}
	if (d == c->term_depth && c->term_depth)
		return payment_term_end(c);
	if (d >= 4 && c->in_item && c->stack[d] == E_SCALE)
		return scale_end(c);
	if (d >= 4 && c->in_item && c->stack[d] == E_SCALES && c->scales_state == 1)
		c->scales_state = c->ntiers ? 2 : 0;
	if (d == 3 && (c->stack[3] == E_QUOTE_HEADER || c->stack[3] == E_PUNCHOUT_HEADER))
		return send_header(c);
	if (d == 3 && c->in_item)
		return item_end(c);
	if (d == 2 && c->msg)
		return message_end(c);
	if (d == 0)
		c->root_done = 1;
	return 0;
}

/* The element at depth d inside the header of a message (s[3]). */
static int header_element(cx *c, int code, int d, bid_pos pos)
{
	const unsigned char *s = c->stack;
	char buf[64], key[64];

	switch (code) {
	case E_IDENTITY:
		if (d == 6 && s[4] == E_ORGANIZATION_ID && s[5] == E_CREDENTIAL && !c->val[H_ORG_ID].set)
			capture_begin(c, H_ORG_ID, d, pos);
		break;
	case E_MONEY:
		if (d == 5 && s[4] == E_TOTAL && !c->val[H_TOTAL].set) {
			take_attr(c, H_TOTAL_CUR, "currency", pos);
			capture_begin(c, H_TOTAL, d, pos);
		} else if (d == 5 && s[4] == E_SHIPPING && !c->val[H_SHIP].seen) {
			take_attr(c, H_SHIP_CUR, "currency", pos);
			capture_begin(c, H_SHIP, d, pos);
		}
		break;
	case E_CONTACT:
		if (d == 4) {
			const char *role = peek_attr(c, "role", buf, sizeof(buf));

			c->contact_sup = role && strcmp(role, "supplierCorporate") == 0;
		}
		break;
	case E_NAME:
		if (d == 5 && s[4] == E_CONTACT) {
			if (c->contact_sup && !c->val[H_SUP_NAME].set)
				capture_begin(c, H_SUP_NAME, d, pos);
			else if (!c->contact_sup && !c->val[H_FIRST_NAME].set)
				capture_begin(c, H_FIRST_NAME, d, pos);
		}
		break;
	case E_QUOTE_REQUEST_REF:
		if (d == 4)
			take_attr(c, H_RFQ_REF, "requestID", pos);
		break;
	case E_PAYMENT_TERM:
		if (!c->term_depth)
			return payment_term_begin(c, d, pos);
		break;
	case E_DISCOUNT_PERCENT:
		if (c->term_depth && d > c->term_depth)
			return discount_percent(c, pos);
		break;
	case E_EXTRINSIC:
		if (d == 4 && peek_attr(c, "name", buf, sizeof(buf))) {
			fold_name(key, sizeof(key), buf);
			if ((strstr(key, "expir") || strstr(key, "valid")) && !c->val[H_VALID].set) {
				capture_begin(c, H_VALID, d, pos);
				return 0;
			}
		}
		c->opaque = d;
		break;
	}
	return 0;
}

/* The element at depth d inside an item (s[3]). */
static int item_element(cx *c, int code, int d, bid_pos pos)
{
	const unsigned char *s = c->stack;
	int slot = S_NONE;

	if (code == E_EXTRINSIC) {
		if ((d == 4 || (d == 5 && s[4] == E_ITEM_DETAIL)) && item_extrinsic(c, d, pos))
			return 0;
		c->opaque = d;
		return 0;
	}
	if (d == 5 && s[4] == E_ITEM_ID) {
		slot = code == E_SUPPLIER_PART_ID ? L_SUP_PART :
		       code == E_BUYER_PART_ID ? L_BUYER_PART : S_NONE;
	} else if (d == 5 && s[4] == E_ITEM_DETAIL) {
		switch (code) {
		case E_DESCRIPTION:          slot = L_DESC; break;
		case E_UNIT_OF_MEASURE:      slot = L_UNIT; break;
		case E_MANUFACTURER_PART_ID: slot = L_MANUF_PART; break;
		case E_MANUFACTURER_NAME:    slot = L_MANUF_NAME; break;
		case E_LEAD_TIME:            slot = L_LEAD; break;
		case E_PRICE_BASIS_QTY:
			if (!c->val[L_PBQ_QTY].seen) {
				if (!take_attr(c, L_PBQ_QTY, "quantity", pos))
					value_error(c, pos, "cxml.basis.missing", "%s: PriceBasisQuantity has "
					            "no @quantity", item_label(c));
				take_attr(c, L_PBQ_CF, "conversionFactor", pos);
			}
			break;
		}
	} else if (d == 6 && s[4] == E_ITEM_DETAIL) {
		if (s[5] == E_UNIT_PRICE && code == E_MONEY && !c->val[L_PRICE].seen) {
			take_attr(c, L_PRICE_CUR, "currency", pos);
			slot = L_PRICE;
		} else if (s[5] == E_PRICE_BASIS_QTY && code == E_UNIT_OF_MEASURE) {
			slot = L_PBQ_UNIT;
		}
	} else if (d == 5 && s[4] == E_TOTAL && code == E_MONEY) {
		if (!c->val[L_TOTAL].seen)
			take_attr(c, L_TOTAL_CUR, "currency", pos);
		slot = L_TOTAL;
	} else if (d == 5 && s[4] == E_SHIPPING && code == E_MONEY) {
		if (c->val[L_SHIP].seen)
			return 0;
		take_attr(c, L_SHIP_CUR, "currency", pos);
		slot = L_SHIP;
	} else if (d > 6 && s[4] == E_ITEM_DETAIL && s[5] == E_UNIT_PRICE &&
	           s[6] == E_PRICING_CONDITIONS) {
		if (code == E_SCALES)
			return scales_begin(c, pos);
		if (code == E_SCALE)
			return scale_begin(c, pos);
		if (c->in_scale && s[d - 1] == E_COST_TERM_VALUE) {
			if (code == E_PERCENTAGE)
				c->scale_pct = 1;
			else if (code == E_MONEY && !c->scale_has_price) {
				c->val[L_SCALE_CUR].set = 0;
				take_attr(c, L_SCALE_CUR, "currency", pos);
				capture_begin(c, L_SCALE_PRICE, d, pos);
			}
		}
	}
	if (slot && !c->val[slot].set)
		capture_begin(c, slot, d, pos);
	return 0;
}

static int on_start(cx *c)
{
	int d = xmlTextReaderDepth(c->r);
	int empty = xmlTextReaderIsEmptyElement(c->r) == 1;
	bid_pos pos = bid_xml__scan_tag(&c->scan, c->r);
	const unsigned char *s = c->stack;
	char shown[60];
	int code;

	if (d < 0 || d >= MAX_DEPTH)
		return fatal(c, pos, "xml.depth", "elements are nested more than %d deep", MAX_DEPTH);
	code = classify(c);
	c->stack[d] = (unsigned char)code;
	if (c->cap_slot == L_DESC && d == c->cap_depth + 1 && code == E_SHORT_NAME &&
	    !c->sub_depth && !c->val[L_SHORT_NAME].seen) {
		/* Description is (#PCDATA | ShortName)*: its ShortName is kept aside. */
		c->sub_depth = d;
		c->sub_text.len = 0;
		c->val[L_SHORT_NAME].pos = pos;
	} else if (c->cap_slot || c->opaque) {
		/* Markup inside a value we read, or inside an Extrinsic: not ours. */
	} else if (d == 0) {
		if (code != E_CXML) {
			const char *local = (const char *)xmlTextReaderConstName(c->r);

			return fatal(c, pos, "cxml.root", "not a cXML document: the root element is '%s', "
			             "expected cXML", bid_import__shown(shown, sizeof(shown), local ? local
			             : "", local ? strlen(local) : 0));
		}
	} else if (d == 1) {
		if (code == E_REQUEST || code == E_RESPONSE)
			c->message_pos = pos;
	} else if (d == 2) {
		if (s[1] == E_MESSAGE && (code == E_QUOTE_MESSAGE || code == E_PUNCHOUT)) {
			c->msg = code == E_QUOTE_MESSAGE ? M_QUOTE : M_PUNCHOUT;
			c->message_pos = pos;
		} else if (s[1] == E_MESSAGE || s[1] == E_REQUEST || s[1] == E_RESPONSE) {
			const char *local = (const char *)xmlTextReaderConstName(c->r);

			return fatal(c, pos, "cxml.message", "cXML %s/%s is not a supplier quote: expected "
			             "Message/QuoteMessage or Message/PunchOutOrderMessage%s",
			             el_name[s[1]], bid_import__shown(shown, sizeof(shown), local ? local
			             : "", local ? strlen(local) : 0),
			             local && strcmp(local, "QuoteRequest") == 0 ?
			             " (a QuoteRequest is the buyer's request for quotation)" : "");
		}
	} else if (s[1] == E_HEADER) {
		if (d == 4 && s[2] == E_FROM && s[3] == E_CREDENTIAL && code == E_IDENTITY &&
		         !c->val[H_FROM_ID].set)
			capture_begin(c, H_FROM_ID, d, pos);
	} else if (d == 3 && c->msg) {
		if (code == E_QUOTE_HEADER && c->msg == M_QUOTE) {
			quote_header_attrs(c, pos);
		} else if (code == E_PUNCHOUT_HEADER && c->msg == M_PUNCHOUT) {
			c->header_pos = pos;
		} else if ((code == E_QUOTE_ITEM && c->msg == M_QUOTE) ||
		           (code == E_ITEM_IN && c->msg == M_PUNCHOUT)) {
			item_begin(c, pos);
		}
	} else if (d >= 4 && c->msg && (s[3] == E_QUOTE_HEADER || s[3] == E_PUNCHOUT_HEADER)) {
		header_element(c, code, d, pos);
	} else if (d >= 4 && c->in_item) {
		item_element(c, code, d, pos);
	}
	if (c->rc)
		return c->rc;
	if (empty)
		return on_end(c, d);
	return 0;
}

int bid_cxml__parse(const char *data, size_t len, const char *name,
                    const bid_import_sink *sink, bid_error *err)
{
	bid_pos pos;
	cx *c;
	int rc, ret;

	if (len > INT_MAX)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 0, 0,
		                        "document too large for the XML reader (more than %d bytes)",
		                        INT_MAX);
	/* The state is big (tiers, depth stack); keep it off the stack. */
	if (!(c = calloc(1, sizeof(*c))))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s", name);
	c->name = name;
	c->sink = sink;
	c->err = err;
	c->sum_ok = 1;
	bid_xml__scan_init(&c->scan, data, len);

	/*
	 * cXML documents carry a DOCTYPE naming an external DTD; that is fine
	 * (it is never read), but entity declarations are refused before
	 * libxml2 sees them: external ones would read files (XXE) and nested
	 * ones expand exponentially.
	 */
	if (bid_xml__entity_decl(data, len, &pos)) {
		fatal(c, pos, "xml.entity", "entity declarations are not allowed "
		      "(no external entities, no entity expansion)");
		goto done;
	}
	if (!(c->r = bid_xml__reader(data, len))) {
		nomem(c);
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(c->r, on_xml_error, c);

	while ((ret = xmlTextReaderRead(c->r)) == 1) {
		if (c->xerr.set || c->rc)
			break;
		switch (xmlTextReaderNodeType(c->r)) {
		case XML_READER_TYPE_ELEMENT:
			on_start(c);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			on_end(c, xmlTextReaderDepth(c->r));
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			on_text(c);
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE: {
			const xmlChar *ename = xmlTextReaderConstName(c->r);
			char shown[64];

			pos.line = (uint32_t)xmlTextReaderGetParserLineNumber(c->r);
			pos.col = 0;
			fatal(c, pos, "xml.entity", "entity reference '&%s;' is not allowed",
			      bid_import__shown(shown, sizeof(shown), ename ? (const char *)ename : "",
			                        ename ? strlen((const char *)ename) : 0));
			break;
		}
		case XML_READER_TYPE_DOCUMENT_TYPE:
			if (bid_xml__dtd_has_entities(c->r)) {
				pos.line = (uint32_t)xmlTextReaderGetParserLineNumber(c->r);
				pos.col = 0;
				fatal(c, pos, "xml.entity", "entity declarations are not allowed "
				      "(no external entities, no entity expansion)");
			}
			break;
		default:
			break;
		}
		if (c->rc)
			break;
	}
	if (c->rc)
		goto done;
	if (c->xerr.set) {
		report_xml_error(c);
		goto done;
	}
	if (ret < 0) {
		pos.line = (uint32_t)xmlTextReaderGetParserLineNumber(c->r);
		pos.col = (uint32_t)xmlTextReaderGetParserColumnNumber(c->r);
		fatal(c, pos, "xml.syntax", "not well-formed XML");
		goto done;
	}
	if (!c->root_done) {
		pos.line = (uint32_t)xmlTextReaderGetParserLineNumber(c->r);
		pos.col = 0;
		fatal(c, pos, "xml.syntax", "the document ends before its root element is closed");
		goto done;
	}
	if (!c->msg) {
		pos.line = pos.col = 1;
		fatal(c, c->message_pos.line ? c->message_pos : pos, "cxml.message",
		      "no Message/QuoteMessage or Message/PunchOutOrderMessage in the cXML document");
	}
done:
	rc = c->rc ? c->rc : c->nerrors ? BID_EINVALID : 0;
	if (rc == BID_EINVALID && err && err->code != BID_EINVALID && err->code != BID_OK)
		rc = err->code;
	if (c->r)
		xmlFreeTextReader(c->r);
	bid_strbuf__free(&c->text);
	bid_strbuf__free(&c->sub_text);
	bid_strbuf__free(&c->harena);
	bid_strbuf__free(&c->larena);
	bid_strbuf__free(&c->certs);
	free(c);
	return rc;
}
