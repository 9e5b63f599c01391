/*
 * bidcmp/check.h - the checker suppliers run before they send a quote,
 * and buyers run on what arrives: every problem in a file, not just the
 * first, optionally against buyer-written rules and against a round.
 * Needs no database unless a round is named.
 */
#ifndef BIDCMP_CHECK_H
#define BIDCMP_CHECK_H

#include <stdio.h>
#include "import.h"
#include "round.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A rules file: buyer-written PCRE2 patterns per field, each with a
 * message.  The format (docs/RULES.md):
 *
 *     # comment
 *     [part.format]                  rule id
 *     field    = part                which value it checks
 *     pattern  = ^[A-Z]{3}-\d{3,5}$  PCRE2, the rest of the line verbatim
 *     message  = part numbers look like ABC-123
 *     severity = error               or warning (default error)
 *     required = no                  yes: a missing value is a finding too
 *
 * Fields: supplier, supplier_name, quote_id, part (the id the line is
 * matched by), buyer_part, seller_part, manufacturer_part, standard_part,
 * line_id, description, unit, currency, manufacturer, origin_country.
 */
typedef struct bid_rules bid_rules;

/**
 * Parse and compile a rules file (each pattern once, with JIT when the
 * platform has it).  A bad pattern or line is an error with its file,
 * line and column.
 * @return 0, BID_EINVALID, BID_EIO
 */
int  bid_rules_load(bid_rules **out, const char *path, bid_error *err);
/** The same from text in memory; `name` is used in messages. */
int  bid_rules_parse(bid_rules **out, const char *text, size_t len,
                     const char *name, bid_error *err);
void bid_rules_free(bid_rules *rules);
/** Number of rules. */
size_t bid_rules_count(const bid_rules *rules);

/**
 * Give a round the buyer's rules file (checked first; stored byte for
 * byte as a document of the round, the newest one counting).
 * @return 0, BID_EINVALID for a bad rules file, BID_EIO
 */
int bid_round_rules_set(bid_round *round, const char *path, bid_error *err);

/**
 * Write the round's rules for suppliers: rules generated from the round
 * (its part numbers) followed by the buyer's own, if set.
 * The output is itself a rules file for `bidcmp check --rules`.
 * @return 0 or BID_EIO
 */
int bid_round_rules_write(bid_round *round, FILE *out, bid_error *err);

/** Options for bid_check_file. */
typedef struct bid_check_options {
	unsigned         version;   /* BID_CHECK_OPTIONS_VERSION */
	const bid_rules *rules;     /* NULL = none */
	bid_round       *round;     /* NULL = no round checks */
	int              preview;   /* call `preview` per line (needs round) */
	/* each finding; file is the path checked */
	void (*diag)(const char *file, const bid_diag *d, void *payload);
	/* each line's normalisation, one text line, when preview is set */
	void (*preview_line)(const char *file, bid_pos pos, const char *text, void *payload);
	void *payload;
} bid_check_options;

#define BID_CHECK_OPTIONS_VERSION 1
#define BID_CHECK_OPTIONS_INIT { BID_CHECK_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL }

/** What a check found. */
typedef struct bid_check_stats {
	bid_format format;
	size_t     quotes, lines, errors, warnings;
} bid_check_stats;

/**
 * Check one file: parse it (format detected from content), then check
 * every header and line: required values, known unit and currency codes,
 * positive prices and quantities, increasing tiers, dates that exist,
 * stated totals against the lines (a mismatch is a warning), the rules,
 * and, with a round, that parts exist, units convert and currencies have
 * a rate on the award date.  Nothing is written anywhere.
 *
 * @return 0 when the check ran (look at stats->errors), BID_EIO when the
 *         file cannot be read
 */
int bid_check_file(const char *path, const bid_check_options *opts,
                   bid_check_stats *stats_out, bid_error *err);

/**
 * Diagnostics as JSON for programs: collect with bid_json_diags_add, then
 * write one JSON array (built by SQLite's JSON functions).
 */
typedef struct bid_json_diags bid_json_diags;
int  bid_json_diags_new(bid_json_diags **out, bid_error *err);
int  bid_json_diags_add(bid_json_diags *j, const char *file, const bid_diag *d);
int  bid_json_diags_write(bid_json_diags *j, FILE *out, bid_error *err);
void bid_json_diags_free(bid_json_diags *j);

#ifdef __cplusplus
}
#endif
#endif
