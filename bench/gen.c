/* gen: writes a synthetic bid round for the benchmark (make bench).
 * `gen DIR P V [SEED]` writes DIR/rfq.xml, a UBL 2.1 RequestForQuotation with
 * P parts, and DIR/quote-01.xml .. quote-V.xml, one UBL 2.1 Quotation per
 * supplier quoting every part.  Deterministic for a seed (splitmix64); prices
 * are integers printed as exact decimals.  Needs only the C library. */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

/* One part of the round, as the RFQ asks for it. */
typedef struct part {
	int unit;         /* UNIT_* */
	long qty;         /* demand in the part's unit, 100..10000 */
	int64_t price;    /* reference price in EUR per part unit, in 1/10000 */
} part;

enum { UNIT_C62, UNIT_KGM, UNIT_MTR };
static const char *unit_code[] = { "C62", "KGM", "MTR" };

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* A uniform integer in [lo, hi]; the modulo bias is irrelevant here. */
static long range(uint64_t *st, long lo, long hi)
{
	return lo + (long)(splitmix64(st) % (uint64_t)(hi - lo + 1));
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "gen: path too long: %s/%s\n", dir, name);
		exit(1);
	}
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	/* Big stdio buffer: the files are tens of megabytes. */
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen: writing %s failed\n", name);
		exit(1);
	}
}

/* Prints v (in 1/10000) with 2, 3 or 4 decimals, rounding half up; never 0. */
static void put_price(FILE *f, int64_t v, int decimals)
{
	static const int64_t div[] = { 100, 10, 1 };
	int64_t d = div[decimals - 2], scaled = (v + d / 2) / d, one = 1;
	int i;

	for (i = 0; i < decimals; i++)
		one *= 10;
	if (scaled < 1)
		scaled = 1;
	fprintf(f, "%" PRId64 ".%0*" PRId64, scaled / one, decimals, scaled % one);
}

static void write_rfq(const char *dir, const part *parts, long np)
{
	FILE *f = open_out(dir, "rfq.xml");
	long i;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<RequestForQuotation xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:RequestForQuotation-2\""
		" xmlns:cac=\"" NS_CAC "\" xmlns:cbc=\"" NS_CBC "\">\n"
		"  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>\n"
		"  <cbc:ID>BENCH-%ld</cbc:ID>\n"
		"  <cbc:IssueDate>2026-01-01</cbc:IssueDate>\n"
		"  <cbc:Note>Benchmark round, %ld parts</cbc:Note>\n"
		"  <cbc:PricingCurrencyCode>EUR</cbc:PricingCurrencyCode>\n"
		"  <cac:Delivery><cac:RequestedDeliveryPeriod><cbc:EndDate>2099-06-30</cbc:EndDate>"
		"</cac:RequestedDeliveryPeriod></cac:Delivery>\n", np, np);
	for (i = 0; i < np; i++) {
		fprintf(f, "  <cac:RequestForQuotationLine>\n"
			"    <cbc:ID>%ld</cbc:ID>\n"
			"    <cac:LineItem>\n"
			"      <cbc:ID>%ld</cbc:ID>\n"
			"      <cbc:Quantity unitCode=\"%s\">%ld</cbc:Quantity>\n"
			"      <cac:Item>\n"
			"        <cbc:Name>Bench part %ld</cbc:Name>\n"
			"        <cac:BuyersItemIdentification><cbc:ID>P%06ld</cbc:ID></cac:BuyersItemIdentification>\n"
			"      </cac:Item>\n"
			"    </cac:LineItem>\n"
			"  </cac:RequestForQuotationLine>\n",
			i + 1, i + 1, unit_code[parts[i].unit], parts[i].qty, i + 1, i + 1);
	}
	fprintf(f, "</RequestForQuotation>\n");
	close_out(f, "rfq.xml");
}

/* Supplier s (1-based) quotes in EUR, GBP or USD in turn.  Rates the
 * benchmark sets: 1 GBP = 1.17 EUR, 1 USD = 0.92 EUR; prices are converted
 * with these so that the suppliers stay competitive with each other. */
