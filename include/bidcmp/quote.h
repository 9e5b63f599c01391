/*
 * bidcmp/quote.h - the canonical model every importer produces: an RFQ
 * (the round's parts) or a supplier quote and its lines.  Plain
 * transparent structs; strings are borrowed from the producer and are
 * valid only for the duration of the callback that hands them over.
 */
#ifndef BIDCMP_QUOTE_H
#define BIDCMP_QUOTE_H

#include <stdint.h>
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A position in the source document: line and column (1-based) for text
 * formats, segment number and element for EDI.  0 means unknown.
 */
typedef struct bid_pos {
	uint32_t line, col;
} bid_pos;

/** Which identifier of an item a part number came from. */
typedef enum bid_part_src {
	BID_PART_SELLER = 0,   /* the supplier's own item number */
	BID_PART_STANDARD,     /* GTIN or another standard id */
	BID_PART_BUYER,        /* the buyer's item number (best) */
	BID_PART_MANUFACTURER, /* manufacturer's part number */
	BID_PART_LINE_ITEM,    /* LineItem/ID or an equivalent line key */
	BID_PART_RFQ_LINE,     /* reference to the RFQ line id */
	BID_PART__COUNT
} bid_part_src;

/** The fields of a quote line whose source position is kept. */
typedef enum bid_field {
	BID_F_LINE = 0,        /* the line element itself */
	BID_F_PART,
	BID_F_QTY,
	BID_F_UNIT,
	BID_F_PRICE,
	BID_F_CURRENCY,
	BID_F_BASIS,
	BID_F_MIN_QTY,
	BID_F_MAX_QTY,
	BID_F_LEAD_TIME,
	BID_F_DELIVERY,
	BID_F__COUNT
} bid_field;

/** How price tiers apply (price breaks). */
typedef enum bid_tier_type {
	BID_TIER_ALL_UNITS = 0,    /* the whole quantity at the tier reached */
	BID_TIER_INCREMENTAL       /* each band at its own price */
} bid_tier_type;

/**
 * One price break: from `from_qty` (in the line's unit) on, the price is
 * `price` per the line's basis quantity, in the line's currency.
 */
typedef struct bid_tier {
	bid_dec from_qty;
	bid_dec price;
	bid_pos pos;
} bid_tier;

/** The header of a supplier quote, handed over before its first line. */
typedef struct bid_quote_header {
	const char *supplier_id;     /* required */
	const char *supplier_name;   /* may be NULL */
	const char *quote_id;        /* may be NULL */
	const char *rfq_ref;         /* RFQ the quote answers, may be NULL */
	const char *currency;        /* document default currency, may be NULL */
	bid_date    issue_date;      /* BID_DATE_NONE if absent */
	bid_date    valid_from;
	bid_date    valid_until;
	bid_pos     pos;             /* position of the supplier id */
	/* payment terms: net days, and an early-payment discount */
	int32_t     pay_days;        int has_pay_days;
	bid_dec     discount_pct;    /* e.g. 2 % = 2000000 */
	int32_t     discount_days;   int has_discount;
	const char *incoterm;        /* EXW, FCA, DAP... or NULL */
	bid_dec     total;           int has_total;   /* stated document total */
	const char *total_currency;
	bid_pos     total_pos;
	/*
	 * Quote-level charges (freight, packing, handling...) less allowances,
	 * for the whole quote, in `charges_currency` (NULL = the header's).
	 * The engine spreads them over the lines by value.
	 */
	bid_dec     charges;         int has_charges;
	const char *charges_currency;
	bid_pos     charges_pos;
} bid_quote_header;

/**
 * One quoted line.  Values absent from the document are 0 / NULL /
 * BID_DATE_NONE with the matching has_* flag clear.
 *
 * Price semantics: `price` buys `basis_qty` of `basis_unit`
 * (basis_unit NULL means the line's `unit`; basis_qty 0 means 1).
 */
typedef struct bid_quote_line {
	const char *line_id;                       /* the document's line id */
	const char *part_ids[BID_PART__COUNT];     /* candidates, NULL if absent */
	const char *description;
	bid_dec     qty;        int has_qty;       /* quantity quoted */
	const char *unit;                          /* Rec 20 code of qty */
	bid_dec     price;                         /* required */
	const char *currency;                      /* required (line or header) */
	bid_dec     basis_qty;                     /* 0 = 1 */
	const char *basis_unit;                    /* NULL = unit */
	bid_dec     min_qty;    int has_min_qty;   /* minimum order quantity */
	bid_dec     max_qty;    int has_max_qty;   /* most the supplier offers */
	int32_t     lead_time_days;  int has_lead_time;
	bid_date    delivery_date;                 /* promised, or BID_DATE_NONE */
	bid_pos     pos[BID_F__COUNT];
	/* price breaks, ascending from_qty; the first tier's price is `price` */
	const bid_tier *tiers;     size_t ntiers;
	bid_tier_type   tier_type;
	const char *manufacturer;                  /* name, or NULL */
	const char *origin_country;                /* ISO 3166 alpha-2, or NULL */
	bid_dec     defect_ppm;    int has_defect_ppm;
	int         tax_included;                  /* price includes tax (EDIFACT AAE/AAF...) */
	bid_dec     line_amount;   int has_line_amount;  /* stated line total */
	int32_t     pay_days;      int has_pay_days;     /* line-level terms override */
	const char *certificates;  /* comma-separated certificate codes held, or NULL */
	/* line-level charges less allowances for the quoted quantity, in `currency` */
	bid_dec     charges;       int has_charges;
} bid_quote_line;

/** The header of an RFQ: what a round is created from. */
typedef struct bid_rfq_header {
	const char *rfq_id;          /* may be NULL */
	const char *title;           /* may be NULL */
	const char *currency;        /* pricing currency, may be NULL */
	bid_date    issue_date;
	bid_date    due_date;        /* submission due date */
	bid_date    need_by;         /* header delivery date, or NONE */
} bid_rfq_header;

/** One requested part. */
typedef struct bid_rfq_line {
	const char *line_id;         /* RFQ line id, may be NULL */
	const char *part;            /* the buyer's part number; required */
	const char *description;     /* may be NULL */
	bid_dec     qty;             /* required, > 0 */
	const char *unit;            /* Rec 20 code; required */
	bid_date    need_by;         /* or BID_DATE_NONE (header date applies) */
	bid_pos     pos;
} bid_rfq_line;

#ifdef __cplusplus
}
#endif
#endif
