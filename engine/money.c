/*
 * money.c - exact fixed-point decimals (millionths in an int64), ISO 4217
 * minor units and calendar dates.  Depends only on the C library and
 * error.c: no float or double anywhere, no allocation, so importers can
 * call it per value and the fuzzers can hammer it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bidcmp/money.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* The largest integer part a bid_dec can hold: INT64_MAX / 10^6. */
#define INT_PART_MAX (INT64_MAX / BID_DEC_SCALE)

static const int64_t pow10_tab[BID_DEC_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000
};

/* ------------------------------------------------------------------------
 * Parsing and formatting
 * --------------------------------------------------------------------- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive "does text[0..len) start with word". */
static int starts_with_ci(const char *text, size_t len, const char *word)
{
	size_t i;

	for (i = 0; word[i]; i++) {
		unsigned char c;
		if (i >= len)
			return 0;
		c = (unsigned char)text[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)word[i])
			return 0;
	}
	return 1;
}

/*
 * A ',' inside a number is either a thousands separator ("1,000") or a
 * decimal comma ("1,5").  We reject both, but the message should tell
 * the supplier which mistake they made: three digits and then the end,
 * another ',' or a '.' look like grouping, anything else like a decimal
 * comma.  After a '.' it is always the decimal comma of "1.000,50".
 */
static int comma_is_grouping(const char *p, const char *end, int seen_dot)
{
	int n = 0;

	if (seen_dot)
		return 0;
	p++;
	while (p < end && is_digit((unsigned char)*p) && n < 4) {
		p++;
		n++;
	}
	return n == 3 && (p == end || *p == ',' || *p == '.' || is_space((unsigned char)*p));
}

/* After an 'e': an optional sign and a digit make it an exponent ("1e3"). */
static int is_exponent(const char *p, const char *end)
{
	if (p < end && (*p == '+' || *p == '-'))
		p++;
	return p < end && is_digit((unsigned char)*p);
}

/*
 * The length of a thousands separator at p that a digit follows, else 0:
 * space, apostrophe ("1'000", Swiss), underscore, and the UTF-8 no-break
 * and thin spaces (C2 A0, E2 80 89, E2 80 AF).  "5 EUR" is not grouping.
 */
static size_t group_sep_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = 0, left = (size_t)(end - p);

	if (*u == ' ' || *u == '\'' || *u == '_')
		n = 1;
	else if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		n = 2;
	else if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x89 || u[2] == 0xAF))
		n = 3;
	return n && n < left && is_digit(u[n]) ? n : 0;
}

static int bad_char(bid_error *err, unsigned char c)
{
	if (c >= 0x20 && c < 0x7f)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "unexpected character '%c' in number", c);
	return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
	                     "unexpected byte 0x%02X in number", c);
}

int bid_dec_parse(bid_dec *out, const char *text, size_t len, bid_error *err)
{
	const char *p = text, *end = text + len;
	uint64_t ipart = 0;     /* integer part, saturating past INT_PART_MAX */
	uint64_t fpart = 0;     /* first BID_DEC_DIGITS fraction digits */
	int nfrac = 0;          /* fraction digits kept in fpart */
	int ndigits = 0;        /* digits seen at all */
	int neg = 0, seen_dot = 0, too_precise = 0, too_large = 0;
	uint64_t mag;

	if (!text)
		p = end = "";
	while (p < end && is_space((unsigned char)*p))
		p++;
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	if (p == end)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "empty number");

	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	/* Words first, so "inf" is not reported as "unexpected character 'i'". */
	if (starts_with_ci(p, (size_t)(end - p), "nan") ||
	    starts_with_ci(p, (size_t)(end - p), "inf"))
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "NaN and infinity are not numbers");

	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (is_digit(c)) {
			unsigned d = c - '0';
			ndigits++;
			if (!seen_dot) {
				/* Keep scanning after overflow: a syntax error later
				 * in the text is the more useful message. */
				if (ipart > INT_PART_MAX)
					too_large = 1;
				else
					ipart = ipart * 10 + d;
			} else if (nfrac < BID_DEC_DIGITS) {
				fpart = fpart * 10 + d;
				nfrac++;
			} else if (d != 0) {
				/* Trailing zeros past the scale are harmless. */
				too_precise = 1;
			}
			continue;
		}
		if (c == '.') {
			if (seen_dot)
				return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
				                     "more than one '.' in number");
			seen_dot = 1;
			continue;
		}
		if ((c == 'e' || c == 'E') && ndigits > 0 && is_exponent(p + 1, end))
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "exponent not allowed");
		if (c == ',') {
			if (ndigits > 0 && comma_is_grouping(p, end, seen_dot))
				return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
				                     "digit grouping not allowed");
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "decimal comma not allowed: use '.'");
		}
		if (ndigits > 0 && !seen_dot && group_sep_len(p, end) > 0)
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "digit grouping not allowed");
		return bad_char(err, c);
	}

	if (ndigits == 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "no digits in number");
	if (too_precise)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "more than %d decimal places", BID_DEC_DIGITS);
	if (too_large || ipart > INT_PART_MAX)
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE, "number too large");

	fpart *= (uint64_t)pow10_tab[BID_DEC_DIGITS - nfrac];
	mag = ipart * (uint64_t)BID_DEC_SCALE + fpart;
	/* Symmetric range: -INT64_MAX..INT64_MAX, so negation is always safe. */
	if (mag > (uint64_t)INT64_MAX)
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE, "number too large");
	*out = neg ? -(int64_t)mag : (int64_t)mag;
	return 0;
}

