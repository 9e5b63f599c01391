/*
 * csv.c - the CSV tokenizer (RFC 4180) and the RFQ CSV importer: header
 * part,description,quantity,unit,need_by in any order, one part per row.
 * Then the supplier's CSV bid sheet (docs/CSV-BID-SHEET.md) on the same
 * tokenizer.  Depends on the C library and the public bidcmp headers only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

/* ---- the tokenizer ------------------------------------------------ */

/* The most text one record (row) may hold, all its fields together. */
#define CSV_MAX_RECORD (1 << 20)

/*
 * Length of the UTF-8 sequence at s (1..4) if it is valid, else 0.
 * Rejects overlong forms, surrogates and code points above U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

int bid_csv__open(bid_csv *c, const char *data, size_t len, const char *name,
                  bid_error *err)
{
	const unsigned char *s = (const unsigned char *)data;
	uint32_t line = 1, col = 1;
	size_t i = 0;

	memset(c, 0, sizeof(*c));
	c->name = name;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	c->p = data + i;
	c->end = data + len;
	c->line = 1;
	c->col = 1;

	/* One pass up front, so the reader below may trust every byte. */
	while (i < len) {
		size_t k;

		if (s[i] == '\0')
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, line, col,
			                        "NUL byte in a CSV file");
		if (!(k = utf8_len(s + i, len - i)))
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, line, col,
			                        "invalid UTF-8 (byte 0x%02X): save the file as UTF-8",
			                        s[i]);
		if (s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col += (uint32_t)k;
		}
		i += k;
	}
	return 0;
}

void bid_csv__free(bid_csv *c)
{
	bid_strbuf__free(&c->text);
	free(c->fields);
	free(c->offs);
	c->fields = NULL;
	c->offs = NULL;
	c->nfields = c->cap = 0;
}

static int push_field(bid_csv *c, size_t off, uint32_t line, uint32_t col, int quoted,
                      bid_error *err)
{
	if (c->nfields == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		bid_csv_field *f;
		size_t *o;

		if (c->nfields >= BID_CSV_MAX_FIELDS)
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, line, col,
			                        "more than %d fields in one row", BID_CSV_MAX_FIELDS);
		if (!(f = realloc(c->fields, cap * sizeof(*f))))
			return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
		c->fields = f;
		if (!(o = realloc(c->offs, cap * sizeof(*o))))
			return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
		c->offs = o;
		c->cap = cap;
	}
	c->offs[c->nfields] = off;
	c->fields[c->nfields].line = line;
	c->fields[c->nfields].col = col;
	c->fields[c->nfields].quoted = quoted;
	c->nfields++;
	return 0;
}

static int append(bid_csv *c, const char *s, size_t n, uint32_t line, uint32_t col,
                  size_t start, bid_error *err)
{
	if (c->text.len - start + n > BID_CSV_MAX_FIELD)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, line, col,
		                        "field longer than %d bytes", BID_CSV_MAX_FIELD);
	/*
	 * The field cap alone would let one record hold BID_CSV_MAX_FIELDS
	 * fields of BID_CSV_MAX_FIELD bytes (64 MiB): cap the record too.
	 */
	if (c->text.len + n > CSV_MAX_RECORD)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, line, col,
		                        "row longer than %d bytes", CSV_MAX_RECORD);
	if (bid_strbuf__append(&c->text, s, n) < 0)
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
	return 0;
}

/* A quoted field: from the opening quote to the closing one. */
static int read_quoted(bid_csv *c, size_t start, bid_error *err)
{
	uint32_t qline = c->line, qcol = c->col;
	const char *p = c->p + 1;

	c->col++;
	for (;;) {
		const char *run = p;

		while (p < c->end && *p != '"' && *p != '\n')
			p++;
		if (append(c, run, (size_t)(p - run), qline, qcol, start, err) < 0)
			return err ? err->code : BID_EINVALID;
		c->col += (uint32_t)(p - run);
		if (p >= c->end)
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, qline, qcol,
			                        "unterminated quoted field (the quote opened here "
			                        "is never closed)");
		if (*p == '\n') {
			if (append(c, "\n", 1, qline, qcol, start, err) < 0)
				return err ? err->code : BID_EINVALID;
			c->line++;
			c->col = 1;
			p++;
			continue;
		}
		/* A quote: doubled means one quote, single means the end. */
		if (p + 1 < c->end && p[1] == '"') {
			if (append(c, "\"", 1, qline, qcol, start, err) < 0)
				return err ? err->code : BID_EINVALID;
			p += 2;
			c->col += 2;
			continue;
		}
		p++;
		c->col++;
		break;
	}
	c->p = p;
	if (p < c->end && *p != ',' && *p != '\n' && *p != '\r')
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, c->line, c->col,
		                        "unexpected '%c' after a closing quote: expected ',' or "
		                        "the end of the line", *p);
	return 0;
}

/* An unquoted field, trimmed of spaces and tabs. */
static int read_plain(bid_csv *c, size_t start, bid_error *err)
{
	const char *p = c->p, *a, *b;

	while (p < c->end && *p != ',' && *p != '\n' && *p != '\r') {
		if (*p == '"') {
			/* RFC 4180: a quote may only open a field or be doubled in one. */
			uint32_t col = c->col + (uint32_t)(p - c->p);
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, c->line, col,
			                        "quote inside an unquoted field: quote the whole "
			                        "field and double the quote (\"\")");
		}
		p++;
	}
	for (a = c->p; a < p && (*a == ' ' || *a == '\t'); a++)
		;
	for (b = p; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
		;
	if (append(c, a, (size_t)(b - a), c->line, c->col, start, err) < 0)
		return err ? err->code : BID_EINVALID;
	c->col += (uint32_t)(p - c->p);
	c->p = p;
	return 0;
}

int bid_csv__next(bid_csv *c, bid_error *err)
{
	size_t i;
	int rc;

	for (;;) {
		c->text.len = 0;
		c->nfields = 0;

		/* Skip empty lines. */
		while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
			if (*c->p == '\n' || c->p + 1 >= c->end || c->p[1] != '\n') {
				c->line++;
				c->col = 1;
			}
			c->p++;
		}
		if (c->p >= c->end)
			return 0;
		c->rec_line = c->line;

		for (;;) {
			size_t start = c->text.len;
			uint32_t line = c->line, col = c->col;
			const char *q = c->p;
			int quoted;

			/* Blanks before an opening quote do not make the field unquoted. */
			while (q < c->end && (*q == ' ' || *q == '\t'))
				q++;
			quoted = q < c->end && *q == '"';
			if (quoted) {
				c->col += (uint32_t)(q - c->p);
				c->p = q;
				col = c->col;
				rc = read_quoted(c, start, err);
			} else {
				rc = read_plain(c, start, err);
			}
			if (rc < 0)
				return rc;
			if (bid_strbuf__append(&c->text, "", 1) < 0)
				return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
			if ((rc = push_field(c, start, line, col, quoted, err)) < 0)
				return rc;

			if (c->p < c->end && *c->p == ',') {
				c->p++;
				c->col++;
				continue;
			}
			/* End of the record: CRLF, LF, a lone CR, or the end of the data. */
			if (c->p < c->end && *c->p == '\r')
				c->p++;
			if (c->p < c->end && *c->p == '\n')
				c->p++;
			c->line++;
			c->col = 1;
			break;
		}

		/* A line of blanks only is as empty as an empty line. */
		if (c->nfields == 1 && !c->fields[0].quoted && c->text.len == 1)
			continue;
		for (i = 0; i < c->nfields; i++) {
			c->fields[i].text = c->text.p + c->offs[i];
			c->fields[i].len = strlen(c->fields[i].text);
		}
		return 1;
	}
}

