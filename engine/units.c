/*
 * units.c - UN/ECE Rec 20 units of measure: dimension and exact factor
 * of each unit, conversion ratios between them, and the X12 355 code map.
 * Depends only on the C library and error.c: no float, no allocation,
 * and nothing outside include/bidcmp/.
 */
#include <stdint.h>
#include <string.h>

#include "bidcmp/units.h"

__extension__ typedef unsigned __int128 u128;

/*
 * Every unit we know, sorted by code (strcmp order) for binary search.
 * num/den is the size of one unit in the dimension's base unit (piece,
 * kg, m, m^3, m^2, s, J), an exact reduced fraction.  The imperial
 * factors are the legal definitions, not Rec 20's rounded decimals:
 * lb = 0.45359237 kg, in = 0.0254 m, US gal = 231 in^3 = 3.785411784 L,
 * UK gal = 4.54609 L; the others are built from those (oz = lb/16,
 * short ton = 2000 lb, ft^3 = (12 in)^3 ...).  MON and ANN are the
 * average month and Julian year, as Rec 20 defines them.
 *
 * Packages are Rec 21 codes, bare (BX, as X12 and EDIFACT send them)
 * and X-prefixed (XBX, Peppol): a box holds as many pieces as the
 * supplier says, so they have no factor (0/0).  SET and ZZ (mutually
 * defined) have no factor either and are handled the same way.  PCE is
 * not a Rec 20 code but suppliers send it for "piece" all the time.
 */
