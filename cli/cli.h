/*
 * cli.h - what the command files share: the context main() prepares,
 * the command signature, and small argument helpers.  The CLI uses the
 * public API (<bidcmp/bidcmp.h>) only.
 */
#ifndef BID_CLI_H
#define BID_CLI_H

#include <stdio.h>
#include <bidcmp/bidcmp.h>

/* Exit statuses (DESIGN.md): done, refused, usage. */
#define EXIT_DONE    0
#define EXIT_REFUSED 1
#define EXIT_USAGE   2

typedef struct cli_ctx {
	const char *db_path;
	const char *actor;
	bid_store  *store;     /* opened by main() for commands that need it */
	bid_error   err;       /* the one error; main() prints it */
} cli_ctx;

typedef int (*cli_fn)(int argc, char **argv, cli_ctx *ctx);

typedef struct cli_cmd {
	const char *name;
	cli_fn      fn;
	unsigned    flags;
	const char *summary;
	const char *help;      /* usage, options, example */
} cli_cmd;

#define CMD_NEEDS_STORE 1u

int cmd_round(int argc, char **argv, cli_ctx *ctx);
int cmd_fx(int argc, char **argv, cli_ctx *ctx);
int cmd_import(int argc, char **argv, cli_ctx *ctx);
int cmd_check(int argc, char **argv, cli_ctx *ctx);
int cmd_explain(int argc, char **argv, cli_ctx *ctx);
int cmd_audit(int argc, char **argv, cli_ctx *ctx);
int cmd_supplier(int argc, char **argv, cli_ctx *ctx);
int cmd_compare(int argc, char **argv, cli_ctx *ctx);
int cmd_award(int argc, char **argv, cli_ctx *ctx);
int cmd_report(int argc, char **argv, cli_ctx *ctx);

/* Print "bidcmp: usage: ..." plus a hint and return EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Print an error the compiler way and return EXIT_REFUSED. */
int cli_fail(const bid_error *err);

/* Print a diagnostic "FILE:LINE:COL: warning: msg [rule]". */
void cli_diag(const char *file, const bid_diag *d, void *payload);

/*
 * Option helpers in the Redis "...OrReply" spirit: parse a value or print
 * the usage error themselves; return 0 or EXIT_USAGE.
 */
int cli_int_or_usage(const char *cmd, const char *opt, const char *text,
                     int lo, int hi, int *out);
int cli_pct_or_usage(const char *cmd, const char *opt, const char *text, bid_dec *out);
/* The value of an option that takes one ("--id X"); advances *i. */
int cli_value_or_usage(const char *cmd, int argc, char **argv, int *i,
                       const char **out);

/* The help of a command, printed when it is given --help. */
int cli_help(const char *name);
int cli_wants_help(int argc, char **argv);

#endif