/* ---- the RFQ CSV -------------------------------------------------- */

enum { COL_PART, COL_DESCRIPTION, COL_QUANTITY, COL_UNIT, COL_NEED_BY, COL__COUNT };

static const char *const col_names[COL__COUNT] = {
	"part", "description", "quantity", "unit", "need_by"
};

static int same_word(const char *s, const char *word)
{
	for (; *s && *word; s++, word++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != *word)
			return 0;
	}
	return *s == '\0' && *word == '\0';
}

/* Map the header's columns; returns 0 and fills col_of[COL_*] (or -1). */
static int read_header(bid_csv *c, int col_of[COL__COUNT], bid_error *err)
{
	size_t i;
	int k, rc;

	for (k = 0; k < COL__COUNT; k++)
		col_of[k] = -1;
	if ((rc = bid_csv__next(c, err)) < 0)
		return rc;
	if (rc == 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, 1, 1,
		                        "empty file: expected a header "
		                        "part,description,quantity,unit,need_by");
	for (i = 0; i < c->nfields; i++) {
		const bid_csv_field *f = &c->fields[i];

		for (k = 0; k < COL__COUNT && !same_word(f->text, col_names[k]); k++)
			;
		if (k == COL__COUNT) {
			char shown[64];
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, f->line,
			                        f->col, "unknown column '%s' (column %zu): expected "
			                        "part, description, quantity, unit, need_by",
			                        bid_import__shown(shown, sizeof(shown), f->text, f->len),
			                        i + 1);
		}
		if (col_of[k] >= 0)
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name, f->line,
			                        f->col, "column '%s' appears twice (columns %d and %zu)",
			                        col_names[k], col_of[k] + 1, i + 1);
		col_of[k] = (int)i;
	}
	for (k = 0; k < COL__COUNT; k++) {
		if (col_of[k] < 0 && k != COL_DESCRIPTION && k != COL_NEED_BY)
			return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, c->name,
			                        c->rec_line, 1, "missing column '%s': the header must "
			                        "name part, quantity and unit (description and need_by "
			                        "are optional)", col_names[k]);
	}
	return 0;
}

static const bid_csv_field *field(const bid_csv *c, const int col_of[COL__COUNT], int k)
{
	return col_of[k] >= 0 ? &c->fields[col_of[k]] : NULL;
}

static bid_pos field_pos(const bid_csv_field *f)
{
	bid_pos pos = { f->line, f->col };
	return pos;
}

int bid_csv__parse_rfq(const char *data, size_t len, const char *name,
                       const bid_import_sink *sink, bid_error *err)
{
	bid_csv c;
	bid_rfq_header h;
	int col_of[COL__COUNT], rc;
	size_t ncols, rows = 0;

	if ((rc = bid_csv__open(&c, data, len, name, err)) < 0)
		return rc;
	if ((rc = read_header(&c, col_of, err)) < 0)
		goto done;
	ncols = c.nfields;

	/* The CSV carries no header data: everything is absent. */
	memset(&h, 0, sizeof(h));
	h.issue_date = h.due_date = h.need_by = BID_DATE_NONE;
	if (sink->rfq_header && (rc = sink->rfq_header(&h, sink->payload)) < 0) {
		bid_pos pos = { 1, 1 };
		rc = bid_import__stopped(err, rc, name, pos);
		goto done;
	}

	while ((rc = bid_csv__next(&c, err)) == 1) {
		const bid_csv_field *f;
		bid_rfq_line l;
		bid_pos pos = { c.rec_line, 1 };

		rows++;
		if (c.nfields != ncols) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, c.rec_line, 1,
			                      "row has %zu field%s but the header has %zu", c.nfields,
			                      c.nfields == 1 ? "" : "s", ncols);
			goto done;
		}
		memset(&l, 0, sizeof(l));
		l.pos = pos;
		l.need_by = BID_DATE_NONE;

		f = field(&c, col_of, COL_PART);
		if (f->len == 0) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line, f->col,
			                      "part is empty: every row needs a part number");
			goto done;
		}
		l.part = f->text;

		f = field(&c, col_of, COL_QUANTITY);
		if ((rc = bid_import__dec(&l.qty, "quantity", f->text, f->len, name,
		                          field_pos(f), err)) < 0)
			goto done;
		if (l.qty <= 0) {
			char shown[48];
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line, f->col,
			                      "quantity '%s' must be greater than 0",
			                      bid_import__shown(shown, sizeof(shown), f->text, f->len));
			goto done;
		}

		f = field(&c, col_of, COL_UNIT);
		if (f->len == 0) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line, f->col,
			                      "unit is empty: expected a UN/ECE Rec 20 code such as "
			                      "EA, C62 or KGM");
			goto done;
		}
		l.unit = f->text;

		if ((f = field(&c, col_of, COL_DESCRIPTION)) && f->len)
			l.description = f->text;
		if ((f = field(&c, col_of, COL_NEED_BY)) && f->len &&
		    (rc = bid_import__date(&l.need_by, "need_by", f->text, f->len, 0, name,
		                           field_pos(f), err)) < 0)
			goto done;

		if (sink->rfq_line && (rc = sink->rfq_line(&l, sink->payload)) < 0) {
			rc = bid_import__stopped(err, rc, name, pos);
			goto done;
		}
	}
	if (rc == 0 && rows == 0) {
		bid_pos pos = { 1, 1 };
		rc = bid_import__warn(sink, pos, "csv.rfq.empty", "the RFQ has a header but no rows");
		if (rc < 0)
			rc = bid_import__stopped(err, rc, name, pos);
	}
done:
	bid_csv__free(&c);
	return rc;
}

/* ---- the CSV bid sheet -------------------------------------------- */

/*
 * A supplier's bid sheet (docs/CSV-BID-SHEET.md): one row per part and
 * price tier; the rows of a part, consecutive or not, become ONE quote
 * line with its tiers sorted by tier_from.  Positions are the CSV line of
 * the row and the column (in bytes, 1-based) where the cell starts; a
 * merged line is placed at its lowest tier's row.
 *
 * Because a part's rows may be anywhere in the file, the whole sheet is
 * read before anything is delivered.  What is kept is bounded: at most
 * QS_MAX_ROWS rows with content, QS_MAX_TIERS tiers per part, texts of at
 * most QS_MAX_TEXT bytes and QS_MAX_ARENA bytes of kept text in all (the
 * tokenizer caps a field at 64 KiB and a row at 1 MiB).  Past a cap, or
 * after QS_MAX_ERRORS errors, the parse stops with an error.
 */
#define QS_MAX_ROWS   100000
#define QS_MAX_TIERS  100
#define QS_MAX_TEXT   200
#define QS_MAX_ARENA  ((8 << 20) - 1)
#define QS_MAX_ERRORS 1000
#define QS_MAX_DAYS   100000
#define QS_MAX_PPM    (1000000 * BID_DEC_SCALE)

/*
 * The columns.  The part and what a part's rows must agree on come first,
 * so that a part keeps only those Q__PART values.
 */
