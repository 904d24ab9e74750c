/*
 * test_triage.c: what triage_run() adds to what a reader found, where no
 * report file shows all of it: how many collection errors the reason
 * names and how it cuts their node IDs, and what is kept of a failure,
 * its path made relative to the current directory.
 *
 * Which verdict and reason each report gets is end-to-end
 * (the tables of tests/golden/); the order of the rules is test_verdict.c's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"
#include "triage.h"
#include "verdict.h"

#define SEED	0x2545f4914f6cdd1dULL

/* A read and triaged report. */
struct run {
	struct tally tally;
	struct reading rd;
	struct triage t;
};

/* Read doc with the fast reader, keeping messages, and triage it with
 * exit status 1 in the directory cwd. */
static void
triage_of(struct run *x, const char *doc, size_t len, const char *cwd)
{
	struct triage_options opt;
	struct source src;
	struct strbuf why;

	assert_int_equal(tally_init(&x->tally, SEED), 0);
	memset(&x->rd, 0, sizeof(x->rd));
	x->rd.tally = &x->tally;
	x->rd.messages = 1;
	source_from_memory(&src, doc, len, 0);
	assert_int_equal(report_read(&src, &x->rd), REPORT_READ_OK);
	memset(&opt, 0, sizeof(opt));
	opt.exit_status = 1;
	opt.cwd = cwd;
	strbuf_init(&why);
	if (triage_run(&x->t, &x->rd, REPORT_READ_OK, &opt, &why) != 0)
		fail_msg("triage_run: %s", why.data);
	strbuf_free(&why);
}

static void
run_free(struct run *x)
{
	triage_free(&x->t);
	tally_free(&x->tally);
}

/* The collection errors' sentence. */

/* A report of n collection errors, "tests/eI.py" with "Error I", or one
 * whose node ID is n bytes of 'x' when n is over 100. */
static char *
errors_report(size_t n, size_t *len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "["), 0);
	if (n > 100) {
		assert_int_equal(strbuf_puts(&sb, "{\"scope\": \"\", "
		    "\"name\": \""), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(strbuf_appendc(&sb, 'x'), 0);
		assert_int_equal(strbuf_puts(&sb, "\", \"result\": "
		    "\"failed\", \"tags\": {\"test.pytest_collection_error\": "
		    "\"true\"}}"), 0);
	} else
		for (i = 0; i < n; i++)
			assert_int_equal(strbuf_printf(&sb, "%s{\"scope\": "
			    "\"\", \"name\": \"tests/e%zu.py\", \"result\": "
			    "\"failed\", \"failure_reason\": \"Error %zu\\n"
			    "Traceback\", \"tags\": "
			    "{\"test.pytest_collection_error\": \"true\"}}",
			    i > 0 ? ", " : "", i, i), 0);
	assert_int_equal(strbuf_puts(&sb, "]"), 0);
	*len = sb.len;
	return sb.data;
}

/* The reason of a report of n collection errors (see errors_report). */
static void
assert_errors_reason(size_t n, const char *want)
{
	struct run x;
	size_t len;
	char *doc;

	doc = errors_report(n, &len);
	triage_of(&x, doc, len, NULL);
	assert_int_equal(x.t.verdict, VERDICT_COLLECTION_ERROR);
	assert_string_equal(x.t.reason, want);
	assert_int_equal(x.t.nerrors, n > 100 ? 1 : n);
	if (n > 100)		/* the node ID itself is whole */
		assert_int_equal(x.t.errors[0].id_len, n);
	run_free(&x);
	free(doc);
}

static void
test_five_collection_errors_are_all_named(void **state)
{
	(void)state;
	assert_errors_reason(5, "5 collection errors: tests/e0.py "
	    "(Error 0); tests/e1.py (Error 1); tests/e2.py (Error 2); "
	    "tests/e3.py (Error 3); tests/e4.py (Error 4)");
}

static void
test_six_collection_errors_name_five_and_count_the_rest(void **state)
{
	(void)state;
	assert_errors_reason(6, "6 collection errors: tests/e0.py "
	    "(Error 0); tests/e1.py (Error 1); tests/e2.py (Error 2); "
	    "tests/e3.py (Error 3); tests/e4.py (Error 4); and 1 more");
}

/* A node ID of 201 bytes is cut at 200 in the sentence, one of 200 not;
 * the node ID itself stays whole. */
static void
test_collection_error_sentence_cuts_long_ids(void **state)
{
	char want[300];
	size_t n;

	(void)state;
	for (n = 200; n <= 201; n++) {
		memcpy(want, "1 collection error: ", 20);
		memset(want + 20, 'x', 200);
		strcpy(want + 220, n > 200 ? "..." : "");
		assert_errors_reason(n, want);
	}
}

