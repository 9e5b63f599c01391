/*
 * check.c - the checker: every problem in a quote file, not just the
 * first.  Shares the per-line value checks with the import, adds rules
 * (rules.c), totals, and, with a round, parts, units, rates and a preview
 * of the landed cost (normalise.c).  Writes nothing anywhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalise.h"
#include "rules.h"

static void findf(bid_finding_fn found, void *payload, bid_severity sev, bid_pos pos,
                  const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

static void findf(bid_finding_fn found, void *payload, bid_severity sev, bid_pos pos,
                  const char *rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	found(sev, pos, rule, msg, payload);
}

int bid_check__line_values(const bid_quote_line *l, bid_finding_fn found, void *payload)
{
	const bid_pos *pos = l->pos;
	int errors = 0;
	size_t i;

#define ERR(field, rule, ...) \
	(errors++, findf(found, payload, BID_SEV_ERROR, pos[field], rule, __VA_ARGS__))

	if (!l->currency)
		ERR(BID_F_PRICE, "line.currency.missing", "the price has no currency");
	else if (!bid_currency_is_known(l->currency))
		ERR(BID_F_CURRENCY, "line.currency.unknown",
		    "unknown currency code '%.8s' (expected ISO 4217, e.g. EUR)", l->currency);
	if (l->price <= 0)
		ERR(BID_F_PRICE, "line.price.positive", "price must be positive");
	if (l->basis_qty < 0)
		ERR(BID_F_BASIS, "line.basis.positive", "price basis quantity must be positive");
	if (l->has_qty && l->qty <= 0)
		ERR(BID_F_QTY, "line.qty.positive", "quantity must be positive");
	if (l->has_min_qty && l->min_qty < 0)
		ERR(BID_F_MIN_QTY, "line.moq.negative", "minimum order quantity must not be negative");
	if (l->has_max_qty && l->max_qty <= 0)
		ERR(BID_F_MAX_QTY, "line.max.positive", "maximum quantity must be positive");
	if (l->has_min_qty && l->has_max_qty && l->min_qty > l->max_qty)
		ERR(BID_F_MIN_QTY, "line.moq.max", "minimum order quantity exceeds the maximum offered");
	if (l->unit && !bid_unit_lookup(l->unit))
		ERR(BID_F_UNIT, "line.unit.unknown",
		    "unknown unit code '%.16s' (expected a UN/ECE Rec 20 code such as C62, KGM, MTR)",
		    l->unit);
	if (l->basis_unit && !bid_unit_lookup(l->basis_unit))
		ERR(BID_F_BASIS, "line.unit.unknown",
		    "unknown unit code '%.16s' (expected a UN/ECE Rec 20 code such as C62, KGM, MTR)",
		    l->basis_unit);
	if (l->has_lead_time && l->lead_time_days < 0)
		ERR(BID_F_LEAD_TIME, "line.lead.negative", "lead time must not be negative");
	for (i = 0; i < l->ntiers; i++) {
		const bid_tier *t = &l->tiers[i];

		if (t->price <= 0) {
			errors++;
			findf(found, payload, BID_SEV_ERROR, t->pos, "line.tier.price",
			      "price break %zu: price must be positive", i + 1);
		}
		if (t->from_qty < 0 || (i > 0 && t->from_qty <= l->tiers[i - 1].from_qty)) {
			char a[BID_DEC_FMT_MAX];
			errors++;
			findf(found, payload, BID_SEV_ERROR, t->pos, "line.tier.order",
			      "price break %zu starts at %s: breaks must start at increasing quantities",
			      i + 1, bid_dec_format(a, sizeof(a), t->from_qty, 0));
		}
	}
#undef ERR
	return errors;
}

/* ---- the checker ---- */

__extension__ typedef __int128 i128;

typedef struct checker {
	const char              *path;
	const bid_check_options *o;
	bid_check_stats         *st;
	bid_norm_ctx             ctx;
	int                      have_ctx;
	/* the quote being read, for its totals check */
	int                      in_quote;
	bid_quote_header         h;          /* numbers only; strings not kept */
	char                     cur[8];     /* the quote's currency */
	char                     incoterm[8];
	i128                     sum;        /* Σ line amounts, exact */
	int                      sum_ok;     /* every line had an amount in cur */
	/* the parser's first error diagnostic, to recognise it when returned */
	bid_file                *file;       /* the mapped input */
	int                      parse_errors;
	bid_pos                  first_pos;
	char                     first_msg[256];
} checker;

