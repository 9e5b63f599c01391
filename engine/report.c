/*
 * report.c - an award as a table for people, CSV for spreadsheets, and
 * JSON for programs (JSON is built by the store with SQLite's json
 * functions).  Amounts are printed exactly from their fixed-point values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char *status_name(bid_part_status s)
{
	return s == BID_PART_SHORTFALL ? "shortfall" : s == BID_PART_UNAWARDED ? "unawarded" : "";
}

static int minor_of(const char *cur)
{
	int m = bid_currency_minor_units(cur);
	return m < 0 ? 2 : m;
}

/* One RFC 4180 field: quoted only when it must be. */
static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int by_part(const void *a, const void *b)
{
	const bid_award_part *const *x = a, *const *y = b;
	return strcmp((*x)->part, (*y)->part);
}

/* CSV rows go by part number, then supplier id, both bytewise. */
static void write_csv(FILE *out, const bid_result *res)
{
	int minor = minor_of(res->currency);
	const bid_award_part **sorted = bid__calloc(res->nparts ? res->nparts : 1, sizeof(*sorted));
	size_t i, j;

	for (i = 0; i < res->nparts; i++)
		sorted[i] = &res->parts[i];
	qsort(sorted, res->nparts, sizeof(*sorted), by_part);
	fputs("part,supplier,quantity,unit,unit_cost,currency,line_cost,share_pct\n", out);
	for (i = 0; i < res->nparts; i++) {
		const bid_award_part *p = sorted[i];

		for (j = 0; j < p->nlines; j++) {
			const bid_award_line *l = &p->lines[j];
			char q[BID_DEC_FMT_MAX], uc[BID_DEC_FMT_MAX], lc[BID_DEC_FMT_MAX], sh[BID_DEC_FMT_MAX];

			csv_field(out, p->part);
			fputc(',', out);
			csv_field(out, l->supplier);
			fprintf(out, ",%s,%s,%s,%s,%s,%s\n",
			        bid_dec_format(q, sizeof(q), l->qty, 0), p->unit,
			        bid_dec_format(uc, sizeof(uc), l->unit_cost, minor), res->currency,
			        bid_dec_format(lc, sizeof(lc), l->line_cost, minor),
			        bid_dec_format(sh, sizeof(sh), l->share_pct, 2));
		}
	}
	free(sorted);
}

/*
 * Resilience: if one awarded supplier fails, can the others awarded on
 * each of its parts take its quantity within what they offered, and what
 * would it cost more?  The others absorb it cheapest first, at their
 * landed unit cost; the extra cost is exact, rounded once to minor units.
 */
__extension__ typedef __int128 i128;

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What it costs more (scale 10^12) to move `failed`'s quantity to the others; -1 if it cannot. */
static int absorb(const bid_award_part *p, const bid_award_line *failed, i128 *extra)
{
	struct { bid_dec cost, room; } o[64];
	size_t n = 0, i, j;
	bid_dec left = failed->qty;

	for (i = 0; i < p->nlines && n < 64; i++) {
		const bid_award_line *l = &p->lines[i];
		if (l == failed)
			continue;
		o[n].cost = l->unit_cost;
		o[n].room = l->max_qty < 0 ? left : l->max_qty - l->qty;
		if (o[n].room > 0)
			n++;
	}
	/* cheapest first: a small insertion sort */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && o[j].cost < o[j - 1].cost; j--) {
			bid_dec c = o[j].cost, r = o[j].room;
			o[j] = o[j - 1];
			o[j - 1].cost = c;
			o[j - 1].room = r;
		}
	*extra -= (i128)failed->unit_cost * failed->qty;
	for (i = 0; i < n && left > 0; i++) {
		bid_dec take = o[i].room < left ? o[i].room : left;
		*extra += (i128)o[i].cost * take;
		left -= take;
	}
	return left > 0 ? -1 : 0;
}