static const char *currency_of(int s)
{
	static const char *cur[] = { "EUR", "GBP", "USD" };
	return cur[(s - 1) % 3];
}

static int64_t from_eur(int64_t eur, const char *cur)
{
	if (strcmp(cur, "GBP") == 0)
		return eur * 100 / 117;
	if (strcmp(cur, "USD") == 0)
		return eur * 100 / 92;
	return eur;
}

static void write_quote(const char *dir, const part *parts, long np, int s, uint64_t seed)
{
	char name[64];
	const char *cur = currency_of(s);
	uint64_t st = seed ^ (UINT64_C(0xD1B54A32D192ED03) * (uint64_t)s);
	long i;
	FILE *f;

	snprintf(name, sizeof(name), "quote-%02d.xml", s);
	f = open_out(dir, name);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Quotation xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Quotation-2\""
		" xmlns:cac=\"" NS_CAC "\" xmlns:cbc=\"" NS_CBC "\">\n"
		"  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>\n"
		"  <cbc:ID>Q-S%02d-%" PRIu64 "</cbc:ID>\n"
		"  <cbc:IssueDate>2026-01-15</cbc:IssueDate>\n"
		"  <cbc:PricingCurrencyCode>%s</cbc:PricingCurrencyCode>\n"
		"  <cac:ValidityPeriod><cbc:StartDate>2026-01-15</cbc:StartDate>"
		"<cbc:EndDate>2099-12-31</cbc:EndDate></cac:ValidityPeriod>\n"
		"  <cac:RequestForQuotationDocumentReference><cbc:ID>BENCH-%ld</cbc:ID>"
		"</cac:RequestForQuotationDocumentReference>\n"
		"  <cac:SellerSupplierParty>\n"
		"    <cbc:CustomerAssignedAccountID>S%02d</cbc:CustomerAssignedAccountID>\n"
		"    <cac:Party><cac:PartyName><cbc:Name>Bench supplier %02d</cbc:Name></cac:PartyName></cac:Party>\n"
		"  </cac:SellerSupplierParty>\n"
		"  <cac:QuotedMonetaryTotal><cbc:PayableAmount currencyID=\"%s\">0.00</cbc:PayableAmount>"
		"</cac:QuotedMonetaryTotal>\n",
		s, seed, cur, np, s, s, cur);

	for (i = 0; i < np; i++) {
		const part *p = &parts[i];
		const char *unit = unit_code[p->unit];
		long mult = 1, base = 1, r;
		int64_t price;

		/* Supplier's price: the reference within -10 %..+15 %, in its currency. */
		price = from_eur(p->price * range(&st, 900, 1150) / 1000, cur);

		/* Some lines price per 100 pieces, or in grams or centimetres. */
		r = range(&st, 0, 99);
		if (p->unit == UNIT_C62 && r < 15) {
			base = 100;
			price *= 100;
		} else if (p->unit == UNIT_KGM && r < 40) {
			unit = "GRM", mult = 1000, base = 1000;   /* per 1000 g = per kg */
		} else if (p->unit == UNIT_MTR && r < 40) {
			unit = "CMT", mult = 100, base = 100;     /* per 100 cm = per m */
		}

		fprintf(f, "  <cac:QuotationLine>\n"
			"    <cbc:ID>%ld</cbc:ID>\n"
			"    <cbc:RequestForQuotationLineID>%ld</cbc:RequestForQuotationLineID>\n"
			"    <cac:LineItem>\n"
			"      <cbc:ID>S%02d-%ld</cbc:ID>\n"
			"      <cbc:Quantity unitCode=\"%s\">%ld</cbc:Quantity>\n",
			i + 1, i + 1, s, i + 1, unit, p->qty * mult);

		/* A minimum order quantity up to 15 % of the demand on some lines,
		 * an offered maximum of 50..90 % on others: always feasible with
		 * 12 suppliers at the default 20..80 % shares. */
		r = range(&st, 0, 99);
		if (r < 12)
			fprintf(f, "      <cbc:MinimumQuantity unitCode=\"%s\">%ld</cbc:MinimumQuantity>\n",
				unit, (p->qty * range(&st, 1, 15) / 100) * mult);
		else if (r < 24)
			fprintf(f, "      <cbc:MaximumQuantity unitCode=\"%s\">%ld</cbc:MaximumQuantity>\n",
				unit, (p->qty * range(&st, 50, 90) / 100) * mult);

		fprintf(f, "      <cac:PricingReference><cac:OriginalItemLocationQuantity>"
			"<cbc:LeadTimeMeasure unitCode=\"DAY\">%ld</cbc:LeadTimeMeasure>"
			"</cac:OriginalItemLocationQuantity></cac:PricingReference>\n"
			"      <cac:Price>\n"
			"        <cbc:PriceAmount currencyID=\"%s\">",
			range(&st, 3, 60), cur);
		put_price(f, price, (int)range(&st, 2, 4));
		fprintf(f, "</cbc:PriceAmount>\n"
			"        <cbc:BaseQuantity unitCode=\"%s\">%ld</cbc:BaseQuantity>\n"
			"      </cac:Price>\n"
			"      <cac:Item>\n"
			"        <cac:BuyersItemIdentification><cbc:ID>P%06ld</cbc:ID></cac:BuyersItemIdentification>\n"
			"        <cac:SellersItemIdentification><cbc:ID>S%02d-%06ld</cbc:ID></cac:SellersItemIdentification>\n"
			"      </cac:Item>\n"
			"    </cac:LineItem>\n"
			"  </cac:QuotationLine>\n",
			unit, base, i + 1, s, i + 1);
	}
	fprintf(f, "</Quotation>\n");
	close_out(f, name);
}

