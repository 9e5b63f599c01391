/*
 * edifact.c - UN/EDIFACT QUOTES importer (D.96A and later): a tokenizer over
 * the mapped bytes (UNA or default delimiters, release character, one reused
 * segment buffer) and segment groups keyed on trigger segments, not order.
 * Pure parser: the C library, importer.h and the public headers only.
 */

/*
 * Positions.  bid_pos.line is the segment number counted from the start
 * of the file (1-based; a UNA counts as a segment, and numbering goes on
 * across interchanges), bid_pos.col the data element number within it
 * (1 = the first element after the tag, as in "PRI01").  Problems with a
 * whole segment or its tag point at element 1.
 *
 * Field map (per message UNH..UNT = one quote):
 *   header  UNB sender (fallback supplier id), NAD+SU (or EDIEL NAD+FR)
 *           id and name, BGM 1004 quote id, DTM+137 issue date, DTM+36
 *           valid until, CUX 6345 currency, RFF+ON request reference,
 *           PAT (D or W periods) pay days, PAT..PCD+12 discount, TOD
 *           incoterm, summary MOA+86 (else MOA+79) stated total.
 *   line    LIN 1082 line id and C212 item id, PIA C212 ids (EN/EAN/UP/
 *           IB/IS/SRV standard, SA seller, BP/IN buyer, MF manufacturer,
 *           no type: seller), IMD text (title 050 + ": " + subtitle 060,
 *           else the first text; components and consecutive IMDs of one
 *           code joined without spaces), QTY 21/1 qty and unit, 53 min,
 *           54 max, SG PRI {PRI, RNG, CUX}: price, 5284 basis, 6411 basis
 *           unit, RNG+4 tiers, DTM 69/63/2 delivery and 169 lead days,
 *           MOA+203 line amount, RFF QLI/LI/ON the RFQ line, PAT pay days,
 *           NAD+MF manufacturer, LOC+27 or ALI origin country.
 *   charges SG ALC {ALC, MOA, PCD...} in the header (before the first LIN:
 *           the quote's charges) and in a LIN group (the line's, for its
 *           quantity): ALC 5463 C is a charge (+), A an allowance (-), N
 *           neither (ignored); the group's first MOA+8 (allowance or charge
 *           amount), MOA+23 (charge) or MOA+204 (allowance) is its amount,
 *           a magnitude: a negative one, or MOA+23 under ALC+A (MOA+204
 *           under ALC+C), is a value error, as is a bad decimal or
 *           indicator.  MOA after the group's TAX is the tax's, not read.
 *           A group with a percentage (PCD) and no amount, or no amount at
 *           all, is warned about and not used.  The amounts are summed; the
 *           MOA 6345 currency, when given, must be the same for all of
 *           them (the quote's: charges_currency, none = the header's; the
 *           line's: the line's currency).  charges_pos is the first header
 *           ALC.  Summary ALC groups (after UNS) are totals, not read.
 *
 * A message is read twice: once up to its first LIN for the header, then
 * skipped with memchr to its summary (UNS..UNT) for the stated total, so
 * that the header can be handed over complete before the first line; the
 * lines are then tokenized once.  Limits against hostile input: a segment
 * holds at most MAX_SEG unescaped bytes, MAX_ELEMENTS elements and
 * MAX_COMPS components; longer is an error, never a larger buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

#define MAX_SEG      65536   /* unescaped bytes of one segment (NULs included) */
#define MAX_ELEMENTS 128     /* data elements of one segment, the tag included */
#define MAX_COMPS    1024    /* components of one segment */
#define MAX_ID       128     /* ids and codes: EDIFACT says an..35 */
#define MAX_CODE     16      /* unit and qualifier codes */
#define MAX_NAME     512     /* party names: 5 x an..35 */
#define MAX_DESC     4096    /* item text */
#define MAX_PRI      64      /* price groups (and so tiers) in one LIN */
#define MAX_WARN     1000    /* warnings per file; then one notice */
#define MAX_LEAD     100000  /* days */

/* Byte classes of the tokenizer; C_DATA is 0 so the hot loop tests !cls. */
enum { C_DATA = 0, C_COMP, C_ELEM, C_TERM, C_REL, C_SKIP, C_NUL, C_HIGH };

/* How bytes above 0x7F are read: UTF-8 only, or UTF-8 else Latin-1 (UNOC). */
enum { CS_UTF8 = 0, CS_LATIN1 };

/* Line subgroups: which trigger segment the following ones belong to. */
enum { SUB_LIN = 0, SUB_PRI, SUB_RFF, SUB_PAT, SUB_NAD, SUB_LOC, SUB_ALC, SUB_OTHER };

/* Price qualifier kinds: net is preferred, the others are marked. */
enum { PK_NET = 0, PK_GROSS, PK_TAX };

/* One tokenized segment.  Element 0 is the tag. */
typedef struct seg {
	uint32_t no;                      /* segment number in the file */
	uint32_t nel;                     /* elements, tag included */
	uint32_t ncomp;
	uint32_t el[MAX_ELEMENTS + 1];    /* first component of each element */
	uint32_t coff[MAX_COMPS], clen[MAX_COMPS];
	char     tag[4];
	char    *buf;                     /* unescaped text, NUL after each component */
} seg;

typedef struct tok {
	const unsigned char *p, *end;
	unsigned char        cls[256];
	uint64_t             rep[4];      /* each service character in all 8 bytes */
	unsigned char        comp, elem, term;
	int                  rel;         /* release character, or -1 */
	int                  charset;
	uint32_t             segno;
} tok;

/* One PRI group of a line: PRI and the RNG and CUX that follow it. */
typedef struct pri {
	int      rank, kind;
	char     qual[4];
	bid_dec  price, basis;
	int      has_basis, has_rng;
	bid_dec  from;
	char     basis_unit[MAX_CODE];
	char     cur[4];
	bid_pos  pos, basis_pos, rng_pos, cur_pos;
} pri;

/* One ALC group being read: its sign and its amount. */
typedef struct alc {
	int      active, sign, bad;   /* sign: +1 charge, -1 allowance, 0 neither */
	int      has_amt, has_pcd;
	bid_dec  amt;
	uint32_t no;                  /* the ALC segment */
	char     cur[4];
	uint32_t amt_no;              /* its MOA segment */
} alc;

/* The charges less allowances of the quote or of a line, summed. */
typedef struct charges {
	unsigned n;                   /* amounts summed */
	int      bad;                 /* one was refused (reported) */
	bid_dec  sum;
	char     cur[4];
	bid_pos  pos;                 /* the first ALC */
} charges;

typedef struct line {
	bid_quote_line l;
	int        active, bad;
	int        sub;
	uint32_t   no;                             /* LIN segment number */
	char       line_id[MAX_ID];
	char       parts[BID_PART__COUNT][MAX_ID];
	char       title[MAX_DESC], subtitle[MAX_DESC], other[MAX_DESC], desc[MAX_DESC];
	size_t     ntitle, nsubtitle, nother;
	char       imd_code[8];                    /* code of the last IMD... */
	uint32_t   imd_no;                         /* ...and its segment number */
	int        imd_into;                       /* 1 title, 2 subtitle, 3 other, 0 none */
	char       unit[MAX_CODE], currency[4], manufacturer[MAX_NAME], origin[4];
	int        qty_rank, dtm_rank;
	bid_pos    cur_pos, moa_pos;
	pri        pri[MAX_PRI];
	int        npri;
	bid_tier   tiers[MAX_PRI];
	alc        alc;
	charges    chg;
} line;

typedef struct ctx {
	const char            *name;
	const bid_import_sink *sink;
	bid_error             *err;
	const char            *base;            /* the input, for sink->progress */
	size_t                 mark;            /* the offset last told */
	int                    rc;              /* a structural error or a stop */
	unsigned long          nerr, nwarn;
	tok                    t;
	seg                    s;

	/* the interchange */
	int       in_ic;
	char      ic_ref[MAX_ID], sender[MAX_ID];
	bid_pos   sender_pos;
	unsigned  nmsg, ngrp, nquotes;

	/* the message */
	bid_quote_header h;
	int       h_ok;                         /* header delivered */
	int       sup_rank;                     /* 1 UNB, 2 NAD+FR, 3 NAD+SU */
	char      msg_ref[MAX_ID];
	uint32_t  unh_no;
	char      supplier_id[MAX_ID], supplier_name[MAX_NAME], quote_id[MAX_ID],
	          rfq_ref[MAX_ID], currency[4], incoterm[8], total_currency[4];
	bid_pos   cur_pos;                      /* the header CUX */
	int       hsub, total_rank;
	int32_t   pat_days;
	unsigned  nlin;
	bid_dec   sum;  int sum_ok;
	alc       halc;                         /* the header's ALC group */
	charges   hchg;
	line      ln;
} ctx;

/* ---- diagnostics -------------------------------------------------- */

static void report(ctx *x, int sev, uint32_t segno, uint32_t el, const char *rule,
                   const char *fmt, va_list ap)
{
	char msg[512];
	bid_pos pos;
	bid_diag d;
	int rc;

	pos.line = segno;
	pos.col = el ? el : 1;
	if (sev == BID_SEV_WARNING) {
		/* A huge file of identical warnings helps nobody: say it once. */
		if (!x->sink->diag || x->nwarn++ > MAX_WARN)
			return;
		if (x->nwarn == MAX_WARN + 1)
			snprintf(msg, sizeof(msg), "more than %d warnings: the rest are not shown",
			         MAX_WARN);
		else
			vsnprintf(msg, sizeof(msg), fmt, ap);
		rc = bid_import__warn(x->sink, pos, rule, "%s", msg);
	} else {
		/* Only the first error fills err; the rest only go to diag. */
		if (x->nerr && !x->sink->diag) {
			x->nerr++;
			return;
		}
		vsnprintf(msg, sizeof(msg), fmt, ap);
		if (x->nerr++ == 0)
			bid_error_set_at(x->err, BID_EINVALID, BID_AREA_IMPORT, x->name,
			                 pos.line, pos.col, "%s", msg);
		if (!x->sink->diag)
			return;
		d.severity = BID_SEV_ERROR;
		d.pos = pos;
		d.rule = rule;
		d.msg = msg;
		rc = x->sink->diag(&d, x->sink->payload);
	}
	if (rc < 0 && x->rc == 0)
		x->rc = bid_import__stopped(x->err, rc, x->name, pos);
}

#if defined(__GNUC__)
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF(a, b)
#endif

/* A value error: reported, the parse goes on, the result is BID_EINVALID. */
static void PRINTF(5, 6) verr(ctx *x, uint32_t segno, uint32_t el, const char *rule,
                              const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(x, BID_SEV_ERROR, segno, el, rule, fmt, ap);
	va_end(ap);
}

