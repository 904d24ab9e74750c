/*
 * fuzz_triage.c: libFuzzer target over the whole path after the command
 * line: report bytes (a collector's report or a log) and an exit status,
 * through a reader, triage_run() and a writer, as main.c goes.
 *
 * Input: byte 0 is pytest's exit status; byte 1 picks the format (bits
 * 0-2: any but junit, whose runs fuzz_step writes), --max-failures (bits
 * 3-4), the read chunk size (bits 5-6) and the reader (bit 7: the json-c
 * reference, as --reference); the rest is the report.  Besides the
 * sanitizers it checks the promises that keep builds red:
 *   - exit 0 (passed, retry) only from a report that parsed, with exit
 *     status 0 or 1, no test of unknown outcome, no collection error, and
 *     for a log only when its SessionFinish says that same status;
 *   - passed with nothing failed, retry with something failed;
 *   - selectors (lines, null, json) only for retry;
 *   - the json format is one valid JSON object naming the verdict.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"
#include "triage.h"
#include "verdict.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define EXIT_TROUBLE	2

/* The JSON format's object: valid JSON, the verdict named, selectors
 * only for retry. */
static void
check_json(const char *text, size_t len, const struct triage *t)
{
	struct json_object *o, *v;

	o = fuzz_json(text, len, t->verdict);
	if (!json_object_object_get_ex(o, "selectors", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    (t->verdict != VERDICT_RETRY && json_object_array_length(v) != 0))
		abort();
	json_object_put(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 0, 1, 7, 4096 };
	const struct format *format;
	struct triage_options opt;
	struct write_options wopt;
	struct reading rd;
	struct source src;
	struct strbuf why;
	struct tally tally;
	struct triage t;
	struct step step;
	enum report_status status;
	char *text = NULL;
	size_t len = 0, which;
	FILE *out;
	int rc, exit_status, reference, parsed;

	if (size < 2)
		return 0;
	exit_status = data[0];
	format = fuzz_format(data[1] & 7, 6);
	reference = data[1] >> 7;
	memset(&opt, 0, sizeof(opt));
	opt.exit_status = exit_status;
	opt.max_failures = (data[1] >> 3) & 3;
	memset(&wopt, 0, sizeof(wopt));
	wopt.max_bytes = 1000000;
	source_from_memory(&src, data + 2, size - 2,
	    chunks[(data[1] >> 5) & 3]);
	if (tally_init(&tally, 7) == -1)
		return 0;
	memset(&rd, 0, sizeof(rd));
	rd.tally = &tally;
	rd.messages = format->messages;
	status = reference ? refread_read(&src, &rd) : report_read(&src, &rd);
	/* main.c: trouble (exit 2) for all but these three. */
	if (status != REPORT_READ_OK && status != REPORT_READ_EMPTY &&
	    status != REPORT_READ_BAD) {
		tally_free(&tally);
		return 0;
	}
	parsed = status == REPORT_READ_OK;
	strbuf_init(&why);
	if (triage_run(&t, &rd, (int)status, &opt, &why) == -1)
		abort();	/* out of memory: not under the fuzzer */
	if ((out = open_memstream(&text, &len)) == NULL)
		abort();
	memset(&step, 0, sizeof(step));
	step.result = t;
	if (output_unfit(format, t.failed, t.verdict == VERDICT_RETRY ?
	    t.nfailed : 0, &which) != NULL)
		rc = EXIT_TROUBLE;
	else if (format->write(out, &step, &wopt) == -1)
		abort();	/* memory streams do not fail */
	else
		rc = verdict_exit(t.verdict);
	if (fclose(out) == EOF)
		abort();

	/* Exit 0 only from a whole report that agrees with the status. */
	if (rc == 0 && (!parsed || exit_status > 1 ||
	    tally_counts(&tally)->unknown > 0 || t.nerrors > 0 ||
	    tally_error_records(&tally) > 0))
		abort();
	if (rc == 0 && rd.input == INPUT_REPORTLOG && (!rd.finished ||
	    rd.session_status != exit_status))
		abort();
	if (rc == 0 && rd.input == INPUT_NONE)
		abort();
	if (t.verdict == VERDICT_PASSED && (exit_status != 0 ||
	    t.nfailed > 0))
		abort();
	if (t.verdict == VERDICT_RETRY && (exit_status != 1 ||
	    t.nfailed == 0))
		abort();
	/* Selectors only for retry. */
	if (format->arguments && len > 0 && t.verdict != VERDICT_RETRY)
		abort();
	if (rc == EXIT_TROUBLE && t.verdict != VERDICT_RETRY)
		abort();
	if (rc != 0 && rc != 1 && rc != EXIT_TROUBLE)
		abort();
	if (rc != EXIT_TROUBLE && strcmp(format->name, "json") == 0)
		check_json(text, len, &t);
	if (rc != EXIT_TROUBLE && strcmp(format->name, "verdict") == 0 &&
	    (len != strlen(verdict_name(t.verdict)) + 1 ||
	    memcmp(text, verdict_name(t.verdict), len - 1) != 0))
		abort();
	free(text);
	triage_free(&t);
	strbuf_free(&why);
	tally_free(&tally);
	return 0;
}