enum {
	Q_PART, Q_QUANTITY, Q_UNIT, Q_CURRENCY, Q_PRICE_PER, Q_TIER_TYPE, Q_MOQ, Q_MAX_QTY,
	Q_LEAD_TIME, Q_PAY_DAYS, Q_MANUFACTURER, Q_DEFECT_PPM, Q_CERTIFICATES, Q__PART,
	Q_SUPPLIER = Q__PART, Q_SUPPLIER_NAME, Q_PRICE, Q_TIER_FROM, Q_VALID_UNTIL, Q__COUNT
};

/* How a column is read ... */
enum { V_TEXT, V_CODE, V_DEC, V_DAYS, V_DATE, V_TIER_TYPE, V_CERTS };
/* ... and where its values must agree: the whole sheet, a part, or nowhere. */
enum { W_SHEET, W_PART, W_ROW };
/* Range of a number. */
enum { R_ANY, R_POSITIVE, R_NONNEG };

static const struct qcol {
	const char   *name;
	unsigned char kind, where, required, range;
	const char   *hint;      /* what a required value looks like */
} qcols[Q__COUNT] = {
	{ "part",           V_TEXT,      W_ROW,   1, R_ANY,      "every row needs the buyer's "
	                                                         "part number" },
	{ "quantity",       V_DEC,       W_PART,  0, R_POSITIVE, NULL },
	{ "unit",           V_CODE,      W_PART,  1, R_ANY,      "expected a UN/ECE Rec 20 code "
	                                                         "such as C62, EA or KGM" },
	{ "currency",       V_CODE,      W_PART,  1, R_ANY,      "expected an ISO 4217 code such "
	                                                         "as EUR or USD" },
	{ "price_per",      V_DEC,       W_PART,  0, R_POSITIVE, NULL },
	{ "tier_type",      V_TIER_TYPE, W_PART,  0, R_ANY,      NULL },
	{ "moq",            V_DEC,       W_PART,  0, R_POSITIVE, NULL },
	{ "max_qty",        V_DEC,       W_PART,  0, R_POSITIVE, NULL },
	{ "lead_time_days", V_DAYS,      W_PART,  0, R_NONNEG,   NULL },
	{ "payment_days",   V_DAYS,      W_PART,  0, R_NONNEG,   NULL },
	{ "manufacturer",   V_TEXT,      W_PART,  0, R_ANY,      NULL },
	{ "defect_ppm",     V_DEC,       W_PART,  0, R_NONNEG,   NULL },
	{ "certificates",   V_CERTS,     W_PART,  0, R_ANY,      NULL },
	{ "supplier",       V_TEXT,      W_SHEET, 1, R_ANY,      "every row names the supplier" },
	{ "supplier_name",  V_TEXT,      W_SHEET, 0, R_ANY,      NULL },
	{ "price",          V_DEC,       W_ROW,   1, R_POSITIVE, "expected the price, like 2.50" },
	{ "tier_from",      V_DEC,       W_ROW,   0, R_NONNEG,   NULL },
	{ "valid_until",    V_DATE,      W_SHEET, 0, R_ANY,      NULL },
};

#define QS_COLUMNS "supplier, supplier_name, part, quantity, unit, currency, price, " \
                   "price_per, tier_from, tier_type, moq, max_qty, lead_time_days, "  \
                   "payment_days, valid_until, manufacturer, defect_ppm, certificates"

static const char *const tier_type_names[] = { "all-units", "incremental" };

/*
 * One value and where it was stated; line 0 means not stated.  Numbers,
 * days, dates and the tier type are in v; a kept text is in the arena at
 * offset (v & 0xffffffff) with length (v >> 32).
 */
typedef struct qval {
	bid_dec  v;
	uint32_t line, col;
} qval;

/* One data row, read and checked, before it is merged into its part. */
typedef struct qrow {
	qval        val[Q__COUNT];
	bid_pos     cell[Q__COUNT];   /* every present cell, empty or not */
	const char *text[Q__COUNT];   /* text and code values (codes in upper case) */
	size_t      len[Q__COUNT];
	char        code[2][8];       /* unit, currency upper-cased */
	char        certs[QS_MAX_TEXT + 1];   /* the certificate list, tidied */
	char        empty[Q__COUNT];  /* the cell is present and empty */
	int         bad;
} qrow;

/*
 * A price tier as read, chained per part in file order.  The columns of
 * its tier_from, price and part cells are packed 21 bits each (a row is at
 * most 1 MiB, so a column fits): 32 bytes a tier.
 */
typedef struct qtier {
	bid_dec  from, price;
	uint32_t line;
	uint32_t next;                /* index + 1 of the part's next tier, 0 ends */
	uint64_t cols;                /* QT_FROM, QT_PRICE, QT_PART columns */
} qtier;

enum { QT_FROM = 0, QT_PRICE = 1, QT_PART = 2, QT_BITS = 21 };

static void qt_set_col(qtier *t, int which, uint32_t col)
{
	uint64_t max = ((uint64_t)1 << QT_BITS) - 1, v = col < max ? col : max;

	t->cols &= ~(max << (which * QT_BITS));
	t->cols |= v << (which * QT_BITS);
}

static uint32_t qt_col(const qtier *t, int which)
{
	return (uint32_t)((t->cols >> (which * QT_BITS)) & (((uint64_t)1 << QT_BITS) - 1));
}

/*
 * One part: the values its rows agree on, and its tiers.  Only the
 * columns the header names get a slot (qsheet.slot_of), so a part of a
 * sheet with few columns is small: 100,000 parts are kept at once.
 */
typedef struct qpart {
	uint32_t hash;                /* of the part number (its low 32 bits) */
	uint32_t head, tail;          /* its tiers: index + 1 into qsheet.tiers, 0 none */
	int      bad;                 /* an error on one of its rows: not delivered */
	qval     val[];               /* [nslots]: Q_PART first, then the W_PART columns named */
} qpart;

typedef struct qsheet {
	const char            *name;
	const bid_import_sink *sink;
	bid_error             *err;
	int                    nerrors, capped;
	int                    col_of[Q__COUNT];
	unsigned char          col_k[Q__COUNT];    /* column i of the file is col_k[i] */
	size_t                 ncols;
	size_t                 nrows;
	qval                   sheet[Q__COUNT];    /* the W_SHEET columns */
	int                    differs[Q__COUNT];  /* a sheet-wide difference reported */
	bid_strbuf             arena;              /* kept texts, NUL-terminated */
	unsigned char         *parts;              /* nparts records of `stride` bytes */
	size_t                 nparts, pcap, stride;
	int                    slot_of[Q__PART];   /* a column's slot in qpart.val, or -1 */
	uint32_t              *tab;                /* part index + 1, open addressing */
	size_t                 tabsize;
	qtier                 *tiers;
	size_t                 ntiers, tcap;
	const qtier           *sorted[QS_MAX_TIERS];
	bid_tier               out[QS_MAX_TIERS];
} qsheet;

/* Part i of the sheet. */
static qpart *qs_nth(const qsheet *q, size_t i)
{
	return (qpart *)(q->parts + i * q->stride);
}

/* ---- errors ---- */

