#!/bin/sh
# Exchange rates: ECB daily and historical XML, the ECB's CSV, a plain CSV;
# the latest rate on or before the award date; inverse and cross rates,
# exact; a malformed file is refused whole.
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo
fx=$TOP/fixtures/fx

test_ok 'set up an EUR round' '
	bidcmp round create "$d/rfq.xml" > /dev/null
'

test_ok 'the ECB daily file imports every rate' '
	bidcmp fx import "$fx/ecb-daily.xml" > out &&
	grep -q "ecb-daily.xml: 5 rates imported" out &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT base || '"'"' '"'"' || currency || '"'"' '"'"' || rate_micros || '"'"' '"'"' || rate_date || '"'"' '"'"' || source FROM fx_rates WHERE base = '"'"'USD'"'"'")" = "USD EUR 1085600 2026-11-26 ECB ecb-daily.xml"
'

test_ok 'a dollar price becomes euros through the inverse ECB rate, exactly' '
	{ bidcmp check --round MRO-2026-Q4 --preview "$d/quote-ustool.xml" > p 2>/dev/null; true; } &&
	grep -q "BRK-100 (by buyer id): 44.10 USD per 1 C62 x 1/1 C62 per C62 x fx 1/1.0856 = 40.622697 EUR per C62" p
'

test_ok 'the historical file: the latest rate on or before the award date wins' '
	bidcmp fx import "$fx/ecb-hist.xml" > /dev/null &&
	{ BIDCMP_TODAY=2026-11-25 bidcmp check --round MRO-2026-Q4 --preview "$d/quote-ustool.xml" > p 2>/dev/null; true; } &&
	grep -q "BRK-100 .* fx 1/1.0811 = 40.791786 EUR per C62" p &&
	{ BIDCMP_TODAY=2026-11-24 bidcmp check --round MRO-2026-Q4 --preview "$d/quote-ustool.xml" > p2 2>/dev/null; true; } &&
	grep -q "BRK-100 .* ineligible: no exchange rate from USD to EUR on or before 2026-11-24" p2
'

test_ok 'cross rates through the euro: pounds into a crown round' '
	printf "part,description,quantity,unit,need_by\nBRK-100,brake pads,400,C62,\n" > dkk.csv &&
	bidcmp round create dkk.csv --id DKK-1 --currency DKK > /dev/null &&
	{ BIDCMP_TODAY=2026-11-26 bidcmp check --round DKK-1 --preview "$d/quote-britpart.xml" > p 2>/dev/null; true; } &&
	grep -q "BRK-100 (by buyer id): 31.90 GBP per 1 C62 x 1/1 C62 per C62 x fx 7.4585/0.85925 = 276.899796 DKK per C62" p
'

test_ok 'the ECB CSV (one column per currency, N/A gaps) and a plain CSV import' '
	bidcmp fx import "$fx/ecb-hist.csv" "$fx/rates.csv" > out &&
	grep -q "ecb-hist.csv: 5 rates imported" out &&
	grep -q "rates.csv: 2 rates imported" out
'

test_ok 'a malformed rate file is refused with its position and stores nothing' '
	before=$(rows fx_rates) &&
	must_fail 1 bidcmp fx import "$fx/ecb-bad-rate.xml" 2> err &&
	grep -q "ecb-bad-rate.xml:9:4: error: rate .1,0856. is not a decimal" err &&
	printf "date,base,currency,rate\n2026-11-20,EUR,CHF,1.05\n2026-02-30,EUR,PLN,0.23\n" > bad.csv &&
	must_fail 1 bidcmp fx import bad.csv 2> err &&
	grep -q "^bad.csv:3:1: error: " err &&
	printf "<x><!DOCTYPE" > trunc.xml &&
	must_fail 1 bidcmp fx import trunc.xml 2> /dev/null &&
	test "$(rows fx_rates)" = "$before"
'

test_ok 'fx set checks its arguments' '
	must_fail 1 bidcmp fx set XYZ 1.5 --base EUR 2> err && grep -q "unknown currency code .XYZ." err &&
	must_fail 1 bidcmp fx set USD 0 --base EUR 2> err && grep -q "positive" err &&
	must_fail 1 bidcmp fx set USD 1e3 --base EUR 2> err && grep -q "exponent" err &&
	must_fail 1 bidcmp fx set USD 1.1 --base EUR --date 2026-02-30 2> err &&
	must_fail 1 bidcmp fx set USD 1.1 2> err && grep -q "several currencies: give --base" err
'

done_testing
