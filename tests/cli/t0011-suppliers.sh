#!/bin/sh
# The supplier master: blocked suppliers are ineligible, suppliers of one
# parent company (or quoting one manufacturer's goods) are one source, the
# history's defect rate prices quality, and it is all in the audit log.
. "$(dirname "$0")/lib.sh"

test_ok 'set up the demo round' '
	demo_round
'

test_ok 'supplier import records the master, as a document and an event' '
	bidcmp supplier import "$TOP/fixtures/suppliers/master.csv" > out &&
	grep -q "4 suppliers recorded" out &&
	bidcmp audit log | grep -q "suppliers.imported" &&
	bidcmp audit verify > /dev/null
'

test_ok 'a blocked supplier is ineligible, with the reason' '
	bidcmp explain MRO-2026-Q4 GRS-EP2 USTOOL > ex &&
	grep -q "verdict   ineligible: supplier USTOOL is blocked in the supplier master" ex
'

test_ok 'one parent company is one source: a shortfall, and off counts each' '
	bidcmp award MRO-2026-Q4 > table &&
	grep -q "^OIL-HYD46  *NORDISK .*100.00%  shortfall: only 1 independent eligible source (min 2).*independence: suppliers of one group or manufacturer counted as one" table &&
	bidcmp award MRO-2026-Q4 --scenario each --independence off > table2 &&
	grep -q "^OIL-HYD46  *ACME .* 20.00%" table2 &&
	bidcmp audit replay MRO-2026-Q4 --scenario each > /dev/null
'

test_ok 'the history'"'"'s defect rate prices quality where the quote states none' '
	bidcmp round policy MRO-2026-Q4 cost_per_defect=50 > /dev/null &&
	bidcmp explain MRO-2026-Q4 BRK-100 BRITPART > ex &&
	grep -q "quality  *+  *0.0225 EUR per C62   450 ppm x 50.00 per defect (the supplier.s history)" ex
'

test_ok 'a bad master is refused with its position and stores nothing' '
	before=$(rows suppliers) &&
	printf "id,status\nX1,retired\n" > bad.csv &&
	must_fail 1 bidcmp supplier import bad.csv 2> err &&
	grep -q "^bad.csv:2:4: error: status .retired.: expected qualified, probation or blocked" err &&
	printf "id,colour\nX1,red\n" > bad2.csv &&
	must_fail 1 bidcmp supplier import bad2.csv 2> err &&
	grep -q "unknown column .colour." err &&
	printf "id\nX1\nX1\n" > dup.csv &&
	must_fail 1 bidcmp supplier import dup.csv 2> err && grep -q "appears twice" err &&
	test "$(rows suppliers)" = "$before"
'

done_testing
