/*
 * test_reportlog.c: what the readers of pytest-reportlog's log (pytest
 * --report-log) and the meaning of its lines (logstate.c) do that no log
 * file can show: the table of open attempts under thousands of long node
 * IDs closed out of order, a tally that finds a collision, and a line read
 * across the source's mapping window.
 *
 * The log's rules, valid and bad, are end-to-end cases: the files
 * testdata/hostile/log_*.jsonl, pinned by tests/golden/reportlog.test, and
 * read by both readers at every chunk size by tests/difftest.sh.
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

#define START	"{\"pytest_version\": \"7.2.1\", \"$report_type\": " \
	"\"SessionStart\"}\n"

/*
 * Many attempts open at once, with long node IDs, closed in a scrambled
 * order: the table of open attempts grows, loses entries from the middle
 * of its probe chains, and its arena is compacted, and every test still
 * gets its own outcome.
 */
static void
test_many_open_attempts_close_in_any_order(void **state)
{
	enum { N = 3000 };
	static const char pad[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	struct tally_id *ids;
	struct reading rd;
	struct strbuf sb;
	struct tally t;
	size_t i, j, r, n, lines = 1;
	char id[256];
	unsigned order[N];

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, START), 0);
	for (i = 0; i < N; i++)
		order[i] = (unsigned)((i * 1103) % N);	/* 1103 is prime */
	for (j = 0; j < 2; j++)		/* open them all; then again */
		for (i = 0; i < N; i++, lines++) {
			snprintf(id, sizeof(id), "t.py::test_%u[%s]", order[i],
			    pad);
			assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": "
			    "\"%s\", \"when\": \"%s\", \"outcome\": \"%s\", "
			    "\"$report_type\": \"TestReport\"}\n", id,
			    j == 0 ? "setup" : "call", j == 0 ? "passed" :
			    order[i] % 3 == 0 ? "failed" : "passed"), 0);
		}
	for (i = 0; i < N; i++) {	/* close all but every 7th */
		if (i % 7 == 0)
			continue;
		snprintf(id, sizeof(id), "t.py::test_%zu[%s]", i, pad);
		assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": \"%s\", "
		    "\"when\": \"teardown\", \"outcome\": \"passed\", "
		    "\"$report_type\": \"TestReport\"}\n", id), 0);
		lines++;
	}
	for (r = 0; r < NREADERS; r++) {
		if (read_doc(r, sb.data, sb.len, 0, &t, &rd) != REPORT_READ_OK)
			fail_msg("%s: %s", reader_name(r), rd.err.what);
		assert_int_equal(t.counts.records, lines);
		assert_int_equal(t.counts.tests, N);
		assert_int_equal(t.counts.unknown, (N + 6) / 7);
		assert_int_equal(tally_selectors(&t, &ids, &n), 0);
		/* the failed ones that finished, in the order of their first
		 * report: the scrambled one */
		for (i = 0, j = 0; i < N; i++) {
			if (order[i] % 3 != 0 || order[i] % 7 == 0)
				continue;
			snprintf(id, sizeof(id), "t.py::test_%u[%s]", order[i],
			    pad);
			if (j >= n || ids[j].len != strlen(id) ||
			    memcmp(ids[j].id, id, ids[j].len) != 0)
				fail_msg("%s: selector %zu is not test_%u",
				    reader_name(r), j, order[i]);
			j++;
		}
		assert_int_equal(n, j);
		free(ids);
		tally_free(&t);
	}
	strbuf_free(&sb);
}

static void
test_two_node_ids_sharing_a_hash_are_a_collision(void **state)
{
	(void)state;
	check_collision(START "{\"nodeid\": \"t.py::b\", \"when\": \"setup\", "
	    "\"outcome\": \"passed\", \"$report_type\": \"TestReport\"}\n");
}

/*
 * A failed CollectReport line placed across the source's mapping window
 * at many offsets, read from a file: the collection error and its reason
 * read as from memory, and the lines around it counted.
 */
static void
test_a_line_across_a_mapping_window_is_read_whole(void **state)
{
	static const char tail[] = "\", \"$report_type\": "
	    "\"WarningMessage\"}\n{\"nodeid\": \"tests/test_e.py\", "
	    "\"outcome\": \"failed\", \"longrepr\": \"Traceback\\nE: x\", "
	    "\"result\": null, \"$report_type\": \"CollectReport\"}\r\n"
	    "{\"exitstatus\": 2, \"$report_type\": \"SessionFinish\"}\n";

	(void)state;
	check_across_the_window(START "{\"message\": \"", tail,
	    sizeof(tail) - 4, &(struct tally_counts){ 4, 1, 0, 1, 0, 0 }, 1, 2);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_open_attempts_close_in_any_order),
		cmocka_unit_test(
		    test_two_node_ids_sharing_a_hash_are_a_collision),
		cmocka_unit_test(
		    test_a_line_across_a_mapping_window_is_read_whole),
	};

	return cmocka_run_group_tests_name("reportlog", tests, NULL, NULL);
}