static const bid_unit units[] = {
	{"ACR",  "acre", BID_DIM_AREA, 316160658, 78125},
	{"ANN",  "year (average, 365.25 days)", BID_DIM_TIME, 31557600, 1},
	{"BA",   "barrel", BID_DIM_PACKAGE, 0, 0},
	{"BE",   "bundle", BID_DIM_PACKAGE, 0, 0},
	{"BG",   "bag", BID_DIM_PACKAGE, 0, 0},
	{"BJ",   "bucket", BID_DIM_PACKAGE, 0, 0},
	{"BK",   "basket", BID_DIM_PACKAGE, 0, 0},
	{"BLL",  "barrel (US)", BID_DIM_VOLUME, 9936705933, 62500000000},
	{"BO",   "bottle", BID_DIM_PACKAGE, 0, 0},
	{"BX",   "box", BID_DIM_PACKAGE, 0, 0},
	{"C62",  "one", BID_DIM_COUNT, 1, 1},
	{"CA",   "can, rectangular", BID_DIM_PACKAGE, 0, 0},
	{"CEN",  "hundred", BID_DIM_COUNT, 100, 1},
	{"CLT",  "centilitre", BID_DIM_VOLUME, 1, 100000},
	{"CMK",  "square centimetre", BID_DIM_AREA, 1, 10000},
	{"CMQ",  "cubic centimetre", BID_DIM_VOLUME, 1, 1000000},
	{"CMT",  "centimetre", BID_DIM_LENGTH, 1, 100},
	{"CN",   "container", BID_DIM_PACKAGE, 0, 0},
	{"CR",   "crate", BID_DIM_PACKAGE, 0, 0},
	{"CS",   "case", BID_DIM_PACKAGE, 0, 0},
	{"CT",   "carton", BID_DIM_PACKAGE, 0, 0},
	{"CY",   "cylinder", BID_DIM_PACKAGE, 0, 0},
	{"DAY",  "day", BID_DIM_TIME, 86400, 1},
	{"DLT",  "decilitre", BID_DIM_VOLUME, 1, 10000},
	{"DMQ",  "cubic decimetre", BID_DIM_VOLUME, 1, 1000},
	{"DMT",  "decimetre", BID_DIM_LENGTH, 1, 10},
	{"DR",   "drum", BID_DIM_PACKAGE, 0, 0},
	{"DTN",  "decitonne", BID_DIM_MASS, 100, 1},
	{"DZN",  "dozen", BID_DIM_COUNT, 12, 1},
	{"E48",  "service unit", BID_DIM_COUNT, 1, 1},
	{"EA",   "each", BID_DIM_COUNT, 1, 1},
	{"EN",   "envelope", BID_DIM_PACKAGE, 0, 0},
	{"FOT",  "foot", BID_DIM_LENGTH, 381, 1250},
	{"FTK",  "square foot", BID_DIM_AREA, 145161, 1562500},
	{"FTQ",  "cubic foot", BID_DIM_VOLUME, 55306341, 1953125000},
	{"GLI",  "gallon (UK)", BID_DIM_VOLUME, 454609, 100000000},
	{"GLL",  "gallon (US)", BID_DIM_VOLUME, 473176473, 125000000000},
	{"GRM",  "gram", BID_DIM_MASS, 1, 1000},
	{"GRO",  "gross", BID_DIM_COUNT, 144, 1},
	{"GWH",  "gigawatt hour", BID_DIM_ENERGY, 3600000000000, 1},
	{"H87",  "piece", BID_DIM_COUNT, 1, 1},
	{"HAR",  "hectare", BID_DIM_AREA, 10000, 1},
	{"HGM",  "hectogram", BID_DIM_MASS, 1, 10},
	{"HLT",  "hectolitre", BID_DIM_VOLUME, 1, 10},
	{"HUR",  "hour", BID_DIM_TIME, 3600, 1},
	{"INH",  "inch", BID_DIM_LENGTH, 127, 5000},
	{"INK",  "square inch", BID_DIM_AREA, 16129, 25000000},
	{"INQ",  "cubic inch", BID_DIM_VOLUME, 2048383, 125000000000},
	{"JOU",  "joule", BID_DIM_ENERGY, 1, 1},
	{"JR",   "jar", BID_DIM_PACKAGE, 0, 0},
	{"KGM",  "kilogram", BID_DIM_MASS, 1, 1},
	{"KJO",  "kilojoule", BID_DIM_ENERGY, 1000, 1},
	{"KMK",  "square kilometre", BID_DIM_AREA, 1000000, 1},
	{"KMT",  "kilometre", BID_DIM_LENGTH, 1000, 1},
	{"KWH",  "kilowatt hour", BID_DIM_ENERGY, 3600000, 1},
	{"LBR",  "pound", BID_DIM_MASS, 45359237, 100000000},
	{"LTN",  "ton (UK) or long ton (US)", BID_DIM_MASS, 317514659, 312500},
	{"LTR",  "litre", BID_DIM_VOLUME, 1, 1000},
	{"MGM",  "milligram", BID_DIM_MASS, 1, 1000000},
	{"MIL",  "thousand", BID_DIM_COUNT, 1000, 1},
	{"MIN",  "minute", BID_DIM_TIME, 60, 1},
	{"MLT",  "millilitre", BID_DIM_VOLUME, 1, 1000000},
	{"MMK",  "square millimetre", BID_DIM_AREA, 1, 1000000},
	{"MMQ",  "cubic millimetre", BID_DIM_VOLUME, 1, 1000000000},
	{"MMT",  "millimetre", BID_DIM_LENGTH, 1, 1000},
	{"MON",  "month (average, 30.4375 days)", BID_DIM_TIME, 2629800, 1},
	{"MTK",  "square metre", BID_DIM_AREA, 1, 1},
	{"MTQ",  "cubic metre", BID_DIM_VOLUME, 1, 1},
	{"MTR",  "metre", BID_DIM_LENGTH, 1, 1},
	{"MWH",  "megawatt hour", BID_DIM_ENERGY, 3600000000, 1},
	{"NAR",  "number of articles", BID_DIM_COUNT, 1, 1},
	{"NIU",  "number of international units", BID_DIM_COUNT, 1, 1},
	{"ONZ",  "ounce (avoirdupois)", BID_DIM_MASS, 45359237, 1600000000},
	{"OZA",  "fluid ounce (US)", BID_DIM_VOLUME, 473176473, 16000000000000},
	{"OZI",  "fluid ounce (UK)", BID_DIM_VOLUME, 454609, 16000000000},
	{"PA",   "packet", BID_DIM_PACKAGE, 0, 0},
	{"PCE",  "piece", BID_DIM_COUNT, 1, 1},
	{"PK",   "package", BID_DIM_PACKAGE, 0, 0},
	{"PL",   "pail", BID_DIM_PACKAGE, 0, 0},
	{"PR",   "pair", BID_DIM_COUNT, 2, 1},
	{"PTL",  "liquid pint (US)", BID_DIM_VOLUME, 473176473, 1000000000000},
	{"PX",   "pallet", BID_DIM_PACKAGE, 0, 0},
	{"QTL",  "liquid quart (US)", BID_DIM_VOLUME, 473176473, 500000000000},
	{"RL",   "reel", BID_DIM_PACKAGE, 0, 0},
	{"RO",   "roll", BID_DIM_PACKAGE, 0, 0},
	{"SA",   "sack", BID_DIM_PACKAGE, 0, 0},
	{"SEC",  "second", BID_DIM_TIME, 1, 1},
	{"SET",  "set", BID_DIM_PACKAGE, 0, 0},
	{"SMI",  "mile (statute mile)", BID_DIM_LENGTH, 201168, 125},
	{"STN",  "ton (US) or short ton (UK/US)", BID_DIM_MASS, 45359237, 50000},
	{"TB",   "tub", BID_DIM_PACKAGE, 0, 0},
	{"TNE",  "tonne (metric ton)", BID_DIM_MASS, 1000, 1},
	{"TPR",  "ten pair", BID_DIM_COUNT, 20, 1},
	{"TU",   "tube", BID_DIM_PACKAGE, 0, 0},
	{"WEE",  "week", BID_DIM_TIME, 604800, 1},
	{"WHR",  "watt hour", BID_DIM_ENERGY, 3600, 1},
	{"XBA",  "barrel", BID_DIM_PACKAGE, 0, 0},
	{"XBE",  "bundle", BID_DIM_PACKAGE, 0, 0},
	{"XBG",  "bag", BID_DIM_PACKAGE, 0, 0},
	{"XBJ",  "bucket", BID_DIM_PACKAGE, 0, 0},
	{"XBK",  "basket", BID_DIM_PACKAGE, 0, 0},
	{"XBO",  "bottle", BID_DIM_PACKAGE, 0, 0},
	{"XBX",  "box", BID_DIM_PACKAGE, 0, 0},
	{"XCA",  "can, rectangular", BID_DIM_PACKAGE, 0, 0},
	{"XCN",  "container", BID_DIM_PACKAGE, 0, 0},
	{"XCR",  "crate", BID_DIM_PACKAGE, 0, 0},
	{"XCS",  "case", BID_DIM_PACKAGE, 0, 0},
	{"XCT",  "carton", BID_DIM_PACKAGE, 0, 0},
	{"XCY",  "cylinder", BID_DIM_PACKAGE, 0, 0},
	{"XDR",  "drum", BID_DIM_PACKAGE, 0, 0},
	{"XEN",  "envelope", BID_DIM_PACKAGE, 0, 0},
	{"XJR",  "jar", BID_DIM_PACKAGE, 0, 0},
	{"XPA",  "packet", BID_DIM_PACKAGE, 0, 0},
	{"XPK",  "package", BID_DIM_PACKAGE, 0, 0},
	{"XPL",  "pail", BID_DIM_PACKAGE, 0, 0},
	{"XPX",  "pallet", BID_DIM_PACKAGE, 0, 0},
	{"XRL",  "reel", BID_DIM_PACKAGE, 0, 0},
	{"XRO",  "roll", BID_DIM_PACKAGE, 0, 0},
	{"XSA",  "sack", BID_DIM_PACKAGE, 0, 0},
	{"XTB",  "tub", BID_DIM_PACKAGE, 0, 0},
	{"XTU",  "tube", BID_DIM_PACKAGE, 0, 0},
	{"YDK",  "square yard", BID_DIM_AREA, 1306449, 1562500},
	{"YRD",  "yard", BID_DIM_LENGTH, 1143, 1250},
	{"ZZ",   "mutually defined", BID_DIM_PACKAGE, 0, 0},
};

