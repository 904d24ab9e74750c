/*
 * test_alloc.c: no allocation per passed record on the hot path.
 *
 * malloc, calloc and realloc are wrapped at link time (-Wl,--wrap) and
 * counted while report_read() reads reports of 5,000 and of 100,000
 * passed records with distinct node IDs, and logs of 1,000 and 100,000
 * passed tests (setup, call and teardown lines each).  The reader's
 * scratch buffers grow once, the tally's table grows by mmap(2), not
 * malloc, and a log's open attempts are one at a time here: so the count
 * must not grow with the number of records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);

static unsigned long allocations;

void *
__wrap_malloc(size_t n)
{
	allocations++;
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	allocations++;
	return __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	allocations++;
	return __real_realloc(p, n);
}

/* A report of n passed records, collector-shaped, distinct node IDs. */
static char *
passed_report(unsigned n, size_t *len)
{
	struct strbuf sb;
	unsigned i;

	strbuf_init(&sb);
	strbuf_puts(&sb, "[");
	for (i = 0; i < n; i++)
		strbuf_printf(&sb, "%s{\"id\": \"u%u\", \"scope\": "
		    "\"tests/test_mod.py\", \"name\": \"test_number[%u]\", "
		    "\"location\": \"tests/test_mod.py:3\", \"file_name\": "
		    "\"tests/test_mod.py\", \"history\": {\"section\": \"top\", "
		    "\"children\": [], \"start_at\": 5.1e-05, \"end_at\": "
		    "0.000717, \"duration\": 0.000666}, \"result\": \"passed\"}",
		    i > 0 ? ", " : "", i, i);
	strbuf_puts(&sb, "]");
	*len = sb.len;
	return sb.data;
}

/* A log of n passed tests as pytest-reportlog writes it. */
static char *
passed_log(unsigned n, size_t *len)
{
	static const char *const when[] = { "setup", "call", "teardown" };
	struct strbuf sb;
	unsigned i, w;

	strbuf_init(&sb);
	strbuf_puts(&sb, "{\"pytest_version\": \"7.2.1\", "
	    "\"$report_type\": \"SessionStart\"}\n");
	for (i = 0; i < n; i++)
		for (w = 0; w < 3; w++)
			strbuf_printf(&sb, "{\"nodeid\": "
			    "\"tests/test_mod.py::test_number[%u]\", "
			    "\"location\": [\"tests/test_mod.py\", 2, "
			    "\"test_number[%u]\"], \"outcome\": \"passed\", "
			    "\"longrepr\": null, \"when\": \"%s\", "
			    "\"duration\": 5.1e-05, "
			    "\"$report_type\": \"TestReport\"}\n", i, i,
			    when[w]);
	strbuf_puts(&sb, "{\"exitstatus\": 0, \"$report_type\": "
	    "\"SessionFinish\"}\n");
	*len = sb.len;
	return sb.data;
}

/* Allocations made while reading n passed records (or tests). */
static unsigned long
allocations_reading(char *(*make)(unsigned, size_t *), unsigned n,
    size_t chunk, int messages)
{
	struct reading rd;
	struct source src;
	struct tally t;
	unsigned long before;
	size_t len;
	char *data = make(n, &len);

	assert_int_equal(tally_init(&t, 1), 0);
	memset(&rd, 0, sizeof(rd));
	rd.tally = &t;
	rd.messages = messages;
	source_from_memory(&src, data, len, chunk);
	before = allocations;
	assert_int_equal(report_read(&src, &rd), REPORT_READ_OK);
	before = allocations - before;
	assert_int_equal(t.counts.tests, n);
	assert_int_equal(t.counts.passed, n);
	tally_free(&t);
	free(data);
	return before;
}

/* Reading few and many passed records or tests, in chunks of chunk bytes
 * (0: whole), keeping messages or not, allocates the same, and some. */
struct alloc_case {
	const char *what;
	char *(*make)(unsigned, size_t *);
	unsigned few, many;
	size_t chunk;
	int messages;
};

static const struct alloc_case alloc_cases[] = {
	{ "passed records allocate nothing each", passed_report, 5000, 100000,
	    0, 0 },
	{ "refills allocate nothing either", passed_report, 5000, 100000, 4096,
	    0 },
	{ "passed tests of a log allocate nothing each", passed_log, 1000,
	    100000, 0, 0 },
	{ "a log's refills allocate nothing either", passed_log, 1000, 100000,
	    4096, 0 },
	{ "nor do a log's locations and longrepr (-f markdown)", passed_log,
	    1000, 100000, 4096, 1 },
};

static void
test_alloc_case(void **state)
{
	const struct alloc_case *c = *state;
	unsigned long few, many;

	few = allocations_reading(c->make, c->few, c->chunk, c->messages);
	many = allocations_reading(c->make, c->many, c->chunk, c->messages);
	/* the same handful of scratch buffers, whatever the count */
	assert_true(few > 0);
	assert_int_equal(few, many);
}

int
main(void)
{
	return run_table("alloc", TABLE(alloc_cases), test_alloc_case);
}
