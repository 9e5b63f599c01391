/*
 * award.c - awarding a round.  Normalises every offer (normalise.c),
 * keeps each supplier's cheapest eligible line per part, splits each
 * part exactly (award_solve.c), prices the split to the currency's minor
 * units, and stores award, offers and split in one transaction with the
 * SHA-256 digest of every input.
 *
 * Ties are broken by a total order, so the same inputs always give the
 * same award: least exact cost, then least quantity-weighted lead time,
 * then more quantity to the supplier whose id sorts first (bytewise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "award_solve.h"
#include "couple.h"
#include "normalise.h"
#include <stdlib.h>

/* An offer row with its normalisation, owned by the award run. */
typedef struct offer {
	bid_offer_row row;     /* strings point into the run's arena */
	bid_norm      norm;
	size_t        part;    /* index of the part in the round */
	size_t        ntiers_cap;
} offer;

typedef struct award_run {
	const bid_round *round;
	const bid_part  *only;      /* load the offers of this part only, or NULL */
	bid_arena  arena;
	bid_norm_ctx ctx;
	offer     *offers;
	size_t     n, cap;
	size_t     tier_cursor;
	/* the value of each quote's lines, to spread its charges by value */
	struct quote_value {
		long long   quote_id;
		bid_i128    value;
		char        currency[4];
		int         ok;          /* every line had a quantity and this currency */
	}         *qv;
	size_t     nqv, capqv, lastqv;
	bid_error *err;
} award_run;

/* Add a line's value (quantity × price ÷ basis) to its quote's. */
static void add_quote_value(award_run *run, const bid_offer_row *o)
{
	struct quote_value *q = NULL;
	size_t i;

	if (run->nqv && run->qv[run->lastqv].quote_id == o->quote_id)
		q = &run->qv[run->lastqv];
	for (i = 0; !q && i < run->nqv; i++)
		if (run->qv[i].quote_id == o->quote_id) {
			q = &run->qv[i];
			run->lastqv = i;
		}
	if (!q) {
		if (run->nqv == run->capqv) {
			run->capqv = run->capqv ? 2 * run->capqv : 16;
			run->qv = bid__realloc(run->qv, run->capqv * sizeof(*run->qv));
		}
		q = &run->qv[run->nqv];
		run->lastqv = run->nqv++;
		memset(q, 0, sizeof(*q));
		q->quote_id = o->quote_id;
		snprintf(q->currency, sizeof(q->currency), "%s", o->currency);
		q->ok = 1;
	}
	if (!o->has_qty || strcmp(q->currency, o->currency) != 0) {
		q->ok = 0;
	} else {
		int64_t num[2] = { o->qty, o->price }, den[1] = { o->basis_qty > 0 ? o->basis_qty : BID_DEC_SCALE };
		bid_dec v;
		if (bid_dec_ratio(&v, num, 2, den, 1, NULL) < 0)
			q->ok = 0;
		else
			q->value += v;
	}
}

static int collect(const bid_offer_row *o, void *payload)
{
	award_run *run = payload;
	const bid_part *p = bid_round__find_part(run->round, o->part);
	offer *x;

	if (!p)
		return bid_error_set(run->err, BID_EIO, BID_AREA_ENGINE,
		                     "quote line %lld names part '%s' that the round lacks",
		                     o->line_id, o->part);
	if (o->has_quote_charges)
		add_quote_value(run, o);
	if (run->only && p != run->only)
		return 0;
	if (run->n == run->cap) {
		run->cap = run->cap ? 2 * run->cap : 1024;
		run->offers = bid__realloc(run->offers, run->cap * sizeof(*run->offers));
	}
	x = &run->offers[run->n++];
	x->row = *o;
	x->part = (size_t)(p - run->round->parts);
	x->row.supplier = bid__arena_strdup(&run->arena, o->supplier);
	x->row.part = p->part;
	x->row.unit = bid__arena_strdup(&run->arena, o->unit);
	x->row.currency = bid__arena_strdup(&run->arena, o->currency);
	x->row.basis_unit = bid__arena_strdup(&run->arena, o->basis_unit);
	x->row.incoterm = bid__arena_strdup(&run->arena, o->incoterm);
	x->row.origin = bid__arena_strdup(&run->arena, o->origin);
	x->row.certificates = bid__arena_strdup(&run->arena, o->certificates);
	x->row.doc_name = bid__arena_strdup(&run->arena, o->doc_name);
	x->row.quote_ref = bid__arena_strdup(&run->arena, o->quote_ref);
	x->row.line_ref = bid__arena_strdup(&run->arena, o->line_ref);
	x->row.quote_charges_currency = bid__arena_strdup(&run->arena, o->quote_charges_currency);
	x->row.master_status = bid__arena_strdup(&run->arena, o->master_status);
	x->row.group = bid__arena_strdup(&run->arena, o->group);
	x->row.manufacturer = bid__arena_strdup(&run->arena, o->manufacturer);
	x->row.tiers = NULL;
	x->row.ntiers = 0;
	x->ntiers_cap = 0;
	return 0;
}

/*
 * Price breaks arrive by quote line id; the offers are sorted by it first
 * (line_cmp), so a cursor walks both.
 */
static int line_cmp(const void *a, const void *b)
{
	const offer *x = a, *y = b;
	return (x->row.line_id > y->row.line_id) - (x->row.line_id < y->row.line_id);
}

static int collect_tier(long long line_id, const bid_tier *t, void *payload)
{
	award_run *run = payload;
	offer *x;

	while (run->tier_cursor < run->n && run->offers[run->tier_cursor].row.line_id < line_id)
		run->tier_cursor++;
	if (run->tier_cursor == run->n || run->offers[run->tier_cursor].row.line_id != line_id)
		return 0;    /* a break of a superseded quote */
	x = &run->offers[run->tier_cursor];
	if (x->ntiers_cap == x->row.ntiers) {
		bid_tier *nt;
		x->ntiers_cap = x->ntiers_cap ? 2 * x->ntiers_cap : 4;
		nt = bid__arena_alloc(&run->arena, x->ntiers_cap * sizeof(*nt));
		if (x->row.ntiers)
			memcpy(nt, x->row.tiers, x->row.ntiers * sizeof(*nt));
		x->row.tiers = nt;
	}
	((bid_tier *)x->row.tiers)[x->row.ntiers++] = *t;
	return 0;
}

/*
 * The offers' one order, used by the split and by the digest: the part's
 * place in the RFQ, then supplier id (bytewise), then quote line id.
 */
static int offer_cmp(const void *a, const void *b)
{
	const offer *x = a, *y = b;
	int c;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	if ((c = strcmp(x->row.supplier, y->row.supplier)) != 0)
		return c;
	return (x->row.line_id > y->row.line_id) - (x->row.line_id < y->row.line_id);
}

static void digest_params(bid_sha256 *h, const bid_round *r, const bid_award_options *o,
                          const char *scenario, bid_date date)
{
	char d[16], a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
	size_t i;

	bid__sha256_addf(h, "bidcmp-award-inputs v1\nround\t%s\t%s\t%s\nscenario\t%s\n",
	                 r->info.id, r->info.currency, bid_date_format(d, sizeof(d), date), scenario);
	bid__sha256_addf(h, "rules\t%d\t%d\t%d\t%s\t%s\n", o->min_vendors, o->max_vendors,
	                 o->independence,
	                 bid_dec_format(a, sizeof(a), o->min_share_pct, 0),
	                 bid_dec_format(b, sizeof(b), o->max_share_pct, 0));
	for (i = 0; i < r->nparts; i++) {
		bid__sha256_add_str(h, r->parts[i].part);
		bid__sha256_add_i64(h, r->parts[i].qty);
		bid__sha256_add_str(h, r->parts[i].unit);
	}
}

/*
 * Each offer enters the digest as fixed-width integers and length-prefixed
 * strings (no text formatting: this runs once per offer), as quoted and as
 * normalised, so any change to an input or to its treatment changes it.
 */
static void digest_offer(bid_sha256 *h, const offer *x)
{
	const bid_offer_row *o = &x->row;
	const bid_norm *n = &x->norm;
	size_t i;

	bid__sha256_add_str(h, "offer");
	bid__sha256_add_i64(h, o->line_id);
	bid__sha256_add_str(h, o->supplier);
	bid__sha256_add_str(h, o->part);
	bid__sha256_add_i64(h, o->price);
	bid__sha256_add_str(h, o->currency);
	bid__sha256_add_i64(h, o->basis_qty);
	bid__sha256_add_str(h, o->basis_unit);
	bid__sha256_add_str(h, o->unit);
	bid__sha256_add_i64(h, o->has_min_qty ? o->min_qty : -1);
	bid__sha256_add_i64(h, o->has_max_qty ? o->max_qty : -1);
	bid__sha256_add_i64(h, o->has_lead ? o->lead_days : -1);
	bid__sha256_add_i64(h, o->valid_until);
	bid__sha256_add_i64(h, n->fx_num);
	bid__sha256_add_i64(h, n->fx_den);
	bid__sha256_add_i64(h, n->unit_num);
	bid__sha256_add_i64(h, n->unit_den);
	bid__sha256_add_i64(h, n->eligible);
	bid__sha256_add_i64(h, n->unit_cost);
	bid__sha256_add_str(h, n->reason);
	/* the landed-cost factors and what they came from */
	bid__sha256_add_str(h, o->incoterm);
	bid__sha256_add_str(h, o->origin);
	bid__sha256_add_i64(h, o->has_ppm ? o->defect_ppm : -1);
	bid__sha256_add_i64(h, o->has_pay_days ? o->pay_days : -1);
	bid__sha256_add_i64(h, o->has_discount ? o->discount_pct : -1);
	bid__sha256_add_i64(h, o->has_discount ? o->discount_days : -1);
	bid__sha256_add_str(h, o->certificates);
	bid__sha256_add_i64(h, o->delivery_date);
	bid__sha256_add_i64(h, n->landed.goods);
	bid__sha256_add_i64(h, n->landed.freight);
	bid__sha256_add_i64(h, n->landed.duty);
	bid__sha256_add_i64(h, n->landed.payment);
	bid__sha256_add_i64(h, n->landed.quality);
	bid__sha256_add_i64(h, n->landed.late);
	bid__sha256_add_i64(h, n->landed.charges);
	bid__sha256_add_i64(h, o->has_line_charges ? o->line_charges : 0);
	bid__sha256_add_i64(h, o->has_quote_charges ? o->quote_charges : 0);
	bid__sha256_add_i64(h, o->quote_value);
	bid__sha256_add_str(h, o->master_status);
	bid__sha256_add_str(h, o->group);
	bid__sha256_add_str(h, o->manufacturer);
	bid__sha256_add_i64(h, o->has_master_ppm ? o->master_ppm : -1);
	bid__sha256_add_i64(h, (int64_t)n->ntiers);
	for (i = 0; i < n->ntiers; i++) {
		bid__sha256_add_i64(h, n->tier_from[i]);
		bid__sha256_add_i64(h, n->tier_cost[i].total);
	}
}

/* a ÷ b rounded half-even (b > 0), for exact 128-bit costs. */
static bid_i128 div_half_even(bid_i128 a, bid_i128 b)
{
	bid_i128 q = a / b, r = a % b;

	if (r < 0) {
		r += b;
		q--;
	}
	if (2 * r > b || (2 * r == b && (q & 1)))
		q++;
	return q;
}

