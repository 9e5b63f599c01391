/*
 * x12.c - ANSI X12 843 (Response to Request for Quotation) importer.
 * One pass over the bytes: the delimiters come from the fixed-width ISA
 * header, segments are split in place (no copy, no allocation at all),
 * and every ST*843 ... SE transaction set becomes one quote.  Pure parser:
 * the C library and the public bidcmp headers only (no engine/, no SQLite).
 *
 * Positions: line = segment number counted from the start of the file
 * (ISA = 1, counting on across interchanges); col = element number
 * (PO104 is col 4), 0 for the segment as a whole.
 *
 * Field map (843 -> canonical):
 *   quote per ST..SE; header handed over at the first PO1 (or at CTT/SE)
 *   supplier_id    N1*SE N104 (else N1*SU, else N1*VN; N103 must go with
 *                  N104); without one: GS02, else ISA06, with a warning
 *   supplier_name  N102 of that N1
 *   rfq_ref        BQR02 (required)      issue_date   BQR03 (required)
 *   quote_id       REF*PR REF02 (price quote number) in the header, else BQR02
 *   currency       header CUR02; a line's CUR02 overrides it; without CUR
 *                  the currency is USD, the standard's default (no warning)
 *   valid_until    DTM*036 (header), else BQR05 when BQR04 is 036
 *   valid_from     DTM*007 (effective) in the header
 *   pay terms      ITD07 net days -> pay_days; ITD03 % and ITD05 days ->
 *                  discount (header); a line's ITD07 -> line pay_days
 *   line_id        PO101             qty  PO102 (R, > 0)
 *   unit           PO103, an X12 355 code mapped by bid_unit_from_x12; an
 *                  unknown code is an error; packages (CA -> CS, BX) pass
 *                  through and the engine refuses them without a pack size
 *   price          PO104 (R, > 0); basis PO105: PE or empty 1, HP 100, TP 1000
 *   part ids       PO106/07, 08/09 ... : VN/VP seller, BP buyer, MG/MF
 *                  manufacturer, UP/EN/UK standard; other qualifiers ignored
 *   description    PID*F PID05 (first)   manufacturer  N1*MF N102 in the line
 *   tiers          CTP03 price at CTP04 quantity (CTPs without CTP04 are not
 *                  breaks), else PO304 at PO306; strictly increasing; all-units;
 *                  when the first break's price is not PO104 a tier
 *                  {0, PO104} comes first, so tiers[0].price == price
 *   lead time      LDT02 x LDT03: DA/CD days, WK 7 days, MO 30 days (a
 *                  convention: months are not all equal); part days round up.
 *                  A header LDT applies to lines without their own.
 *   delivery_date  DTM*002/010 or SCH06 with SCH05 002/010 in the line
 *                  (first one wins); a header DTM*002/010 applies to lines
 *                  without their own
 *   charges        SAC in the header (before the first PO1: the quote's,
 *                  in its currency) and in a PO1 loop outside its SLN/CST/
 *                  N9/N1/PD/AMT loops (the line's, for its quantity, in
 *                  the line's currency): SAC01 C is a charge (+), A an
 *                  allowance (-), N neither (ignored); SAC05 the amount,
 *                  summed.  SAC05 (element 610) is type N2: two implied
 *                  decimals, "1050" is 10.50; a decimal point, a sign or
 *                  anything but digits in it is a value error, as is a bad
 *                  SAC01.  A SAC with a percent (SAC06/07) or rate and no
 *                  SAC05 is warned about and not used.  charges_pos is the
 *                  first header SAC.
 *   Dates are CCYYMMDD (DT); the decimals above are all R type (explicit
 *   point), so no implied decimals are applied except in SAC05.  X12 has no
 *   release character.  The repetition separator (ISA11 from 00402 on)
 *   cuts an element to its first repetition.
 *
 * Checks: SE01 segment count, GE01 and IEA01 group counts, CTT01 line
 * count and the ST/GS/ISA control numbers; a mismatch is a warning that
 * gives both numbers.  Value errors go to sink->diag and the parse goes
 * on (the bad line is not handed over); structural errors (envelope,
 * ISA, truncation, NUL bytes, segment ids) stop at once.  Every error
 * goes to sink->diag, and the parse returns the first one of them.
 * Limits: a segment may be MAX_SEGMENT bytes, MAX_ELEMENTS elements, a
 * kept value (id, name) MAX_TEXT bytes, a line MAX_TIERS price breaks;
 * after MAX_ERRORS errors the parse stops, after MAX_WARNINGS warnings
 * the rest are dropped (one says so).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidcmp/units.h"
#include "importer.h"

#define MAX_SEGMENT   65536   /* bytes of one segment, terminator excluded */
#define MAX_ELEMENTS  64      /* elements after the segment id */
#define MAX_TEXT      256     /* bytes of one kept value */
#define MAX_TIERS     100     /* price breaks per line */
#define MAX_DAYS      100000  /* lead times and payment terms */
#define ISA_LEN       106     /* ISA up to and including its terminator */
#define MAX_ERRORS    1000    /* then the parse gives up */
#define MAX_WARNINGS  1000    /* then the rest are not reported */

#define ID(a, b, c) ((uint32_t)(unsigned char)(a) << 16 | (uint32_t)(unsigned char)(b) << 8 | \
                     (uint32_t)(unsigned char)(c))

typedef struct span {
	const char *p;
	size_t      n;
} span;

/* A kept value: copied, NUL-terminated, with its position. */
typedef struct text {
	char    s[MAX_TEXT + 1];
	int     set;
	bid_pos pos;
} text;

enum { IN_NONE = 0, IN_ISA, IN_GS, IN_ST };

/* The quote (ST..SE) being read. */
typedef struct quote {
	uint32_t st_seg;
	char     st02[16];
	text     sup_id, sup_name, quote_ref, rfq_ref;
	int      sup_rank;                     /* 3 SE, 2 SU, 1 VN */
	char     currency[4];
	bid_pos  cur_pos;
	int      has_bqr, has_cur, in_n9, after_ctt, sent, unsendable, ctp_warned;
	bid_date issue, valid_from, valid_until, deliv;
	bid_pos  deliv_pos, lead_pos;
	int32_t  lead;  int has_lead;
	int32_t  pay_days;  int has_pay;
	bid_dec  disc_pct;  int32_t disc_days;  int has_disc;
	bid_dec  chg;  unsigned nchg;  int chg_bad;  bid_pos chg_pos;
	unsigned long npo1;
} quote;

/* The line (PO1 loop) being read. */
typedef struct line {
	int      open, bad, sub;               /* sub: inside SLN/CST/N9/N1/PD/AMT */
	bid_pos  pos;
	bid_dec  qty;  int has_qty;  bid_pos qty_pos;
	const char *unit;  char x12_unit[4];  bid_pos unit_pos;
	bid_dec  price;  int has_price;  bid_pos price_pos;
	bid_dec  basis;  char basis_code[3];  bid_pos basis_pos;
	char     currency[4];  int has_cur;  bid_pos cur_pos;
	int32_t  lead;  int has_lead;  bid_pos lead_pos;
	bid_date deliv;  bid_pos deliv_pos;
	int32_t  pay_days;  int has_pay;
	bid_dec  chg;  unsigned nchg;  int chg_bad;
	int      tier_src;                     /* 0 none, 'C' CTP, 'P' PO3 */
	int      other_warned;
	size_t   nbreaks;
	/* Not cleared per line (2 KB): only their `set` flags are. */
	text     id, parts[BID_PART__COUNT], desc, manufacturer;
	bid_tier tiers[MAX_TIERS + 1];         /* [0] is kept for the base tier */
} line;

typedef struct x12 {
	const char            *name;
	const bid_import_sink *sink;
	const char            *p, *end;        /* what is left to read */
	char                   es, cs, term, rs;
	unsigned char          cls[256];       /* 1 element separator, 2 terminator */
	uint32_t               seg;            /* number of the current segment */
	span                   el[MAX_ELEMENTS + 1];
	size_t                 nel;
	int                    state;
	int                    fatal, stop;    /* structural error; a callback's code */
	unsigned long          nerrors, nwarnings;
	bid_error              first;          /* the first error, returned at the end */
	char                   refs[4][8];
	unsigned               nref;
	/* envelope */
	uint32_t               isa_seg, gs_seg;
	char                   isa13[16], gs06[16];
	char                   isa06[16], gs02[36];    /* sender ids: "" unless clean text */
	unsigned long          ngs, nst;
	quote                  q;
	line                   l;
} x12;

