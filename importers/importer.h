/*
 * importer.h - what the importers share and the public API hides: the
 * per-format entry points, a growable string buffer, positioned
 * diagnostics, value parsing with messages, and the CSV tokenizer.
 * Private to importers/; depends on the public bidcmp headers only.
 */
#ifndef BID_IMPORTER_H
#define BID_IMPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "bidcmp/import.h"

/*
 * Per-format parsers, called by bid_import_parse after detection.  Same
 * contract as bid_import_parse; `sink` is never NULL here.
 */
int bid_ubl__parse(const char *data, size_t len, const char *name,
                   const bid_import_sink *sink, bid_error *err);
int bid_csv__parse_rfq(const char *data, size_t len, const char *name,
                       const bid_import_sink *sink, bid_error *err);
int bid_csv__parse_quote(const char *data, size_t len, const char *name,
                         const bid_import_sink *sink, bid_error *err);
int bid_cxml__parse(const char *data, size_t len, const char *name,
                    const bid_import_sink *sink, bid_error *err);
int bid_edifact__parse(const char *data, size_t len, const char *name,
                       const bid_import_sink *sink, bid_error *err);
int bid_x12__parse(const char *data, size_t len, const char *name,
                   const bid_import_sink *sink, bid_error *err);

/*
 * A growable byte buffer that is always NUL-terminated once anything has
 * been appended.  Zero-initialise; reuse with `len = 0`; bid_strbuf__free
 * when done.
 */
typedef struct bid_strbuf {
	char  *p;
	size_t len, cap;
} bid_strbuf;

/* Append n bytes (and keep a NUL after them).  0 or BID_ENOMEM. */
int  bid_strbuf__append(bid_strbuf *b, const char *s, size_t n);
void bid_strbuf__free(bid_strbuf *b);

/*
 * Tell sink->progress (if any) that a pass has read up to p, at most once
 * per BID_PROGRESS_STEP bytes: *mark is the offset last told (start at 0).
 */
#define BID_PROGRESS_STEP ((size_t)1 << 20)
void bid_import__progress(const bid_import_sink *sink, const char *base, const char *p,
                         size_t *mark);

/*
 * Send a warning to sink->diag (if any).  Returns the callback's code: 0
 * to go on, negative to stop the parse with that code.
 */