static int qs_report(qsheet *q, bid_pos pos, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/*
 * Report an error: the first one also fills err; every one goes to the
 * sink's diag.  Returns 0 to go on, or < 0 to stop: the consumer said so,
 * or there have been too many errors to be of use.
 */
static int qs_report(qsheet *q, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (q->nerrors++ == 0)
		bid_error_set_at(q->err, BID_EINVALID, BID_AREA_IMPORT, q->name, pos.line, pos.col,
		                 "%s", msg);
	if (q->sink->diag) {
		bid_diag d;

		d.severity = BID_SEV_ERROR;
		d.pos = pos;
		d.rule = rule;
		d.msg = msg;
		if ((rc = q->sink->diag(&d, q->sink->payload)) < 0)
			return bid_import__stopped(q->err, rc, q->name, pos);
	}
	if (q->nerrors == QS_MAX_ERRORS && !q->capped) {
		q->capped = 1;
		rc = qs_report(q, pos, "csv.quote.errors", "%d errors: stopping here; fix these "
		               "first", QS_MAX_ERRORS);
		return rc < 0 ? rc : BID_EINVALID;
	}
	return 0;
}

static int qs_nomem(qsheet *q)
{
	return bid_error_set(q->err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s",
	                     q->name);
}

static bid_pos qs_pos(uint32_t line, uint32_t col)
{
	bid_pos p;

	p.line = line;
	p.col = col;
	return p;
}

static const char *qs_text(const qsheet *q, bid_dec v)
{
	return q->arena.p + (size_t)(v & 0xffffffff);
}

static size_t qs_tlen(bid_dec v)
{
	return (size_t)((uint64_t)v >> 32);
}

/* Is column k kept as text (in the arena once merged)? */
static int qs_is_text(int k)
{
	return qcols[k].kind == V_TEXT || qcols[k].kind == V_CODE || qcols[k].kind == V_CERTS;
}

/* A value as a message shows it. */
static const char *qs_show(const qsheet *q, int k, bid_dec v, const char *text, size_t len,
                           char *buf, size_t size)
{
	switch (qcols[k].kind) {
	case V_TEXT:
	case V_CODE:
	case V_CERTS:
		if (!text) {
			text = qs_text(q, v);
			len = qs_tlen(v);
		}
		return bid_import__shown(buf, size, text, len);
	case V_DAYS:
		snprintf(buf, size, "%lld", (long long)(v / BID_DEC_SCALE));
		return buf;
	case V_DATE:
		return bid_date_format(buf, size, (bid_date)v);
	case V_TIER_TYPE:
		snprintf(buf, size, "%s", tier_type_names[v == BID_TIER_INCREMENTAL]);
		return buf;
	default:
		return bid_dec_format(buf, size, v, 0);
	}
}

/* ---- the header row ---- */

static int qs_same_name(const char *s, size_t n, const char *word)
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

static void qs_trim(const char **text, size_t *len)
{
	const char *s = *text;
	size_t n = *len;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*text = s;
	*len = n;
}

/* Map the header's names to columns.  Every problem is reported; any stops. */
static int qs_header(qsheet *q, bid_csv *c)
{
	size_t i;
	int k, rc, bad = 0;

	for (k = 0; k < Q__COUNT; k++)
		q->col_of[k] = -1;
	q->ncols = c->nfields;

	/* A spreadsheet saved with ';' or tabs between columns: say so. */
	if (c->nfields == 1 && (strchr(c->fields[0].text, ';') || strchr(c->fields[0].text, '\t'))) {
		rc = qs_report(q, qs_pos(c->fields[0].line, c->fields[0].col), "csv.quote.header",
		               "the header is one column with %s in it: separate the columns with "
		               "',' (save as \"CSV UTF-8 (comma delimited)\")",
		               strchr(c->fields[0].text, ';') ? "';'" : "tabs");
		return rc < 0 ? rc : BID_EINVALID;
	}

	for (i = 0; i < c->nfields; i++) {
		const bid_csv_field *f = &c->fields[i];
		const char *t = f->text;
		size_t n = f->len;
		bid_pos pos = qs_pos(f->line, f->col);
		char shown[40];

		qs_trim(&t, &n);
		for (k = 0; k < Q__COUNT && !qs_same_name(t, n, qcols[k].name); k++)
			;
		if (k == Q__COUNT) {
			bad = 1;
			if (n == 0)
				rc = qs_report(q, pos, "csv.quote.header", "column %zu has no name in the "
				               "header: name it or delete the column", i + 1);
			else
				rc = qs_report(q, pos, "csv.quote.header", "unknown column '%s' (column "
				               "%zu); the columns are " QS_COLUMNS,
				               bid_import__shown(shown, sizeof(shown), t, n), i + 1);
		} else if (q->col_of[k] >= 0) {
			bad = 1;
			rc = qs_report(q, pos, "csv.quote.header", "column '%s' appears twice "
			               "(columns %d and %zu)", qcols[k].name, q->col_of[k] + 1, i + 1);
		} else {
			q->col_of[k] = (int)i;
			/* More columns than names means an error above: no row is read. */
			if (i < Q__COUNT)
				q->col_k[i] = (unsigned char)k;
			rc = 0;
		}
		if (rc < 0)
			return rc;
	}
	for (k = 0; k < Q__COUNT; k++) {
		if (qcols[k].required && q->col_of[k] < 0) {
			bad = 1;
			if ((rc = qs_report(q, qs_pos(c->rec_line, 1), "csv.quote.header",
			                    "missing column '%s': a bid sheet needs supplier, part, "
			                    "unit, currency and price", qcols[k].name)) < 0)
				return rc;
		}
	}
	/* a part keeps a slot for the part number and each W_PART column named */
	q->stride = sizeof(qpart);
	for (k = 0; k < Q__PART; k++) {
		q->slot_of[k] = -1;
		if (k == Q_PART || (qcols[k].where == W_PART && q->col_of[k] >= 0)) {
			q->slot_of[k] = (int)((q->stride - sizeof(qpart)) / sizeof(qval));
			q->stride += sizeof(qval);
		}
	}
	return bad ? BID_EINVALID : 0;
}

/* ---- one row's cells ---- */

/* The advice for a number written with grouping or a decimal comma. */
static int qs_number_style(qsheet *q, int k, const char *t, size_t n, bid_pos pos)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i, commas = 0, dots = 0, groups = 0, after = 0;
	char shown[40], fixed[40];

	for (i = 0; i < n; i++) {
		if (u[i] == ',')
			commas++, after = 0;
		else if (u[i] == '.')
			dots++;
		else if (u[i] >= '0' && u[i] <= '9')
			after++;
		else if (u[i] == ' ' || u[i] == '\'' || u[i] == '_')
			groups++;
		/* U+00A0 no-break space, U+2009 thin space, U+202F narrow no-break space */
		else if ((u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) ||
		         (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 &&
		          (u[i + 2] == 0x89 || u[i + 2] == 0xAF)))
			groups++;
	}
	bid_import__shown(shown, sizeof(shown), t, n);
	/* One comma, no point, not three digits after it: a decimal comma. */
	if (commas == 1 && dots == 0 && groups == 0 && after != 3) {
		char *comma;

		snprintf(fixed, sizeof(fixed), "%s", shown);
		if ((comma = strchr(fixed, ',')))
			*comma = '.';
		return qs_report(q, pos, "csv.quote.decimal", "%s '%s' has a decimal comma: write "
		                 "'%s' ('.' is the decimal point)", qcols[k].name, shown, fixed);
	}
	if (commas || groups || dots > 1)
		return qs_report(q, pos, "csv.quote.decimal", "%s '%s' has a thousands separator "
		                 "or a decimal comma: write plain digits with '.' as the decimal "
		                 "point, like 1234.50", qcols[k].name, shown);
	return 1;
}

