/*
 * cmd_supplier.c - `bidcmp supplier import FILE.csv`: the supplier master.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_supplier(int argc, char **argv, cli_ctx *ctx)
{
	size_t n;

	if (argc != 3 || strcmp(argv[1], "import") != 0)
		return cli_usage("supplier", "supplier import FILE.csv");
	if (bid_supplier_import(ctx->store, argv[2], &n, &ctx->err) < 0)
		return cli_fail(&ctx->err);
	printf("%s: %zu supplier%s recorded\n", argv[2], n, n == 1 ? "" : "s");
	return EXIT_DONE;
}
