/*
 * rules.c - the rules file: buyer-written PCRE2 patterns per field, each
 * with a message, compiled once (JIT where available) and matched against
 * header and line values by the checker.  The only user of PCRE2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules.h"
#include "store.h"

static const char *const field_names[BID_RF__COUNT] = {
	"supplier", "supplier_name", "quote_id", "part", "buyer_part", "seller_part",
	"manufacturer_part", "standard_part", "line_id", "description", "unit",
	"currency", "manufacturer", "origin_country",
};

typedef struct rule {
	char             *id;
	int               field;        /* bid_rule_field, -1 until set */
	char             *pattern;
	char             *message;
	bid_severity      sev;
	int               required;
	unsigned          line;         /* where the rule starts, for messages */
	unsigned          pline, pcol;  /* where its pattern starts */
	pcre2_code       *code;
	pcre2_match_data *md;
} rule;

struct bid_rules {
	rule  *r;
	size_t n, cap;
};

size_t bid_rules_count(const bid_rules *rules)
{
	return rules ? rules->n : 0;
}

void bid_rules_free(bid_rules *rules)
{
	size_t i;

	if (!rules)
		return;
	for (i = 0; i < rules->n; i++) {
		rule *x = &rules->r[i];
		free(x->id);
		free(x->pattern);
		free(x->message);
		pcre2_match_data_free(x->md);
		pcre2_code_free(x->code);
	}
	free(rules->r);
	free(rules);
}

static char *dup_n(const char *s, size_t n)
{
	char *p = bid__malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Compile a finished rule; a bad pattern names its column in the file. */
static int finish(bid_rules *rs, const char *name, bid_error *err)
{
	rule *x = &rs->r[rs->n - 1];
	PCRE2_SIZE off;
	int code;

	if (x->field < 0)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, x->line, 1,
		                        "rule [%s] has no 'field ='", x->id);
	if (!x->pattern)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, x->line, 1,
		                        "rule [%s] has no 'pattern ='", x->id);
	if (!x->message)
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, x->line, 1,
		                        "rule [%s] has no 'message ='", x->id);
	x->code = pcre2_compile((PCRE2_SPTR)x->pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	                        &code, &off, NULL);
	if (!x->code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(code, msg, sizeof(msg));
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, x->pline,
		                        (long)(x->pcol + off),
		                        "rule [%s]: bad pattern: %s (at offset %zu)", x->id,
		                        (const char *)msg, (size_t)off);
	}
	/* JIT is an optimisation: where it is unavailable the interpreter runs. */
	pcre2_jit_compile(x->code, PCRE2_JIT_COMPLETE);
	x->md = pcre2_match_data_create_from_pattern(x->code, NULL);
	if (!x->md)
		return bid_error_set(err, BID_ENOMEM, BID_AREA_ENGINE, "out of memory");
	return 0;
}