/* ---- messages ----------------------------------------------------- */

/* "PO104" for element k of the current segment. */
static const char *ref(x12 *x, size_t k)
{
	char *r = x->refs[x->nref++ % 4];

	snprintf(r, sizeof(x->refs[0]), "%.*s%02u", (int)(x->el[0].n < 3 ? x->el[0].n : 3),
	         x->el[0].p, (unsigned)k);
	return r;
}

static bid_pos at(x12 *x, size_t k)
{
	bid_pos pos = { x->seg, (uint32_t)k };
	return pos;
}

/* A delimiter as text fit for a message: '~', or 0x0A for a control. */
static const char *delim(char *buf, size_t size, char c)
{
	if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
		snprintf(buf, size, "0x%02X", (unsigned char)c);
	else
		snprintf(buf, size, "'%c'", c);
	return buf;
}

static void report(x12 *x, bid_pos pos, const char *rule, int fatal, const char *fmt,
                   va_list ap)
{
	char msg[sizeof(((bid_error *)0)->msg)];
	bid_diag d;
	int rc;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A hostile file could hold millions of bad lines: stop listing them. */
	if (x->nerrors == MAX_ERRORS) {
		snprintf(msg, sizeof(msg), "more than %d errors: giving up", MAX_ERRORS);
		fatal = 1;
	}
	if (x->nerrors++ == 0)
		bid_error_set_at(&x->first, BID_EINVALID, BID_AREA_IMPORT, x->name, pos.line,
		                 pos.col, "%s", msg);
	if (fatal)
		x->fatal = 1;
	/* A line with a bad value is not handed over. */
	if (x->l.open)
		x->l.bad = 1;
	if (!x->sink->diag)
		return;
	d.severity = BID_SEV_ERROR;
	d.pos = pos;
	d.rule = rule;
	d.msg = msg;
	if ((rc = x->sink->diag(&d, x->sink->payload)) < 0 && !x->stop)
		x->stop = rc;
}

#if defined(__GNUC__)
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF(a, b)
#endif

/* A value error: reported, and the parse goes on.  Returns -1. */
static int verr(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...) PRINTF(4, 5);
static int verr(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(x, pos, rule, 0, fmt, ap);
	va_end(ap);
	return -1;
}

/* A structural error: reported, and the parse stops.  Returns -1. */
static int fail(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...) PRINTF(4, 5);
static int fail(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(x, pos, rule, 1, fmt, ap);
	va_end(ap);
	return -1;
}