static int qs_number(qsheet *q, qrow *r, int k, const char *t, size_t n, bid_pos pos)
{
	bid_error why;
	char shown[40];
	bid_dec v;
	int rc;

	if ((rc = qs_number_style(q, k, t, n, pos)) <= 0) {
		r->bad = 1;
		return rc;
	}
	bid_error_clear(&why);
	if (bid_import__dec(&v, qcols[k].name, t, n, q->name, pos, &why) < 0) {
		r->bad = 1;
		return qs_report(q, pos, "csv.quote.decimal", "%s", why.msg);
	}
	bid_import__shown(shown, sizeof(shown), t, n);
	if (qcols[k].range == R_POSITIVE && v <= 0) {
		r->bad = 1;
		return qs_report(q, pos, "csv.quote.range", "%s '%s' must be greater than 0",
		                 qcols[k].name, shown);
	}
	if (qcols[k].range == R_NONNEG && v < 0) {
		r->bad = 1;
		return qs_report(q, pos, "csv.quote.range", "%s '%s' must not be negative",
		                 qcols[k].name, shown);
	}
	if (qcols[k].kind == V_DAYS) {
		if (v % BID_DEC_SCALE) {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.days", "%s '%s' is not a whole number of "
			                 "days: expected an integer like 30", qcols[k].name, shown);
		}
		if (v / BID_DEC_SCALE > QS_MAX_DAYS) {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.range", "%s '%s' is more than %d days",
			                 qcols[k].name, shown, QS_MAX_DAYS);
		}
	}
	if (k == Q_DEFECT_PPM && v > QS_MAX_PPM) {
		r->bad = 1;
		return qs_report(q, pos, "csv.quote.range", "defect_ppm '%s' is more than 1000000 "
		                 "(parts per million)", shown);
	}
	r->val[k].v = v;
	r->val[k].line = pos.line;
	r->val[k].col = pos.col;
	return 0;
}

static int qs_text_cell(qsheet *q, qrow *r, int k, const char *t, size_t n, bid_pos pos)
{
	char shown[40];
	size_t i;

	if (n > QS_MAX_TEXT) {
		r->bad = 1;
		return qs_report(q, pos, "csv.quote.text", "%s is %zu bytes long: at most %d are "
		                 "allowed", qcols[k].name, n, QS_MAX_TEXT);
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f) {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.text", "%s '%s' contains a line break or "
			                 "another control character", qcols[k].name,
			                 bid_import__shown(shown, sizeof(shown), t, n));
		}
	}
	if (qcols[k].kind == V_CODE) {
		int cur = k == Q_CURRENCY;
		char *out = r->code[cur];
		int ok = cur ? n == 3 : n >= 1 && n <= 3;

		for (i = 0; ok && i < n; i++) {
			char ch = t[i];
			if (ch >= 'a' && ch <= 'z')
				ch -= 'a' - 'A';
			if (!((ch >= 'A' && ch <= 'Z') || (!cur && ch >= '0' && ch <= '9')))
				ok = 0;
			out[i] = ch;
		}
		if (!ok) {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.code", "%s '%s' is not a code: %s",
			                 qcols[k].name, bid_import__shown(shown, sizeof(shown), t, n),
			                 qcols[k].hint);
		}
		out[n] = '\0';
		t = out;
	}
	r->text[k] = t;
	r->len[k] = n;
	r->val[k].line = pos.line;
	r->val[k].col = pos.col;
	return 0;
}

/*
 * The certificates cell: a comma-separated list of codes.  Each code is
 * trimmed of blanks and empty ones are dropped, so "ISO9001, RoHS" is
 * ISO9001,RoHS; a list with no code is not stated.  Length and control
 * characters are checked as for any text.
 */
static int qs_certs_cell(qsheet *q, qrow *r, int k, const char *t, size_t n, bid_pos pos)
{
	const char *p, *end = t + n;
	size_t len = 0;
	int rc;

	if ((rc = qs_text_cell(q, r, k, t, n, pos)) != 0 || !r->val[k].line)
		return rc;          /* refused (reported), or stopped */
	for (p = t; p < end; ) {
		const char *e = memchr(p, ',', (size_t)(end - p));
		const char *c;
		size_t m;

		if (!e)
			e = end;
		c = p;
		m = (size_t)(e - p);
		qs_trim(&c, &m);
		if (m) {
			if (len)
				r->certs[len++] = ',';
			memcpy(r->certs + len, c, m);    /* fits: never longer than the cell */
			len += m;
		}
		p = e + 1;
	}
	r->certs[len] = '\0';
	if (len == 0) {
		r->empty[k] = 1;
		r->text[k] = NULL;
		r->len[k] = 0;
		r->val[k].line = r->val[k].col = 0;
		return 0;
	}
	r->text[k] = r->certs;
	r->len[k] = len;
	return 0;
}

/* Read one cell into r: an empty cell is not stated, and not an error here. */
static int qs_cell(qsheet *q, qrow *r, int k, const bid_csv_field *f)
{
	bid_pos pos = qs_pos(f->line, f->col);
	const char *t = f->text;
	size_t n = f->len;
	char shown[40];

	r->cell[k] = pos;
	qs_trim(&t, &n);
	if (n == 0) {
		r->empty[k] = 1;
		return 0;
	}
	switch (qcols[k].kind) {
	case V_TEXT:
	case V_CODE:
		return qs_text_cell(q, r, k, t, n, pos);
	case V_CERTS:
		return qs_certs_cell(q, r, k, t, n, pos);
	case V_DATE: {
		bid_error why;
		bid_date d;

		bid_error_clear(&why);
		if (bid_import__date(&d, qcols[k].name, t, n, 0, q->name, pos, &why) < 0) {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.date", "%s", why.msg);
		}
		r->val[k].v = d;
		break;
	}
	case V_TIER_TYPE:
		if (qs_same_name(t, n, "all-units")) {
			r->val[k].v = BID_TIER_ALL_UNITS;
		} else if (qs_same_name(t, n, "incremental")) {
			r->val[k].v = BID_TIER_INCREMENTAL;
		} else {
			r->bad = 1;
			return qs_report(q, pos, "csv.quote.tier_type", "tier_type '%s' is neither "
			                 "all-units nor incremental",
			                 bid_import__shown(shown, sizeof(shown), t, n));
		}
		break;
	default:
		return qs_number(q, r, k, t, n, pos);
	}
	r->val[k].line = pos.line;
	r->val[k].col = pos.col;
	return 0;
}

/* ---- parts: lookup, kept values, tiers ---- */

static uint64_t qs_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Keep text in the arena; the value encodes where. */
static int qs_keep(qsheet *q, const char *t, size_t n, bid_pos pos, bid_dec *out)
{
	size_t off = q->arena.len;

	if (off + n + 1 > QS_MAX_ARENA) {
		int rc = qs_report(q, pos, "csv.quote.limit", "the sheet holds more than %d bytes "
		                   "of part numbers and other texts: split it", QS_MAX_ARENA + 1);
		return rc < 0 ? rc : BID_EINVALID;
	}
	if (bid_strbuf__append(&q->arena, t, n) < 0 || bid_strbuf__append(&q->arena, "", 1) < 0)
		return qs_nomem(q);
	*out = (bid_dec)(((uint64_t)n << 32) | (uint64_t)off);
	return 0;
}

