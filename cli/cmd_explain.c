/*
 * cmd_explain.c - `bidcmp explain ROUND PART [SUPPLIER]`.
 */
#include <stdio.h>

#include "cli.h"

int cmd_explain(int argc, char **argv, cli_ctx *ctx)
{
	bid_round *r;
	int rc;

	if (argc < 3 || argc > 4)
		return cli_usage("explain", "explain ROUND PART [SUPPLIER]");
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = bid_explain(stdout, r, argv[2], argc == 4 ? argv[3] : NULL, &ctx->err);
	bid_round_free(r);
	return rc < 0 ? cli_fail(&ctx->err) : EXIT_DONE;
}