static void write_resilience(FILE *out, const bid_result *res)
{
	int minor = minor_of(res->currency), d;
	const char **who;
	size_t nwho = 0, i, j, k, cap = 0;

	for (i = 0; i < res->nparts; i++)
		cap += res->parts[i].nlines;
	who = bid__calloc(cap + 1, sizeof(*who));
	for (i = 0; i < res->nparts; i++)
		for (j = 0; j < res->parts[i].nlines; j++)
			who[nwho++] = res->parts[i].lines[j].supplier;
	qsort(who, nwho, sizeof(*who), cmp_cstr);
	for (i = k = 0; i < nwho; i++)
		if (k == 0 || strcmp(who[k - 1], who[i]) != 0)
			who[k++] = who[i];
	nwho = k;

	fprintf(out, "\nResilience (if one supplier fails, the others awarded on its parts take over):\n");
	for (k = 0; k < nwho; k++) {
		i128 extra = 0, unit = 1, q, r;
		size_t parts = 0, uncovered = 0;
		char list[200] = "", a[BID_DEC_FMT_MAX];

		for (i = 0; i < res->nparts; i++) {
			const bid_award_part *p = &res->parts[i];

			for (j = 0; j < p->nlines; j++) {
				if (strcmp(p->lines[j].supplier, who[k]) != 0)
					continue;
				parts++;
				if (absorb(p, &p->lines[j], &extra) < 0) {
					uncovered++;
					if (strlen(list) + strlen(p->part) + 3 < sizeof(list)) {
						if (list[0])
							strcat(list, ", ");
						strcat(list, p->part);
					}
				}
			}
		}
		if (uncovered) {
			fprintf(out, "  %-14s on %zu part%s; cannot be covered on %s\n", who[k], parts,
			        parts == 1 ? "" : "s", list);
			continue;
		}
		/* exact extra (scale 10^12) to minor units, half-even, as a decimal */
		for (d = minor; d < 12; d++)
			unit *= 10;
		q = extra / unit;
		r = extra % unit;
		if (r < 0) {
			r += unit;
			q--;
		}
		if (2 * r > unit || (2 * r == unit && (q & 1)))
			q++;
		for (d = minor; d < BID_DEC_DIGITS; d++)
			q *= 10;
		fprintf(out, "  %-14s on %zu part%s; the others cover it for %s %s more\n", who[k], parts,
		        parts == 1 ? "" : "s", bid_dec_format(a, sizeof(a), (bid_dec)q, minor), res->currency);
	}
	free(who);
}

