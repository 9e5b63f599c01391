/*
 * cmd_award.c - `bidcmp award ROUND [options]`: award, store, print the table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_award(int argc, char **argv, cli_ctx *ctx)
{
	bid_award_options o = BID_AWARD_OPTIONS_INIT;
	const char *v;
	bid_result *res;
	bid_round *r;
	int i, rc;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("award", "award ROUND [options]");
	for (i = 2; i < argc; i++) {
		const char *opt = argv[i];

		if ((rc = cli_value_or_usage("award", argc, argv, &i, &v)))
			return rc;
		if (strcmp(opt, "--scenario") == 0)
			o.scenario = v;
		else if (strcmp(opt, "--min-vendors") == 0)
			rc = cli_int_or_usage("award", opt, v, 1, 8, &o.min_vendors);
		else if (strcmp(opt, "--max-vendors") == 0)
			rc = cli_int_or_usage("award", opt, v, 1, 8, &o.max_vendors);
		else if (strcmp(opt, "--min-share") == 0)
			rc = cli_pct_or_usage("award", opt, v, &o.min_share_pct);
		else if (strcmp(opt, "--max-share") == 0)
			rc = cli_pct_or_usage("award", opt, v, &o.max_share_pct);
		else if (strcmp(opt, "--max-spend-share") == 0)
			rc = cli_pct_or_usage("award", opt, v, &o.max_spend_share_pct);
		else if (strcmp(opt, "--time-limit") == 0) {
			int secs;
			if (!(rc = cli_int_or_usage("award", opt, v, 1, 86400, &secs)))
				o.time_limit_ms = 1000LL * secs;
		} else if (strcmp(opt, "--gap") == 0) {
			bid_dec pct;
			if (!(rc = cli_pct_or_usage("award", opt, v, &pct)))
				o.gap_ppm = pct / 100;      /* percent (10^-6) -> parts per million */
		} else if (strcmp(opt, "--export-model") == 0)
			o.export_model = v;
		else if (strcmp(opt, "--independence") == 0) {
			if (strcmp(v, "on") == 0)
				o.independence = 1;
			else if (strcmp(v, "off") == 0)
				o.independence = 0;
			else
				return cli_usage("award", "--independence is on or off, not '%s'", v);
		}
		else
			return cli_usage("award", "unknown option '%s'", opt);
		if (rc)
			return rc;
	}
	if (o.min_vendors > o.max_vendors)
		return cli_usage("award", "--min-vendors %d is more than --max-vendors %d",
		                 o.min_vendors, o.max_vendors);
	if (o.min_share_pct > o.max_share_pct)
		return cli_usage("award", "--min-share is more than --max-share");
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	if (bid_round_award(&res, r, &o, &ctx->err) < 0 ||
	    bid_report_write(stdout, r, res, BID_REPORT_TABLE, &ctx->err) < 0) {
		bid_round_free(r);
		return cli_fail(&ctx->err);
	}
	bid_result_free(res);
	bid_round_free(r);
	return EXIT_DONE;
}
