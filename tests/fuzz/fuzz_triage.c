/*
 * fuzz_triage.c: libFuzzer target over the whole path after the command
 * line: report bytes and an exit status to verdict, output and exit code.
 *
 * Input: byte 0 is pytest's exit status, byte 1 picks the format (low two
 * bits), --max-failures (next two bits) and the read chunk size; the rest
 * is the report.  Besides the sanitizers it checks the promises that keep
 * builds red: passed and retry only from a report that parsed, and a
 * selector only when the verdict is retry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"
#include "source.h"
#include "tally.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 0, 1, 7, 4096 };
	struct run_options opt;
	struct report_error err;
	struct source src;
	struct tally tally;
	enum report_status status;
	char *text = NULL;
	size_t len = 0;
	FILE *out, *devnull;
	int rc, exit_status;

	if (size < 2)
		return 0;
	exit_status = data[0];
	opt.format = (enum format)(data[1] & 3);
	opt.max_failures = (data[1] >> 2) & 3;
	source_from_memory(&src, data + 2, size - 2, chunks[(data[1] >> 4) & 3]);
	if (tally_init(&tally, 7) == -1)
		return 0;
	status = report_read(&src, &tally, &err);
	if ((out = open_memstream(&text, &len)) == NULL ||
	    (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	rc = output_triage(out, devnull, &opt, exit_status, status, &err,
	    &tally, NULL);
	fclose(out);
	fclose(devnull);

	/* Exit 0 (passed, retry) only from a report that parsed. */
	if (rc == 0 && status != REPORT_READ_OK)
		abort();
	if (rc == 0 && exit_status > 1)
		abort();
	/* Selectors only for retry, and retry only with exit status 1. */
	if ((opt.format == FORMAT_LINES || opt.format == FORMAT_NULL) &&
	    len > 0 && !(rc == 0 && exit_status == 1))
		abort();
	if (rc != 0 && rc != 1 && rc != OUTPUT_TROUBLE)
		abort();
	free(text);
	tally_free(&tally);
	return 0;
}
