/*
 * fuzz_diff.c: libFuzzer target holding the fast reader against the json-c
 * reference on the same bytes, a collector's report or a log.  Byte 0
 * picks the fast reader's chunk size (low bits), whether failure
 * messages and runs are kept (bit 7) and, then, runs alone (bit 6); the
 * rest is the report.  Any difference in what capture.h compares
 * (status, SessionFinish, counts, selectors, flaky and unknown node IDs,
 * collection errors and their reasons, with messages each failure's
 * message, path and line, with runs every case and run) aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../tools/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture fast, ref;
	int messages;

	if (size < 1)
		return 0;
	messages = !(data[0] & 0x80) ? 0 : (data[0] & 0x40) ? KEEP_RUNS :
	    KEEP_MESSAGES | KEEP_RUNS;
	if (capture_read(&fast, CAPTURE_FAST, data + 1, size - 1,
	    (data[0] & 0x3f) % 17, messages, 3) == -1 ||
	    capture_read(&ref, CAPTURE_REFERENCE, data + 1, size - 1, 0,
	    messages, 5) == -1)
		abort();
	if (!capture_same(&fast, &ref)) {
		capture_describe(stderr, "json-c", &ref);
		capture_describe(stderr, "fast", &fast);
		capture_print(stderr, "json-c", &ref);
		capture_print(stderr, "fast", &fast);
		abort();
	}
	capture_free(&fast);
	capture_free(&ref);
	return 0;
}
