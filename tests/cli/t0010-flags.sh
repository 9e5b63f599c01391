#!/bin/sh
# audit flags: each red flag with its evidence.
. "$(dirname "$0")/lib.sh"
f=$TOP/fixtures/flags

test_ok 'identical prices, a shared manufacturer and a dearer offer awarded more' '
	bidcmp round create "$f/rfq.csv" --id FL --currency EUR > /dev/null &&
	bidcmp import FL "$f/quote-a.csv" "$f/quote-b.csv" > /dev/null &&
	bidcmp award FL > /dev/null &&
	bidcmp audit flags FL > flags &&
	grep -q "^flag identical-prices: ALPHA and BETA quote identical prices on 3 of 4 shared parts: F-1=5.000000 EUR, F-2=3.100000 EUR, F-3=1.250000 EUR$" flags &&
	grep -q "^flag shared-manufacturer: part F-1: ALPHA,BETA all offer goods made by HANSEN GMBH$" flags &&
	grep -q "^flag dearer-got-more: award 1 (default), part F-4: BETA got 80 at landed 9.500000, more than ALPHA (20 at 9.000000) - the cheaper offered no more$" flags &&
	grep -q "^3 flags in round FL$" flags
'

test_ok 'an award edited by hand is flagged' '
	sqlite3 "$BIDCMP_DB" "DROP TRIGGER award_lines_no_update; UPDATE award_lines SET quantity_micros = 70000000 WHERE supplier_id = '"'"'BETA'"'"' AND part = '"'"'F-2'"'"'" &&
	bidcmp audit flags FL > flags &&
	grep -q "^flag award-overridden: replay of award 1 differs from what was stored" flags
'

test_ok 'quotes imported after the RFQ'"'"'s due date are flagged' '
	bidcmp round create "$TOP/fixtures/demo/rfq.xml" > /dev/null &&
	bidcmp import MRO-2026-Q4 "$TOP/fixtures/demo/quote-acme.xml" > /dev/null &&
	bidcmp audit flags MRO-2026-Q4 > flags &&
	grep -q "^flag late-document: document [0-9]* (.*quote-acme.xml) imported 20[0-9-]*T[0-9:]*Z by .*, after the round closed on 2026-11-20$" flags
'

done_testing
