#!/bin/sh
# Landed cost with provenance: the round policy (kept with who and when),
# explain's derivation factor by factor, and an award that prices by the
# price breaks.  Values computed by hand (docs/LANDED-COST.md shows how).
. "$(dirname "$0")/lib.sh"
l=$TOP/fixtures/landed

test_ok 'set up: a round and two bid sheets' '
	bidcmp round create "$l/rfq.csv" --id VALVES --currency EUR > /dev/null &&
	bidcmp import VALVES "$l/quote-a.csv" "$l/quote-b.csv" > /dev/null
'

test_ok 'policy: settings are checked, stored together, and shown with who and when' '
	bidcmp --actor alice round policy VALVES cost_of_capital_pct=10 cost_per_defect=20 \
		late_delivery=penalty:0.02 > out &&
	grep -q "3 policy settings recorded" out &&
	bidcmp round policy VALVES > shown &&
	grep -q "^cost_of_capital_pct  *10  *[0-9T:-]*Z by alice$" shown &&
	test "$(wc -l < shown)" = 3
'

test_ok 'a bad setting is refused and nothing of the command is stored' '
	before=$(rows round_policy) &&
	must_fail 1 bidcmp round policy VALVES cost_per_defect=5 freight_pct.XYZ=2 2> err &&
	grep -q "freight_pct.XYZ: unknown incoterm" err &&
	must_fail 1 bidcmp round policy VALVES cost_of_capital_pct=150 2> err &&
	grep -q "a percentage from 0 to 100" err &&
	must_fail 1 bidcmp round policy VALVES colour=red 2> err &&
	grep -q "unknown policy key .colour." err &&
	must_fail 2 bidcmp round policy VALVES nonsense 2> /dev/null &&
	test "$(rows round_policy)" = "$before"
'

test_ok 'history keeps every change, removals too' '
	bidcmp --actor bob round policy VALVES cost_per_defect= > /dev/null &&
	bidcmp round policy VALVES --history > h &&
	test "$(wc -l < h)" = 4 &&
	grep -q "^cost_per_defect  *(removed) .* by bob$" h &&
	bidcmp --actor bob round policy VALVES cost_per_defect=20 > /dev/null
'

test_ok 'explain derives the landed cost one factor a line, with positions' '
	bidcmp explain VALVES V-10 FLOWTEC > ex &&
	grep -q "quoted  *11.80 EUR per 1 C62 .*quote-b.csv:2:34" ex &&
	grep -q "goods  *+  *11.80 EUR per C62" ex &&
	grep -q "payment  *-  *0.03224 EUR per C62   10 days. credit at 10% a year" ex &&
	grep -q "quality  *+  *0.002 EUR per C62   100 ppm x 20.00 per defect" ex &&
	grep -q "late  *+  *0.28 EUR per C62   arrives 2027-02-14, late" ex &&
	grep -q "landed  *=  *12.04976 EUR per C62" ex &&
	grep -q "verdict   eligible" ex
'

test_ok 'explain shows the price breaks at landed cost' '
	bidcmp explain VALVES V-10 VALVCO > ex &&
	grep -q "landed  *=  *11.81593 EUR per C62" ex &&
	grep -q "breaks  *from 150 C62: 11.225633 EUR per C62" ex
'

test_ok 'the award prices by the break the awarded quantity reaches' '
	bidcmp award VALVES > table &&
	bidcmp report VALVES --format csv > got &&
	cat > want <<-EOT &&
	part,supplier,quantity,unit,unit_cost,currency,line_cost,share_pct
	V-10,FLOWTEC,40,C62,12.04976,EUR,481.99,20.00
	V-10,VALVCO,160,C62,11.225633,EUR,1796.10,80.00
	EOT
	test_cmp want got &&
	grep -q "Total, cheapest single source per part: *2245.13 EUR" table
'

test_ok 'every factor is stored beside the award' '
	test "$(sqlite3 "$BIDCMP_DB" "SELECT goods_micros || '"'"' '"'"' || payment_micros || '"'"' '"'"' || quality_micros || '"'"' '"'"' || late_micros || '"'"' '"'"' || days_late FROM offers WHERE supplier_id = '"'"'FLOWTEC'"'"'")" = "11800000 -32240 2000 280000 14" &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM award_offer_tiers")" = 2
'

test_ok 'late deliveries are ineligible unless the policy charges for them' '
	bidcmp round policy VALVES late_delivery=ineligible > /dev/null &&
	bidcmp explain VALVES V-10 FLOWTEC > ex &&
	grep -q "verdict   ineligible: delivers on 2027-02-14, 14 days after the need-by date 2027-01-31" ex
'

test_ok 'explain: unknown part or supplier exits 1' '
	must_fail 1 bidcmp explain VALVES NOPE 2> err && grep -q "has no part .NOPE." err &&
	must_fail 1 bidcmp explain VALVES V-10 NOBODY 2> err && grep -q "no offer for part V-10 from NOBODY" err
'

done_testing
