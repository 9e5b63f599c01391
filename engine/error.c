/*
 * error.c - the bid_error struct: set, clear, name a code.
 * Depends only on the C library; importers and the store use it too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bidcmp/error.h"

void bid_error_clear(bid_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static void vset(bid_error *err, int code, int area, const char *fmt, va_list ap)
{
	err->code = code;
	err->area = area;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int bid_error_set(bid_error *err, int code, int area, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	bid_error_clear(err);
	va_start(ap, fmt);
	vset(err, code, area, fmt, ap);
	va_end(ap);
	return code;
}

int bid_error_set_at(bid_error *err, int code, int area, const char *file,
                     long line, long col, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	bid_error_clear(err);
	va_start(ap, fmt);
	vset(err, code, area, fmt, ap);
	va_end(ap);
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->col = col;
	return code;
}

const char *bid_error_str(int code)
{
	switch (code) {
	case BID_OK:          return "ok";
	case BID_EINVALID:    return "invalid input";
	case BID_ENOTFOUND:   return "not found";
	case BID_EEXISTS:     return "already exists";
	case BID_EIO:         return "I/O error";
	case BID_ENOMEM:      return "out of memory";
	case BID_ERANGE:      return "number out of range";
	case BID_EINFEASIBLE: return "infeasible";
	case BID_EUSAGE:      return "usage error";
	case BID_ESTOP:       return "stopped";
	default:              return "error";
	}
}