/* A structural error: reported, and the parse stops here. */
static void PRINTF(5, 6) fatal(ctx *x, uint32_t segno, uint32_t el, const char *rule,
                               const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(x, BID_SEV_ERROR, segno, el, rule, fmt, ap);
	va_end(ap);
	if (x->rc == 0)
		x->rc = BID_EINVALID;
}

static void PRINTF(5, 6) warn(ctx *x, uint32_t segno, uint32_t el, const char *rule,
                              const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(x, BID_SEV_WARNING, segno, el, rule, fmt, ap);
	va_end(ap);
}

/*
 * String equality for the many short codes we compare: inline, stops at
 * the first difference, no library call per qualifier.
 */
static inline int streq(const char *s, const char *lit)
{
	while (*lit)
		if (*s++ != *lit++)
			return 0;
	return *s == '\0';
}

/* Document text made safe for a one-line message. */
#define SHOWN(buf, s, n) bid_import__shown(buf, sizeof(buf), s, n)

static char shown_char_buf[8];
static const char *shown_char(int c)
{
	if (c > 0x20 && c < 0x7f)
		snprintf(shown_char_buf, sizeof(shown_char_buf), "'%c'", c);
	else
		snprintf(shown_char_buf, sizeof(shown_char_buf), "0x%02X", c & 0xff);
	return shown_char_buf;
}

/* ---- the tokenizer ------------------------------------------------ */

static void tok_delims(tok *t, int comp, int elem, int rel, int term)
{
	int i;

	memset(t->cls, C_DATA, sizeof(t->cls));
	/* Line breaks inside a segment come from line-wrapped files: dropped. */
	t->cls['\r'] = C_SKIP;
	t->cls['\n'] = C_SKIP;
	t->cls[0] = C_NUL;
	for (i = 0x80; i < 0x100; i++)
		t->cls[i] = C_HIGH;
	/* Service characters last, so that they win over the classes above. */
	t->comp = (unsigned char)comp;
	t->elem = (unsigned char)elem;
	t->term = (unsigned char)term;
	t->rel = rel;
	if (rel >= 0)
		t->cls[rel] = C_REL;
	t->cls[comp] = C_COMP;
	t->cls[elem] = C_ELEM;
	t->cls[term] = C_TERM;
	t->rep[0] = 0x0101010101010101ULL * (uint64_t)comp;
	t->rep[1] = 0x0101010101010101ULL * (uint64_t)elem;
	t->rep[2] = 0x0101010101010101ULL * (uint64_t)term;
	t->rep[3] = 0x0101010101010101ULL * (uint64_t)(rel >= 0 ? rel : term);
}

/*
 * Eight bytes at a time (SWAR): a mask with the high bit set in each byte
 * that may be special - a service character, a control byte (< 0x20) or
 * a byte above 0x7F.  Borrows can only flag bytes above a true match, so
 * the lowest flagged byte is always a real candidate; the byte table
 * decides what it is (a TAB, say, is ordinary data).
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HAVE_SWAR 1
static inline uint64_t swar_special(const uint64_t rep[4], uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t m = w | ((w - ones * 0x20) & ~w), v;
	int i;

	for (i = 0; i < 4; i++) {
		v = w ^ rep[i];
		m |= (v - ones) & ~v;
	}
	return m & highs;
}
#endif

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of a valid UTF-8 sequence at p, or 0. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	int n, i;

	if (c < 0xC2 || c > 0xF4)
		return 0;
	n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (end - p < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
	    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
		return 0;
	return n;
}

/*
 * Read the next segment into x->s.  1 for a segment, 0 at the end of the
 * input, BID_EINVALID on a syntax error (reported unless `quiet`).
 */
static int next_seg(ctx *x, int quiet)
{
	tok *t = &x->t;
	seg *s = &x->s;
	const unsigned char *p = t->p, *end = t->end;
	const unsigned char *cls = t->cls;
	char *buf = s->buf, *o = buf, *oend = buf + MAX_SEG, *cstart;
	uint32_t nel = 0, ncomp = 0;
	const char *why;
	char sh[48];
	int n;

	while (p < end && is_ws(*p))
		p++;
	if (p == end) {
		t->p = p;
		return 0;
	}
	s->no = ++t->segno;
	s->el[0] = 0;
	cstart = o;
	for (;;) {
		const unsigned char *lim;
		int c;

#ifdef HAVE_SWAR
		/* The hot loop: 8 bytes copied per step until one may be special
		 * (the buffer has 16 bytes of slack for the last stores). */
		while (end - p >= 8 && oend - o >= 8) {
			uint64_t w, m;

			memcpy(&w, p, 8);
			memcpy(o, &w, 8);
			if ((m = swar_special(t->rep, w)) != 0) {
				int k = __builtin_ctzll(m) >> 3;

				p += k;
				o += k;
				goto found;
			}
			p += 8;
			o += 8;
		}
#endif
		/* Near the end of the input or of the buffer: byte by byte. */
		if (o >= oend)
			goto too_long;
		lim = (size_t)(end - p) > (size_t)(oend - o) ? p + (oend - o) : end;
		while (p < lim && !cls[*p])
			*o++ = (char)*p++;
		if (p == end)
			goto truncated;
		if (p == lim && !cls[*p])
			goto too_long;
#ifdef HAVE_SWAR
found:
#endif
		c = cls[*p];
		if (c == C_DATA) {
			/* A TAB or another control byte: data after all. */
			*o++ = (char)*p++;
			continue;
		}
		/* Separators are most of the special bytes: no jump table for them. */
		if (c <= C_TERM) {
			if (ncomp == MAX_COMPS) {
				why = "components";
				goto too_many;
			}
			*o++ = '\0';
			s->coff[ncomp] = (uint32_t)(cstart - buf);
			s->clen[ncomp] = (uint32_t)(o - 1 - cstart);
			ncomp++;
			cstart = o;
			p++;
			if (c == C_COMP)
				continue;
			if (nel + 1 == MAX_ELEMENTS) {
				why = "data elements";
				goto too_many;
			}
			s->el[++nel] = ncomp;
			if (c == C_TERM)
				goto done;
			continue;
		}
		switch (c) {
		case C_REL:
			/* The release character keeps the next service character
			 * literally; before any other byte it is simply dropped. */
			if (++p == end) {
				if (!quiet)
					fatal(x, s->no, nel, "edifact.release",
					      "release character %s at the end of the file: "
					      "expected a service character after it", shown_char(t->rel));
				return BID_EINVALID;
			}
			if (cls[*p] >= C_COMP && cls[*p] <= C_REL)
				*o++ = (char)*p++;
			break;
		case C_SKIP:
			p++;
			break;
		case C_NUL:
			if (!quiet)
				fatal(x, s->no, nel, "edifact.nul",
				      "NUL byte in segment %u: expected text (is this a binary file?)",
				      (unsigned)s->no);
			return BID_EINVALID;
		case C_HIGH:
			if (oend - o < 4)
				goto too_long;
			if ((n = utf8_len(p, end)) > 0) {
				memcpy(o, p, (size_t)n);
				o += n;
				p += n;
			} else if (t->charset == CS_LATIN1) {
				/* UNOC is ISO 8859-1: one byte, one code point. */
				*o++ = (char)(0xC0 | (*p >> 6));
				*o++ = (char)(0x80 | (*p & 0x3F));
				p++;
			} else {
				if (!quiet)
					fatal(x, s->no, nel, "edifact.utf8",
					      "invalid UTF-8 byte 0x%02X in segment %u: expected UTF-8 "
					      "text (or declare UNOC in UNB for ISO 8859-1)",
					      *p, (unsigned)s->no);
				return BID_EINVALID;
			}
			break;
		}
	}
done:
	s->nel = nel;
	s->ncomp = ncomp;
	t->p = p;
	/* The tag: one component of three upper-case letters or digits. */
	if (s->el[1] != 1 || s->clen[0] != 3 ||
	    !((buf[0] >= 'A' && buf[0] <= 'Z') || (buf[0] >= '0' && buf[0] <= '9')) ||
	    !((buf[1] >= 'A' && buf[1] <= 'Z') || (buf[1] >= '0' && buf[1] <= '9')) ||
	    !((buf[2] >= 'A' && buf[2] <= 'Z') || (buf[2] >= '0' && buf[2] <= '9'))) {
		if (!quiet)
			fatal(x, s->no, 1, "edifact.tag",
			      "segment %u starts with '%s': expected a segment tag of three "
			      "upper-case letters followed by %s",
			      (unsigned)s->no, SHOWN(sh, buf, s->clen[0]), shown_char(t->elem));
		return BID_EINVALID;
	}
	memcpy(s->tag, buf, 4);
	return 1;

truncated:
	if (!quiet)
		fatal(x, s->no, nel, "edifact.truncated",
		      "the file ends inside segment %u ('%s'): expected the segment "
		      "terminator %s (truncated file?)",
		      (unsigned)s->no, SHOWN(sh, buf, (size_t)(o - buf) < 3 ? (size_t)(o - buf) : 3),
		      shown_char(t->term));
	return BID_EINVALID;
too_long:
	if (!quiet)
		fatal(x, s->no, nel, "edifact.segment.long",
		      "segment %u is longer than %d bytes: expected the segment terminator %s "
		      "(the importer caps a segment at %d bytes)",
		      (unsigned)s->no, MAX_SEG, shown_char(t->term), MAX_SEG);
	return BID_EINVALID;
too_many:
	if (!quiet)
		fatal(x, s->no, nel, "edifact.segment.long",
		      "segment %u has more than %d %s: the importer caps a segment there",
		      (unsigned)s->no, why[0] == 'c' ? MAX_COMPS : MAX_ELEMENTS - 1, why);
	return BID_EINVALID;
}

/*
 * Skip whole segments without tokenizing them, up to the next one whose
 * tag starts with "UN" (UNS, UNT, UNH, UNZ) or the end.  memchr finds the
 * terminator; an odd run of release characters before it means it is
 * released text.  Segment numbers are still counted.
 */
static void skip_to_service(tok *t, const bid_import_sink *sink, const char *base, size_t *mark)
{
	const unsigned char *p = t->p, *end = t->end;

	for (;;) {
		const unsigned char *q, *r;

		bid_import__progress(sink, base, (const char *)p, mark);
		while (p < end && is_ws(*p))
			p++;
		if (end - p < 3 || (p[0] == 'U' && p[1] == 'N'))
			break;
		q = p;
		for (;;) {
			q = memchr(q, t->term, (size_t)(end - q));
			if (!q) {
				t->p = p;     /* the full tokenizer reports what is wrong */
				return;
			}
			r = q;
			if (t->rel >= 0)
				while (r > p && r[-1] == t->rel)
					r--;
			if (((q - r) & 1) == 0)
				break;
			q++;
		}
		p = q + 1;
		t->segno++;
	}
	t->p = p;
}

