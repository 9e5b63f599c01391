/*
 * normalise.c - landed unit cost of a quote line, per RFQ unit, in the
 * round currency: price ÷ basis quantity × unit factor × exchange rate,
 * computed as one exact fraction and rounded half-even once to 6
 * decimals.  Expired quotes, missing rates and units that do not convert
 * make a line ineligible, with the reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "normalise.h"

__extension__ typedef __int128 i128;

void bid_norm__init(bid_norm_ctx *ctx, bid_store *store, const char *currency,
                    bid_date date)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->store = store;
	ctx->currency = currency;
	ctx->date = date;
}

void bid_norm__free(bid_norm_ctx *ctx)
{
	bid__arena_free(&ctx->arena);
}

bid_dec bid_norm__step(const char *unit)
{
	return bid_unit_is_count(unit) ? BID_DEC_SCALE : 1;
}

/* The rate for a currency, looked up once per award. */
static int fx_for(bid_norm_ctx *ctx, const char *cur, struct fx_entry **out, bid_error *err)
{
	struct fx_entry *e;
	bid_error e2;
	size_t i;
	int rc;

	for (i = 0; i < ctx->nfx; i++)
		if (strcmp(ctx->fx[i].cur, cur) == 0) {
			*out = &ctx->fx[i];
			return 0;
		}
	if (ctx->nfx == sizeof(ctx->fx) / sizeof(ctx->fx[0]))
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE,
		                     "more than %zu currencies in one round", ctx->nfx);
	e = &ctx->fx[ctx->nfx];
	memset(e, 0, sizeof(*e));
	snprintf(e->cur, sizeof(e->cur), "%s", cur);
	rc = bid_fx__factor(ctx->store, cur, ctx->currency, ctx->date, &e->f, &e2);
	if (rc < 0 && rc != BID_ENOTFOUND) {
		if (err)
			*err = e2;
		return rc;
	}
	e->rc = rc;
	if (rc)
		snprintf(e->why, sizeof(e->why), "%s", e2.msg);
	ctx->nfx++;
	*out = e;
	return 0;
}

/* q × num ÷ den rounded toward -inf (up = 0) or +inf (up = 1), to a step. */
static int convert_qty(bid_dec *out, bid_dec q, int64_t num, int64_t den,
                       bid_dec step, int up)
{
	i128 v = (i128)q * num, r;

	if (den <= 0)
		return -1;
	r = v % den;
	v /= den;
	if (up && r > 0)
		v++;
	r = v % step;
	v -= r;
	if (up && r > 0)
		v += step;
	if (v > INT64_MAX)
		return -1;
	*out = (bid_dec)v;
	return 0;
}

static void ineligible(bid_norm_ctx *ctx, bid_norm *n, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void ineligible(bid_norm_ctx *ctx, bid_norm *n, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	n->eligible = 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n->reason = bid__arena_strdup(&ctx->arena, buf);
}

int bid_normalise__offer(bid_norm_ctx *ctx, const bid_part *p,
                         const bid_offer_row *o, bid_norm *n, bid_error *err)
{
	const char *qunit = o->unit ? o->unit : p->unit;
	const char *bunit = o->basis_unit ? o->basis_unit : qunit;
	bid_dec basis = o->basis_qty > 0 ? o->basis_qty : BID_DEC_SCALE;
	bid_dec step = bid_norm__step(p->unit);
	struct fx_entry *fx = NULL;
	int64_t qn, qd;
	bid_error e2;
	char dbuf[16];
	int rc;

	memset(n, 0, sizeof(*n));
	n->reason = "";
	n->max_qty = -1;

	if (o->valid_until != BID_DATE_NONE && o->valid_until < ctx->date) {
		ineligible(ctx, n, "quote expired on %s",
		           bid_date_format(dbuf, sizeof(dbuf), o->valid_until));
		return 0;
	}
	if ((rc = fx_for(ctx, o->currency, &fx, err)) < 0)
		return rc;
	if (fx->rc) {
		ineligible(ctx, n, "%s", fx->why);
		return 0;
	}
	n->fx_num = fx->f.num;
	n->fx_den = fx->f.den;

	/* How many basis units one RFQ unit is: the price's unit factor. */
	if (bid_unit_ratio(&n->unit_num, &n->unit_den, p->unit, bunit, &e2) < 0) {
		ineligible(ctx, n, "price unit: %s", e2.msg);
		return 0;
	}
	/* Quantities (MOQ, offered maximum) are in the line's unit. */
	if (bid_unit_ratio(&qn, &qd, qunit, p->unit, &e2) < 0) {
		ineligible(ctx, n, "quantity unit: %s", e2.msg);
		return 0;
	}

	{
		/* cost = price/basis × unit factor × fx, one rounding at the end. */
		int64_t num[4] = { o->price, n->unit_num, n->fx_num, BID_DEC_SCALE };
		int64_t den[3] = { basis, n->unit_den, n->fx_den };

		if (bid_dec_ratio(&n->unit_cost, num, 4, den, 3, &e2) < 0) {
			ineligible(ctx, n, "landed cost out of range: %s", e2.msg);
			return 0;
		}
	}
	if (n->unit_cost <= 0) {
		ineligible(ctx, n, "landed cost rounds to zero");
		return 0;
	}
	if (o->has_min_qty && convert_qty(&n->min_qty, o->min_qty, qn, qd, step, 1) < 0) {
		ineligible(ctx, n, "minimum quantity out of range");
		return 0;
	}
	if (o->has_max_qty) {
		if (convert_qty(&n->max_qty, o->max_qty, qn, qd, step, 0) < 0) {
			ineligible(ctx, n, "maximum quantity out of range");
			return 0;
		}
		if (n->max_qty <= 0) {
			ineligible(ctx, n, "offers less than one %s", p->unit);
			return 0;
		}
	}
	if (n->min_qty > p->qty) {
		char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
		ineligible(ctx, n, "minimum order quantity %s exceeds the demand %s",
		           bid_dec_format(a, sizeof(a), n->min_qty, 0),
		           bid_dec_format(b, sizeof(b), p->qty, 0));
		return 0;
	}
	n->eligible = 1;
	return 0;
}
