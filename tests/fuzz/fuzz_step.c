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
 *   - the json format is one valid JSON object with one attempt each;
 *   - the junit format is well-formed XML 1.0 as far as a cheap check
 *     sees (libxml2 is not linked): UTF-8 with no character XML cannot
 *     carry, every tag closed in order, every '&' an entity, no raw '<'
 *     in text or '<' and '"' in an attribute, one <testcase> per case
 *     and the earlier runs of a flaky case flaky, of any other rerun.
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

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ATTEMPTS_MAX	4
#define SEPARATOR	"\0ATT"
#define SEPARATOR_LEN	4

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

/* The JSON format's object: one attempt each. */
static void
check_json(const char *text, size_t len, const struct step *s)
{
	struct json_object *o, *v;

	o = fuzz_json(text, len, s->result.verdict);
	if (!json_object_object_get_ex(o, "attempts", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != s->nattempts)
		abort();
	json_object_put(o);
}

/* Bytes of the UTF-8 character XML 1.0 can carry at p, or 0. */
static size_t
xml_char(const unsigned char *p, size_t len)
{
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return p[0] >= 0x20 || p[0] == '\t' || p[0] == '\n' ? 1 : 0;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	if (n > len)
		return 0;
	cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* An entity at p: &amp; &lt; &gt; &quot; or &#N;.  Its length, or 0. */
static size_t
entity(const char *p, size_t len)
{
	static const char *const names[] = {
		"&amp;", "&lt;", "&gt;", "&quot;"
	};
	size_t i;

	for (i = 0; i < 4; i++)
		if (len >= strlen(names[i]) &&
		    memcmp(p, names[i], strlen(names[i])) == 0)
			return strlen(names[i]);
	if (len < 4 || p[1] != '#')
		return 0;
	for (i = 2; i < len && i < 10 && p[i] >= '0' && p[i] <= '9'; i++)
		;
	return i > 2 && i < len && p[i] == ';' ? i + 1 : 0;
}

/* At p: text (or an attribute's value, to its closing quote) that XML
 * can carry.  Its length, or abort. */
static size_t
xml_text(const char *text, size_t i, size_t len, int attribute)
{
	size_t start = i, n;

	while (i < len && text[i] != '<' && !(attribute && text[i] == '"')) {
		if (text[i] == '&')
			n = entity(text + i, len - i);
		else
			n = xml_char((const unsigned char *)text + i, len - i);
		if (n == 0)
			abort();
		i += n;
	}
	if (attribute && (i >= len || text[i] != '"'))
		abort();
	return i - start;
}

static void
check_junit(const char *text, size_t len, const struct step *s)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	const char *stack[16], *name;
	size_t depth = 0, i, n, cases = 0, flaky = 0, rerun = 0;
	size_t want[2] = { 0, 0 };

	if (len < sizeof(head) - 1 || memcmp(text, head, sizeof(head) - 1) != 0)
		abort();
	for (i = sizeof(head) - 1; i < len; ) {
		i += xml_text(text, i, len, 0);
		if (i >= len)
			break;
		if (i + 1 < len && text[i + 1] == '/') {
			/* A closing tag: the innermost open one's. */
			name = text + i + 2;
			n = strcspn(name, ">");
			if (depth == 0 || strncmp(stack[depth - 1], name, n) != 0 ||
			    strchr(" />", stack[depth - 1][n]) == NULL ||
			    i + 2 + n >= len)
				abort();
			depth--;
			i += 2 + n + 1;
			continue;
		}
		name = text + ++i;
		cases += strncmp(name, "testcase ", 9) == 0;
		flaky += strncmp(name, "flaky", 5) == 0;
		rerun += strncmp(name, "rerun", 5) == 0;
		/* Its name and attributes, each value quoted, to '>'. */
		while (i < len && text[i] != '>') {
			if (text[i] == '<' || text[i] == '&')
				abort();
			if (text[i++] == '"')
				i += xml_text(text, i, len, 1) + 1;
		}
		if (i >= len)
			abort();
		if (text[i - 1] != '/') {
			if (depth == sizeof(stack) / sizeof(stack[0]))
				abort();
			stack[depth++] = name;
		}
		i++;
	}
	if (depth != 0 || cases != s->ncases)
		abort();
	for (i = 0; i < s->ncases; i++)
		want[s->cases[i].flaky] += s->cases[i].nearlier;
	if (flaky != want[1] || rerun != want[0])
		abort();
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
	format = fuzz_format((data[0] >> 4) & 7, 7);
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
	if (strcmp(format->name, "junit") == 0)
		check_junit(text, len, &s);
out:
	free(text);
	step_free(&s);
	strbuf_free(&why);
	for (k = 0; k < n; k++)
		close(fds[k]);
	return 0;
}