/* ---- segment access ----------------------------------------------- */

/* Component c (1-based) of data element e (1-based); "" when absent. */
static const char *cs(const seg *s, uint32_t e, uint32_t c, size_t *len)
{
	uint32_t i;

	if (e >= s->nel || c == 0 || (i = s->el[e] + c - 1) >= s->el[e + 1]) {
		*len = 0;
		return "";
	}
	*len = s->clen[i];
	return s->buf + s->coff[i];
}

static const char *cstr(const seg *s, uint32_t e, uint32_t c)
{
	size_t n;

	return cs(s, e, c, &n);
}

static int is_tag(const seg *s, const char *tag)
{
	return memcmp(s->tag, tag, 4) == 0;
}

static int eq(const seg *s, uint32_t e, uint32_t c, const char *lit)
{
	return streq(cstr(s, e, c), lit);
}

static void lower_tag(char out[4], const seg *s)
{
	int i;

	for (i = 0; i < 3; i++)
		out[i] = (char)(s->tag[i] >= 'A' && s->tag[i] <= 'Z' ? s->tag[i] + 32 : s->tag[i]);
	out[3] = '\0';
}

/*
 * Copy an id or code into dst.  Too long is a value error (an id cut short
 * would name something else).  Returns 1 when copied, 0 when absent or bad.
 */
static int take_id(ctx *x, char *dst, size_t cap, const seg *s, uint32_t e, uint32_t c,
                   const char *what)
{
	size_t n;
	const char *v = cs(s, e, c, &n);
	char sh[48], rule[32], lt[4];

	if (n == 0)
		return 0;
	if (n >= cap) {
		lower_tag(lt, s);
		snprintf(rule, sizeof(rule), "edifact.%s.long", lt);
		verr(x, s->no, e, rule, "%s %s '%s' is %zu bytes long: expected at most %zu",
		     s->tag, what, SHOWN(sh, v, n), n, cap - 1);
		return 0;
	}
	memcpy(dst, v, n + 1);
	return 1;
}

/* Append text to a fixed buffer; 1 when it had to be cut (at a UTF-8 boundary). */
static int append(char *dst, size_t cap, size_t *len, const char *s, size_t n)
{
	int cut = 0;

	if (*len + n >= cap) {
		n = cap - 1 - *len;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		cut = 1;
	}
	memcpy(dst + *len, s, n);
	*len += n;
	dst[*len] = '\0';
	return cut;
}

/* Components [c0, c1] of element e joined without separators (split text). */
static void join(ctx *x, char *dst, size_t cap, const seg *s, uint32_t e,
                 uint32_t c0, uint32_t c1, const char *what)
{
	size_t len = 0, n;
	uint32_t c;
	int cut = 0;

	dst[0] = '\0';
	for (c = c0; c <= c1; c++) {
		const char *v = cs(s, e, c, &n);
		cut |= append(dst, cap, &len, v, n);
	}
	if (cut)
		warn(x, s->no, e, "edifact.text.long", "%s %s is longer than %zu bytes: cut there",
		     s->tag, what, cap - 1);
}

/* The position of element e of segment s (segment number, element). */
static bid_pos seg_at(const seg *s, uint32_t e)
{
	bid_pos p;

	p.line = s->no;
	p.col = e;
	return p;
}

/*
 * A decimal from component c of element e.  EDIFACT allows a decimal
 * comma or point whatever UNA says; both become a point here.
 */
static int num(ctx *x, bid_dec *out, const seg *s, uint32_t e, uint32_t c, const char *what)
{
	size_t n, i;
	const char *v = cs(s, e, c, &n);
	char tmp[64], rule[32], lt[4];
	bid_error why;
	bid_pos pos = seg_at(s, e);

	if (n < sizeof(tmp)) {
		for (i = 0; i < n; i++)
			tmp[i] = v[i] == ',' ? '.' : v[i];
		v = tmp;
	}
	/* The common case costs one bid_dec_parse; messages only on failure. */
	if (bid_dec_parse(out, v, n, NULL) == 0)
		return 0;
	if (bid_import__dec(out, what, v, n, x->name, pos, &why) == 0)
		return 0;
	lower_tag(lt, s);
	snprintf(rule, sizeof(rule), "edifact.%s.decimal", lt);
	verr(x, s->no, e, rule, "%s", why.msg);
	return -1;
}

/* A whole number of days, weeks... (n..3 and the like); -1 if not. */
/* A count of 1 to `digits` digits (at most 18), or -1. */
static long long count_n(const char *v, size_t n, size_t digits)
{
	long long r = 0;
	size_t i;

	if (n == 0 || n > digits)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		r = r * 10 + (v[i] - '0');
	}
	return r;
}

/* A count in an n..6 data element (segment, message, day counts), or -1. */
static long count(const char *v, size_t n)
{
	return (long)count_n(v, n, 6);
}

