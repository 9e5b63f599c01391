/*
 * normalise.c - the landed cost of a quote line per RFQ unit in the round
 * currency (see normalise.h for the factors): goods at the exchange rate,
 * freight and duty adders, the value of the payment terms, the expected
 * cost of defects, and a late-delivery penalty, at the quoted price and
 * at each price break.  Expired quotes, missing rates, units that do not
 * convert, too many defects, missing certificates and late deliveries
 * (when the policy says so) make a line ineligible, with the reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "normalise.h"

__extension__ typedef __int128 i128;

int bid_norm__init(bid_norm_ctx *ctx, bid_round *round, bid_error *err)
{
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	ctx->store = round->store;
	ctx->currency = round->info.currency;
	if ((rc = bid_policy__load(&ctx->policy, round, err)) < 0)
		return rc;
	ctx->date = ctx->policy.award_date != BID_DATE_NONE ? ctx->policy.award_date
	                                                   : bid_date_today();
	return 0;
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

/* a × b ÷ c for decimals, rounded once; 0 on overflow (flagged by the caller). */
static int mul_div(bid_dec *out, bid_dec a, bid_dec b, int64_t c)
{
	int64_t num[2] = { a, b }, den[1] = { c };
	return bid_dec_ratio(out, num, 2, den, 1, NULL);
}

/*
 * The present value of paying `amount` after `days` at `rate_pct` a year,
 * simple interest: amount ÷ (1 + r × days ÷ 36500), rounded once.
 */
static int present_value(bid_dec *out, bid_dec amount, bid_dec rate_pct, int32_t days)
{
	/* amount × 36500·10^6 ÷ (36500·10^6 + r × days), r in millionths */
	int64_t num[2] = { amount, 36500LL * BID_DEC_SCALE };
	int64_t den[1];

	if (days <= 0 || rate_pct == 0) {
		*out = amount;
		return 0;
	}
	if (__builtin_mul_overflow(rate_pct, (int64_t)days, &den[0]) ||
	    __builtin_add_overflow(den[0], 36500LL * BID_DEC_SCALE, &den[0]))
		return -1;
	return bid_dec_ratio(out, num, 2, den, 1, NULL);
}

/*
 * The landed cost at one price.  Each factor is rounded half-even to 6
 * places once; the total is their exact sum, so an explanation adds up.
 */
static int landed_at(bid_norm_ctx *ctx, const bid_offer_row *o, bid_norm *n, bid_dec price,
                     bid_dec basis, bid_landed *L)
{
	const bid_policy *pol = &ctx->policy;
	int64_t num[4] = { price, n->unit_num, n->fx_num, BID_DEC_SCALE };
	int64_t den[3] = { basis, n->unit_den, n->fx_den };
	bid_dec pv_net, pv;

	memset(L, 0, sizeof(*L));
	if (bid_dec_ratio(&L->goods, num, 4, den, 3, NULL) < 0)
		return -1;
	/* charges: the line's per unit, plus the quote's share by value */
	L->charges = n->charge_unit;
	if (n->qc_den[0]) {
		bid_dec share;
		int64_t qn[4] = { L->goods, n->qc_num[1], n->qc_num[2], n->qc_num[3] };
		if (bid_dec_ratio(&share, qn, 4, n->qc_den, 3, NULL) < 0 ||
		    __builtin_add_overflow(L->charges, share, &L->charges))
			return -1;
	}
	if (mul_div(&L->freight, L->goods, n->freight_pct, 100 * BID_DEC_SCALE) < 0 ||
	    mul_div(&L->duty, L->goods + L->freight, n->duty_pct, 100 * BID_DEC_SCALE) < 0)
		return -1;

	/* Payment: net days, or the early-payment discount, as the policy says. */
	if (present_value(&pv_net, L->goods, pol->coc_pct, o->has_pay_days ? o->pay_days : 0) < 0)
		return -1;
	pv = pv_net;
	n->took_discount = 0;
	if (o->has_discount && pol->early != BID_EARLY_IGNORE) {
		bid_dec discounted, pv_disc;
		if (mul_div(&discounted, L->goods, 100 * BID_DEC_SCALE - o->discount_pct,
		            100 * BID_DEC_SCALE) < 0 ||
		    present_value(&pv_disc, discounted, pol->coc_pct, o->discount_days) < 0)
			return -1;
		if (pol->early == BID_EARLY_TAKE || pv_disc < pv_net) {
			pv = pv_disc;
			n->took_discount = 1;
		}
	}
	L->payment = pv - L->goods;

	if ((o->has_ppm || o->has_master_ppm) &&
	    mul_div(&L->quality, o->has_ppm ? o->defect_ppm : o->master_ppm, pol->cost_per_defect,
	            1000000LL * BID_DEC_SCALE) < 0)
		return -1;
	if (n->days_late > 0 && pol->late_penalty &&
	    __builtin_mul_overflow(pol->penalty_per_day, (int64_t)n->days_late, &L->late))
		return -1;
	if (__builtin_add_overflow(L->goods, L->freight, &L->total) ||
	    __builtin_add_overflow(L->total, L->charges, &L->total) ||
	    __builtin_add_overflow(L->total, L->duty, &L->total) ||
	    __builtin_add_overflow(L->total, L->payment, &L->total) ||
	    __builtin_add_overflow(L->total, L->quality, &L->total) ||
	    __builtin_add_overflow(L->total, L->late, &L->total))
		return -1;
	return 0;
}