/* An exact cost (scale 10^12) rounded half-even once to minor units, as a decimal. */
static int minor_from_exact(bid_dec *out, bid_i128 v, const char *cur, bid_error *err)
{
	int minor = bid_currency_minor_units(cur), i;
	bid_i128 unit = 1, scale = 1, q;

	if (minor < 0)
		minor = 2;
	for (i = minor; i < 12; i++)
		unit *= 10;
	for (i = minor; i < BID_DEC_DIGITS; i++)
		scale *= 10;
	q = div_half_even(v, unit) * scale;
	if (q > INT64_MAX || q < -INT64_MAX)
		return bid_error_set(err, BID_ERANGE, BID_AREA_ENGINE, "line cost out of range");
	*out = (bid_dec)q;
	return 0;
}

/* One part's candidates: each supplier's best eligible line, as the solver sees it. */
typedef struct part_cands {
	size_t        n;
	bid_offer     cand[64];
	bid_price_seg segs[64][BID_MAX_SEGS];
	size_t        line_of[64];       /* index into run->offers */
} part_cands;

/*
 * Gather a part's candidates (its offers start at *cursor, in the one
 * order), join the independent sources, and find the cheapest single
 * source.  Fills ap's description; the split comes later.
 */
static int gather_part(award_run *run, size_t *cursor, const bid_part *p,
                       const bid_award_options *o, const char *currency,
                       bid_award_part *ap, part_cands *pc)
{
	size_t pi = (size_t)(p - run->round->parts);
	bid_offer *cand = pc->cand;
	size_t *line_of = pc->line_of, ncand = 0, i;
	bid_split_rules alone;
	bid_split split;
	int rc;

	memset(ap, 0, sizeof(*ap));
	ap->part = p->part;
	ap->unit = p->unit;
	ap->demand = p->qty;
	ap->reason = "";
	for (i = *cursor; i < run->n && run->offers[i].part == pi; i++) {
		const offer *x = &run->offers[i];
		size_t k, t;

		ap->offers++;
		if (!x->norm.eligible)
			continue;
		ap->eligible++;
		/*
		 * Offers arrive by supplier: the same supplier is the last
		 * candidate, and its line with the lower landed cost at the
		 * quoted price stands for it.
		 */
		k = ncand;
		if (k > 0 && strcmp(cand[k - 1].supplier, x->row.supplier) == 0) {
			if (x->norm.unit_cost >= cand[k - 1].unit_cost)
				continue;
			k--;
		} else if (ncand == sizeof(pc->cand) / sizeof(pc->cand[0])) {
			return bid_error_set(run->err, BID_ERANGE, BID_AREA_ENGINE,
			                     "part %s: more than %zu suppliers", p->part, ncand);
		} else {
			ncand++;
		}
		memset(&cand[k], 0, sizeof(cand[k]));
		cand[k].unit_cost = x->norm.unit_cost;
		cand[k].min_qty = x->norm.min_qty;
		cand[k].max_qty = x->norm.max_qty < 0 ? BID_QTY_UNLIMITED : x->norm.max_qty;
		cand[k].lead_days = x->row.has_lead ? x->row.lead_days : INT32_MAX;
		cand[k].group = (int32_t)k;
		cand[k].supplier = x->row.supplier;
		/* price breaks beyond the eighth are priced at the eighth: never cheaper */
		if (x->norm.ntiers > 1) {
			for (t = 0; t < x->norm.ntiers && t < BID_MAX_SEGS; t++) {
				pc->segs[k][t].from_qty = x->norm.tier_from[t];
				pc->segs[k][t].unit_cost = x->norm.tier_cost[t].total;
			}
			cand[k].segs = pc->segs[k];
			cand[k].nsegs = (int)t;
			cand[k].incremental = x->row.incremental;
		}
		line_of[k] = i;
	}
	*cursor = i;
	pc->n = ncand;

	/*
	 * Independence: suppliers of one parent company (the master's group),
	 * or quoting goods of the same manufacturer, are one source.  Each
	 * candidate's group is the lowest index it is linked to (a union over
	 * the links, in candidate order, so it is deterministic).
	 */
	if (o->independence) {
		size_t a, b;
		int changed = 1;

		while (changed) {
			changed = 0;
			for (a = 0; a < ncand; a++)
				for (b = a + 1; b < ncand; b++) {
					const bid_offer_row *ra = &run->offers[line_of[a]].row;
					const bid_offer_row *rb = &run->offers[line_of[b]].row;
					int same = (ra->group && rb->group && strcasecmp(ra->group, rb->group) == 0) ||
					           (ra->manufacturer && rb->manufacturer && ra->manufacturer[0] &&
					            strcasecmp(ra->manufacturer, rb->manufacturer) == 0);
					if (same && cand[a].group != cand[b].group) {
						int32_t g = cand[a].group < cand[b].group ? cand[a].group : cand[b].group;
						cand[a].group = cand[b].group = g;
						changed = 1;
					}
				}
		}
	}

	/* The cheapest single source that can take the whole demand alone. */
	alone.min_vendors = alone.max_vendors = 1;
	alone.min_share = 0;
	alone.max_share = BID_DEC_SCALE;
	alone.step = bid_norm__step(p->unit);
	for (i = 0; i < ncand; i++) {
		bid_dec cost;

		if (bid_award__solve_part(&split, &cand[i], 1, p->qty, &alone) < 0 ||
		    split.status != BID_SPLIT_AWARDED)
			continue;
		if ((rc = minor_from_exact(&cost, split.cost, currency, run->err)) < 0)
			return rc;
		if (!ap->single_supplier || cost < ap->single_cost) {
			ap->single_supplier = cand[i].supplier;
			ap->single_cost = cost;
		}
	}
	return 0;
}

static void part_rules(bid_split_rules *rules, const bid_award_options *o, const bid_part *p)
{
	rules->min_vendors = o->min_vendors;
	rules->max_vendors = o->max_vendors;
	rules->min_share = o->min_share_pct / 100;
	rules->max_share = o->max_share_pct / 100;
	rules->step = bid_norm__step(p->unit);
}

/* The award of a part from its split: the lines, priced, in the run's arena. */
static int finish_part(award_run *run, const bid_part *p, const bid_offer *cand,
                       const size_t *line_of, const bid_split *split, const char *currency,
                       bid_award_part *ap, bid_i128 *objective)
{
	bid_award_line *lines;
	int j, rc;

	ap->status = split->status == BID_SPLIT_AWARDED ? BID_PART_AWARDED
	           : split->status == BID_SPLIT_SHORTFALL ? BID_PART_SHORTFALL : BID_PART_UNAWARDED;
	ap->reason = bid__arena_strdup(&run->arena, split->reason);
	if (split->status == BID_SPLIT_UNAWARDED)
		return 0;
	lines = bid__arena_alloc(&run->arena, (size_t)split->nvendors * sizeof(*lines));
	for (j = 0; j < split->nvendors; j++) {
		const bid_offer *c = &cand[split->offer[j]];
		bid_award_line *l = &lines[j];
		int64_t num[3] = { split->qty[j], 100, 100 }, den[1] = { p->qty };

		memset(l, 0, sizeof(*l));
		l->supplier = c->supplier;
		l->quote_line_id = run->offers[line_of[split->offer[j]]].row.line_id;
		l->qty = split->qty[j];
		/* the landed unit cost actually paid: the tier reached, or the average */
		l->unit_cost = (bid_dec)div_half_even(split->line_cost[j], l->qty);
		if ((rc = minor_from_exact(&l->line_cost, split->line_cost[j], currency, run->err)) < 0)
			return rc;
		/* share in hundredths of a percent, then back to a decimal */
		if ((rc = bid_dec_ratio(&l->share_pct, num, 3, den, 1, run->err)) < 0)
			return rc;
		l->share_pct *= 10000;
		ap->cost += l->line_cost;
	}
	ap->lines = lines;
	ap->nlines = (size_t)split->nvendors;
	*objective += split->cost;
	return 0;
}

static int has_commitment(const bid_policy *pol, const char *part)
{
	size_t i;

	for (i = 0; i < pol->ncommit; i++)
		if (pol->commit[i].qty > 0 && strcmp(pol->commit[i].part, part) == 0)
			return 1;
	return 0;
}

/*
 * A part with committed minimums (existing contracts, `round commit`): each
 * committed quantity is awarded first, outside the share rules, to its
 * supplier's eligible offer; the rest of the demand is split by the rules
 * among all offers (a committed supplier's offered maximum and minimum
 * order reduced by what it already has); each supplier's cost is then its
 * cost curve at its whole quantity.  A commitment without an eligible offer
 * cannot be priced: it is named in the reason and not awarded.  Fills
 * `out` (offer[] indexes pc->cand, in candidate order, which is supplier
 * order); 0 or an error.
 */
/*
 * The committed quantity of each candidate of part p (fixed[], by
 * candidate): each commitment rounded up to the step, in the policy's
 * order, until the demand is used up.  Commitments without an eligible
 * offer are named in note.  Returns what is left of the demand.
 */
static bid_dec committed_fixed(const award_run *run, const bid_part *p, const part_cands *pc,
                               bid_dec step, bid_dec fixed[64], char *note, size_t notesize)
{
	const bid_policy *pol = &run->ctx.policy;
	bid_dec left = p->qty;
	size_t i, k;

	memset(fixed, 0, 64 * sizeof(fixed[0]));
	for (i = 0; i < pol->ncommit; i++) {
		const struct bid_commitment *c = &pol->commit[i];
		bid_dec q;

		if (c->qty <= 0 || strcmp(c->part, p->part) != 0)
			continue;
		for (k = 0; k < pc->n && strcmp(pc->cand[k].supplier, c->supplier) != 0; k++)
			;
		if (k == pc->n) {
			size_t n = strlen(note);
			snprintf(note + n, notesize - n, "%scommitment to %s has no eligible offer",
			         n ? "; " : "", c->supplier);
			continue;
		}
		q = bid_dec_ceil_to(c->qty, step);
		if (q > left)
			q = left;
		fixed[k] += q;
		left -= q;
	}
	return left;
}

