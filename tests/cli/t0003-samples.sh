#!/bin/sh
# The official OASIS UBL examples (../shared/samples/ubl): the 2.1 RFQ makes
# a round, the 2.1 Quotation (EA where the RFQ says NIU) imports into it
# and is awarded; the 2.0 pair likewise.  Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
u=$SHARED/ubl

if [ ! -d "$u" ]; then
	test_skip 'OASIS UBL samples' "no $u"
	done_testing
	exit
fi

test_ok 'the UBL 2.1 RFQ example creates round G867B in DKK with 4 parts' '
	bidcmp round create "$u/UBL-RequestForQuotation-2.1-Example.xml" > id &&
	test "$(cat id)" = G867B &&
	bidcmp round show G867B > show &&
	grep -q "^currency  DKK$" show &&
	test "$(grep -c " 35 NIU " show)" = 4 &&
	grep -q "^1 *DELL1052665 " show
'

test_ok 'the UBL 2.1 Quotation example imports all 4 lines (EA vs NIU)' '
	bidcmp import G867B "$u/UBL-Quotation-2.1-Example.xml" > out &&
	grep -q "imported 4 lines from supplier LEV00123" out
'

test_ok 'awarded inside its validity: one supplier, 100 %, flagged shortfall' '
	BIDCMP_TODAY=2008-05-02 bidcmp award G867B > table &&
	bidcmp report G867B --format csv > award.csv &&
	cat > expect <<-EOT &&
	part,supplier,quantity,unit,unit_cost,currency,line_cost,share_pct
	DELL1052665,LEV00123,35,NIU,4300.00,DKK,150500.00,100.00
	DELL2363463,LEV00123,35,NIU,1250.00,DKK,43750.00,100.00
	DELL2367452,LEV00123,35,NIU,50.00,DKK,1750.00,100.00
	DELL8436783,LEV00123,35,NIU,50.00,DKK,1750.00,100.00
	EOT
	test_cmp expect award.csv &&
	test "$(grep -c shortfall table)" = 4 &&
	grep -q "Total, split award: *197750.00 DKK" table
'

test_ok 'awarded after its validity ended: every line ineligible, parts unawarded' '
	BIDCMP_TODAY=2008-06-01 bidcmp award G867B --scenario late > table &&
	test "$(grep -c "unawarded" table)" = 4 &&
	test "$(sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM award_offers o JOIN awards a ON a.id = o.award_id WHERE a.scenario = '"'"'late'"'"' AND o.reason = '"'"'quote expired on 2008-05-06'"'"'")" = 4
'

test_ok 'the UBL 2.0 pair: RFQ needs --currency; the quote (GBP, KGM, a 10.00 allowance) imports' '
	bidcmp round create "$u/UBL-RequestForQuotation-2.0-Example.xml" --id BEESWAX --currency GBP > id &&
	bidcmp import BEESWAX "$u/UBL-Quotation-2.0-Example.xml" > out &&
	grep -q "imported 1 line from supplier CO001" out &&
	BIDCMP_TODAY=2005-07-01 bidcmp award BEESWAX > table &&
	# the 10.00 allowance of the quote, spread over its 10,000.00 of goods: 0.10 a kilogram
	bidcmp report BEESWAX --format csv | grep -q "^6578489,CO001,100,KGM,99.90,GBP,9990.00,100.00$"
'

done_testing