/* What is kept of a failure: its message without pytest's "E" marker, its
 * path and line; a flaky test keeps its failure too. */

#define TR(id, when, outcome)	"{\"nodeid\": \"" id "\", \"outcome\": \"" \
	outcome "\", \"when\": \"" when "\", \"$report_type\": " \
	"\"TestReport\"}\n"
#define FAILED(id, location, longrepr)	TR(id, "setup", "passed") \
	"{\"nodeid\": \"" id "\", \"location\": " location ", \"outcome\": " \
	"\"failed\", \"longrepr\": " longrepr ", \"when\": \"call\", " \
	"\"$report_type\": \"TestReport\"}\n" TR(id, "teardown", "passed")

static const char detailed_log[] =
    "{\"pytest_version\": \"7.2.1\", \"$report_type\": \"SessionStart\"}\n"
    FAILED("t.py::a", "[\"t.py\", 4, \"a\"]", "{\"reprcrash\": "
    "{\"path\": \"/home/u/proj/t.py\", \"lineno\": 7, \"message\": "
    "\"AssertionError: assert 1 == 2\"}}")
    FAILED("sub/t.py::b", "[\"sub/t.py\", 9, \"b\"]",
    "\"Traceback\\nE   ValueError: v\"")
    FAILED("t.py::f", "[\"t.py\", 1, \"f\"]", "{\"reprcrash\": "
    "{\"path\": \"/home/u/proj/t.py\", \"lineno\": 2, \"message\": "
    "\"E: flaky\"}}")
    TR("t.py::f", "setup", "passed") TR("t.py::f", "call", "passed")
    TR("t.py::f", "teardown", "passed")
    "{\"exitstatus\": 1, \"$report_type\": \"SessionFinish\"}\n";

static void
assert_test(const struct triage_test *t, const char *id, const char *msg,
    const char *path, uint64_t line)
{
	if (t->id_len != strlen(id) || memcmp(t->id, id, t->id_len) != 0 ||
	    t->message_len != strlen(msg) ||
	    memcmp(t->message, msg, t->message_len) != 0 ||
	    t->path_len != strlen(path) ||
	    memcmp(t->path, path, t->path_len) != 0 || t->line != line)
		fail_msg("\"%.*s\": \"%.*s\" at \"%.*s\" line %ju, want \"%s\" "
		    "at \"%s\" line %ju", (int)t->id_len, t->id,
		    (int)t->message_len, t->message, (int)t->path_len,
		    t->path, (uintmax_t)t->line, msg, path, (uintmax_t)line);
}

/* The failures of detailed_log, triaged in cwd: t.py::a's path as it is
 * made relative to cwd. */
static void
assert_detailed(const char *cwd, const char *path)
{
	struct run x;

	triage_of(&x, detailed_log, sizeof(detailed_log) - 1, cwd);
	assert_int_equal(x.t.verdict, VERDICT_RETRY);
	assert_int_equal(x.t.nfailed, 2);
	assert_int_equal(x.t.nflaky, 1);
	assert_test(&x.t.failed[0], "t.py::a", "AssertionError: assert 1 == 2",
	    path, 7);
	/* a relative path is left as it is */
	assert_test(&x.t.failed[1], "sub/t.py::b", "ValueError: v", "sub/t.py",
	    10);
	if (cwd != NULL && strcmp(cwd, "/home/u/proj") == 0)
		assert_test(&x.t.flaky[0], "t.py::f", "E: flaky", "t.py", 2);
	run_free(&x);
}

static void
test_failure_paths_are_made_relative_to_the_current_directory(void **state)
{
	static const struct {
		const char *cwd, *path;
	} cases[] = {
		{ "/home/u/proj", "t.py" },
		{ "/home/u", "proj/t.py" },
		{ "/", "home/u/proj/t.py" },
		{ "/home/u/pro", "/home/u/proj/t.py" },
		{ "/home/u/proj/t.py", "/home/u/proj/t.py" },
		{ "/elsewhere", "/home/u/proj/t.py" },
		{ NULL, "/home/u/proj/t.py" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_detailed(cases[i].cwd, cases[i].path);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_five_collection_errors_are_all_named),
		cmocka_unit_test(
		    test_six_collection_errors_name_five_and_count_the_rest),
		cmocka_unit_test(test_collection_error_sentence_cuts_long_ids),
		cmocka_unit_test(
		    test_failure_paths_are_made_relative_to_the_current_directory),
	};

	return cmocka_run_group_tests_name("triage", tests, NULL, NULL);
}
