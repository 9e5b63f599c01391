/*
 * suppliers.c - the supplier master CSV: who may bid, their parent
 * company (independence group), capacity, spend cap and history.  A pure
 * parser on the shared RFC 4180 tokenizer; one callback per row.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "importer.h"

enum { C_ID, C_NAME, C_STATUS, C_GROUP, C_CAPACITY, C_SPEND_CAP, C_PPM, C_OTD, NCOLS };

static const char *const names[NCOLS] = {
	"id", "name", "status", "group", "capacity", "spend_cap", "defect_ppm", "otd_pct",
};

/* A non-negative decimal cell, or absent when empty. */
static int cell_dec(const bid_csv_field *f, const char *what, bid_dec *out, int *has,
                    const char *name, bid_error *err)
{
	int rc;

	*has = 0;
	if (f->len == 0)
		return 0;
	if ((rc = bid_import__dec(out, what, f->text, f->len, name, (bid_pos){ f->line, f->col },
	                          err)) < 0)
		return rc;
	if (*out < 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line, f->col,
		                        "%s must not be negative", what);
	*has = 1;
	return 0;
}

int bid_import_suppliers(const char *data, size_t len, const char *name,
                         int (*cb)(const bid_supplier *s, void *payload), void *payload,
                         bid_error *err)
{
	size_t col[NCOLS], i, rows = 0;
	char **seen = NULL;
	size_t nseen = 0, capseen = 0;
	bid_csv c;
	int rc;

	if (!name)
		name = "<input>";
	if (err)
		bid_error_clear(err);
	if ((rc = bid_csv__open(&c, data, len, name, err)) < 0)
		return rc;
	if ((rc = bid_csv__next(&c, err)) <= 0) {
		if (rc == 0)
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1, "empty file");
		goto done;
	}
	for (i = 0; i < NCOLS; i++)
		col[i] = (size_t)-1;
	for (i = 0; i < c.nfields; i++) {
		const bid_csv_field *f = &c.fields[i];
		size_t k;

		for (k = 0; k < NCOLS && strcasecmp(f->text, names[k]) != 0; k++)
			;
		if (k == NCOLS || col[k] != (size_t)-1) {
			char shown[40];
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f->line, f->col,
			        "%s column '%s' (expected id,name,status,group,capacity,spend_cap,"
			        "defect_ppm,otd_pct)", k == NCOLS ? "unknown" : "repeated",
			        bid_import__shown(shown, sizeof(shown), f->text, f->len));
			goto done;
		}
		col[k] = i;
	}
	if (col[C_ID] == (size_t)-1) {
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
		                      "missing column 'id'");
		goto done;
	}
	while ((rc = bid_csv__next(&c, err)) == 1) {
		static const bid_csv_field empty = { "", 0, 0, 0, 0 };
		const bid_csv_field *f[NCOLS];
		bid_supplier s;

		for (i = 0; i < NCOLS; i++)
			f[i] = col[i] != (size_t)-1 && col[i] < c.nfields ? &c.fields[col[i]] : &empty;
		memset(&s, 0, sizeof(s));
		s.pos.line = c.rec_line;
		s.pos.col = 1;
		if (f[C_ID]->len == 0) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, c.rec_line, 1,
			                      "a supplier needs an id");
			goto done;
		}
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], f[C_ID]->text) == 0) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f[C_ID]->line,
				                      f[C_ID]->col, "supplier '%s' appears twice", seen[i]);
				goto done;
			}
		if (nseen == capseen) {
			char **ns;
			capseen = capseen ? 2 * capseen : 64;
			if (!(ns = realloc(seen, capseen * sizeof(*seen)))) {
				rc = bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
				goto done;
			}
			seen = ns;
		}
		if (!(seen[nseen] = malloc(f[C_ID]->len + 1))) {
			rc = bid_error_set(err, BID_ENOMEM, BID_AREA_IMPORT, "out of memory");
			goto done;
		}
		memcpy(seen[nseen++], f[C_ID]->text, f[C_ID]->len + 1);
		s.id = f[C_ID]->text;
		s.name = f[C_NAME]->len ? f[C_NAME]->text : NULL;
		s.group = f[C_GROUP]->len ? f[C_GROUP]->text : NULL;
		if (f[C_STATUS]->len == 0 || strcasecmp(f[C_STATUS]->text, "qualified") == 0)
			s.status = BID_SUPPLIER_QUALIFIED;
		else if (strcasecmp(f[C_STATUS]->text, "probation") == 0)
			s.status = BID_SUPPLIER_PROBATION;
		else if (strcasecmp(f[C_STATUS]->text, "blocked") == 0)
			s.status = BID_SUPPLIER_BLOCKED;
		else {
			char shown[40];
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f[C_STATUS]->line,
			        f[C_STATUS]->col, "status '%s': expected qualified, probation or blocked",
			        bid_import__shown(shown, sizeof(shown), f[C_STATUS]->text, f[C_STATUS]->len));
			goto done;
		}
		if ((rc = cell_dec(f[C_CAPACITY], "capacity", &s.capacity, &s.has_capacity, name, err)) < 0 ||
		    (rc = cell_dec(f[C_SPEND_CAP], "spend_cap", &s.spend_cap, &s.has_spend_cap, name, err)) < 0 ||
		    (rc = cell_dec(f[C_PPM], "defect_ppm", &s.defect_ppm, &s.has_defect_ppm, name, err)) < 0 ||
		    (rc = cell_dec(f[C_OTD], "otd_pct", &s.otd_pct, &s.has_otd_pct, name, err)) < 0)
			goto done;
		if (s.has_otd_pct && s.otd_pct > 100 * BID_DEC_SCALE) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, f[C_OTD]->line,
			                      f[C_OTD]->col, "otd_pct is a percentage from 0 to 100");
			goto done;
		}
		if ((rc = cb(&s, payload)) < 0) {
			rc = bid_import__stopped(err, rc, name, s.pos);
			goto done;
		}
		rows++;
	}
	if (rc == 0 && rows == 0)
		rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1, "no suppliers in the file");
done:
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	bid_csv__free(&c);
	return rc;
}