static void emit(checker *c, bid_severity sev, bid_pos pos, const char *rule, const char *msg)
{
	bid_diag d;

	if (sev == BID_SEV_ERROR)
		c->st->errors++;
	else
		c->st->warnings++;
	if (!c->o->diag)
		return;
	d.severity = sev;
	d.pos = pos;
	d.rule = rule;
	d.msg = msg;
	c->o->diag(c->path, &d, c->o->payload);
}

static void on_finding(bid_severity sev, bid_pos pos, const char *rule, const char *msg,
                       void *payload)
{
	emit(payload, sev, pos, rule, msg);
}

/* Rule findings carry the position of the value they concern. */
typedef struct rule_at {
	checker *c;
	bid_pos  pos;
} rule_at;

static void on_rule(const char *rule_id, bid_severity sev, const char *msg, void *payload)
{
	rule_at *ra = payload;
	emit(ra->c, sev, ra->pos, rule_id, msg);
}

static void rule_check(checker *c, bid_rule_field f, const char *value, bid_pos pos)
{
	rule_at ra = { c, pos };
	bid_rules__check(c->o->rules, f, value, on_rule, &ra);
}

static int on_diag(const bid_diag *d, void *payload)
{
	checker *c = payload;

	if (d->severity == BID_SEV_ERROR && c->parse_errors++ == 0) {
		c->first_pos = d->pos;
		snprintf(c->first_msg, sizeof(c->first_msg), "%s", d->msg);
	}
	emit(c, d->severity, d->pos, d->rule, d->msg);
	return 0;
}

/* The stated document total against the sum of the lines: a warning. */
static void finish_quote(checker *c)
{
	if (!c->in_quote)
		return;
	c->in_quote = 0;
	if (!c->h.has_total || !c->sum_ok || c->sum > INT64_MAX || c->sum < -INT64_MAX)
		return;
	if ((bid_dec)c->sum != c->h.total) {
		char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
		findf(on_finding, c, BID_SEV_WARNING, c->h.total_pos, "quote.total.mismatch",
		      "stated total %s %s, but the lines add up to %s",
		      bid_dec_format(a, sizeof(a), c->h.total, 2), c->cur,
		      bid_dec_format(b, sizeof(b), (bid_dec)c->sum, 2));
	}
}

static int on_header(const bid_quote_header *h, void *payload)
{
	checker *c = payload;
	char d1[16];

	finish_quote(c);
	c->st->quotes++;
	c->in_quote = 1;
	c->h = *h;
	c->sum = 0;
	c->sum_ok = 1;
	snprintf(c->cur, sizeof(c->cur), "%s", h->total_currency ? h->total_currency
	                                      : h->currency ? h->currency : "");
	snprintf(c->incoterm, sizeof(c->incoterm), "%s", h->incoterm ? h->incoterm : "");
	if (!h->supplier_id || !*h->supplier_id)
		findf(on_finding, c, BID_SEV_ERROR, h->pos, "quote.supplier.missing",
		      "the quote names no supplier");
	if (h->currency && !bid_currency_is_known(h->currency))
		findf(on_finding, c, BID_SEV_ERROR, h->pos, "quote.currency.unknown",
		      "unknown currency code '%.8s' (expected ISO 4217, e.g. EUR)", h->currency);
	if (h->valid_from != BID_DATE_NONE && h->valid_until != BID_DATE_NONE &&
	    h->valid_until < h->valid_from)
		findf(on_finding, c, BID_SEV_ERROR, h->pos, "quote.validity.order",
		      "valid until %s, before it is valid from", bid_date_format(d1, sizeof(d1), h->valid_until));
	else if (h->valid_until != BID_DATE_NONE && h->valid_until < bid_date_today())
		findf(on_finding, c, BID_SEV_WARNING, h->pos, "quote.validity.expired",
		      "the quote expired on %s", bid_date_format(d1, sizeof(d1), h->valid_until));
	if (h->has_discount && (h->discount_pct < 0 || h->discount_pct >= 100 * BID_DEC_SCALE))
		findf(on_finding, c, BID_SEV_ERROR, h->pos, "quote.discount.range",
		      "an early-payment discount is between 0 and 100 %%");
	rule_check(c, BID_RF_SUPPLIER, h->supplier_id, h->pos);
	rule_check(c, BID_RF_SUPPLIER_NAME, h->supplier_name, h->pos);
	rule_check(c, BID_RF_QUOTE_ID, h->quote_id, h->pos);
	rule_check(c, BID_RF_CURRENCY, h->currency, h->pos);
	return 0;
}

