/* walk: the bare libxml2 baseline of the benchmark (make bench).
 * `walk FILE...` reads each file with one xmlTextReader (XML_PARSE_NONET, no
 * entity substitution) and touches what an importer must at least look at:
 * every element's local name and namespace URI, its attribute values, and
 * the value of every text node.  Prints nodes, elements and quote lines. */

#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>

/* Folds a string into h so that the compiler cannot drop the reads. */
static unsigned long touch(unsigned long h, const xmlChar *s)
{
	if (s)
		while (*s)
			h = h * 31 + *s++;
	return h;
}

int main(int argc, char **argv)
{
	unsigned long long nodes = 0, elements = 0, lines = 0;
	unsigned long h = 0;
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: walk FILE...\n");
		return 2;
	}
	LIBXML_TEST_VERSION

	for (i = 1; i < argc; i++) {
		xmlTextReaderPtr r = xmlReaderForFile(argv[i], NULL, XML_PARSE_NONET);
		int rc;

		if (!r) {
			fprintf(stderr, "walk: %s: cannot open\n", argv[i]);
			failed = 1;
			continue;
		}
		while ((rc = xmlTextReaderRead(r)) == 1) {
			int type = xmlTextReaderNodeType(r);

			nodes++;
			if (type == XML_READER_TYPE_ELEMENT) {
				const xmlChar *name = xmlTextReaderConstLocalName(r);

				elements++;
				h = touch(h, name);
				h = touch(h, xmlTextReaderConstNamespaceUri(r));
				if (name && strcmp((const char *)name, "QuotationLine") == 0)
					lines++;
				/* unitCode and currencyID live in attributes. */
				if (xmlTextReaderHasAttributes(r) == 1) {
					while (xmlTextReaderMoveToNextAttribute(r) == 1) {
						h = touch(h, xmlTextReaderConstLocalName(r));
						h = touch(h, xmlTextReaderConstValue(r));
					}
					xmlTextReaderMoveToElement(r);
				}
			} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
				h = touch(h, xmlTextReaderConstValue(r));
			}
		}
		if (rc != 0) {
			fprintf(stderr, "walk: %s: not well-formed XML\n", argv[i]);
			failed = 1;
		}
		xmlFreeTextReader(r);
	}
	xmlCleanupParser();

	printf("nodes %llu elements %llu quote_lines %llu (checksum %lx)\n",
	       nodes, elements, lines, h);
	return failed;
}