static void warn(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...) PRINTF(4, 5);
static void warn(x12 *x, bid_pos pos, const char *rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int rc;

	if (x->nwarnings > MAX_WARNINGS)
		return;
	if (x->nwarnings++ == MAX_WARNINGS) {
		snprintf(msg, sizeof(msg), "more than %d warnings: the rest are not reported",
		         MAX_WARNINGS);
	} else {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	if ((rc = bid_import__warn(x->sink, pos, rule, "%s", msg)) < 0 && !x->stop)
		x->stop = rc;
}

/* ---- elements ----------------------------------------------------- */

/* Element k, trimmed of spaces, cut to its first repetition; "" if absent. */
static span elem(const x12 *x, size_t k)
{
	span s = { "", 0 };

	if (k < x->nel && x->el[k].n) {
		s = x->el[k];
		if (x->rs) {
			/* Elements are short: a loop beats a memchr call here. */
			size_t i;
			for (i = 0; i < s.n && s.p[i] != x->rs; i++)
				;
			s.n = i;
		}
		while (s.n && *s.p == ' ')
			s.p++, s.n--;
		while (s.n && s.p[s.n - 1] == ' ')
			s.n--;
	}
	return s;
}

static int is(span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static const char *shown(char *buf, size_t size, span s)
{
	return bid_import__shown(buf, size, s.p, s.n);
}

/* Printable text in valid UTF-8: what we hand to the sink. */
static int text_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need, min, cp;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, min = 0x80, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, min = 0x800, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (n - i <= need)
			return 0;
		for (i++; need; need--, i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	}
	return 1;
}

/* Copy element k into t (first one wins unless `replace`).  0, or -1. */
static int keep(x12 *x, text *t, size_t k, const char *what)
{
	span s = elem(x, k);

	if (s.n == 0)
		return 0;
	if (s.n > MAX_TEXT)
		return verr(x, at(x, k), "x12.text.long", "%s %s is %zu characters: at most %d "
		            "are accepted", ref(x, k), what, s.n, MAX_TEXT);
	if (!text_ok((const unsigned char *)s.p, s.n))
		return verr(x, at(x, k), "x12.text.encoding", "%s %s contains a control character "
		            "or a byte that is not UTF-8: expected printable text", ref(x, k), what);
	memcpy(t->s, s.p, s.n);
	t->s[s.n] = '\0';
	t->set = 1;
	t->pos = at(x, k);
	return 0;
}

/* Copy a short code (control number, sender id) for messages and checks. */
static void keep_code(char *dst, size_t size, span s)
{
	size_t n = s.n < size - 1 ? s.n : size - 1;

	bid_import__shown(dst, size, s.p, n);
}

/* A sender id (ISA06, GS02) to name the supplier by: printable and whole, or "". */
static void keep_sender(char *dst, size_t size, span s)
{
	dst[0] = '\0';
	if (s.n < size && text_ok((const unsigned char *)s.p, s.n)) {
		memcpy(dst, s.p, s.n);
		dst[s.n] = '\0';
	}
}

/*
 * The common decimal - up to 12 digits, an optional point and up to 6
 * fraction digits - read exactly without the general parser; anything
 * else (signs, odd forms, errors) goes to bid_dec_parse.  1 when done.
 */
static int dec_fast(const char *p, size_t n, bid_dec *out)
{
	int64_t v = 0;
	size_t i = 0, ndig = 0, nfrac = 0;

	for (; i < n && p[i] >= '0' && p[i] <= '9' && ndig < 12; i++, ndig++)
		v = v * 10 + (p[i] - '0');
	if (ndig == 0 || (i < n && p[i] >= '0' && p[i] <= '9'))
		return 0;
	if (i < n) {
		if (p[i++] != '.')
			return 0;
		for (; i < n && p[i] >= '0' && p[i] <= '9' && nfrac < 6; i++, nfrac++)
			v = v * 10 + (p[i] - '0');
		if (i < n)
			return 0;
	}
	for (; nfrac < 6; nfrac++)
		v *= 10;
	*out = v;
	return 1;
}

/* An R-type decimal in element k: 0, 1 when absent, -1 when bad. */
static int dec_el(x12 *x, size_t k, const char *what, bid_dec *out)
{
	span s = elem(x, k);
	bid_error why;
	char a[48], b[160];

	if (s.n == 0)
		return 1;
	if (dec_fast(s.p, s.n, out) || bid_dec_parse(out, s.p, s.n, NULL) == 0)
		return 0;
	bid_error_clear(&why);
	bid_dec_parse(out, s.p, s.n, &why);
	return verr(x, at(x, k), "x12.decimal", "%s %s '%s' is not a decimal: %s", ref(x, k), what,
	            shown(a, sizeof(a), s), why.msg[0] ? bid_import__shown(b, sizeof(b), why.msg,
	            strlen(why.msg)) : "expected a decimal like 12.50");
}

/* A positive decimal, required: 0 or -1. */
static int positive_el(x12 *x, size_t k, const char *what, const char *rule, bid_dec *out)
{
	char a[48];
	int rc = dec_el(x, k, what, out);

	if (rc < 0)
		return -1;
	if (rc > 0)
		return verr(x, at(x, k), rule, "%s %s is missing", ref(x, k), what);
	if (*out <= 0)
		return verr(x, at(x, k), rule, "%s %s must be greater than 0, found '%s'", ref(x, k),
		            what, shown(a, sizeof(a), elem(x, k)));
	return 0;
}

/* An N0 count or number of days: 0, 1 when absent, -1 when bad. */
static int uint_el(x12 *x, size_t k, const char *what, uint64_t max, uint64_t *out)
{
	span s = elem(x, k);
	uint64_t v = 0;
	size_t i;
	char a[48];

	if (s.n == 0)
		return 1;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9' || v > max)
			break;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (i < s.n || v > max)
		return verr(x, at(x, k), "x12.number", "%s %s '%s' is not a whole number from 0 to "
		            "%llu", ref(x, k), what, shown(a, sizeof(a), s), (unsigned long long)max);
	*out = v;
	return 0;
}

/* A CCYYMMDD date: 0, 1 when absent, -1 when bad. */
static int date_el(x12 *x, size_t k, const char *what, bid_date *out)
{
	span s = elem(x, k);
	bid_error why;
	char a[48], b[160];
	size_t i;

	if (s.n == 0)
		return 1;
	for (i = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		;
	if (s.n != 8 || i != 8)
		return verr(x, at(x, k), "x12.date", "%s %s '%s' is not a date: expected CCYYMMDD",
		            ref(x, k), what, shown(a, sizeof(a), s));
	if (bid_date_parse(out, s.p, s.n, 0, NULL) == 0)
		return 0;
	bid_error_clear(&why);
	bid_date_parse(out, s.p, s.n, 0, &why);
	return verr(x, at(x, k), "x12.date", "%s %s '%s' is not a date: %s", ref(x, k), what,
	            shown(a, sizeof(a), s), bid_import__shown(b, sizeof(b), why.msg, strlen(why.msg)));
}

/* An ISO 4217 code in element k into cur[4]: 0, 1 when absent, -1 when bad. */
static int currency_el(x12 *x, size_t k, char cur[4])
{
	span s = elem(x, k);
	char a[48];

	if (s.n == 0)
		return verr(x, at(x, k), "x12.currency", "%s currency is missing", ref(x, k));
	if (s.n == 3) {
		memcpy(cur, s.p, 3);
		cur[3] = '\0';
		if (bid_currency_is_known(cur))
			return 0;
	}
	cur[0] = '\0';
	return verr(x, at(x, k), "x12.currency", "%s currency '%s' is not an ISO 4217 code",
	            ref(x, k), shown(a, sizeof(a), s));
}

/* ---- the ISA header and the segment tokenizer --------------------- */

static const unsigned char isa_width[17] = { 0, 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1 };

static int is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Split data[0..n) by the element separator into x->el.  0 or -1. */
static int split(x12 *x, const char *s, size_t n)
{
	const char *q = s, *e = s + n, *c;
	const char es = x->es;

	x->nel = 0;
	for (c = s; c < e; c++) {
		if (*c != es)
			continue;
		if (x->nel == MAX_ELEMENTS)
			return fail(x, at(x, 0), "x12.segment.elements", "segment %u has more than %d "
			            "elements", (unsigned)x->seg, MAX_ELEMENTS);
		x->el[x->nel].p = q;
		x->el[x->nel++].n = (size_t)(c - q);
		q = c + 1;
	}
	x->el[x->nel].p = q;
	x->el[x->nel++].n = (size_t)(e - q);
	return 0;
}

/*
 * The ISA header is fixed-width: 16 elements of known widths, 106
 * characters with the terminator.  Its 4th character is the element
 * separator, ISA16 the component separator, the next character the
 * segment terminator.  Checked element by element so that a short or
 * long field is named.
 */
static int read_isa(x12 *x)
{
	const char *p = x->p;
	size_t avail = (size_t)(x->end - p), off = 4, i;
	char a[16], b[16], c[16];
	span ver;

	x->seg++;
	if (avail < 3 || memcmp(p, "ISA", 3) != 0) {
		size_t n = 0;
		while (n < avail && n < 3 && is_alnum(p[n]))
			n++;
		return fail(x, at(x, 0), "x12.envelope", "found '%s' where an interchange must "
		            "begin: expected ISA", bid_import__shown(a, sizeof(a), p, n ? n : 1));
	}
	if (avail < 4)
		return fail(x, at(x, 0), "x12.isa.length", "the file ends inside the ISA header after "
		            "%zu characters: expected %d up to and including the segment terminator",
		            avail, ISA_LEN);
	x->es = p[3];
	if (is_alnum(x->es) || x->es == ' ' || x->es == '\r' || x->es == '\n')
		return fail(x, at(x, 0), "x12.isa.delimiters", "the element separator (4th character "
		            "of ISA) is %s: expected a character that is not a letter, digit or white "
		            "space", delim(a, sizeof(a), x->es));
	for (i = 1; i <= 15; i++) {
		size_t lim = (size_t)isa_width[i] + 1, n;
		const char *q = memchr(p + off, x->es, avail - off < lim ? avail - off : lim);

		if (!q && avail - off < lim)
			return fail(x, at(x, i), "x12.isa.length", "the file ends inside the ISA header "
			            "(in ISA%02zu, after %zu characters): expected %d up to and including the "
			            "segment terminator", i, avail, ISA_LEN);
		if (!q)
			return fail(x, at(x, i), "x12.isa.length", "ISA%02zu is longer than %d characters "
			            "(ISA is fixed-width: %d characters up to and including the segment "
			            "terminator)", i, isa_width[i], ISA_LEN);
		n = (size_t)(q - (p + off));
		if (n != isa_width[i])
			return fail(x, at(x, i), "x12.isa.length", "ISA%02zu is %zu characters: expected %d "
			            "(ISA is fixed-width: %d characters up to and including the segment "
			            "terminator)", i, n, isa_width[i], ISA_LEN);
		off += n + 1;
	}
	if (avail < ISA_LEN)
		return fail(x, at(x, 16), "x12.isa.length", "the ISA header is %zu characters: expected "
		            "%d up to and including the segment terminator", avail, (int)ISA_LEN);
	x->cs = p[104];
	x->term = p[105];
	if (is_alnum(x->cs) || x->cs == ' ' || x->cs == x->es)
		return fail(x, at(x, 16), "x12.isa.delimiters", "the component separator (ISA16) is %s: "
		            "expected a character that is not a letter, digit, space or the element "
		            "separator %s", delim(a, sizeof(a), x->cs), delim(b, sizeof(b), x->es));
	if (is_alnum(x->term) || x->term == ' ' || x->term == x->es || x->term == x->cs)
		return fail(x, at(x, 16), "x12.isa.delimiters", "the character after ISA16 is %s: "
		            "expected the segment terminator, distinct from %s and %s and not a letter, "
		            "digit or space (ISA is %d characters up to and including it)",
		            delim(a, sizeof(a), x->term), delim(b, sizeof(b), x->es),
		            delim(c, sizeof(c), x->cs), ISA_LEN);
	if (split(x, p, ISA_LEN - 1) < 0)
		return -1;
	/* ISA11 is the repetition separator from version 00402 on; before, 'U'. */
	ver = elem(x, 12);
	x->rs = 0;
	if (ver.n == 5 && memcmp(ver.p, "00402", 5) >= 0 && !is_alnum(p[82])) {
		x->rs = p[82];
		if (x->rs == x->es || x->rs == x->cs || x->rs == x->term || x->rs == ' ')
			return fail(x, at(x, 11), "x12.isa.delimiters", "the repetition separator (ISA11) "
			            "%s is another delimiter: expected a character of its own",
			            delim(a, sizeof(a), x->rs));
	}
	keep_code(x->isa13, sizeof(x->isa13), elem(x, 13));
	keep_sender(x->isa06, sizeof(x->isa06), elem(x, 6));
	if (is(elem(x, 15), "T"))
		warn(x, at(x, 15), "x12.isa.test", "the interchange is marked as test data (ISA15 T)");
	memset(x->cls, 0, sizeof(x->cls));
	x->cls[(unsigned char)x->es] = 1;
	x->cls[(unsigned char)x->term] = 2;
	x->isa_seg = x->seg;
	x->ngs = 0;
	x->state = IN_ISA;
	x->p = p + ISA_LEN;
	return 0;
}

/*
 * The next segment into x->el: 1, 2 for an ISA (already taken in),
 * 0 at the end of the input, -1 on a structural error.  The terminator is found with memchr within
 * MAX_SEGMENT bytes, so a gigabyte token costs one bounded scan.
 */
static int next_segment(x12 *x)
{
	const char *p = x->p, *t, *e, *q, *lim;
	size_t avail, n, i;
	char a[16], b[16];

	while (p < x->end && (*p == '\r' || *p == '\n' ||
	                      (x->state == IN_NONE && (*p == ' ' || *p == '\t'))))
		p++;
	x->p = p;
	if (p == x->end)
		return 0;
	if (x->state == IN_NONE)
		return read_isa(x) < 0 ? -1 : 2;
	avail = (size_t)(x->end - p);
	lim = p + (avail < MAX_SEGMENT + 1 ? avail : MAX_SEGMENT + 1);
	x->seg++;
	/*
	 * One pass over the bytes finds the element separators and the
	 * terminator: a table lookup per byte, no call per element.
	 */
	x->nel = 0;
	for (q = t = p; t < lim; t++) {
		unsigned k = x->cls[(unsigned char)*t];

		if (!k)
			continue;
		if (k == 2)
			break;
		if (x->nel == MAX_ELEMENTS)
			return fail(x, at(x, 0), "x12.segment.elements", "segment %u has more than %d "
			            "elements", (unsigned)x->seg, MAX_ELEMENTS);
		x->el[x->nel].p = q;
		x->el[x->nel++].n = (size_t)(t - q);
		q = t + 1;
	}
	if (t == lim) {
		for (n = 0; n < avail && n < 3 && is_alnum(p[n]); n++)
			;
		if (avail > MAX_SEGMENT)
			return fail(x, at(x, 0), "x12.segment.long", "segment %u ('%s') runs on for more "
			            "than %d bytes without the segment terminator %s", (unsigned)x->seg,
			            bid_import__shown(a, sizeof(a), p, n), MAX_SEGMENT,
			            delim(b, sizeof(b), x->term));
		return fail(x, at(x, 0), "x12.truncated", "the file ends inside segment %u ('%s'): "
		            "expected the segment terminator %s (truncated file?)", (unsigned)x->seg,
		            bid_import__shown(a, sizeof(a), p, n), delim(b, sizeof(b), x->term));
	}
	x->p = t + 1;
	e = t;
	if (x->term == '\n' && e > q && e[-1] == '\r')
		e--;
	x->el[x->nel].p = q;
	x->el[x->nel++].n = (size_t)(e - q);
	/* A segment id: 2 or 3 upper-case letters and digits, a letter first. */
	n = x->el[0].n;
	for (i = 0; i < n && ((p[i] >= 'A' && p[i] <= 'Z') || (i && p[i] >= '0' && p[i] <= '9'));
	     i++)
		;
	if (n < 2 || n > 3 || i != n) {
		x->el[0].n = 0;
		return fail(x, at(x, 0), "x12.segment.id", "segment %u starts with '%s': expected a "
		            "segment id of 2 or 3 upper-case letters and digits (wrong delimiters?)",
		            (unsigned)x->seg, bid_import__shown(a, sizeof(a), p, n < 12 ? n : 12));
	}
	return 1;
}

/* ---- quotes and lines --------------------------------------------- */

static const char *line_label(x12 *x, char *buf, size_t size)
{
	if (x->l.id.set)
		snprintf(buf, size, "line %.40s", x->l.id.s);
	else
		snprintf(buf, size, "PO1 at segment %u", (unsigned)x->l.pos.line);
	return buf;
}

static void send_header(x12 *x)
{
	quote *q = &x->q;
	bid_quote_header h;
	int rc;

	if (q->sent)
		return;
	q->sent = 1;
	if (!q->has_bqr)
		verr(x, (bid_pos){ q->st_seg, 0 }, "x12.bqr.missing", "transaction set %s has no BQR: "
		     "expected BQR with the RFQ reference (BQR02) and its date (BQR03)", q->st02);
	memset(&h, 0, sizeof(h));
	if (q->sup_id.set) {
		h.supplier_id = q->sup_id.s;
		h.pos = q->sup_id.pos;
	} else if (x->gs02[0] || x->isa06[0]) {
		int gs = x->gs02[0] != '\0';
		h.supplier_id = gs ? x->gs02 : x->isa06;
		h.pos = (bid_pos){ gs ? x->gs_seg : x->isa_seg, gs ? 2 : 6 };
		warn(x, (bid_pos){ q->st_seg, 0 }, "x12.supplier.sender", "no N1*SE, N1*SU or N1*VN "
		     "with an id (N104): the supplier is the %s sender id '%s'", gs ? "GS02" : "ISA06",
		     h.supplier_id);
	} else {
		q->unsendable = 1;
		verr(x, (bid_pos){ q->st_seg, 0 }, "x12.supplier.missing", "transaction set %s names "
		     "no supplier: expected N1*SE with an id in N104", q->st02);
		return;
	}
	h.supplier_name = q->sup_name.set ? q->sup_name.s : NULL;
	h.rfq_ref = q->rfq_ref.set ? q->rfq_ref.s : NULL;
	h.quote_id = q->quote_ref.set ? q->quote_ref.s : h.rfq_ref;
	/* No CUR: X12 prices are in US dollars unless a CUR says otherwise. */
	h.currency = q->has_cur ? q->currency : "USD";
	h.issue_date = q->issue;
	h.valid_from = q->valid_from;
	h.valid_until = q->valid_until;
	h.pay_days = q->pay_days;
	h.has_pay_days = q->has_pay;
	h.discount_pct = q->disc_pct;
	h.discount_days = q->disc_days;
	h.has_discount = q->has_disc;
	if (q->nchg && !q->chg_bad) {
		h.charges = q->chg;
		h.has_charges = 1;
		h.charges_pos = q->chg_pos;
	}
	if (x->stop)
		return;
	if (x->sink->quote_header && (rc = x->sink->quote_header(&h, x->sink->payload)) < 0)
		x->stop = rc;
}

/* Close the open line: check its breaks and hand it over if it is good. */
static void finish_line(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;
	bid_quote_line ql;
	static const int part_order[] = { BID_PART_BUYER, BID_PART_SELLER, BID_PART_MANUFACTURER,
	                                  BID_PART_STANDARD };
	size_t i;
	int rc;

	if (!l->open)
		return;
	memset(&ql, 0, sizeof(ql));
	if (l->nbreaks && l->has_price) {
		/* tiers[0].price must be the line price: prepend a base tier if needed. */
		if (l->tiers[1].price == l->price) {
			ql.tiers = &l->tiers[1];
			ql.ntiers = l->nbreaks;
		} else if (l->tiers[1].from_qty > 0) {
			l->tiers[0].from_qty = 0;
			l->tiers[0].price = l->price;
			l->tiers[0].pos = l->price_pos;
			ql.tiers = &l->tiers[0];
			ql.ntiers = l->nbreaks + 1;
		} else {
			char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
			verr(x, l->tiers[1].pos, "x12.tier.base", "the price break at quantity 0 is %s "
			     "but the unit price PO104 is %s: expected the same price",
			     bid_dec_format(a, sizeof(a), l->tiers[1].price, 2),
			     bid_dec_format(b, sizeof(b), l->price, 2));
		}
	}
	l->open = 0;
	if (l->bad || q->unsendable || x->stop || x->fatal)
		return;
	ql.line_id = l->id.set ? l->id.s : NULL;
	for (i = 0; i < BID_PART__COUNT; i++)
		ql.part_ids[i] = l->parts[i].set ? l->parts[i].s : NULL;
	for (i = 0; i < sizeof(part_order) / sizeof(part_order[0]); i++) {
		if (l->parts[part_order[i]].set) {
			ql.pos[BID_F_PART] = l->parts[part_order[i]].pos;
			break;
		}
	}
	ql.description = l->desc.set ? l->desc.s : NULL;
	ql.manufacturer = l->manufacturer.set ? l->manufacturer.s : NULL;
	ql.qty = l->qty;
	ql.has_qty = l->has_qty;
	ql.unit = l->unit;
	ql.price = l->price;
	ql.basis_qty = l->basis;
	ql.pos[BID_F_LINE] = l->pos;
	ql.pos[BID_F_QTY] = l->qty_pos;
	ql.pos[BID_F_UNIT] = l->unit_pos;
	ql.pos[BID_F_PRICE] = l->price_pos;
	ql.pos[BID_F_BASIS] = l->basis_pos;
	if (l->has_cur) {
		ql.currency = l->currency;
		ql.pos[BID_F_CURRENCY] = l->cur_pos;
	} else if (q->has_cur) {
		ql.currency = q->currency;
		ql.pos[BID_F_CURRENCY] = q->cur_pos;
	} else {
		ql.currency = "USD";      /* the standard's default, see the top */
	}
	if (l->has_lead) {
		ql.lead_time_days = l->lead;
		ql.has_lead_time = 1;
		ql.pos[BID_F_LEAD_TIME] = l->lead_pos;
	} else if (q->has_lead) {
		ql.lead_time_days = q->lead;
		ql.has_lead_time = 1;
		ql.pos[BID_F_LEAD_TIME] = q->lead_pos;
	}
	if (l->deliv != BID_DATE_NONE) {
		ql.delivery_date = l->deliv;
		ql.pos[BID_F_DELIVERY] = l->deliv_pos;
	} else {
		ql.delivery_date = q->deliv;
		ql.pos[BID_F_DELIVERY] = q->deliv_pos;
	}
	ql.pay_days = l->pay_days;
	ql.has_pay_days = l->has_pay;
	if (l->nchg) {
		ql.charges = l->chg;
		ql.has_charges = 1;
	}
	ql.tier_type = BID_TIER_ALL_UNITS;
	if (x->sink->quote_line && (rc = x->sink->quote_line(&ql, x->sink->payload)) < 0)
		x->stop = rc;
}

/* ---- the 843 segments --------------------------------------------- */

static void on_bqr(x12 *x)
{
	quote *q = &x->q;
	bid_date d;

	if (q->has_bqr) {
		warn(x, at(x, 0), "x12.bqr.repeated", "a second BQR is ignored: the 843 has one");
		return;
	}
	q->has_bqr = 1;
	if (elem(x, 2).n == 0)
		verr(x, at(x, 2), "x12.bqr.missing", "BQR02 request for quote reference is missing");
	else
		keep(x, &q->rfq_ref, 2, "request for quote reference");
	if (date_el(x, 3, "date", &q->issue) > 0)
		verr(x, at(x, 3), "x12.bqr.missing", "BQR03 date is missing: expected CCYYMMDD");
	if (is(elem(x, 4), "036") && date_el(x, 5, "expiration date", &d) == 0 &&
	    q->valid_until == BID_DATE_NONE)
		q->valid_until = d;
}

static void on_n1(x12 *x)
{
	quote *q = &x->q;
	span who = elem(x, 1);
	int rank = is(who, "SE") ? 3 : is(who, "SU") ? 2 : is(who, "VN") ? 1 : 0;

	if (x->l.open) {
		/* A detail N1 loop: the manufacturer is worth keeping. */
		x->l.sub = 1;
		if (is(who, "MF") && !x->l.manufacturer.set)
			keep(x, &x->l.manufacturer, 2, "manufacturer name");
		return;
	}
	q->in_n9 = 0;
	if (rank <= q->sup_rank)
		return;
	/* N103 and N104 come as a pair (X12 syntax rule P0304). */
	if (elem(x, 3).n && !elem(x, 4).n) {
		char a[16];
		verr(x, at(x, 4), "x12.n1.id", "N103 id qualifier '%s' has no id in N104",
		     shown(a, sizeof(a), elem(x, 3)));
		return;
	}
	if (!elem(x, 3).n && elem(x, 4).n) {
		verr(x, at(x, 3), "x12.n1.id", "N104 id has no qualifier in N103");
		return;
	}
	q->sup_rank = rank;
	q->sup_id.set = q->sup_name.set = 0;
	keep(x, &q->sup_id, 4, "supplier id");
	keep(x, &q->sup_name, 2, "supplier name");
}

static void on_cur(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;

	if (l->open) {
		if (l->sub || l->has_cur)
			return;
		if (currency_el(x, 2, l->currency) == 0) {
			l->has_cur = 1;
			l->cur_pos = at(x, 2);
		}
	} else if (!q->has_cur) {
		if (currency_el(x, 2, q->currency) == 0) {
			q->has_cur = 1;
			q->cur_pos = at(x, 2);
		}
	}
}

static void on_ref(x12 *x)
{
	/* REF*PR: the supplier's price quote number names the quote. */
	if (!x->l.open && !x->q.quote_ref.set && is(elem(x, 1), "PR"))
		keep(x, &x->q.quote_ref, 2, "price quote number");
}

static void on_dtm(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;
	span what = elem(x, 1);
	int deliv = is(what, "002") || is(what, "010");
	bid_date d;

	if (l->open) {
		if (l->sub || !deliv || l->deliv != BID_DATE_NONE)
			return;
		if (date_el(x, 2, "delivery date", &d) == 0) {
			l->deliv = d;
			l->deliv_pos = at(x, 2);
		}
		return;
	}
	if (q->in_n9)
		return;
	if (deliv && q->deliv == BID_DATE_NONE) {
		if (date_el(x, 2, "delivery date", &d) == 0) {
			q->deliv = d;
			q->deliv_pos = at(x, 2);
		}
	} else if (is(what, "036")) {
		if (date_el(x, 2, "expiration date", &d) == 0)
			q->valid_until = d;     /* DTM*036 beats BQR05 */
	} else if (is(what, "007") && q->valid_from == BID_DATE_NONE) {
		if (date_el(x, 2, "effective date", &d) == 0)
			q->valid_from = d;
	}
}

static void on_sch(x12 *x)
{
	line *l = &x->l;
	span what = elem(x, 5);
	bid_date d;

	if (!l->open || l->deliv != BID_DATE_NONE || !(is(what, "002") || is(what, "010")))
		return;
	if (date_el(x, 6, "delivery date", &d) == 0) {
		l->deliv = d;
		l->deliv_pos = at(x, 6);
	}
}

static void on_ldt(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;
	span unit = elem(x, 3);
	char a[16];
	bid_dec v;
	int64_t mult, days;
	int rc;

	if (l->open ? l->has_lead : q->has_lead)
		return;
	if (!elem(x, 1).n)
		verr(x, at(x, 1), "x12.ldt.missing", "LDT01 lead time code is missing");
	if ((rc = dec_el(x, 2, "lead time", &v)) != 0) {
		if (rc > 0)
			verr(x, at(x, 2), "x12.ldt.missing", "LDT02 lead time quantity is missing");
		return;
	}
	if (is(unit, "DA") || is(unit, "CD"))
		mult = 1;
	else if (is(unit, "WK"))
		mult = 7;
	else if (is(unit, "MO"))
		mult = 30;        /* a convention: a month counts as 30 days */
	else {
		verr(x, at(x, 3), "x12.ldt.unit", "LDT03 unit of time '%s' is not supported: expected "
		     "DA or CD (days), WK (weeks) or MO (months of 30 days)",
		     shown(a, sizeof(a), unit));
		return;
	}
	if (v < 0) {
		verr(x, at(x, 2), "x12.ldt.range", "LDT02 lead time must not be negative");
		return;
	}
	if (v / BID_DEC_SCALE > MAX_DAYS) {
		verr(x, at(x, 2), "x12.ldt.range", "LDT02 lead time is more than %d days", MAX_DAYS);
		return;
	}
	/* Part days round up: the goods are there by the next whole day. */
	days = (v / BID_DEC_SCALE) * mult +
	       ((v % BID_DEC_SCALE) * mult + BID_DEC_SCALE - 1) / BID_DEC_SCALE;
	if (days > MAX_DAYS) {
		verr(x, at(x, 2), "x12.ldt.range", "LDT02 lead time is more than %d days", MAX_DAYS);
		return;
	}
	if (l->open) {
		l->lead = (int32_t)days;
		l->has_lead = 1;
		l->lead_pos = at(x, 2);
	} else {
		q->lead = (int32_t)days;
		q->has_lead = 1;
		q->lead_pos = at(x, 2);
	}
}

static void on_itd(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;
	uint64_t net = 0, ddays = 0;
	bid_dec pct = 0;
	int rnet, rpct, rdays;
	char a[48];

	if (l->open && l->sub)
		return;
	rnet = uint_el(x, 7, "net days", MAX_DAYS, &net);
	rpct = dec_el(x, 3, "discount percent", &pct);
	rdays = uint_el(x, 5, "discount days", MAX_DAYS, &ddays);
	if (rpct == 0 && (pct <= 0 || pct >= 100 * BID_DEC_SCALE)) {
		verr(x, at(x, 3), "x12.itd.discount", "ITD03 discount percent '%s' is not between 0 "
		     "and 100", shown(a, sizeof(a), elem(x, 3)));
		rpct = -1;
	} else if (rpct == 0 && rdays > 0) {
		verr(x, at(x, 5), "x12.itd.discount", "ITD03 discount of %s%% has no discount days "
		     "in ITD05", shown(a, sizeof(a), elem(x, 3)));
		rpct = -1;
	}
	if (l->open) {
		if (rnet == 0 && !l->has_pay) {
			l->pay_days = (int32_t)net;
			l->has_pay = 1;
		}
		if (rpct == 0)
			warn(x, at(x, 3), "x12.itd.line", "the discount in a line's ITD is not kept "
			     "(lines carry net days only): the header's terms apply");
		return;
	}
	if (rnet == 0 && !q->has_pay) {
		q->pay_days = (int32_t)net;
		q->has_pay = 1;
	}
	if (rpct == 0 && rdays == 0 && !q->has_disc) {
		q->disc_pct = pct;
		q->disc_days = (int32_t)ddays;
		q->has_disc = 1;
	}
}

/*
 * SAC: an allowance or charge of the quote (before the first PO1) or of
 * the open line.  SAC05 is N2: digits only, two of them decimals.
 */
static void on_sac(x12 *x)
{
	line *l = &x->l;
	quote *q = &x->q;
	span ind = elem(x, 1), amt = elem(x, 5);
	bid_dec *sum = l->open ? &l->chg : &q->chg;
	unsigned *n = l->open ? &l->nchg : &q->nchg;
	int *bad = l->open ? &l->chg_bad : &q->chg_bad;
	int64_t cents = 0, v;
	char a[48];
	size_t i;
	int sign;

	if (l->open && l->sub)
		return;                       /* a subline's or a party's */
	if (is(ind, "C"))
		sign = 1;
	else if (is(ind, "A"))
		sign = -1;
	else if (is(ind, "N"))
		return;
	else {
		*bad = 1;
		verr(x, at(x, 1), "x12.sac.indicator", "SAC01 allowance or charge indicator '%s' is "
		     "not C (charge), A (allowance) or N (neither)", shown(a, sizeof(a), ind));
		return;
	}
	if (!l->open && q->chg_pos.line == 0)
		q->chg_pos = at(x, 0);
	if (amt.n == 0) {
		if (elem(x, 7).n || elem(x, 8).n)
			warn(x, at(x, 7), "x12.sac.percent", "SAC*%c gives a percent or rate and no "
			     "amount (SAC05): not used", sign > 0 ? 'C' : 'A');
		else
			warn(x, at(x, 5), "x12.sac.amount", "SAC*%c has no amount (SAC05): not used",
			     sign > 0 ? 'C' : 'A');
		return;
	}
	for (i = 0; i < amt.n && amt.p[i] >= '0' && amt.p[i] <= '9'; i++)
		cents = cents > (BID_DEC_MAX / 10000 - 9) / 10 ? BID_DEC_MAX : cents * 10 + (amt.p[i] - '0');
	if (i < amt.n) {
		*bad = 1;
		verr(x, at(x, 5), "x12.sac.amount", "SAC05 amount '%s' is not an N2 number: expected "
		     "digits only with two implied decimals (1050 for 10.50)", shown(a, sizeof(a), amt));
		return;
	}
	/* cents is held at BID_DEC_MAX once it can no longer be a decimal */
	v = cents == BID_DEC_MAX ? 0 : sign * cents * (BID_DEC_SCALE / 100);
	if (cents == BID_DEC_MAX || __builtin_add_overflow(*sum, v, sum) || *sum == INT64_MIN) {
		*bad = 1;
		verr(x, at(x, 5), "x12.sac.range", "SAC05 amount '%s': the allowances and charges add "
		     "up to more than a decimal can hold", shown(a, sizeof(a), amt));
		return;
	}
	(*n)++;
}

static void on_pid(x12 *x)
{
	/* PID*F: free-form description in PID05. */
	if (x->l.open && !x->l.sub && !x->l.desc.set && is(elem(x, 1), "F"))
		keep(x, &x->l.desc, 5, "description");
}

/* The unit code in span s -> Rec 20, or NULL. */
static const char *unit_of(span s, char code[4])
{
	size_t i;

	if (s.n == 0 || s.n > 3)
		return NULL;
	for (i = 0; i < s.n; i++)
		if (!is_alnum(s.p[i]))
			return NULL;
	memcpy(code, s.p, s.n);
	code[s.n] = '\0';
	return bid_unit_from_x12(code);
}

/* Basis of unit price (639) -> quantity; 0 for "per each"; -1 unknown. */
static bid_dec basis_of(span s)
{
	if (s.n == 0 || is(s, "PE"))
		return 0;
	if (is(s, "HP"))
		return 100 * BID_DEC_SCALE;
	if (is(s, "TP"))
		return 1000 * BID_DEC_SCALE;
	return -1;
}

static void on_po1(x12 *x)
{
	line *l = &x->l;
	static const struct { const char *q; int slot; } quals[] = {
		{ "VN", BID_PART_SELLER }, { "VP", BID_PART_SELLER }, { "BP", BID_PART_BUYER },
		{ "MG", BID_PART_MANUFACTURER }, { "MF", BID_PART_MANUFACTURER },
		{ "UP", BID_PART_STANDARD }, { "EN", BID_PART_STANDARD }, { "UK", BID_PART_STANDARD },
	};
	span unit, basis;
	char a[16];
	size_t k, i;

	finish_line(x);
	send_header(x);
	x->q.npo1++;
	memset(l, 0, offsetof(line, id));
	l->id.set = l->desc.set = l->manufacturer.set = 0;
	for (i = 0; i < BID_PART__COUNT; i++)
		l->parts[i].set = 0;
	l->open = 1;
	l->pos = at(x, 0);
	l->deliv = BID_DATE_NONE;
	keep(x, &l->id, 1, "line id");

	if (dec_el(x, 2, "quantity", &l->qty) == 0) {
		l->qty_pos = at(x, 2);
		if (l->qty <= 0)
			verr(x, at(x, 2), "x12.po1.qty", "PO102 quantity must be greater than 0, found "
			     "'%s'", shown(a, sizeof(a), elem(x, 2)));
		else
			l->has_qty = 1;
	}
	unit = elem(x, 3);
	if (unit.n) {
		l->unit_pos = at(x, 3);
		if (!(l->unit = unit_of(unit, l->x12_unit)))
			verr(x, at(x, 3), "x12.unit.unknown", "PO103 unit '%s' is not a known X12 355 "
			     "unit code", shown(a, sizeof(a), unit));
	} else if (elem(x, 2).n) {
		verr(x, at(x, 3), "x12.unit.missing", "PO103 unit is missing: PO102 quantity needs "
		     "its unit (an X12 355 code such as EA)");
	}
	if (positive_el(x, 4, "unit price", "x12.po1.price", &l->price) == 0)
		l->has_price = 1;
	l->price_pos = at(x, 4);
	basis = elem(x, 5);
	if ((l->basis = basis_of(basis)) < 0) {
		l->basis = 0;
		verr(x, at(x, 5), "x12.po1.basis", "PO105 basis of unit price '%s' is not supported: "
		     "expected PE (per each), HP (per hundred) or TP (per thousand)",
		     shown(a, sizeof(a), basis));
	} else if (basis.n) {
		memcpy(l->basis_code, basis.p, 2);     /* PE, HP or TP */
		l->basis_pos = at(x, 5);
		if (l->basis == 0)
			l->basis = BID_DEC_SCALE;
	}

	/* Product id pairs: PO106/07, 08/09 ... */
	for (k = 6; k < x->nel; k += 2) {
		span qual = elem(x, k), id = elem(x, k + 1);

		if (!qual.n && !id.n)
			continue;
		if (!qual.n || !id.n) {
			verr(x, at(x, qual.n ? k + 1 : k), "x12.po1.pair", "%s has no %s in %s",
			     qual.n ? ref(x, k) : ref(x, k + 1), qual.n ? "product id" : "qualifier",
			     qual.n ? ref(x, k + 1) : ref(x, k));
			continue;
		}
		for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
			if (is(qual, quals[i].q)) {
				if (!l->parts[quals[i].slot].set)
					keep(x, &l->parts[quals[i].slot], k + 1, "product id");
				break;
			}
		}
	}
}

/*
 * One price break: `price` from `qty` on.  Breaks must rise strictly;
 * the unit (a composite's first component) and the basis, when given,
 * must be the line's own.
 */
static void add_break(x12 *x, int src, size_t kprice, size_t kqty, size_t kunit, size_t kbasis,
                      int composite_unit)
{
	line *l = &x->l;
	span unit = elem(x, kunit), basis = elem(x, kbasis);
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], lab[64];
	bid_dec price, qty;
	int rc;

	if (l->tier_src && l->tier_src != src) {
		if (!l->other_warned++)
			warn(x, at(x, 0), "x12.tier.mixed", "%s: %s price breaks ignored, the line's "
			     "breaks come from %s", line_label(x, lab, sizeof(lab)),
			     src == 'C' ? "CTP" : "PO3", src == 'C' ? "PO3" : "CTP");
		return;
	}
	rc = dec_el(x, kqty, "break quantity", &qty);
	if (rc > 0)
		return;      /* no quantity: a price of another kind, not a break */
	l->tier_src = src;
	if (positive_el(x, kprice, "break price", "x12.tier.price", &price) < 0 || rc < 0)
		return;
	if (qty < 0) {
		verr(x, at(x, kqty), "x12.tier.qty", "%s break quantity must not be negative",
		     ref(x, kqty));
		return;
	}
	if (composite_unit && unit.n) {
		const char *c = memchr(unit.p, x->cs, unit.n);
		if (c)
			unit.n = (size_t)(c - unit.p);
	}
	if (unit.n && l->x12_unit[0] && !is(unit, l->x12_unit)) {
		char u[16];
		verr(x, at(x, kunit), "x12.tier.unit", "%s break unit '%s' differs from the line's "
		     "PO103 '%s': expected the same unit", ref(x, kunit), shown(u, sizeof(u), unit),
		     l->x12_unit);
		return;
	}
	if (basis.n && basis_of(basis) != (l->basis == BID_DEC_SCALE ? 0 : l->basis)) {
		char u[16];
		verr(x, at(x, kbasis), "x12.tier.basis", "%s break basis '%s' differs from the line's "
		     "PO105 '%s': expected the same basis", ref(x, kbasis), shown(u, sizeof(u), basis),
		     l->basis_code[0] ? l->basis_code : "PE");
		return;
	}
	if (l->nbreaks == MAX_TIERS) {
		if (l->bad)
			return;       /* said once */
		verr(x, at(x, 0), "x12.tier.many", "%s has more than %d price breaks",
		     line_label(x, lab, sizeof(lab)), MAX_TIERS);
		return;
	}
	if (l->nbreaks && qty <= l->tiers[l->nbreaks].from_qty) {
		verr(x, at(x, kqty), "x12.tier.order", "%s break quantity %s is not above the previous "
		     "break's %s: price breaks must come in increasing quantity order", ref(x, kqty),
		     bid_dec_format(a, sizeof(a), qty, 0),
		     bid_dec_format(b, sizeof(b), l->tiers[l->nbreaks].from_qty, 0));
		return;
	}
	l->nbreaks++;
	l->tiers[l->nbreaks].from_qty = qty;
	l->tiers[l->nbreaks].price = price;
	l->tiers[l->nbreaks].pos = at(x, kprice);
}