int bid_import__warn(const bid_import_sink *sink, bid_pos pos, const char *rule,
                     const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/*
 * A callback returned rc < 0.  The consumer may already have filled err;
 * if not, say that it stopped the parse, so that no error goes unnamed.
 * Returns rc.
 */
int bid_import__stopped(bid_error *err, int rc, const char *name, bid_pos pos);

/*
 * Document text made fit for a one-line message: control characters
 * become '?', and text longer than the buffer ends in "...".  Returns buf.
 */
const char *bid_import__shown(char *buf, size_t size, const char *text, size_t len);

/*
 * Parse a decimal / a date, or fail with "WHAT 'TEXT' is not a decimal:
 * WHY" at pos.  `text` is trimmed first.  Dates are YYYY-MM-DD; `lenient`
 * allows a trailing time zone as XML dates may carry one.
 */
int bid_import__dec(bid_dec *out, const char *what, const char *text, size_t len,
                    const char *name, bid_pos pos, bid_error *err);
int bid_import__date(bid_date *out, const char *what, const char *text, size_t len,
                     int lenient, const char *name, bid_pos pos, bid_error *err);

/*
 * The CSV tokenizer (RFC 4180): quoted fields with commas, doubled quotes
 * and newlines, LF or CRLF records, a UTF-8 BOM skipped, empty lines
 * skipped.  Unquoted fields are trimmed of spaces and tabs.  Shared by
 * the RFQ reader and, later, CSV bid sheets.
 */
typedef struct bid_csv_field {
	const char *text;       /* NUL-terminated; valid until the next record */
	size_t      len;
	uint32_t    line, col;  /* where the field starts (1-based) */
	int         quoted;
} bid_csv_field;

typedef struct bid_csv {
	const char    *p, *end;     /* what is left to read */
	uint32_t       line, col;   /* position of p */
	const char    *name;        /* for messages */
	bid_strbuf     text;        /* the current record's field texts */
	bid_csv_field *fields;      /* the current record */
	size_t        *offs;        /* field offsets into text while reading */
	size_t         nfields, cap;
	uint32_t       rec_line;    /* line on which the current record starts */
} bid_csv;

/* Limits that keep hostile input from growing memory without bound. */
#define BID_CSV_MAX_FIELD   65536
#define BID_CSV_MAX_FIELDS  1024

/*
 * Start reading data[0..len).  Checks the whole input once for NUL bytes
 * and invalid UTF-8 (an error at the offending position).
 * @return 0, BID_EINVALID
 */
int  bid_csv__open(bid_csv *c, const char *data, size_t len, const char *name,
                   bid_error *err);
/* Read the next record into c->fields.  1 for a record, 0 at the end, or < 0. */
int  bid_csv__next(bid_csv *c, bid_error *err);
void bid_csv__free(bid_csv *c);

/*
 * The XML importers' shared reader (xml.c).  bid_xml__reader opens a
 * libxml2 reader on data[0..len) (len <= INT_MAX) with no network, no DTD
 * loading, no default attributes, no validation and no entity
 * substitution; NULL when out of memory.
 */
struct _xmlTextReader;
struct _xmlTextReader *bid_xml__reader(const char *data, size_t len);

/*
 * 1 when the prolog's DOCTYPE declares an entity (XXE, "billion laughs"),
 * with *pos at its "<!ENTITY"; 0 otherwise.  A byte scan, so UTF-16
 * input passes: the reader loop also calls bid_xml__dtd_has_entities on
 * the DOCTYPE node, which is 1 when that DTD declares entities.
 */
int bid_xml__entity_decl(const char *data, size_t len, bid_pos *pos);
int bid_xml__dtd_has_entities(struct _xmlTextReader *r);

/*
 * libxml2's structured errors (xmlStructuredErrorFunc).  The first error
 * ends the parse; it is kept here and reported once the parser stops.
 */
struct _xmlError;

typedef struct bid_xml_error {
	int  set, fatal, code;  /* one is kept; XML_ERR_FATAL; libxml2's code (cause) */
	long line, col;         /* libxml2's position; <= 0 when it has none */
	char msg[200];          /* one line */
} bid_xml_error;

/* Where libxml2 says e is (line, column), 0 for what it does not know. */
bid_pos     bid_xml__err_pos(const struct _xmlError *e);
/*
 * e->message (not NULL) fit for a one-line message, without the newlines
 * and spaces libxml2 ends it with, as bid_import__shown makes it.
 * Returns buf.
 */
const char *bid_xml__err_text(char *buf, size_t size, const struct _xmlError *e);
/*
 * Keep e in x: its level, code, position and its message on one line.
 * `spaces`: control characters become spaces, trailing ones are dropped
 * and a missing message is "unknown error" (UBL); else the message is
 * bid_xml__err_text's (cXML, which passes no NULL message here).
 */
void        bid_xml__err_keep(bid_xml_error *x, const struct _xmlError *e, int spaces);

/*
 * Where each start tag sits in the raw bytes.  libxml2's reader parses
 * ahead of the node it returns, so its parser position is not the
 * node's.  Start tags appear in the bytes in the order the reader
 * returns elements, so a forward scan for the next start tag (skipping
 * comments, CDATA, PIs, declarations and end tags) finds each one in
 * O(total size).  If the bytes disagree with the reader (an encoding
 * that is not ASCII-compatible) we fall back to libxml2's line (col 0)
 * for the rest of the document.
 */
typedef struct bid_xml_scan {
	const char *cur, *end;
	const char *line_start;
	const char *tag;        /* the last tag's '<' in the bytes, NULL on fallback */
	uint32_t    line;
	int         ok;
} bid_xml_scan;

void    bid_xml__scan_init(bid_xml_scan *s, const char *data, size_t len);
/* The position of the start tag of the element the reader is on. */
bid_pos bid_xml__scan_tag(bid_xml_scan *s, struct _xmlTextReader *r);

#endif
