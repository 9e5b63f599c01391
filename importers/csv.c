/*
 * csv.c - the CSV tokenizer (RFC 4180) and the RFQ CSV importer: header
 * part,description,quantity,unit,need_by in any order, one part per row.
 * The tokenizer is shared by later CSV formats (bid sheets).  Depends on
 * the C library and the public bidcmp headers only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

/* ---- the tokenizer ------------------------------------------------ */

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

int bid_csv__parse_quote(const char *data, size_t len, const char *name,
                         const bid_import_sink *sink, bid_error *err)
{
	(void)data; (void)len; (void)sink;
	return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
	                        "CSV bid sheets are not supported yet");
}