static int committed_split(award_run *run, const bid_part *p, const part_cands *pc,
                           const bid_split_rules *rules, bid_split *out)
{
	bid_dec fixed[64], left;
	bid_offer rest[64];
	bid_split split;
	char note[200] = "";
	size_t i, k;

	left = committed_fixed(run, p, pc, rules->step, fixed, note, sizeof(note));
	memset(out, 0, sizeof(*out));
	if (left > 0) {
		memcpy(rest, pc->cand, pc->n * sizeof(rest[0]));
		for (k = 0; k < pc->n; k++) {
			if (!fixed[k])
				continue;
			rest[k].min_qty = rest[k].min_qty > fixed[k] ? rest[k].min_qty - fixed[k] : 0;
			if (rest[k].max_qty != BID_QTY_UNLIMITED)
				rest[k].max_qty = rest[k].max_qty > fixed[k] ? rest[k].max_qty - fixed[k] : 0;
		}
		if (bid_award__solve_part(&split, rest, pc->n, left, rules) < 0)
			return bid_error_set(run->err, BID_EINVALID, BID_AREA_ENGINE,
			                     "part %s: invalid award rules", p->part);
		out->status = split.status;
		snprintf(out->reason, sizeof(out->reason), "%s", split.reason);
		for (i = 0; i < (size_t)split.nvendors; i++)
			fixed[split.offer[i]] += split.qty[i];
	} else {
		out->status = BID_SPLIT_AWARDED;
	}
	/* the whole award of each supplier, priced on its own curve, in supplier order */
	for (k = 0; k < pc->n && out->nvendors < BID_SPLIT_MAX_VENDORS; k++) {
		if (!fixed[k])
			continue;
		out->offer[out->nvendors] = k;
		out->qty[out->nvendors] = fixed[k];
		out->line_cost[out->nvendors] = bid_couple__cost(&pc->cand[k], fixed[k]);
		out->cost += out->line_cost[out->nvendors];
		out->nvendors++;
	}
	if (out->nvendors == 0 && out->status != BID_SPLIT_UNAWARDED)
		out->status = BID_SPLIT_UNAWARDED;
	{
		size_t n = strlen(out->reason);
		snprintf(out->reason + n, sizeof(out->reason) - n, "%scommitted minimums awarded first%s%s",
		         n ? "; " : "", note[0] ? ": " : "", note);
	}
	return 0;
}

/* Award one part alone (no rule couples it to the others). */
static int award_part(award_run *run, size_t *cursor, const bid_part *p,
                      const bid_award_options *o, const char *currency,
                      bid_award_part *ap, bid_i128 *objective, part_cands *pc)
{
	bid_split_rules rules;
	bid_split split;
	int rc;

	size_t k;

	if ((rc = gather_part(run, cursor, p, o, currency, ap, pc)) < 0)
		return rc;
	part_rules(&rules, o, p);
	if (bid_award__solve_part(&split, pc->cand, pc->n, p->qty, &rules) < 0)
		return bid_error_set(run->err, BID_EINVALID, BID_AREA_ENGINE,
		                     "part %s: invalid award rules", p->part);
	if (has_commitment(&run->ctx.policy, p->part)) {
		if ((rc = committed_split(run, p, pc, &rules, &split)) < 0)
			return rc;
		return finish_part(run, p, pc->cand, pc->line_of, &split, currency, ap, objective);
	}
	/*
	 * Did independence change this part?  Solve it again counting every
	 * supplier as a source; a different split is worth telling the buyer.
	 */
	for (k = 0; k < pc->n && pc->cand[k].group == (int32_t)k; k++)
		;
	if (k < pc->n) {
		bid_offer alone[64];
		bid_split free_split;
		int differs;

		memcpy(alone, pc->cand, pc->n * sizeof(alone[0]));
		for (k = 0; k < pc->n; k++)
			alone[k].group = (int32_t)k;
		if (bid_award__solve_part(&free_split, alone, pc->n, p->qty, &rules) == 0) {
			differs = free_split.nvendors != split.nvendors || free_split.status != split.status;
			for (k = 0; !differs && k < (size_t)split.nvendors; k++)
				differs = free_split.offer[k] != split.offer[k] || free_split.qty[k] != split.qty[k];
			ap->independence_changed = differs;
		}
	}
	return finish_part(run, p, pc->cand, pc->line_of, &split, currency, ap, objective);
}

/*
 * Load the round's offers (of one part, when `part` is not NULL) with
 * their price breaks, in the one order, and normalise each.
 */
static int load_run(award_run *run, bid_round *round, const bid_part *part, bid_date date,
                    bid_error *err)
{
	size_t i;
	int rc;

	memset(run, 0, sizeof(*run));
	run->round = round;
	run->only = part;
	run->err = err;
	if ((rc = bid_norm__init(&run->ctx, round, err)) < 0)
		return rc;
	if (date != BID_DATE_NONE)
		run->ctx.date = date;
	if ((rc = bid_store__offers_each(round->store, round->info.id, collect, run, err)) < 0)
		return rc;
	for (i = 0; i < run->n; i++) {
		offer *x = &run->offers[i];
		size_t k;

		for (k = 0; x->row.has_quote_charges && k < run->nqv; k++)
			if (run->qv[k].quote_id == x->row.quote_id && run->qv[k].ok &&
			    run->qv[k].value > 0 && run->qv[k].value <= INT64_MAX) {
				x->row.quote_value = (bid_dec)run->qv[k].value;
				x->row.quote_value_currency = x->row.currency;
			}
	}
	if (run->n)
		qsort(run->offers, run->n, sizeof(*run->offers), line_cmp);
	if ((rc = bid_store__tiers_each(round->store, round->info.id, collect_tier, run, err)) < 0)
		return rc;
	if (run->n)
		qsort(run->offers, run->n, sizeof(*run->offers), offer_cmp);
	for (i = 0; i < run->n; i++)
		if ((rc = bid_normalise__offer(&run->ctx, &round->parts[run->offers[i].part],
		                               &run->offers[i].row, &run->offers[i].norm, err)) < 0)
			return rc;
	return 0;
}

static void free_run(award_run *run)
{
	free(run->qv);
	free(run->offers);
	bid__arena_free(&run->arena);
	bid_norm__free(&run->ctx);
}

static int offer_ptr_line_cmp(const void *a, const void *b)
{
	const offer *const *x = a, *const *y = b;
	return line_cmp(*x, *y);
}

/* An award computed in memory: what bid_round_award stores and replay compares. */
typedef struct award_calc {
	award_run       run;
	bid_award_part *parts;
	bid_award_row   a;
	char            digest[65];
} award_calc;

static void free_calc(award_calc *c)
{
	free(c->parts);
	free_run(&c->run);
}

/* Rules across parts: a capacity or spend cap in the master, or a spend-share cap. */
static int coupled(const award_run *run, const bid_award_options *o)
{
	size_t i;

	if (o->max_spend_share_pct > 0)
		return 1;
	for (i = 0; i < run->n; i++)
		if (run->offers[i].row.has_master_capacity || run->offers[i].row.has_master_spend_cap)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The place of supplier id in the sorted ids (it must be there). */
static size_t supplier_index(const char **ids, size_t n, const char *id)
{
	const char **hit = bsearch(&id, ids, n, sizeof(*ids), cmp_str);
	return (size_t)(hit - ids);
}

/*
 * The suppliers of a round with their facts from the master: sorted by id
 * (the index is the place), capacity and spend cap, and the share entity
 * (`group`: the supplier's own index, or nsup + its parent company's when
 * independence counts groups).
 */
typedef struct round_sups {
	const char          **ids;
	bid_couple_supplier  *sup;
	size_t                nsup;
	int                   by_group;   /* a share cap is per group */
} round_sups;

static int load_suppliers(const award_run *run, const bid_award_options *o, round_sups *rs)
{
	const char **groups = bid__malloc((run->n ? run->n : 1) * sizeof(*groups));
	size_t i, k, nsup = 0, ngroups = 0;

	rs->ids = bid__malloc((run->n ? run->n : 1) * sizeof(*rs->ids));
	for (i = 0; i < run->n; i++)
		rs->ids[nsup++] = run->offers[i].row.supplier;
	qsort(rs->ids, nsup, sizeof(*rs->ids), cmp_str);
	for (i = k = 0; i < nsup; i++)
		if (k == 0 || strcmp(rs->ids[k - 1], rs->ids[i]) != 0)
			rs->ids[k++] = rs->ids[i];
	nsup = k;
	rs->nsup = nsup;
	rs->sup = bid__calloc(nsup ? nsup : 1, sizeof(*rs->sup));
	for (i = 0; i < nsup; i++) {
		rs->sup[i].id = rs->ids[i];
		rs->sup[i].group = (int32_t)i;
		rs->sup[i].capacity = BID_QTY_UNLIMITED;
		rs->sup[i].spend_cap = BID_SPEND_UNLIMITED;
	}
	for (i = 0; i < run->n; i++) {
		const bid_offer_row *r = &run->offers[i].row;
		size_t j = supplier_index(rs->ids, nsup, r->supplier), g;

		if (r->has_master_capacity)
			rs->sup[j].capacity = r->master_capacity;
		if (r->has_master_spend_cap)
			rs->sup[j].spend_cap = r->master_spend_cap;
		if (o->independence && r->group) {
			for (g = 0; g < ngroups && strcasecmp(groups[g], r->group) != 0; g++)
				;
			if (g == ngroups)
				groups[ngroups++] = r->group;
			rs->sup[j].group = (int32_t)(nsup + g);
		}
	}
	rs->by_group = o->independence && ngroups > 0;
	free(groups);
	return 0;
}

static void free_suppliers(round_sups *rs)
{
	free(rs->ids);
	free(rs->sup);
}

/* A part with commitments in the coupled award: its status and reason. */
typedef struct fixed_part {
	bid_split_status status;
	const char      *reason;    /* NULL: not a committed part */
} fixed_part;

/*
 * Committed minimums are awarded first (committed_split), the same with or
 * without rules across parts; in the coupled round such a part is fixed at
 * that award: its offers are cut to the awarded suppliers, each held to its
 * quantity (minimum = maximum), any share, so it counts toward capacity,
 * spend caps and spend shares exactly as awarded and the rest of the round
 * is optimised around it.
 */
static int fix_committed(award_run *run, const bid_part *p, const part_cands *pc,
                         bid_couple_part *cp, bid_offer *cands, size_t *lines, size_t *supix,
                         fixed_part *fx)
{
	bid_split cs;
	int v, rc;

	if ((rc = committed_split(run, p, pc, &cp->rules, &cs)) < 0)
		return rc;
	fx->status = cs.status;
	fx->reason = bid__arena_strdup(&run->arena, cs.reason);
	if (cs.nvendors == 0) {
		cp->noffers = 0;
		return 0;
	}
	cp->demand = 0;
	for (v = 0; v < cs.nvendors; v++) {
		size_t k = cs.offer[v];
		cands[v] = cands[k];
		lines[v] = lines[k];
		supix[v] = supix[k];
		cands[v].min_qty = cands[v].max_qty = cs.qty[v];
		cp->demand += cs.qty[v];
	}
	cp->noffers = (size_t)cs.nvendors;
	cp->rules.min_vendors = 1;
	cp->rules.max_vendors = cs.nvendors;
	cp->rules.min_share = 0;
	cp->rules.max_share = BID_DEC_SCALE;
	return 0;
}

/*
 * The whole round as one optimisation (couple.c): each part's candidates
 * as in the per-part award, suppliers with their capacity and spend cap
 * from the master, and the spend-share cap; a proven bound and gap.  With
 * `objective` NULL only the model is written (--export-model of a round
 * without rules across parts) and nothing is solved.
 */
static int award_coupled(award_calc *c, bid_round *round, const bid_award_options *o,
                         bid_i128 *objective, bid_error *err)
{
	award_run *run = &c->run;
	size_t np = round->nparts, i, k, cursor = 0, nsup = 0;
	bid_couple_part *cp = bid__calloc(np ? np : 1, sizeof(*cp));
	bid_offer **cands = bid__calloc(np ? np : 1, sizeof(*cands));
	size_t **lines = bid__calloc(np ? np : 1, sizeof(*lines));
	round_sups rs;
	const char **ids = NULL;
	bid_couple_supplier *sup = NULL;
	bid_couple_rules rules;
	bid_couple_options opt = BID_COUPLE_OPTIONS_INIT;
	bid_couple_result res;
	part_cands *pc = bid__malloc(sizeof(*pc));
	fixed_part *cfix = bid__calloc(np ? np : 1, sizeof(*cfix));
	size_t ncommitted = 0;
	char why[256];
	int rc = 0;

	memset(&res, 0, sizeof(res));
	memset(&rs, 0, sizeof(rs));
	if ((rc = load_suppliers(run, o, &rs)) < 0)
		goto done;
	ids = rs.ids;
	nsup = rs.nsup;
	sup = rs.sup;

	for (i = 0; i < np && rc == 0; i++) {
		const bid_part *p = &round->parts[i];
		bid_price_seg *segs;
		size_t *supix;

		if ((rc = gather_part(run, &cursor, p, o, round->info.currency, &c->parts[i], pc)) < 0)
			break;
		cands[i] = bid__calloc(pc->n ? pc->n : 1, sizeof(bid_offer));
		lines[i] = bid__calloc(pc->n ? pc->n : 1, sizeof(size_t));
		segs = bid__arena_alloc(&run->arena, (pc->n ? pc->n : 1) * BID_MAX_SEGS * sizeof(*segs));
		supix = bid__arena_alloc(&run->arena, (pc->n ? pc->n : 1) * sizeof(size_t));
		for (k = 0; k < pc->n; k++) {
			cands[i][k] = pc->cand[k];
			lines[i][k] = pc->line_of[k];
			supix[k] = supplier_index(ids, nsup, pc->cand[k].supplier);
			if (pc->cand[k].nsegs) {
				memcpy(segs + k * BID_MAX_SEGS, pc->segs[k], sizeof(pc->segs[k]));
				cands[i][k].segs = segs + k * BID_MAX_SEGS;
			}
		}
		cp[i].sup = supix;
		cp[i].id = p->part;
		cp[i].demand = p->qty;
		cp[i].offers = cands[i];
		cp[i].noffers = pc->n;
		part_rules(&cp[i].rules, o, p);
		cp[i].counts = bid_unit_is_count(p->unit);
		if (has_commitment(&run->ctx.policy, p->part) &&
		    (rc = fix_committed(run, p, pc, &cp[i], cands[i], lines[i], supix, &cfix[i])) < 0)
			break;
	}
	if (rc < 0)
		goto done;

	rules.max_spend_share = o->max_spend_share_pct / 100;
	rules.share_by_group = rs.by_group;
	opt.time_limit_ms = o->time_limit_ms;
	opt.gap_ppm = o->gap_ppm;
	/*
	 * CBC closes the gap on rounds small enough for it (measured: 1,000 x 10
	 * takes minutes); on larger ones it is asked only when the
	 * decomposition found no award at all, within the time limit (2
	 * minutes when none is given).
	 */
	opt.milp = np <= 200 ? BID_COUPLE_MILP_CLOSE : BID_COUPLE_MILP_RESCUE;
	if (opt.milp == BID_COUPLE_MILP_RESCUE && !o->time_limit_ms)
		opt.milp_time_limit_ms = 120000;
	if (o->export_model) {
		FILE *f = fopen(o->export_model, "w");
		int wrc = f ? bid_award__write_round_lp(f, cp, np, sup, nsup, &rules) : BID_EIO;

		if ((f && fclose(f) != 0) || wrc < 0) {
			rc = bid_error_set(err, BID_EIO, BID_AREA_ENGINE, "cannot write the model to %s",
			                   o->export_model);
			goto done;
		}
	}
	if (!objective)
		goto done;    /* the model was all that was asked for */
	if (bid_award__solve_round(&res, cp, np, sup, nsup, &rules, &opt, why, sizeof(why)) < 0) {
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "award rules: %s", why);
		goto done;
	}
	if (res.status == BID_COUPLE_INFEASIBLE || res.status == BID_COUPLE_NOT_FOUND) {
		rc = bid_error_set(err, BID_EINFEASIBLE, BID_AREA_ENGINE, "%s: %s",
		                   res.status == BID_COUPLE_INFEASIBLE ? "no award meets the rules"
		                                                       : "no award found in the time",
		                   res.reason);
		goto done;
	}
	for (i = 0; i < np && rc == 0; i++) {
		if (cfix[i].reason) {
			/* a committed part: its award as fixed, with its own status and reason */
			res.parts[i].status = cfix[i].status;
			snprintf(res.parts[i].reason, sizeof(res.parts[i].reason), "%s", cfix[i].reason);
			ncommitted++;
		}
		rc = finish_part(run, &round->parts[i], cands[i], lines[i], &res.parts[i],
		                 round->info.currency, &c->parts[i], objective);
	}
	c->a.bound = (bid_dec)div_half_even(res.bound, BID_DEC_SCALE);
	c->a.gap_ppm = res.gap_ppm;
	c->a.method = res.method == BID_COUPLE_BY_MILP ? "coupled: MILP (CBC), checked exactly"
	            : res.stopped == BID_COUPLE_STOP_TIME ? "coupled: decomposition (stopped on time)"
	            : "coupled: Lagrangian decomposition with exact parts";
	if (ncommitted) {
		char m[160];
		snprintf(m, sizeof(m), "%s; committed parts fixed first", c->a.method);
		c->a.method = bid__arena_strdup(&run->arena, m);
	}
done:
	bid_couple_result_free(&res);
	for (i = 0; i < np; i++) {
		free(cands[i]);
		free(lines[i]);
	}
	free(cp);
	free(cands);
	free(lines);
	free_suppliers(&rs);
	free(pc);
	free(cfix);
	return rc;
}

