#!/bin/sh
# The digest an import records over the rows it wrote (taken while they are
# written) is the one `audit verify` recomputes from the tables, for every
# format, with and without price breaks, NULLs and skipped lines; and a
# change to any of those rows afterwards is still caught.
. "$(dirname "$0")/lib.sh"
f=$TOP/fixtures

# tampered SQL: on a copy of the clean database, verify must fail naming an import
tampered() {
	rm -f "$tmp/t.db" "$tmp/t.db-wal" "$tmp/t.db-shm" &&
	cp "$tmp/clean.db" "$tmp/t.db" &&
	sqlite3 "$tmp/t.db" "$1" &&
	! "$BIDCMP" --db "$tmp/t.db" audit verify > /dev/null 2> verr &&
	grep -q "document.imported): the rows it wrote have changed since" verr ||
		{ cat verr >&2; return 1; }
}

test_ok 'quotes of every format import, and verify recomputes each digest alike' '
	bidcmp round create "$f/ubl/rfq-full.xml" > /dev/null &&
	bidcmp import RFQ-7 "$f/ubl/quote-full.xml" "$f/cxml/quote-full.xml" \
		"$f/x12/quote-full.x12" "$f/csvquote/full.csv" > out &&
	test "$(grep -c imported out)" = 4 &&
	test "$(rows quote_tiers)" -gt 0 &&
	bidcmp audit verify > out && grep -q "audit verify: ok" out &&
	cp "$BIDCMP_DB" "$tmp/clean.db" && sqlite3 "$tmp/clean.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
'

test_ok 'tamper: a price break changed afterwards is caught' '
	tampered "DROP TRIGGER quote_tiers_no_update; UPDATE quote_tiers SET price_micros = price_micros - 1 WHERE (line_id, seq) = (SELECT line_id, seq FROM quote_tiers ORDER BY line_id DESC, seq DESC LIMIT 1); CREATE TRIGGER quote_tiers_no_update BEFORE UPDATE ON quote_tiers BEGIN SELECT RAISE(ABORT, '"'"'quote_tiers are append-only: record a correction instead'"'"'); END"
'

test_ok 'tamper: a NULL column of a line filled in afterwards is caught' '
	tampered "DROP TRIGGER quote_lines_no_update; UPDATE quote_lines SET min_qty_micros = 1 WHERE id = (SELECT min(id) FROM quote_lines WHERE min_qty_micros IS NULL); CREATE TRIGGER quote_lines_no_update BEFORE UPDATE ON quote_lines BEGIN SELECT RAISE(ABORT, '"'"'quote_lines are append-only: record a correction instead'"'"'); END"
'

test_ok 'tamper: a line of the last import deleted is caught' '
	tampered "DROP TRIGGER quote_lines_no_delete; DELETE FROM quote_lines WHERE id = (SELECT max(id) FROM quote_lines); CREATE TRIGGER quote_lines_no_delete BEFORE DELETE ON quote_lines BEGIN SELECT RAISE(ABORT, '"'"'quote_lines are append-only: record a correction instead'"'"'); END"
'

done_testing
