/*
 * bidcmp/money.h - exact fixed-point decimals for money, rates and
 * quantities, ISO 4217 minor units, and calendar dates.
 * No float or double is used anywhere behind this header.
 */
#ifndef BIDCMP_MONEY_H
#define BIDCMP_MONEY_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A decimal is an int64_t counting millionths: 1.5 is 1500000.
 * Unit prices, rates and quantities all use this one scale, so the
 * largest magnitude is about 9.2 million million (9.2e12).
 */
typedef int64_t bid_dec;

#define BID_DEC_SCALE   1000000LL   /* 10^BID_DEC_DIGITS */
#define BID_DEC_DIGITS  6
#define BID_DEC_MAX     INT64_MAX
#define BID_DEC_FMT_MAX 32          /* bytes to format any bid_dec, with NUL */

/**
 * Parse decimal text exactly.
 *
 * Accepts an optional sign, digits, and an optional '.' followed by
 * digits ("12", "-0.5", "3.", ".25").  Leading and trailing ASCII white
 * space is ignored.  Rejects: empty text, exponents ("1e3"), NaN and
 * infinities, grouping ("1,000" or "1 000"), a decimal comma, more than
 * BID_DEC_DIGITS significant fraction digits (trailing zeros beyond them
 * are fine), and values whose magnitude does not fit.  The range is
 * symmetric, -BID_DEC_MAX..BID_DEC_MAX: INT64_MIN is never produced by
 * parse, mul, div or ratio.
 *
 * @param out   receives the value in millionths
 * @param text  the characters; need not be NUL-terminated
 * @param len   number of characters in text
 * @param err   optional; on failure msg says what was wrong
 * @return 0, BID_EINVALID for bad syntax, BID_ERANGE when it does not fit
 */
int bid_dec_parse(bid_dec *out, const char *text, size_t len, bid_error *err);

/** bid_dec_parse on a NUL-terminated string. */
int bid_dec_parse_cstr(bid_dec *out, const char *text, bid_error *err);

/**
 * Format exactly: "-12.5", "3", "0.000001".  At least min_frac fraction
 * digits are written (0..6); trailing zeros beyond that are dropped.
 * buf should hold BID_DEC_FMT_MAX bytes.  Returns buf.
 */
char *bid_dec_format(char *buf, size_t size, bid_dec value, int min_frac);

/**
 * a × b (both decimals) rounded half-even to the decimal scale.
 * @return 0 or BID_ERANGE on overflow
 */
int bid_dec_mul(bid_dec *out, bid_dec a, bid_dec b, bid_error *err);

/**
 * a ÷ b (both decimals) rounded half-even to the decimal scale.
 * @return 0, BID_EINVALID when b is 0, BID_ERANGE on overflow
 */
int bid_dec_div(bid_dec *out, bid_dec a, bid_dec b, bid_error *err);

/**
 * The exact product of num[0..nnum) divided by the exact product of
 * den[0..nden), computed in 128-bit integers and rounded half-even once.
 * The integers are plain integers (not decimals): the caller arranges the
 * scales.  E.g. price×rate in decimals: num = {price, rate}, den = {SCALE}.
 *
 * @return 0, BID_EINVALID when a denominator is 0, BID_ERANGE when an
 *         intermediate product or the result does not fit
 */
int bid_dec_ratio(int64_t *out, const int64_t *num, size_t nnum,
                  const int64_t *den, size_t nden, bid_error *err);

/**
 * Round a decimal half-even to `digits` fraction digits (0..6); the
 * result keeps the decimal scale (1.235 at 2 digits -> 1.24 as 1240000).
 * Within one step of the int64 limits, where the rounded value would not
 * fit, the neighbouring multiple toward zero is returned (also for the
 * two functions below).
 */
bid_dec bid_dec_round(bid_dec value, int digits);

/** Round toward +infinity / -infinity to a multiple of `step` (> 0). */
bid_dec bid_dec_ceil_to(bid_dec value, bid_dec step);
bid_dec bid_dec_floor_to(bid_dec value, bid_dec step);

/**
 * ISO 4217 minor units of a currency code: 0, 2, 3 or 4; -1 when the code
 * is not a known active currency (or has no minor unit, like XAU).
 */
int bid_currency_minor_units(const char *code);

/** 1 when code is a known ISO 4217 currency with minor units, else 0. */
int bid_currency_is_known(const char *code);

/**
 * Round an extended amount (a decimal) half-even to the currency's minor
 * units.  An unknown currency rounds to 2 digits.
 */
bid_dec bid_money_round(bid_dec amount, const char *currency);

/**
 * A calendar date as days since 1970-01-01 (proleptic Gregorian).
 * BID_DATE_NONE marks "no date".
 */
typedef int32_t bid_date;
#define BID_DATE_NONE INT32_MIN

/**
 * Parse "YYYY-MM-DD" (also accepts "YYYYMMDD"), years 0001..9999.
 * Rejects dates that do not exist (2023-02-29).  Leading and trailing
 * ASCII white space is ignored.  Trailing text such as a time or a zone
 * ("T10:00:00Z", "+01:00") after a valid date is ignored only when
 * `lenient` is set.
 * @return 0 or BID_EINVALID
 */
int bid_date_parse(bid_date *out, const char *text, size_t len, int lenient,
                   bid_error *err);

/**
 * Format as "YYYY-MM-DD" into buf (at least 11 bytes); returns buf.
 * BID_DATE_NONE formats as "".  A short buf gets a truncated string.
 */
char *bid_date_format(char *buf, size_t size, bid_date date);

/** Today's UTC date, or $BIDCMP_TODAY ("YYYY-MM-DD") when set (tests). */
bid_date bid_date_today(void);

#ifdef __cplusplus
}
#endif
#endif