/*
 * The award re-checked exactly against every rule before it is stored, and
 * on every replay.  The solvers' answers went through finish_part into
 * stored decimals; this reads those back.  Each part: its lines are
 * eligible candidates of distinct suppliers, positive multiples of the
 * step adding up to the demand, each line's cost the exact cost of its
 * quantity on the offer's curve in minor units, the part's cost their sum;
 * an awarded part within its vendor count, its independent sources and
 * every share and quantity bound; a shortfall within its vendor count and
 * quantity bounds (and its shares unless they were relaxed); a committed
 * part holding its commitments.  The round: capacities, spend caps and
 * the spend-share cap, exactly; the objective the exact sum.  A failure is
 * a bug in bidcmp: it is reported and nothing is stored.
 */
#define VIOLATION(...) \
	bid_error_set(err, BID_ERROR, BID_AREA_ENGINE, "award check failed (a bug; nothing stored): " __VA_ARGS__)

static int verify_part(award_run *run, const bid_part *p, const bid_award_options *o,
                       const part_cands *pc, const bid_award_part *ap, const char *currency,
                       bid_i128 *exact, int64_t *qty_of_sup, bid_i128 *spend_of_sup,
                       const round_sups *rs, bid_error *err)
{
	bid_split_rules r;
	bid_dec fixed[64], sum = 0, cost = 0;
	int32_t groups[64];
	int committed = has_commitment(&run->ctx.policy, p->part), relaxed, nsrc = 0;
	size_t l, k, g;
	char note[200] = "";

	part_rules(&r, o, p);
	if (committed)
		committed_fixed(run, p, pc, r.step, fixed, note, sizeof(note));
	if (ap->status == BID_PART_UNAWARDED)
		return ap->nlines == 0 ? 0 : VIOLATION("part %s: unawarded with %zu lines", p->part, ap->nlines);
	if (ap->nlines == 0)
		return VIOLATION("part %s: awarded without a line", p->part);
	relaxed = strstr(ap->reason, "shares relaxed") != NULL;
	for (l = 0; l < ap->nlines; l++) {
		const bid_award_line *x = &ap->lines[l];
		const bid_offer *c;
		bid_i128 lc;
		bid_dec minor;

		for (k = 0; k < pc->n && run->offers[pc->line_of[k]].row.line_id != x->quote_line_id; k++)
			;
		if (k == pc->n || strcmp(pc->cand[k].supplier, x->supplier) != 0)
			return VIOLATION("part %s: %s's line %lld is not an eligible offer of the part",
			                 p->part, x->supplier, x->quote_line_id);
		if (l > 0 && strcmp(ap->lines[l - 1].supplier, x->supplier) >= 0)
			return VIOLATION("part %s: suppliers not distinct and in order", p->part);
		c = &pc->cand[k];
		if (x->qty <= 0 || x->qty % r.step != 0)
			return VIOLATION("part %s: %s gets %lld millionths, not a positive multiple of %lld",
			                 p->part, x->supplier, (long long)x->qty, (long long)r.step);
		lc = bid_couple__cost(c, x->qty);
		if (minor_from_exact(&minor, lc, currency, err) < 0)
			return BID_ERANGE;
		if (minor != x->line_cost)
			return VIOLATION("part %s: %s's line cost is not its quantity's cost", p->part,
			                 x->supplier);
		*exact += lc;
		sum += x->qty;
		cost += x->line_cost;
		{
			size_t j = supplier_index(rs->ids, rs->nsup, x->supplier);
			if (bid_unit_is_count(p->unit))
				qty_of_sup[j] += x->qty;
			spend_of_sup[j] += lc;
		}
		if (committed && fixed[k]) {
			if (x->qty < fixed[k])
				return VIOLATION("part %s: %s gets less than its commitment", p->part, x->supplier);
			continue;    /* committed: outside the share and quantity rules */
		}
		if (x->qty < bid_dec_ceil_to(c->min_qty, r.step) ||
		    (c->max_qty != BID_QTY_UNLIMITED && x->qty > c->max_qty))
			return VIOLATION("part %s: %s's quantity is outside its offer's minimum and maximum",
			                 p->part, x->supplier);
		if (!committed && !relaxed &&
		    ((bid_i128)x->qty * BID_DEC_SCALE < (bid_i128)p->qty * r.min_share ||
		     (bid_i128)x->qty * BID_DEC_SCALE > (bid_i128)p->qty * r.max_share))
			return VIOLATION("part %s: %s's share is outside %lld..%lld millionths", p->part,
			                 x->supplier, (long long)r.min_share, (long long)r.max_share);
		for (g = 0; g < (size_t)nsrc && groups[g] != c->group; g++)
			;
		if (g == (size_t)nsrc)
			groups[nsrc++] = c->group;
	}
	if (committed) {
		for (k = 0; k < pc->n; k++) {
			for (l = 0; fixed[k] && l < ap->nlines && strcmp(ap->lines[l].supplier, pc->cand[k].supplier); l++)
				;
			if (fixed[k] && l == ap->nlines)
				return VIOLATION("part %s: the commitment to %s is not awarded", p->part,
				                 pc->cand[k].supplier);
		}
	}
	if (sum != p->qty)
		return VIOLATION("part %s: the lines add up to %lld millionths of %lld", p->part,
		                 (long long)sum, (long long)p->qty);
	if (cost != ap->cost)
		return VIOLATION("part %s: the part's cost is not the sum of its lines", p->part);
	if (!committed && ap->nlines > (size_t)r.max_vendors)
		return VIOLATION("part %s: %zu vendors, at most %d", p->part, ap->nlines, r.max_vendors);
	if (!committed && ap->status == BID_PART_AWARDED && nsrc < r.min_vendors)
		return VIOLATION("part %s: %d independent sources, at least %d", p->part, nsrc,
		                 r.min_vendors);
	return 0;
}

