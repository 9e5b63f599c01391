#!/bin/sh
# The audit trail: every change is an event; verify passes on an honest
# database and names the first problem after each kind of tampering done
# with the sqlite3 tool; the auditor's query is read-only.
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo

setup_round() {
	bidcmp round create "$d/rfq.xml" > /dev/null &&
	bidcmp fx set GBP 1.1650 --date 2026-11-27 > /dev/null &&
	bidcmp fx set DKK 0.134080 --date 2026-11-27 > /dev/null &&
	bidcmp fx set USD 0.9210 --date 2026-11-27 > /dev/null &&
	bidcmp import MRO-2026-Q4 "$d/quote-acme.xml" "$d/quote-britpart.xml" \
		"$d/quote-nordisk.xml" "$d/quote-ustool.xml" > /dev/null &&
	bidcmp --actor carol round policy MRO-2026-Q4 cost_of_capital_pct=5 > /dev/null &&
	bidcmp award MRO-2026-Q4 > /dev/null
}

# tampered SQL: run it on a copy of the clean database, expect verify to fail with PATTERN
tampered() {
	cp "$tmp/clean.db" "$tmp/t.db" &&
	sqlite3 "$tmp/t.db" "$1" &&
	! "$BIDCMP" --db "$tmp/t.db" audit verify > /dev/null 2> verr &&
	grep -q "$2" verr || { cat verr >&2; return 1; }
}

test_ok 'every change is an event, in order, with who did it' '
	setup_round &&
	bidcmp audit log > log &&
	awk "{print \$4}" log | tr "\n" " " > kinds &&
	test "$(cat kinds)" = "round.created fx.set fx.set fx.set document.imported document.imported document.imported document.imported policy.changed award.run report.exported " &&
	grep -q "carol  *policy.changed" log
'

test_ok 'a refused document is an event too, with the refusal' '
	sed "s|>61.00<|>61,00<|" "$d/quote-acme.xml" > bad.xml &&
	must_fail 1 bidcmp import MRO-2026-Q4 bad.xml 2> /dev/null &&
	bidcmp audit log MRO-2026-Q4 --json > log.json &&
	test "$(sqlite3 :memory: "SELECT json_extract(value, '"'"'\$.kind'"'"') FROM json_each(CAST(readfile('"'"'log.json'"'"') AS TEXT)) ORDER BY json_extract(value, '"'"'\$.seq'"'"') DESC LIMIT 1")" = document.refused &&
	grep -q "61,00" log.json
'

test_ok 'verify passes on the honest database; head names the latest event' '
	bidcmp audit verify > out && grep -q "audit verify: ok: 12 events" out &&
	bidcmp audit head > head && test "$(cut -d" " -f1 head)" = 12 &&
	bidcmp audit verify --head "$(cut -d" " -f2 head)" > /dev/null &&
	cp "$BIDCMP_DB" "$tmp/clean.db" && sqlite3 "$tmp/clean.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
'

test_ok 'UPDATE and DELETE are refused by the database itself' '
	! sqlite3 "$BIDCMP_DB" "UPDATE award_lines SET quantity_micros = 1" 2> err &&
	grep -q "append-only" err &&
	! sqlite3 "$BIDCMP_DB" "DELETE FROM events WHERE seq = 3" 2> err &&
	! sqlite3 "$BIDCMP_DB" "UPDATE documents SET content = x'"'"'00'"'"' WHERE id = 2" 2> err &&
	grep -q "kept as received" err
'

test_ok 'tamper: a trigger dropped is named' '
	tampered "DROP TRIGGER award_lines_no_update" "trigger award_lines_no_update is missing"
'

test_ok 'tamper: an award line edited (trigger dropped first) is found' '
	tampered "DROP TRIGGER award_lines_no_update; UPDATE award_lines SET quantity_micros = quantity_micros + 1000000 WHERE supplier_id = '"'"'NORDISK'"'"'; CREATE TRIGGER award_lines_no_update BEFORE UPDATE ON award_lines BEGIN SELECT RAISE(ABORT, '"'"'award_lines are append-only: record a correction instead'"'"'); END" \
		"event 10 (award.run): the rows it wrote have changed since"
'

test_ok 'tamper: an event edited is found by its hash' '
	tampered "DROP TRIGGER events_no_update; UPDATE events SET actor = '"'"'mallory'"'"' WHERE seq = 9; CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '"'"'events are append-only: record a correction instead'"'"'); END" \
		"event 9 (policy.changed): its contents do not match its hash"
'

test_ok 'tamper: an event deleted is found' '
	tampered "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 9; CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, '"'"'events are append-only: record a correction instead'"'"'); END" \
		"event 10: expected event 9 here"
'

