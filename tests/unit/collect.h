/*
 * collect.h - what the importer tests (tests/unit/import_*.c) share: a
 * sink that keeps copies of every header, line and diagnostic it is handed
 * and checks the contract every importer keeps; the reading of fixtures
 * and of the public samples in ../shared/samples (skipped when absent);
 * and assertions on errors and diagnostics.  A header, not a .c: the
 * Makefile builds each .c in tests/unit as its own test.  cmocka and the
 * public bidcmp API only; everything is static inline, so a test pays
 * only for what it uses.
 */
#ifndef BIDCMP_TESTS_COLLECT_H
#define BIDCMP_TESTS_COLLECT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bidcmp/bidcmp.h"

/* ---- a sink that keeps copies of everything ----------------------- */

#define GOT_HEADERS 8     /* quote headers kept (more are counted) */
#define GOT_LINES   64    /* quote lines and RFQ lines kept (more are counted) */
#define GOT_DIAGS   64    /* diagnostics kept (more are counted) */
#define GOT_TIERS   8     /* price breaks a line may have */

/* A quote header; h's strings point at the copies beside it. */
typedef struct got_header {
	bid_quote_header h;
	char            *supplier_id, *supplier_name, *quote_id, *rfq_ref, *currency,
	                *incoterm, *total_currency, *charges_currency;
} got_header;

/* A quote line; l's strings and tiers point at the copies beside it. */
typedef struct got_line {
	bid_quote_line l;
	char          *line_id, *part_ids[BID_PART__COUNT], *description, *unit, *currency,
	              *basis_unit, *manufacturer, *origin_country, *certificates;
	bid_tier       tiers[GOT_TIERS];
	size_t         ntiers;
	int            header;         /* index of the header it follows, from 0 */
} got_line;

/* The RFQ header and lines, the same way. */
typedef struct got_rfq {
	bid_rfq_header h;
	char          *rfq_id, *title, *currency;
} got_rfq;

typedef struct got_rfq_line {
	bid_rfq_line l;
	char        *line_id, *part, *description, *unit;
} got_rfq_line;

typedef struct got_diag {
	bid_severity sev;
	bid_pos      pos;
	char         rule[64];
	char         msg[512];
} got_diag;

typedef struct got {
	int          nheaders;          /* quote and RFQ headers seen */
	got_header   headers[GOT_HEADERS];
	got_rfq      rfq;
	int          nlines, nrlines;   /* lines seen (copies of the first GOT_LINES) */
	got_line     lines[GOT_LINES];
	got_rfq_line rlines[GOT_LINES];
	int          ndiags, nerrors, nwarnings;   /* diagnostics seen */
	got_diag     diags[GOT_DIAGS];
	/* What the test asks of the sink (got_reset clears them). */
	int          one_header;        /* the document has one header, before its lines */
	int          stop_after;        /* quote_line says stop when this many came (0: never) */
	int          stop_diag;         /* diag says stop, at any diagnostic */
	int          stop_on_error;     /* diag says stop at the first error */
} got;

static inline char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static inline int got_on_qh(const bid_quote_header *h, void *payload)
{
	got *g = payload;
	got_header *o;

	assert_non_null(h->supplier_id);        /* the contract: required */
	if (g->one_header) {
		assert_int_equal(g->nheaders, 0);
		assert_int_equal(g->nlines, 0);
	}
	if (g->nheaders >= GOT_HEADERS) {
		g->nheaders++;
		return 0;
	}
	o = &g->headers[g->nheaders++];
	o->h = *h;
	o->h.supplier_id = o->supplier_id = dup(h->supplier_id);
	o->h.supplier_name = o->supplier_name = dup(h->supplier_name);
	o->h.quote_id = o->quote_id = dup(h->quote_id);
	o->h.rfq_ref = o->rfq_ref = dup(h->rfq_ref);
	o->h.currency = o->currency = dup(h->currency);
	o->h.incoterm = o->incoterm = dup(h->incoterm);
	o->h.total_currency = o->total_currency = dup(h->total_currency);
	o->h.charges_currency = o->charges_currency = dup(h->charges_currency);
	return 0;
}