/*
 * The same offers in the other formats, for the memory benchmark: each
 * line priced in its part's own unit (reference -10 %..+15 %), a lead
 * time, and a description padded to PAD bytes so that a quote of N lines
 * is about the size of the UBL one (the size, not the line count, is
 * what the memory must not grow with).
 */
enum { FMT_UBL, FMT_CXML, FMT_EDIFACT, FMT_X12, FMT_CSV };
static const char *fmt_name[] = { "ubl", "cxml", "edifact", "x12", "csv" };
static const char *fmt_ext[] = { "xml", "cxml.xml", "edi", "x12", "csv" };
enum { PAD_MAX = 1024 };
/* bytes of padding per line: with it a line is about 865 bytes, as in UBL (not CSV) */
static const int fmt_pad[] = { 0, 450, 720, 760, 40 };

/* "Bench part N" then filler words, n bytes, no delimiter of any format. */
static const char *pad_text(long i, int n)
{
	static char buf[PAD_MAX + 1];
	int k = snprintf(buf, sizeof(buf), "Bench part %ld", i);

	while (k < n) {
		int m = snprintf(buf + k, sizeof(buf) - (size_t)k, " filler %d", k);
		if (m <= 0)
			break;
		k += m;
	}
	buf[n] = '\0';
	return buf;
}

