/*
 * bench_x12.c - throughput of the X12 843 importer: generates about
 * BENCH_X12_MB (default 200) MB of valid 843 in memory, then times the
 * tokenizer alone and bid_import_parse with an empty sink, and prints MB/s.
 * Standalone: links with build/libbidcmp.a; no files, no database.
 *
 *   cc -std=c11 -O2 -Iinclude -Iimporters -o bench/out/bench_x12 bench/bench_x12.c \
 *      build/libbidcmp.a $(pkg-config --libs sqlite3 libxml-2.0 libpcre2-8 libcrypto) -lm
 *   bench/out/bench_x12 [MB]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "importer.h"

/* The tokenizer alone, in importers/x12.c (not part of any API). */
int bid_x12__scan(const char *data, size_t len, size_t *nsegments, size_t *nelements);

#define LINES_PER_SET 1000

typedef struct buf {
	char  *p;
	size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		fprintf(stderr, "bench_x12: generator buffer too small\n");
		exit(1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void putf(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void putf(buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(b, tmp, (size_t)n);
}

/* splitmix64: deterministic, no rand(), no floating point. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/*
 * One interchange, one group, transaction sets of LINES_PER_SET lines
 * until `target` bytes: each line a PO1 with three product ids, two CTP
 * price breaks, an LDT, a DTM and a PID, CR LF after every terminator.
 */
static void generate(buf *b, size_t target, size_t *nlines)
{
	static const char *units[] = { "EA", "EA", "EA", "LB", "FT", "KG", "CA", "DZ" };
	uint64_t seed = 1;
	unsigned long set = 0;
	size_t lines = 0;

	put(b, "ISA*00*          *00*          *ZZ*BENCHSUPPLIER  *ZZ*BENCHBUYER     "
	       "*240301*1200*^*00501*000000001*0*P*>~\r\n", 108);
	putf(b, "GS*RR*BENCHSUPPLIER*BENCHBUYER*20240301*1200*1*X*005010~\r\n");
	while (b->len < target) {
		uint32_t st_seg = 0;
		int i;

		set++;
		putf(b, "ST*843*%04lu~\r\n", set % 10000);
		putf(b, "BQR*00*RFQ-%lu*20240301~\r\nCUR*SE*USD~\r\nITD*01*3*2**10**30~\r\n"
		        "DTM*036*20240430~\r\nN1*SE*Bench Supplier Inc*1*%09lu~\r\n", set, set);
		st_seg = 6;
		for (i = 1; i <= LINES_PER_SET; i++) {
			uint64_t r = next(&seed);
			unsigned cents = 100 + (unsigned)(r % 99900);
			unsigned qty = 10 + (unsigned)((r >> 20) % 9990);

			putf(b, "PO1*%d*%u*%s*%u.%02u*PE*BP*B-%06u*VN*V-%06u*MG*M-%06u~\r\n", i, qty,
			     units[(r >> 40) % 8], cents / 100, cents % 100, (unsigned)(r % 999999),
			     (unsigned)((r >> 8) % 999999), (unsigned)((r >> 16) % 999999));
			putf(b, "CTP**QTE*%u.%02u*%u~\r\nCTP**QTE*%u.%02u*%u~\r\n",
			     (cents * 95 / 100) / 100, (cents * 95 / 100) % 100, qty * 2,
			     (cents * 90 / 100) / 100, (cents * 90 / 100) % 100, qty * 5);
			putf(b, "PID*F****Bench part %d of set %lu~\r\nLDT*AF*%u*DA~\r\nDTM*002*20240615~\r\n",
			     i, set, 3 + (unsigned)((r >> 50) % 60));
			st_seg += 6;
		}
		putf(b, "CTT*%d~\r\nSE*%u*%04lu~\r\n", LINES_PER_SET, st_seg + 2, set % 10000);
		lines += LINES_PER_SET;
	}
	putf(b, "GE*%lu*1~\r\nIEA*1*000000001~\r\n", set);
	*nlines = lines;
}

/*
 * CPU time of this process: on a shared machine wall time measures the
 * neighbours too.  BENCH_X12_WALL=1 measures wall time instead.
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(getenv("BENCH_X12_WALL") ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_lines(const bid_quote_line *l, void *payload)
{
	(void)l;
	++*(size_t *)payload;
	return 0;
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) :
	            getenv("BENCH_X12_MB") ? (size_t)strtoul(getenv("BENCH_X12_MB"), NULL, 10) : 200;
	bid_import_sink empty, counting;
	size_t nlines = 0, nseg = 0, nel = 0, got = 0;
	double t0, t, best_scan = 1e9, best_parse = 1e9, best_count = 1e9;
	bid_error err;
	buf b;
	int run, rc;

	if (mb == 0)
		mb = 200;
	b.cap = mb * 1000000 + (1u << 20);
	b.len = 0;
	if (!(b.p = malloc(b.cap))) {
		fprintf(stderr, "bench_x12: out of memory\n");
		return 1;
	}
	generate(&b, mb * 1000000, &nlines);
	printf("x12 843: %.1f MB, %zu lines, %zu per transaction set\n", (double)b.len / 1e6, nlines,
	       (size_t)LINES_PER_SET);

	memset(&empty, 0, sizeof(empty));
	memset(&counting, 0, sizeof(counting));
	counting.quote_line = count_lines;
	counting.payload = &got;
	for (run = 0; run < 3; run++) {
		t0 = now();
		if ((rc = bid_x12__scan(b.p, b.len, &nseg, &nel)) != 0) {
			fprintf(stderr, "bench_x12: the tokenizer refused the file (%d)\n", rc);
			return 1;
		}
		if ((t = now() - t0) < best_scan)
			best_scan = t;
		t0 = now();
		if ((rc = bid_import_parse(b.p, b.len, BID_FORMAT_X12, "bench", &empty, &err)) != 0) {
			fprintf(stderr, "bench_x12: %ld:%ld: %s\n", err.line, err.col, err.msg);
			return 1;
		}
		if ((t = now() - t0) < best_parse)
			best_parse = t;
		got = 0;
		t0 = now();
		if ((rc = bid_import_parse(b.p, b.len, BID_FORMAT_X12, "bench", &counting, &err)) != 0) {
			fprintf(stderr, "bench_x12: %ld:%ld: %s\n", err.line, err.col, err.msg);
			return 1;
		}
		if ((t = now() - t0) < best_count)
			best_count = t;
		if (got != nlines) {
			fprintf(stderr, "bench_x12: %zu lines delivered, %zu generated\n", got, nlines);
			return 1;
		}
	}
	printf("tokenizer alone:          %8.3f s  %8.1f MB/s  (%zu segments, %zu elements)\n",
	       best_scan, (double)b.len / 1e6 / best_scan, nseg, nel);
	printf("bid_import_parse, empty:  %8.3f s  %8.1f MB/s\n", best_parse,
	       (double)b.len / 1e6 / best_parse);
	printf("bid_import_parse, lines:  %8.3f s  %8.1f MB/s  (%.2f M lines/s)\n", best_count,
	       (double)b.len / 1e6 / best_count, (double)nlines / 1e6 / best_count);
	printf("best of 3 runs, %s time; target: at least 200 MB/s\n",
	       getenv("BENCH_X12_WALL") ? "wall" : "CPU");
	free(b.p);
	return (double)b.len / 1e6 / best_parse >= 200 ? 0 : 2;
}
