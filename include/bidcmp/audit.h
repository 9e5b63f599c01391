/*
 * bidcmp/audit.h - the audit trail: every state change is an event in an
 * append-only, hash-chained log; auditors verify the chain, the documents
 * and the awards, read the history, and query the database read-only.
 */
#ifndef BIDCMP_AUDIT_H
#define BIDCMP_AUDIT_H

#include <stdio.h>
#include "round.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One event; strings valid during the callback that hands it over. */
typedef struct bid_event {
	long long   seq;
	const char *at;        /* UTC, ISO 8601 */
	const char *actor;
	const char *kind;      /* round.created, document.imported, award.run, ... */
	const char *round_id;  /* or NULL */
	const char *payload;   /* canonical JSON (SQLite's json_object, keys in a fixed order) */
	const char *prev_hash; /* 64 hex digits; 64 zeros for the first event */
	const char *hash;      /* SHA-256 over seq, at, actor, kind, round, payload, prev_hash */
} bid_event;

/** Call cb for each event (of one round, or all when round_id is NULL), oldest first. */
int bid_audit_each(bid_store *store, const char *round_id,
                   int (*cb)(const bid_event *e, void *payload), void *payload,
                   bid_error *err);

/** The events (of one round, or all) as one JSON array, oldest first. */
int bid_audit_log_json(bid_store *store, const char *round_id, FILE *out, bid_error *err);

/** The latest event's sequence number and hash, to publish or sign elsewhere. */
int bid_audit_head(bid_store *store, long long *seq, char hash[65], bid_error *err);

/**
 * Recompute the chain, every document's SHA-256, the digests recorded for
 * imports and awards, and check that the append-only triggers are intact.
 * `head` (may be NULL) is a hash published earlier: it must still be in
 * the chain.  On the first problem: BID_EINVALID, with err->msg naming the
 * event (or row) and what is wrong.  `events_out` (may be NULL) receives
 * the number of events checked.
 * @return 0 when everything holds, BID_EINVALID on tampering, BID_EIO
 */
int bid_audit_verify(bid_store *store, const char *head, long long *events_out,
                     bid_error *err);

/**
 * Run one read-only SQL statement for an auditor on the database at path
 * and print its rows as CSV with a header.  The connection is opened read
 * only, and an authorizer refuses anything but reading: no writes, no
 * ATTACH, no PRAGMA, no extension loading, no transactions.
 * @return 0, BID_EINVALID (refused or bad SQL, err says why), BID_EIO
 */
int bid_audit_query(const char *path, const char *sql, FILE *out, bid_error *err);

/**
 * The decision for one part in the round's latest award of a scenario
 * (NULL: "default"): every offer with its landed cost and verdict, the
 * rule that bound each awarded share (in a coupled award also a capacity,
 * spend cap or spend-share cap used up across the round), why each other
 * offer got nothing, and the difference to the cheapest single source.
 * From the stored award, as it was decided.
 * @return 0, BID_ENOTFOUND (no award, or no such part), BID_EIO
 */
int bid_audit_why(FILE *out, bid_round *round, const char *part, const char *scenario,
                  bid_error *err);

/**
 * Red flags for auditors in a round, each with its evidence, one a line:
 * suppliers quoting identical prices on many parts, suppliers offering
 * the same manufacturer's goods, a dearer offer awarded more than a
 * cheaper one, quotes imported after the round's due date, and an award
 * that no longer matches its replay (edited by hand).
 * @return 0 (look at *count_out), BID_EIO
 */
int bid_audit_flags(FILE *out, bid_round *round, size_t *count_out, bid_error *err);

/**
 * Re-run the latest award of a scenario (NULL = "default") from the inputs
 * it saw (the quotes, rates and policy recorded as of then, its date and
 * its rules) and compare the result with what was stored: the inputs
 * digest and every part, line and cost.  Prints what it compared.
 * @return 0 when identical, BID_EINVALID when anything differs, BID_ENOTFOUND
 */
int bid_audit_replay(FILE *out, bid_round *round, const char *scenario, bid_error *err);

#ifdef __cplusplus
}
#endif
#endif