int bid_dec_parse_cstr(bid_dec *out, const char *text, bid_error *err)
{
	return bid_dec_parse(out, text, text ? strlen(text) : 0, err);
}

char *bid_dec_format(char *buf, size_t size, bid_dec value, int min_frac)
{
	char tmp[BID_DEC_FMT_MAX], digits[24];
	uint64_t mag, ip, fp;
	size_t n = 0, nd = 0, i;
	int nfrac;

	if (!buf || size == 0)
		return buf;
	if (min_frac < 0)
		min_frac = 0;
	if (min_frac > BID_DEC_DIGITS)
		min_frac = BID_DEC_DIGITS;

	/* Unsigned negation: defined even for INT64_MIN. */
	mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	ip = mag / (uint64_t)BID_DEC_SCALE;
	fp = mag % (uint64_t)BID_DEC_SCALE;

	if (value < 0)
		tmp[n++] = '-';
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (nd)
		tmp[n++] = digits[--nd];

	/* Drop trailing zeros of the fraction, but keep min_frac digits. */
	nfrac = BID_DEC_DIGITS;
	while (nfrac > min_frac && fp % 10 == 0) {
		fp /= 10;
		nfrac--;
	}
	if (nfrac > 0) {
		tmp[n++] = '.';
		for (i = (size_t)nfrac; i > 0; i--) {
			tmp[n + i - 1] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)nfrac;
	}
	if (n >= size)
		n = size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return buf;
}

/* ------------------------------------------------------------------------
 * Arithmetic
 * --------------------------------------------------------------------- */

static u128 mag128(i128 v)
{
	return v < 0 ? (u128)0 - (u128)v : (u128)v;
}

/* n ÷ d on magnitudes, rounded half-even (ties go to the even quotient). */
static u128 udiv_half_even(u128 n, u128 d)
{
	u128 q = n / d, r = n % d;

	/* r > d - r is 2r > d without overflowing. */
	if (r > d - r || (r == d - r && (q & 1)))
		q++;
	return q;
}

/* Give a signed magnitude back as a bid_dec, or fail when it won't fit. */
static int to_dec(bid_dec *out, u128 mag, int neg, bid_error *err)
{
	if (mag > (u128)INT64_MAX)
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE,
		                     "result out of range");
	*out = neg ? -(int64_t)mag : (int64_t)mag;
	return 0;
}

int bid_dec_mul(bid_dec *out, bid_dec a, bid_dec b, bid_error *err)
{
	/* |a×b| <= 2^126: always fits in 128 bits. */
	i128 p = (i128)a * b;

	return to_dec(out, udiv_half_even(mag128(p), (u128)BID_DEC_SCALE), p < 0, err);
}

