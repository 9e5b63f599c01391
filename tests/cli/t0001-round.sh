#!/bin/sh
# Rounds: create from UBL and CSV RFQs, list, show; refusals leave the
# database unchanged.
. "$(dirname "$0")/lib.sh"
fx=$TOP/fixtures

test_ok 'round create from a UBL RFQ prints the RFQ id' '
	bidcmp round create "$fx/demo/rfq.xml" > id &&
	echo MRO-2026-Q4 > expect && test_cmp expect id
'

test_ok 'round show lists the parts in RFQ order with units and dates' '
	bidcmp round show MRO-2026-Q4 > show &&
	grep -q "^currency  EUR$" show &&
	grep "^[0-9]" show | awk "{print \$2, \$3, \$4, \$5}" > parts &&
	cat > expect <<-EOT &&
	BRK-100 400 C62 2027-01-15
	BLT-M8 6000 C62 2027-01-15
	CBL-2.5 1200 MTR 2027-01-15
	GRS-EP2 250 KGM 2027-01-15
	OIL-HYD46 800 LTR 2027-01-15
	FLT-AIR 120 C62 2027-01-15
	SNS-PT100 40 C62 2027-01-15
	EOT
	test_cmp expect parts
'

test_ok 'the RFQ document is stored byte for byte with its SHA-256' '
	sqlite3 "$BIDCMP_DB" "SELECT writefile('"'"'$tmp/blob'"'"', content) FROM documents WHERE kind = '"'"'rfq'"'"'" >/dev/null &&
	cmp "$tmp/blob" "$fx/demo/rfq.xml" &&
	sha=$(sha256sum "$fx/demo/rfq.xml" | cut -d" " -f1) &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT sha256 FROM documents WHERE kind = '"'"'rfq'"'"'")" = "$sha"
'

test_ok 'the same id twice is refused with exit 1 and changes nothing' '
	before=$(rows documents) &&
	must_fail 1 bidcmp round create "$fx/demo/rfq.xml" 2> err &&
	grep -q "round '"'"'MRO-2026-Q4'"'"' already exists" err &&
	test "$(rows documents)" = "$before" && test "$(rows rounds)" = 1
'

test_ok 'round create from CSV with --id and --currency' '
	cat > rfq.csv <<-EOT &&
	part,description,quantity,unit,need_by
	P-1,"Widget, large",10,C62,2027-02-01
	P-2,Steel rod,12.5,KGM,
	EOT
	bidcmp round create rfq.csv --id CSV-1 --currency USD > id &&
	echo CSV-1 > expect && test_cmp expect id &&
	bidcmp round show CSV-1 | grep -q "P-2 *12.5 KGM"
'

test_ok 'a CSV RFQ without a currency is refused' '
	printf "part,description,quantity,unit,need_by\nP-1,x,1,C62,\n" > nocur.csv &&
	must_fail 1 bidcmp round create nocur.csv --id X 2> err &&
	grep -q "names no pricing currency: give --currency" err
'

test_ok 'a fractional count quantity is refused at its line' '
	printf "part,description,quantity,unit,need_by\nP-1,x,1.5,C62,\n" > frac.csv &&
	must_fail 1 bidcmp round create frac.csv --id F --currency EUR 2> err &&
	grep -q "^frac.csv:2:1: error: .*not whole" err
'

test_ok 'an unknown unit is refused with its position' '
	printf "part,description,quantity,unit,need_by\nP-1,x,1,C62,\nP-2,y,3,FOO,\n" > unit.csv &&
	must_fail 1 bidcmp round create unit.csv --id U --currency EUR 2> err &&
	grep -q "^unit.csv:3:1: error: part .P-2.: unknown unit code .FOO." err
'

test_ok 'a quote file is not an RFQ' '
	must_fail 1 bidcmp round create "$fx/demo/quote-acme.xml" --id Q 2> err &&
	grep -q "not an RFQ" err
'

test_ok 'round list shows both rounds, nothing of the refused ones' '
	bidcmp round list > list &&
	test $(grep -c "^MRO-2026-Q4 \|^CSV-1 " list) = 2 &&
	test "$(rows rounds)" = 2 && test "$(rows documents)" = 2
'

test_ok 'usage errors exit 2; unknown round exits 1' '
	must_fail 2 bidcmp round && must_fail 2 bidcmp round frobnicate &&
	must_fail 2 bidcmp nosuchcommand 2>/dev/null &&
	must_fail 1 bidcmp round show NOPE 2> err && grep -q "no round" err
'

test_ok '--help describes each command with an example' '
	for c in round fx import award report; do
		bidcmp $c --help > h && grep -q "^usage: bidcmp $c" h && grep -q "^example: " h || exit 1
	done
	bidcmp --help | grep -q "commands:"
'

done_testing