static int all_digits(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

/*
 * DTM C507 (2005 qualifier : 2380 value : 2379 format) as a date.
 * Formats: 102 CCYYMMDD (also when absent), 203 CCYYMMDDHHMM, 204 with
 * seconds, 303 with a zone, 718 CCYYMMDD-CCYYMMDD (the start is used).
 */
static int dtm_date(ctx *x, const seg *s, bid_date *out)
{
	size_t n, fn;
	const char *v = cs(s, 1, 2, &n), *f = cs(s, 1, 3, &fn);
	char sh[48], shf[24];
	bid_error why;
	size_t want = 8;
	int range = 0, clock = 0;

	if (fn == 0 || streq(f, "102"))
		want = 8;
	else if (streq(f, "203"))
		want = 12, clock = 1;
	else if (streq(f, "204"))
		want = 14, clock = 1;
	else if (streq(f, "303"))
		want = 0, clock = 1;
	else if (streq(f, "718"))
		want = 17, range = 1;
	else {
		verr(x, s->no, 1, "edifact.dtm.format",
		     "DTM+%s date format '%s' is not supported: expected 102 (CCYYMMDD), 203, "
		     "204, 303 or 718", SHOWN(shf, cstr(s, 1, 1), strlen(cstr(s, 1, 1))),
		     SHOWN(sh, f, fn));
		return -1;
	}
	if ((want ? n != want : n < 12) || !all_digits(v, range ? 8 : (want ? want : 12)) ||
	    (range && (v[8] != '-' || !all_digits(v + 9, 8)))) {
		verr(x, s->no, 1, "edifact.dtm.date",
		     "DTM+%s value '%s' does not match its format %s: expected %s",
		     SHOWN(shf, cstr(s, 1, 1), strlen(cstr(s, 1, 1))), SHOWN(sh, v, n),
		     fn ? f : "102", range ? "CCYYMMDD-CCYYMMDD" : want == 8 ? "CCYYMMDD" :
		     want == 12 ? "CCYYMMDDHHMM" : want == 14 ? "CCYYMMDDHHMMSS" :
		     "CCYYMMDDHHMM and a zone");
		return -1;
	}
	bid_error_clear(&why);
	if (bid_date_parse(out, v, 8, 0, &why) != 0 ||
	    (clock && ((v[8] - '0') * 10 + (v[9] - '0') > 23 ||
	               (v[10] - '0') * 10 + (v[11] - '0') > 59)) ||
	    (range && bid_date_parse(&(bid_date){0}, v + 9, 8, 0, &why) != 0)) {
		verr(x, s->no, 1, "edifact.dtm.date",
		     "DTM+%s value '%s' is not a date that exists",
		     SHOWN(shf, cstr(s, 1, 1), strlen(cstr(s, 1, 1))), SHOWN(sh, v, n));
		return -1;
	}
	return 0;
}

/* ---- part ids, prices --------------------------------------------- */

/* Where a C212 item id goes by its 7143 type; -1 to ignore it. */
static int part_slot(const char *type)
{
	static const struct { const char *code; int slot; } map[] = {
		{ "EN", BID_PART_STANDARD }, { "EAN", BID_PART_STANDARD },
		{ "UP", BID_PART_STANDARD }, { "IB", BID_PART_STANDARD },
		{ "IS", BID_PART_STANDARD }, { "SRV", BID_PART_STANDARD },
		{ "SA", BID_PART_SELLER },   { "", BID_PART_SELLER },
		{ "BP", BID_PART_BUYER },    { "IN", BID_PART_BUYER },
		{ "MF", BID_PART_MANUFACTURER },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (streq(type, map[i].code))
			return map[i].slot;
	return -1;
}

static void take_part(ctx *x, const seg *s, uint32_t e)
{
	line *ln = &x->ln;
	int slot = part_slot(cstr(s, e, 2));
	size_t n;

	cs(s, e, 1, &n);
	if (slot < 0 || n == 0 || ln->parts[slot][0])
		return;
	if (take_id(x, ln->parts[slot], MAX_ID, s, e, 1, "item id")) {
		ln->l.part_ids[slot] = ln->parts[slot];
		if (!ln->l.pos[BID_F_PART].line) {
			ln->l.pos[BID_F_PART] = seg_at(s, e);
		}
	}
}

/* PRI 5125 qualifiers we read: the lower the rank, the more preferred. */
static const struct { const char *code; int rank, kind; } pri_quals[] = {
	{ "AAA", 1, PK_NET },    /* calculation net */
	{ "AAF", 2, PK_NET },    /* information price, no allowances, no taxes */
	{ "CAL", 3, PK_NET },    /* calculation price */
	{ "INV", 4, PK_NET },    /* invoice price */
	{ "INF", 5, PK_NET },    /* information */
	{ "AAB", 6, PK_GROSS },  /* gross: allowances still to come off */
	{ "AAE", 7, PK_TAX },    /* information price including taxes */
	{ "AAC", 8, PK_TAX },    /* taxes included */
};

/* ---- the message header ------------------------------------------- */

static void set_supplier(ctx *x, const seg *s, int rank)
{
	size_t n;

	if (rank < x->sup_rank)
		return;
	cs(s, 2, 1, &n);
	if (n && take_id(x, x->supplier_id, MAX_ID, s, 2, 1, "party id")) {
		x->h.supplier_id = x->supplier_id;
		x->h.pos = seg_at(s, 2);
	}
	/* C080 party name, else the C058 name-and-address lines. */
	join(x, x->supplier_name, MAX_NAME, s, 4, 1, 5, "party name");
	if (!x->supplier_name[0])
		join(x, x->supplier_name, MAX_NAME, s, 3, 1, 5, "name and address");
	x->h.supplier_name = x->supplier_name[0] ? x->supplier_name : NULL;
	x->sup_rank = rank;
}

/* PAT C112 (2475 : 2009 : 2151 period type : 2152 count) in days; -1 if none. */
static int32_t pat_days(ctx *x, const seg *s)
{
	size_t n, tn;
	const char *v = cs(s, 3, 4, &n), *type = cs(s, 3, 3, &tn);
	long d = count(v, n);
	char sh[24];

	if (n == 0)
		return -1;
	if (d < 0 || d > MAX_LEAD) {
		verr(x, s->no, 3, "edifact.pat.days",
		     "PAT period count '%s' is not a whole number of periods up to %d",
		     SHOWN(sh, v, n), MAX_LEAD);
		return -1;
	}
	if (streq(type, "D"))
		return (int32_t)d;
	if (streq(type, "W"))
		return (int32_t)(d * 7);
	warn(x, s->no, 3, "edifact.pat.period",
	     "PAT period type '%s' is not days (D) or weeks (W): these payment terms are not used",
	     SHOWN(sh, type, tn));
	return -1;
}

/* ---- allowances and charges (SG ALC) ------------------------------ */

/* The group in a ends: its signed amount joins c (bad: the line's flag, or NULL). */
static void alc_close(ctx *x, alc *a, charges *c, int *bad)
{
	char v[BID_DEC_FMT_MAX];

	if (!a->active)
		return;
	a->active = 0;
	if (a->bad) {
		c->bad = 1;
		if (bad)
			*bad = 1;
		return;
	}
	if (a->sign == 0)
		return;                       /* ALC+N: no allowance or charge */
	if (!a->has_amt) {
		if (a->has_pcd)
			warn(x, a->no, 1, "edifact.alc.percent", "ALC+%c in segment %u gives a "
			     "percentage (PCD) and no amount (MOA+8, 23 or 204): not used",
			     a->sign > 0 ? 'C' : 'A', (unsigned)a->no);
		else
			warn(x, a->no, 1, "edifact.alc.amount", "ALC+%c in segment %u has no amount "
			     "(MOA+8, 23 or 204): not used", a->sign > 0 ? 'C' : 'A', (unsigned)a->no);
		return;
	}
	if (a->cur[0]) {
		if (!c->cur[0])
			memcpy(c->cur, a->cur, 4);
		else if (!streq(a->cur, c->cur)) {
			verr(x, a->amt_no, 1, "edifact.alc.currency", "MOA allowance or charge amount "
			     "in %s, but an earlier one is in %s", a->cur, c->cur);
			c->bad = 1;
			if (bad)
				*bad = 1;
			return;
		}
	}
	if (__builtin_add_overflow(c->sum, a->sign * a->amt, &c->sum) || c->sum == INT64_MIN) {
		verr(x, a->amt_no, 1, "edifact.alc.range", "allowances and charges add up to more "
		     "than a decimal can hold (at %s)", bid_dec_format(v, sizeof(v), a->amt, 0));
		c->bad = 1;
		if (bad)
			*bad = 1;
		return;
	}
	c->n++;
}

/* ALC: a new group (the previous one ends). */
static void alc_open(ctx *x, const seg *s, alc *a, charges *c, int *bad)
{
	const char *q = cstr(s, 1, 1);
	char sh[24];

	alc_close(x, a, c, bad);
	memset(a, 0, sizeof(*a));
	a->active = 1;
	a->no = s->no;
	if (c->pos.line == 0) {
		c->pos = seg_at(s, 1);
	}
	if (streq(q, "C"))
		a->sign = 1;
	else if (streq(q, "A"))
		a->sign = -1;
	else if (!streq(q, "N")) {
		verr(x, s->no, 1, "edifact.alc.indicator", "ALC allowance or charge qualifier '%s' "
		     "is not C (charge), A (allowance) or N (neither)",
		     SHOWN(sh, q, strlen(q)));
		a->bad = 1;
	}
}

/* MOA inside an ALC group: its first 8, 23 or 204 is the amount. */
static void alc_moa(ctx *x, const seg *s, alc *a)
{
	const char *q = cstr(s, 1, 1), *c;
	int qsign = streq(q, "23") ? 1 : streq(q, "204") ? -1 : streq(q, "8") ? 0 : 2;
	char sh[24];
	size_t n;

	if (!a->active || qsign == 2 || a->has_amt || a->bad)
		return;
	if (num(x, &a->amt, s, 1, 2, "MOA allowance or charge amount") != 0) {
		a->bad = 1;
		return;
	}
	if (a->amt < 0) {
		verr(x, s->no, 1, "edifact.alc.value", "MOA+%s allowance or charge amount %s is "
		     "negative: the ALC qualifier gives the sign", q,
		     SHOWN(sh, cstr(s, 1, 2), strlen(cstr(s, 1, 2))));
		a->bad = 1;
		return;
	}
	if (qsign && a->sign && qsign != a->sign) {
		verr(x, s->no, 1, "edifact.alc.qualifier", "MOA+%s is %s amount, but ALC segment %u "
		     "says %s", q, qsign > 0 ? "a charge" : "an allowance", (unsigned)a->no,
		     a->sign > 0 ? "charge (C)" : "allowance (A)");
		a->bad = 1;
		return;
	}
	c = cs(s, 1, 3, &n);
	if (n) {
		if (n != 3 || !bid_currency_is_known(c)) {
			verr(x, s->no, 1, "edifact.alc.currency", "MOA currency '%s' is not an ISO 4217 "
			     "code", SHOWN(sh, c, n));
			a->bad = 1;
			return;
		}
		memcpy(a->cur, c, 4);
	}
	a->has_amt = 1;
	a->amt_no = s->no;
}

static void header_seg(ctx *x, const seg *s)
{
	const char *q = cstr(s, 1, 1);
	bid_date d;
	size_t n;

	if (is_tag(s, "BGM")) {
		if (take_id(x, x->quote_id, MAX_ID, s, 2, 1, "document number"))
			x->h.quote_id = x->quote_id;
	} else if (is_tag(s, "DTM")) {
		if (streq(q, "137") && dtm_date(x, s, &d) == 0)
			x->h.issue_date = d;
		else if (streq(q, "36") && dtm_date(x, s, &d) == 0)
			x->h.valid_until = d;
	} else if (is_tag(s, "CUX")) {
		x->hsub = SUB_OTHER;
		cs(s, 1, 2, &n);
		if (!x->currency[0] && n && (!q[0] || streq(q, "2"))) {
			const char *c = cstr(s, 1, 2);
			char sh[24];

			if (n != 3 || !bid_currency_is_known(c))
				verr(x, s->no, 1, "edifact.cux.code",
				     "CUX currency '%s' is not an ISO 4217 code: expected e.g. EUR or GBP",
				     SHOWN(sh, c, n));
			else {
				memcpy(x->currency, c, 4);
				x->h.currency = x->currency;
				x->cur_pos = seg_at(s, 1);
			}
		}
	} else if (is_tag(s, "NAD")) {
		x->hsub = SUB_NAD;
		if (streq(q, "SU"))
			set_supplier(x, s, 3);
		else if (streq(q, "FR"))       /* EDIEL: the message sender */
			set_supplier(x, s, 2);
	} else if (is_tag(s, "RFF")) {
		x->hsub = SUB_RFF;
		if (streq(q, "ON") && !x->rfq_ref[0] &&
		    take_id(x, x->rfq_ref, MAX_ID, s, 1, 2, "reference"))
			x->h.rfq_ref = x->rfq_ref;
	} else if (is_tag(s, "PAT")) {
		int32_t days = pat_days(x, s);

		x->hsub = SUB_PAT;
		x->pat_days = days;
		if (days >= 0 && !streq(q, "22") && !x->h.has_pay_days) {
			x->h.pay_days = days;
			x->h.has_pay_days = 1;
		}
	} else if (is_tag(s, "PCD")) {
		/* PCD+12 (discount) in a PAT group: the early-payment discount. */
		if (x->hsub == SUB_PAT && streq(q, "12") && !x->h.has_discount &&
		    num(x, &x->h.discount_pct, s, 1, 2, "PCD discount percentage") == 0) {
			x->h.has_discount = 1;
			x->h.discount_days = x->pat_days >= 0 ? x->pat_days : 0;
		}
		if (x->hsub == SUB_ALC)
			x->halc.has_pcd = 1;
	} else if (is_tag(s, "ALC")) {
		x->hsub = SUB_ALC;
		alc_open(x, s, &x->halc, &x->hchg, NULL);
	} else if (is_tag(s, "MOA")) {
		if (x->hsub == SUB_ALC)
			alc_moa(x, s, &x->halc);
	} else if (is_tag(s, "TOD")) {
		x->hsub = SUB_OTHER;
		if (!x->incoterm[0] && take_id(x, x->incoterm, sizeof(x->incoterm), s, 3, 1,
		                               "delivery terms code"))
			x->h.incoterm = x->incoterm;
	} else if (is_tag(s, "TAX") || is_tag(s, "TDT") ||
	           is_tag(s, "LOC") || is_tag(s, "PAC") || is_tag(s, "APR")) {
		x->hsub = SUB_OTHER;
	}
}

/* A summary segment read ahead (quietly): the stated total for the header. */
static void summary_peek(ctx *x, const seg *s)
{
	const char *q = cstr(s, 1, 1);
	int rank = streq(q, "86") ? 2 : streq(q, "79") ? 1 : 0;
	const char *v, *c;
	size_t n, cn, i;
	char tmp[64];

	if (!is_tag(s, "MOA") || rank <= x->total_rank)
		return;
	v = cs(s, 1, 2, &n);
	if (n == 0 || n >= sizeof(tmp))
		return;
	for (i = 0; i < n; i++)
		tmp[i] = v[i] == ',' ? '.' : v[i];
	if (bid_dec_parse(&x->h.total, tmp, n, NULL) != 0)
		return;
	x->h.has_total = 1;
	x->h.total_pos = seg_at(s, 1);
	x->total_rank = rank;
	c = cs(s, 1, 3, &cn);
	x->total_currency[0] = '\0';
	if (cn == 3)
		memcpy(x->total_currency, c, 4);
	x->h.total_currency = x->total_currency[0] ? x->total_currency
	                                           : x->currency[0] ? x->currency : NULL;
}

/* ---- lines -------------------------------------------------------- */

static void line_start(ctx *x, const seg *s)
{
	line *ln = &x->ln;

	ln->active = 1;
	ln->bad = 0;
	ln->sub = SUB_LIN;
	ln->no = s->no;
	memset(&ln->l, 0, sizeof(ln->l));
	ln->l.delivery_date = BID_DATE_NONE;
	ln->l.pos[BID_F_LINE] = seg_at(s, 1);
	memset(ln->parts, 0, sizeof(ln->parts));
	ln->line_id[0] = ln->unit[0] = ln->currency[0] = ln->manufacturer[0] = ln->origin[0] = '\0';
	ln->ntitle = ln->nsubtitle = ln->nother = 0;
	ln->title[0] = ln->subtitle[0] = ln->other[0] = '\0';
	ln->imd_into = 0;
	ln->imd_no = 0;
	ln->qty_rank = ln->dtm_rank = 0;
	ln->npri = 0;
	memset(&ln->alc, 0, sizeof(ln->alc));
	memset(&ln->chg, 0, sizeof(ln->chg));
	x->nlin++;
	if (take_id(x, ln->line_id, MAX_ID, s, 1, 1, "line number"))
		ln->l.line_id = ln->line_id;
	take_part(x, s, 3);
}

static void line_imd(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *code = cstr(s, 2, 1);
	size_t n1, n2, nc, *len;
	const char *t1 = cs(s, 3, 4, &n1), *t2 = cs(s, 3, 5, &n2);
	char *dst;
	int into, cut = 0;

	if (n1 + n2 == 0)
		return;                       /* a coded description: no text */
	/* Consecutive IMDs with one code continue one text (split titles). */
	if (ln->imd_into && ln->imd_no + 1 == s->no && strlen(code) < sizeof(ln->imd_code) &&
	    streq(code, ln->imd_code))
		into = ln->imd_into;
	else if (streq(code, "050") && !ln->ntitle)
		into = 1;
	else if (streq(code, "060") && !ln->nsubtitle)
		into = 2;
	else if (!ln->nother && !streq(code, "050") && !streq(code, "060"))
		into = 3;
	else
		into = 0;
	ln->imd_no = s->no;
	ln->imd_into = into;
	nc = strlen(code);
	if (nc >= sizeof(ln->imd_code))
		nc = 0;
	memcpy(ln->imd_code, code, nc);
	ln->imd_code[nc] = '\0';
	if (!into)
		return;
	dst = into == 1 ? ln->title : into == 2 ? ln->subtitle : ln->other;
	len = into == 1 ? &ln->ntitle : into == 2 ? &ln->nsubtitle : &ln->nother;
	cut |= append(dst, MAX_DESC, len, t1, n1);
	cut |= append(dst, MAX_DESC, len, t2, n2);
	if (cut)
		warn(x, s->no, 3, "edifact.text.long",
		     "IMD item text is longer than %d bytes: cut there", MAX_DESC - 1);
}

static void line_qty(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *q = cstr(s, 1, 1);
	bid_dec v;
	char sh[24];
	int rank;

	if (ln->sub == SUB_LOC || ln->sub == SUB_ALC || ln->sub == SUB_OTHER)
		return;                       /* a location's or a charge's quantity */
	rank = streq(q, "21") ? 2 : streq(q, "1") ? 1 : 0;
	if (rank) {
		if (ln->qty_rank || num(x, &v, s, 1, 2, "QTY quantity") != 0) {
			if (!ln->qty_rank)
				ln->bad = 1;
			return;
		}
		if (v <= 0) {
			verr(x, s->no, 1, "edifact.qty.value",
			     "QTY+%s quantity %s is not above zero: expected a positive quantity",
			     q, SHOWN(sh, cstr(s, 1, 2), strlen(cstr(s, 1, 2))));
			ln->bad = 1;
			return;
		}
		ln->qty_rank = rank;
		ln->l.qty = v;
		ln->l.has_qty = 1;
		ln->l.pos[BID_F_QTY] = seg_at(s, 1);
		if (take_id(x, ln->unit, MAX_CODE, s, 1, 3, "unit")) {
			ln->l.unit = ln->unit;
			ln->l.pos[BID_F_UNIT] = seg_at(s, 1);
		}
	} else if (streq(q, "53") || streq(q, "54")) {
		int min = q[1] == '3';

		if ((min ? ln->l.has_min_qty : ln->l.has_max_qty))
			return;
		if (num(x, &v, s, 1, 2, min ? "QTY minimum order quantity"
		                            : "QTY maximum quantity") != 0) {
			ln->bad = 1;
			return;
		}
		if (v < 0 || (!min && v == 0)) {
			verr(x, s->no, 1, "edifact.qty.value",
			     "QTY+%s quantity %s is %s: expected a positive quantity", q,
			     SHOWN(sh, cstr(s, 1, 2), strlen(cstr(s, 1, 2))),
			     v < 0 ? "negative" : "zero");
			ln->bad = 1;
			return;
		}
		if (min) {
			ln->l.min_qty = v;
			ln->l.has_min_qty = 1;
			ln->l.pos[BID_F_MIN_QTY] = seg_at(s, 1);
		} else {
			ln->l.max_qty = v;
			ln->l.has_max_qty = 1;
			ln->l.pos[BID_F_MAX_QTY] = seg_at(s, 1);
		}
	}
}

static void line_pri(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *q = cstr(s, 1, 1);
	pri *p;
	size_t i, n;
	char sh[48];
	bid_dec v;

	ln->sub = SUB_PRI;
	for (i = 0; i < sizeof(pri_quals) / sizeof(pri_quals[0]); i++)
		if (streq(q, pri_quals[i].code))
			break;
	if (i == sizeof(pri_quals) / sizeof(pri_quals[0])) {
		if (streq(q, "AAG")) {
			warn(x, s->no, 1, "edifact.pri.component",
			     "PRI+AAG is an additive price component, not a unit price: ignored");
			ln->sub = SUB_OTHER;
			return;
		}
		verr(x, s->no, 1, "edifact.pri.qualifier",
		     "PRI price qualifier '%s' is not known: expected AAA (net), AAB (gross), "
		     "AAE/AAC (tax included), AAF, CAL, INV or INF", SHOWN(sh, q, strlen(q)));
		ln->bad = 1;
		ln->sub = SUB_OTHER;
		return;
	}
	if (ln->npri == MAX_PRI) {
		verr(x, s->no, 1, "edifact.pri.max",
		     "more than %d PRI groups in the line of LIN segment %u: the importer "
		     "caps price breaks there", MAX_PRI, (unsigned)ln->no);
		ln->bad = 1;
		ln->sub = SUB_OTHER;
		return;
	}
	cs(s, 1, 2, &n);
	if (n == 0) {
		verr(x, s->no, 1, "edifact.pri.missing",
		     "PRI+%s has no price: expected PRI+%s:<price>", q, q);
		ln->bad = 1;
		ln->sub = SUB_OTHER;
		return;
	}
	if (num(x, &v, s, 1, 2, "PRI price") != 0) {
		ln->bad = 1;
		ln->sub = SUB_OTHER;
		return;
	}
	if (v <= 0) {
		verr(x, s->no, 1, "edifact.pri.value",
		     "PRI+%s price %s is %s: expected a price above zero", q,
		     SHOWN(sh, cstr(s, 1, 2), n), v < 0 ? "negative" : "zero");
		ln->bad = 1;
		ln->sub = SUB_OTHER;
		return;
	}
	p = &ln->pri[ln->npri++];
	memset(p, 0, sizeof(*p));
	p->rank = pri_quals[i].rank;
	p->kind = pri_quals[i].kind;
	memcpy(p->qual, q, 4);
	p->price = v;
	p->pos = seg_at(s, 1);
	/* 5284 unit price basis and 6411 its unit: "45.5 per 100 KGM". */
	cs(s, 1, 5, &n);
	if (n) {
		if (num(x, &p->basis, s, 1, 5, "PRI unit price basis") != 0) {
			ln->bad = 1;
			return;
		}
		if (p->basis <= 0) {
			verr(x, s->no, 1, "edifact.pri.basis",
			     "PRI unit price basis %s is not above zero: expected the quantity "
			     "the price buys", SHOWN(sh, cstr(s, 1, 5), n));
			ln->bad = 1;
			return;
		}
		p->has_basis = 1;
		p->basis_pos = p->pos;
	}
	take_id(x, p->basis_unit, MAX_CODE, s, 1, 6, "price basis unit");
}

static void line_rng(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	pri *p;
	const char *type = cstr(s, 1, 1);
	char sh[24];
	size_t n;

	if (ln->sub != SUB_PRI || ln->npri == 0)
		return;                       /* a charge's or a discount's range */
	p = &ln->pri[ln->npri - 1];
	if (!streq(type, "4")) {
		warn(x, s->no, 1, "edifact.rng.type",
		     "RNG range type '%s' is not a quantity range (4): ignored",
		     SHOWN(sh, type, strlen(type)));
		return;
	}
	if (p->has_rng) {
		warn(x, s->no, 1, "edifact.rng.repeat",
		     "a second RNG for one PRI: only the first gives the tier's quantity");
		return;
	}
	cs(s, 2, 2, &n);
	if (n == 0)
		p->from = 0;
	else if (num(x, &p->from, s, 2, 2, "RNG minimum quantity") != 0) {
		ln->bad = 1;
		return;
	} else if (p->from < 0) {
		verr(x, s->no, 2, "edifact.rng.value",
		     "RNG minimum quantity %s is negative: expected the quantity from which "
		     "the price applies", SHOWN(sh, cstr(s, 2, 2), n));
		ln->bad = 1;
		return;
	}
	p->has_rng = 1;
	p->rng_pos = seg_at(s, 2);
}

static void line_cux(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *q = cstr(s, 1, 1);
	size_t n;
	const char *c = cs(s, 1, 2, &n);
	char sh[24];
	char *dst;

	if (ln->sub == SUB_OTHER || ln->sub == SUB_ALC || n == 0 || (q[0] && !streq(q, "2")))
		return;
	dst = ln->sub == SUB_PRI && ln->npri ? ln->pri[ln->npri - 1].cur : ln->currency;
	if (dst[0])
		return;
	if (n != 3 || !bid_currency_is_known(c)) {
		verr(x, s->no, 1, "edifact.cux.code",
		     "CUX currency '%s' is not an ISO 4217 code: expected e.g. EUR or GBP",
		     SHOWN(sh, c, n));
		ln->bad = 1;
		return;
	}
	memcpy(dst, c, 4);
	if (dst == ln->currency) {
		ln->cur_pos = seg_at(s, 1);
	} else {
		ln->pri[ln->npri - 1].cur_pos = seg_at(s, 1);
	}
}

static void line_dtm(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *q = cstr(s, 1, 1);
	int rank = streq(q, "69") ? 3 : streq(q, "63") ? 2 : streq(q, "2") ? 1 : 0;
	bid_date d;

	if (rank) {
		if (rank <= ln->dtm_rank)
			return;
		if (dtm_date(x, s, &d) != 0) {
			ln->bad = 1;
			return;
		}
		ln->dtm_rank = rank;
		ln->l.delivery_date = d;
		ln->l.pos[BID_F_DELIVERY] = seg_at(s, 1);
	} else if (streq(q, "169") && !ln->l.has_lead_time) {
		size_t n, fn;
		const char *v = cs(s, 1, 2, &n), *f = cs(s, 1, 3, &fn);
		long days = count(v, n);
		char sh[24], shf[24];

		if (fn && !streq(f, "804") && !streq(f, "803")) {
			verr(x, s->no, 1, "edifact.dtm.lead",
			     "DTM+169 lead time format '%s' is not days (804) or weeks (803)",
			     SHOWN(shf, f, fn));
			ln->bad = 1;
			return;
		}
		if (days >= 0 && fn && f[2] == '3')
			days *= 7;
		if (days < 0 || days > MAX_LEAD) {
			verr(x, s->no, 1, "edifact.dtm.lead",
			     "DTM+169 lead time '%s' is not a whole number of days up to %d",
			     SHOWN(sh, v, n), MAX_LEAD);
			ln->bad = 1;
			return;
		}
		ln->l.lead_time_days = (int32_t)days;
		ln->l.has_lead_time = 1;
		ln->l.pos[BID_F_LEAD_TIME] = seg_at(s, 1);
	}
}

static void line_seg(ctx *x, const seg *s)
{
	line *ln = &x->ln;
	const char *q = cstr(s, 1, 1);
	size_t n;

	switch (s->tag[0]) {
	case 'A':
		if (is_tag(s, "ALI")) {
			/* ALI 3239: country of origin. */
			cs(s, 1, 1, &n);
			if (n == 2 && !ln->origin[0] && q[0] >= 'A' && q[0] <= 'Z' &&
			    q[1] >= 'A' && q[1] <= 'Z')
				memcpy(ln->origin, q, 3);
			return;
		}
		if (is_tag(s, "ALC")) {
			ln->sub = SUB_ALC;
			alc_open(x, s, &ln->alc, &ln->chg, &ln->bad);
		} else if (is_tag(s, "AJT"))
			ln->sub = SUB_OTHER;
		return;
	case 'C':
		if (is_tag(s, "CUX"))
			line_cux(x, s);
		else if (is_tag(s, "CCI"))
			ln->sub = SUB_OTHER;
		return;
	case 'D':
		if (is_tag(s, "DTM"))
			line_dtm(x, s);
		return;
	case 'I':
		if (is_tag(s, "IMD"))
			line_imd(x, s);
		return;
	case 'L':
		if (is_tag(s, "LOC")) {
			ln->sub = SUB_LOC;
			cs(s, 2, 1, &n);
			/* LOC+27: country of origin. */
			if (streq(q, "27") && n == 2 && !ln->origin[0])
				memcpy(ln->origin, cstr(s, 2, 1), 3);
		}
		return;
	case 'M':
		if (is_tag(s, "MOA") && ln->sub == SUB_ALC) {
			alc_moa(x, s, &ln->alc);
			return;
		}
		if (is_tag(s, "MOA") && ln->sub != SUB_OTHER && streq(q, "203") &&
		    !ln->l.has_line_amount) {
			bid_dec v;
			char sh[24];

			if (num(x, &v, s, 1, 2, "MOA line amount") != 0) {
				ln->bad = 1;
				return;
			}
			if (v < 0) {
				verr(x, s->no, 1, "edifact.moa.value",
				     "MOA+203 line amount %s is negative: expected an amount of zero "
				     "or more", SHOWN(sh, cstr(s, 1, 2), strlen(cstr(s, 1, 2))));
				ln->bad = 1;
				return;
			}
			ln->l.line_amount = v;
			ln->l.has_line_amount = 1;
			ln->moa_pos = seg_at(s, 1);
		}
		return;
	case 'N':
		if (is_tag(s, "NAD")) {
			ln->sub = SUB_NAD;
			if (streq(q, "MF") && !ln->manufacturer[0]) {
				join(x, ln->manufacturer, MAX_NAME, s, 4, 1, 5, "manufacturer name");
				if (!ln->manufacturer[0])
					take_id(x, ln->manufacturer, MAX_NAME, s, 2, 1, "manufacturer id");
			}
		}
		return;
	case 'P':
		if (is_tag(s, "PRI"))
			line_pri(x, s);
		else if (is_tag(s, "PIA")) {
			uint32_t e;

			for (e = 2; e <= 6; e++)
				take_part(x, s, e);
		} else if (is_tag(s, "PAT")) {
			int32_t days = pat_days(x, s);

			ln->sub = SUB_PAT;
			if (days >= 0 && !streq(q, "22") && !ln->l.has_pay_days) {
				ln->l.pay_days = days;
				ln->l.has_pay_days = 1;
			}
		} else if (is_tag(s, "PAC"))
			ln->sub = SUB_OTHER;
		else if (is_tag(s, "PCD") && ln->sub == SUB_ALC)
			ln->alc.has_pcd = 1;
		return;
	case 'Q':
		if (is_tag(s, "QTY"))
			line_qty(x, s);
		return;
	case 'R':
		if (is_tag(s, "RNG"))
			line_rng(x, s);
		else if (is_tag(s, "RFF")) {
			ln->sub = SUB_RFF;
			if ((streq(q, "QLI") || streq(q, "LI") || streq(q, "ON")) &&
			    !ln->parts[BID_PART_RFQ_LINE][0] &&
			    take_id(x, ln->parts[BID_PART_RFQ_LINE], MAX_ID, s, 1, 2, "line reference")) {
				ln->l.part_ids[BID_PART_RFQ_LINE] = ln->parts[BID_PART_RFQ_LINE];
				if (!ln->l.pos[BID_F_PART].line) {
					ln->l.pos[BID_F_PART] = seg_at(s, 1);
				}
			}
		} else if (is_tag(s, "RCS"))
			ln->sub = SUB_OTHER;
		return;
	case 'T':
		if (is_tag(s, "TAX") || is_tag(s, "TOD") || is_tag(s, "TDT"))
			ln->sub = SUB_OTHER;
		return;
	case 'E':
	case 'S':
		if (is_tag(s, "EQD") || is_tag(s, "SCC"))
			ln->sub = SUB_OTHER;
		return;
	default:
		return;
	}
}

/* qty x price / basis, exactly (rounded half-even at the 6th digit). */
static int extend(bid_dec *out, bid_dec qty, bid_dec price, bid_dec basis)
{
	int64_t num_[3], den[2];

	num_[0] = qty;
	num_[1] = price;
	num_[2] = BID_DEC_SCALE;
	den[0] = BID_DEC_SCALE;
	den[1] = basis > 0 ? basis : BID_DEC_SCALE;
	return bid_dec_ratio(out, num_, 3, den, 2, NULL);
}

/* The line is complete: choose its price, check it, hand it over. */
static void line_finish(ctx *x)
{
	line *ln = &x->ln;
	bid_quote_line *l = &ln->l;
	const pri *best = NULL;
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], c[BID_DEC_FMT_MAX];
	size_t i, nt = 0;
	int any_rng = 0, i_part, rc;
	bid_dec amount, tier_price;

	if (!ln->active)
		return;
	ln->active = 0;
	alc_close(x, &ln->alc, &ln->chg, &ln->bad);

	/* Net is preferred; prices of another qualifier are never mixed in. */
	for (i = 0; i < (size_t)ln->npri; i++)
		if (!best || ln->pri[i].rank < best->rank)
			best = &ln->pri[i];
	if (best) {
		for (i = 0; i < (size_t)ln->npri; i++)
			if (ln->pri[i].rank == best->rank && ln->pri[i].has_rng)
				any_rng = 1;
		for (i = 0; i < (size_t)ln->npri; i++) {
			const pri *p = &ln->pri[i];

			if (p->rank != best->rank)
				continue;
			if (!p->has_rng && nt > 0) {
				verr(x, p->pos.line, 1, "edifact.rng.missing",
				     "PRI+%s is a second price for the line of LIN segment %u without a "
				     "RNG quantity range: expected RNG+4+<unit>:<from qty> after it",
				     p->qual, (unsigned)ln->no);
				ln->bad = 1;
				continue;
			}
			if (nt > 0 && p->from <= ln->tiers[nt - 1].from_qty) {
				verr(x, p->rng_pos.line, 2, "edifact.rng.order",
				     "price break from quantity %s does not follow the previous one (%s): "
				     "expected tiers in increasing order of quantity",
				     bid_dec_format(a, sizeof(a), p->from, 0),
				     bid_dec_format(b, sizeof(b), ln->tiers[nt - 1].from_qty, 0));
				ln->bad = 1;
				continue;
			}
			ln->tiers[nt].from_qty = p->has_rng ? p->from : 0;
			ln->tiers[nt].price = p->price;
			ln->tiers[nt].pos = p->pos;
			nt++;
		}
		l->price = best->price;
		l->pos[BID_F_PRICE] = best->pos;
		if (best->has_basis) {
			l->basis_qty = best->basis;
			l->pos[BID_F_BASIS] = best->basis_pos;
		}
		l->basis_unit = best->basis_unit[0] ? best->basis_unit : NULL;
		if (any_rng) {
			l->tiers = ln->tiers;
			l->ntiers = nt;
			l->tier_type = BID_TIER_ALL_UNITS;
		}
		if (best->kind == PK_TAX) {
			l->tax_included = 1;
			warn(x, best->pos.line, 1, "edifact.pri.tax_included",
			     "PRI+%s price includes tax: the line is marked tax-included, not "
			     "compared as a net price", best->qual);
		} else if (best->kind == PK_GROSS)
			warn(x, best->pos.line, 1, "edifact.pri.gross",
			     "PRI+AAB is a gross price before allowances and charges: no net price "
			     "(PRI+AAA) was given for this line");
		if (best->cur[0]) {
			memcpy(ln->currency, best->cur, 4);
			ln->cur_pos = best->cur_pos;
		}
	} else if (l->has_line_amount && l->has_qty && !ln->bad) {
		/* No PRI: the unit price follows from MOA+203 and QTY (Koha does this). */
		if (bid_dec_div(&l->price, l->line_amount, l->qty, NULL) != 0 || l->price <= 0) {
			verr(x, ln->no, 1, "edifact.pri.missing",
			     "the line of LIN segment %u has no PRI and its MOA+203 amount %s gives "
			     "no price above zero: expected PRI+AAA:<price>", (unsigned)ln->no,
			     bid_dec_format(a, sizeof(a), l->line_amount, 0));
			ln->bad = 1;
		} else {
			l->pos[BID_F_PRICE] = l->pos[BID_F_QTY];
			warn(x, ln->no, 1, "edifact.pri.derived",
			     "the line of LIN segment %u has no PRI: unit price %s is its MOA+203 "
			     "amount %s over its quantity %s", (unsigned)ln->no,
			     bid_dec_format(a, sizeof(a), l->price, 0),
			     bid_dec_format(b, sizeof(b), l->line_amount, 0),
			     bid_dec_format(c, sizeof(c), l->qty, 0));
		}
	} else if (!ln->bad) {
		verr(x, ln->no, 1, "edifact.pri.missing",
		     "the line of LIN segment %u has no price: expected PRI+AAA:<price> "
		     "(or MOA+203 with QTY)", (unsigned)ln->no);
		ln->bad = 1;
	}

	/* The currency: the price's, the line's, else the message's. */
	if (ln->currency[0]) {
		l->currency = ln->currency;
		l->pos[BID_F_CURRENCY] = ln->cur_pos;
	} else if (x->currency[0]) {
		l->currency = x->currency;
		l->pos[BID_F_CURRENCY] = x->cur_pos;
	} else if (!ln->bad) {
		verr(x, ln->no, 1, "edifact.cux.missing",
		     "the line of LIN segment %u has no currency: expected CUX+2:<ISO 4217 code> "
		     "in the message header or the line", (unsigned)ln->no);
		ln->bad = 1;
	}

	/* The line's charges are in its currency. */
	if (ln->chg.n && !ln->chg.bad && l->currency) {
		if (ln->chg.cur[0] && !streq(ln->chg.cur, l->currency)) {
			verr(x, ln->chg.pos.line, 1, "edifact.alc.currency", "the line of LIN segment %u "
			     "has allowances or charges in %s, but its price is in %s",
			     (unsigned)ln->no, ln->chg.cur, l->currency);
			ln->bad = 1;
		} else {
			l->charges = ln->chg.sum;
			l->has_charges = 1;
		}
	}

	for (i_part = 0; i_part < BID_PART__COUNT; i_part++)
		if (l->part_ids[i_part])
			break;
	if (i_part == BID_PART__COUNT && !ln->bad) {
		verr(x, ln->no, 3, "edifact.lin.item",
		     "the line of LIN segment %u names no item: expected LIN+n++<item id>:<type> "
		     "or PIA", (unsigned)ln->no);
		ln->bad = 1;
	}

	/* Description: the title and its subtitle, else the first text. */
	ln->desc[0] = '\0';
	if (ln->ntitle) {
		size_t len = 0;

		append(ln->desc, MAX_DESC, &len, ln->title, ln->ntitle);
		if (ln->nsubtitle) {
			append(ln->desc, MAX_DESC, &len, ": ", 2);
			append(ln->desc, MAX_DESC, &len, ln->subtitle, ln->nsubtitle);
		}
		l->description = ln->desc;
	} else if (ln->nother)
		l->description = ln->other;
	else if (ln->nsubtitle)
		l->description = ln->subtitle;
	l->manufacturer = ln->manufacturer[0] ? ln->manufacturer : NULL;
	l->origin_country = ln->origin[0] ? ln->origin : NULL;

	if (ln->bad) {
		x->sum_ok = 0;
		return;
	}

	/* Stated line amount against quantity x price (at the tier the quantity
	 * reaches), in the currency's minor units. */
	tier_price = l->price;
	for (i = 0; i < l->ntiers; i++)
		if (l->has_qty && l->tiers[i].from_qty <= l->qty)
			tier_price = l->tiers[i].price;
	if (!l->has_line_amount && !x->h.has_total)
		amount = 0;                   /* nothing to check: skip the arithmetic */
	else if (l->has_qty && extend(&amount, l->qty, tier_price, l->basis_qty) == 0) {
		if (l->has_line_amount && best &&
		    bid_money_round(amount, l->currency) != bid_money_round(l->line_amount, l->currency))
			warn(x, ln->moa_pos.line, 1, "edifact.moa.line",
			     "MOA+203 line amount %s does not match quantity x price = %s",
			     bid_dec_format(a, sizeof(a), l->line_amount, 0),
			     bid_dec_format(b, sizeof(b), amount, 0));
		if (l->has_line_amount)
			amount = l->line_amount;
	} else if (l->has_line_amount)
		amount = l->line_amount;
	else
		x->sum_ok = 0;
	/* A total only adds up in one currency. */
	if (!streq(l->currency, x->currency))
		x->sum_ok = 0;
	if (x->sum_ok && ((amount > 0 && x->sum > BID_DEC_MAX - amount)))
		x->sum_ok = 0;
	else if (x->sum_ok)
		x->sum += amount;

	if (!x->h_ok)
		return;
	if (x->sink->quote_line && (rc = x->sink->quote_line(l, x->sink->payload)) < 0 && !x->rc)
		x->rc = bid_import__stopped(x->err, rc, x->name, l->pos[BID_F_LINE]);
}

/* ---- messages and interchanges ------------------------------------ */

static void message_reset(ctx *x)
{
	memset(&x->h, 0, sizeof(x->h));
	x->h.issue_date = x->h.valid_from = x->h.valid_until = BID_DATE_NONE;
	x->h_ok = 0;
	x->sup_rank = 0;
	x->supplier_id[0] = x->supplier_name[0] = x->quote_id[0] = x->rfq_ref[0] = '\0';
	x->currency[0] = x->incoterm[0] = x->total_currency[0] = '\0';
	x->hsub = SUB_OTHER;
	x->total_rank = 0;
	x->pat_days = -1;
	x->nlin = 0;
	x->sum = 0;
	x->sum_ok = 1;
	memset(&x->halc, 0, sizeof(x->halc));
	memset(&x->hchg, 0, sizeof(x->hchg));
	x->ln.active = 0;
	/* The interchange sender is the supplier until a NAD says otherwise. */
	if (x->sender[0]) {
		memcpy(x->supplier_id, x->sender, sizeof(x->supplier_id));
		x->h.supplier_id = x->supplier_id;
		x->h.pos = x->sender_pos;
		x->sup_rank = 1;
	}
}

/* A service segment where a message segment was expected. */
static int misplaced(ctx *x, const seg *s)
{
	if (s->tag[0] != 'U' || s->tag[1] != 'N')
		return 0;
	if (is_tag(s, "UNH") || is_tag(s, "UNB") || is_tag(s, "UNZ") || is_tag(s, "UNA")) {
		fatal(x, s->no, 1, "edifact.envelope",
		      "%s in segment %u before the UNT that closes message '%s' (UNH segment %u): "
		      "expected UNT", s->tag, (unsigned)s->no, x->msg_ref, (unsigned)x->unh_no);
		return 1;
	}
	return 0;
}

/* The message's closing UNT: control counts and totals, as warnings. */
static void message_close(ctx *x, const seg *s)
{
	size_t n;
	const char *v = cs(s, 1, 1, &n), *ref = cstr(s, 2, 1);
	long declared = count(v, n);
	unsigned long actual = (unsigned long)(s->no - x->unh_no + 1);
	char sh[48], a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];

	if (declared < 0)
		warn(x, s->no, 1, "edifact.unt.count",
		     "UNT segment count '%s' is not a number of 1 to 6 digits (n..6); message '%s' "
		     "has %lu segments (UNH to UNT)", SHOWN(sh, v, n), x->msg_ref, actual);
	else if ((unsigned long)declared != actual)
		warn(x, s->no, 1, "edifact.unt.count",
		     "UNT declares %s segments but message '%s' has %lu (UNH to UNT)",
		     SHOWN(sh, v, n), x->msg_ref, actual);
	if (strcmp(ref, x->msg_ref) != 0)
		warn(x, s->no, 2, "edifact.unt.ref",
		     "UNT message reference '%s' does not match the UNH reference '%s'",
		     SHOWN(sh, ref, strlen(ref)), x->msg_ref);
	if (x->h.has_total && x->sum_ok && x->nlin && x->currency[0] &&
	    bid_money_round(x->sum, x->currency) != bid_money_round(x->h.total, x->currency))
		warn(x, x->h.total_pos.line, 1, "edifact.moa.total",
		     "MOA+%s total %s does not match the sum of the line amounts, %s",
		     x->total_rank == 2 ? "86" : "79",
		     bid_dec_format(a, sizeof(a), x->h.total, 0),
		     bid_dec_format(b, sizeof(b), x->sum, 0));
	if (x->nlin == 0)
		warn(x, x->unh_no, 1, "edifact.lin.none", "message '%s' has no LIN lines",
		     x->msg_ref);
}