int bid_dec_div(bid_dec *out, bid_dec a, bid_dec b, bid_error *err)
{
	i128 n = (i128)a * BID_DEC_SCALE;

	if (b == 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "division by zero");
	return to_dec(out, udiv_half_even(mag128(n), mag128(b)), (n < 0) != (b < 0), err);
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Factors cross-reduced in a small stack buffer; more are multiplied as is. */
#define RATIO_REDUCE_MAX 16

int bid_dec_ratio(int64_t *out, const int64_t *num, size_t nnum,
                  const int64_t *den, size_t nden, bid_error *err)
{
	uint64_t a[RATIO_REDUCE_MAX], b[RATIO_REDUCE_MAX];
	size_t na = nnum < RATIO_REDUCE_MAX ? nnum : RATIO_REDUCE_MAX;
	size_t nb = nden < RATIO_REDUCE_MAX ? nden : RATIO_REDUCE_MAX;
	u128 n = 1, d = 1;
	int neg = 0;
	size_t i, j;

	for (j = 0; j < nden; j++) {
		if (den[j] == 0)
			return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                     "division by zero");
		neg ^= den[j] < 0;
	}
	for (i = 0; i < nnum; i++) {
		if (num[i] == 0) {
			*out = 0;
			return 0;
		}
		neg ^= num[i] < 0;
	}

	/*
	 * Cancel common factors between numerator and denominator terms
	 * first: price × 45359237 ÷ 100000000 overflows far later that way,
	 * and the quotient is the same exact rational, so rounding is too.
	 */
	for (i = 0; i < na; i++)
		a[i] = num[i] < 0 ? (uint64_t)0 - (uint64_t)num[i] : (uint64_t)num[i];
	for (j = 0; j < nb; j++)
		b[j] = den[j] < 0 ? (uint64_t)0 - (uint64_t)den[j] : (uint64_t)den[j];
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && a[i] > 1; j++) {
			uint64_t g = gcd64(a[i], b[j]);
			a[i] /= g;
			b[j] /= g;
		}
	}

	for (i = 0; i < nnum; i++) {
		uint64_t x = i < na ? a[i] : (num[i] < 0 ? (uint64_t)0 - (uint64_t)num[i]
		                                         : (uint64_t)num[i]);
		if (__builtin_mul_overflow(n, (u128)x, &n))
			return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE,
			                     "intermediate product too large");
	}
	for (j = 0; j < nden; j++) {
		uint64_t y = j < nb ? b[j] : (den[j] < 0 ? (uint64_t)0 - (uint64_t)den[j]
		                                         : (uint64_t)den[j]);
		if (__builtin_mul_overflow(d, (u128)y, &d))
			return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE,
			                     "intermediate product too large");
	}
	return to_dec(out, udiv_half_even(n, d), neg, err);
}

/*
 * Round value to a multiple of step.  mode: 0 half-even, 1 ceiling,
 * -1 floor.  A result past the int64 range (only possible within one step
 * of the ends) comes back one step toward zero, so it always fits.
 */
static bid_dec round_to_step(bid_dec value, bid_dec step, int mode)
{
	i128 v = value, s = step, q, r, res;

	if (step <= 0)
		return value;
	/* C division truncates: turn it into floor division first. */
	q = v / s;
	r = v % s;
	if (r < 0) {
		q--;
		r += s;
	}
	if (r != 0) {
		if (mode > 0)
			q++;
		else if (mode == 0 && (r > s - r || (r == s - r && (q & 1))))
			q++;
	}
	res = q * s;
	if (res > INT64_MAX)
		res -= s;
	else if (res < INT64_MIN)
		res += s;
	return (bid_dec)res;
}

bid_dec bid_dec_round(bid_dec value, int digits)
{
	if (digits < 0)
		digits = 0;
	if (digits >= BID_DEC_DIGITS)
		return value;
	return round_to_step(value, pow10_tab[BID_DEC_DIGITS - digits], 0);
}

bid_dec bid_dec_ceil_to(bid_dec value, bid_dec step)
{
	return round_to_step(value, step, 1);
}

bid_dec bid_dec_floor_to(bid_dec value, bid_dec step)
{
	return round_to_step(value, step, -1);
}

/* ------------------------------------------------------------------------
 * ISO 4217 currencies
 * --------------------------------------------------------------------- */

/*
 * The ISO 4217 list of active codes with minor units, sorted for binary
 * search.  Codes without a minor unit (XAU, XDR, XXX ...) are left out:
 * nobody can be paid in them.  Source: the ISO list of 2018-08-29 plus
 * the later amendments: VED (2021), SLE (2022), XCG (2023, in use from
 * 2025-03-31), ZWG (2024).  Withdrawn and left out: HRK (2023), ZWL
 * (2024-09-01), SLL (replaced by SLE), CUC (out of circulation since 2021,
 * formally withdrawn in 2025).  ANG stays until XCG has replaced it.
 */
typedef struct currency_entry {
	char code[4];
	signed char minor;
} currency_entry;