int bid_rules_parse(bid_rules **out, const char *text, size_t len, const char *name,
                    bid_error *err)
{
	bid_rules *rs = bid__calloc(1, sizeof(*rs));
	const char *p = text, *end = text + len;
	unsigned line = 0;
	int rc = 0;

	*out = NULL;
	while (p < end && rc == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *bol = p, *s = p, *e = eol ? eol : end;

		line++;
		p = eol ? eol + 1 : end;
		if (memchr(s, '\0', (size_t)(e - s))) {
			rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
			                      "NUL byte in a rules file");
			break;
		}
		while (s < e && is_space(*s))
			s++;
		while (e > s && is_space(e[-1]))
			e--;
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			rule *x;

			if (e[-1] != ']' || e - s < 3) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line,
				                      (long)(s - bol + 1),
				                      "expected a rule id in brackets, like [part.format]");
				break;
			}
			if (rs->n && (rc = finish(rs, name, err)) < 0)
				break;
			if (rs->n == rs->cap) {
				rs->cap = rs->cap ? 2 * rs->cap : 8;
				rs->r = bid__realloc(rs->r, rs->cap * sizeof(*rs->r));
			}
			x = &rs->r[rs->n++];
			memset(x, 0, sizeof(*x));
			x->id = dup_n(s + 1, (size_t)(e - s - 2));
			x->field = -1;
			x->sev = BID_SEV_ERROR;
			x->line = line;
			continue;
		}
		{
			const char *eq = memchr(s, '=', (size_t)(e - s)), *k = s, *ke, *v;
			size_t klen;
			rule *x;
			int f;

			if (!eq) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
				                      "expected 'key = value' or [rule-id]");
				break;
			}
			if (!rs->n) {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
				                      "a setting before the first [rule-id]");
				break;
			}
			x = &rs->r[rs->n - 1];
			ke = eq;
			while (ke > k && is_space(ke[-1]))
				ke--;
			klen = (size_t)(ke - k);
			v = eq + 1;
			while (v < e && is_space(*v))
				v++;
			if (klen == 5 && memcmp(k, "field", 5) == 0) {
				for (f = 0; f < BID_RF__COUNT; f++)
					if (strlen(field_names[f]) == (size_t)(e - v) &&
					    memcmp(field_names[f], v, (size_t)(e - v)) == 0)
						break;
				if (f == BID_RF__COUNT) {
					rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line,
					        (long)(v - bol + 1),
					        "unknown field '%.*s' (expected supplier, part, unit, currency, ...)",
					        (int)(e - v), v);
					break;
				}
				x->field = f;
			} else if (klen == 7 && memcmp(k, "pattern", 7) == 0) {
				free(x->pattern);
				x->pattern = dup_n(v, (size_t)(e - v));
				/* a bad pattern is reported at its own column */
				x->pline = line;
				x->pcol = (unsigned)(v - bol) + 1;
			} else if (klen == 7 && memcmp(k, "message", 7) == 0) {
				free(x->message);
				x->message = dup_n(v, (size_t)(e - v));
			} else if (klen == 8 && memcmp(k, "severity", 8) == 0) {
				if ((size_t)(e - v) == 5 && memcmp(v, "error", 5) == 0)
					x->sev = BID_SEV_ERROR;
				else if ((size_t)(e - v) == 7 && memcmp(v, "warning", 7) == 0)
					x->sev = BID_SEV_WARNING;
				else {
					rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
					                      "severity is 'error' or 'warning'");
					break;
				}
			} else if (klen == 8 && memcmp(k, "required", 8) == 0) {
				if ((size_t)(e - v) == 3 && memcmp(v, "yes", 3) == 0)
					x->required = 1;
				else if ((size_t)(e - v) == 2 && memcmp(v, "no", 2) == 0)
					x->required = 0;
				else {
					rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
					                      "required is 'yes' or 'no'");
					break;
				}
			} else {
				rc = bid_error_set_at(err, BID_EINVALID, BID_AREA_ENGINE, name, line, 1,
				        "unknown key '%.*s' (expected field, pattern, message, severity, required)",
				        (int)klen, k);
				break;
			}
		}
	}
	if (rc == 0 && rs->n)
		rc = finish(rs, name, err);
	if (rc < 0) {
		bid_rules_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

int bid_rules_load(bid_rules **out, const char *path, bid_error *err)
{
	bid_file f;
	int rc;

	*out = NULL;
	if ((rc = bid__file_map(&f, path, err)) < 0)
		return rc;
	rc = bid_rules_parse(out, f.data, f.len, path, err);
	bid__file_unmap(&f);
	return rc;
}

/* A value fit for a one-line message: control characters become '?', long ones end in "...". */
static const char *shown(const char *value, char *buf, size_t size)
{
	size_t i;

	for (i = 0; value[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)value[i] < 0x20 || value[i] == 0x7f ? '?' : value[i];
	buf[i] = '\0';
	if (value[i] && size > 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}

int bid_rules__check(const bid_rules *r, bid_rule_field field, const char *value,
                     bid_rule_finding found, void *payload)
{
	size_t i;
	int n = 0;

	if (!r)
		return 0;
	for (i = 0; i < r->n; i++) {
		const rule *x = &r->r[i];
		char msg[512], v[84];

		if (x->field != (int)field)
			continue;
		if (!value) {
			if (x->required) {
				snprintf(msg, sizeof(msg), "%s is missing: %s", field_names[field], x->message);
				found(x->id, x->sev, msg, payload);
				n++;
			}
			continue;
		}
		if (pcre2_match(x->code, (PCRE2_SPTR)value, PCRE2_ZERO_TERMINATED, 0, 0, x->md, NULL) >= 0)
			continue;
		snprintf(msg, sizeof(msg), "%s '%s': %s", field_names[field], shown(value, v, sizeof(v)),
		         x->message);
		found(x->id, x->sev, msg, payload);
		n++;
	}
	return n;
}

/* ---- a round's rules ---- */

int bid_round_rules_set(bid_round *round, const char *path, bid_error *err)
{
	bid_rules *rules;
	bid_file f;
	char sha[65];
	long long id;
	int rc;

	if ((rc = bid_rules_load(&rules, path, err)) < 0)
		return rc;
	bid_rules_free(rules);
	if ((rc = bid__file_map(&f, path, err)) < 0)
		return rc;
	if ((rc = bid_store__begin(round->store, err)) == 0) {
		bid_doc_row d = { round->info.id, path, "rules", "rules", &f, NULL };
		rc = bid_store__doc_reserve(round->store, &id, err);
		rc = rc == 0 ? bid_store__doc_store(round->store, id, &d, sha, err) : rc;
		if (rc == 0) {
			char doc[24];
			snprintf(doc, sizeof(doc), "%lld", id);
			rc = bid_audit__record(round->store, "rules.set", round->info.id, err,
			                       "document", doc, "sha256", sha, "name", path,
			                       (const char *)NULL);
		}
		rc = rc == 0 ? bid_store__commit(round->store, err) : rc;
		if (rc < 0)
			bid_store__rollback(round->store);
	}
	bid__file_unmap(&f);
	return rc;
}

/* A literal inside a pattern: \Q...\E, with any "\E" in it split out. */
static void put_literal(FILE *out, const char *s)
{
	fputs("\\Q", out);
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'E') {
			fputs("\\E\\\\E\\Q", out);
			s++;
			continue;
		}
		fputc(*s, out);
	}
	fputs("\\E", out);
}

static int copy_rules(const void *data, size_t len, void *payload)
{
	FILE *out = payload;

	fputs("\n# The buyer's rules for this round.\n", out);
	fwrite(data, 1, len, out);
	if (len && ((const char *)data)[len - 1] != '\n')
		fputc('\n', out);
	return 0;
}

int bid_round_rules_write(bid_round *round, FILE *out, bid_error *err)
{
	size_t i;
	int rc;

	fprintf(out, "# bidcmp rules for round %s (%s).\n"
	        "# Check a quote with: bidcmp check --rules THIS-FILE QUOTE-FILE\n\n",
	        round->info.id, round->info.title ? round->info.title : "untitled");
	fprintf(out, "[round.part]\nfield = buyer_part\npattern = ^(?:");
	for (i = 0; i < round->nparts; i++) {
		if (i)
			fputc('|', out);
		put_literal(out, round->parts[i].part);
	}
	fprintf(out, ")$\nmessage = not a part number of round %s\n\n", round->info.id);
	rc = bid_store__doc_latest(round->store, round->info.id, "rules", copy_rules, out, err);
	if (rc < 0 && rc != BID_ENOTFOUND)
		return rc;
	if (fflush(out) != 0 || ferror(out))
		return bid_error_set(err, BID_EIO, BID_AREA_ENGINE, "cannot write the rules");
	return 0;
}