static inline int got_on_ql(const bid_quote_line *l, void *payload)
{
	got *g = payload;
	got_line *o;
	size_t i;

	/* Lines come only after their header, with a currency; tiers ascend from the price. */
	if (g->one_header)
		assert_int_equal(g->nheaders, 1);
	else
		assert_true(g->nheaders > 0);
	assert_non_null(l->currency);
	assert_true(l->ntiers <= GOT_TIERS);
	if (l->ntiers) {
		assert_int_equal(l->tiers[0].price, l->price);
		for (i = 1; i < l->ntiers; i++)
			assert_true(l->tiers[i].from_qty > l->tiers[i - 1].from_qty);
	}
	if (g->stop_after && g->nlines == g->stop_after)
		return BID_ESTOP;
	if (g->nlines++ >= GOT_LINES)
		return 0;
	o = &g->lines[g->nlines - 1];
	o->l = *l;
	o->header = g->nheaders - 1;
	o->l.line_id = o->line_id = dup(l->line_id);
	for (i = 0; i < BID_PART__COUNT; i++)
		o->l.part_ids[i] = o->part_ids[i] = dup(l->part_ids[i]);
	o->l.description = o->description = dup(l->description);
	o->l.unit = o->unit = dup(l->unit);
	o->l.currency = o->currency = dup(l->currency);
	o->l.basis_unit = o->basis_unit = dup(l->basis_unit);
	o->l.manufacturer = o->manufacturer = dup(l->manufacturer);
	o->l.origin_country = o->origin_country = dup(l->origin_country);
	o->l.certificates = o->certificates = dup(l->certificates);
	o->ntiers = l->ntiers;
	for (i = 0; i < l->ntiers; i++)
		o->tiers[i] = l->tiers[i];
	o->l.tiers = l->ntiers ? o->tiers : NULL;
	return 0;
}

static inline int got_on_rh(const bid_rfq_header *h, void *payload)
{
	got *g = payload;

	g->nheaders++;
	g->rfq.h = *h;
	g->rfq.h.rfq_id = g->rfq.rfq_id = dup(h->rfq_id);
	g->rfq.h.title = g->rfq.title = dup(h->title);
	g->rfq.h.currency = g->rfq.currency = dup(h->currency);
	return 0;
}

static inline int got_on_rl(const bid_rfq_line *l, void *payload)
{
	got *g = payload;
	got_rfq_line *o;

	assert_int_equal(g->nheaders, 1);
	assert_true(g->nrlines < GOT_LINES);
	o = &g->rlines[g->nrlines++];
	o->l = *l;
	o->l.line_id = o->line_id = dup(l->line_id);
	o->l.part = o->part = dup(l->part);
	o->l.description = o->description = dup(l->description);
	o->l.unit = o->unit = dup(l->unit);
	return 0;
}

static inline int got_on_diag(const bid_diag *d, void *payload)
{
	got *g = payload;

	/* Every diagnostic is a warning or an error with a rule and one line. */
	assert_non_null(d->msg);
	assert_null(strchr(d->msg, '\n'));
	assert_non_null(d->rule);
	if (d->severity == BID_SEV_ERROR) {
		g->nerrors++;
	} else {
		assert_int_equal(d->severity, BID_SEV_WARNING);
		g->nwarnings++;
	}
	if (g->ndiags < GOT_DIAGS) {
		got_diag *o = &g->diags[g->ndiags];

		o->sev = d->severity;
		o->pos = d->pos;
		snprintf(o->rule, sizeof(o->rule), "%s", d->rule);
		snprintf(o->msg, sizeof(o->msg), "%s", d->msg);
	}
	g->ndiags++;
	if (g->stop_diag || (g->stop_on_error && d->severity == BID_SEV_ERROR))
		return BID_ESTOP;
	return 0;
}

/* A sink with every callback above, into g. */
static inline bid_import_sink got_sink(got *g)
{
	bid_import_sink sink = { got_on_qh, got_on_ql, got_on_rh, got_on_rl, got_on_diag, g, NULL };

	return sink;
}

/* Empty g for a parse; one_header: the document has one header. */
static inline void got_reset(got *g, int one_header)
{
	memset(g, 0, sizeof(*g));
	g->one_header = one_header;
}