static void write_other(const char *dir, const part *parts, long np, int s, uint64_t seed,
                        int fmt)
{
	static const char *x12_unit[] = { "EA", "KG", "MR" };
	char name[64];
	const char *cur = currency_of(s);
	uint64_t st = seed ^ (UINT64_C(0xD1B54A32D192ED03) * (uint64_t)s);
	long i, nseg = 0;
	FILE *f;

	snprintf(name, sizeof(name), "quote-%02d.%s", s, fmt_ext[fmt]);
	f = open_out(dir, name);
	switch (fmt) {
	case FMT_CXML:
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<cXML payloadID=\"bench-%d@example\" timestamp=\"2026-01-15T09:00:00+00:00\">\n"
			"  <Header><From><Credential domain=\"NetworkID\"><Identity>S%02d</Identity>"
			"</Credential></From><To><Credential domain=\"NetworkID\"><Identity>BUYER</Identity>"
			"</Credential></To><Sender><Credential domain=\"NetworkID\"><Identity>S%02d</Identity>"
			"</Credential><UserAgent>gen</UserAgent></Sender></Header>\n"
			"  <Message><QuoteMessage>\n"
			"    <QuoteMessageHeader type=\"accept\" quoteID=\"Q-S%02d-%" PRIu64 "\""
			" quoteDate=\"2026-01-15T09:00:00+00:00\" currency=\"%s\">\n"
			"      <OrganizationID><Credential domain=\"VendorID\"><Identity>S%02d</Identity>"
			"</Credential></OrganizationID>\n"
			"      <Extrinsic name=\"Expiry_Date\">2099-12-31T00:00:00Z</Extrinsic>\n"
			"    </QuoteMessageHeader>\n", s, s, s, s, seed, cur, s);
		break;
	case FMT_EDIFACT:
		fprintf(f, "UNA:+.? '\nUNB+UNOC:3+S%02d:14+BUYER:14+260115:0900+B%d++QUOTES'\n"
			"UNH+M1+QUOTES:D:96A:UN'\nBGM+310+Q-S%02d-%" PRIu64 "+9'\n"
			"DTM+137:20260115:102'\nDTM+36:20991231:102'\nCUX+2:%s:12'\n"
			"NAD+SU+S%02d::9++Bench supplier %02d'\n", s, s, s, seed, cur, s, s);
		nseg = 6;
		break;
	case FMT_X12:
		fprintf(f, "ISA*00*          *00*          *ZZ*S%02d            *ZZ*BUYER          "
			"*260115*0900*U*00401*000000001*0*P*>~\n"
			"GS*RR*S%02d*BUYER*20260115*0900*1*X*004010~\nST*843*0001~\n"
			"BQR*00*BENCH-%ld*20260115~\nCUR*SE*%s~\nREF*PR*Q-S%02d-%" PRIu64 "~\n"
			"DTM*036*20991231~\nN1*SE*Bench supplier %02d*1*S%02d~\n",
			s, s, np, cur, s, seed, s, s);
		nseg = 6;
		break;
	case FMT_CSV:
		fprintf(f, "supplier,supplier_name,part,quantity,unit,currency,price,price_per,"
			"lead_time_days,valid_until,manufacturer\n");
		break;
	}
	for (i = 0; i < np; i++) {
		const part *p = &parts[i];
		int64_t price = from_eur(p->price * range(&st, 900, 1150) / 1000, cur);
		long lead = range(&st, 3, 60);
		const char *pad = pad_text(i + 1, fmt_pad[fmt]);
		int k;

		switch (fmt) {
		case FMT_CXML:
			fprintf(f, "    <QuoteItemIn type=\"accept\" quantity=\"%ld\" lineNumber=\"%ld\">\n"
				"      <ItemID><SupplierPartID>S%02d-%06ld</SupplierPartID>"
				"<BuyerPartID>P%06ld</BuyerPartID></ItemID>\n"
				"      <ItemDetail><UnitPrice><Money currency=\"%s\">",
				p->qty, i + 1, s, i + 1, i + 1, cur);
			put_price(f, price, 4);
			fprintf(f, "</Money></UnitPrice>\n"
				"        <Description xml:lang=\"en\">%s</Description>\n"
				"        <UnitOfMeasure>%s</UnitOfMeasure><LeadTime>%ld</LeadTime>\n"
				"      </ItemDetail>\n    </QuoteItemIn>\n", pad, unit_code[p->unit], lead);
			break;
		case FMT_EDIFACT:
			fprintf(f, "LIN+%ld'\nPIA+5+P%06ld:BP+S%02d-%06ld:SA'\nIMD+F++:::Bench part %ld'\n"
				"FTX+AAI+++", i + 1, i + 1, s, i + 1, i + 1);
			/* free text in components of at most 512 */
			for (k = 0; k < fmt_pad[fmt]; k += 500)
				fprintf(f, "%s%.500s", k ? ":" : "", pad + k);
			fprintf(f, "'\nQTY+21:%ld:%s'\nDTM+169:%ld:804'\nPRI+AAA:",
				p->qty, unit_code[p->unit], lead);
			put_price(f, price, 4);
			fprintf(f, ":CA::1:%s'\n", unit_code[p->unit]);
			nseg += 7;
			break;
		case FMT_X12:
			fprintf(f, "PO1*%ld*%ld*%s*", i + 1, p->qty, x12_unit[p->unit]);
			put_price(f, price, 4);
			fprintf(f, "**BP*P%06ld*VN*S%02d-%06ld~\nPID*F****Bench part %ld~\n",
				i + 1, s, i + 1, i + 1);
			/* free text in MSG segments of at most 264 */
			for (k = 0; k < fmt_pad[fmt]; k += 264, nseg++)
				fprintf(f, "MSG*%.264s~\n", pad + k);
			fprintf(f, "LDT*AF*%ld*DA~\n", lead);
			nseg += 3;
			break;
		case FMT_CSV:
			fprintf(f, "S%02d,Bench supplier %02d,P%06ld,%ld,%s,%s,", s, s, i + 1, p->qty,
				unit_code[p->unit], cur);
			put_price(f, price, 4);
			/* short: a sheet keeps at most 8 MiB of texts (and 100,000 rows) */
			fprintf(f, ",1,%ld,2099-12-31,%s\n", lead, pad);
			break;
		}
	}
	switch (fmt) {
	case FMT_CXML:
		fprintf(f, "  </QuoteMessage></Message>\n</cXML>\n");
		break;
	case FMT_EDIFACT:
		fprintf(f, "UNS+S'\nCNT+2:%ld'\nUNT+%ld+M1'\nUNZ+1+B%d'\n", np, nseg + 3, s);
		break;
	case FMT_X12:
		fprintf(f, "CTT*%ld~\nSE*%ld*0001~\nGE*1*1~\nIEA*1*000000001~\n", np, nseg + 2);
		break;
	}
	close_out(f, name);
}