static int verify_award(award_calc *c, bid_round *round, const bid_award_options *o,
                        bid_error *err)
{
	award_run *run = &c->run;
	round_sups rs;
	part_cands *pc = bid__malloc(sizeof(*pc));
	bid_award_part scratch;
	int64_t *q = NULL;
	bid_i128 *sp = NULL, exact = 0, total;
	size_t i, j, cursor = 0;
	int rc;

	memset(&rs, 0, sizeof(rs));
	if ((rc = load_suppliers(run, o, &rs)) < 0)
		goto done;
	q = bid__calloc(rs.nsup ? rs.nsup : 1, sizeof(*q));
	sp = bid__calloc(rs.nsup ? rs.nsup : 1, sizeof(*sp));
	for (i = 0; rc == 0 && i < round->nparts; i++) {
		if ((rc = gather_part(run, &cursor, &round->parts[i], o, round->info.currency, &scratch,
		                      pc)) < 0)
			break;
		rc = verify_part(run, &round->parts[i], o, pc, &c->parts[i], round->info.currency,
		                 &exact, q, sp, &rs, err);
	}
	if (rc < 0)
		goto done;
	total = exact;
	for (j = 0; j < rs.nsup; j++) {
		const bid_couple_supplier *u = &rs.sup[j];
		bid_i128 ent = 0;
		size_t e;

		if (u->capacity != BID_QTY_UNLIMITED && q[j] > u->capacity) {
			rc = VIOLATION("supplier %s gets %lld millionths, above its capacity", u->id,
			               (long long)q[j]);
			goto done;
		}
		if (u->spend_cap != BID_SPEND_UNLIMITED && sp[j] > (bid_i128)u->spend_cap * BID_DEC_SCALE) {
			rc = VIOLATION("supplier %s's spend is above its cap", u->id);
			goto done;
		}
		if (o->max_spend_share_pct <= 0)
			continue;
		for (e = 0; e < rs.nsup; e++)
			if (rs.by_group ? rs.sup[e].group == u->group : e == j)
				ent += sp[e];
		if (ent * BID_DEC_SCALE > total * (o->max_spend_share_pct / 100)) {
			rc = VIOLATION("supplier %s%s is above the %s share of spend", u->id,
			               rs.by_group ? " (its group)" : "", "round's");
			goto done;
		}
	}
	if ((bid_dec)div_half_even(exact, BID_DEC_SCALE) != c->a.objective)
		rc = VIOLATION("the objective is not the sum of the lines' exact costs");
done:
	free(q);
	free(sp);
	free(pc);
	free_suppliers(&rs);
	return rc;
}

/*
 * Fault injection for the tests (as SQLite's test controls): with
 * BIDCMP_FAULT=award.qty in the environment, one step of the first part
 * split between two suppliers moves from the first to the second after
 * the solve, as a bug in a solver would, so that the tests can see the
 * check refuse it.  No other value does anything.
 */
static void inject_fault(award_calc *c, const bid_round *round)
{
	const char *f = getenv("BIDCMP_FAULT");
	size_t i;

	if (!f || strcmp(f, "award.qty") != 0)
		return;
	for (i = 0; i < round->nparts; i++)
		if (c->parts[i].nlines >= 2) {
			bid_award_line *l = (bid_award_line *)c->parts[i].lines;
			bid_dec step = bid_norm__step(round->parts[i].unit);
			l[0].qty -= step;
			l[1].qty += step;
			return;
		}
}

/*
 * Compute the award of a round on the inputs the store lets us see (its
 * "as of" limits), on `date` (BID_DATE_NONE: the policy's award date or
 * today).  Nothing is written.
 */
static int compute_award(award_calc *c, bid_round *round, const bid_award_options *o,
                         const char *scenario, bid_date date, bid_error *err)
{
	bid_i128 objective = 0;
	bid_sha256 *h;
	size_t i, cursor;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = load_run(&c->run, round, NULL, date, err)) < 0)
		return rc;
	c->parts = bid__calloc(round->nparts ? round->nparts : 1, sizeof(*c->parts));
	c->a.method = "enumeration (exact per part)";
	if (coupled(&c->run, o)) {
		if ((rc = award_coupled(c, round, o, &objective, err)) < 0)
			return rc;
	} else {
		part_cands *pc;

		/* the same model as a coupled round's, without rows across parts */
		if (o->export_model && (rc = award_coupled(c, round, o, NULL, err)) < 0)
			return rc;
		pc = bid__malloc(sizeof(*pc));

		for (i = 0, cursor = 0; rc == 0 && i < round->nparts; i++)
			rc = award_part(&c->run, &cursor, &round->parts[i], o, round->info.currency,
			                &c->parts[i], &objective, pc);
		free(pc);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < round->nparts; i++) {
		c->a.total += c->parts[i].cost;
		c->a.single_total += c->parts[i].single_supplier ? c->parts[i].single_cost : 0;
	}

	h = bid__sha256_new();
	digest_params(h, round, o, scenario, c->run.ctx.date);
	for (i = 0; i < c->run.n; i++)
		digest_offer(h, &c->run.offers[i]);
	bid__sha256_done(h, c->digest);

	c->a.round_id = round->info.id;
	c->a.scenario = scenario;
	c->a.award_date = c->run.ctx.date;
	c->a.min_vendors = o->min_vendors;
	c->a.max_vendors = o->max_vendors;
	c->a.min_share_pct = o->min_share_pct;
	c->a.max_share_pct = o->max_share_pct;
	c->a.independence = o->independence;
	c->a.max_spend_share_pct = o->max_spend_share_pct;
	c->a.gap_target_ppm = o->gap_ppm;
	c->a.time_limit_ms = o->time_limit_ms;
	/* objective: exact Σ cost at scale 10^12, rounded half-even to 10^-6 */
	c->a.objective = (bid_dec)div_half_even(objective, BID_DEC_SCALE);
	inject_fault(c, round);
	if ((rc = verify_award(c, round, o, err)) < 0)
		return rc;
	c->a.currency = round->info.currency;
	c->a.digest = c->digest;
	return 0;
}

static int check_options(const bid_award_options *o, const char *scenario, bid_error *err)
{
	if (o->min_vendors < 1 || o->max_vendors < o->min_vendors ||
	    o->max_vendors > BID_SPLIT_MAX_VENDORS)
		return bid_error_set(err, BID_EUSAGE, BID_AREA_ENGINE,
		                     "vendors: need 1 <= min (%d) <= max (%d) <= %d",
		                     o->min_vendors, o->max_vendors, BID_SPLIT_MAX_VENDORS);
	if (o->min_share_pct < 0 || o->max_share_pct < o->min_share_pct ||
	    o->max_share_pct > 100 * BID_DEC_SCALE || o->max_share_pct == 0)
		return bid_error_set(err, BID_EUSAGE, BID_AREA_ENGINE,
		                     "shares: need 0 <= min <= max <= 100 and max > 0");
	if (!*scenario || strlen(scenario) > 64)
		return bid_error_set(err, BID_EUSAGE, BID_AREA_ENGINE,
		                     "a scenario name has 1 to 64 characters");
	return 0;
}

