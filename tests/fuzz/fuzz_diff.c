/*
 * fuzz_diff.c: libFuzzer target holding the fast reader against the json-c
 * reference on the same bytes.  Byte 0 picks the fast reader's chunk size;
 * the rest is the report.  Any difference in status, counts, selectors or
 * collection errors aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "source.h"
#include "tally.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
read_with(int reference, const uint8_t *data, size_t size, size_t chunk,
    struct tally *t, enum report_status *status)
{
	struct report_error err;
	struct source src;

	source_from_memory(&src, data, size, chunk);
	if (tally_init(t, 3) == -1)
		abort();
	*status = reference ? refread_read(&src, t, &err) :
	    report_read(&src, t, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally fast, ref;
	struct tally_id *a, *b, ea, eb;
	enum report_status sf, sr;
	size_t na, nb, i;

	if (size < 1)
		return 0;
	read_with(0, data + 1, size - 1, data[0] % 17, &fast, &sf);
	read_with(1, data + 1, size - 1, 0, &ref, &sr);
	if (sf != sr || memcmp(&fast.counts, &ref.counts,
	    sizeof(fast.counts)) != 0 ||
	    fast.error_records != ref.error_records ||
	    fast.nerrors != ref.nerrors)
		abort();
	if (tally_selectors(&fast, &a, &na) == -1 ||
	    tally_selectors(&ref, &b, &nb) == -1 || na != nb)
		abort();
	for (i = 0; i < na; i++)
		if (a[i].len != b[i].len ||
		    memcmp(a[i].id, b[i].id, a[i].len) != 0)
			abort();
	for (i = 0; i < fast.nerrors; i++) {
		tally_collection_error(&fast, i, &ea);
		tally_collection_error(&ref, i, &eb);
		if (ea.len != eb.len || memcmp(ea.id, eb.id, ea.len) != 0 ||
		    ea.reason_len != eb.reason_len ||
		    memcmp(ea.reason, eb.reason, ea.reason_len) != 0)
			abort();
	}
	free(a);
	free(b);
	tally_free(&fast);
	tally_free(&ref);
	return 0;
}