test_ok 'tamper: events reordered are found' '
	tampered "DROP TRIGGER events_no_update; UPDATE events SET seq = 100 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 100; CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, '"'"'events are append-only: record a correction instead'"'"'); END" \
		"event 2: its link to the event before does not match\|event 2 (fx.set): its contents"
'

test_ok 'tamper: a document'"'"'s bytes altered are found' '
	tampered "DROP TRIGGER documents_no_update; UPDATE documents SET content = CAST(replace(CAST(content AS TEXT), '"'"'38.50'"'"', '"'"'18.50'"'"') AS BLOB) WHERE id = 2; CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents BEGIN SELECT RAISE(ABORT, '"'"'documents are kept as received'"'"'); END" \
		"document 2 (quote): its bytes do not match its SHA-256"
'

test_ok 'tamper: a quote inserted outside bidcmp is found' '
	tampered "INSERT INTO quotes (round_id, document_id, supplier_id) VALUES ('"'"'MRO-2026-Q4'"'"', 1, '"'"'FRIEND'"'"')" \
		"quote [0-9]*: no event records it"
'

test_ok 'tamper: a rewritten log no longer contains the published head' '
	head=$(cut -d" " -f2 head) &&
	cp "$tmp/clean.db" "$tmp/t.db" &&
	sqlite3 "$tmp/t.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 12; CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, '"'"'events are append-only: record a correction instead'"'"'); END" &&
	"$BIDCMP" --db "$tmp/t.db" audit verify > /dev/null &&
	! "$BIDCMP" --db "$tmp/t.db" audit verify --head "$head" 2> verr &&
	grep -q "is not in the chain" verr
'

test_ok 'audit query reads, and refuses every kind of write' '
	bidcmp audit query "SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind" > q &&
	grep -q "^kind,n$" q && grep -q "^document.imported,4$" q &&
	for sql in "DELETE FROM events" "UPDATE rounds SET title = 1" "INSERT INTO fx_rates (base) VALUES (1)" \
	           "DROP TABLE events" "ATTACH DATABASE '"'"'x.db'"'"' AS x" "PRAGMA journal_mode = DELETE" \
	           "PRAGMA user_version" "SELECT load_extension('"'"'x'"'"')" "CREATE TABLE t (a)" \
	           "BEGIN" "SELECT 1; DELETE FROM events" "VACUUM"; do
		must_fail 1 bidcmp audit query "$sql" 2> err || exit 1
		grep -q "refused\|not authorized" err || { echo "not refused: $sql" >&2; cat err >&2; exit 1; }
	done &&
	bidcmp audit verify > /dev/null
'

test_ok 'audit why: every offer, the rule that bound, and the single-source difference' '
	bidcmp audit why MRO-2026-Q4 BRK-100 > why &&
	grep -q "BRITPART  *landed 37.1635 EUR -> awarded 320 (80.00 %): the maximum share binds" why &&
	grep -q "NORDISK  *landed 37.40832 EUR -> awarded 80 (20.00 %): the minimum share binds" why &&
	grep -q "ACME  *landed 38.50 EUR -> nothing: dearer than every supplier awarded" why &&
	grep -q "cheapest single source, BRITPART, would cost 14865.40: keeping competition costs 19.59" why
'

test_ok 'audit replay: identical from the stored inputs, even after rates, policy and quotes changed' '
	bidcmp audit replay MRO-2026-Q4 > r && grep -q "identical: digest" r &&
	bidcmp fx set GBP 1.5 --date 2026-11-28 > /dev/null &&
	bidcmp round policy MRO-2026-Q4 freight_pct.none=10 > /dev/null &&
	sed "s/AC-7781/AC-9999/; s/>38.50</>20.00</" "$d/quote-acme.xml" > acme2.xml &&
	bidcmp import MRO-2026-Q4 acme2.xml > /dev/null &&
	BIDCMP_TODAY=2026-12-09 bidcmp audit replay MRO-2026-Q4 > r && grep -q "identical" r &&
	bidcmp award MRO-2026-Q4 --scenario later > /dev/null &&
	bidcmp audit replay MRO-2026-Q4 --scenario later > r && grep -q "identical" r
'

test_ok 'audit replay: an award edited behind bidcmp'"'"'s back differs' '
	cp "$tmp/clean.db" "$tmp/t.db" &&
	sqlite3 "$tmp/t.db" "DROP TRIGGER award_lines_no_update; UPDATE award_lines SET supplier_id = '"'"'ACME'"'"' WHERE supplier_id = '"'"'NORDISK'"'"' AND part = '"'"'BRK-100'"'"'" &&
	! "$BIDCMP" --db "$tmp/t.db" audit replay MRO-2026-Q4 > r 2> err &&
	grep -q "part BRK-100 differs" r && grep -q "differs from what was stored" err
'

done_testing