/* Every code of `required` (comma-separated) appears in `held`. */
static const char *missing_cert(const char *required, const char *held, char *buf, size_t size)
{
	const char *p = required;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *h = held;
		int found = 0;

		while (n && h && *h && !found) {
			const char *he = strchr(h, ',');
			size_t hn = he ? (size_t)(he - h) : strlen(h);
			found = hn == n && memcmp(h, p, n) == 0;
			h = he ? he + 1 : NULL;
		}
		if (n && !found) {
			snprintf(buf, size, "%.*s", (int)n, p);
			return buf;
		}
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

int bid_normalise__offer(bid_norm_ctx *ctx, const bid_part *p,
                         const bid_offer_row *o, bid_norm *n, bid_error *err)
{
	const bid_policy *pol = &ctx->policy;
	const char *qunit = o->unit ? o->unit : p->unit;
	const char *bunit = o->basis_unit ? o->basis_unit : qunit;
	bid_dec basis = o->basis_qty > 0 ? o->basis_qty : BID_DEC_SCALE;
	bid_dec step = bid_norm__step(p->unit);
	struct fx_entry *fx = NULL;
	int64_t qn, qd;
	bid_error e2;
	char d1[16], d2[16], buf[64];
	size_t i;
	int rc;

	memset(n, 0, sizeof(*n));
	n->reason = "";
	n->max_qty = -1;
	n->arrival = BID_DATE_NONE;

	if (o->valid_until != BID_DATE_NONE && o->valid_until < ctx->date) {
		ineligible(ctx, n, "quote expired on %s", bid_date_format(d1, sizeof(d1), o->valid_until));
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
	/* Quantities (MOQ, offered maximum, price breaks) are in the line's unit. */
	if (bid_unit_ratio(&qn, &qd, qunit, p->unit, &e2) < 0) {
		ineligible(ctx, n, "quantity unit: %s", e2.msg);
		return 0;
	}
	if (o->master_status && strcmp(o->master_status, "blocked") == 0) {
		ineligible(ctx, n, "supplier %s is blocked in the supplier master", o->supplier);
		return 0;
	}
	/* The quote's own defect rate, else the supplier's history. */
	if (!o->has_ppm && o->has_master_ppm) {
		n->ppm_from_master = 1;
	}
	if (pol->has_max_ppm && (o->has_ppm || o->has_master_ppm) &&
	    (o->has_ppm ? o->defect_ppm : o->master_ppm) > pol->max_ppm) {
		char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
		ineligible(ctx, n, "defect rate %s ppm%s is above the round's maximum of %s ppm",
		           bid_dec_format(a, sizeof(a), o->has_ppm ? o->defect_ppm : o->master_ppm, 0),
		           o->has_ppm ? "" : " (the supplier's history)",
		           bid_dec_format(b, sizeof(b), pol->max_ppm, 0));
		return 0;
	}
	if (pol->certs[0] && missing_cert(pol->certs, o->certificates, buf, sizeof(buf))) {
		ineligible(ctx, n, "no %s certificate (the round requires %s)", buf, pol->certs);
		return 0;
	}

	/* Delivery: the promised date, else the lead time from the award date. */
	if (o->delivery_date != BID_DATE_NONE)
		n->arrival = o->delivery_date;
	else if (o->has_lead)
		n->arrival = ctx->date + o->lead_days;
	if (n->arrival != BID_DATE_NONE && p->need_by != BID_DATE_NONE && n->arrival > p->need_by) {
		n->days_late = n->arrival - p->need_by;
		if (!pol->late_penalty) {
			ineligible(ctx, n, "delivers on %s, %d day%s after the need-by date %s",
			           bid_date_format(d1, sizeof(d1), n->arrival), n->days_late,
			           n->days_late == 1 ? "" : "s", bid_date_format(d2, sizeof(d2), p->need_by));
			return 0;
		}
	}

	/* Line charges for the quoted quantity, per RFQ unit in the round currency. */
	if (o->has_line_charges && o->line_charges != 0) {
		int64_t num[4] = { o->line_charges, qd, n->fx_num, BID_DEC_SCALE };
		int64_t den[3] = { o->qty, qn, n->fx_den };

		if (!o->has_qty || o->qty <= 0) {
			ineligible(ctx, n, "line charges cannot be spread: the line states no quantity");
			return 0;
		}
		if (bid_dec_ratio(&n->charge_unit, num, 4, den, 3, NULL) < 0) {
			ineligible(ctx, n, "line charges out of range");
			return 0;
		}
	}
	/* Quote charges by value: goods × charges ÷ (the quote's value), both in the round currency. */
	if (o->has_quote_charges && o->quote_charges != 0) {
		struct fx_entry *cfx = NULL;

		if (o->quote_value <= 0 || !o->quote_value_currency) {
			ineligible(ctx, n, "quote charges cannot be spread: a line of the quote states no "
			           "quantity or another currency");
			return 0;
		}
		if ((rc = fx_for(ctx, o->quote_charges_currency ? o->quote_charges_currency
		                                                : o->quote_value_currency, &cfx, err)) < 0)
			return rc;
		if (cfx->rc) {
			ineligible(ctx, n, "%s", cfx->why);
			return 0;
		}
		{
			struct fx_entry *vfx = NULL;
			if ((rc = fx_for(ctx, o->quote_value_currency, &vfx, err)) < 0)
				return rc;
			if (vfx->rc) {
				ineligible(ctx, n, "%s", vfx->why);
				return 0;
			}
			n->qc_num[1] = o->quote_charges;
			n->qc_num[2] = cfx->f.num;
			n->qc_num[3] = vfx->f.den;
			n->qc_den[0] = o->quote_value;
			n->qc_den[1] = cfx->f.den;
			n->qc_den[2] = vfx->f.num;
		}
	}

	n->freight_pct = bid_policy__freight(pol, o->incoterm);
	n->duty_pct = bid_policy__duty(pol, o->origin);
	n->pay_days = o->has_pay_days ? o->pay_days : 0;
	if (landed_at(ctx, o, n, o->price, basis, &n->landed) < 0) {
		ineligible(ctx, n, "landed cost out of range");
		return 0;
	}
	n->unit_cost = n->landed.total;
	if (n->unit_cost <= 0) {
		ineligible(ctx, n, "landed cost is not positive");
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

	/*
	 * Price breaks: the first segment is the quoted price from 0; each
	 * break starts where its quantity, in RFQ units rounded up, begins.
	 */
	if (o->ntiers) {
		bid_dec *from = bid__arena_alloc(&ctx->arena, (o->ntiers + 1) * sizeof(*from));
		bid_landed *cost = bid__arena_alloc(&ctx->arena, (o->ntiers + 1) * sizeof(*cost));
		size_t k = 1;

		from[0] = 0;
		cost[0] = n->landed;
		for (i = 0; i < o->ntiers; i++) {
			bid_dec f;
			if (convert_qty(&f, o->tiers[i].from_qty, qn, qd, step, 1) < 0 ||
			    landed_at(ctx, o, n, o->tiers[i].price, basis, &cost[k]) < 0) {
				ineligible(ctx, n, "price break %zu out of range", i + 1);
				return 0;
			}
			if (f <= from[k - 1]) {
				/* a break at (or rounding onto) the previous start replaces it */
				cost[k - 1] = cost[k];
				continue;
			}
			from[k++] = f;
		}
		n->ntiers = k;
		n->tier_from = from;
		n->tier_cost = cost;
		n->unit_cost = cost[0].total;
	}
	n->eligible = 1;
	return 0;
}
