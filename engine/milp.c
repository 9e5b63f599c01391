/*
 * milp.c - the coupled round as a MILP: one model built here, written in
 * CPLEX LP format or solved by CBC (C API).  The only file that includes
 * CBC's header, and only when built with BID_HAVE_CBC; the answer goes
 * back to exact decimals and through bid_couple__check before use.
 */

/*
 * The model.  Quantities are counted in steps of the part (integers),
 * costs in currency units (doubles: only the solver's numbers).  For each
 * part i in its phase and each usable (offer j, segment k) -- an "item",
 * the quantity range of segment k within the offer's [lo, hi] exactly as
 * award_solve.c builds its items (lo/hi with the phase's share bounds) --
 *
 *   w_ijk  binary: offer j serves part i on segment k
 *   n_ijk  integer steps, lo_ijk w_ijk <= n_ijk <= hi_ijk w_ijk
 *   cost   base_ijk w_ijk + p_k step n_ijk   (base < 0 for rising
 *          incremental bands; all-units base 0: the segment binaries are
 *          the price breaks)
 *
 *   Σ_k w_ijk <= 1                    one segment per offer (z_ij = Σ_k w_ijk)
 *   Σ_jk n_ijk = Q_i / step           demand
 *   Σ_jk w_ijk <= max_vendors
 *   y_ig binary, y_ig <= Σ_{j in g} z_ij, and z_ij <= y_ig when the phase
 *   caps the sources; min_sources <= Σ_g y_ig (<= max_sources)
 *   capacity   Σ (step/10^6) n over parts with counts <= capacity
 *   spend cap  Σ cost of j <= spend_cap
 *   share cap  Σ cost of e - alpha Σ all cost <= 0
 *
 * Minimum order quantities and shares are in lo/hi, so z (via w) carries
 * them.  Names use indexes (n_p3_s1_k0: part 3, supplier 1, segment 0),
 * so they are valid LP names whatever the supplier ids are.
 */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bidcmp/error.h"
#include "couple.h"

#ifdef BID_HAVE_CBC
#include <coin/Cbc_C_Interface.h>
#endif

#define SCALE 1000000

typedef struct col {
	char   name[64];
	double lb, ub, obj;
	int    integer;        /* 0 continuous, 1 integer, 2 binary */
} col;

typedef struct row {
	char   name[64];
	char   sense;          /* 'L', 'G', 'E' */
	double rhs;
	size_t start, nz;      /* into the model's idx/val */
} row;

typedef struct item {
	size_t  part, offer, sup;
	int     seg;
	int64_t lo, hi;        /* steps */
	double  base, unit;    /* currency: base, and cost of one step */
	size_t  wcol, ncol;
} item;

typedef struct model {
	col    *cols;
	size_t  ncols, capc;
	row    *rows;
	size_t  nrows, capr;
	int    *idx;
	double *val;
	size_t  nnz, capz;
	item   *items;
	size_t  nitems, capi;
	size_t *ycol;          /* per part, first y column (or SIZE_MAX) */
	int     oom;
} model;

static void *grow(void *p, size_t *cap, size_t need, size_t size, int *oom)
{
	void *q;
	size_t c = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	q = realloc(p, c * size);
	if (!q) {
		*oom = 1;
		return NULL;
	}
	*cap = c;
	return q;
}

static size_t add_col(model *m, const char *name, double lb, double ub, double obj, int integer)
{
	col *c;
	void *p = grow(m->cols, &m->capc, m->ncols + 1, sizeof(*m->cols), &m->oom);

	if (!p)
		return 0;
	m->cols = p;
	c = &m->cols[m->ncols];
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->lb = lb;
	c->ub = ub;
	c->obj = obj;
	c->integer = integer;
	return m->ncols++;
}