int bid_round_award(bid_result **out, bid_round *round, const bid_award_options *opts,
                    bid_error *err)
{
	bid_award_options o = BID_AWARD_OPTIONS_INIT;
	const char *scenario;
	award_calc c;
	const offer **order = NULL;
	long long award_id = 0;
	size_t i;
	int rc;

	if (out)
		*out = NULL;
	if (opts)
		o = *opts;
	scenario = o.scenario ? o.scenario : "default";
	if ((rc = check_options(&o, scenario, err)) < 0)
		return rc;

	/* Read exactly the inputs recorded as seen, so that replay can see them again. */
	memset(&c, 0, sizeof(c));
	{
		bid_asof now;
		if ((rc = bid_store__asof_now(round->store, &now, err)) < 0)
			return rc;
		bid_store__set_asof(round->store, &now);
		rc = compute_award(&c, round, &o, scenario, BID_DATE_NONE, err);
		bid_store__set_asof(round->store, NULL);
		c.a.asof = now;
	}
	if (rc < 0)
		goto done;

	if ((rc = bid_store__begin(round->store, err)) < 0)
		goto done;
	rc = bid_store__award_insert(round->store, &c.a, &award_id, err);
	/* offers go in by quote line id, the table's key order: appends, not page splits */
	order = bid__malloc((c.run.n ? c.run.n : 1) * sizeof(*order));
	for (i = 0; i < c.run.n; i++)
		order[i] = &c.run.offers[i];
	if (c.run.n)
		qsort(order, c.run.n, sizeof(*order), offer_ptr_line_cmp);
	for (i = 0; rc == 0 && i < c.run.n; i++) {
		const offer *x = order[i];
		bid_norm_row nr;

		nr.line_id = x->row.line_id;
		nr.unit_cost = x->norm.unit_cost;
		nr.fx_num = x->norm.fx_num;
		nr.fx_den = x->norm.fx_den;
		nr.unit_num = x->norm.unit_num;
		nr.unit_den = x->norm.unit_den;
		nr.min_qty = x->norm.min_qty;
		nr.max_qty = x->norm.max_qty;
		nr.eligible = x->norm.eligible;
		nr.reason = x->norm.reason;
		nr.landed = &x->norm.landed;
		nr.freight_pct = x->norm.freight_pct;
		nr.duty_pct = x->norm.duty_pct;
		nr.pay_days = x->norm.pay_days;
		nr.took_discount = x->norm.took_discount;
		nr.arrival = x->norm.arrival;
		nr.days_late = x->norm.days_late;
		nr.ntiers = x->norm.ntiers;
		nr.tier_from = x->norm.tier_from;
		nr.tier_cost = x->norm.tier_cost;
		rc = bid_store__award_offer_insert(round->store, award_id, &nr, err);
	}
	for (i = 0; rc == 0 && i < round->nparts; i++)
		rc = bid_store__award_part_insert(round->store, award_id, i, &c.parts[i], err);
	if (rc == 0) {
		char id[24], rows[65], obj[BID_DEC_FMT_MAX], tot[BID_DEC_FMT_MAX], d[16];
		snprintf(id, sizeof(id), "%lld", award_id);
		rc = bid_audit__award_rows(round->store, award_id, rows, err);
		if (rc == 0)
			rc = bid_audit__record(round->store, "award.run", round->info.id, err,
			                       "award", id, "scenario", scenario, "digest", c.digest,
			                       "rows", rows,
			                       "objective", bid_dec_format(obj, sizeof(obj), c.a.objective, 0),
			                       "total", bid_dec_format(tot, sizeof(tot), c.a.total, 0),
			                       "award_date", bid_date_format(d, sizeof(d), c.a.award_date),
			                       (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(round->store, err);
	if (rc < 0) {
		bid_store__rollback(round->store);
		goto done;
	}
	round->info.nawards++;
	if (out)
		rc = bid_result_load(out, round, scenario, err);
done:
	free(order);
	free_calc(&c);
	return rc;
}

/* ---- replay ---- */

typedef struct stored_award {
	bid_award_options o;
	bid_asof          asof;
	bid_date          date;
	int               found;
} stored_award;

/* cols: min_vendors, max_vendors, min_share_pct, max_share_pct, award_date, quotes, fx,
 * policy, suppliers, independence */
static int stored_params(int ncol, const char *const *col, void *payload)
{
	stored_award *s = payload;

	(void)ncol;
	s->o.min_vendors = col[0] ? atoi(col[0]) : 0;
	s->o.max_vendors = col[1] ? atoi(col[1]) : 0;
	if (!col[2] || bid_dec_parse_cstr(&s->o.min_share_pct, col[2], NULL) < 0 ||
	    !col[3] || bid_dec_parse_cstr(&s->o.max_share_pct, col[3], NULL) < 0 ||
	    !col[4] || bid_date_parse(&s->date, col[4], strlen(col[4]), 0, NULL) < 0)
		return BID_EINVALID;
	s->asof.quotes = col[5] ? atoll(col[5]) : 0;
	s->asof.fx = col[6] ? atoll(col[6]) : 0;
	s->asof.policy = col[7] ? atoll(col[7]) : 0;
	s->asof.suppliers = col[8] ? atoll(col[8]) : 0;
	s->o.independence = !col[9] || strcmp(col[9], "off") != 0;
	if (col[10] && bid_dec_parse_cstr(&s->o.max_spend_share_pct, col[10], NULL) < 0)
		return BID_EINVALID;
	s->o.gap_ppm = col[11] ? atoll(col[11]) : 100;
	s->o.time_limit_ms = col[12] ? atoll(col[12]) : 0;
	s->found = 1;
	return 0;
}

static int same_line(const bid_award_line *x, const bid_award_line *y)
{
	return strcmp(x->supplier, y->supplier) == 0 && x->quote_line_id == y->quote_line_id &&
	       x->qty == y->qty && x->unit_cost == y->unit_cost && x->line_cost == y->line_cost &&
	       x->share_pct == y->share_pct;
}

int bid_audit_replay(FILE *out, bid_round *round, const char *scenario, bid_error *err)
{
	bid_result *res = NULL;
	stored_award st;
	award_calc c;
	size_t i, j, differ = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	if ((rc = bid_result_load(&res, round, scenario, err)) < 0)
		return rc;
	st.o.version = BID_AWARD_OPTIONS_VERSION;
	st.o.scenario = res->scenario;
	if ((rc = bid_store__rows_each(round->store,
	        "SELECT json_extract(params, '$.min_vendors'), json_extract(params, '$.max_vendors'),"
	        " json_extract(params, '$.min_share_pct'), json_extract(params, '$.max_share_pct'),"
	        " award_date, quotes_upto, fx_upto, policy_upto, suppliers_upto,"
	        " json_extract(params, '$.independence'), json_extract(params, '$.max_spend_share_pct'),"
	        " json_extract(params, '$.gap_target_ppm'), json_extract(params, '$.time_limit_ms')"
	        " FROM awards WHERE id = ?1",
	        res->id, NULL, stored_params, &st, err)) < 0 || !st.found) {
		if (rc >= 0 || rc == BID_EINVALID)
			rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
			                   "award %lld: its stored parameters cannot be read", res->id);
		goto done;
	}
	bid_store__set_asof(round->store, &st.asof);
	rc = compute_award(&c, round, &st.o, res->scenario, st.date, err);
	bid_store__set_asof(round->store, NULL);
	if (rc < 0)
		goto done;

	fprintf(out, "replay of award %lld (scenario '%s', %zu parts)\n", res->id, res->scenario,
	        res->nparts);
	if (strcmp(c.digest, res->digest) != 0) {
		fprintf(out, "  inputs digest differs: stored %s, replayed %s\n", res->digest, c.digest);
		differ++;
	}
	for (i = 0; i < res->nparts && i < round->nparts; i++) {
		const bid_award_part *s = &res->parts[i], *r = &c.parts[i];
		int same = strcmp(s->part, r->part) == 0 && s->status == r->status &&
		           strcmp(s->reason, r->reason) == 0 && s->cost == r->cost &&
		           s->nlines == r->nlines && s->single_cost == r->single_cost;

		for (j = 0; same && j < s->nlines; j++)
			same = same_line(&s->lines[j], &r->lines[j]);
		if (!same) {
			char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
			fprintf(out, "  part %s differs: stored cost %s, replayed %s\n", s->part,
			        bid_dec_format(a, sizeof(a), s->cost, 2), bid_dec_format(b, sizeof(b), r->cost, 2));
			differ++;
		}
	}
	if (res->nparts != round->nparts) {
		fprintf(out, "  the stored award has %zu parts, the round %zu\n", res->nparts, round->nparts);
		differ++;
	}
	if (differ)
		rc = bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                   "replay of award %lld differs from what was stored (%zu difference%s)",
		                   res->id, differ, differ == 1 ? "" : "s");
	else
		fprintf(out, "  identical: digest %s and every part, line and cost\n", c.digest);
done:
	free_calc(&c);
	bid_result_free(res);
	return rc;
}

int bid_result_load(bid_result **out, bid_round *round, const char *scenario, bid_error *err)
{
	bid_result *res = bid__calloc(1, sizeof(*res));
	int rc;

	*out = NULL;
	if ((rc = bid_store__award_load(round->store, round->info.id,
	                                scenario ? scenario : "default", res, err)) < 0) {
		bid_result_free(res);
		return rc;
	}
	*out = res;
	return 0;
}

void bid_result_free(bid_result *res)
{
	if (!res)
		return;
	free(res->parts);
	bid__arena_free(&res->arena);
	free(res);
}

size_t bid_result_count(const bid_result *res) { return res->nparts; }
const char *bid_result_currency(const bid_result *res) { return res->currency; }
const char *bid_result_scenario(const bid_result *res) { return res->scenario; }
const char *bid_result_digest(const bid_result *res) { return res->digest; }
long long bid_result_id(const bid_result *res) { return res->id; }
bid_date bid_result_award_date(const bid_result *res) { return res->award_date; }
bid_dec bid_result_total(const bid_result *res) { return res->total; }
bid_dec bid_result_single_total(const bid_result *res) { return res->single_total; }

const bid_award_part *bid_result_get(const bid_result *res, size_t i)
{
	return i < res->nparts ? &res->parts[i] : NULL;
}

/* ---- explaining a part's offers ---- */

static void money_line(FILE *out, const char *label, bid_dec v, const char *cur,
                       const char *unit, const char *why)
{
	char a[BID_DEC_FMT_MAX];

	fprintf(out, "    %-9s %s%14s %s per %s", label, v < 0 ? "-" : "+",
	        bid_dec_format(a, sizeof(a), v < 0 ? -v : v, 2), cur, unit);
	if (why && *why)
		fprintf(out, "   %s", why);
	fputc('\n', out);
}

static void explain_offer(FILE *out, const award_run *run, const bid_part *p, const offer *x)
{
	const bid_offer_row *o = &x->row;
	const bid_norm *n = &x->norm;
	const char *cur = run->ctx.currency, *bunit;
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], c[BID_DEC_FMT_MAX], why[200], d1[16];
	size_t i;

	bunit = o->basis_unit ? o->basis_unit : o->unit ? o->unit : p->unit;
	fprintf(out, "  %s, quote %s line %s (%s:%u:%u)\n", o->supplier,
	        o->quote_ref ? o->quote_ref : "-", o->line_ref ? o->line_ref : "-",
	        o->doc_name ? o->doc_name : "?", o->src_line, o->src_col);
	fprintf(out, "    %-9s  %14s %s per %s %s   %s:%u:%u\n", "quoted",
	        bid_dec_format(a, sizeof(a), o->price, 2), o->currency,
	        bid_dec_format(b, sizeof(b), o->basis_qty > 0 ? o->basis_qty : BID_DEC_SCALE, 0),
	        bunit, o->doc_name ? o->doc_name : "?", o->price_line, o->price_col);
	if (!n->eligible && n->fx_den == 0) {
		fprintf(out, "    verdict   ineligible: %s\n\n", n->reason);
		return;
	}
	fprintf(out, "    %-9s  x %s/%s: %lld/%lld %s in one %s\n", "unit", bunit, p->unit,
	        (long long)n->unit_num, (long long)n->unit_den, bunit, p->unit);
	fprintf(out, "    %-9s  x %s/%s %s to %s\n", "rate",
	        bid_dec_format(a, sizeof(a), n->fx_num, 0), bid_dec_format(b, sizeof(b), n->fx_den, 0),
	        o->currency, cur);
	if (n->eligible || n->landed.goods) {
		money_line(out, "goods", n->landed.goods, cur, p->unit, "price / basis x unit x rate");
		if (o->has_line_charges || o->has_quote_charges) {
			char lc[BID_DEC_FMT_MAX], qc[BID_DEC_FMT_MAX];
			snprintf(why, sizeof(why), "line %s %s over its quantity, quote %s %s by value",
			         bid_dec_format(lc, sizeof(lc), o->has_line_charges ? o->line_charges : 0, 2),
			         o->currency,
			         bid_dec_format(qc, sizeof(qc), o->has_quote_charges ? o->quote_charges : 0, 2),
			         o->quote_charges_currency ? o->quote_charges_currency : o->currency);
		} else {
			snprintf(why, sizeof(why), "no charges stated");
		}
		money_line(out, "charges", n->landed.charges, cur, p->unit, why);
		snprintf(why, sizeof(why), "%s%% for %s", bid_dec_format(a, sizeof(a), n->freight_pct, 0),
		         o->incoterm ? o->incoterm : "no incoterm named");
		money_line(out, "freight", n->landed.freight, cur, p->unit, why);
		snprintf(why, sizeof(why), "%s%% of goods + freight, origin %s",
		         bid_dec_format(a, sizeof(a), n->duty_pct, 0), o->origin ? o->origin : "not stated");
		money_line(out, "duty", n->landed.duty, cur, p->unit, why);
		if (n->took_discount)
			snprintf(why, sizeof(why), "%s%% discount paid in %d days, at %s%% a year",
			         bid_dec_format(a, sizeof(a), o->discount_pct, 0), o->discount_days,
			         bid_dec_format(b, sizeof(b), run->ctx.policy.coc_pct, 0));
		else
			snprintf(why, sizeof(why), "%s%d days' credit at %s%% a year",
			         o->has_pay_days ? "" : "no terms: ", n->pay_days,
			         bid_dec_format(b, sizeof(b), run->ctx.policy.coc_pct, 0));
		money_line(out, "payment", n->landed.payment, cur, p->unit, why);
		if (o->has_ppm || o->has_master_ppm)
			snprintf(why, sizeof(why), "%s ppm x %s per defect%s",
			         bid_dec_format(a, sizeof(a), o->has_ppm ? o->defect_ppm : o->master_ppm, 0),
			         bid_dec_format(b, sizeof(b), run->ctx.policy.cost_per_defect, 2),
			         o->has_ppm ? "" : " (the supplier's history)");
		else
			snprintf(why, sizeof(why), "no defect rate stated");
		money_line(out, "quality", n->landed.quality, cur, p->unit, why);
		if (n->arrival != BID_DATE_NONE)
			snprintf(why, sizeof(why), "arrives %s%s", bid_date_format(d1, sizeof(d1), n->arrival),
			         n->days_late > 0 ? ", late" : ", in time");
		else
			snprintf(why, sizeof(why), "no lead time or delivery date stated");
		money_line(out, "late", n->landed.late, cur, p->unit, why);
		fprintf(out, "    %-9s = %14s %s per %s\n", "landed",
		        bid_dec_format(c, sizeof(c), n->landed.total, 2), cur, p->unit);
	}
	for (i = 1; i < n->ntiers; i++)
		fprintf(out, "    %-9s   from %s %s: %s %s per %s\n", i == 1 ? "breaks" : "",
		        bid_dec_format(a, sizeof(a), n->tier_from[i], 0), p->unit,
		        bid_dec_format(b, sizeof(b), n->tier_cost[i].total, 2), cur, p->unit);
	if (n->eligible)
		fprintf(out, "    verdict   eligible\n\n");
	else
		fprintf(out, "    verdict   ineligible: %s\n\n", n->reason);
}

