/*
 * x12.c - the X12 quote importer (being written: see the formats issue).
 * Pure parser: bytes in, canonical quote out through the sink.
 */
#include "importer.h"

int bid_x12__parse(const char *data, size_t len, const char *name,
                 const bid_import_sink *sink, bid_error *err)
{
	(void)data; (void)len; (void)sink;
	return bid_error_set_at(err, BID_EINVALID, BID_AREA_IMPORT, name, 1, 1,
	                        "X12 documents are not supported yet");
}