static const currency_entry currencies[] = {
	{"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2},
	{"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2},
	{"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
	{"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
	{"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2},
	{"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2},
	{"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
	{"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
	{"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2},
	{"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
	{"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2},
	{"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
	{"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
	{"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2},
	{"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2},
	{"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
	{"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2},
	{"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
	{"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2},
	{"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
	{"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
	{"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2},
	{"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2},
	{"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2},
	{"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2},
	{"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2},
	{"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2},
	{"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

#define NCURRENCIES (sizeof(currencies) / sizeof(currencies[0]))

int bid_currency_minor_units(const char *code)
{
	size_t lo = 0, hi = NCURRENCIES;

	/* Exactly three upper-case letters, or it cannot be in the table. */
	if (!code || !code[0] || !code[1] || !code[2] || code[3])
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(code, currencies[mid].code, 3);
		if (c == 0)
			return currencies[mid].minor;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int bid_currency_is_known(const char *code)
{
	return bid_currency_minor_units(code) >= 0;
}

bid_dec bid_money_round(bid_dec amount, const char *currency)
{
	int minor = bid_currency_minor_units(currency);

	return bid_dec_round(amount, minor < 0 ? 2 : minor);
}

/* ------------------------------------------------------------------------
 * Dates
 * --------------------------------------------------------------------- */

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/*
 * Days since 1970-01-01 of a valid y-m-d, and back.  Howard Hinnant's
 * civil-calendar algorithms: eras of 400 years, March-based years so the
 * leap day is the last day of the year.
 */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n digits at p as a number, or -1 when one is not a digit. */
static int digits_at(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * What may follow a date in lenient mode: a time ("T10:00", " 10:00"),
 * or a zone ("Z", "+01:00", "-05:00").  A digit or a letter would mean
 * the date itself was longer than we read, so those stay errors.
 */
static int is_date_suffix(unsigned char c)
{
	return c == 'T' || c == 't' || c == 'Z' || c == 'z' || c == '+' || c == '-' ||
	       c == ' ' || c == '\t';
}

int bid_date_parse(bid_date *out, const char *text, size_t len, int lenient,
                   bid_error *err)
{
	const char *p = text, *end = text + len;
	int y, m, d;
	size_t n;

	if (!text)
		p = end = "";
	while (p < end && is_space((unsigned char)*p))
		p++;
	while (end > p && is_space((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - p);
	if (n == 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "empty date");

	if (n >= 10 && p[4] == '-' && p[7] == '-') {
		y = digits_at(p, 4);
		m = digits_at(p + 5, 2);
		d = digits_at(p + 8, 2);
		p += 10;
	} else if (n >= 8 && digits_at(p, 4) >= 0 && p[4] != '-') {
		y = digits_at(p, 4);
		m = digits_at(p + 4, 2);
		d = digits_at(p + 6, 2);
		p += 8;
	} else {
		goto bad;
	}
	if (y < 0 || m < 0 || d < 0)
		goto bad;
	if (p < end && !(lenient && is_date_suffix((unsigned char)*p)))
		goto bad;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "no such date: %04d-%02d-%02d", y, m, d);
	*out = (bid_date)days_from_civil(y, m, d);
	return 0;

bad:
	return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
	                     lenient ? "not a date: want YYYY-MM-DD"
	                             : "not a date: want YYYY-MM-DD with nothing after it");
}

char *bid_date_format(char *buf, size_t size, bid_date date)
{
	char tmp[32];
	int64_t y;
	int m, d, n = 0, i;
	uint64_t ay;
	char yd[24];
	int nyd = 0;

	if (!buf || size == 0)
		return buf;
	if (date == BID_DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	civil_from_days(date, &y, &m, &d);
	/* Years outside 0..9999 get a sign or more digits, never garbage. */
	if (y < 0)
		tmp[n++] = '-';
	ay = y < 0 ? (uint64_t)0 - (uint64_t)y : (uint64_t)y;
	do {
		yd[nyd++] = (char)('0' + ay % 10);
		ay /= 10;
	} while (ay);
	while (nyd < 4)
		yd[nyd++] = '0';
	while (nyd)
		tmp[n++] = yd[--nyd];
	tmp[n++] = '-';
	tmp[n++] = (char)('0' + m / 10);
	tmp[n++] = (char)('0' + m % 10);
	tmp[n++] = '-';
	tmp[n++] = (char)('0' + d / 10);
	tmp[n++] = (char)('0' + d % 10);
	i = (size_t)n < size ? n : (int)size - 1;
	memcpy(buf, tmp, (size_t)i);
	buf[i] = '\0';
	return buf;
}

bid_date bid_date_today(void)
{
	const char *env = getenv("BIDCMP_TODAY");
	bid_date d;
	time_t now;

	if (env && *env && bid_date_parse(&d, env, strlen(env), 0, NULL) == 0)
		return d;
	now = time(NULL);
	/* time_t counts UTC seconds since the epoch; floor for pre-1970 clocks. */
	if (now < 0)
		return (bid_date)((now - 86399) / 86400);
	return (bid_date)(now / 86400);
}