/* UNH was just read: the whole message up to and including its UNT. */
static void message(ctx *x)
{
	seg *s = &x->s;
	tok *t = &x->t;
	const unsigned char *resume_p;
	uint32_t resume_no;
	char sh[48];
	int r, skip = 0, rc;

	x->nmsg++;
	x->unh_no = s->no;
	message_reset(x);
	snprintf(x->msg_ref, sizeof(x->msg_ref), "%s", SHOWN(sh, cstr(s, 1, 1),
	                                                     strlen(cstr(s, 1, 1))));
	if (!eq(s, 2, 1, "QUOTES")) {
		verr(x, s->no, 2, "edifact.unh.type",
		     "message '%s' is a %s message: expected QUOTES (a quote)", x->msg_ref,
		     SHOWN(sh, cstr(s, 2, 1), strlen(cstr(s, 2, 1))));
		skip = 1;
	} else
		x->nquotes++;

	/* Pass 1: the header, up to the first LIN or the summary. */
	for (;;) {
		resume_p = t->p;
		resume_no = t->segno;
		if ((r = next_seg(x, 0)) <= 0) {
			if (r == 0)
				fatal(x, t->segno, 1, "edifact.truncated",
				      "the file ends inside message '%s' (UNH segment %u): expected UNT "
				      "(truncated file?)", x->msg_ref, (unsigned)x->unh_no);
			return;
		}
		if (misplaced(x, s))
			return;
		if (skip) {
			if (is_tag(s, "UNT"))
				return;
			continue;
		}
		if (is_tag(s, "LIN") || is_tag(s, "UNS") || is_tag(s, "UNT"))
			break;
		header_seg(x, s);
		if (x->rc)
			return;
	}
	/* Read ahead to the summary for the stated total; errors there are
	 * left for pass 2 to report at their place. */
	if (!is_tag(s, "UNT")) {
		if (is_tag(s, "LIN"))
			skip_to_service(t, x->sink, x->base, &x->mark);
		while (next_seg(x, 1) > 0 && !is_tag(s, "UNT") && !is_tag(s, "UNH") &&
		       !is_tag(s, "UNZ") && !is_tag(s, "UNB"))
			summary_peek(x, s);
	}
	t->p = resume_p;
	t->segno = resume_no;

	/* The header's last ALC group ends with it; a refused amount leaves them all out. */
	alc_close(x, &x->halc, &x->hchg, NULL);
	if (x->hchg.n && !x->hchg.bad) {
		x->h.charges = x->hchg.sum;
		x->h.has_charges = 1;
		x->h.charges_currency = x->hchg.cur[0] ? x->hchg.cur : NULL;
		x->h.charges_pos = x->hchg.pos;
	}

	if (!x->h.supplier_id)
		verr(x, x->unh_no, 1, "edifact.nad.supplier",
		     "message '%s' names no supplier: expected NAD+SU+<id> or a UNB sender",
		     x->msg_ref);
	else if (x->sink->quote_header && (rc = x->sink->quote_header(&x->h, x->sink->payload)) < 0) {
		x->rc = bid_import__stopped(x->err, rc, x->name, x->h.pos);
		return;
	} else
		x->h_ok = 1;

	/* Pass 2: the lines and the summary. */
	for (;;) {
		if ((r = next_seg(x, 0)) <= 0) {
			if (r == 0)
				fatal(x, t->segno, 1, "edifact.truncated",
				      "the file ends inside message '%s' (UNH segment %u): expected UNT "
				      "(truncated file?)", x->msg_ref, (unsigned)x->unh_no);
			return;
		}
		if (misplaced(x, s))
			return;
		if (is_tag(s, "LIN")) {
			line_finish(x);
			line_start(x, s);
		} else if (is_tag(s, "UNS")) {
			line_finish(x);
		} else if (is_tag(s, "UNT")) {
			line_finish(x);
			if (!x->rc)
				message_close(x, s);
			return;
		} else if (x->ln.active)
			line_seg(x, s);
		else if (is_tag(s, "MOA")) {
			/* Summary: the stated total was read ahead; check its syntax here. */
			bid_dec v;
			const char *q = cstr(s, 1, 1);

			if (streq(q, "86") || streq(q, "79"))
				(void)num(x, &v, s, 1, 2, "MOA total");
		} else if (is_tag(s, "CNT") && eq(s, 1, 1, "2")) {
			size_t n;
			const char *v = cs(s, 1, 2, &n);
			long long c = count_n(v, n, 18);   /* control value: n..18 */

			if (c < 0 || (unsigned long long)c != x->nlin)
				warn(x, s->no, 1, "edifact.cnt.count",
				     "CNT+2 declares %s lines but the message has %u LIN segments",
				     SHOWN(sh, v, n), x->nlin);
		}
		if (x->rc)
			return;
	}
}

