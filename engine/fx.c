/*
 * fx.c - exchange rates: record them, and find the factor that turns an
 * amount in one currency into the round currency on a date (direct,
 * inverse, or crossed through a common base), as an exact fraction.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "normalise.h"

int bid_fx_set(bid_store *store, const char *base, const char *currency,
               bid_dec rate, bid_date date, const char *source, bid_error *err)
{
	int rc;

	if (!bid_currency_is_known(base))
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "unknown currency code '%s' (expected ISO 4217)", base);
	if (!bid_currency_is_known(currency))
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "unknown currency code '%s' (expected ISO 4217)", currency);
	if (strcmp(base, currency) == 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "%s is the base currency itself: its rate is always 1", base);
	if (rate <= 0)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "a rate must be positive");
	if (date == BID_DATE_NONE)
		date = bid_date_today();
	if ((rc = bid_store__begin(store, err)) < 0)
		return rc;
	rc = bid_store__fx_insert(store, base, currency, rate, date, source ? source : "manual", err);
	if (rc == 0) {
		char r[BID_DEC_FMT_MAX], d[16];
		rc = bid_audit__record(store, "fx.set", NULL, err, "base", base, "currency", currency,
		                       "rate", bid_dec_format(r, sizeof(r), rate, 0),
		                       "date", bid_date_format(d, sizeof(d), date),
		                       "source", source ? source : "manual", (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(store, err);
	if (rc < 0)
		bid_store__rollback(store);
	return rc;
}

int bid_store_round_currency(bid_store *store, char buf[4], bid_error *err)
{
	int n, rc;

	if ((rc = bid_store__round_currencies(store, &n, buf, err)) < 0)
		return rc;
	if (n == 0)
		return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
		                     "no round yet, so no round currency: give --base");
	if (n > 1)
		return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE,
		                     "the rounds use several currencies: give --base");
	return 0;
}

int bid_fx__factor(bid_store *s, const char *from, const char *to, bid_date date,
                   bid_fx_factor *out, bid_error *err)
{
	char bases[32][4], dbuf[16];
	bid_dec r1, r2;
	size_t n, i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strcmp(from, to) == 0) {
		out->num = out->den = BID_DEC_SCALE;
		snprintf(out->how, sizeof(out->how), "same currency");
		return 0;
	}
	/* Direct: one `from` buys r1 `to`. */
	rc = bid_store__fx_lookup(s, to, from, date, &r1, &out->date, err);
	if (rc == 0) {
		out->num = r1;
		out->den = BID_DEC_SCALE;
		snprintf(out->how, sizeof(out->how), "%s/%s rate of %s", to, from,
		         bid_date_format(dbuf, sizeof(dbuf), out->date));
		return 0;
	}
	if (rc != BID_ENOTFOUND)
		return rc;
	/* Inverse: one `to` buys r1 `from`. */
	rc = bid_store__fx_lookup(s, from, to, date, &r1, &out->date, err);
	if (rc == 0) {
		out->num = BID_DEC_SCALE;
		out->den = r1;
		snprintf(out->how, sizeof(out->how), "inverse of %s/%s rate of %s", from, to,
		         bid_date_format(dbuf, sizeof(dbuf), out->date));
		return 0;
	}
	if (rc != BID_ENOTFOUND)
		return rc;
	/* Cross: a base B quoting both; from -> B -> to. */
	if ((rc = bid_store__fx_bases(s, bases, 32, &n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		bid_date d1, d2;

		if (bid_store__fx_lookup(s, bases[i], from, date, &r1, &d1, NULL) == 0 &&
		    bid_store__fx_lookup(s, bases[i], to, date, &r2, &d2, NULL) == 0) {
			out->num = r1;
			out->den = r2;
			out->date = d1 < d2 ? d1 : d2;
			snprintf(out->how, sizeof(out->how), "cross via %s, rates of %s", bases[i],
			         bid_date_format(dbuf, sizeof(dbuf), out->date));
			return 0;
		}
	}
	/*
	 * Cross through a currency C that both are quoted against, as the ECB
	 * quotes every currency per euro: 1 C buys r1 `from` and r2 `to`.
	 */
	if ((rc = bid_store__fx_quoted(s, bases, 32, &n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		bid_date d1, d2;

		if (bid_store__fx_lookup(s, from, bases[i], date, &r1, &d1, NULL) == 0 &&
		    bid_store__fx_lookup(s, to, bases[i], date, &r2, &d2, NULL) == 0) {
			out->num = r2;
			out->den = r1;
			out->date = d1 < d2 ? d1 : d2;
			snprintf(out->how, sizeof(out->how), "cross via %s, rates of %s", bases[i],
			         bid_date_format(dbuf, sizeof(dbuf), out->date));
			return 0;
		}
	}
	return bid_error_set(err, BID_ENOTFOUND, BID_AREA_ENGINE,
	                     "no exchange rate from %s to %s on or before %s",
	                     from, to, bid_date_format(dbuf, sizeof(dbuf), date));
}

typedef struct fx_loader {
	bid_store  *store;
	const char *path;
	const char *kind;          /* "ECB" or "CSV", set before the first rate */
	char        source[300];   /* kind and file name, so a rate can be traced */
	size_t      n;
	bid_error  *err;
} fx_loader;

static int load_rate(const bid_rate *r, void *payload)
{
	fx_loader *l = payload;
	int rc;

	if (!l->source[0]) {
		const char *slash = strrchr(l->path, '/');
		snprintf(l->source, sizeof(l->source), "%s %s", l->kind ? l->kind : "file",
		         slash ? slash + 1 : l->path);
	}
	if (!bid_currency_is_known(r->base) || !bid_currency_is_known(r->currency))
		return bid_error_set_at(l->err, BID_EINVALID, BID_AREA_IMPORT, l->path, r->pos.line,
		                        r->pos.col, "unknown currency code '%.8s' (expected ISO 4217)",
		                        bid_currency_is_known(r->base) ? r->currency : r->base);
	if (strcmp(r->base, r->currency) == 0)
		return bid_error_set_at(l->err, BID_EINVALID, BID_AREA_IMPORT, l->path, r->pos.line,
		                        r->pos.col, "a rate of %s against itself", r->base);
	if ((rc = bid_store__fx_insert(l->store, r->base, r->currency, r->rate, r->date,
	                               l->source, l->err)) < 0)
		return rc;
	l->n++;
	return 0;
}

int bid_fx_import(bid_store *store, const char *path, size_t *count_out, bid_error *err)
{
	fx_loader l;
	bid_file f;
	int rc;

	memset(&l, 0, sizeof(l));
	l.store = store;
	l.path = path;
	l.err = err;
	if (count_out)
		*count_out = 0;
	if ((rc = bid__file_map(&f, path, err)) < 0)
		return rc;
	if ((rc = bid_store__begin(store, err)) == 0) {
		rc = bid_import_rates(f.data, f.len, path, load_rate, &l, &l.kind, err);
		if (rc == 0) {
			char sha[65], n[24];
			bid__sha256_hex(f.data, f.len, sha);
			snprintf(n, sizeof(n), "%zu", l.n);
			rc = bid_audit__record(store, "fx.imported", NULL, err, "name", path, "sha256", sha,
			                       "source", l.kind, "rates", n, (const char *)NULL);
		}
		if (rc == 0)
			rc = bid_store__commit(store, err);
		if (rc < 0)
			bid_store__rollback(store);
	}
	bid__file_unmap(&f);
	if (rc == 0 && count_out)
		*count_out = l.n;
	if (err && rc < 0 && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", path);
	return rc;
}
