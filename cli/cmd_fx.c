/*
 * cmd_fx.c - `bidcmp fx set CUR RATE [--date D] [--base CUR]` and
 * `bidcmp fx import FILE...` (ECB reference rates or CSV).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int fx_set(int argc, char **argv, cli_ctx *ctx)
{
	const char *cur = NULL, *rate_text = NULL, *date_text = NULL, *base = NULL;
	char basebuf[4];
	bid_date date = BID_DATE_NONE;
	bid_dec rate;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0) {
			if ((rc = cli_value_or_usage("fx", argc, argv, &i, &date_text)))
				return rc;
		} else if (strcmp(argv[i], "--base") == 0) {
			if ((rc = cli_value_or_usage("fx", argc, argv, &i, &base)))
				return rc;
		} else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
			return cli_usage("fx", "unknown option '%s'", argv[i]);
		} else if (!cur) {
			cur = argv[i];
		} else if (!rate_text) {
			rate_text = argv[i];
		} else {
			return cli_usage("fx", "fx set CUR RATE [--date YYYY-MM-DD] [--base CUR]");
		}
	}
	if (!cur || !rate_text)
		return cli_usage("fx", "fx set CUR RATE [--date YYYY-MM-DD] [--base CUR]");
	if (bid_dec_parse_cstr(&rate, rate_text, &ctx->err) < 0) {
		fprintf(stderr, "bidcmp: error: rate '%s': %s\n", rate_text, ctx->err.msg);
		return EXIT_REFUSED;
	}
	if (date_text && bid_date_parse(&date, date_text, strlen(date_text), 0, &ctx->err) < 0) {
		fprintf(stderr, "bidcmp: error: date '%s': %s\n", date_text, ctx->err.msg);
		return EXIT_REFUSED;
	}
	if (!base) {
		if (bid_store_round_currency(ctx->store, basebuf, &ctx->err) < 0)
			return cli_fail(&ctx->err);
		base = basebuf;
	}
	if (bid_fx_set(ctx->store, base, cur, rate, date, "manual", &ctx->err) < 0)
		return cli_fail(&ctx->err);
	{
		char d[16];
		printf("1 %s = %s %s from %s\n", cur, rate_text, base,
		       bid_date_format(d, sizeof(d), date == BID_DATE_NONE ? bid_date_today() : date));
	}
	return EXIT_DONE;
}

static int fx_import(int argc, char **argv, cli_ctx *ctx)
{
	int i, failed = 0;

	if (argc < 2)
		return cli_usage("fx", "fx import FILE...");
	for (i = 1; i < argc; i++) {
		size_t n;
		bid_error e;

		bid_error_clear(&e);
		if (bid_fx_import(ctx->store, argv[i], &n, &e) < 0) {
			cli_fail(&e);
			failed++;
			continue;
		}
		printf("%s: %zu rate%s imported\n", argv[i], n, n == 1 ? "" : "s");
	}
	return failed ? EXIT_REFUSED : EXIT_DONE;
}

int cmd_fx(int argc, char **argv, cli_ctx *ctx)
{
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return fx_set(argc - 1, argv + 1, ctx);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return fx_import(argc - 1, argv + 1, ctx);
	return cli_usage("fx", "fx set CUR RATE [--date YYYY-MM-DD] [--base CUR] | fx import FILE...");
}
