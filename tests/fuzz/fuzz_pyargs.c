/*
 * fuzz_pyargs.c: libFuzzer target over pytriage run's reading of pytest's
 * command line (pyargs.h).
 *
 * Input: byte 0 picks the report (bit 0: the collector's) and whether
 * PYTEST_ADDOPTS is set (bit 1); the rest, split at NUL bytes, is
 * PYTEST_ADDOPTS first when set, then COMMAND's words.  Besides the
 * sanitizers it checks:
 *   - shlex.split's words, NUL-ended, fill its buffer exactly, and it
 *     fails only with a reason;
 *   - pyargs_read() refuses only with a reason, and otherwise puts
 *     pytriage's options within COMMAND, after its program;
 *   - an early stop is said as a whole line of text;
 *   - a command line whose words hold no "-" (and PYTEST_ADDOPTS that
 *     splits) refuses nothing and stops nowhere early.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pyargs.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define WORDS_MAX	64

/* 1 when s splits. */
static int
check_shlex(const char *s)
{
	struct strbuf out;
	const char *why = NULL;
	size_t n, i, off = 0;
	int rc;

	strbuf_init(&out);
	rc = pyargs_shlex(s, &out, &n, &why);
	if (rc == 1 && why == NULL)
		abort();
	if (rc == 0) {
		for (i = 0; i < n; i++) {
			if (off >= out.len)
				abort();
			off += strlen(out.data + off) + 1;
		}
		if (off != out.len)
			abort();
	}
	strbuf_free(&out);
	return rc == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *words[WORDS_MAX], *addopts = NULL;
	struct pyargs pa;
	struct strbuf why;
	size_t i, start;
	int argc = 0, rc, dash, splits = 1;

	if (size < 1)
		return 0;
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	dash = memchr(copy, '-', size - 1) != NULL;
	for (i = 0, start = 0; i < size && argc < WORDS_MAX; i++) {
		if (i < size - 1 && copy[i] != '\0')
			continue;
		copy[i] = '\0';
		if ((data[0] & 2) && addopts == NULL)
			addopts = copy + start;
		else
			words[argc++] = copy + start;
		start = i + 1;
	}
	if (addopts != NULL)
		splits = check_shlex(addopts);
	if (argc == 0) {
		free(copy);
		return 0;
	}
	strbuf_init(&why);
	rc = pyargs_read(&pa, words, argc, addopts, (data[0] & 1) ?
	    PYARGS_COLLECTOR : PYARGS_REPORTLOG, &why);
	if (rc == -1 && (why.data == NULL || why.len == 0))
		abort();
	if (rc == 0) {
		if (pa.insert_at < 1 || pa.insert_at > argc)
			abort();
		if (pa.early_stop.len > 0 &&
		    (strlen(pa.early_stop.data) != pa.early_stop.len ||
		    strchr(pa.early_stop.data, '\n') != NULL))
			abort();
	}
	if (!dash && splits && (rc != 0 || pa.early_stop.len > 0))
		abort();
	pyargs_free(&pa);
	strbuf_free(&why);
	free(copy);
	return 0;
}
