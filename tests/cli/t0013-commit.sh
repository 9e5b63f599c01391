#!/bin/sh
# Committed minimums: a contract honoured even when it is not the cheapest,
# the rest split by the rules, recorded with who and when, replayable.
. "$(dirname "$0")/lib.sh"

test_ok 'a commitment to the dearest supplier is honoured; the rest is split by the rules' '
	demo_round &&
	bidcmp --actor dana round commit MRO-2026-Q4 USTOOL BRK-100 150 > out &&
	grep -q "USTOOL committed 150 of BRK-100" out &&
	bidcmp award MRO-2026-Q4 > /dev/null &&
	bidcmp report MRO-2026-Q4 --format csv | grep "^BRK-100," > got &&
	cat > want <<-EOT &&
	BRK-100,BRITPART,200,C62,37.1635,EUR,7432.70,50.00
	BRK-100,NORDISK,50,C62,37.40832,EUR,1870.42,12.50
	BRK-100,USTOOL,150,C62,40.6161,EUR,6092.42,37.50
	EOT
	test_cmp want got &&
	bidcmp round policy MRO-2026-Q4 | grep -q "^commit/USTOOL/BRK-100  *150 .* by dana$" &&
	bidcmp audit why MRO-2026-Q4 BRK-100 | grep -q "committed minimums awarded first" &&
	bidcmp audit replay MRO-2026-Q4 | grep -q identical
'

test_ok 'a commitment without an eligible offer is named, and 0 withdraws it' '
	bidcmp round commit MRO-2026-Q4 NOBODY BLT-M8 100 > /dev/null &&
	bidcmp award MRO-2026-Q4 --scenario c2 > /dev/null &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT reason FROM award_parts p JOIN awards a ON a.id = p.award_id WHERE a.scenario = '"'"'c2'"'"' AND p.part = '"'"'BLT-M8'"'"'")" = "committed minimums awarded first: commitment to NOBODY has no eligible offer" &&
	bidcmp round commit MRO-2026-Q4 NOBODY BLT-M8 0 > /dev/null &&
	must_fail 1 bidcmp round commit MRO-2026-Q4 USTOOL BRK-100 -5 2> err && grep -q "negative" err
'

done_testing