int bid_explain(FILE *out, bid_round *round, const char *part, const char *supplier,
                bid_error *err)
{
	const bid_part *p = bid_round__find_part(round, part);
	award_run run;
	char q[BID_DEC_FMT_MAX], d1[16], d2[16];
	size_t i, shown = 0;
	int rc;

	if (!p)
		return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
		                     "round %s has no part '%s'", round->info.id, part);
	if ((rc = load_run(&run, round, p, BID_DATE_NONE, err)) < 0)
		goto done;
	fprintf(out, "Part %s: %s %s%s%s, need by %s; landed costs in %s on %s\n\n", p->part,
	        bid_dec_format(q, sizeof(q), p->qty, 0), p->unit,
	        p->description ? ", " : "", p->description ? p->description : "",
	        p->need_by == BID_DATE_NONE ? "-" : bid_date_format(d1, sizeof(d1), p->need_by),
	        run.ctx.currency, bid_date_format(d2, sizeof(d2), run.ctx.date));
	for (i = 0; i < run.n; i++) {
		if (supplier && strcmp(run.offers[i].row.supplier, supplier) != 0)
			continue;
		explain_offer(out, &run, p, &run.offers[i]);
		shown++;
	}
	if (shown == 0)
		rc = bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE, "no offer for part %s%s%s",
		                   p->part, supplier ? " from " : "", supplier ? supplier : "");
	else if (fflush(out) != 0 || ferror(out))
		rc = bid_error_set(err, BID_EIO, BID_AREA_ENGINE, "cannot write the explanation");
done:
	free_run(&run);
	return rc;
}

/* ---- why: the stored decision for one part ---- */

/* A supplier's use of the rules across parts in a coupled award. */
typedef struct why_sup {
	const char *id;
	const char *group;        /* parent company in the master, or NULL */
	bid_dec     qty;          /* over the parts in count units */
	bid_dec     spend;        /* its line costs over the round */
	bid_dec     capacity;     /* -1: none */
	bid_dec     spend_cap;    /* -1: none */
} why_sup;

typedef struct why_ctx {
	FILE                 *out;
	const bid_award_part *ap;
	const char           *cur;
	bid_dec               max_awarded;   /* highest landed cost awarded */
	bid_dec               min_share_qty, max_share_qty;
	int                   nvendors_max;
	/* a coupled award: what each supplier used of its capacity, caps and share */
	int                   coupled, by_group;
	why_sup              *sups;
	size_t                nsups;
	bid_dec               total;         /* the round's spend */
	bid_dec               share_cap;     /* max_spend_share in percent (decimal), 0 none */
	/* the part's commitments in force for the award: supplier and quantity */
	struct { char supplier[128]; bid_dec qty; } commit[16];
	size_t                ncommit;
} why_ctx;

/* cols: key ("commit/SUPPLIER/PART"), value: the policy rows the award saw, oldest first */
static int why_commit(int ncol, const char *const *col, void *payload)
{
	why_ctx *w = payload;
	const char *sup = col[0] + 7, *slash;
	size_t n = strlen(col[0]), np = strlen(w->ap->part), i;
	bid_dec q;

	(void)ncol;
	if (n < 7 + np + 2 || strcmp(col[0] + n - np, w->ap->part) != 0 || col[0][n - np - 1] != '/')
		return 0;
	slash = col[0] + n - np - 1;
	if ((size_t)(slash - sup) >= sizeof(w->commit[0].supplier) || !col[1] ||
	    bid_dec_parse_cstr(&q, col[1], NULL) < 0)
		return 0;
	for (i = 0; i < w->ncommit; i++)
		if (strlen(w->commit[i].supplier) == (size_t)(slash - sup) &&
		    memcmp(w->commit[i].supplier, sup, (size_t)(slash - sup)) == 0)
			break;
	if (i == w->ncommit) {
		if (w->ncommit == sizeof(w->commit) / sizeof(w->commit[0]))
			return 0;
		memcpy(w->commit[i].supplier, sup, (size_t)(slash - sup));
		w->commit[i].supplier[slash - sup] = '\0';
		w->ncommit++;
	}
	w->commit[i].qty = q;     /* a later row replaces an earlier one; 0 withdraws */
	return 0;
}

static bid_dec why_committed(const why_ctx *w, const char *supplier)
{
	size_t i;

	for (i = 0; i < w->ncommit; i++)
		if (strcmp(w->commit[i].supplier, supplier) == 0)
			return w->commit[i].qty;
	return 0;
}

static why_sup *why_sup_of(why_ctx *w, const char *id)
{
	size_t i;

	for (i = 0; i < w->nsups; i++)
		if (strcmp(w->sups[i].id, id) == 0)
			return &w->sups[i];
	return NULL;
}

/* cols: supplier_id, capacity_micros, spend_cap_micros, grp (the master as the award saw it) */
static int why_master(int ncol, const char *const *col, void *payload)
{
	why_ctx *w = payload;
	why_sup *u = why_sup_of(w, col[0]);

	(void)ncol;
	if (u) {
		u->capacity = col[1] ? (bid_dec)atoll(col[1]) : -1;
		u->spend_cap = col[2] ? (bid_dec)atoll(col[2]) : -1;
		u->group = col[3] && *col[3] ? col[3] : NULL;
	}
	return 0;
}

/* cols: independence, max_spend_share_pct */
static int why_coupling(int ncol, const char *const *col, void *payload)
{
	why_ctx *w = payload;

	(void)ncol;
	w->by_group = col[0] && strcmp(col[0], "on") == 0;
	if (col[1])
		bid_dec_parse_cstr(&w->share_cap, col[1], NULL);
	return 0;
}

/*
 * Which rule across parts holds supplier u at its quantity in a coupled
 * award, as a phrase ("" when none is used up).  Capacity counts only on
 * parts in count units, as in the award.  A spend cap or share is
 * used up when less than one minor unit (a cent) is left, the line costs
 * being rounded to it.
 */
static const char *why_coupled_bound(const why_ctx *w, const why_sup *u, char *buf, size_t n)
{
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX];
	bid_dec cent = BID_DEC_SCALE / 100;

	buf[0] = '\0';
	if (!w->coupled || !u)
		return buf;
	if (u->capacity >= 0 && u->qty >= u->capacity && bid_unit_is_count(w->ap->unit))
		snprintf(buf, n, "its capacity binds across the round (%s of %s)",
		         bid_dec_format(a, sizeof(a), u->qty, 0), bid_dec_format(b, sizeof(b), u->capacity, 0));
	else if (u->spend_cap >= 0 && u->spend >= u->spend_cap - cent)
		snprintf(buf, n, "its spend cap binds across the round (%s of %s %s)",
		         bid_dec_format(a, sizeof(a), u->spend, 2), bid_dec_format(b, sizeof(b), u->spend_cap, 2),
		         w->cur);
	else if (w->share_cap > 0 && w->total > 0) {
		bid_i128 ent = 0;
		size_t i;

		for (i = 0; i < w->nsups; i++)
			if (w->by_group && u->group ? w->sups[i].group && strcasecmp(w->sups[i].group, u->group) == 0
			                            : &w->sups[i] == u)
				ent += w->sups[i].spend;
		/* share used up: spend + a cent >= cap % of the total */
		if ((ent + cent) * 100 * BID_DEC_SCALE >= (bid_i128)w->share_cap * w->total)
			snprintf(buf, n, "the %s %% cap on %s share of the round's spend binds",
			         bid_dec_format(a, sizeof(a), w->share_cap, 0),
			         w->by_group && u->group ? "its group's" : "a supplier's");
	}
	return buf;
}

static const bid_award_line *awarded_line(const bid_award_part *ap, const char *supplier)
{
	size_t i;

	for (i = 0; i < ap->nlines; i++)
		if (strcmp(ap->lines[i].supplier, supplier) == 0)
			return &ap->lines[i];
	return NULL;
}

/* cols: supplier, eligible, reason, unit_cost, min_qty, max_qty, quote_line_id */
static int why_offer(int ncol, const char *const *col, void *payload)
{
	why_ctx *w = payload;
	const bid_award_line *l = awarded_line(w->ap, col[0]);
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], cb[160];
	bid_dec cost = col[3] ? (bid_dec)atoll(col[3]) : 0;
	bid_dec moq = col[4] ? (bid_dec)atoll(col[4]) : 0;
	bid_dec max = col[5] ? (bid_dec)atoll(col[5]) : -1;

	(void)ncol;
	if (!col[1] || strcmp(col[1], "1") != 0) {
		fprintf(w->out, "  %-14s ineligible: %s\n", col[0], col[2] ? col[2] : "");
		return 0;
	}
	fprintf(w->out, "  %-14s landed %s %s", col[0], bid_dec_format(a, sizeof(a), cost, 2), w->cur);
	if (l && l->quote_line_id == atoll(col[6])) {
		const char *bound, *across = why_coupled_bound(w, why_sup_of(w, col[0]), cb, sizeof(cb));
		bid_dec committed = why_committed(w, col[0]);

		if (committed > 0 && l->qty <= bid_dec_ceil_to(committed, bid_norm__step(w->ap->unit)))
			bound = "its committed minimum (an existing contract) binds";
		else if (l->qty == w->ap->demand)
			bound = "the whole demand";
		else if (max >= 0 && l->qty == max)
			bound = "its offered maximum binds";
		else if (l->qty == w->max_share_qty)
			bound = "the maximum share binds";
		else if (moq > 0 && l->qty == moq)
			bound = "its minimum order quantity binds";
		else if (l->qty == w->min_share_qty)
			bound = "the minimum share binds";
		else if (*across)
			bound = across;
		else
			bound = "takes the rest of the demand at its cost";
		fprintf(w->out, " -> awarded %s (%s %%): %s\n", bid_dec_format(b, sizeof(b), l->qty, 0),
		        bid_dec_format(a, sizeof(a), l->share_pct, 2), bound);
	} else if (l) {
		fprintf(w->out, " -> not this line: the supplier's cheaper line was awarded\n");
	} else if (cost > w->max_awarded) {
		fprintf(w->out, " -> nothing: dearer than every supplier awarded (up to %s)\n",
		        bid_dec_format(a, sizeof(a), w->max_awarded, 2));
	} else if (*why_coupled_bound(w, why_sup_of(w, col[0]), cb, sizeof(cb))) {
		fprintf(w->out, " -> nothing although not dearer: %s\n", cb);
	} else {
		fprintf(w->out, " -> nothing although not dearer: the vendor count (at most %d), its "
		        "minimum order or the share rules left no room at a lower total\n",
		        w->nvendors_max);
	}
	return 0;
}