static void write_table(FILE *out, bid_round *round, const bid_result *res)
{
	int minor = minor_of(res->currency);
	char a[BID_DEC_FMT_MAX], b[BID_DEC_FMT_MAX], c[BID_DEC_FMT_MAX], d[BID_DEC_FMT_MAX];
	char date[16];
	size_t i, j, nflag = 0, nsingle = 0;

	fprintf(out, "Round %s", round->info.id);
	if (round->info.title)
		fprintf(out, " - %s", round->info.title);
	fprintf(out, "\nAward %lld, scenario '%s', on %s, in %s\n\n", res->id, res->scenario,
	        bid_date_format(date, sizeof(date), res->award_date), res->currency);
	fprintf(out, "%-16s %-14s %12s %-4s %-22s %14s %16s %7s  %s\n",
	        "PART", "SUPPLIER", "QUANTITY", "UNIT", "QUOTED", "LANDED", "LINE COST", "SHARE", "FLAG");
	for (i = 0; i < res->nparts; i++) {
		const bid_award_part *p = &res->parts[i];

		if (p->status != BID_PART_AWARDED)
			nflag++;
		if (p->single_supplier)
			nsingle++;
		if (p->nlines == 0) {
			fprintf(out, "%-16s %-14s %12s %-4s %-22s %14s %16s %7s  %s: %s\n", p->part, "-",
			        bid_dec_format(a, sizeof(a), p->demand, 0), p->unit, "-", "-", "-", "-",
			        status_name(p->status), p->reason);
			continue;
		}
		for (j = 0; j < p->nlines; j++) {
			const bid_award_line *l = &p->lines[j];
			char quoted[64], pr[BID_DEC_FMT_MAX], bq[BID_DEC_FMT_MAX];

			if (l->basis_qty == BID_DEC_SCALE)
				snprintf(quoted, sizeof(quoted), "%s %s/%s",
				         bid_dec_format(pr, sizeof(pr), l->price, 2), l->price_currency,
				         l->basis_unit ? l->basis_unit : p->unit);
			else
				snprintf(quoted, sizeof(quoted), "%s %s/%s %s",
				         bid_dec_format(pr, sizeof(pr), l->price, 2), l->price_currency,
				         bid_dec_format(bq, sizeof(bq), l->basis_qty, 0),
				         l->basis_unit ? l->basis_unit : p->unit);
			fprintf(out, "%-16s %-14s %12s %-4s %-22s %14s %16s %6s%%",
			        j == 0 ? p->part : "", l->supplier,
			        bid_dec_format(a, sizeof(a), l->qty, 0), p->unit, quoted,
			        bid_dec_format(b, sizeof(b), l->unit_cost, minor),
			        bid_dec_format(c, sizeof(c), l->line_cost, minor),
			        bid_dec_format(d, sizeof(d), l->share_pct, 2));
			if (j == 0 && p->status != BID_PART_AWARDED)
				fprintf(out, "  %s: %s", status_name(p->status), p->reason);
			if (j == 0 && p->independence_changed)
				fprintf(out, "  independence: suppliers of one group or manufacturer counted as one");
			fputc('\n', out);
		}
	}
	fprintf(out, "\n%-44s %16s %s\n", "Total, split award:",
	        bid_dec_format(a, sizeof(a), res->total, minor), res->currency);
	fprintf(out, "%-44s %16s %s", "Total, cheapest single source per part:",
	        bid_dec_format(b, sizeof(b), res->single_total, minor), res->currency);
	if (nsingle < res->nparts)
		fprintf(out, "  (%zu of %zu parts have a single source able to supply all)",
		        nsingle, res->nparts);
	fputc('\n', out);
	if (nsingle == res->nparts)
		fprintf(out, "%-44s %16s %s\n", "Price of keeping competition:",
		        bid_dec_format(c, sizeof(c), res->total - res->single_total, minor), res->currency);
	/* the same, part by part: the split's cost beside the cheapest single source's */
	fprintf(out, "\n%-16s %16s %16s %-14s %14s\n", "PART", "SPLIT COST", "SINGLE SOURCE",
	        "(SUPPLIER)", "COMPETITION");
	for (i = 0; i < res->nparts; i++) {
		const bid_award_part *p = &res->parts[i];

		if (!p->nlines)
			continue;
		if (p->single_supplier)
			fprintf(out, "%-16s %16s %16s %-14s %14s\n", p->part,
			        bid_dec_format(a, sizeof(a), p->cost, minor),
			        bid_dec_format(b, sizeof(b), p->single_cost, minor), p->single_supplier,
			        bid_dec_format(c, sizeof(c), p->cost - p->single_cost, minor));
		else
			fprintf(out, "%-16s %16s %16s %-14s %14s\n", p->part,
			        bid_dec_format(a, sizeof(a), p->cost, minor), "-", "(none alone)", "-");
	}
	fputc('\n', out);
	fprintf(out, "%zu part%s, %zu flagged.  Method: %s", res->nparts,
	        res->nparts == 1 ? "" : "s", nflag, res->method);
	if (strncmp(res->method, "coupled", 7) == 0) {
		char bd[BID_DEC_FMT_MAX];
		fprintf(out, "; proven bound %s, gap %lld ppm%s", bid_dec_format(bd, sizeof(bd), res->bound, 2),
		        res->gap_ppm, res->gap_ppm == 0 ? " (optimal)" : "");
	}
	fprintf(out, ".\nInputs digest %s\n", res->digest);
	write_resilience(out, res);
}

int bid_report_write(FILE *out, bid_round *round, const bid_result *res,
                     bid_report_format fmt, bid_error *err)
{
	int rc = 0;

	switch (fmt) {
	case BID_REPORT_CSV:
		write_csv(out, res);
		break;
	case BID_REPORT_JSON:
		rc = bid_store__award_json(round->store, res->id, out, err);
		break;
	default:
		write_table(out, round, res);
		break;
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = bid_error_set(err, BID_EIO, BID_AREA_ENGINE, "cannot write the report");
	/* Exporting a report is part of the history. */
	if (rc == 0 && (rc = bid_store__begin(round->store, err)) == 0) {
		static const char *const names[] = { "table", "csv", "json" };
		char id[24];

		snprintf(id, sizeof(id), "%lld", res->id);
		rc = bid_audit__record(round->store, "report.exported", round->info.id, err,
		                       "award", id, "format", names[fmt <= BID_REPORT_JSON ? fmt : 0],
		                       (const char *)NULL);
		rc = rc == 0 ? bid_store__commit(round->store, err) : rc;
		if (rc < 0)
			bid_store__rollback(round->store);
	}
	return rc;
}