/* Free the copies g holds, and empty it. */
static inline void got_free(got *g)
{
	int i, k;

	for (i = 0; i < g->nheaders && i < GOT_HEADERS; i++) {
		got_header *h = &g->headers[i];

		free(h->supplier_id); free(h->supplier_name); free(h->quote_id); free(h->rfq_ref);
		free(h->currency); free(h->incoterm); free(h->total_currency);
		free(h->charges_currency);
	}
	free(g->rfq.rfq_id); free(g->rfq.title); free(g->rfq.currency);
	for (i = 0; i < g->nlines && i < GOT_LINES; i++) {
		got_line *o = &g->lines[i];

		free(o->line_id); free(o->description); free(o->unit); free(o->currency);
		free(o->basis_unit); free(o->manufacturer); free(o->origin_country);
		free(o->certificates);
		for (k = 0; k < BID_PART__COUNT; k++)
			free(o->part_ids[k]);
	}
	for (i = 0; i < g->nrlines && i < GOT_LINES; i++) {
		got_rfq_line *o = &g->rlines[i];

		free(o->line_id); free(o->part); free(o->description); free(o->unit);
	}
	memset(g, 0, sizeof(*g));
}

/* Parse data[0..len) as fmt, named `name` in errors, into g (not reset). */
static inline int got_parse(got *g, const char *data, size_t len, bid_format fmt,
                            const char *name, bid_error *err)
{
	bid_import_sink sink = got_sink(g);

	return bid_import_parse(data, len, fmt, name, &sink, err);
}

/* ---- inputs ------------------------------------------------------- */

/* A whole file, NUL-terminated, or NULL when it cannot be opened. */
/* What a sink's progress callback heard: how often, the last offset, whether in order. */
typedef struct progress_seen {
	size_t n, last, len;      /* len: the input's, set by the test */
	int    ordered;           /* every offset above the one before and within len */
} progress_seen;

#define PROGRESS_SEEN_INIT { 0, 0, 0, 1 }

static inline void progress_see(size_t upto, void *payload)
{
	progress_seen *p = payload;

	if (upto <= p->last || upto > p->len)
		p->ordered = 0;
	p->last = upto;
	p->n++;
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/*
 * A test's input file, <dir>/<format>/<name>.  A fixture (dir fixtures/,
 * or $BIDCMP_FIXTURES) must be there: the test fails without it.  A public
 * sample (dir ../shared/samples, or $BIDCMP_SAMPLES) may not be: the test
 * is then skipped.
 */
static inline char *input_file(int is_sample, const char *format, const char *name, size_t *len)
{
	const char *env = is_sample ? "BIDCMP_SAMPLES" : "BIDCMP_FIXTURES";
	const char *dir = getenv(env) ? getenv(env) : is_sample ? "../shared/samples" : "fixtures";
	char path[512];
	char *data;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, format, name);
	if ((data = slurp(path, len)))
		return data;
	if (is_sample)
		skip();
	else
		fail_msg("fixture %s not found (run from the repository root)", path);
	return NULL;
}

static inline char *fixture(const char *format, const char *name, size_t *len)
{
	return input_file(0, format, name, len);
}

static inline char *sample(const char *format, const char *name, size_t *len)
{
	return input_file(1, format, name, len);
}

/* got_parse of fixtures/<format>/<file>. */
static inline int got_parse_fixture(got *g, const char *format, const char *file,
                                    bid_format fmt, const char *name, bid_error *err)
{
	size_t len;
	char *data = fixture(format, file, &len);
	int rc = got_parse(g, data, len, fmt, name, err);

	free(data);
	return rc;
}

/* Encode ASCII as UTF-16LE with a BOM: the byte scans cannot read it. */
static inline char *utf16(const char *s, size_t *len)
{
	size_t n = strlen(s), i;
	char *o = malloc(2 * n + 2);

	assert_non_null(o);
	o[0] = (char)0xFF;
	o[1] = (char)0xFE;
	for (i = 0; i < n; i++) {
		o[2 + 2 * i] = s[i];
		o[3 + 2 * i] = 0;
	}
	*len = 2 * n + 2;
	return o;
}