/* cols: min_vendors, max_vendors, min_share_pct, max_share_pct, award_date, scenario */
static int why_params(int ncol, const char *const *col, void *payload)
{
	why_ctx *w = payload;

	(void)ncol;
	w->nvendors_max = col[1] ? atoi(col[1]) : 0;
	fprintf(w->out, "Rules: %s to %s vendors, %s %% to %s %% of the demand each; award of %s, "
	        "scenario '%s'\n\n", col[0] ? col[0] : "?", col[1] ? col[1] : "?",
	        col[2] ? col[2] : "?", col[3] ? col[3] : "?", col[4] ? col[4] : "?",
	        col[5] ? col[5] : "?");
	{
		/* the share bounds in quantity, as the solver used them: of what the
		 * commitments leave of the demand */
		bid_dec pct_min, pct_max, step = bid_norm__step(w->ap->unit), base = w->ap->demand;
		int64_t num[2], den[1] = { 100 * BID_DEC_SCALE };
		size_t i;

		for (i = 0; i < w->ncommit; i++)
			if (w->commit[i].qty > 0 && awarded_line(w->ap, w->commit[i].supplier))
				base -= bid_dec_ceil_to(w->commit[i].qty, step);
		if (base <= 0)
			base = w->ap->demand;
		if (col[2] && bid_dec_parse_cstr(&pct_min, col[2], NULL) == 0) {
			num[0] = base; num[1] = pct_min;
			if (bid_dec_ratio(&w->min_share_qty, num, 2, den, 1, NULL) == 0)
				w->min_share_qty = bid_dec_ceil_to(w->min_share_qty, step);
		}
		if (col[3] && bid_dec_parse_cstr(&pct_max, col[3], NULL) == 0) {
			num[0] = base; num[1] = pct_max;
			if (bid_dec_ratio(&w->max_share_qty, num, 2, den, 1, NULL) == 0)
				w->max_share_qty = bid_dec_floor_to(w->max_share_qty, step);
		}
	}
	return 0;
}

/* A coupled award: each supplier's quantity and spend over the round, and its master facts. */
static int why_load_coupling(why_ctx *w, bid_round *round, const bid_result *res, bid_error *err)
{
	size_t i, j;
	int rc;

	w->coupled = 1;
	w->sups = bid__calloc(64, sizeof(*w->sups));
	for (i = 0; i < res->nparts; i++) {
		const bid_award_part *ap = &res->parts[i];

		for (j = 0; j < ap->nlines; j++) {
			const bid_award_line *l = &ap->lines[j];
			why_sup *u = why_sup_of(w, l->supplier);

			if (!u) {
				if (w->nsups % 64 == 0 && w->nsups)
					w->sups = bid__realloc(w->sups, (w->nsups + 64) * sizeof(*w->sups));
				u = &w->sups[w->nsups++];
				memset(u, 0, sizeof(*u));
				u->id = l->supplier;
				u->capacity = u->spend_cap = -1;
			}
			if (bid_unit_is_count(ap->unit))
				u->qty += l->qty;
			u->spend += l->line_cost;
			w->total += l->line_cost;
		}
	}
	if ((rc = bid_store__rows_each(round->store,
	        "SELECT json_extract(params, '$.independence'), json_extract(params, '$.max_spend_share_pct')"
	        " FROM awards WHERE id = ?1", res->id, NULL, why_coupling, w, err)) < 0)
		return rc;
	return bid_store__rows_each(round->store,
	        "SELECT s.supplier_id, s.capacity_micros, s.spend_cap_micros, s.grp FROM suppliers s"
	        " JOIN (SELECT supplier_id, max(id) AS id FROM suppliers"
	        "       WHERE id <= (SELECT suppliers_upto FROM awards WHERE id = ?1)"
	        "       GROUP BY supplier_id) m ON m.id = s.id", res->id, NULL, why_master, w, err);
}

int bid_audit_why(FILE *out, bid_round *round, const char *part, const char *scenario,
                  bid_error *err)
{
	bid_result *res = NULL;
	const bid_award_part *ap = NULL;
	why_ctx w;
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], c[BID_DEC_FMT_MAX];
	size_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = bid_result_load(&res, round, scenario, err)) < 0)
		return rc;
	for (i = 0; i < res->nparts && !ap; i++)
		if (strcmp(res->parts[i].part, part) == 0)
			ap = &res->parts[i];
	if (!ap) {
		rc = bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
		                   "the award of round %s has no part '%s'", round->info.id, part);
		goto done;
	}
	w.out = out;
	w.ap = ap;
	w.cur = res->currency;
	if (strncmp(res->method, "coupled", 7) == 0 &&
	    (rc = why_load_coupling(&w, round, res, err)) < 0)
		goto done;
	for (i = 0; i < ap->nlines; i++)
		if (ap->lines[i].unit_cost > w.max_awarded)
			w.max_awarded = ap->lines[i].unit_cost;
	fprintf(out, "Part %s: %s %s, %s%s%s\n", ap->part, bid_dec_format(a, sizeof(a), ap->demand, 0),
	        ap->unit, ap->status == BID_PART_AWARDED ? "awarded" :
	        ap->status == BID_PART_SHORTFALL ? "awarded with a shortfall" : "not awarded",
	        ap->reason[0] ? ": " : "", ap->reason);
	if ((rc = bid_store__rows_each(round->store,
	        "SELECT p.key, p.value FROM round_policy p JOIN awards a ON a.id = ?1"
	        " WHERE p.round_id = a.round_id AND p.id <= a.policy_upto AND p.key LIKE 'commit/%'"
	        " ORDER BY p.id", res->id, NULL, why_commit, &w, err)) < 0 ||
	    (rc = bid_store__rows_each(round->store,
	        "SELECT json_extract(params, '$.min_vendors'), json_extract(params, '$.max_vendors'),"
	        " json_extract(params, '$.min_share_pct'), json_extract(params, '$.max_share_pct'),"
	        " award_date, scenario FROM awards WHERE id = ?1", res->id, NULL, why_params, &w, err)) < 0 ||
	    (rc = bid_store__rows_each(round->store,
	        "SELECT supplier_id, eligible, reason, unit_cost_micros, min_qty_micros, max_qty_micros,"
	        " quote_line_id FROM offers WHERE award_id = ?1 AND part = ?2"
	        " ORDER BY eligible DESC, unit_cost_micros, supplier_id", res->id, part,
	        why_offer, &w, err)) < 0)
		goto done;
	fprintf(out, "\nSplit cost %s %s", bid_dec_format(a, sizeof(a), ap->cost, 2), res->currency);
	if (ap->single_supplier)
		fprintf(out, "; the cheapest single source, %s, would cost %s: keeping competition costs %s\n",
		        ap->single_supplier, bid_dec_format(b, sizeof(b), ap->single_cost, 2),
		        bid_dec_format(c, sizeof(c), ap->cost - ap->single_cost, 2));
	else
		fprintf(out, "; no single supplier could take the whole demand\n");
	fprintf(out, "Inputs digest %s (award %lld)\n", res->digest, res->id);
done:
	free(w.sups);
	bid_result_free(res);
	return rc;
}

/* ---- comparing two scenarios ---- */

static const bid_award_line *line_of_supplier(const bid_award_part *p, const char *supplier)
{
	size_t i;

	for (i = 0; p && i < p->nlines; i++)
		if (strcmp(p->lines[i].supplier, supplier) == 0)
			return &p->lines[i];
	return NULL;
}

static const bid_award_part *part_of(const bid_result *r, const char *part)
{
	size_t i;

	for (i = 0; i < r->nparts; i++)
		if (strcmp(r->parts[i].part, part) == 0)
			return &r->parts[i];
	return NULL;
}

int bid_compare(FILE *out, bid_round *round, const char *a, const char *b, bid_error *err)
{
	bid_result *ra = NULL, *rb = NULL;
	size_t i, j, changed = 0;
	char x[BID_DEC_FMT_MAX], y[BID_DEC_FMT_MAX], z[BID_DEC_FMT_MAX];
	int rc;

	if ((rc = bid_result_load(&ra, round, a, err)) < 0 ||
	    (rc = bid_result_load(&rb, round, b, err)) < 0)
		goto done;
	fprintf(out, "Round %s: scenario '%s' (award %lld) against '%s' (award %lld), in %s\n\n",
	        round->info.id, a, ra->id, b, rb->id, ra->currency);
	fprintf(out, "%-16s %-14s %12s %12s %16s\n", "PART", "SUPPLIER", a, b, "COST CHANGE");
	for (i = 0; i < ra->nparts; i++) {
		const bid_award_part *pa = &ra->parts[i], *pb = part_of(rb, pa->part);
		int same = pb && pa->nlines == pb->nlines;

		for (j = 0; same && j < pa->nlines; j++) {
			const bid_award_line *lb = line_of_supplier(pb, pa->lines[j].supplier);
			same = lb && lb->qty == pa->lines[j].qty;
		}
		if (same)
			continue;
		changed++;
		/* every supplier of either side, a's first */
		for (j = 0; j < pa->nlines; j++) {
			const bid_award_line *lb = line_of_supplier(pb, pa->lines[j].supplier);
			fprintf(out, "%-16s %-14s %12s %12s", j == 0 ? pa->part : "", pa->lines[j].supplier,
			        bid_dec_format(x, sizeof(x), pa->lines[j].qty, 0),
			        lb ? bid_dec_format(y, sizeof(y), lb->qty, 0) : "-");
			if (j == 0)
				fprintf(out, " %16s", bid_dec_format(z, sizeof(z), (pb ? pb->cost : 0) - pa->cost, 2));
			fputc('\n', out);
		}
		for (j = 0; pb && j < pb->nlines; j++)
			if (!line_of_supplier(pa, pb->lines[j].supplier))
				fprintf(out, "%-16s %-14s %12s %12s\n", pa->nlines ? "" : pa->part,
				        pb->lines[j].supplier, "-", bid_dec_format(y, sizeof(y), pb->lines[j].qty, 0));
	}
	fprintf(out, "\n%zu part%s changed.  Total: %s %s, %s %s: %s%s %s\n", changed,
	        changed == 1 ? "" : "s", a, bid_dec_format(x, sizeof(x), ra->total, 2), b,
	        bid_dec_format(y, sizeof(y), rb->total, 2), rb->total >= ra->total ? "+" : "",
	        bid_dec_format(z, sizeof(z), rb->total - ra->total, 2), ra->currency);
	if ((rc = bid_store__begin(round->store, err)) == 0) {
		char ida[24], idb[24];

		snprintf(ida, sizeof(ida), "%lld", ra->id);
		snprintf(idb, sizeof(idb), "%lld", rb->id);
		rc = bid_audit__record(round->store, "scenario.compared", round->info.id, err,
		                       "a", a, "award_a", ida, "b", b, "award_b", idb,
		                       "difference", z, (const char *)NULL);
		rc = rc == 0 ? bid_store__commit(round->store, err) : rc;
		if (rc < 0)
			bid_store__rollback(round->store);
	}
done:
	bid_result_free(ra);
	bid_result_free(rb);
	return rc;
}
