/*
 * fuzz_step.c: libFuzzer target over a step of several attempts: each
 * attempt's report bytes and exit status, through step_judge() and a
 * writer, as main.c goes.
 *
 * Input: byte 0 picks --retries (bits 0-1), --fail-on-flaky (bit 2), the
 * json-c reference (bit 3) and the format (bits 4-6); then each attempt
 * as its exit status byte and its report, attempts apart by the four
 * bytes "\0ATT".  At most four attempts.  Each report is handed over as
 * a file of its own (memfd).  Besides the sanitizers it checks the
 * promises of a step:
 *   - exit 0 (passed, retry) only when no attempt's own verdict is
 *     terminal, every attempt but the last would retry, and the last
 *     passed or would retry; a truncated attempt is never among them;
 *   - retry only while the budget allows another attempt;
 *   - flaky only under --fail-on-flaky;
 *   - the json format is one valid JSON object with one attempt each.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "output.h"
#include "step.h"
#include "strbuf.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ATTEMPTS_MAX	4
#define SEPARATOR	"\0ATT"
#define SEPARATOR_LEN	4

static const struct format *
pick_format(unsigned which)
{
	static const char *const names[] = {
		"lines", "null", "verdict", "json", "markdown", "github"
	};

	return output_format(names[which % 6]);
}

/* The report as a file of its own: its path in path. */
static int
as_file(const uint8_t *p, size_t len, char path[64])
{
	int fd;

	if ((fd = memfd_create("attempt", 0)) == -1)
		abort();
	if (len > 0 && write(fd, p, len) != (ssize_t)len)
		abort();
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

static void
check_json(const char *text, size_t len, const struct step *s)
{
	struct json_tokener *tok;
	struct json_object *o, *v;

	if ((tok = json_tokener_new()) == NULL)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (o == NULL || !json_object_object_get_ex(o, "verdict", &v) ||
	    strcmp(json_object_get_string(v),
	    verdict_name(s->result.verdict)) != 0 ||
	    !json_object_object_get_ex(o, "attempts", &v) ||
	    json_object_array_length(v) != s->nattempts)
		abort();
	json_object_put(o);
	json_tokener_free(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct step_input in[ATTEMPTS_MAX];
	struct step_options opt;
	struct write_options wopt;
	const struct format *format;
	const uint8_t *p, *end, *next;
	char paths[ATTEMPTS_MAX][64];
	int fds[ATTEMPTS_MAX];
	struct strbuf why;
	struct step s;
	char *text = NULL;
	size_t n = 0, k, len = 0;
	FILE *out;
	int rc;

	if (size < 2)
		return 0;
	memset(&opt, 0, sizeof(opt));
	opt.retries = data[0] & 3;
	opt.fail_on_flaky = (data[0] >> 2) & 1;
	opt.reference = (data[0] >> 3) & 1;
	format = pick_format((data[0] >> 4) & 7);
	opt.messages = format->messages;
	memset(&wopt, 0, sizeof(wopt));
	wopt.max_bytes = 1000000;
	for (p = data + 1, end = data + size; p < end && n < ATTEMPTS_MAX;
	    p = next + SEPARATOR_LEN) {
		next = memmem(p + 1, (size_t)(end - p - 1), SEPARATOR,
		    SEPARATOR_LEN);
		if (next == NULL)
			next = end;
		in[n].exit_status = p[0];
		fds[n] = as_file(p + 1, (size_t)(next - p - 1), paths[n]);
		in[n].report = paths[n];
		n++;
		if (next == end)
			break;
	}
	strbuf_init(&why);
	if (step_judge(&s, in, n, &opt, &why) == -1) {
		/* Only the budget may refuse here: out of memory is not
		 * fuzzed, and every file opens. */
		if (n - 1 <= opt.retries)
			abort();
		goto out;
	}
	if ((out = open_memstream(&text, &len)) == NULL)
		abort();
	if (format->write(out, &s, &wopt) == -1)
		abort();
	if (fclose(out) == EOF)
		abort();
	rc = verdict_exit(s.result.verdict);
	if (rc == 0) {
		for (k = 0; k + 1 < n; k++)
			if (s.attempts[k].verdict != VERDICT_RETRY)
				abort();
		if (verdict_exit(s.attempts[n - 1].verdict) != 0)
			abort();
	}
	if (s.result.verdict == VERDICT_RETRY && n - 1 >= opt.retries)
		abort();
	if (s.result.verdict == VERDICT_FLAKY && !opt.fail_on_flaky)
		abort();
	if (format->arguments && len > 0 && s.result.verdict != VERDICT_RETRY)
		abort();
	if (strcmp(format->name, "json") == 0)
		check_json(text, len, &s);
out:
	free(text);
	step_free(&s);
	strbuf_free(&why);
	for (k = 0; k < n; k++)
		close(fds[k]);
	return 0;
}