/* The line's amount: stated, else quantity × price ÷ basis at minor units. */
static void add_amount(checker *c, const bid_quote_line *l)
{
	bid_dec amount;

	if (!l->currency || strcmp(l->currency, c->cur) != 0) {
		c->sum_ok = 0;
		return;
	}
	if (l->has_line_amount) {
		amount = l->line_amount;
	} else if (l->has_qty) {
		int64_t num[2] = { l->qty, l->price };
		int64_t den[1] = { l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE };

		if (bid_dec_ratio(&amount, num, 2, den, 1, NULL) < 0) {
			c->sum_ok = 0;
			return;
		}
		amount = bid_money_round(amount, l->currency);
	} else {
		c->sum_ok = 0;
		return;
	}
	c->sum += amount;
	/* a stated line amount is checked against its own line too */
	if (l->has_line_amount && l->has_qty) {
		int64_t num[2] = { l->qty, l->price };
		int64_t den[1] = { l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE };
		bid_dec want;

		if (l->ntiers == 0 && bid_dec_ratio(&want, num, 2, den, 1, NULL) == 0 &&
		    bid_money_round(want, l->currency) != l->line_amount) {
			char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
			findf(on_finding, c, BID_SEV_WARNING, l->pos[BID_F_LINE], "line.amount.mismatch",
			      "line amount %s, but quantity × price is %s",
			      bid_dec_format(a, sizeof(a), l->line_amount, 2),
			      bid_dec_format(b, sizeof(b), bid_money_round(want, l->currency), 2));
		}
	}
}

static void preview(checker *c, const bid_part *p, const char *src, const bid_quote_line *l)
{
	bid_offer_row o;
	bid_norm n;
	bid_error e;
	char text[640], a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], u[BID_DEC_FMT_MAX];

	memset(&o, 0, sizeof(o));
	o.part = p->part;
	o.unit = l->unit;
	o.price = l->price;
	o.currency = l->currency;
	o.basis_qty = l->basis_qty > 0 ? l->basis_qty : BID_DEC_SCALE;
	o.basis_unit = l->basis_unit;
	o.min_qty = l->min_qty;
	o.has_min_qty = l->has_min_qty;
	o.max_qty = l->max_qty;
	o.has_max_qty = l->has_max_qty;
	o.valid_until = c->h.valid_until;
	o.lead_days = l->lead_time_days;
	o.has_lead = l->has_lead_time;
	o.incoterm = c->incoterm[0] ? c->incoterm : NULL;
	o.origin = l->origin_country;
	o.defect_ppm = l->defect_ppm;
	o.has_ppm = l->has_defect_ppm;
	o.has_pay_days = l->has_pay_days || c->h.has_pay_days;
	o.pay_days = l->has_pay_days ? l->pay_days : c->h.pay_days;
	o.has_discount = c->h.has_discount;
	o.discount_pct = c->h.discount_pct;
	o.discount_days = c->h.discount_days;
	o.certificates = l->certificates;
	o.delivery_date = l->delivery_date;
	o.incremental = l->tier_type == BID_TIER_INCREMENTAL;
	o.tiers = l->tiers;
	o.ntiers = l->ntiers;
	if (bid_normalise__offer(&c->ctx, p, &o, &n, &e) < 0) {
		snprintf(text, sizeof(text), "%s: cannot normalise: %s", p->part, e.msg);
	} else if (!n.eligible) {
		snprintf(text, sizeof(text), "%s (by %s id): %s %s per %s %s -> ineligible: %s",
		         p->part, src, bid_dec_format(a, sizeof(a), l->price, 2), l->currency,
		         bid_dec_format(b, sizeof(b), o.basis_qty, 0),
		         l->basis_unit ? l->basis_unit : l->unit ? l->unit : p->unit, n.reason);
	} else {
		char fx[2][BID_DEC_FMT_MAX];
		snprintf(text, sizeof(text),
		         "%s (by %s id): %s %s per %s %s x %lld/%lld %s per %s x fx %s/%s = %s %s per %s",
		         p->part, src, bid_dec_format(a, sizeof(a), l->price, 2), l->currency,
		         bid_dec_format(b, sizeof(b), o.basis_qty, 0),
		         l->basis_unit ? l->basis_unit : l->unit ? l->unit : p->unit,
		         (long long)n.unit_num, (long long)n.unit_den,
		         l->basis_unit ? l->basis_unit : l->unit ? l->unit : p->unit, p->unit,
		         bid_dec_format(fx[0], sizeof(fx[0]), n.fx_num, 0),
		         bid_dec_format(fx[1], sizeof(fx[1]), n.fx_den, 0),
		         bid_dec_format(u, sizeof(u), n.unit_cost, 2), c->ctx.currency, p->unit);
	}
	if (c->o->preview_line)
		c->o->preview_line(c->path, l->pos[BID_F_LINE], text, c->o->payload);
}