static long arg_long(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "gen: %s must be a whole number in %ld..%ld, not '%s'\n", what, lo, hi, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, st;
	part *parts;
	long np, i;
	int nv, s, fmt = FMT_UBL;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: gen DIR PARTS SUPPLIERS [SEED [FORMAT]]\n"
			"writes DIR/rfq.xml and DIR/quote-01.xml.. (UBL 2.1); with FORMAT cxml,\n"
			"edifact, x12 or csv the quotes in that format instead (quote-01.cxml.xml,\n"
			".edi, .x12, .csv), their lines padded to about the UBL size\n");
		return 2;
	}
	np = arg_long(argv[2], "PARTS", 1, 999999);
	nv = (int)arg_long(argv[3], "SUPPLIERS", 1, 99);
	if (argc >= 5)
		seed = (uint64_t)arg_long(argv[4], "SEED", 0, 2147483647L);
	if (argc == 6) {
		for (fmt = 0; fmt < (int)(sizeof(fmt_name) / sizeof(fmt_name[0])); fmt++)
			if (strcmp(argv[5], fmt_name[fmt]) == 0)
				break;
		if (fmt == (int)(sizeof(fmt_name) / sizeof(fmt_name[0]))) {
			fprintf(stderr, "gen: FORMAT must be ubl, cxml, edifact, x12 or csv, not '%s'\n",
				argv[5]);
			return 2;
		}
	}

	parts = malloc((size_t)np * sizeof(*parts));
	if (!parts) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}
	st = seed;
	for (i = 0; i < np; i++) {
		long r = range(&st, 0, 99);

		parts[i].unit = r < 80 ? UNIT_C62 : r < 90 ? UNIT_KGM : UNIT_MTR;
		parts[i].qty = range(&st, 100, 10000);
		/* 0.0500..99.9999 EUR, a tenth of the parts 100 times dearer. */
		parts[i].price = range(&st, 500, 999999) * (range(&st, 0, 9) == 0 ? 100 : 1);
	}

	write_rfq(argv[1], parts, np);
	for (s = 1; s <= nv; s++) {
		if (fmt == FMT_UBL)
			write_quote(argv[1], parts, np, s, seed);
		else
			write_other(argv[1], parts, np, s, seed, fmt);
	}
	free(parts);
	return 0;
}
