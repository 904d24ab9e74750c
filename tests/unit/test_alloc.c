/*
 * test_alloc.c: no allocation per passed record on the hot path.
 *
 * malloc, calloc and realloc are wrapped at link time (-Wl,--wrap) and
 * counted while report_read() reads reports of 1,000 and of 100,000
 * passed records with distinct node IDs.  The reader's scratch buffers
 * grow once, and the tally's table grows by mmap(2), not malloc: so the
 * count must not grow with the number of records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
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

/* Allocations made while reading a report of n passed records. */
static unsigned long
allocations_reading(unsigned n, size_t chunk)
{
	struct report_error err;
	struct source src;
	struct tally t;
	unsigned long before;
	size_t len;
	char *data = passed_report(n, &len);

	assert_int_equal(tally_init(&t, 1), 0);
	source_from_memory(&src, data, len, chunk);
	before = allocations;
	assert_int_equal(report_read(&src, &t, &err), REPORT_READ_OK);
	before = allocations - before;
	assert_int_equal(t.counts.tests, n);
	assert_int_equal(t.counts.passed, n);
	tally_free(&t);
	free(data);
	return before;
}

static void
test_passed_records_allocate_nothing_each(void **state)
{
	unsigned long few, many;

	(void)state;
	few = allocations_reading(1000, 0);
	many = allocations_reading(100000, 0);
	/* The same handful of scratch buffers, whatever the count. */
	assert_true(few > 0);
	assert_int_equal(few, many);
}

static void
test_refills_allocate_nothing_either(void **state)
{
	unsigned long few, many;

	(void)state;
	few = allocations_reading(1000, 4096);
	many = allocations_reading(100000, 4096);
	assert_int_equal(few, many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passed_records_allocate_nothing_each),
		cmocka_unit_test(test_refills_allocate_nothing_either),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
