/*
 * supplier.c - the supplier master: import it from CSV (stored as a
 * document, every row kept, the newest per supplier in force, an event
 * for the change).  The award reads it through the store's offers.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

typedef struct master_loader {
	bid_store *store;
	long long  doc_id;
	size_t     n;
	bid_error *err;
} master_loader;

static int load_supplier(const bid_supplier *m, void *payload)
{
	master_loader *l = payload;
	int rc;

	if ((rc = bid_store__supplier_insert(l->store, m, l->doc_id, l->err)) < 0)
		return rc;
	l->n++;
	return 0;
}

int bid_supplier_import(bid_store *store, const char *path, size_t *count_out, bid_error *err)
{
	master_loader l = { store, 0, 0, err };
	bid_doc_row d;
	bid_file f;
	char sha[65], n[24], docid[24];
	int rc;

	if (count_out)
		*count_out = 0;
	if ((rc = bid__file_map(&f, path, err)) < 0)
		return rc;
	if ((rc = bid_store__begin(store, err)) < 0)
		goto done;
	rc = bid_store__doc_reserve(store, &l.doc_id, err);
	if (rc == 0)
		rc = bid_import_suppliers(f.data, f.len, path, load_supplier, &l, err);
	if (rc == 0) {
		d.round_id = NULL;
		d.name = path;
		d.format = "csv";
		d.kind = "suppliers";
		d.file = &f;
		d.sha256 = NULL;
		rc = bid_store__doc_store(store, l.doc_id, &d, sha, err);
	}
	if (rc == 0) {
		snprintf(n, sizeof(n), "%zu", l.n);
		snprintf(docid, sizeof(docid), "%lld", l.doc_id);
		rc = bid_audit__record(store, "suppliers.imported", NULL, err, "document", docid,
		                       "sha256", sha, "name", path, "suppliers", n, (const char *)NULL);
	}
	if (rc == 0)
		rc = bid_store__commit(store, err);
	if (rc < 0)
		bid_store__rollback(store);
	else if (count_out)
		*count_out = l.n;
done:
	bid__file_unmap(&f);
	if (err && rc < 0 && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", path);
	return rc;
}