#define NUNITS (sizeof(units) / sizeof(units[0]))

/* Internal: the whole table, for the tests' all-pairs property check. */
const bid_unit *bid_units__table(size_t *count);

const bid_unit *bid_units__table(size_t *count)
{
	*count = NUNITS;
	return units;
}

const bid_unit *bid_unit_lookup(const char *code)
{
	size_t lo = 0, hi = NUNITS;

	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, units[mid].code);
		if (c == 0)
			return &units[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * ANSI X12 355 unit codes and the Rec 20/21 code of the same unit, sorted
 * by X12 code.  Only codes whose meaning is certain are mapped; anything
 * else is "unknown", which the importer reports, rather than a guess.
 * Where X12 and Rec 21 use one code for different packages the map
 * follows the meaning: X12 CA is a case (Rec 21 CS; Rec 21 CA is a can),
 * PL a pallet (PX; Rec 21 PL is a pail), PA a pail (PL), RL a roll (RO).
 * X12 TN is the net ton of 2000 lb, Rec 20's short ton STN; MT the
 * metric ton TNE.
 */
typedef struct x12_map {
	const char *x12, *rec20;
} x12_map;

static const x12_map x12_units[] = {
	{"BE", "BE"},   /* bundle */
	{"BG", "BG"},   /* bag */
	{"BO", "BO"},   /* bottle */
	{"BX", "BX"},   /* box */
	{"CA", "CS"},   /* case */
	{"CF", "FTQ"},  /* cubic feet */
	{"CM", "CMT"},  /* centimeter */
	{"CT", "CT"},   /* carton */
	{"DA", "DAY"},  /* days */
	{"DR", "DR"},   /* drum */
	{"DZ", "DZN"},  /* dozen */
	{"EA", "EA"},   /* each */
	{"FT", "FOT"},  /* foot */
	{"FZ", "OZA"},  /* fluid ounce (US) */
	{"GA", "GLL"},  /* gallon (US) */
	{"GR", "GRM"},  /* gram */
	{"HR", "HUR"},  /* hours */
	{"IN", "INH"},  /* inch */
	{"KG", "KGM"},  /* kilogram */
	{"KH", "KWH"},  /* kilowatt hour */
	{"LB", "LBR"},  /* pound */
	{"LT", "LTR"},  /* liter */
	{"ME", "MGM"},  /* milligram */
	{"MJ", "MIN"},  /* minutes */
	{"ML", "MLT"},  /* milliliter */
	{"MM", "MMT"},  /* millimeter */
	{"MO", "MON"},  /* months */
	{"MR", "MTR"},  /* meter */
	{"MT", "TNE"},  /* metric ton */
	{"OZ", "ONZ"},  /* ounce, avoirdupois */
	{"PA", "PL"},   /* pail */
	{"PC", "H87"},  /* piece */
	{"PK", "PK"},   /* package */
	{"PL", "PX"},   /* pallet/unit load */
	{"PR", "PR"},   /* pair */
	{"PT", "PTL"},  /* pint (US liquid) */
	{"QT", "QTL"},  /* quart (US liquid) */
	{"RL", "RO"},   /* roll */
	{"SF", "FTK"},  /* square foot */
	{"ST", "SET"},  /* set */
	{"SY", "YDK"},  /* square yard */
	{"TN", "STN"},  /* net ton, 2000 lb */
	{"UN", "C62"},  /* unit */
	{"WK", "WEE"},  /* week */
	{"YD", "YRD"},  /* yard */
	{"YR", "ANN"},  /* years */
};

#define NX12 (sizeof(x12_units) / sizeof(x12_units[0]))

const char *bid_unit_from_x12(const char *code)
{
	size_t lo = 0, hi = NX12;

	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, x12_units[mid].x12);
		if (c == 0)
			return x12_units[mid].rec20;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *bid_dim_name(bid_dim dim)
{
	switch (dim) {
	case BID_DIM_COUNT:   return "count";
	case BID_DIM_MASS:    return "mass";
	case BID_DIM_LENGTH:  return "length";
	case BID_DIM_VOLUME:  return "volume";
	case BID_DIM_AREA:    return "area";
	case BID_DIM_TIME:    return "time";
	case BID_DIM_ENERGY:  return "energy";
	case BID_DIM_PACKAGE: return "package";
	}
	return "unknown";
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

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* XBX and BX are one package: compare codes without the Rec 21 'X'. */
static const char *package_base(const char *code)
{
	return code[0] == 'X' && strlen(code) == 3 ? code + 1 : code;
}

int bid_unit_ratio(int64_t *num, int64_t *den, const char *from,
                   const char *to, bid_error *err)
{
	const bid_unit *a = bid_unit_lookup(from), *b = bid_unit_lookup(to);
	uint64_t g1, g2;
	u128 n, d, g;

	if (!a)
		return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
		                     "unknown unit code '%s'", from ? from : "");
	if (!b)
		return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
		                     "unknown unit code '%s'", to ? to : "");
	/*
	 * A box priced per box needs no pack size: the same package on both
	 * sides is 1:1.  Any other conversion involving a package does.
	 */
	if (a->dim == BID_DIM_PACKAGE && b->dim == BID_DIM_PACKAGE &&
	    strcmp(package_base(a->code), package_base(b->code)) == 0) {
		*num = *den = 1;
		return 0;
	}
	if (a->dim == BID_DIM_PACKAGE || b->dim == BID_DIM_PACKAGE)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "%s is a package unit: its size in pieces is not known "
		                     "(give a pack size)",
		                     a->dim == BID_DIM_PACKAGE ? a->code : b->code);
	if (a->dim != b->dim)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "cannot convert %s (%s) to %s (%s)",
		                     a->code, bid_dim_name(a->dim), b->code, bid_dim_name(b->dim));

	/*
	 * One `from` is a.num/a.den base units, one `to` is b.num/b.den, so
	 * the ratio is (a.num × b.den) / (a.den × b.num).  Cancel the common
	 * factors of the two numerators and of the two denominators first,
	 * multiply in 128 bits, then reduce what is left.
	 */
	g1 = gcd64((uint64_t)a->num, (uint64_t)b->num);
	g2 = gcd64((uint64_t)a->den, (uint64_t)b->den);
	n = (u128)((uint64_t)a->num / g1) * ((uint64_t)b->den / g2);
	d = (u128)((uint64_t)a->den / g2) * ((uint64_t)b->num / g1);
	g = gcd128(n, d);
	n /= g;
	d /= g;
	/* The table's factors keep every pair within int64 (tests check all). */
	if (n > (u128)INT64_MAX || d > (u128)INT64_MAX)
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE,
		                     "conversion %s to %s does not fit", a->code, b->code);
	*num = (int64_t)n;
	*den = (int64_t)d;
	return 0;
}

int bid_unit_is_count(const char *code)
{
	const bid_unit *u = bid_unit_lookup(code);

	return u && u->dim == BID_DIM_COUNT;
}