/* A UNA service string advice: the delimiters of this interchange. */
static int read_una(ctx *x)
{
	tok *t = &x->t;
	const unsigned char *p = t->p;
	int comp, elem, dec, rel, rep, term;
	uint32_t no = ++t->segno;

	if (t->end - p < 9) {
		fatal(x, no, 1, "edifact.una",
		      "UNA is cut short: expected UNA and six service characters");
		return -1;
	}
	comp = p[3], elem = p[4], dec = p[5], rel = p[6], rep = p[7], term = p[8];
	if (rel == ' ')
		rel = -1;                     /* no release character */
	(void)rep;
	/* Separators must be distinct and must not be letters, digits or space. */
	if (comp == elem || comp == term || elem == term || rel == comp || rel == elem ||
	    rel == term || !comp || !elem || !term || comp == ' ' || elem == ' ' || term == ' ' ||
	    (comp >= '0' && comp <= '9') || (elem >= '0' && elem <= '9') ||
	    (term >= '0' && term <= '9') || (rel >= '0' && rel <= '9') ||
	    ((comp | 0x20) >= 'a' && (comp | 0x20) <= 'z') ||
	    ((elem | 0x20) >= 'a' && (elem | 0x20) <= 'z') ||
	    ((term | 0x20) >= 'a' && (term | 0x20) <= 'z') ||
	    (rel >= 0 && ((rel | 0x20) >= 'a' && (rel | 0x20) <= 'z')) || rel == 0 ||
	    comp >= 0x80 || elem >= 0x80 || term >= 0x80 || rel >= 0x80 ||
	    is_ws(comp) || is_ws(elem) || is_ws(term)) {
		char a[8], b[8], c[8], d[8];

		snprintf(a, sizeof(a), "%s", shown_char(comp));
		snprintf(b, sizeof(b), "%s", shown_char(elem));
		snprintf(c, sizeof(c), "%s", shown_char(rel < 0 ? ' ' : rel));
		snprintf(d, sizeof(d), "%s", shown_char(term));
		fatal(x, no, 1, "edifact.una",
		      "UNA service characters %s %s %s %s (component, element, release, "
		      "terminator) are not distinct punctuation: expected e.g. UNA:+.? '",
		      a, b, c, d);
		return -1;
	}
	if (dec != '.' && dec != ',')
		warn(x, no, 1, "edifact.una",
		     "UNA decimal mark %s is neither '.' nor ',': both are accepted anyway",
		     shown_char(dec));
	tok_delims(t, comp, elem, rel, term);
	t->p = p + 9;
	return 0;
}