static int on_line(const bid_quote_line *l, void *payload)
{
	checker *c = payload;
	static const struct { bid_part_src src; bid_rule_field f; } ids[] = {
		{ BID_PART_BUYER, BID_RF_BUYER_PART }, { BID_PART_SELLER, BID_RF_SELLER_PART },
		{ BID_PART_MANUFACTURER, BID_RF_MANUFACTURER_PART },
		{ BID_PART_STANDARD, BID_RF_STANDARD_PART },
	};
	const char *part = NULL;
	size_t i;

	/* now and then let go of the pages the parser has passed */
	if (++c->st->lines % 4096 == 0)
		bid__file_release(c->file, c->file->len);
	for (i = 0; !part && i < BID_PART__COUNT; i++)
		part = l->part_ids[i];
	if (!part)
		findf(on_finding, c, BID_SEV_ERROR, l->pos[BID_F_LINE], "line.part.missing",
		      "the line names no item (no buyer's, seller's, standard or line item id)");
	bid_check__line_values(l, on_finding, c);
	add_amount(c, l);

	/* rules: the id the line would be matched by, then each kind of id */
	part = l->part_ids[BID_PART_BUYER] ? l->part_ids[BID_PART_BUYER]
	     : l->part_ids[BID_PART_SELLER] ? l->part_ids[BID_PART_SELLER]
	     : l->part_ids[BID_PART_LINE_ITEM];
	rule_check(c, BID_RF_PART, part, l->pos[BID_F_PART]);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (l->part_ids[ids[i].src])
			rule_check(c, ids[i].f, l->part_ids[ids[i].src], l->pos[BID_F_PART]);
	rule_check(c, BID_RF_LINE_ID, l->line_id, l->pos[BID_F_LINE]);
	rule_check(c, BID_RF_DESCRIPTION, l->description, l->pos[BID_F_LINE]);
	rule_check(c, BID_RF_UNIT, l->unit, l->pos[BID_F_UNIT]);
	rule_check(c, BID_RF_CURRENCY, l->currency, l->pos[BID_F_CURRENCY]);
	rule_check(c, BID_RF_MANUFACTURER, l->manufacturer, l->pos[BID_F_LINE]);
	rule_check(c, BID_RF_ORIGIN_COUNTRY, l->origin_country, l->pos[BID_F_LINE]);

	if (c->o->round) {
		const char *src, *shown, *number, *unit;
		long at = bid_round__match_at(c->o->round, l, &src, &shown);
		int64_t n, d;
		bid_error e;

		if (at < 0) {
			findf(on_finding, c, BID_SEV_ERROR, l->pos[BID_F_PART], "round.part.unknown",
			      "item '%.80s' is not a part of round %s", shown ? shown : "(none)",
			      c->o->round->info.id);
			return 0;
		}
		/* the index alone: the round's parts are loaded for --preview only */
		number = bid_round__part_at(c->o->round, at, &unit);
		if (bid_unit_ratio(&n, &d, unit, l->basis_unit ? l->basis_unit
		                   : l->unit ? l->unit : unit, &e) < 0)
			findf(on_finding, c, BID_SEV_ERROR, l->pos[BID_F_UNIT], "round.unit.convert",
			      "part %s is asked for in %s: %s", number, unit, e.msg);
		if (l->currency && bid_currency_is_known(l->currency)) {
			bid_fx_factor f;
			int rc = bid_fx__factor(c->o->round->store, l->currency, c->o->round->info.currency,
			                        bid_date_today(), &f, &e);
			if (rc == BID_ENOTFOUND)
				findf(on_finding, c, BID_SEV_ERROR, l->pos[BID_F_CURRENCY], "round.fx.missing",
				      "%s", e.msg);
		}
		if (c->o->preview && c->have_ctx && c->o->round->parts)
			preview(c, &c->o->round->parts[at], src, l);
	}
	return 0;
}

