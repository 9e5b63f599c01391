/*
 * cmd_round.c - `bidcmp round create|list|show`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int round_create(int argc, char **argv, cli_ctx *ctx)
{
	bid_round_options o = BID_ROUND_OPTIONS_INIT;
	const char *file = NULL;
	bid_round *r;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--id") == 0) {
			if ((rc = cli_value_or_usage("round", argc, argv, &i, &o.id)))
				return rc;
		} else if (strcmp(argv[i], "--currency") == 0) {
			if ((rc = cli_value_or_usage("round", argc, argv, &i, &o.currency)))
				return rc;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("round", "unknown option '%s'", argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return cli_usage("round", "round create takes one FILE");
		}
	}
	if (!file)
		return cli_usage("round", "round create FILE [--id ID] [--currency CUR]");
	if (bid_round_create(&r, ctx->store, file, &o, &ctx->err) < 0)
		return cli_fail(&ctx->err);
	printf("%s\n", bid_round_info_of(r)->id);
	bid_round_free(r);
	return EXIT_DONE;
}

static int print_round(const bid_round_info *info, void *payload)
{
	int *n = payload;

	if ((*n)++ == 0)
		printf("%-20s %-4s %6s %6s %6s  %s\n", "ROUND", "CUR", "PARTS", "QUOTES", "AWARDS", "TITLE");
	printf("%-20s %-4s %6zu %6zu %6zu  %s\n", info->id, info->currency, info->nparts,
	       info->nquotes, info->nawards, info->title ? info->title : "");
	return 0;
}

static int round_list(cli_ctx *ctx)
{
	int n = 0;

	if (bid_round_list(ctx->store, print_round, &n, &ctx->err) < 0)
		return cli_fail(&ctx->err);
	if (n == 0)
		printf("no rounds yet: bidcmp round create FILE\n");
	return EXIT_DONE;
}

static int round_show(const char *id, cli_ctx *ctx)
{
	const bid_round_info *info;
	bid_round *r;
	size_t i;

	if (bid_round_open(&r, ctx->store, id, &ctx->err) < 0)
		return cli_fail(&ctx->err);
	info = bid_round_info_of(r);
	printf("round     %s\n", info->id);
	printf("title     %s\n", info->title ? info->title : "");
	printf("rfq       %s\n", info->rfq_id ? info->rfq_id : "");
	printf("currency  %s\n", info->currency);
	printf("created   %s\n", info->created_at);
	printf("quotes    %zu\n", info->nquotes);
	printf("awards    %zu\n\n", info->nawards);
	printf("%-5s %-18s %12s %-4s %-10s  %s\n", "LINE", "PART", "QUANTITY", "UNIT", "NEED BY", "DESCRIPTION");
	for (i = 0; i < bid_round_part_count(r); i++) {
		const bid_part *p = bid_round_part_at(r, i);
		char q[BID_DEC_FMT_MAX], d[16];

		printf("%-5s %-18s %12s %-4s %-10s  %s\n", p->line_id ? p->line_id : "-", p->part,
		       bid_dec_format(q, sizeof(q), p->qty, 0), p->unit,
		       p->need_by == BID_DATE_NONE ? "-" : bid_date_format(d, sizeof(d), p->need_by),
		       p->description ? p->description : "");
	}
	bid_round_free(r);
	return EXIT_DONE;
}

static int print_policy(const bid_policy_entry *e, void *payload)
{
	(void)payload;
	printf("%-26s %-24s %s by %s\n", e->key, e->value[0] ? e->value : "(removed)",
	       e->set_at, e->set_by);
	return 0;
}

/* `round policy ROUND [key=value...] [--history]` */
static int round_policy(int argc, char **argv, cli_ctx *ctx)
{
	const char *keys[64], *values[64];
	char buf[64][128];
	size_t n = 0;
	int i, history = 0, rc;
	bid_round *r;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage("round", "round policy ROUND [key=value...] [--history]");
	for (i = 2; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (strcmp(argv[i], "--history") == 0) {
			history = 1;
			continue;
		}
		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(buf[0]))
			return cli_usage("round", "policy settings are key=value, not '%s'", argv[i]);
		if (n == sizeof(keys) / sizeof(keys[0]))
			return cli_usage("round", "at most %zu settings at once", n);
		memcpy(buf[n], argv[i], (size_t)(eq - argv[i]));
		buf[n][eq - argv[i]] = '\0';
		keys[n] = buf[n];
		values[n++] = eq + 1;
	}
	if (history && n)
		return cli_usage("round", "--history shows; it does not set");
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = n ? bid_round_policy_set(r, n, keys, values, &ctx->err)
	       : bid_round_policy_each(r, history, print_policy, NULL, &ctx->err);
	bid_round_free(r);
	if (rc < 0)
		return cli_fail(&ctx->err);
	if (n)
		printf("round %s: %zu policy setting%s recorded\n", argv[1], n, n == 1 ? "" : "s");
	return EXIT_DONE;
}

/* `round commit ROUND SUPPLIER PART QTY`: a committed minimum, kept in the policy. */
static int round_commit(int argc, char **argv, cli_ctx *ctx)
{
	char key[160];
	const char *keys[1], *values[1];
	bid_round *r;
	int rc;

	if (argc != 5)
		return cli_usage("round", "round commit ROUND SUPPLIER PART QTY (QTY 0 withdraws it)");
	if ((size_t)snprintf(key, sizeof(key), "commit/%s/%s", argv[2], argv[3]) >= sizeof(key))
		return cli_usage("round", "supplier and part ids are too long");
	keys[0] = key;
	values[0] = argv[4];
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = bid_round_policy_set(r, 1, keys, values, &ctx->err);
	bid_round_free(r);
	if (rc < 0)
		return cli_fail(&ctx->err);
	printf("round %s: %s committed %s of %s\n", argv[1], argv[2], argv[4], argv[3]);
	return EXIT_DONE;
}

static int round_rules(int argc, char **argv, cli_ctx *ctx)
{
	const char *set = NULL;
	bid_round *r;
	int rc;

	if (argc == 4 && strcmp(argv[2], "--set") == 0)
		set = argv[3];
	else if (argc != 2)
		return cli_usage("round", "round rules ROUND [--set FILE]");
	if (bid_round_open(&r, ctx->store, argv[1], &ctx->err) < 0)
		return cli_fail(&ctx->err);
	rc = set ? bid_round_rules_set(r, set, &ctx->err)
	         : bid_round_rules_write(r, stdout, &ctx->err);
	bid_round_free(r);
	if (rc < 0)
		return cli_fail(&ctx->err);
	if (set)
		printf("round %s: rules from %s stored\n", argv[1], set);
	return EXIT_DONE;
}

int cmd_round(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2)
		return cli_usage("round", "round create|list|show ...");
	if (strcmp(argv[1], "create") == 0)
		return round_create(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "list") == 0) {
		if (argc != 2)
			return cli_usage("round", "round list takes no arguments");
		return round_list(ctx);
	}
	if (strcmp(argv[1], "show") == 0) {
		if (argc != 3)
			return cli_usage("round", "round show ROUND");
		return round_show(argv[2], ctx);
	}
	if (strcmp(argv[1], "rules") == 0)
		return round_rules(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "policy") == 0)
		return round_policy(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "commit") == 0)
		return round_commit(argc - 1, argv + 1, ctx);
	return cli_usage("round", "unknown subcommand '%s' (create, list, show, policy, commit, rules)", argv[1]);
}
