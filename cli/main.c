/*
 * main.c - the bidcmp command: global options, the command table, and
 * the one place that turns a bid_error into a message and exit status.
 * Uses the public API only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const cli_cmd commands[] = {
	{ "round", cmd_round, CMD_NEEDS_STORE, "create, list and show bid rounds",
	  "usage: bidcmp round create FILE [--id ID] [--currency CUR]\n"
	  "       bidcmp round list\n"
	  "       bidcmp round show ROUND\n"
	  "       bidcmp round policy ROUND [key=value...] [--history]\n"
	  "       bidcmp round commit ROUND SUPPLIER PART QTY\n"
	  "       bidcmp round rules ROUND [--set FILE]\n"
	  "\n"
	  "create  open a round from an RFQ: a UBL RequestForQuotation (2.x) or a CSV\n"
	  "        with the header part,description,quantity,unit,need_by.  Prints the\n"
	  "        round id: --id, else the RFQ's own id, else R<n>.  The round currency\n"
	  "        is the RFQ's pricing currency, else --currency.\n"
	  "list    one line per round: id, currency, parts, quotes, awards, title.\n"
	  "show    the round and its parts.\n"
	  "policy  show or set how prices become landed costs; every change is kept\n"
	  "        with who and when (--history lists them).  Keys: award_date,\n"
	  "        cost_of_capital_pct, early_payment (best|take|ignore),\n"
	  "        freight_pct.INCOTERM, duty_pct.CC, cost_per_defect, max_defect_ppm,\n"
	  "        required_certificates, late_delivery (ineligible|penalty:AMOUNT).\n"
	  "        An empty value removes a key.  See docs/LANDED-COST.md.\n"
	  "commit  a committed minimum from an existing contract: SUPPLIER gets at\n"
	  "        least QTY of PART even when it is not the cheapest (awarded first,\n"
	  "        outside the share rules; the rest is split by the rules).  QTY 0\n"
	  "        withdraws it.  Kept in the policy, with who and when.\n"
	  "rules   write the round's rules for suppliers (its part numbers,\n"
	  "        then the buyer's own rules); --set FILE stores the\n"
	  "        buyer's rules file (see docs/RULES.md) after checking it.\n"
	  "\n"
	  "example: bidcmp round create rfq.xml --id PC-2026\n" },
	{ "fx", cmd_fx, CMD_NEEDS_STORE, "record exchange rates",
	  "usage: bidcmp fx set CUR RATE [--date YYYY-MM-DD] [--base CUR]\n"
	  "       bidcmp fx import FILE...\n"
	  "\n"
	  "RATE is how many units of the round currency one unit of CUR buys, from\n"
	  "--date on (default today).  --base names the round currency; it may be\n"
	  "left out when every round uses the same one.  A quote in a currency with\n"
	  "no rate on or before the award date is ineligible.\n"
	  "\n"
	  "import reads the European Central Bank's euro reference rates (the daily\n"
	  "or historical XML, or the ECB's CSV) or a CSV with the header\n"
	  "date,base,currency,rate.  Each file is all or nothing.  The rate used is\n"
	  "the latest on or before the award date; a currency is converted directly,\n"
	  "through the inverse rate, or crossed through a currency both are quoted\n"
	  "against (the euro, for ECB rates).\n"
	  "\n"
	  "example: bidcmp fx set EUR 7.4604 --date 2026-11-20\n"
	  "         bidcmp fx import eurofxref-hist.xml\n" },
	{ "supplier", cmd_supplier, CMD_NEEDS_STORE, "import the supplier master",
	  "usage: bidcmp supplier import FILE.csv\n"
	  "\n"
	  "The CSV has the header id,name,status,group,capacity,spend_cap,defect_ppm,\n"
	  "otd_pct (any order; only id is required; empty means none).  status is\n"
	  "qualified, probation or blocked.  Each import adds rows; the newest row of\n"
	  "a supplier is in force for later awards: blocked suppliers are\n"
	  "ineligible, defect_ppm stands in where a quote states none, and suppliers\n"
	  "of one group count as one source toward --min-vendors.\n"
	  "\n"
	  "example: bidcmp supplier import suppliers.csv\n" },
	{ "import", cmd_import, CMD_NEEDS_STORE, "import supplier quote files into a round",
	  "usage: bidcmp import ROUND FILE...\n"
	  "\n"
	  "The format is detected from the content (UBL Quotation 2.0-2.3 today).\n"
	  "Each file is one transaction: all of it or none.  A bad file is reported\n"
	  "as FILE:LINE:COL: error: ..., and the other files are still imported;\n"
	  "the exit status is 1 when any file was refused.  A supplier's later quote\n"
	  "replaces its earlier ones in the award.\n"
	  "\n"
	  "example: bidcmp import PC-2026 quotes/*.xml\n" },
	{ "check", cmd_check, 0, "check quote files before sending or importing them",
	  "usage: bidcmp check FILE... [--rules FILE] [--round ROUND] [--preview] [--json]\n"
	  "\n"
	  "Reports every problem in each file, not just the first, the way a\n"
	  "compiler does: FILE:LINE:COL: error|warning: message [rule-id] (for EDI\n"
	  "formats LINE is the segment number and COL the element).  Needs no\n"
	  "database.  Exit status 0 when no file has an error, 1 otherwise.\n"
	  "\n"
	  "Checks: the format's structure, required values, known unit and\n"
	  "currency codes, decimal syntax, positive prices and quantities, price\n"
	  "breaks in increasing order, dates that exist, stated totals against the\n"
	  "lines (a mismatch is a warning).\n"
	  "  --rules FILE   also the buyer's rules: PCRE2 patterns per field with a\n"
	  "                 message (see docs/RULES.md; 'bidcmp round rules' writes one)\n"
	  "  --round ROUND  also against a round of the database (read only): parts\n"
	  "                 exist, units convert, currencies have a rate today\n"
	  "  --preview      with --round: print how each line would be normalised\n"
	  "                 (landed unit cost and its factors)\n"
	  "  --json         the findings as one JSON array for programs\n"
	  "\n"
	  "example: bidcmp check quote.xml --rules acme-rules.txt\n" },
	{ "award", cmd_award, CMD_NEEDS_STORE, "award every part of a round",
	  "usage: bidcmp award ROUND [--scenario NAME] [--min-vendors N] [--max-vendors N]\n"
	  "                          [--min-share PCT] [--max-share PCT] [--independence on|off]\n"
	  "                          [--max-spend-share PCT] [--time-limit S] [--gap PCT]\n"
	  "                          [--export-model FILE]\n"
	  "\n"
	  "Normalises every quote line to a landed unit cost (price / basis quantity x\n"
	  "unit factor x exchange rate) and splits each part among min..max vendors\n"
	  "(default 2..3), each with min..max percent of the demand (default 20..80),\n"
	  "within its offered maximum and at least its minimum order quantity, whole\n"
	  "units for count units, at the least total cost.  Ties: least cost, then\n"
	  "least quantity-weighted lead time, then more to the supplier id that sorts\n"
	  "first.  Parts with too few eligible vendors are awarded among those there\n"
	  "are and flagged 'shortfall'; parts with none are 'unawarded'.  Suppliers\n"
	  "of one group in the supplier master, or quoting goods of one manufacturer,\n"
	  "count as one source (--independence off counts each supplier).  Committed\n"
	  "minimums ('round commit') are awarded first.\n"
	  "Rules across parts - capacities and spend caps from the supplier master,\n"
	  "--max-spend-share (no supplier, or group, above that share of the round's\n"
	  "spend) - make the round one optimisation: Lagrangian decomposition over the\n"
	  "exact per-part splits, with a proven bound; CBC closes the gap on rounds of\n"
	  "up to 200 parts.  --gap (default 0.01) and --time-limit stop it; the bound\n"
	  "and gap are stored.  --export-model writes the round's model in CPLEX LP\n"
	  "format for any MILP solver (e.g. 'cbc FILE solve').  The award is checked\n"
	  "exactly against every rule, stored with the digest of all its inputs, and\n"
	  "reported as a table (docs/AWARD.md).\n"
	  "\n"
	  "example: bidcmp award PC-2026 --max-vendors 2 --min-share 30\n" },
	{ "compare", cmd_compare, CMD_NEEDS_STORE, "compare the awards of two scenarios",
	  "usage: bidcmp compare ROUND SCENARIO SCENARIO\n"
	  "\n"
	  "Per part that differs: each supplier's quantity in either scenario and\n"
	  "what the change costs; then both totals and their difference.\n"
	  "\n"
	  "example: bidcmp compare MRO-2026-Q4 default two-vendors\n" },
	{ "explain", cmd_explain, CMD_NEEDS_STORE, "how each offer for a part becomes its landed cost",
	  "usage: bidcmp explain ROUND PART [SUPPLIER]\n"
	  "\n"
	  "For each offer of the part (or of one supplier): the quoted price and\n"
	  "where it stands in the supplier's document, then one factor a line -\n"
	  "unit, exchange rate, goods, freight, duty, payment terms, quality, late\n"
	  "delivery - to the landed cost per RFQ unit in the round currency, the\n"
	  "price breaks, and whether the offer is eligible and why not.  Uses the\n"
	  "round's policy (bidcmp round policy) and rates in force on its award date.\n"
	  "\n"
	  "example: bidcmp explain MRO-2026-Q4 BRK-100 NORDISK\n" },
	{ "audit", cmd_audit, CMD_NEEDS_STORE, "verify and read the decision history",
	  "usage: bidcmp audit verify [--head HASH]\n"
	  "       bidcmp audit head\n"
	  "       bidcmp audit log [ROUND] [--json]\n"
	  "       bidcmp audit query SQL\n"
	  "       bidcmp audit why ROUND PART [--scenario NAME]\n"
	  "       bidcmp audit replay ROUND [--scenario NAME]\n"
	  "       bidcmp audit flags ROUND\n"
	  "\n"
	  "Every change is an event in an append-only log; each event holds the hash\n"
	  "of the one before and its own SHA-256 (docs/AUDIT.md).\n"
	  "verify  recompute the chain, every document's SHA-256 and the rows each\n"
	  "        import and award wrote, and check the append-only triggers; exit 1\n"
	  "        naming the first problem.  --head HASH: a head published earlier\n"
	  "        must still be in the chain.\n"
	  "head    the latest sequence number and hash, to publish or sign.\n"
	  "log     the history, oldest first; --json for programs.\n"
	  "query   one read-only SQL statement, CSV out; writes, ATTACH, PRAGMA and\n"
	  "        extensions are refused.\n"
	  "why     the decision for one part: every offer's landed cost and verdict,\n"
	  "        the rules that bound, each supplier's share or why none.\n"
	  "replay  re-run the latest award from the inputs it saw (quotes, rates and\n"
	  "        policy as of then, its date and rules) and compare byte for byte.\n"
	  "flags   red flags with their evidence: identical prices across suppliers,\n"
	  "        a shared manufacturer, a dearer offer awarded more than a cheaper\n"
	  "        one, quotes imported after the due date, an award edited by hand.\n"
	  "\n"
	  "example: bidcmp audit query \"SELECT kind, count(*) FROM events GROUP BY kind\"\n" },
	{ "report", cmd_report, CMD_NEEDS_STORE, "report the latest award of a round",
	  "usage: bidcmp report ROUND [--scenario NAME] [--format table|csv|json]\n"
	  "\n"
	  "table  for people: every split, flags, the round total beside the total\n"
	  "       of the cheapest single source per part.\n"
	  "csv    part,supplier,quantity,unit,unit_cost,currency,line_cost,share_pct\n"
	  "       one row per awarded part and supplier, by part then supplier.\n"
	  "json   the whole award, with parameters, digest and reasons.\n"
	  "\n"
	  "example: bidcmp report PC-2026 --format csv > award.csv\n" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void main_help(FILE *out)
{
	size_t i;

	fprintf(out,
	        "usage: bidcmp [--db FILE] [--actor NAME] COMMAND [ARGS]\n"
	        "\n"
	        "bidcmp compares supplier quotes in a bid round and awards each part to\n"
	        "2-3 independent suppliers at the least landed cost, recording every\n"
	        "document and decision in SQLite.\n"
	        "\n"
	        "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
	        "\n"
	        "options:\n"
	        "  --db FILE     the database (default: $BIDCMP_DB, else ./bidcmp.db)\n"
	        "  --actor NAME  who is acting, recorded with changes (default: $USER)\n"
	        "  --version     print the version\n"
	        "\n"
	        "'bidcmp COMMAND --help' describes a command.  Exit status: 0 done,\n"
	        "1 refused (bad input, tamper found), 2 usage error.\n");
}

static const cli_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_help(const char *name)
{
	const cli_cmd *c = find_command(name);

	if (c)
		fputs(c->help, stdout);
	return EXIT_DONE;
}

int cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bidcmp: usage: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'bidcmp %s --help')\n", cmd ? cmd : "");
	return EXIT_USAGE;
}

int cli_fail(const bid_error *err)
{
	const char *msg = err->msg[0] ? err->msg : bid_error_str(err->code);

	if (err->file[0] && err->line > 0)
		fprintf(stderr, "%s:%ld:%ld: error: %s\n", err->file, err->line,
		        err->col > 0 ? err->col : 1, msg);
	else if (err->file[0])
		fprintf(stderr, "%s: error: %s\n", err->file, msg);
	else
		fprintf(stderr, "bidcmp: error: %s\n", msg);
	return err->code == BID_EUSAGE ? EXIT_USAGE : EXIT_REFUSED;
}

void cli_diag(const char *file, const bid_diag *d, void *payload)
{
	(void)payload;
	fprintf(stderr, "%s:%u:%u: %s: %s", file, d->pos.line, d->pos.col ? d->pos.col : 1,
	        d->severity == BID_SEV_ERROR ? "error" : "warning", d->msg);
	if (d->rule)
		fprintf(stderr, " [%s]", d->rule);
	fputc('\n', stderr);
}

int cli_value_or_usage(const char *cmd, int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc)
		return cli_usage(cmd, "%s needs a value", argv[*i]);
	*out = argv[++*i];
	return 0;
}

int cli_int_or_usage(const char *cmd, const char *opt, const char *text,
                     int lo, int hi, int *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (!*text || *end || v < lo || v > hi)
		return cli_usage(cmd, "%s takes a whole number from %d to %d, not '%s'", opt, lo, hi, text);
	*out = (int)v;
	return 0;
}

int cli_pct_or_usage(const char *cmd, const char *opt, const char *text, bid_dec *out)
{
	bid_error e;

	if (bid_dec_parse_cstr(out, text, &e) < 0 || *out < 0 || *out > 100 * BID_DEC_SCALE)
		return cli_usage(cmd, "%s takes a percentage from 0 to 100, not '%s'", opt, text);
	return 0;
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	const cli_cmd *cmd;
	bid_store_options so = BID_STORE_OPTIONS_INIT;
	int i, rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.db_path = getenv("BIDCMP_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "bidcmp.db";

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((rc = cli_value_or_usage(NULL, argc, argv, &i, &ctx.db_path)))
				return rc;
		} else if (strcmp(argv[i], "--actor") == 0) {
			if ((rc = cli_value_or_usage(NULL, argc, argv, &i, &ctx.actor)))
				return rc;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			main_help(stdout);
			return EXIT_DONE;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("bidcmp %s (schema %d)\n", BIDCMP_VERSION, bid_store_schema_version());
			return EXIT_DONE;
		} else {
			fprintf(stderr, "bidcmp: usage: unknown option '%s'\n", argv[i]);
			main_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc && find_command(argv[i + 1]))
			return cli_help(argv[i + 1]);
		main_help(stdout);
		return EXIT_DONE;
	}
	if (!(cmd = find_command(argv[i]))) {
		fprintf(stderr, "bidcmp: usage: unknown command '%s'\n", argv[i]);
		main_help(stderr);
		return EXIT_USAGE;
	}
	if (cli_wants_help(argc - i, argv + i))
		return cli_help(cmd->name);

	if (cmd->flags & CMD_NEEDS_STORE) {
		so.actor = ctx.actor;
		if (bid_store_open(&ctx.store, ctx.db_path, &so, &ctx.err) < 0)
			return cli_fail(&ctx.err);
	}
	rc = cmd->fn(argc - i, argv + i, &ctx);
	bid_store_free(ctx.store);
	if (fflush(stdout) != 0 && rc == EXIT_DONE) {
		fprintf(stderr, "bidcmp: error: cannot write the output\n");
		rc = EXIT_REFUSED;
	}
	return rc;
}
