#!/bin/sh
# Hostile input: each file is refused with a clear, positioned error, no
# crash, no hang, bounded memory, and the database is left exactly as it
# was (every table's row count, and audit verify later).
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo
q=$d/quote-acme.xml

counts() {
	sqlite3 "$BIDCMP_DB" "SELECT (SELECT count(*) FROM documents) || '/' || (SELECT count(*) FROM quotes) || '/' || (SELECT count(*) FROM quote_lines)"
}

# refused FILE PATTERN: import exits 1 with a message matching PATTERN,
# nothing is stored, and check refuses it too.
refused() {
	before=$(counts)
	must_fail 1 bidcmp import MRO-2026-Q4 "$1" 2> err || return 1
	grep -q "$2" err || { cat err >&2; return 1; }
	test "$(counts)" = "$before" || { echo "database changed" >&2; return 1; }
	must_fail 1 bidcmp check "$1" 2> err2 || return 1
}

test_ok 'set up' '
	bidcmp round create "$d/rfq.xml" > /dev/null
'

test_ok 'external entity (XXE) is refused and never read' '
	{ sed -n 1p "$q"; echo "<!DOCTYPE Quotation [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"; sed 1d "$q" | sed "s|<cbc:ID>AC-7781</cbc:ID>|<cbc:ID>\&x;</cbc:ID>|"; } > xxe.xml &&
	refused xxe.xml "^xxe.xml:2:[0-9]*: error: .*entit" &&
	! grep -q "$(cat /etc/hostname)" err
'

test_ok 'entity expansion bomb is refused' '
	{ sed -n 1p "$q"; printf "<!DOCTYPE Quotation [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"; sed 1d "$q" | sed "s|AC-7781|\&c;|"; } > bomb.xml &&
	refused bomb.xml "^bomb.xml:2:[0-9]*: error: .*entit"
'

test_ok '10,000-deep nesting is refused' '
	{ sed -n 1,3p "$q"; i=0; while [ $i -lt 10000 ]; do printf "<n>"; i=$((i+1)); done; echo; sed 1,3d "$q"; } > deep.xml &&
	refused deep.xml "^deep.xml:4:[0-9]*: error: .*depth"
'

test_ok 'a NUL byte is refused at its position' '
	sed "s|Acme Industrial Supply GmbH|Acme@Supply|" "$q" | tr "@" "\000" > nul.xml &&
	refused nul.xml "^nul.xml:[0-9]*:[0-9]*: error: "
'

test_ok 'invalid UTF-8 is refused' '
	sed "s|Acme Industrial Supply GmbH|Acme \xff\xfe Supply|" "$q" > utf.xml &&
	refused utf.xml "^utf.xml:[0-9]*:[0-9]*: error: .*UTF-8"
'

test_ok 'a truncated file is refused' '
	head -c 3000 "$q" > trunc.xml &&
	refused trunc.xml "^trunc.xml:[0-9]*:[0-9]*: error: "
'

test_ok 'numbers longer than fit, zero and negative prices are refused' '
	sed "s|>38.50<|>99999999999999999999.5<|" "$q" > big.xml &&
	refused big.xml "^big.xml:[0-9]*:[0-9]*: error: .*too large" &&
	sed "s|>38.50<|>0.00<|" "$q" > zero.xml &&
	refused zero.xml "^zero.xml:[0-9]*:[0-9]*: error: price must be positive" &&
	sed "s|>38.50<|>-38.50<|" "$q" > neg.xml &&
	refused neg.xml "^neg.xml:[0-9]*:[0-9]*: error: price must be positive"
'

test_ok 'a gigabyte-long token is refused quickly in bounded memory' '
	{ sed -n 1,3p "$q"; printf "<cbc:Note>"; head -c 1073741824 /dev/zero | tr "\000" "A"; printf "</cbc:Note>\n"; sed 1,3d "$q"; } > huge.xml &&
	before=$(counts) &&
	/usr/bin/time -f "%M" -o rss "$BIDCMP" import MRO-2026-Q4 huge.xml 2> err; rc=$? &&
	test $rc = 1 && grep -q "^huge.xml:4:[0-9]*: error: " err &&
	test "$(counts)" = "$before" &&
	test "$(tail -1 rss)" -lt 262144 &&
	rm -f huge.xml
'

test_ok 'after all that the good quote still imports' '
	bidcmp import MRO-2026-Q4 "$q" > out && grep -q "imported 7 lines" out &&
	test "$(sqlite3 "$BIDCMP_DB" "PRAGMA integrity_check")" = ok
'

done_testing
