/*
 * bidcmp/import.h - the importers: pure parsers from bytes to the
 * canonical model (quote.h), with diagnostics that name a position.
 * They know nothing of rounds, the store or the command line.
 */
#ifndef BIDCMP_IMPORT_H
#define BIDCMP_IMPORT_H

#include <stddef.h>
#include "error.h"
#include "quote.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Input formats, detected from content, never from a file name. */
typedef enum bid_format {
	BID_FORMAT_UNKNOWN = 0,
	BID_FORMAT_UBL,
	BID_FORMAT_CXML,
	BID_FORMAT_EDIFACT,
	BID_FORMAT_X12,
	BID_FORMAT_CSV
} bid_format;

/** What a document is. */
typedef enum bid_doc_kind {
	BID_DOC_UNKNOWN = 0,
	BID_DOC_QUOTE,
	BID_DOC_RFQ
} bid_doc_kind;

/** Severity of a diagnostic. */
typedef enum bid_severity {
	BID_SEV_WARNING = 1,
	BID_SEV_ERROR
} bid_severity;

/** One diagnostic; `rule` is a short stable id like "ubl.price.missing". */
typedef struct bid_diag {
	bid_severity severity;
	bid_pos      pos;
	const char  *rule;
	const char  *msg;
} bid_diag;

/**
 * Where an importer delivers what it reads.  Every callback is optional;
 * each returns 0 to go on or a negative code to stop the parse (that
 * code is then returned by the parse function).  Pointers handed to a
 * callback are valid only during the call.
 *
 * Order: for a quote, quote_header once, then quote_line per line; for
 * an RFQ, rfq_header once, then rfq_line per line.  diag may come at any
 * time.  A parse that returns an error may already have delivered lines:
 * the consumer discards them (one document is all or nothing).
 */
typedef struct bid_import_sink {
	int (*quote_header)(const bid_quote_header *h, void *payload);
	int (*quote_line)(const bid_quote_line *l, void *payload);
	int (*rfq_header)(const bid_rfq_header *h, void *payload);
	int (*rfq_line)(const bid_rfq_line *l, void *payload);
	int (*diag)(const bid_diag *d, void *payload);
	void *payload;
	/*
	 * The parse has read the input up to byte offset `upto` in one pass
	 * over it (it may read those bytes again in a later pass).  Called
	 * now and then on long passes, so that a consumer holding the input
	 * mapped from a file can let the pages behind go.  A hint: it cannot
	 * stop the parse.  After payload so that older initializers stay valid.
	 */
	void (*progress)(size_t upto, void *payload);
} bid_import_sink;

/**
 * Guess the format and kind from the first bytes (and, for XML, the root
 * element's namespace URI).  Never looks at a file name.
 */
bid_format bid_import_detect(const char *data, size_t len, bid_doc_kind *kind_out);

/** A lower-case name for a format: "ubl", "cxml", "edifact", "x12", "csv". */
const char *bid_format_name(bid_format fmt);

/**
 * Parse one document held in memory.  The format is detected unless
 * `fmt` is not BID_FORMAT_UNKNOWN.  `name` is used in messages only.
 *
 * No network access, no external entities, no entity expansion; input
 * that needs any of them is an error.
 *
 * On error the position is in err->line/col, err->file is `name`, and
 * err->msg says what was expected.
 *
 * @return 0, BID_EINVALID (bad document), BID_ENOMEM, or a callback's code
 */
int bid_import_parse(const char *data, size_t len, bid_format fmt,
                     const char *name, const bid_import_sink *sink,
                     bid_error *err);

/**
 * One exchange rate: one unit of `currency` buys `rate` units of `base`
 * from `date` on.  Strings are valid during the callback only.
 */
typedef struct bid_rate {
	const char *base;
	const char *currency;
	bid_dec     rate;
	bid_date    date;
	bid_pos     pos;
} bid_rate;

/**
 * Parse a file of exchange rates: the European Central Bank's euro
 * reference rates as XML (the daily and the historical files) or as its
 * CSV (a Date column, then one column per currency, rates per euro), or a
 * CSV with the header date,base,currency,rate (any order).  Calls cb per
 * rate; `source_out` (if not NULL) receives a static name of the source
 * ("ECB" or "CSV").  Every bad value is an error with its position; no
 * network and no entities.
 *
 * @return 0, BID_EINVALID, BID_ENOMEM, or cb's negative code
 */
int bid_import_rates(const char *data, size_t len, const char *name,
                     int (*cb)(const bid_rate *r, void *payload), void *payload,
                     const char **source_out, bid_error *err);

/** Supplier status in the master. */
typedef enum bid_supplier_status {
	BID_SUPPLIER_QUALIFIED = 0,
	BID_SUPPLIER_PROBATION,
	BID_SUPPLIER_BLOCKED
} bid_supplier_status;

/**
 * One row of the supplier master.  Absent values have their has_* flag
 * clear; strings are valid during the callback only.
 */
typedef struct bid_supplier {
	const char         *id;
	const char         *name;       /* or NULL */
	bid_supplier_status status;
	const char         *group;      /* parent company, or NULL */
	bid_dec             capacity;   int has_capacity;   /* across the round, parts' units */
	bid_dec             spend_cap;  int has_spend_cap;  /* round currency */
	bid_dec             defect_ppm; int has_defect_ppm; /* history */
	bid_dec             otd_pct;    int has_otd_pct;    /* on-time delivery, percent */
	bid_pos             pos;
} bid_supplier;

/**
 * Parse a supplier master CSV with the header
 * id,name,status,group,capacity,spend_cap,defect_ppm,otd_pct (any order;
 * only id is required; empty means none; status qualified, probation or
 * blocked, default qualified).  Calls cb per row.  Every bad value is an
 * error with its line and column; an id twice is an error.
 * @return 0, BID_EINVALID, BID_ENOMEM, or cb's negative code
 */
int bid_import_suppliers(const char *data, size_t len, const char *name,
                         int (*cb)(const bid_supplier *s, void *payload), void *payload,
                         bid_error *err);

#ifdef __cplusplus
}
#endif
#endif