/* UNB was just read: note the charset, sender and reference. */
static void interchange_open(ctx *x)
{
	seg *s = &x->s;
	const char *cs_id = cstr(s, 1, 1);

	x->in_ic = 1;
	x->nmsg = x->ngrp = 0;
	/* UNOC is ISO 8859-1; UNOY/UNOW are UTF-8; the rest ASCII (we take UTF-8). */
	x->t.charset = streq(cs_id, "UNOC") ? CS_LATIN1 : CS_UTF8;
	x->sender[0] = x->ic_ref[0] = '\0';
	if (!take_id(x, x->sender, MAX_ID, s, 2, 1, "sender id"))
		x->sender[0] = '\0';
	x->sender_pos = seg_at(s, 2);
	snprintf(x->ic_ref, sizeof(x->ic_ref), "%.*s", MAX_ID - 1, cstr(s, 5, 1));
}

static void interchange_close(ctx *x)
{
	seg *s = &x->s;
	size_t n;
	const char *v = cs(s, 1, 1, &n), *ref = cstr(s, 2, 1);
	long declared = count(v, n);
	unsigned actual = x->ngrp ? x->ngrp : x->nmsg;
	char sh[48], sr[48], si[48];

	x->in_ic = 0;
	if (declared < 0)
		warn(x, s->no, 1, "edifact.unz.count",
		     "UNZ control count '%s' is not a number of 1 to 6 digits (n..6); the "
		     "interchange has %u %s", SHOWN(sh, v, n), actual, x->ngrp ? "groups" : "messages");
	else if ((unsigned long)declared != actual)
		warn(x, s->no, 1, "edifact.unz.count",
		     "UNZ declares %s %s but the interchange has %u",
		     SHOWN(sh, v, n), x->ngrp ? "groups" : "messages", actual);
	if (strcmp(ref, x->ic_ref) != 0)
		warn(x, s->no, 2, "edifact.unz.ref",
		     "UNZ interchange reference '%s' does not match the UNB reference '%s'",
		     SHOWN(sr, ref, strlen(ref)), SHOWN(si, x->ic_ref, strlen(x->ic_ref)));
}