int bid_check_file(const char *path, const bid_check_options *opts,
                   bid_check_stats *stats_out, bid_error *err)
{
	bid_check_options def = BID_CHECK_OPTIONS_INIT;
	bid_import_sink sink = { 0 };
	bid_check_stats st;
	bid_doc_kind kind = BID_DOC_UNKNOWN;
	checker c;
	bid_file f;
	bid_error perr;
	int rc;

	memset(&st, 0, sizeof(st));
	memset(&c, 0, sizeof(c));
	if (!opts)
		opts = &def;
	c.path = path;
	c.o = opts;
	c.st = &st;
	if ((rc = bid__file_map(&f, path, err)) < 0) {
		if (rc != BID_EINVALID)
			goto out;
		/* an empty file is a finding, not a failure to check */
		findf(on_finding, &c, BID_SEV_ERROR, (bid_pos){ 1, 1 }, "file.empty", "empty file");
		rc = 0;
		goto out;
	}
	if (opts->round) {
		if ((rc = bid_norm__init(&c.ctx, opts->round, err)) < 0) {
			bid__file_unmap(&f);
			goto out;
		}
		c.have_ctx = 1;
	}
	st.format = bid_import_detect(f.data, f.len, &kind);
	if (kind == BID_DOC_RFQ) {
		findf(on_finding, &c, BID_SEV_ERROR, (bid_pos){ 1, 1 }, "file.kind",
		      "this is an RFQ, not a quote");
	} else {
		c.file = &f;
		sink.quote_header = on_header;
		sink.quote_line = on_line;
		sink.diag = on_diag;
		sink.payload = &c;
		bid_error_clear(&perr);
		rc = bid_import_parse(f.data, f.len, st.format, path, &sink, &perr);
		finish_quote(&c);
		/*
		 * Parsers report recoverable problems through diag and return the
		 * first of them; what they return is new only when they stopped on
		 * a structural problem (not well-formed, truncated, bad envelope).
		 */
		if (rc < 0 && (c.parse_errors == 0 || (long)c.first_pos.line != perr.line ||
		               (long)c.first_pos.col != perr.col ||
		               strcmp(c.first_msg, perr.msg) != 0))
			findf(on_finding, &c, BID_SEV_ERROR,
			      (bid_pos){ (uint32_t)perr.line, (uint32_t)perr.col }, "file.parse",
			      "%s", perr.msg[0] ? perr.msg : bid_error_str(rc));
		if (rc >= 0 && st.quotes == 0 && st.errors == 0)
			findf(on_finding, &c, BID_SEV_ERROR, (bid_pos){ 1, 1 }, "file.noquote",
			      "no quote found in the file");
		rc = 0;
	}
	bid__file_unmap(&f);
out:
	if (c.have_ctx)
		bid_norm__free(&c.ctx);
	if (stats_out)
		*stats_out = st;
	return rc;
}
