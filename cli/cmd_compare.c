/*
 * cmd_compare.c - `bidcmp compare ROUND SCENARIO SCENARIO`.
 */
#include <stdio.h>

#include "cli.h"

int cmd_compare(int argc, char **argv, cli_ctx *ctx)
{
	bid_round *r;
	int rc;

	if (argc != 4)
		return cli_usage("compare", "compare ROUND SCENARIO SCENARIO");
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = bid_compare(stdout, r, argv[2], argv[3], &ctx->err);
	bid_round_free(r);
	return rc < 0 ? cli_fail(&ctx->err) : EXIT_DONE;
}