static void on_ctp(x12 *x)
{
	if (!x->l.open) {
		if (!x->q.ctp_warned++)
			warn(x, at(x, 0), "x12.ctp.header", "CTP before the first PO1 is ignored: price "
			     "breaks belong in a PO1 loop");
		return;
	}
	if (!x->l.sub)
		add_break(x, 'C', 3, 4, 5, 9, 1);
}

static void on_po3(x12 *x)
{
	if (x->l.open && !x->l.sub && elem(x, 4).n)
		add_break(x, 'P', 4, 6, 7, 5, 0);
}

static void on_ctt(x12 *x)
{
	uint64_t n;

	finish_line(x);
	send_header(x);
	x->q.after_ctt = 1;
	if (uint_el(x, 1, "number of line items", 999999999, &n) == 0 && n != x->q.npo1)
		warn(x, at(x, 1), "x12.count.ctt", "CTT01 says %llu line items, but the transaction "
		     "set has %lu PO1 segments", (unsigned long long)n, x->q.npo1);
}

/* A control count (SE01, GE01, IEA01) against what was counted. */
static void check_count(x12 *x, size_t k, unsigned long counted, const char *what,
                        const char *rule)
{
	span s = elem(x, k);
	char a[48];
	size_t i;
	unsigned long long v = 0;

	for (i = 0; i < s.n && i < 18 && s.p[i] >= '0' && s.p[i] <= '9'; i++)
		v = v * 10 + (unsigned)(s.p[i] - '0');
	if (s.n == 0 || i != s.n)
		warn(x, at(x, k), rule, "%s '%s' is not a count: expected %lu", ref(x, k),
		     shown(a, sizeof(a), s), counted);
	else if (v != counted)
		warn(x, at(x, k), rule, "%s says %llu %s, but there are %lu", ref(x, k), v, what,
		     counted);
}

