#!/bin/sh
# Rules across parts: a supplier's capacity from the master, a cap on any
# supplier's share of the round's spend, the proven bound and gap, the
# exported model, infeasible rules named, and replay of a coupled award.
. "$(dirname "$0")/lib.sh"

test_ok 'set up the demo round' '
	demo_round
'

test_ok 'a capacity of 4,000 pieces moves bolts from NORDISK to ACME, proven optimal' '
	bidcmp supplier import "$TOP/fixtures/suppliers/capacity.csv" > /dev/null &&
	bidcmp award MRO-2026-Q4 --export-model model.lp > table &&
	grep -q "^BLT-M8  *ACME  *2176 C62 " table &&
	grep -q "^  *NORDISK  *3824 C62 " table &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT sum(l.quantity_micros) / 1000000 FROM award_lines l JOIN parts p ON p.round_id = '"'"'MRO-2026-Q4'"'"' AND p.part = l.part WHERE l.supplier_id = '"'"'NORDISK'"'"' AND p.unit = '"'"'C62'"'"'")" = 4000 &&
	grep -q "Method: coupled: .*gap 0 ppm (optimal)" table &&
	bidcmp audit why MRO-2026-Q4 BLT-M8 > why &&
	grep -q "^  NORDISK  *landed 0.085811 EUR -> awarded 3824 (63.73 %): its capacity binds across the round (4000 of 4000)$" why &&
	grep -q "^ *s2 = NORDISK$\|NORDISK" model.lp && grep -qi "^subject to" model.lp
'

test_ok 'a 40 % spend-share cap is honoured, with its bound and gap' '
	bidcmp award MRO-2026-Q4 --scenario share --max-spend-share 40 > table &&
	grep -q "proven bound [0-9.]*, gap [0-9]* ppm" table &&
	total=$(sqlite3 "$BIDCMP_DB" "SELECT total_micros FROM awards WHERE scenario = '"'"'share'"'"'") &&
	sqlite3 "$BIDCMP_DB" "SELECT l.supplier_id, sum(l.line_cost_micros) FROM award_lines l JOIN awards a ON a.id = l.award_id WHERE a.scenario = '"'"'share'"'"' GROUP BY l.supplier_id" > spend &&
	awk -F"|" -v t="$total" "{ if (\$2 * 10 > t * 4 + 10 * 1000000) { print \"over 40 %: \" \$0; bad = 1 } } END { exit bad }" spend &&
	bidcmp audit replay MRO-2026-Q4 --scenario share > r && grep -q identical r &&
	bidcmp audit why MRO-2026-Q4 OIL-HYD46 --scenario share > why &&
	grep -q "^  NORDISK  *landed 2.868538 EUR -> awarded 631.218673 (78.90 %): the 40 % cap on a supplier.s share of the round.s spend binds$" why &&
	bidcmp audit why MRO-2026-Q4 OIL-HYD46 > why &&
	! grep -q "capacity binds" why
'

test_ok 'rules that cannot all hold are refused naming the rule' '
	must_fail 1 bidcmp award MRO-2026-Q4 --scenario tight --max-spend-share 10 2> err &&
	grep -q "no award meets the rules: .*share" err
'

test_ok 'compare shows per part who gets what in each scenario and the cost' '
	bidcmp compare MRO-2026-Q4 default share > cmp &&
	grep -q "^BRK-100  *BRITPART  *320  *[0-9]* *[0-9.]*$" cmp &&
	grep -q "parts\{0,1\} changed.  Total: default 24618.13, share [0-9.]*: +[0-9.]* EUR$" cmp &&
	bidcmp audit log | grep -q "scenario.compared" &&
	must_fail 1 bidcmp compare MRO-2026-Q4 default nosuch 2> err && grep -q "no award .nosuch." err
'

test_ok 'the report says what it would take if each supplier failed' '
	bidcmp report MRO-2026-Q4 > rep &&
	grep -q "^  NORDISK  *on 5 parts; cannot be covered on BLT-M8$" rep &&
	grep -q "^  USTOOL  *on 1 part; the others cover it for 22.35 EUR more$" rep
'

test_ok 'commitments and a capacity together: the committed part is fixed first, the rest optimised around it' '
	bidcmp round commit MRO-2026-Q4 USTOOL BRK-100 150 > /dev/null &&
	bidcmp award MRO-2026-Q4 --scenario committed > table &&
	grep -q "Method: coupled: .*committed parts fixed first; proven bound" table &&
	grep -q "^BRK-100  *BRITPART  *200 C62 " table &&
	grep -q "^  *NORDISK  *50 C62 " table &&
	grep -q "^  *USTOOL  *150 C62 .*37.50%$" table &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT sum(l.quantity_micros) / 1000000 FROM award_lines l JOIN awards a ON a.id = l.award_id JOIN parts p ON p.round_id = a.round_id AND p.part = l.part WHERE a.scenario = '"'"'committed'"'"' AND l.supplier_id = '"'"'NORDISK'"'"' AND p.unit = '"'"'C62'"'"'")" = 4000 &&
	grep -q "^  *NORDISK  *3854 C62 " table &&
	bidcmp audit why MRO-2026-Q4 BRK-100 --scenario committed > why &&
	grep -q "scenario .committed.$" why &&
	grep -q "^  USTOOL  *landed .* -> awarded 150 (37.50 %): its committed minimum (an existing contract) binds$" why &&
	grep -q "^  BRITPART  *landed .* -> awarded 200 (50.00 %): the maximum share binds$" why &&
	must_fail 1 bidcmp audit why MRO-2026-Q4 BRK-100 --scenario nosuch 2> err &&
	sqlite3 "$BIDCMP_DB" "SELECT p.reason FROM award_parts p JOIN awards a ON a.id = p.award_id WHERE a.scenario = '"'"'committed'"'"' AND p.part = '"'"'BRK-100'"'"'" | grep -q "^committed minimums awarded first$" &&
	bidcmp audit replay MRO-2026-Q4 --scenario committed | grep -q identical
'

test_ok 'a commitment beyond a capacity is refused naming the supplier and the part' '
	bidcmp round commit MRO-2026-Q4 NORDISK BLT-M8 5000 > /dev/null &&
	n=$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM awards") &&
	must_fail 1 bidcmp award MRO-2026-Q4 --scenario over 2> err &&
	grep -q "no award meets the rules: capacity of supplier NORDISK (4000) is below the 5850 its parts must give it (part BLT-M8 needs the most)" err &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM awards")" = "$n" &&
	bidcmp round commit MRO-2026-Q4 NORDISK BLT-M8 0 > /dev/null
'

done_testing
