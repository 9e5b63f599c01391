/*
 * bidcmp/error.h - result codes and the one error struct every fallible
 * call takes last.  Depends on nothing; every layer may include it.
 */
#ifndef BIDCMP_ERROR_H
#define BIDCMP_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes.  0 is success; every failure is negative. */
enum {
	BID_OK         =  0,
	BID_ERROR      = -1,  /* generic failure */
	BID_EINVALID   = -2,  /* bad input: a file, a value, an argument */
	BID_ENOTFOUND  = -3,  /* no such round, part, supplier, rate... */
	BID_EEXISTS    = -4,  /* the thing already exists */
	BID_EIO        = -5,  /* file or database I/O failed */
	BID_ENOMEM     = -6,  /* out of memory */
	BID_ERANGE     = -7,  /* a number does not fit */
	BID_EINFEASIBLE = -8, /* the rules admit no award */
	BID_EUSAGE     = -9,  /* the caller used the API or command wrongly */
	BID_ESTOP      = -10  /* a callback asked to stop; not an error of ours */
};

/** Where an error was raised. */
enum {
	BID_AREA_NONE = 0,
	BID_AREA_STORE,
	BID_AREA_IMPORT,
	BID_AREA_ENGINE,
	BID_AREA_CLI
};

/**
 * The error struct.  Callers own it (usually on the stack) and pass it
 * last; NULL is allowed and means "I don't want details".  The function
 * that knows the cause fills it in; callers above pass the code through
 * unchanged and do not re-wrap the message.
 *
 * For import errors `line` and `col` give the position in the input
 * (for EDI formats `line` is the segment number and `col` the element);
 * `file` names the input when the error concerns one.
 */
typedef struct bid_error {
	int  code;        /* BID_OK or a BID_E* code */
	int  area;        /* BID_AREA_* */
	int  cause;       /* native code: sqlite rc, libxml2 code, errno; 0 if none */
	long line, col;   /* input position, 0 if none */
	char file[256];   /* input name, "" if none */
	char msg[256];    /* one line, no trailing newline */
} bid_error;

/** Reset err (if not NULL) to BID_OK with empty texts. */
void bid_error_clear(bid_error *err);

/**
 * Fill err (if not NULL) and return code, so a caller can write
 * `return bid_error_set(err, BID_EINVALID, BID_AREA_ENGINE, "...", ...)`.
 * The message is printf-formatted and truncated to fit.
 */
int bid_error_set(bid_error *err, int code, int area, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/** Like bid_error_set, also recording an input position. */
int bid_error_set_at(bid_error *err, int code, int area, const char *file,
                     long line, long col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;

/** A static English name for a code ("invalid input", ...). */
const char *bid_error_str(int code);

#ifdef __cplusplus
}
#endif
#endif