static void check_control(x12 *x, size_t k, const char *want, const char *opener)
{
	span s = elem(x, k);
	char a[48];

	if (!is(s, want))
		warn(x, at(x, k), "x12.control", "%s control number '%s' does not match %s '%s'",
		     ref(x, k), shown(a, sizeof(a), s), opener, want);
}

static void on_st(x12 *x)
{
	quote *q = &x->q;
	char a[16];

	if (!is(elem(x, 1), "843")) {
		fail(x, at(x, 1), "x12.st.type", "transaction set '%s' is not an 843 (Response to "
		     "Request for Quotation): expected ST01 843", shown(a, sizeof(a), elem(x, 1)));
		return;
	}
	memset(q, 0, sizeof(*q));
	x->l.open = 0;
	q->st_seg = x->seg;
	keep_code(q->st02, sizeof(q->st02), elem(x, 2));
	q->issue = q->valid_from = q->valid_until = q->deliv = BID_DATE_NONE;
	x->nst++;
	x->state = IN_ST;
}

static void on_se(x12 *x)
{
	quote *q = &x->q;

	finish_line(x);
	if (!q->sent && q->npo1 == 0)
		warn(x, (bid_pos){ q->st_seg, 0 }, "x12.po1.none", "transaction set %s has no PO1 "
		     "lines", q->st02);
	send_header(x);
	check_count(x, 1, (unsigned long)(x->seg - q->st_seg + 1), "segments", "x12.count.se");
	check_control(x, 2, q->st02, "ST02");
	x->state = IN_GS;
}

