/*
 * bidcmp/store.h - the database handle.  One SQLite file holds rounds,
 * raw documents, quotes, rates and awards; the schema migrates itself
 * on open.  Callers see only this opaque handle.
 */
#ifndef BIDCMP_STORE_H
#define BIDCMP_STORE_H

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bid_store bid_store;

/** Options for bid_store_open. */
typedef struct bid_store_options {
	unsigned    version;         /* BID_STORE_OPTIONS_VERSION */
	int         readonly;        /* open without write access */
	const char *actor;           /* who acts, recorded with changes; NULL = OS user */
	int         busy_timeout_ms; /* wait for a lock this long; 0 = 5000 */
} bid_store_options;

#define BID_STORE_OPTIONS_VERSION 1
#define BID_STORE_OPTIONS_INIT { BID_STORE_OPTIONS_VERSION, 0, NULL, 0 }

/**
 * Open (creating it when absent, unless readonly) the database at path.
 * The file is put in WAL mode with foreign keys on, and its schema is
 * migrated to the current version (PRAGMA user_version).
 *
 * @param out  receives the handle; release it with bid_store_free
 * @param opts NULL for defaults
 * @return 0, BID_EIO when the file cannot be opened or migrated,
 *         BID_EINVALID when it is not a bidcmp database or is newer
 *         than this program
 */
int bid_store_open(bid_store **out, const char *path,
                   const bid_store_options *opts, bid_error *err);

/** Close the database.  NULL is a no-op. */
void bid_store_free(bid_store *store);

/** The schema version this program writes. */
int bid_store_schema_version(void);

#ifdef __cplusplus
}
#endif
#endif