/*
 * The tokenizer alone, for bench/bench_edifact.c (which declares it): every
 * segment of every interchange, each UNA honoured, no semantics.  Returns
 * the number of segments, or -1 on a syntax error.  Not part of any API.
 */
long bid_edifact__tokenize(const char *data, size_t len);

long bid_edifact__tokenize(const char *data, size_t len)
{
	static const bid_import_sink none;
	ctx *x;
	long n = 0;
	int r = 0;

	if (!(x = calloc(1, sizeof(*x))) || !(x->s.buf = malloc(MAX_SEG + 16))) {
		free(x);
		return -1;
	}
	x->sink = &none;
	x->name = "tokenize";
	x->t.p = (const unsigned char *)data;
	x->t.end = x->t.p + len;
	tok_delims(&x->t, ':', '+', '?', '\'');
	for (;;) {
		while (x->t.p < x->t.end && is_ws(*x->t.p))
			x->t.p++;
		if (x->t.end - x->t.p >= 3 && memcmp(x->t.p, "UNA", 3) == 0 && read_una(x) != 0)
			break;
		if ((r = next_seg(x, 1)) <= 0)
			break;
		n++;
	}
	free(x->s.buf);
	free(x);
	return r < 0 ? -1 : n;
}

int bid_edifact__parse(const char *data, size_t len, const char *name,
                       const bid_import_sink *sink, bid_error *err)
{
	ctx *x;
	tok *t;
	seg *s;
	char sh[48];
	int r, rc;

	if (!(x = calloc(1, sizeof(*x))) || !(x->s.buf = malloc(MAX_SEG + 16))) {
		free(x);
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
	}
	x->name = name;
	x->sink = sink;
	x->err = err;
	x->base = data;
	t = &x->t;
	s = &x->s;
	t->p = (const unsigned char *)data;
	t->end = t->p + len;
	/* A UTF-8 byte order mark (EDI.Net writes one) and leading space. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		t->p += 3;

	while (!x->rc) {
		if (!x->in_ic) {
			while (t->p < t->end && is_ws(*t->p))
				t->p++;
			if (t->p == t->end)
				break;
			/* Each interchange brings its own UNA, or the defaults. */
			if (t->end - t->p >= 3 && memcmp(t->p, "UNA", 3) == 0) {
				if (read_una(x) != 0)
					break;
			} else if (t->end - t->p >= 4 && memcmp(t->p, "UNB\x1D", 4) == 0)
				tok_delims(t, 0x1F, 0x1D, -1, 0x1C);   /* UNOB: IS1, IS3, IS4 */
			else
				tok_delims(t, ':', '+', '?', '\'');
			if ((r = next_seg(x, 0)) <= 0) {
				if (r == 0)
					fatal(x, t->segno, 1, "edifact.envelope",
					      "the file ends after UNA: expected UNB");
				break;
			}
			if (!is_tag(s, "UNB")) {
				fatal(x, s->no, 1, "edifact.envelope",
				      "segment %u is %s: expected UNB (or UNA) to open an interchange",
				      (unsigned)s->no, s->tag);
				break;
			}
			interchange_open(x);
			continue;
		}
		if ((r = next_seg(x, 0)) <= 0) {
			if (r == 0)
				fatal(x, t->segno, 1, "edifact.truncated",
				      "the file ends inside interchange '%s': expected UNZ "
				      "(truncated file?)", SHOWN(sh, x->ic_ref, strlen(x->ic_ref)));
			break;
		}
		if (is_tag(s, "UNH"))
			message(x);
		else if (is_tag(s, "UNZ"))
			interchange_close(x);
		else if (is_tag(s, "UNG"))
			x->ngrp++;
		else if (is_tag(s, "UNE"))
			;
		else
			fatal(x, s->no, 1, "edifact.envelope",
			      "segment %u is %s outside a message: expected UNH, UNT or UNZ",
			      (unsigned)s->no, s->tag);
	}
	if (!x->rc && x->nquotes == 0 && x->nerr == 0)
		fatal(x, t->segno ? t->segno : 1, 1, "edifact.envelope",
		      t->segno ? "the file holds no QUOTES message: expected UNH+<ref>+QUOTES:D:96A:UN"
		               : "the file is empty: expected UNA or UNB");

	rc = x->rc ? x->rc : x->nerr ? BID_EINVALID : 0;
	free(x->s.buf);
	free(x);
	return rc;
}