static inline bid_dec dec(const char *s)
{
	bid_dec v;

	assert_int_equal(bid_dec_parse_cstr(&v, s, NULL), 0);
	return v;
}

static inline bid_date date(const char *s)
{
	bid_date d;

	assert_int_equal(bid_date_parse(&d, s, strlen(s), 0, NULL), 0);
	return d;
}

/* ---- assertions --------------------------------------------------- */

static inline void assert_msg(const char *msg, const char *needle)
{
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

static inline void assert_pos(bid_pos p, uint32_t line, uint32_t col)
{
	if (p.line != line || p.col != col)
		fail_msg("position %u:%u, expected %u:%u", p.line, p.col, line, col);
}

/*
 * The parse refused its input: BID_EINVALID from the importer, one line
 * holding needle, at line:col (-1: either may be anything), in the file
 * `name` (NULL: any name).
 */
static inline void assert_import_error(int rc, const bid_error *err, const char *name,
                                       long line, long col, const char *needle)
{
	assert_int_equal(rc, BID_EINVALID);
	assert_int_equal(err->code, BID_EINVALID);
	assert_int_equal(err->area, BID_AREA_IMPORT);
	if (name)
		assert_string_equal(err->file, name);
	if (line >= 0 && err->line != line)
		fail_msg("error at %ld:%ld, expected line %ld (%s)", err->line, err->col, line, err->msg);
	if (col >= 0 && err->col != col)
		fail_msg("error at %ld:%ld, expected col %ld (%s)", err->line, err->col, col, err->msg);
	assert_msg(err->msg, needle);
	assert_null(strchr(err->msg, '\n'));
}

/* The n-th diagnostic (from 0) with this rule, or fail. */
static inline const got_diag *diag_n(const got *g, const char *rule, int n)
{
	int i;

	for (i = 0; i < g->ndiags && i < GOT_DIAGS; i++)
		if (strcmp(g->diags[i].rule, rule) == 0 && n-- == 0)
			return &g->diags[i];
	fail_msg("no diagnostic [%s]", rule);
	return NULL;
}

static inline const got_diag *diag(const got *g, const char *rule)
{
	return diag_n(g, rule, 0);
}

/* The n-th diagnostic (from 0) of severity sev, or fail. */
static inline const got_diag *diag_sev(const got *g, bid_severity sev, int n)
{
	int i;

	for (i = 0; i < g->ndiags && i < GOT_DIAGS; i++)
		if (g->diags[i].sev == sev && n-- == 0)
			return &g->diags[i];
	fail_msg("no %s number %d", sev == BID_SEV_ERROR ? "error" : "warning", n);
	return NULL;
}

/* The first diagnostic with this rule: severity, position and a piece of text. */
static inline void assert_rule_diag(const got *g, const char *rule, bid_severity sev,
                                    uint32_t line, uint32_t col, const char *needle)
{
	const got_diag *d = diag(g, rule);

	assert_int_equal(d->sev, sev);
	assert_int_equal(d->pos.line, line);
	assert_int_equal(d->pos.col, col);
	if (!strstr(d->msg, needle))
		fail_msg("[%s] message '%s' lacks '%s'", rule, d->msg, needle);
}

/*
 * Diagnostic number i: severity (0: any), position, rule and a piece of
 * its text.
 */
static inline void assert_diag(const got *g, int i, int sev, uint32_t line, uint32_t col,
                               const char *rule, const char *needle)
{
	const got_diag *d;

	if (i < 0 || i >= g->ndiags || i >= GOT_DIAGS)
		fail_msg("no diagnostic %d (there are %d), expected '%s'", i, g->ndiags, needle);
	d = &g->diags[i];
	if ((sev && (int)d->sev != sev) || d->pos.line != line || d->pos.col != col ||
	    strcmp(d->rule, rule) != 0 || !strstr(d->msg, needle))
		fail_msg("diagnostic %d is %s %u:%u [%s] '%s', expected %s %u:%u [%s] '%s'", i,
		         d->sev == BID_SEV_ERROR ? "error" : "warning", d->pos.line, d->pos.col,
		         d->rule, d->msg, !sev ? "any" : sev == BID_SEV_ERROR ? "error" : "warning",
		         line, col, rule, needle);
}

#endif
