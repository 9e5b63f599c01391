/*
 * cmd_report.c - `bidcmp report ROUND [--scenario NAME] [--format F]`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
	bid_report_format fmt = BID_REPORT_TABLE;
	const char *scenario = NULL, *v;
	bid_result *res = NULL;
	bid_round *r;
	int i, rc;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("report", "report ROUND [--scenario NAME] [--format table|csv|json]");
	for (i = 2; i < argc; i++) {
		const char *opt = argv[i];

		if ((rc = cli_value_or_usage("report", argc, argv, &i, &v)))
			return rc;
		if (strcmp(opt, "--scenario") == 0) {
			scenario = v;
		} else if (strcmp(opt, "--format") == 0) {
			if (strcmp(v, "table") == 0)
				fmt = BID_REPORT_TABLE;
			else if (strcmp(v, "csv") == 0)
				fmt = BID_REPORT_CSV;
			else if (strcmp(v, "json") == 0)
				fmt = BID_REPORT_JSON;
			else
				return cli_usage("report", "--format is table, csv or json, not '%s'", v);
		} else {
			return cli_usage("report", "unknown option '%s'", opt);
		}
	}
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = bid_result_load(&res, r, scenario, &ctx->err);
	if (rc == 0)
		rc = bid_report_write(stdout, r, res, fmt, &ctx->err);
	bid_result_free(res);
	bid_round_free(r);
	return rc < 0 ? cli_fail(&ctx->err) : EXIT_DONE;
}
