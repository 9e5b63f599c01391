#!/bin/sh
# A quote import parses on one thread and stores on another: what it
# prints is the same on every run (warnings in file order, the first
# error last), a refused file leaves the database as it was, and a store
# that fails half-way (the file-size limit reached while the lines are
# written) stops the parse cleanly: a message, exit 1, nothing stored.
. "$(dirname "$0")/lib.sh"

nparts=20000
# The round: parts P00001.. in a CSV RFQ.
awk -v n=$nparts 'BEGIN { print "part,description,quantity,unit,need_by";
	for (i = 1; i <= n; i++) printf "P%05d,Part %d,%d,C62,2099-06-30\n", i, i, 100 + i % 900 }' > rfq.csv
# quote FILE BAD: a UBL quote of every part; every 1000th line names an
# unknown item (a warning); with BAD the last line's price is "1,5" (an error,
# found before its item is looked up: 19 warnings then).
quote() {
	awk -v n=$nparts -v bad="$2" 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<Quotation xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Quotation-2\""
	print " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
	print " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
	print "  <cbc:ID>Q-T</cbc:ID><cbc:IssueDate>2026-11-01</cbc:IssueDate>"
	print "  <cbc:PricingCurrencyCode>EUR</cbc:PricingCurrencyCode>"
	print "  <cac:ValidityPeriod><cbc:EndDate>2099-12-31</cbc:EndDate></cac:ValidityPeriod>"
	print "  <cac:SellerSupplierParty><cbc:CustomerAssignedAccountID>S01</cbc:CustomerAssignedAccountID></cac:SellerSupplierParty>"
	for (i = 1; i <= n; i++) {
		part = (i % 1000 == 0) ? sprintf("X%05d", i) : sprintf("P%05d", i)
		price = (bad && i == n) ? "1,5" : sprintf("%d.%02d", 1 + i % 50, i % 100)
		printf "  <cac:QuotationLine><cbc:ID>%d</cbc:ID><cac:LineItem><cbc:ID>%d</cbc:ID>", i, i
		printf "<cbc:Quantity unitCode=\"C62\">%d</cbc:Quantity>", 100 + i % 900
		printf "<cac:Price><cbc:PriceAmount currencyID=\"EUR\">%s</cbc:PriceAmount></cac:Price>", price
		printf "<cac:Item><cbc:Name>Part %d with a description long enough to fill pages</cbc:Name>", i
		printf "<cac:BuyersItemIdentification><cbc:ID>%s</cbc:ID></cac:BuyersItemIdentification>", part
		print "</cac:Item></cac:LineItem></cac:QuotationLine>"
	}
	print "</Quotation>" }' > "$1"
}

test_ok 'set up: a round of 20,000 parts' '
	bidcmp round create rfq.csv --id R --currency EUR > /dev/null &&
	quote good.xml "" && quote bad.xml 1 &&
	cp "$BIDCMP_DB" base.db
'

test_ok 'a good quote: every line stored, one warning per unknown item, in file order' '
	bidcmp import R good.xml > out 2> err &&
	grep -q "imported 19980 lines" out && grep -q "20 lines not in the round" out &&
	test "$(grep -c "import.part.unknown" err)" = 20 &&
	grep -o "item .X[0-9]*." err > order && sort -c order &&
	bidcmp audit verify > /dev/null
'

test_ok 'a bad quote prints the same, in the same order, on every run, and stores nothing' '
	for k in 1 2 3 4 5; do
		rm -f t.db t.db-wal t.db-shm && cp base.db t.db &&
		{ must_fail 1 "$BIDCMP" --db t.db import R bad.xml > /dev/null 2> err$k || return 1; } &&
		test "$(sqlite3 t.db "SELECT count(*) FROM quote_lines")" = 0 || return 1
	done &&
	for k in 2 3 4 5; do cmp err1 err$k || return 1; done &&
	test "$(grep -c "import.part.unknown" err1)" = 19 &&
	grep -q "bad.xml:[0-9]*:[0-9]*: .*1,5" err1 &&
	tail -1 err1 | grep -q "nothing of the refused file was stored"
'

test_ok 'a store that fails half-way stops the parse: exit 1, the reason, nothing stored' '
	rm -f t.db t.db-wal t.db-shm && cp base.db t.db &&
	(trap "" XFSZ; ulimit -f 1024; exec "$BIDCMP" --db t.db import R good.xml) > out 2> err;
	test $? = 1 &&
	grep -q "error: store quote line: \\(disk I/O error\\|database or disk is full\\)" err &&
	test "$(sqlite3 t.db "SELECT count(*) FROM quote_lines")" = 0 &&
	"$BIDCMP" --db t.db audit verify > /dev/null
'

done_testing
