#!/bin/sh
# bidcmp check: every finding, rules files, --round, --preview, --json;
# and that checking never writes a database.
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo

test_ok 'good quotes check clean without any database' '
	bidcmp check "$d/quote-acme.xml" "$d/quote-nordisk.xml" 2> err &&
	grep -q "quote-acme.xml: ubl, 1 quote, 7 lines: 0 errors, 0 warnings" err &&
	test ! -e "$BIDCMP_DB"
'

test_ok 'several problems in one file are all reported, with positions and rule ids' '
	sed "s|unitCode=\"KGM\">250|unitCode=\"KGX\">250|; s|currencyID=\"EUR\">0.89<|currencyID=\"EUX\">0.89<|" \
		"$d/quote-acme.xml" > two.xml &&
	must_fail 1 bidcmp check two.xml 2> err &&
	grep -q "^two.xml:[0-9]*:[0-9]*: error: unknown unit code .KGX.* \[line.unit.unknown\]$" err &&
	grep -q "^two.xml:[0-9]*:[0-9]*: error: unknown currency code .EUX.* \[line.currency.unknown\]$" err &&
	grep -q "2 errors" err
'

test_ok '--json gives the same findings as one JSON array' '
	must_fail 1 bidcmp check two.xml --json > out.json &&
	test "$(sqlite3 :memory: "SELECT json_array_length(CAST(readfile('"'"'out.json'"'"') AS TEXT))")" = 2 &&
	test "$(sqlite3 :memory: "SELECT json_extract(CAST(readfile('"'"'out.json'"'"') AS TEXT), '"'"'\$[0].rule'"'"')")" = line.currency.unknown
'

test_ok 'a JSON run on a clean file prints an empty array' '
	bidcmp check "$d/quote-acme.xml" --json > clean.json &&
	test "$(cat clean.json)" = "[]"
'

test_ok 'rules: patterns per field with messages and severities' '
	cat > rules.txt <<-EOT &&
	# our part numbers: three letters, a dash, digits
	[part.format]
	field = buyer_part
	pattern = ^[A-Z]{3}-[0-9]+\$
	message = part numbers look like ABC-123
	[supplier.number]
	field = supplier
	pattern = ^S[0-9]{5}\$
	message = use the supplier number we gave you
	severity = warning
	EOT
	must_fail 1 bidcmp check --rules rules.txt "$d/quote-acme.xml" 2> err &&
	grep -q "warning: supplier .ACME.: use the supplier number we gave you \[supplier.number\]" err &&
	grep -q "error: buyer_part .CBL-2.5.: part numbers look like ABC-123 \[part.format\]" err &&
	test "$(grep -c "\[part.format\]" err)" = 6
'

test_ok 'a bad pattern is an error at its line and column' '
	printf "[x]\nfield = part\npattern = ^(abc\nmessage = m\n" > bad-rules.txt &&
	must_fail 1 bidcmp check --rules bad-rules.txt "$d/quote-acme.xml" 2> err &&
	grep -q "^bad-rules.txt:3:16: error: rule \[x\]: bad pattern: missing closing parenthesis" err
'

test_ok 'an unknown field or key in a rules file is named' '
	printf "[x]\nfield = colour\n" > f.txt &&
	must_fail 1 bidcmp check --rules f.txt "$d/quote-acme.xml" 2> err &&
	grep -q "^f.txt:2:9: error: unknown field .colour." err &&
	printf "[x]\nfield = part\ncolour = red\n" > k.txt &&
	must_fail 1 bidcmp check --rules k.txt "$d/quote-acme.xml" 2> err &&
	grep -q "^k.txt:3:1: error: unknown key .colour." err
'

test_ok 'set up a round for --round' '
	bidcmp round create "$d/rfq.xml" > /dev/null &&
	bidcmp fx set GBP 1.1650 --date 2026-11-27 > /dev/null
'

test_ok '--round: parts, unit conversions and rates are checked, read only' '
	sum=$(sha256sum "$BIDCMP_DB" | cut -d" " -f1) &&
	sed "s|BRK-100|BRK-101|; s|RequestForQuotationLineID>1<|RequestForQuotationLineID>99<|" \
		"$d/quote-ustool.xml" > u.xml &&
	must_fail 1 bidcmp check --round MRO-2026-Q4 u.xml 2> err &&
	grep -q "error: item .BRK-101. is not a part of round MRO-2026-Q4 \[round.part.unknown\]" err &&
	grep -q "error: part SNS-PT100 is asked for in C62: BX is a package unit.* \[round.unit.convert\]" err &&
	grep -q "error: no exchange rate from USD to EUR on or before 2026-12-01 \[round.fx.missing\]" err &&
	test "$(sha256sum "$BIDCMP_DB" | cut -d" " -f1)" = "$sum"
'

test_ok '--preview prints each line'"'"'s landed cost and its factors' '
	bidcmp check --round MRO-2026-Q4 --preview "$d/quote-britpart.xml" > preview &&
	grep -q "GRS-EP2 (by buyer id): 2.85 GBP per 1 LBR x 100000000/45359237 LBR per KGM x fx 1.165/1 = 7.319898 EUR per KGM" preview &&
	grep -q "BLT-M8 (by buyer id): 0.96 GBP per 1 DZN x 1/12 DZN per C62 .* = 0.0932 EUR per C62" preview &&
	test "$(wc -l < preview)" = 5
'

test_ok 'round rules writes a rules file that check accepts; --set adds the buyer'"'"'s' '
	bidcmp round rules MRO-2026-Q4 --set rules.txt > /dev/null &&
	bidcmp round rules MRO-2026-Q4 > round-rules.txt &&
	grep -q "^pattern = ^(?:\\\\QBRK-100\\\\E|" round-rules.txt &&
	grep -q "^\[supplier.number\]" round-rules.txt &&
	sed "s|<cbc:ID>BRK-100</cbc:ID></cac:BuyersItemIdentification>|<cbc:ID>BRK-777</cbc:ID></cac:BuyersItemIdentification>|" \
		"$d/quote-britpart.xml" > b.xml &&
	must_fail 1 bidcmp check --rules round-rules.txt b.xml 2> err &&
	grep -q "buyer_part .BRK-777.: not a part number of round MRO-2026-Q4 \[round.part\]" err
'

test_ok 'a bad rules file is not stored' '
	before=$(rows documents) &&
	must_fail 1 bidcmp round rules MRO-2026-Q4 --set bad-rules.txt 2> /dev/null &&
	test "$(rows documents)" = "$before"
'

test_ok 'an RFQ, an empty file and a missing file are findings, not crashes' '
	: > empty.xml &&
	must_fail 1 bidcmp check "$d/rfq.xml" empty.xml /nonexistent 2> err &&
	grep -q "rfq.xml:1:1: error: this is an RFQ, not a quote" err &&
	grep -q "^empty.xml:1:1: error: empty file" err &&
	grep -q "^/nonexistent:" err
'

test_ok 'usage: no file, --preview without --round' '
	must_fail 2 bidcmp check 2>/dev/null &&
	must_fail 2 bidcmp check --preview "$d/quote-acme.xml" 2>/dev/null
'

done_testing
