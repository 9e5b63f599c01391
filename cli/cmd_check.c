/*
 * cmd_check.c - `bidcmp check FILE... [--rules FILE] [--round ROUND]
 * [--preview] [--json]`: the supplier's checker.  Needs no database
 * unless --round names one, and then only reads it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct check_out {
	bid_json_diags *json;
	int             failed;   /* JSON writer failed */
} check_out;

static void print_diag(const char *file, const bid_diag *d, void *payload)
{
	check_out *co = payload;

	if (co->json) {
		if (bid_json_diags_add(co->json, file, d) < 0)
			co->failed = 1;
		return;
	}
	cli_diag(file, d, NULL);
}

static void print_preview(const char *file, bid_pos pos, const char *text, void *payload)
{
	(void)payload;
	printf("%s:%u: %s\n", file, pos.line, text);
}

int cmd_check(int argc, char **argv, cli_ctx *ctx)
{
	bid_check_options o = BID_CHECK_OPTIONS_INIT;
	bid_store_options so = BID_STORE_OPTIONS_INIT;
	const char *rules_path = NULL, *round_id = NULL;
	bid_rules *rules = NULL;
	bid_round *round = NULL;
	check_out co = { NULL, 0 };
	size_t errors = 0, warnings = 0, nfiles = 0;
	int i, rc, json = 0, status = EXIT_DONE;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0) {
			if ((rc = cli_value_or_usage("check", argc, argv, &i, &rules_path)))
				return rc;
		} else if (strcmp(argv[i], "--round") == 0) {
			if ((rc = cli_value_or_usage("check", argc, argv, &i, &round_id)))
				return rc;
		} else if (strcmp(argv[i], "--preview") == 0) {
			o.preview = 1;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("check", "unknown option '%s'", argv[i]);
		} else {
			nfiles++;
		}
	}
	if (nfiles == 0)
		return cli_usage("check", "check FILE... [--rules FILE] [--round ROUND] [--preview] [--json]");
	if (o.preview && !round_id)
		return cli_usage("check", "--preview needs --round: the landed cost is per the round's units and currency");

	if (rules_path && bid_rules_load(&rules, rules_path, &ctx->err) < 0)
		return cli_fail(&ctx->err);
	if (round_id) {
		so.readonly = 1;
		/* the round's parts in memory for --preview only; the index is enough to match */
		if (bid_store_open(&ctx->store, ctx->db_path, &so, &ctx->err) < 0 ||
		    (o.preview ? bid_round_open(&round, ctx->store, round_id, &ctx->err)
		               : bid_round_open_for_import(&round, ctx->store, round_id, &ctx->err)) < 0) {
			bid_rules_free(rules);
			return cli_fail(&ctx->err);
		}
	}
	if (json && bid_json_diags_new(&co.json, &ctx->err) < 0) {
		status = cli_fail(&ctx->err);
		goto done;
	}
	o.rules = rules;
	o.round = round;
	o.diag = print_diag;
	o.preview_line = print_preview;
	o.payload = &co;
	for (i = 1; i < argc; i++) {
		bid_check_stats st;
		bid_error e;

		if (strcmp(argv[i], "--rules") == 0 || strcmp(argv[i], "--round") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		bid_error_clear(&e);
		if (bid_check_file(argv[i], &o, &st, &e) < 0) {
			bid_diag d = { BID_SEV_ERROR, { 0, 0 }, "file.read", e.msg };
			print_diag(argv[i], &d, &co);
			errors++;
			continue;
		}
		errors += st.errors;
		warnings += st.warnings;
		if (!json)
			fprintf(stderr, "%s: %s, %zu quote%s, %zu line%s: %zu error%s, %zu warning%s\n",
			        argv[i], bid_format_name(st.format), st.quotes, st.quotes == 1 ? "" : "s",
			        st.lines, st.lines == 1 ? "" : "s", st.errors, st.errors == 1 ? "" : "s",
			        st.warnings, st.warnings == 1 ? "" : "s");
	}
	if (co.json && (co.failed || bid_json_diags_write(co.json, stdout, &ctx->err) < 0)) {
		status = cli_fail(&ctx->err);
		goto done;
	}
	status = errors ? EXIT_REFUSED : EXIT_DONE;
done:
	bid_json_diags_free(co.json);
	bid_round_free(round);
	bid_rules_free(rules);
	(void)warnings;
	return status;
}