/* A segment inside ST..SE. */
static void on_body(x12 *x, uint32_t id)
{
	line *l = &x->l;

	if (x->q.after_ctt && id != ID('S', 'E', 0))
		return;
	switch (id) {
	case ID('S', 'E', 0):  on_se(x); break;
	case ID('B', 'Q', 'R'): if (!l->open) on_bqr(x); break;
	case ID('C', 'U', 'R'): on_cur(x); break;
	case ID('R', 'E', 'F'): on_ref(x); break;
	case ID('D', 'T', 'M'): on_dtm(x); break;
	case ID('I', 'T', 'D'): on_itd(x); break;
	case ID('N', '1', 0):  on_n1(x); break;
	case ID('N', '9', 0):
		if (l->open)
			l->sub = 1;
		else
			x->q.in_n9 = 1;
		break;
	case ID('S', 'L', 'N'): case ID('C', 'S', 'T'): case ID('P', 'D', 0): case ID('A', 'M', 'T'):
		if (l->open)
			l->sub = 1;
		else
			x->q.in_n9 = 0;
		break;
	case ID('L', 'D', 'T'): on_ldt(x); break;
	case ID('P', 'O', '1'): on_po1(x); break;
	case ID('C', 'T', 'P'): on_ctp(x); break;
	case ID('P', 'O', '3'): on_po3(x); break;
	case ID('P', 'I', 'D'): on_pid(x); break;
	case ID('S', 'A', 'C'): on_sac(x); break;
	case ID('S', 'C', 'H'): on_sch(x); break;
	case ID('C', 'T', 'T'): on_ctt(x); break;
	default: break;
	}
}