static int qs_grow_tab(qsheet *q)
{
	size_t size = q->tabsize ? q->tabsize * 2 : 1024, i;
	uint32_t *tab = calloc(size, sizeof(*tab));

	if (!tab)
		return qs_nomem(q);
	for (i = 0; i < q->nparts; i++) {
		size_t j = (size_t)qs_nth(q, i)->hash & (size - 1);

		while (tab[j])
			j = (j + 1) & (size - 1);
		tab[j] = (uint32_t)i + 1;
	}
	free(q->tab);
	q->tab = tab;
	q->tabsize = size;
	return 0;
}

/* The part named t[0..n), added when new.  *out is NULL on a stop. */
static int qs_part(qsheet *q, const char *t, size_t n, bid_pos pos, qpart **out)
{
	uint64_t h = qs_hash(t, n);
	size_t j;
	qpart *p;
	int rc;

	*out = NULL;
	if (q->nparts * 2 >= q->tabsize && (rc = qs_grow_tab(q)) < 0)
		return rc;
	for (j = (size_t)h & (q->tabsize - 1); q->tab[j]; j = (j + 1) & (q->tabsize - 1)) {
		p = qs_nth(q, q->tab[j] - 1);
		if (p->hash == (uint32_t)h && qs_tlen(p->val[Q_PART].v) == n &&
		    memcmp(qs_text(q, p->val[Q_PART].v), t, n) == 0) {
			*out = p;
			return 0;
		}
	}
	if (q->nparts == q->pcap) {
		/* Rows are capped, so parts are: grow up to the cap, not past it. */
		size_t cap = q->pcap ? q->pcap * 2 : 256;
		unsigned char *np;

		if (cap > QS_MAX_ROWS)
			cap = QS_MAX_ROWS;
		if (!(np = realloc(q->parts, cap * q->stride)))
			return qs_nomem(q);
		q->parts = np;
		q->pcap = cap;
	}
	p = qs_nth(q, q->nparts);
	memset(p, 0, q->stride);
	if ((rc = qs_keep(q, t, n, pos, &p->val[Q_PART].v)) < 0)
		return rc;
	p->val[Q_PART].line = pos.line;
	p->val[Q_PART].col = pos.col;
	p->hash = (uint32_t)h;
	q->tab[j] = (uint32_t)++q->nparts;
	*out = p;
	return 0;
}

/* Do a row's value and the kept one say the same? */
static int qs_agree(const qsheet *q, const qrow *r, int k, const qval *kept)
{
	if (qs_is_text(k))
		return qs_tlen(kept->v) == r->len[k] &&
		       memcmp(qs_text(q, kept->v), r->text[k], r->len[k]) == 0;
	return kept->v == r->val[k].v;
}

/* Keep a row's value, or check it against the one kept. */
static int qs_merge(qsheet *q, const qrow *r, int k, qval *kept, const char *part, int *bad)
{
	char a[40], b[40], shown[40];
	bid_pos pos = qs_pos(r->val[k].line, r->val[k].col);
	int rc;

	if (!r->val[k].line)
		return 0;
	if (!kept->line) {
		kept->v = r->val[k].v;
		if (qs_is_text(k) &&
		    (rc = qs_keep(q, r->text[k], r->len[k], pos, &kept->v)) < 0)
			return rc;
		kept->line = pos.line;
		kept->col = pos.col;
		return 0;
	}
	if (qs_agree(q, r, k, kept))
		return 0;
	*bad = 1;
	qs_show(q, k, r->val[k].v, r->text[k], r->len[k], a, sizeof(a));
	qs_show(q, k, kept->v, NULL, 0, b, sizeof(b));
	if (!part) {
		if (q->differs[k])
			return 0;
		q->differs[k] = 1;
		if (k == Q_SUPPLIER)
			return qs_report(q, pos, "csv.quote.supplier", "supplier '%s' differs from "
			                 "'%s' on line %u: a bid sheet holds one supplier's quote "
			                 "(send one sheet per supplier)", a, b, kept->line);
		return qs_report(q, pos, "csv.quote.sheet", "%s '%s' differs from '%s' on line %u: "
		                 "state one value for the whole sheet (or leave it empty)",
		                 qcols[k].name, a, b, kept->line);
	}
	return qs_report(q, pos, "csv.quote.disagree", "%s '%s' disagrees with '%s' on line %u "
	                 "for part '%s': every row of a part states the same %s (or leaves it "
	                 "empty)", qcols[k].name, a, b, kept->line,
	                 bid_import__shown(shown, sizeof(shown), part, strlen(part)), qcols[k].name);
}

static int qs_add_tier(qsheet *q, const qrow *r, qpart *p)
{
	const qval *from = &r->val[Q_TIER_FROM];
	bid_pos pos = from->line ? qs_pos(from->line, from->col)
	                         : r->cell[Q_TIER_FROM].line ? r->cell[Q_TIER_FROM]
	                                                     : r->cell[Q_PRICE];
	bid_dec v = from->line ? from->v : 0;
	char shown[40], a[BID_DEC_FMT_MAX];
	const char *part = qs_text(q, p->val[Q_PART].v);
	uint32_t i, ntiers = 0;
	qtier *t;

	for (i = p->head; i; i = q->tiers[i - 1].next, ntiers++) {
		if (q->tiers[i - 1].from == v) {
			p->bad = 1;
			return qs_report(q, pos, "csv.quote.tier.twice", "part '%s' has a second price "
			                 "from quantity %s (lines %u and %u): each price tier of a part "
			                 "needs its own tier_from",
			                 bid_import__shown(shown, sizeof(shown), part, strlen(part)),
			                 bid_dec_format(a, sizeof(a), v, 0), q->tiers[i - 1].line,
			                 pos.line);
		}
	}
	if (ntiers == QS_MAX_TIERS) {
		p->bad = 1;
		return qs_report(q, pos, "csv.quote.tier.limit", "part '%s' has more than %d price "
		                 "tiers", bid_import__shown(shown, sizeof(shown), part, strlen(part)),
		                 QS_MAX_TIERS);
	}
	if (q->ntiers == q->tcap) {
		size_t cap = q->tcap ? q->tcap * 2 : 256;
		qtier *nt;

		if (cap > QS_MAX_ROWS)
			cap = QS_MAX_ROWS;
		if (!(nt = realloc(q->tiers, cap * sizeof(*nt))))
			return qs_nomem(q);
		q->tiers = nt;
		q->tcap = cap;
	}
	t = &q->tiers[q->ntiers++];
	t->from = v;
	t->price = r->val[Q_PRICE].v;
	t->line = pos.line;
	t->cols = 0;
	qt_set_col(t, QT_FROM, pos.col);
	qt_set_col(t, QT_PRICE, r->val[Q_PRICE].col);
	qt_set_col(t, QT_PART, r->val[Q_PART].col);
	t->next = 0;
	if (p->tail)
		q->tiers[p->tail - 1].next = (uint32_t)q->ntiers;
	else
		p->head = (uint32_t)q->ntiers;
	p->tail = (uint32_t)q->ntiers;
	return 0;
}

