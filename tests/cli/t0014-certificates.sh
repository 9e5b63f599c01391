#!/bin/sh
# Required certificates: a line without them is ineligible with the
# reason; a line carrying them (UBL Item/Certificate) stays eligible.
. "$(dirname "$0")/lib.sh"
d=$TOP/fixtures/demo

test_ok 'only the supplier that holds the certificate stays eligible' '
	bidcmp round create "$d/rfq.xml" > /dev/null &&
	demo_rates &&
	sed "s|<cac:SellersItemIdentification><cbc:ID>ACM-1001</cbc:ID></cac:SellersItemIdentification>|&<cac:Certificate><cbc:ID>C-1</cbc:ID><cbc:CertificateTypeCode>ISO9001</cbc:CertificateTypeCode><cbc:CertificateType>quality</cbc:CertificateType></cac:Certificate>|" \
		"$d/quote-acme.xml" > acme.xml &&
	grep -q "ISO9001" acme.xml &&
	bidcmp import MRO-2026-Q4 acme.xml "$d/quote-britpart.xml" > /dev/null &&
	bidcmp round policy MRO-2026-Q4 required_certificates=ISO9001 > /dev/null &&
	bidcmp explain MRO-2026-Q4 BRK-100 > ex &&
	grep -q "verdict   ineligible: no ISO9001 certificate (the round requires ISO9001)" ex &&
	grep -q "verdict   eligible" ex &&
	bidcmp award MRO-2026-Q4 > table &&
	grep -q "^BRK-100  *ACME .*100.00%  shortfall" table
'

done_testing
