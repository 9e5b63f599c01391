#!/bin/sh
# A whole round: import quotes in four currencies and mixed units, award,
# report.  The expected CSV was computed independently (exact fractions)
# from the fixture prices and rates: fixtures/demo/award.expected.csv.
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo

test_ok 'set up: round, rates' '
	bidcmp round create "$d/rfq.xml" >/dev/null &&
	bidcmp fx set GBP 1.1650 --date 2026-11-27 &&
	bidcmp fx set DKK 0.134080 --date 2026-11-27 &&
	bidcmp fx set USD 0.9210 --date 2026-11-27
'

test_ok 'import reports each file and the lines it stored' '
	bidcmp import MRO-2026-Q4 "$d/quote-acme.xml" "$d/quote-britpart.xml" \
		"$d/quote-nordisk.xml" "$d/quote-ustool.xml" > out &&
	grep -q "quote-acme.xml: imported 7 lines from supplier ACME" out &&
	grep -q "quote-ustool.xml: imported 5 lines from supplier USTOOL" out &&
	test "$(rows quote_lines)" = 22
'

test_ok 'the award matches the hand-computed split exactly' '
	bidcmp award MRO-2026-Q4 > table &&
	bidcmp report MRO-2026-Q4 --format csv > award.csv &&
	test_cmp "$d/award.expected.csv" award.csv
'

test_ok 'the table flags the single-source part and shows both totals' '
	grep -q "SNS-PT100.*shortfall: " table &&
	grep -q "Total, split award: *24612.09 EUR" table &&
	grep -q "Total, cheapest single source per part:" table &&
	grep -q "^BRK-100  *14884.99  *14865.40 BRITPART  *19.59$" table &&
	grep -q "^CBL-2.5  *1002.06  *1006.56 BRITPART  *-4.50$" table
'

test_ok 'the ineligible box offer is stored with its reason' '
	sqlite3 "$BIDCMP_DB" "SELECT reason FROM offers WHERE supplier_id = '"'"'USTOOL'"'"' AND part = '"'"'SNS-PT100'"'"'" > why &&
	grep -q "BX is a package unit" why
'

test_ok 'awarding again gives the same award and digest, byte for byte' '
	bidcmp award MRO-2026-Q4 > table2 &&
	bidcmp report MRO-2026-Q4 --format csv > again.csv &&
	test_cmp award.csv again.csv &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(DISTINCT inputs_digest) FROM awards")" = 1 &&
	test "$(rows awards)" = 2
'

test_ok 'json report is valid JSON with exact decimals' '
	bidcmp report MRO-2026-Q4 --format json > award.json &&
	test "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('"'"'award.json'"'"') AS TEXT))")" = 1 &&
	grep -q "\"unit_cost\":37.40832" award.json &&
	grep -q "\"status\":\"shortfall\"" award.json
'

test_ok 'scenarios are kept apart; options change the split' '
	bidcmp award MRO-2026-Q4 --scenario two --max-vendors 2 --min-share 30 >/dev/null &&
	bidcmp report MRO-2026-Q4 --scenario two --format csv > two.csv &&
	grep -q "^BRK-100,BRITPART,280,C62,37.1635,EUR,10405.78,70.00$" two.csv &&
	bidcmp report MRO-2026-Q4 --format csv > default.csv &&
	test_cmp award.csv default.csv
'

test_ok 'the model of a round without rules across parts is exported too' '
	bidcmp award MRO-2026-Q4 --scenario model --export-model model.lp > /dev/null &&
	grep -q "^Minimize" model.lp && grep -qi "^subject to" model.lp &&
	grep -q "^ dem_p0: .* = 400$" model.lp &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT method FROM awards WHERE scenario = '"'"'model'"'"'")" = "enumeration (exact per part)"
'

if command -v cbc > /dev/null; then
test_ok 'the cbc command solves the exported model to the same optimum' '
	obj=$(sqlite3 "$BIDCMP_DB" "SELECT objective_micros FROM awards WHERE scenario = '"'"'model'"'"'") &&
	cbc model.lp solve quit > cbc.out 2>&1 &&
	grep -q "^Result - Optimal solution found" cbc.out &&
	awk -v o="$obj" "/^Objective value:/ { d = \$3 - o / 1e6; if (d < 0) d = -d; found = 1; exit d > 0.0001 } END { if (!found) exit 1 }" cbc.out
'
else
test_skip 'the cbc command solves the exported model to the same optimum' 'no cbc command (Debian coinor-cbc)'
fi

test_ok 'a rate removed by date makes lines ineligible, with the reason' '
	export BIDCMP_TODAY=2026-11-26 &&
	bidcmp award MRO-2026-Q4 --scenario early > early &&
	sqlite3 "$BIDCMP_DB" "SELECT DISTINCT reason FROM offers o WHERE o.scenario = '"'"'early'"'"' AND o.supplier_id = '"'"'NORDISK'"'"'" > why &&
	grep -q "no exchange rate from DKK to EUR on or before 2026-11-26" why
'

test_ok 'the same file twice is refused and stores nothing' '
	before=$(rows documents) &&
	must_fail 1 bidcmp import MRO-2026-Q4 "$d/quote-acme.xml" 2> err &&
	grep -q "already imported into round MRO-2026-Q4" err &&
	test "$(rows documents)" = "$before"
'

test_ok 'a bad file is refused with its position; the good one is still imported' '
	sed "s|<cbc:PriceAmount currencyID=\"EUR\">61.00|<cbc:PriceAmount currencyID=\"EUR\">61,00|" \
		"$d/quote-acme.xml" > bad.xml &&
	sed "s|AC-7781|AC-7782|" "$d/quote-acme.xml" > revised.xml &&
	docs=$(rows documents) && lines=$(rows quote_lines) &&
	must_fail 1 bidcmp import MRO-2026-Q4 bad.xml revised.xml > out 2> err &&
	grep -q "^bad.xml:[0-9]*:[0-9]*: error: .*61,00" err &&
	grep -q "revised.xml: imported 7 lines" out &&
	test "$(rows documents)" = $((docs + 1)) &&
	test "$(rows quote_lines)" = $((lines + 7))
'

test_ok 'a buyer id that disagrees with the RFQ line reference is warned about' '
	sed "s|BRK-100|XYZ-999|" "$d/quote-ustool.xml" > other.xml &&
	bidcmp import MRO-2026-Q4 other.xml > out 2> err &&
	grep -q "warning: line 1: buyer.s item id .XYZ-999. is not a part of round MRO-2026-Q4; matched to BRK-100 by its rfq-line id \\[import.part.mismatch\\]" err
'

test_ok 'a quote for another round keeps unknown parts out, with a warning' '
	sed "s|BRK-100|XYZ-999|; s|RequestForQuotationLineID>1<|RequestForQuotationLineID>99<|" \
		"$d/quote-ustool.xml" > other.xml &&
	bidcmp import MRO-2026-Q4 other.xml > out 2> err &&
	grep -q "warning: .*XYZ-999.* is not a part of round MRO-2026-Q4" err &&
	grep -q "imported 4 lines .*1 line not in the round" out
'

test_ok 'import usage: unknown round exits 1, missing file exits 1' '
	must_fail 1 bidcmp import NOPE "$d/quote-acme.xml" 2>/dev/null &&
	must_fail 1 bidcmp import MRO-2026-Q4 /nonexistent.xml 2> err &&
	grep -q "^/nonexistent.xml: error: cannot open" err &&
	must_fail 2 bidcmp import 2>/dev/null
'

done_testing