/* Start a row; add its terms with add_nz. */
static void add_row(model *m, const char *name, char sense, double rhs)
{
	row *r;
	void *p = grow(m->rows, &m->capr, m->nrows + 1, sizeof(*m->rows), &m->oom);

	if (!p)
		return;
	m->rows = p;
	r = &m->rows[m->nrows++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->sense = sense;
	r->rhs = rhs;
	r->start = m->nnz;
	r->nz = 0;
}

static void add_nz(model *m, size_t colno, double v)
{
	void *p, *q;
	size_t capv = m->capz;

	if (m->oom || v == 0)
		return;
	p = grow(m->idx, &m->capz, m->nnz + 1, sizeof(*m->idx), &m->oom);
	if (!p)
		return;
	m->idx = p;
	q = grow(m->val, &capv, m->nnz + 1, sizeof(*m->val), &m->oom);
	if (!q)
		return;
	m->val = q;
	m->idx[m->nnz] = (int)colno;
	m->val[m->nnz] = v;
	m->nnz++;
	m->rows[m->nrows - 1].nz++;
}

static void model_free(model *m)
{
	free(m->cols);
	free(m->rows);
	free(m->idx);
	free(m->val);
	free(m->items);
	free(m->ycol);
}

static bid_i128 ceil_step(bid_i128 num, bid_i128 den, int64_t step)
{
	return (num + den - 1) / den * step;
}

static bid_i128 floor_step(bid_i128 num, bid_i128 den, int64_t step)
{
	return num / den * step;
}

/* The items of part i (award_solve.c's run_mode and add_items). */
static void part_items(model *m, const bid_couple_round *pb, size_t i)
{
	const bid_couple_part *p = &pb->parts[i];
	const bid_couple_phase *ph = &pb->phase[i];
	int64_t step = p->rules.step, q = p->demand;
	bid_i128 den = (bid_i128)SCALE * step;
	bid_i128 slo = ceil_step((bid_i128)q * p->rules.min_share, den, step);
	bid_i128 shi = floor_step((bid_i128)q * p->rules.max_share, den, step);
	size_t j;

	for (j = 0; j < p->noffers; j++) {
		const bid_offer *o = &p->offers[j];
		bid_i128 lo = ceil_step(o->min_qty, step, step), hi = floor_step(o->max_qty, step, step);
		int segs = o->segs && o->nsegs > 0, n = segs ? o->nsegs : 1, k;
		bid_i128 f = 0;

		if (lo < step)
			lo = step;
		if (hi > q)
			hi = q;
		if (ph->shares) {
			if (lo < slo)
				lo = slo;
			if (hi > shi)
				hi = shi;
		}
		if (lo > hi)
			continue;
		for (k = 0; k < n; k++) {
			int64_t from = segs ? o->segs[k].from_qty : 0;
			int64_t pk = segs ? o->segs[k].unit_cost : o->unit_cost;
			bid_i128 a = from > lo ? from : lo, z = hi, base = 0;
			item *it;
			void *g;

			if (from > hi)
				break;
			if (k + 1 < n && o->segs[k + 1].from_qty - step < z)
				z = o->segs[k + 1].from_qty - step;
			if (segs && o->incremental)
				base = f - (bid_i128)pk * from;
			if (k + 1 < n)
				f += (bid_i128)pk * (o->segs[k + 1].from_qty - from);
			if (a > z)
				continue;
			g = grow(m->items, &m->capi, m->nitems + 1, sizeof(*m->items), &m->oom);
			if (!g)
				return;
			m->items = g;
			it = &m->items[m->nitems++];
			it->part = i;
			it->offer = j;
			it->sup = p->sup[j];
			it->seg = k;
			it->lo = (int64_t)(a / step);
			it->hi = (int64_t)(z / step);
			it->base = (double)base / 1e12;
			it->unit = (double)pk * (double)step / 1e12;
		}
	}
}

/* Build the whole model (deterministic: parts, offers, segments in order). */
static int build(model *m, const bid_couple_round *pb)
{
	size_t i, t, first, j, e;
	char nm[64];
	size_t *ent = NULL, nent = 0;
	int64_t alpha = pb->rules.max_spend_share;

	memset(m, 0, sizeof(*m));
	m->ycol = calloc(pb->nparts ? pb->nparts : 1, sizeof(*m->ycol));
	ent = calloc(pb->nsup ? pb->nsup : 1, sizeof(*ent));
	if (!m->ycol || !ent) {
		free(ent);
		return BID_ENOMEM;
	}
	/* share entities: suppliers, or groups by first appearance */
	for (j = 0; j < pb->nsup; j++) {
		size_t k;
		ent[j] = j;
		if (!pb->rules.share_by_group)
			continue;
		for (k = 0; k < j && pb->sup[k].group != pb->sup[j].group; k++)
			;
		ent[j] = k < j ? ent[k] : nent;
		if (k == j)
			nent++;
	}
	if (!pb->rules.share_by_group)
		nent = pb->nsup;

	for (i = 0; i < pb->nparts && !m->oom; i++) {
		const bid_couple_part *p = &pb->parts[i];
		const bid_couple_phase *ph = &pb->phase[i];
		int32_t groups[64];
		size_t ng = 0, g, ystart;

		m->ycol[i] = SIZE_MAX;
		if (ph->status == BID_SPLIT_UNAWARDED)
			continue;
		first = m->nitems;
		part_items(m, pb, i);
		if (m->oom)
			break;
		for (t = first; t < m->nitems; t++) {
			item *it = &m->items[t];
			snprintf(nm, sizeof(nm), "w_p%zu_s%zu_k%d", i, it->sup, it->seg);
			it->wcol = add_col(m, nm, 0, 1, it->base, 2);
			snprintf(nm, sizeof(nm), "n_p%zu_s%zu_k%d", i, it->sup, it->seg);
			it->ncol = add_col(m, nm, 0, (double)it->hi, it->unit, 1);
		}
		for (t = first; t < m->nitems; t++) {
			item *it = &m->items[t];
			snprintf(nm, sizeof(nm), "ub_p%zu_s%zu_k%d", i, it->sup, it->seg);
			add_row(m, nm, 'L', 0);
			add_nz(m, it->ncol, 1);
			add_nz(m, it->wcol, -(double)it->hi);
			snprintf(nm, sizeof(nm), "lb_p%zu_s%zu_k%d", i, it->sup, it->seg);
			add_row(m, nm, 'G', 0);
			add_nz(m, it->ncol, 1);
			add_nz(m, it->wcol, -(double)it->lo);
		}
		/* one segment per offer */
		for (t = first; t < m->nitems; t++) {
			size_t u;
			if (t > first && m->items[t - 1].offer == m->items[t].offer)
				continue;
			if (t + 1 >= m->nitems || m->items[t + 1].offer != m->items[t].offer)
				continue;
			snprintf(nm, sizeof(nm), "one_p%zu_s%zu", i, m->items[t].sup);
			add_row(m, nm, 'L', 1);
			for (u = t; u < m->nitems && m->items[u].offer == m->items[t].offer; u++)
				add_nz(m, m->items[u].wcol, 1);
		}
		snprintf(nm, sizeof(nm), "dem_p%zu", i);
		add_row(m, nm, 'E', (double)(p->demand / p->rules.step));
		for (t = first; t < m->nitems; t++)
			add_nz(m, m->items[t].ncol, 1);
		snprintf(nm, sizeof(nm), "maxv_p%zu", i);
		add_row(m, nm, 'L', p->rules.max_vendors);
		for (t = first; t < m->nitems; t++)
			add_nz(m, m->items[t].wcol, 1);

		/* sources: only when the phase asks for more than one, or caps them */
		if (ph->min_sources <= 1 && ph->max_sources == INT32_MAX)
			continue;
		for (t = first; t < m->nitems; t++) {
			int32_t gr = p->offers[m->items[t].offer].group;
			for (g = 0; g < ng && groups[g] != gr; g++)
				;
			if (g == ng && ng < 64)
				groups[ng++] = gr;
		}
		ystart = m->ncols;
		m->ycol[i] = ystart;
		for (g = 0; g < ng; g++) {
			snprintf(nm, sizeof(nm), "y_p%zu_g%zu", i, g);
			add_col(m, nm, 0, 1, 0, 2);
		}
		for (g = 0; g < ng; g++) {
			snprintf(nm, sizeof(nm), "gy_p%zu_g%zu", i, g);
			add_row(m, nm, 'L', 0);
			add_nz(m, ystart + g, 1);
			for (t = first; t < m->nitems; t++)
				if (p->offers[m->items[t].offer].group == groups[g])
					add_nz(m, m->items[t].wcol, -1);
			if (ph->max_sources == INT32_MAX)
				continue;
			for (t = first; t < m->nitems; t++) {
				size_t u;
				if (p->offers[m->items[t].offer].group != groups[g])
					continue;
				if (t > first && m->items[t - 1].offer == m->items[t].offer)
					continue;
				snprintf(nm, sizeof(nm), "go_p%zu_s%zu", i, m->items[t].sup);
				add_row(m, nm, 'L', 0);
				for (u = t; u < m->nitems && m->items[u].offer == m->items[t].offer; u++)
					add_nz(m, m->items[u].wcol, 1);
				add_nz(m, ystart + g, -1);
			}
		}
		snprintf(nm, sizeof(nm), "srcmin_p%zu", i);
		add_row(m, nm, 'G', ph->min_sources);
		for (g = 0; g < ng; g++)
			add_nz(m, ystart + g, 1);
		if (ph->max_sources != INT32_MAX) {
			snprintf(nm, sizeof(nm), "srcmax_p%zu", i);
			add_row(m, nm, 'L', ph->max_sources);
			for (g = 0; g < ng; g++)
				add_nz(m, ystart + g, 1);
		}
	}

	/* rules across parts */
	for (j = 0; j < pb->nsup && !m->oom; j++) {
		const bid_couple_supplier *u = &pb->sup[j];
		if (u->capacity != BID_QTY_UNLIMITED) {
			snprintf(nm, sizeof(nm), "cap_s%zu", j);
			add_row(m, nm, 'L', (double)u->capacity / SCALE);
			for (t = 0; t < m->nitems; t++)
				if (m->items[t].sup == j && pb->parts[m->items[t].part].counts)
					add_nz(m, m->items[t].ncol,
					       (double)pb->parts[m->items[t].part].rules.step / SCALE);
		}
		if (u->spend_cap != BID_SPEND_UNLIMITED) {
			snprintf(nm, sizeof(nm), "spd_s%zu", j);
			add_row(m, nm, 'L', (double)u->spend_cap / SCALE);
			for (t = 0; t < m->nitems; t++)
				if (m->items[t].sup == j) {
					add_nz(m, m->items[t].wcol, m->items[t].base);
					add_nz(m, m->items[t].ncol, m->items[t].unit);
				}
		}
	}
	if (alpha > 0) {
		double a = (double)alpha / SCALE;
		for (e = 0; e < nent && !m->oom; e++) {
			snprintf(nm, sizeof(nm), "shr_e%zu", e);
			add_row(m, nm, 'L', 0);
			for (t = 0; t < m->nitems; t++) {
				double f = (ent[m->items[t].sup] == e ? 1.0 : 0.0) - a;
				add_nz(m, m->items[t].wcol, f * m->items[t].base);
				add_nz(m, m->items[t].ncol, f * m->items[t].unit);
			}
		}
	}
	free(ent);
	return m->oom ? BID_ENOMEM : 0;
}

/* ------------------------------------------------------------------ */
/* CPLEX LP text                                                       */

static void put_terms(FILE *f, const model *m, const size_t *cols, const double *v, size_t n)
{
	size_t k, on = 0;

	for (k = 0; k < n; k++) {
		if (v[k] == 0)
			continue;
		if (on && on % 6 == 0)
			fputs("\n   ", f);
		fprintf(f, " %s %.15g %s", v[k] < 0 ? "-" : "+", v[k] < 0 ? -v[k] : v[k],
		        m->cols[cols[k]].name);
		on++;
	}
	if (!on)
		fprintf(f, " 0 %s", m->ncols ? m->cols[0].name : "x");
}

int bid_milp__write_lp(FILE *f, const bid_couple_round *pb)
{
	model m;
	size_t r, k, j;
	size_t *cols = NULL;
	double *vals = NULL;
	int rc;

	rc = build(&m, pb);
	if (rc) {
		model_free(&m);
		return rc;
	}
	cols = calloc((m.ncols > m.nnz ? m.ncols : m.nnz) + 1, sizeof(*cols));
	vals = calloc((m.ncols > m.nnz ? m.ncols : m.nnz) + 1, sizeof(*vals));
	if (!cols || !vals) {
		free(cols);
		free(vals);
		model_free(&m);
		return BID_ENOMEM;
	}
	fprintf(f, "\\ bidcmp coupled award: %zu parts, %zu suppliers, %zu columns, %zu rows\n",
	        pb->nparts, pb->nsup, m.ncols, m.nrows);
	fputs("\\ quantities in steps of each part, costs in currency units\n", f);
	for (j = 0; j < pb->nsup; j++) {
		char id[64];
		const char *s = pb->sup[j].id;
		size_t n = 0;
		for (; *s && n + 1 < sizeof(id); s++) {
			char ch = *s;
			int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			         (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
			id[n++] = ok ? ch : '_';
		}
		id[n] = '\0';
		fprintf(f, "\\ s%zu = %s\n", j, id);
	}
	fputs("Minimize\n obj:", f);
	for (k = 0; k < m.ncols; k++) {
		cols[k] = k;
		vals[k] = m.cols[k].obj;
	}
	put_terms(f, &m, cols, vals, m.ncols);
	fputs("\nSubject To\n", f);
	for (r = 0; r < m.nrows; r++) {
		const row *w = &m.rows[r];
		for (k = 0; k < w->nz; k++) {
			cols[k] = (size_t)m.idx[w->start + k];
			vals[k] = m.val[w->start + k];
		}
		fprintf(f, " %s:", w->name);
		put_terms(f, &m, cols, vals, w->nz);
		fprintf(f, " %s %.15g\n", w->sense == 'L' ? "<=" : w->sense == 'G' ? ">=" : "=",
		        w->rhs == 0 ? 0.0 : w->rhs);
	}
	fputs("Bounds\n", f);
	for (k = 0; k < m.ncols; k++)
		if (m.cols[k].integer != 2)
			fprintf(f, " %.15g <= %s <= %.15g\n", m.cols[k].lb, m.cols[k].name, m.cols[k].ub);
	fputs("Binaries\n", f);
	for (k = 0; k < m.ncols; k++)
		if (m.cols[k].integer == 2)
			fprintf(f, " %s\n", m.cols[k].name);
	fputs("Generals\n", f);
	for (k = 0; k < m.ncols; k++)
		if (m.cols[k].integer == 1)
			fprintf(f, " %s\n", m.cols[k].name);
	fputs("End\n", f);
	free(cols);
	free(vals);
	model_free(&m);
	return ferror(f) ? BID_EIO : 0;
}

/* ------------------------------------------------------------------ */
/* CBC                                                                 */

#ifdef BID_HAVE_CBC

/* Build part i's split from the rounded quantities per offer. */
static int map_part(const bid_couple_round *pb, size_t i, const int64_t *x, bid_split *s)
{
	const bid_couple_part *p = &pb->parts[i];
	int32_t groups[BID_SPLIT_MAX_VENDORS];
	size_t j;
	int v, w, ng = 0;

	memset(s, 0, sizeof(*s));
	s->status = pb->phase[i].status;
	for (j = 0; j < p->noffers; j++) {
		const bid_offer *o = &p->offers[j];
		if (x[j] == 0)
			continue;
		if (s->nvendors == BID_SPLIT_MAX_VENDORS)
			return -1;
		/* by supplier id, as bid_award__solve_part orders them */
		for (v = s->nvendors; v > 0 && strcmp(p->offers[s->offer[v - 1]].supplier, o->supplier) > 0; v--) {
			s->offer[v] = s->offer[v - 1];
			s->qty[v] = s->qty[v - 1];
		}
		s->offer[v] = j;
		s->qty[v] = x[j];
		s->nvendors++;
	}
	for (v = 0; v < s->nvendors; v++) {
		const bid_offer *o = &p->offers[s->offer[v]];
		int seen = 0;
		s->line_cost[v] = bid_couple__cost(o, s->qty[v]);
		s->tier[v] = bid_couple__tier(o, s->qty[v]);
		s->cost += s->line_cost[v];
		s->lead_qty += (bid_i128)o->lead_days * s->qty[v];
		for (w = 0; w < ng; w++)
			seen |= groups[w] == o->group;
		if (!seen)
			groups[ng++] = o->group;
	}
	s->nsources = ng;
	return 0;
}

static void fill_start(const model *m, const bid_couple_round *pb, const bid_split *start,
                       double *sol)
{
	size_t t;

	memset(sol, 0, m->ncols * sizeof(*sol));
	for (t = 0; t < m->nitems; t++) {
		const item *it = &m->items[t];
		const bid_split *s = &start[it->part];
		int64_t step = pb->parts[it->part].rules.step;
		int v;
		for (v = 0; v < s->nvendors; v++) {
			int64_t n = s->qty[v] / step;
			if (s->offer[v] == it->offer && n >= it->lo && n <= it->hi) {
				/* the item holding it: its segment, the tier's range */
				sol[it->wcol] = 1;
				sol[it->ncol] = (double)n;
			}
		}
	}
	/* an offer may match two items only at a shared bound: keep the first */
	for (t = 1; t < m->nitems; t++) {
		const item *a = &m->items[t - 1], *b = &m->items[t];
		if (a->part == b->part && a->offer == b->offer && sol[a->wcol] > 0 && sol[b->wcol] > 0) {
			sol[b->wcol] = 0;
			sol[b->ncol] = 0;
		}
	}
	for (t = 0; t < pb->nparts; t++) {
		size_t y = m->ycol[t], k;
		if (y == SIZE_MAX)
			continue;
		for (k = 0; k < m->nitems; k++)
			if (m->items[k].part == t && sol[m->items[k].wcol] > 0) {
				/* y column of the item's group: by the group order of build() */
				const bid_couple_part *p = &pb->parts[t];
				int32_t gr = p->offers[m->items[k].offer].group, seen[64];
				size_t ng = 0, g, u;
				for (u = 0; u < m->nitems; u++) {
					int32_t q;
					if (m->items[u].part != t)
						continue;
					q = p->offers[m->items[u].offer].group;
					for (g = 0; g < ng && seen[g] != q; g++)
						;
					if (g == ng && ng < 64)
						seen[ng++] = q;
				}
				for (g = 0; g < ng && seen[g] != gr; g++)
					;
				sol[y + g] = 1;
			}
	}
}

static int64_t elapsed_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A capacity, spend cap or spend-share row (by the names build gives them). */
static int is_coupling_row(const row *w)
{
	return strncmp(w->name, "cap_", 4) == 0 || strncmp(w->name, "spd_", 4) == 0 ||
	       strncmp(w->name, "shr_", 4) == 0;
}

int bid_milp__solve(bid_couple_result *res, const bid_couple_round *pb,
                    int64_t time_limit_ms, const bid_split *start,
                    char *errmsg, size_t errsize)
{
	model m;
	Cbc_Model *cbc = NULL;
	int *cstart = NULL, *cidx = NULL, *cnt = NULL;
	double *cval = NULL, *rlo = NULL, *rup = NULL, *clb = NULL, *cub = NULL, *obj = NULL;
	double *sol0 = NULL;
	int64_t *x = NULL;
	size_t k, r, t, i;
	int rc, tighter = 0;
	bid_i128 first_bound = 0;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res->status = BID_COUPLE_NOT_FOUND;
	res->method = BID_COUPLE_BY_MILP;
	res->rule = BID_COUPLE_RULE_NONE;
	res->rule_part = res->rule_sup = -1;
	res->reason[0] = '\0';
	rc = build(&m, pb);
	if (rc)
		goto done;
	rc = BID_ENOMEM;
	cstart = calloc(m.ncols + 1, sizeof(*cstart));
	cnt = calloc(m.ncols + 1, sizeof(*cnt));
	cidx = malloc((m.nnz + 1) * sizeof(*cidx));
	cval = malloc((m.nnz + 1) * sizeof(*cval));
	rlo = malloc((m.nrows + 1) * sizeof(*rlo));
	rup = malloc((m.nrows + 1) * sizeof(*rup));
	clb = malloc((m.ncols + 1) * sizeof(*clb));
	cub = malloc((m.ncols + 1) * sizeof(*cub));
	obj = malloc((m.ncols + 1) * sizeof(*obj));
	sol0 = malloc((m.ncols + 1) * sizeof(*sol0));
	x = calloc(64, sizeof(*x));
	if (!cstart || !cnt || !cidx || !cval || !rlo || !rup || !clb || !cub || !obj || !sol0 || !x)
		goto done;
	/* rows -> compressed columns */
	for (k = 0; k < m.nnz; k++)
		cnt[m.idx[k]]++;
	for (k = 0; k < m.ncols; k++)
		cstart[k + 1] = cstart[k] + cnt[k];
	memset(cnt, 0, (m.ncols + 1) * sizeof(*cnt));
	for (r = 0; r < m.nrows; r++) {
		const row *w = &m.rows[r];
		for (k = w->start; k < w->start + w->nz; k++) {
			int c = m.idx[k];
			size_t at = (size_t)cstart[c] + (size_t)cnt[c]++;
			cidx[at] = (int)r;
			cval[at] = m.val[k];
		}
	}
retry:
	for (r = 0; r < m.nrows; r++) {
		const row *w = &m.rows[r];

		rlo[r] = w->sense == 'L' ? -DBL_MAX : w->rhs;
		rup[r] = w->sense == 'G' ? DBL_MAX : w->rhs;
		/* the second attempt: the rules across parts a little tighter */
		if (tighter && is_coupling_row(w))
			rup[r] -= 1e-5 + 1e-6 * (w->rhs > 1 ? w->rhs : 1);
	}
	for (k = 0; k < m.ncols; k++) {
		clb[k] = m.cols[k].lb;
		cub[k] = m.cols[k].ub;
		obj[k] = m.cols[k].obj;
	}
	cbc = Cbc_newModel();
	if (!cbc)
		goto done;
	Cbc_loadProblem(cbc, (int)m.ncols, (int)m.nrows, cstart, cidx, cval, clb, cub, obj, rlo, rup);
	for (k = 0; k < m.ncols; k++) {
		Cbc_setColName(cbc, (int)k, m.cols[k].name);
		if (m.cols[k].integer)
			Cbc_setInteger(cbc, (int)k);
	}
	for (r = 0; r < m.nrows; r++)
		Cbc_setRowName(cbc, (int)r, m.rows[r].name);
	Cbc_setLogLevel(cbc, 0);
	Cbc_setParameter(cbc, "slogLevel", "0");
	Cbc_setParameter(cbc, "threads", "1");
	/* CBC prunes nodes that cannot improve by its cutoff increment (1e-5
	 * by default): far above a millionth of a currency unit. */
	Cbc_setParameter(cbc, "increment", "1e-9");
	Cbc_setAllowableGap(cbc, 1e-9);
	Cbc_setAllowableFractionGap(cbc, 1e-12);
	if (time_limit_ms > 0)
		Cbc_setMaximumSeconds(cbc, (double)time_limit_ms / 1000.0);
	if (start) {
		int *ix = malloc((m.ncols + 1) * sizeof(*ix));
		if (ix) {
			fill_start(&m, pb, start, sol0);
			for (k = 0; k < m.ncols; k++)
				ix[k] = (int)k;
			Cbc_setMIPStartI(cbc, (int)m.ncols, ix, sol0);
			free(ix);
		}
	}
	Cbc_solve(cbc);

	if (Cbc_isSecondsLimitReached(cbc))
		res->stopped = BID_COUPLE_STOP_TIME;
	{
		double bb = Cbc_getBestPossibleObjValue(cbc);
		/* CBC's bound in doubles: derated by 1e-9 relative and 1e-6 currency. */
		if (bb > 0 && bb < 1e30) {
			double d = bb - bb * 1e-9 - 1e-6;
			res->bound = d > 0 ? (bid_i128)(d * 1e12) : 0;
		}
		/* a tightened model's bound is not one of the rules as they are */
		if (tighter && first_bound < res->bound)
			res->bound = first_bound;
	}
	if (Cbc_isProvenInfeasible(cbc) && !start && !tighter) {
		res->status = BID_COUPLE_INFEASIBLE;
		snprintf(res->reason, sizeof(res->reason),
		         "CBC proved that no award meets every rule across parts");
		rc = 0;
		goto done;
	}
	{
		const double *v = Cbc_bestSolution(cbc);
		if (!v) {
			snprintf(res->reason, sizeof(res->reason), "CBC found no award%s",
			         res->stopped == BID_COUPLE_STOP_TIME ? " within the time limit" : "");
			rc = 0;
			goto done;
		}
		for (i = 0; i < pb->nparts; i++) {
			const bid_couple_part *p = &pb->parts[i];
			memset(x, 0, 64 * sizeof(*x));
			if (pb->phase[i].status == BID_SPLIT_UNAWARDED) {
				memset(&res->parts[i], 0, sizeof(res->parts[i]));
				res->parts[i].status = BID_SPLIT_UNAWARDED;
				continue;
			}
			for (t = 0; t < m.nitems; t++)
				if (m.items[t].part == i) {
					double n = v[m.items[t].ncol];
					int64_t rn = (int64_t)(n + (n >= 0 ? 0.5 : -0.5));
					x[m.items[t].offer] += rn * p->rules.step;
				}
			if (map_part(pb, i, x, &res->parts[i]) != 0) {
				memset(&res->parts[i], 0, sizeof(res->parts[i]));
				res->parts[i].status = BID_SPLIT_UNAWARDED;
			}
		}
	}
	if (!bid_couple__check(pb, res)) {
		char why[256];
		snprintf(why, sizeof(why), "%s", res->reason);
		snprintf(res->reason, sizeof(res->reason), "infeasible after rounding CBC's answer: %.200s",
		         why);
		res->status = BID_COUPLE_NOT_FOUND;
		rc = 0;
		/*
		 * CBC's answer holds within its tolerances, not exactly (a spend a
		 * millionth above its cap): once more with the rules across parts
		 * tightened by about 1e-5, within what is left of the time.  The
		 * bound stays the first one's, which is of the rules as they are.
		 */
		if (!tighter && !res->stopped &&
		    (time_limit_ms <= 0 || elapsed_ms_since(&t0) < time_limit_ms)) {
			if (time_limit_ms > 0)
				time_limit_ms -= elapsed_ms_since(&t0);
			tighter = 1;
			first_bound = res->bound;
			Cbc_deleteModel(cbc);
			cbc = NULL;
			goto retry;
		}
		goto done;
	}
	res->status = Cbc_isProvenOptimal(cbc) && !tighter ? BID_COUPLE_OPTIMAL : BID_COUPLE_FEASIBLE;
	/* CBC's proof of optimality is in doubles, within its tolerances: it
	 * is not taken as exact.  The bound stays CBC's best bound, derated. */
	if (res->bound > res->cost)
		res->bound = res->cost;
	res->bound_by_milp = 1;
	rc = 0;
done:
	if (rc && errmsg && errsize)
		snprintf(errmsg, errsize, "milp: out of memory");
	if (cbc)
		Cbc_deleteModel(cbc);
	free(cstart);
	free(cnt);
	free(cidx);
	free(cval);
	free(rlo);
	free(rup);
	free(clb);
	free(cub);
	free(obj);
	free(sol0);
	free(x);
	model_free(&m);
	return rc;
}

#else

int bid_milp__solve(bid_couple_result *res, const bid_couple_round *pb,
                    int64_t time_limit_ms, const bid_split *start,
                    char *errmsg, size_t errsize)
{
	(void)res;
	(void)pb;
	(void)time_limit_ms;
	(void)start;
	if (errmsg && errsize)
		snprintf(errmsg, errsize, "milp: built without CBC (compile with -DBID_HAVE_CBC "
		         "and link pkg-config --libs cbc)");
	return BID_EUSAGE;
}

#endif
