/*
 * cmd_import.c - `bidcmp import ROUND FILE...`: each file on its own,
 * each reported; exit 1 when any was refused.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_import(int argc, char **argv, cli_ctx *ctx)
{
	bid_import_options o = BID_IMPORT_OPTIONS_INIT;
	bid_round *r;
	int i, failed = 0;

	if (argc < 3)
		return cli_usage("import", "import ROUND FILE...");
	for (i = 2; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("import", "unknown option '%s'", argv[i]);
	if (bid_round_open_for_import(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	o.diag = cli_diag;
	for (i = 2; i < argc; i++) {
		bid_import_stats st;
		bid_error e;

		bid_error_clear(&e);
		if (bid_import_file(r, argv[i], &o, &st, &e) < 0) {
			cli_fail(&e);
			failed++;
			continue;
		}
		printf("%s: imported %zu line%s from supplier %s (%s quote %s, document %lld)",
		       argv[i], st.lines, st.lines == 1 ? "" : "s", st.supplier,
		       bid_format_name(st.format), st.quote_id[0] ? st.quote_id : "-", st.document_id);
		if (st.skipped)
			printf(", %zu line%s not in the round", st.skipped, st.skipped == 1 ? "" : "s");
		printf("\n");
	}
	bid_round_free(r);
	if (failed)
		fprintf(stderr, "bidcmp: %d of %d file%s refused; nothing of %s was stored\n",
		        failed, argc - 2, argc - 2 == 1 ? "" : "s",
		        failed == 1 ? "the refused file" : "the refused files");
	return failed ? EXIT_REFUSED : EXIT_DONE;
}
