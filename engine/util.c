/*
 * util.c - small engine helpers: allocation that aborts on OOM, the
 * string arena, UTC time, the acting user, and SHA-256 via OpenSSL.
 * Depends on the C library and libcrypto only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <pwd.h>

#include <openssl/evp.h>

#include "internal.h"

static void oom(size_t n)
{
	fprintf(stderr, "bid: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *bid__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *bid__calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *bid__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *bid__strdup(const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = bid__malloc(n);
	memcpy(p, s, n);
	return p;
}

/* Blocks of at least 16 KiB; a larger request gets a block of its own. */
struct bid_arena_block {
	struct bid_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

void *bid__arena_alloc(bid_arena *a, size_t n)
{
	struct bid_arena_block *b = a->head;
	size_t align = _Alignof(max_align_t);

	n = (n + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < n) {
		size_t size = n > 16384 ? n : 16384;
		b = bid__malloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

char *bid__arena_strdup(bid_arena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = bid__arena_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

void bid__arena_free(bid_arena *a)
{
	struct bid_arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

char *bid__utc_now(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

const char *bid__default_actor(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (!u || !*u)
		u = getenv("LOGNAME");
	/* a service or CI job may have no USER: ask the system who we are */
	if ((!u || !*u) && (pw = getpwuid(getuid())) != NULL)
		u = pw->pw_name;
	return u && *u ? u : "unknown";
}

static void to_hex(const unsigned char *md, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

/*
 * Digests are fed many small fields; buffering them saves most of the
 * per-call cost of EVP_DigestUpdate.
 */
struct bid_sha256 {
	EVP_MD_CTX   *ctx;
	size_t        used;
	unsigned char buf[8192];
};

static void sha_flush(bid_sha256 *h)
{
	if (h->used)
		EVP_DigestUpdate(h->ctx, h->buf, h->used);
	h->used = 0;
}

bid_sha256 *bid__sha256_new(void)
{
	bid_sha256 *h = bid__malloc(sizeof(*h));

	h->used = 0;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		oom(sizeof(*h));
	return h;
}

void bid__sha256_add(bid_sha256 *h, const void *data, size_t len)
{
	if (len == 0)
		return;          /* data may be NULL then (an absent string) */
	if (len > sizeof(h->buf) - h->used) {
		sha_flush(h);
		if (len > sizeof(h->buf)) {
			EVP_DigestUpdate(h->ctx, data, len);
			return;
		}
	}
	memcpy(h->buf + h->used, data, len);
	h->used += len;
}

void bid__sha256_add_i64(bid_sha256 *h, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	bid__sha256_add(h, b, 8);
}

void bid__sha256_add_str(bid_sha256 *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	/* length first, so ("ab","c") and ("a","bc") differ; NULL is -1 */
	bid__sha256_add_i64(h, s ? (int64_t)n : -1);
	bid__sha256_add(h, s, n);
}

void bid__sha256_addf(bid_sha256 *h, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		bid__sha256_add(h, buf, (size_t)n);
	} else {
		/* Rare: a long field.  Format again into a buffer that fits. */
		char *big = bid__malloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		bid__sha256_add(h, big, (size_t)n);
		free(big);
	}
}

void bid__sha256_done(bid_sha256 *h, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	sha_flush(h);
	EVP_DigestFinal_ex(h->ctx, md, &n);
	EVP_MD_CTX_free(h->ctx);
	free(h);
	to_hex(md, out);
}

void bid__sha256_hex(const void *data, size_t len, char out[65])
{
	bid_sha256 *h = bid__sha256_new();

	bid__sha256_add(h, data, len);
	bid__sha256_done(h, out);
}

int bid__file_map(bid_file *f, const char *path, bid_error *err)
{
	struct stat st;
	void *p;
	int fd;

	f->data = NULL;
	f->len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bid_error_set_at(err, BID_EIO, BID_AREA_IMPORT, path, 0, 0,
		                        "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return bid_error_set_at(err, BID_EIO, BID_AREA_IMPORT, path, 0, 0,
		                        "not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, path, 1, 1,
		                        "empty file");
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return bid_error_set_at(err, BID_EIO, BID_AREA_IMPORT, path, 0, 0,
		                        "cannot map: %s", strerror(errno));
	f->data = p;
	f->len = (size_t)st.st_size;
	return 0;
}

void bid__file_release(bid_file *f, size_t upto)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (upto > f->len)
		upto = f->len;
	upto -= upto % page;
	if (f->data && upto > 0)
		madvise((void *)f->data, upto, MADV_DONTNEED);
}

void bid__file_unmap(bid_file *f)
{
	if (f->data)
		munmap((void *)f->data, f->len);
	f->data = NULL;
	f->len = 0;
}