/* ---- rows ---- */

static int qs_row(qsheet *q, const bid_csv *c)
{
	qrow r;
	qpart *p;
	size_t i;
	int k, rc, unused;

	if (c->nfields != q->ncols)
		return qs_report(q, qs_pos(c->rec_line, 1), "csv.quote.fields", "row has %zu field%s "
		                 "but the header has %zu (an unquoted ',' in a value, like 2,50? use "
		                 "'.' as the decimal point and quote text with commas)", c->nfields,
		                 c->nfields == 1 ? "" : "s", q->ncols);

	/* Spreadsheets export rows of empty cells below the data: skip them. */
	for (i = 0; i < c->nfields; i++) {
		const char *t = c->fields[i].text;
		size_t n = c->fields[i].len;

		qs_trim(&t, &n);
		if (n)
			break;
	}
	if (i == c->nfields)
		return 0;
	if (++q->nrows > QS_MAX_ROWS) {
		rc = qs_report(q, qs_pos(c->rec_line, 1), "csv.quote.limit", "more than %d rows: a "
		               "bid sheet holds at most %d rows", QS_MAX_ROWS, QS_MAX_ROWS);
		return rc < 0 ? rc : BID_EINVALID;
	}

	/* Cells in the file's order, so that errors come in reading order. */
	memset(&r, 0, sizeof(r));
	for (i = 0; i < q->ncols; i++) {
		k = q->col_k[i];
		if ((rc = qs_cell(q, &r, k, &c->fields[i])) < 0)
			return rc;
		if (qcols[k].required && r.empty[k]) {
			r.bad = 1;
			if ((rc = qs_report(q, r.cell[k], "csv.quote.empty", "%s is empty: %s",
			                    qcols[k].name, qcols[k].hint)) < 0)
				return rc;
		}
	}

	/*
	 * The sheet's own values: one supplier, one validity.  A row of
	 * another supplier is not part of this quote (only the first such
	 * row is reported).
	 */
	for (k = 0; k < Q__COUNT; k++) {
		if (qcols[k].where != W_SHEET)
			continue;
		unused = 0;
		if ((rc = qs_merge(q, &r, k, &q->sheet[k], NULL, &unused)) < 0)
			return rc;
		if (unused && k == Q_SUPPLIER)
			r.bad = 1;
	}

	if (!r.val[Q_PART].line)
		return 0;
	if ((rc = qs_part(q, r.text[Q_PART], r.len[Q_PART], qs_pos(r.val[Q_PART].line,
	                                                             r.val[Q_PART].col), &p)) < 0)
		return rc;
	/* A row with a bad value spoils its part: it is reported, not delivered. */
	if (r.bad) {
		p->bad = 1;
		return 0;
	}
	for (k = 0; k < Q__PART; k++) {
		/* a column the header does not name is never stated: it has no slot */
		if (qcols[k].where != W_PART || q->slot_of[k] < 0)
			continue;
		if ((rc = qs_merge(q, &r, k, &p->val[q->slot_of[k]], qs_text(q, p->val[0].v),
		                   &p->bad)) < 0)
			return rc;
	}
	return qs_add_tier(q, &r, p);
}

/* ---- delivery ---- */

static int qs_send_header(qsheet *q)
{
	bid_quote_header h;
	const qval *s = q->sheet;
	size_t i;
	int rc, pay = 1;

	memset(&h, 0, sizeof(h));
	h.supplier_id = qs_text(q, s[Q_SUPPLIER].v);
	h.pos = qs_pos(s[Q_SUPPLIER].line, s[Q_SUPPLIER].col);
	h.supplier_name = s[Q_SUPPLIER_NAME].line ? qs_text(q, s[Q_SUPPLIER_NAME].v) : NULL;
	h.issue_date = h.valid_from = BID_DATE_NONE;
	h.valid_until = s[Q_VALID_UNTIL].line ? (bid_date)s[Q_VALID_UNTIL].v : BID_DATE_NONE;

	/* payment_days is per part; the header carries it when every part says the same. */
	pay = q->slot_of[Q_PAY_DAYS] >= 0;
	for (i = 0; i < q->nparts && pay; i++) {
		const qval *v = &qs_nth(q, i)->val[q->slot_of[Q_PAY_DAYS]];
		if (!v->line || v->v != qs_nth(q, 0)->val[q->slot_of[Q_PAY_DAYS]].v)
			pay = 0;
	}
	if (pay && q->nparts) {
		h.pay_days = (int32_t)(qs_nth(q, 0)->val[q->slot_of[Q_PAY_DAYS]].v / BID_DEC_SCALE);
		h.has_pay_days = 1;
	}
	if (q->sink->quote_header && (rc = q->sink->quote_header(&h, q->sink->payload)) < 0)
		return bid_import__stopped(q->err, rc, q->name, h.pos);
	return 0;
}

static bid_pos qs_at(const qval *v)
{
	return qs_pos(v->line, v->col);
}