/* Envelope segments in the wrong place end the parse. */
static void misplaced(x12 *x, const char *expected)
{
	char a[8];

	fail(x, at(x, 0), "x12.envelope", "found %s at segment %u: expected %s",
	     shown(a, sizeof(a), x->el[0]), (unsigned)x->seg, expected);
}

static void on_segment(x12 *x)
{
	span s = x->el[0];
	uint32_t id = ID(s.p[0], s.p[1], s.n > 2 ? s.p[2] : 0);

	switch (x->state) {
	case IN_ISA:
		if (id == ID('G', 'S', 0)) {
			char a[16];
			if (!is(elem(x, 1), "RR"))
				warn(x, at(x, 1), "x12.gs.functional", "GS01 functional id '%s' is not RR "
				     "(responses to requests for quotation)", shown(a, sizeof(a), elem(x, 1)));
			keep_sender(x->gs02, sizeof(x->gs02), elem(x, 2));
			keep_code(x->gs06, sizeof(x->gs06), elem(x, 6));
			x->gs_seg = x->seg;
			x->nst = 0;
			x->ngs++;
			x->state = IN_GS;
		} else if (id == ID('I', 'E', 'A')) {
			check_count(x, 1, x->ngs, "functional groups", "x12.count.iea");
			check_control(x, 2, x->isa13, "ISA13");
			x->state = IN_NONE;
		} else {
			misplaced(x, "GS (a functional group) or IEA (the end of the interchange)");
		}
		break;
	case IN_GS:
		if (id == ID('S', 'T', 0)) {
			on_st(x);
		} else if (id == ID('G', 'E', 0)) {
			check_count(x, 1, x->nst, "transaction sets", "x12.count.ge");
			check_control(x, 2, x->gs06, "GS06");
			x->gs02[0] = '\0';
			x->state = IN_ISA;
		} else {
			misplaced(x, "ST (a transaction set) or GE (the end of the functional group)");
		}
		break;
	case IN_ST:
		if (id == ID('S', 'T', 0) || id == ID('G', 'E', 0) || id == ID('I', 'E', 'A') ||
		    id == ID('G', 'S', 0) || id == ID('I', 'S', 'A')) {
			char a[80];
			snprintf(a, sizeof(a), "SE to end the transaction set begun at segment %u",
			         (unsigned)x->q.st_seg);
			misplaced(x, a);
		} else {
			on_body(x, id);
		}
		break;
	default:
		break;
	}
}

