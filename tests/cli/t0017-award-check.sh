#!/bin/sh
# Every award is re-checked exactly against its rules before it is stored:
# a solver that returned a wrong split (injected with BIDCMP_FAULT) is
# refused, naming the part, and nothing is stored; replay checks too.
. "$(dirname "$0")/lib.sh"

test_ok 'set up and award the demo round' '
	demo_round &&
	bidcmp award MRO-2026-Q4 > /dev/null
'

test_ok 'a split that breaks its costs is refused and nothing is stored' '
	n=$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM awards") &&
	e=$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM events") &&
	BIDCMP_FAULT=award.qty must_fail 1 bidcmp award MRO-2026-Q4 --scenario faulty 2> err &&
	grep -q "award check failed (a bug; nothing stored): part BRK-100: BRITPART.s line cost is not its quantity.s cost" err &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM awards")" = "$n" &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM events")" = "$e" &&
	bidcmp audit verify > /dev/null
'

test_ok 'the same check runs on replay and with rules across parts' '
	BIDCMP_FAULT=award.qty must_fail 1 bidcmp audit replay MRO-2026-Q4 2> err &&
	grep -q "award check failed" err &&
	BIDCMP_FAULT=award.qty must_fail 1 bidcmp award MRO-2026-Q4 --scenario share --max-spend-share 40 2> err &&
	grep -q "award check failed" err &&
	bidcmp award MRO-2026-Q4 --scenario share --max-spend-share 40 > /dev/null &&
	BIDCMP_FAULT=other bidcmp award MRO-2026-Q4 --scenario other > /dev/null
'

done_testing
