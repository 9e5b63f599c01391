/*
 * bidcmp/units.h - UN/ECE Recommendation 20 units of measure with their
 * dimensions and exact conversion factors, plus the X12 355 code map.
 * Factors are exact rationals, never floating point.
 */
#ifndef BIDCMP_UNITS_H
#define BIDCMP_UNITS_H

#include <stdint.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a unit measures.  Units convert only within one dimension. */
typedef enum bid_dim {
	BID_DIM_COUNT = 1,   /* pieces: C62, EA, H87, NIU, PCE, PR, DZN ... */
	BID_DIM_MASS,        /* base kilogram */
	BID_DIM_LENGTH,      /* base metre */
	BID_DIM_VOLUME,      /* base cubic metre */
	BID_DIM_AREA,        /* base square metre */
	BID_DIM_TIME,        /* base second */
	BID_DIM_ENERGY,      /* base joule */
	BID_DIM_PACKAGE      /* BX, PK, CA, XBX...: no factor without a pack size */
} bid_dim;

/**
 * One unit.  `num/den` is the size of one of this unit in the dimension's
 * base unit: LBR is 45359237/100000000 kg, DZN is 12/1 pieces.  Package
 * units have num = den = 0.
 */
typedef struct bid_unit {
	const char *code;    /* canonical Rec 20 code, e.g. "KGM" */
	const char *name;    /* English name, e.g. "kilogram" */
	bid_dim     dim;
	int64_t     num, den;
} bid_unit;

/**
 * Look a unit code up (exact, case-sensitive Rec 20 codes; the Rec 21
 * package codes and their X-prefixed forms are package units, and so are
 * SET and ZZ, which have no factor either).
 * @return the unit (static storage), or NULL when the code is unknown
 */
const bid_unit *bid_unit_lookup(const char *code);

/**
 * Map an ANSI X12 355 unit code to its Rec 20 code ("LB" -> "LBR",
 * "EA" -> "EA", "TN" (net ton) -> "STN").  Package codes map by meaning
 * to Rec 21 packages: X12 "CA" is a case, so it gives "CS" (Rec 21 "CA"
 * is a can).  NULL when unknown.
 */
const char *bid_unit_from_x12(const char *code);

/** The name of a dimension ("count", "mass", ...). */
const char *bid_dim_name(bid_dim dim);

/**
 * How many `to` units one `from` unit is, as a reduced fraction:
 * quantity_in_to = quantity_in_from × num ÷ den.  For KGM -> GRM that is
 * 1000/1; for GRM -> KGM 1/1000; for PR -> C62 2/1.  A package to the
 * same package (BX -> BX, XBX -> BX) is 1/1.
 *
 * @return 0; BID_ENOTFOUND for an unknown code; BID_EINVALID when the
 *         dimensions differ or either is a package unit (no pack size)
 *         other than the same package on both sides
 */
int bid_unit_ratio(int64_t *num, int64_t *den, const char *from,
                   const char *to, bid_error *err);

/** 1 when the unit counts whole things (count dimension), else 0. */
int bid_unit_is_count(const char *code);

#ifdef __cplusplus
}
#endif
#endif
