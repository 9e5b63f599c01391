/*
 * cmd_audit.c - `bidcmp audit verify|head|log|query|why`: the auditor's
 * commands.  verify exits 1 when it finds any change.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int print_event(const bid_event *e, void *payload)
{
	(void)payload;
	printf("%6lld  %s  %-10s %-18s %-14s %s\n", e->seq, e->at, e->actor, e->kind,
	       e->round_id ? e->round_id : "-", e->payload);
	return 0;
}

static int audit_verify(int argc, char **argv, cli_ctx *ctx)
{
	const char *head = NULL;
	long long n;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--head") == 0) {
			if ((rc = cli_value_or_usage("audit", argc, argv, &i, &head)))
				return rc;
		} else {
			return cli_usage("audit", "audit verify [--head HASH]");
		}
	}
	if (bid_audit_verify(ctx->store, head, &n, &ctx->err) < 0) {
		fprintf(stderr, "bidcmp: audit verify FAILED: %s\n", ctx->err.msg);
		return EXIT_REFUSED;
	}
	printf("audit verify: ok: %lld event%s chained, documents and awards as recorded%s\n", n,
	       n == 1 ? "" : "s", head ? ", published head found" : "");
	return EXIT_DONE;
}

int cmd_audit(int argc, char **argv, cli_ctx *ctx)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "verify") == 0)
		return audit_verify(argc - 1, argv + 1, ctx);
	if (strcmp(sub, "head") == 0) {
		long long seq;
		char hash[65];

		if (argc != 2)
			return cli_usage("audit", "audit head");
		if (bid_audit_head(ctx->store, &seq, hash, &ctx->err) < 0)
			return cli_fail(&ctx->err);
		printf("%lld %s\n", seq, hash);
		return EXIT_DONE;
	}
	if (strcmp(sub, "log") == 0) {
		const char *round = NULL;
		int i, json = 0;

		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--json") == 0)
				json = 1;
			else if (argv[i][0] != '-' && !round)
				round = argv[i];
			else
				return cli_usage("audit", "audit log [ROUND] [--json]");
		}
		if ((json ? bid_audit_log_json(ctx->store, round, stdout, &ctx->err)
		          : bid_audit_each(ctx->store, round, print_event, NULL, &ctx->err)) < 0)
			return cli_fail(&ctx->err);
		return EXIT_DONE;
	}
	if (strcmp(sub, "query") == 0) {
		if (argc != 3)
			return cli_usage("audit", "audit query SQL (one statement, in quotes)");
		/* its own read-only connection: the shared handle is not used */
		if (bid_audit_query(ctx->db_path, argv[2], stdout, &ctx->err) < 0)
			return cli_fail(&ctx->err);
		return EXIT_DONE;
	}
	if (strcmp(sub, "why") == 0) {
		const char *scenario = NULL;
		bid_round *r;
		int rc;

		if (argc == 6 && strcmp(argv[4], "--scenario") == 0)
			scenario = argv[5];
		else if (argc != 4)
			return cli_usage("audit", "audit why ROUND PART [--scenario NAME]");
		if (bid_round_open(&r, ctx->store, argv[2], &ctx->err) < 0)
			return cli_fail(&ctx->err);
		rc = bid_audit_why(stdout, r, argv[3], scenario, &ctx->err);
		bid_round_free(r);
		return rc < 0 ? cli_fail(&ctx->err) : EXIT_DONE;
	}
	if (strcmp(sub, "flags") == 0) {
		bid_round *r;
		size_t n = 0;
		int rc;

		if (argc != 3)
			return cli_usage("audit", "audit flags ROUND");
		if (bid_round_open(&r, ctx->store, argv[2], &ctx->err) < 0)
			return cli_fail(&ctx->err);
		rc = bid_audit_flags(stdout, r, &n, &ctx->err);
		bid_round_free(r);
		if (rc < 0)
			return cli_fail(&ctx->err);
		printf("%zu flag%s in round %s\n", n, n == 1 ? "" : "s", argv[2]);
		return EXIT_DONE;
	}
	if (strcmp(sub, "replay") == 0) {
		const char *scenario = NULL;
		bid_round *r;
		int rc;

		if (argc == 5 && strcmp(argv[3], "--scenario") == 0)
			scenario = argv[4];
		else if (argc != 3)
			return cli_usage("audit", "audit replay ROUND [--scenario NAME]");
		if (bid_round_open(&r, ctx->store, argv[2], &ctx->err) < 0)
			return cli_fail(&ctx->err);
		rc = bid_audit_replay(stdout, r, scenario, &ctx->err);
		bid_round_free(r);
		return rc < 0 ? cli_fail(&ctx->err) : EXIT_DONE;
	}
	return cli_usage("audit", "audit verify [--head HASH] | head | log [ROUND] [--json] | query SQL"
	                 " | why ROUND PART [--scenario NAME] | replay ROUND [--scenario NAME] | flags ROUND");
}
