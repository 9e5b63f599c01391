/*
 * bench_edifact.c - EDIFACT importer throughput: generates ~200 MB of valid
 * QUOTES in memory, then times the tokenizer alone, bid_import_parse with an
 * empty and a counting sink, and a bare memchr scan.  Standalone: links
 * build/libbidcmp.a, public API plus one bench hook; doubles only for MB/s.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bidcmp/bidcmp.h"

/*
 * CPU time of this process: on a shared, loaded machine the wall clock
 * mostly measures the neighbours.  (BENCH_WALL=1 for the wall clock.)
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(getenv("BENCH_WALL") ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The tokenizer alone, in importers/edifact.c (no public header: a bench hook). */
long bid_edifact__tokenize(const char *data, size_t len);

/* A buffer we append to without bounds checks beyond the reserve. */
typedef struct out {
	char  *p;
	size_t len, cap;
} out;

static void put(out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void put(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cap - o->len < 1024) {
		o->cap = o->cap ? o->cap * 2 : 1 << 20;
		if (!(o->p = realloc(o->p, o->cap))) {
			perror("realloc");
			exit(1);
		}
	}
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

/*
 * One interchange of `msgs` messages of `lines` LIN groups each.  Lines
 * look like real ones: ids, a split title with a released apostrophe,
 * quantities, two price breaks, dates, a reference and an amount.
 */
static void generate(out *o, size_t target)
{
	unsigned long m = 0, l, seg;
	const unsigned long lines = 5000;

	put(o, "UNA:+.? 'UNB+UNOC:3+5412345000020:14+5098765000019:14+260301:0930+BENCH1'\n");
	while (o->len < target) {
		m++;
		seg = 0;
		put(o, "UNH+M%lu+QUOTES:D:96A:UN'\nBGM+310+Q%lu+9'\nDTM+137:20260301:102'\n"
		       "CUX+2:EUR:12'\nPAT+1++5:3:D:30'\nNAD+SU+5412345000020::9++Acme Ltd'\n",
		       m, m);
		seg += 6;
		for (l = 1; l <= lines; l++) {
			put(o, "LIN+%lu++40063813%05lu:EN'PIA+5+AF-%lu-M8:SA'"
			       "IMD+F+050+:::Hex bolt M8 x %lu, zinc pl:ated, the supplier?'s best'"
			       "QTY+21:%lu:PCE'QTY+53:100:PCE'DTM+69:20260415:102'DTM+169:14:804'"
			       "PRI+AAA:24.5:CA::100:PCE'RNG+4+PCE:100:999'"
			       "PRI+AAA:22.75:CA::100:PCE'RNG+4+PCE:1000'RFF+QLI:RFQ-%lu'\n",
			       l, l % 100000, l, l % 90 + 10, 100 + l % 900, l);
			seg += 12;
		}
		put(o, "UNS+S'CNT+2:%lu'UNT+%lu+M%lu'\n", lines, seg + 3, m);
	}
	put(o, "UNZ+%lu+BENCH1'\n", m);
}

static int count_line(const bid_quote_line *l, void *payload)
{
	(void)l;
	(*(size_t *)payload)++;
	return 0;
}

static int count_warn(const bid_diag *d, void *payload)
{
	(void)d;
	(void)payload;
	return 0;
}

/* The floor: find every unreleased terminator with memchr. */
static size_t bare_scan(const char *p, size_t len)
{
	const char *end = p + len, *q;
	size_t n = 0;

	while ((q = memchr(p, '\'', (size_t)(end - p))) != NULL) {
		if (q == p || q[-1] != '?')
			n++;
		p = q + 1;
	}
	return n;
}

int main(int argc, char **argv)
{
	size_t target = (argc > 1 ? (size_t)atol(argv[1]) : 200) << 20;
	bid_import_sink empty = { NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	bid_import_sink counting = { NULL, count_line, NULL, NULL, count_warn, NULL, NULL };
	out o = { NULL, 0, 0 };
	double t0, best_empty = 1e9, best_count = 1e9, best_bare = 1e9, best_tok = 1e9, mb;
	size_t nlines = 0, segs = 0;
	long ntok = 0;
	bid_error err;
	int i, rc;

	generate(&o, target);
	mb = (double)o.len / 1e6;
	printf("generated %.1f MB of EDIFACT QUOTES\n", mb);

	for (i = 0; i < 3; i++) {
		t0 = now();
		segs = bare_scan(o.p, o.len);
		if (now() - t0 < best_bare)
			best_bare = now() - t0;

		t0 = now();
		ntok = bid_edifact__tokenize(o.p, o.len);
		if (now() - t0 < best_tok)
			best_tok = now() - t0;
		if (ntok < 0) {
			fprintf(stderr, "tokenizer failed\n");
			return 1;
		}

		t0 = now();
		rc = bid_import_parse(o.p, o.len, BID_FORMAT_EDIFACT, "bench", &empty, &err);
		if (now() - t0 < best_empty)
			best_empty = now() - t0;
		if (rc != 0) {
			fprintf(stderr, "parse failed: %s:%ld:%ld: %s\n", err.file, err.line, err.col,
			        err.msg);
			return 1;
		}

		nlines = 0;
		counting.payload = &nlines;
		t0 = now();
		rc = bid_import_parse(o.p, o.len, BID_FORMAT_EDIFACT, "bench", &counting, &err);
		if (now() - t0 < best_count)
			best_count = now() - t0;
		if (rc != 0) {
			fprintf(stderr, "parse failed: %s\n", err.msg);
			return 1;
		}
	}
	printf("%zu segments (%ld tokenized), %zu lines; best of 3, %s time\n", segs, ntok,
	       nlines, getenv("BENCH_WALL") ? "wall" : "CPU");
	printf("bare memchr terminator scan : %8.1f MB/s\n", mb / best_bare);
	printf("tokenizer alone             : %8.1f MB/s  (%.3f s)\n", mb / best_tok, best_tok);
	printf("import, empty sink          : %8.1f MB/s  (%.3f s)\n", mb / best_empty, best_empty);
	printf("import, counting sink       : %8.1f MB/s  (%.3f s)\n", mb / best_count, best_count);
	free(o.p);
	return 0;
}