/*
 * The tokenizer alone, for the benchmark: counts segments and elements
 * with the same code the parser uses.  Not part of any API.
 */
int bid_x12__scan(const char *data, size_t len, size_t *nsegments, size_t *nelements);

int bid_x12__scan(const char *data, size_t len, size_t *nsegments, size_t *nelements)
{
	static const bid_import_sink none;
	x12 *x = calloc(1, sizeof(*x));
	int rc;

	if (!x)
		return BID_ENOMEM;
	x->name = "scan";
	x->sink = &none;
	x->p = data;
	x->end = data + len;
	*nsegments = *nelements = 0;
	while ((rc = next_segment(x)) > 0) {
		if (rc == 1 && x->el[0].n == 3 && memcmp(x->el[0].p, "IEA", 3) == 0)
			x->state = IN_NONE;
		(*nsegments)++;
		*nelements += x->nel;
	}
	rc = x->fatal ? BID_EINVALID : 0;
	free(x);
	return rc;
}

/* The first NUL in [p, end), a MiB at a time, telling the sink how far it got; or NULL. */
static const char *find_nul(const char *p, const char *end, const bid_import_sink *sink,
                            const char *base)
{
	size_t mark = 0;

	while (p < end) {
		size_t n = (size_t)(end - p) < BID_PROGRESS_STEP ? (size_t)(end - p) : BID_PROGRESS_STEP;
		const char *nul = memchr(p, '\0', n);

		if (nul)
			return nul;
		p += n;
		bid_import__progress(sink, base, p, &mark);
	}
	return NULL;
}

int bid_x12__parse(const char *data, size_t len, const char *name,
                   const bid_import_sink *sink, bid_error *err)
{
	x12 *x;
	const char *nul;
	int rc;

	/* The state holds fixed buffers for every kept value: off the stack. */
	if (!(x = calloc(1, sizeof(*x))))
		return bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory reading %s", name);
	x->name = name;
	x->sink = sink;
	x->p = data;
	x->end = data + len;
	bid_error_clear(&x->first);

	/* A UTF-8 BOM and white space may come before ISA, as detection allows. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		x->p += 3;
	while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\r' || *x->p == '\n'))
		x->p++;
	if (x->p == x->end) {
		fail(x, (bid_pos){ 1, 0 }, "x12.empty", "the file is empty: expected an X12 "
		     "interchange beginning with ISA");
		goto done;
	}
	/*
	 * X12 text never holds NUL: refuse it up front (one memchr over the
	 * file), at the segment it falls in.
	 */
	if ((nul = find_nul(x->p, x->end, sink, data))) {
		/*
		 * Which segment holds it: tokenize up to the NUL with a sink that
		 * hears nothing, then report only the NUL.
		 */
		static const bid_import_sink deaf;
		const char *start = x->p;

		x->sink = &deaf;
		x->end = nul;
		while ((rc = next_segment(x)) > 0 && !x->fatal)
			if (rc == 1)
				on_segment(x);
		/* Cut short by the NUL, the last segment read "ends the file". */
		rc = x->fatal ? (int)x->seg : (int)x->seg + 1;
		memset(x, 0, sizeof(*x));
		x->name = name;
		x->sink = sink;
		x->p = start;
		x->end = data + len;
		x->seg = (uint32_t)rc;
		fail(x, at(x, 0), "x12.nul", "segment %u contains a NUL byte (at byte offset %zu): "
		     "X12 text never does", (unsigned)x->seg, (size_t)(nul - data));
		goto done;
	}

	while (!x->fatal && !x->stop && (rc = next_segment(x)) > 0) {
		if (rc == 1)
			on_segment(x);
	}
	if (!x->fatal && !x->stop && x->state != IN_NONE) {
		static const char *const inside[] = { "", "the interchange", "the functional group",
		                                      "the transaction set" };
		static const char *const want[] = { "", "IEA", "GE", "SE" };
		uint32_t begun = x->state == IN_ISA ? x->isa_seg : x->state == IN_GS ? x->gs_seg
		                                                                      : x->q.st_seg;
		finish_line(x);
		fail(x, at(x, 0), "x12.truncated", "the file ends inside %s begun at segment %u: "
		     "expected %s (truncated file?)", inside[x->state], (unsigned)begun, want[x->state]);
	}
done:
	rc = 0;
	if (x->stop) {
		rc = bid_import__stopped(err, x->stop, name, at(x, 0));
	} else if (x->nerrors) {
		if (err)
			*err = x->first;
		rc = BID_EINVALID;
	}
	free(x);
	return rc;
}
