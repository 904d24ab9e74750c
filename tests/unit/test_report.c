/*
 * test_report.c: what the readers of the collector's report (pytest
 * --json) do that no report file can show: a tally that finds a
 * collision or runs out of room for node IDs, and a record read across
 * the source's mapping window.
 *
 * The report's rules, valid and bad, are end-to-end cases: the files of
 * testdata/hostile/, pinned by tests/golden/report.test, and read by both
 * readers at every chunk size by tests/difftest.sh.  The log (pytest
 * --report-log) has test_reportlog.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit.h"
#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"

/* The refills the tally's fault must not depend on: a byte, a few, all. */
static const size_t chunks[] = { 1, 2, 3, 7, 64, 0 };	/* 0: whole */
#define NCHUNKS		(sizeof(chunks) / sizeof(chunks[0]))

static void
test_two_node_ids_sharing_a_hash_are_a_collision(void **state)
{
	(void)state;
	check_collision("[{\"scope\": \"t.py\", \"name\": \"b\", "
	    "\"result\": \"passed\"}]");
}

/* 3000 records, none closed off: the tally has room for 1500. */
static void
records_past_the_tally(struct strbuf *doc, struct tally *t)
{
	size_t i;

	strbuf_init(doc);
	assert_int_equal(strbuf_puts(doc, "["), 0);
	for (i = 0; i < 3000; i++)
		assert_int_equal(strbuf_printf(doc, "%s{\"scope\": \"t.py\", "
		    "\"name\": \"test_%zu\", \"result\": \"passed\"}",
		    i > 0 ? ", " : "", i), 0);
	assert_int_equal(tally_init(t, SEED), 0);
	t->counts.tests = TALLY_MAX_TESTS - 1500;
}

/* Read, and say what the reader found wrong. */
static enum report_status
read_into(size_t r, struct source *src, struct tally *t,
    struct report_error *err)
{
	struct reading rd;
	enum report_status st;

	memset(&rd, 0, sizeof(rd));
	rd.tally = t;
	st = reader_read(r, src, &rd);
	*err = rd.err;
	return st;
}

/*
 * The tally runs out of room for node IDs at record 1500 of 3000, and the
 * report is broken at its end, or its reading fails there: the tally's
 * fault came first, and is what every reader reports.  Not one record is
 * counted past the fault.
 */
static void
test_a_fault_of_the_tally_beats_a_later_bad_byte(void **state)
{
	struct report_error err;
	struct source src;
	struct strbuf doc;
	struct tally t;
	size_t r, k;

	(void)state;
	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < NCHUNKS; k++) {
			enum report_status st;

			records_past_the_tally(&doc, &t);
			assert_int_equal(strbuf_puts(&doc, ", }]"), 0);
			source_from_memory(&src, doc.data, doc.len, chunks[k]);
			st = read_into(r, &src, &t, &err);
			if (st != REPORT_READ_TOO_MANY)
				fail_msg("%s, chunk %zu: %s (%s), want TOO_MANY",
				    reader_name(r), chunks[k],
				    status_name(st), err.what);
			assert_int_equal(t.counts.records, 1501);
			tally_free(&t);
			strbuf_free(&doc);
		}
}

/* The same, the report read from /proc/self/mem up to a page that is not
 * mapped: the read after the last record fails with EIO. */
static void
test_a_fault_of_the_tally_beats_a_later_read_error(void **state)
{
	struct report_error err;
	struct source src;
	struct strbuf doc;
	struct tally t;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size, r;
	unsigned char *pages, *start;
	int fd;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		records_past_the_tally(&doc, &t);
		size = (doc.len + page - 1) / page * page;
		pages = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(pages != MAP_FAILED);
		assert_int_equal(munmap(pages + size, page), 0);
		start = pages + size - doc.len;
		memcpy(start, doc.data, doc.len);
		assert_true((fd = open("/proc/self/mem", O_RDONLY)) >= 0);
		assert_true(lseek(fd, (off_t)(uintptr_t)start, SEEK_SET) ==
		    (off_t)(uintptr_t)start);
		source_from_fd(&src, fd);
		assert_int_equal(read_into(r, &src, &t, &err),
		    REPORT_READ_TOO_MANY);
		assert_int_equal(t.counts.records, 1501);
		close(fd);
		munmap(pages, size);
		tally_free(&t);
		strbuf_free(&doc);
	}
}
/*
 * A collection error record placed across the source's mapping window
 * at many offsets, read from a file: every key and value of the record
 * lies across the window's end once, and must be read as from memory.
 */
static void
test_a_record_across_a_mapping_window_is_read_whole(void **state)
{
	static const char tail[] = "\", \"result\": \"passed\"}, "
	    "{\"scope\": \"\", \"name\": \"tests/test_e.py\", \"result\": "
	    "\"failed\", \"failure_reason\": \"E: x\\ny\", \"tags\": "
	    "{\"custom.tag\": \"v\", \"test.pytest_collection_error\": "
	    "\"true\"}}]";

	(void)state;
	check_across_the_window("[{\"scope\": \"\", \"name\": \"pad\", "
	    "\"x\": \"", tail, sizeof(tail) - 20,
	    &(struct tally_counts){ 2, 2, 1, 1, 0, 0 }, 0, 0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_two_node_ids_sharing_a_hash_are_a_collision),
		cmocka_unit_test(
		    test_a_fault_of_the_tally_beats_a_later_bad_byte),
		cmocka_unit_test(
		    test_a_fault_of_the_tally_beats_a_later_read_error),
		cmocka_unit_test(
		    test_a_record_across_a_mapping_window_is_read_whole),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