static int qs_send_part(qsheet *q, qpart *p)
{
	qval v[Q__PART];
	const char *part;
	char shown[40], a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
	const qtier *low;
	bid_quote_line l;
	size_t n = 0, i, j;
	uint32_t t;
	int rc, k;

	/* the part's values by column; a column the header does not name is unstated */
	for (k = 0; k < Q__PART; k++) {
		if (q->slot_of[k] >= 0)
			v[k] = p->val[q->slot_of[k]];
		else
			memset(&v[k], 0, sizeof(v[k]));
	}
	part = qs_text(q, v[Q_PART].v);

	/* The tiers by tier_from (insertion sort: at most QS_MAX_TIERS). */
	for (t = p->head; t; t = q->tiers[t - 1].next) {
		const qtier *x = &q->tiers[t - 1];

		for (j = n++; j > 0 && q->sorted[j - 1]->from > x->from; j--)
			q->sorted[j] = q->sorted[j - 1];
		q->sorted[j] = x;
	}
	if (n == 0)
		return 0;
	low = q->sorted[0];
	bid_import__shown(shown, sizeof(shown), part, strlen(part));

	/* Every orderable quantity needs a price: the lowest tier starts at 0 or at the MOQ. */
	if (low->from != 0 && !(v[Q_MOQ].line && v[Q_MOQ].v == low->from)) {
		p->bad = 1;
		if (v[Q_MOQ].line)
			rc = qs_report(q, qs_pos(low->line, qt_col(low, QT_FROM)), "csv.quote.tier.first",
			               "the lowest price tier of part '%s' starts at %s but moq is %s: "
			               "start it at 0 (empty tier_from) or at the moq", shown,
			               bid_dec_format(a, sizeof(a), low->from, 0),
			               bid_dec_format(b, sizeof(b), v[Q_MOQ].v, 0));
		else
			rc = qs_report(q, qs_pos(low->line, qt_col(low, QT_FROM)), "csv.quote.tier.first",
			               "the lowest price tier of part '%s' starts at %s: start it at "
			               "0 (empty tier_from) or state that quantity as moq", shown,
			               bid_dec_format(a, sizeof(a), low->from, 0));
		if (rc < 0)
			return rc;
	}
	if (v[Q_MOQ].line && v[Q_MAX_QTY].line && v[Q_MOQ].v > v[Q_MAX_QTY].v) {
		p->bad = 1;
		if ((rc = qs_report(q, qs_at(&v[Q_MOQ]), "csv.quote.moq", "moq %s of part '%s' is "
		                    "more than its max_qty %s", bid_dec_format(a, sizeof(a),
		                    v[Q_MOQ].v, 0), shown,
		                    bid_dec_format(b, sizeof(b), v[Q_MAX_QTY].v, 0))) < 0)
			return rc;
	}
	if (p->bad)
		return 0;

	for (i = 0; i < n; i++) {
		const qtier *x = q->sorted[i];

		q->out[i].from_qty = x->from;
		q->out[i].price = x->price;
		q->out[i].pos = qs_pos(x->line, qt_col(x, QT_FROM));
		if (v[Q_MAX_QTY].line && x->from > v[Q_MAX_QTY].v &&
		    (rc = bid_import__warn(q->sink, q->out[i].pos, "csv.quote.tier.unreachable",
		                           "part '%s': the tier from %s is above max_qty %s and "
		                           "never applies", shown,
		                           bid_dec_format(a, sizeof(a), x->from, 0),
		                           bid_dec_format(b, sizeof(b), v[Q_MAX_QTY].v, 0))) < 0)
			return bid_import__stopped(q->err, rc, q->name, q->out[i].pos);
	}

	memset(&l, 0, sizeof(l));
	l.part_ids[BID_PART_BUYER] = part;
	l.pos[BID_F_LINE] = qs_pos(low->line, 1);
	l.pos[BID_F_PART] = qs_pos(low->line, qt_col(low, QT_PART));
	l.price = low->price;
	l.pos[BID_F_PRICE] = qs_pos(low->line, qt_col(low, QT_PRICE));
	/* A single row is a plain price; two or more are price breaks. */
	if (n > 1) {
		l.tiers = q->out;
		l.ntiers = n;
	}
	l.tier_type = v[Q_TIER_TYPE].line ? (bid_tier_type)v[Q_TIER_TYPE].v : BID_TIER_ALL_UNITS;
	l.unit = qs_text(q, v[Q_UNIT].v);
	l.pos[BID_F_UNIT] = qs_at(&v[Q_UNIT]);
	l.currency = qs_text(q, v[Q_CURRENCY].v);
	l.pos[BID_F_CURRENCY] = qs_at(&v[Q_CURRENCY]);
	if (v[Q_QUANTITY].line) {
		l.qty = v[Q_QUANTITY].v;
		l.has_qty = 1;
		l.pos[BID_F_QTY] = qs_at(&v[Q_QUANTITY]);
	}
	if (v[Q_PRICE_PER].line) {
		l.basis_qty = v[Q_PRICE_PER].v;
		l.pos[BID_F_BASIS] = qs_at(&v[Q_PRICE_PER]);
	}
	if (v[Q_MOQ].line) {
		l.min_qty = v[Q_MOQ].v;
		l.has_min_qty = 1;
		l.pos[BID_F_MIN_QTY] = qs_at(&v[Q_MOQ]);
	}
	if (v[Q_MAX_QTY].line) {
		l.max_qty = v[Q_MAX_QTY].v;
		l.has_max_qty = 1;
		l.pos[BID_F_MAX_QTY] = qs_at(&v[Q_MAX_QTY]);
	}
	if (v[Q_LEAD_TIME].line) {
		l.lead_time_days = (int32_t)(v[Q_LEAD_TIME].v / BID_DEC_SCALE);
		l.has_lead_time = 1;
		l.pos[BID_F_LEAD_TIME] = qs_at(&v[Q_LEAD_TIME]);
	}
	l.delivery_date = BID_DATE_NONE;
	if (v[Q_PAY_DAYS].line) {
		l.pay_days = (int32_t)(v[Q_PAY_DAYS].v / BID_DEC_SCALE);
		l.has_pay_days = 1;
	}
	if (v[Q_MANUFACTURER].line)
		l.manufacturer = qs_text(q, v[Q_MANUFACTURER].v);
	if (v[Q_DEFECT_PPM].line) {
		l.defect_ppm = v[Q_DEFECT_PPM].v;
		l.has_defect_ppm = 1;
	}
	if (v[Q_CERTIFICATES].line)
		l.certificates = qs_text(q, v[Q_CERTIFICATES].v);
	if (q->sink->quote_line && (rc = q->sink->quote_line(&l, q->sink->payload)) < 0)
		return bid_import__stopped(q->err, rc, q->name, l.pos[BID_F_LINE]);
	return 0;
}

/* A structural error from the tokenizer: report it (first error or not) and stop. */
static int qs_syntax(qsheet *q, int rc, const bid_error *why)
{
	if (rc != BID_EINVALID) {
		if (q->err)
			*q->err = *why;
		return rc;
	}
	rc = qs_report(q, qs_pos((uint32_t)why->line, (uint32_t)why->col), "csv.syntax", "%s",
	               why->msg);
	return rc < 0 ? rc : BID_EINVALID;
}

int bid_csv__parse_quote(const char *data, size_t len, const char *name,
                         const bid_import_sink *sink, bid_error *err)
{
	qsheet *q;
	bid_csv c;
	bid_error why;
	size_t i, mark = 0;
	int rc;

	/* The sheet's state is a few KiB: on the heap, not the stack. */
	if (!(q = calloc(1, sizeof(*q))))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s",
		                     name);
	q->name = name;
	q->sink = sink;
	q->err = err;
	bid_error_clear(&why);
	if ((rc = bid_csv__open(&c, data, len, name, &why)) < 0) {
		rc = qs_syntax(q, rc, &why);
		free(q);
		return rc;
	}
	if ((rc = bid_csv__next(&c, &why)) < 0) {
		rc = qs_syntax(q, rc, &why);
		goto done;
	}
	if (rc == 0) {
		qs_report(q, qs_pos(1, 1), "csv.quote.empty", "empty file: expected a header row "
		          "naming the columns, like supplier,part,unit,currency,price");
		rc = BID_EINVALID;
		goto done;
	}
	if ((rc = qs_header(q, &c)) < 0)
		goto done;

	while ((rc = bid_csv__next(&c, &why)) == 1) {
		if ((rc = qs_row(q, &c)) < 0)
			goto done;
		/* the sheet is read whole before a line goes out: say how far */
		bid_import__progress(sink, data, c.p, &mark);
	}
	if (rc < 0) {
		rc = qs_syntax(q, rc, &why);
		goto done;
	}

	if (!q->sheet[Q_SUPPLIER].line) {
		/* Rows with a supplier were all refused already; else the sheet is blank. */
		if (q->nerrors == 0)
			qs_report(q, qs_pos(c.line > 1 ? c.line - 1 : 1, 1), "csv.quote.empty",
			          "the bid sheet has a header but no rows: fill in one row per part "
			          "and price tier");
		rc = BID_EINVALID;
		goto done;
	}
	if ((rc = qs_send_header(q)) < 0)
		goto done;
	for (i = 0; i < q->nparts; i++) {
		if (qs_nth(q, i)->bad)
			continue;
		if ((rc = qs_send_part(q, qs_nth(q, i))) < 0)
			goto done;
	}
	rc = q->nerrors ? BID_EINVALID : 0;
done:
	bid_csv__free(&c);
	bid_strbuf__free(&q->arena);
	free(q->parts);
	free(q->tab);
	free(q->tiers);
	free(q);
	return rc;
}
