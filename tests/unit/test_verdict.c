/*
 * test_verdict.c: the triage decision, rule by rule, in verdict.c's order.
 *
 * A table of struct facts and the verdict each must give: every rule, and
 * at each rule the cases that show it wins over the rules after it and
 * loses to the rules before it, for a collector's report and for a log
 * (whose SessionFinish line must be there and agree with pytest).  Then
 * the exit status and name of every verdict, the signal names and the
 * reasons that carry numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
#include "verdict.h"

/* VERDICT_PASSED .. VERDICT_TOO_MANY_FAILURES */
#define ALL_VERDICTS	16

struct rule_case {
	const char *what;
	struct facts facts;
	enum verdict expect;
};

/* A collector's report: exit_status, report, collection_errors, tests,
 * failed, unknown, max_failures. */
#define F(x, r, ce, nt, nf, nu, max) { .exit_status = (x), .report = (r), \
	.collection_errors = (ce), .tests = (nt), .failed = (nf), \
	.unknown = (nu), .max_failures = (max) }
/* A pytest-reportlog log: the same, after whether it has a SessionFinish
 * line and the exitstatus that line says. */
#define LOG(x, r, fin, ss, ce, nt, nf, nu, max) { .exit_status = (x), \
	.report = (r), .log = 1, .finished = (fin), .session_status = (ss), \
	.collection_errors = (ce), .tests = (nt), .failed = (nf), \
	.unknown = (nu), .max_failures = (max) }

static const struct rule_case rule_cases[] = {
	/* Rule 1: collection errors in a parsed report beat everything. */
	{ "collection error with exit 1",
	    F(1, REPORT_PARSED, 1, 3, 1, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error beats exit 2",
	    F(2, REPORT_PARSED, 1, 3, 1, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error with exit 0",
	    F(0, REPORT_PARSED, 1, 1, 1, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error with exit 0 and nothing failed",
	    F(0, REPORT_PARSED, 2, 5, 0, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error beats a signal",
	    F(137, REPORT_PARSED, 1, 1, 1, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error beats exit 4",
	    F(4, REPORT_PARSED, 1, 1, 1, 0, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error beats unknown outcomes",
	    F(1, REPORT_PARSED, 1, 4, 1, 2, 0), VERDICT_COLLECTION_ERROR },
	{ "collection error beats too many failures",
	    F(1, REPORT_PARSED, 1, 9, 9, 0, 2), VERDICT_COLLECTION_ERROR },
	/* ... but only from a report that parsed: a bad report's records
	 * before its fault prove nothing (rule 1 says "the report parsed"). */
	{ "collection error in a bad report is a bad report",
	    F(1, REPORT_BAD, 1, 1, 1, 0, 0), VERDICT_BAD_REPORT },
	{ "collection error in a bad report with exit 2 is interrupted",
	    F(2, REPORT_BAD, 1, 1, 1, 0, 0), VERDICT_INTERRUPTED },
	{ "collection error count of a missing report is ignored",
	    F(0, REPORT_MISSING, 1, 0, 0, 0, 0), VERDICT_NO_REPORT },

	/* Rule 2: what pytest's exit status says, before the report. */
	{ "exit 2 is interrupted",
	    F(2, REPORT_PARSED, 0, 3, 1, 0, 0), VERDICT_INTERRUPTED },
	{ "exit 3 is internal error",
	    F(3, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_INTERNAL_ERROR },
	{ "exit 4 is usage error",
	    F(4, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_USAGE_ERROR },
	{ "exit 5 is no tests",
	    F(5, REPORT_PARSED, 0, 0, 0, 0, 0), VERDICT_NO_TESTS },
	{ "exit 6 is max warnings",
	    F(6, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_MAX_WARNINGS },
	{ "exit 7 is exit status",
	    F(7, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_EXIT_STATUS },
	{ "exit 127 is exit status",
	    F(127, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_EXIT_STATUS },
	{ "exit 128 is signal",
	    F(128, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_SIGNAL },
	{ "exit 137 is signal",
	    F(137, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_SIGNAL },
	{ "exit 255 is signal",
	    F(255, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_SIGNAL },
	{ "exit 2 beats a bad report",
	    F(2, REPORT_BAD, 0, 0, 0, 0, 0), VERDICT_INTERRUPTED },
	{ "exit 2 beats no report",
	    F(2, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_INTERRUPTED },
	{ "exit 5 beats unknown outcomes",
	    F(5, REPORT_PARSED, 0, 2, 0, 2, 0), VERDICT_NO_TESTS },
	{ "exit 137 beats a bad report",
	    F(137, REPORT_BAD, 0, 0, 0, 0, 0), VERDICT_SIGNAL },
	{ "exit 99 beats no report",
	    F(99, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_EXIT_STATUS },

	/* Rule 3: the report itself. */
	{ "bad report with exit 1",
	    F(1, REPORT_BAD, 0, 2, 1, 0, 0), VERDICT_BAD_REPORT },
	{ "bad report with exit 0",
	    F(0, REPORT_BAD, 0, 2, 0, 0, 0), VERDICT_BAD_REPORT },
	{ "bad report beats unknown outcomes",
	    F(1, REPORT_BAD, 0, 2, 0, 1, 0), VERDICT_BAD_REPORT },
	{ "missing report with exit 1",
	    F(1, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_NO_REPORT },
	{ "missing report with exit 0",
	    F(0, REPORT_MISSING, 0, 0, 0, 0, 0), VERDICT_NO_REPORT },

	/* Rule 4: an unknown final outcome beats rules 5 and 6. */
	{ "unknown with exit 0 is incomplete",
	    F(0, REPORT_PARSED, 0, 3, 0, 1, 0), VERDICT_INCOMPLETE },
	{ "unknown with exit 1 and failures is incomplete",
	    F(1, REPORT_PARSED, 0, 3, 1, 1, 0), VERDICT_INCOMPLETE },
	{ "unknown with exit 1 and no failures is incomplete",
	    F(1, REPORT_PARSED, 0, 3, 0, 1, 0), VERDICT_INCOMPLETE },
	{ "unknown beats too many failures",
	    F(1, REPORT_PARSED, 0, 9, 8, 1, 2), VERDICT_INCOMPLETE },

	/* Rule 5: exit 0. */
	{ "exit 0 and nothing failed is passed",
	    F(0, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_PASSED },
	{ "exit 0 and an empty report is passed",
	    F(0, REPORT_PARSED, 0, 0, 0, 0, 0), VERDICT_PASSED },
	{ "exit 0 and a failure is inconsistent",
	    F(0, REPORT_PARSED, 0, 3, 1, 0, 0), VERDICT_INCONSISTENT },
	{ "exit 0 and failures above max is inconsistent",
	    F(0, REPORT_PARSED, 0, 9, 9, 0, 1), VERDICT_INCONSISTENT },

	/* Rule 6: exit 1. */
	{ "exit 1 and nothing failed is unrecorded failure",
	    F(1, REPORT_PARSED, 0, 3, 0, 0, 0), VERDICT_UNRECORDED_FAILURE },
	{ "exit 1 and an empty report is unrecorded failure",
	    F(1, REPORT_PARSED, 0, 0, 0, 0, 0), VERDICT_UNRECORDED_FAILURE },
	{ "exit 1 and nothing failed with a max is unrecorded failure",
	    F(1, REPORT_PARSED, 0, 3, 0, 0, 5), VERDICT_UNRECORDED_FAILURE },
	{ "exit 1 and a failure is retry",
	    F(1, REPORT_PARSED, 0, 3, 1, 0, 0), VERDICT_RETRY },
	{ "max 0 means no limit",
	    F(1, REPORT_PARSED, 0, 1000000, 1000000, 0, 0), VERDICT_RETRY },
	{ "failed below max is retry",
	    F(1, REPORT_PARSED, 0, 10, 4, 0, 5), VERDICT_RETRY },
	{ "failed equal to max is retry",
	    F(1, REPORT_PARSED, 0, 10, 5, 0, 5), VERDICT_RETRY },
	{ "failed one above max is too many failures",
	    F(1, REPORT_PARSED, 0, 10, 6, 0, 5), VERDICT_TOO_MANY_FAILURES },
	{ "max 1 and two failed is too many failures",
	    F(1, REPORT_PARSED, 0, 2, 2, 0, 1), VERDICT_TOO_MANY_FAILURES },
	{ "max 1 and one failed is retry",
	    F(1, REPORT_PARSED, 0, 2, 1, 0, 1), VERDICT_RETRY },

	/* A log: the same rules, and what its SessionFinish line says. */
	{ "log: finished, exit 1 and a failure is retry",
	    LOG(1, REPORT_PARSED, 1, 1, 0, 3, 1, 0, 0), VERDICT_RETRY },
	{ "log: finished, exit 0 and nothing failed is passed",
	    LOG(0, REPORT_PARSED, 1, 0, 0, 3, 0, 0, 0), VERDICT_PASSED },
	{ "log: no SessionFinish is incomplete",
	    LOG(1, REPORT_PARSED, 0, 0, 0, 3, 1, 0, 0), VERDICT_INCOMPLETE },
	{ "log: no SessionFinish with exit 0 and no failure is incomplete",
	    LOG(0, REPORT_PARSED, 0, 0, 0, 3, 0, 0, 0), VERDICT_INCOMPLETE },
	{ "log: no SessionFinish and no tests is incomplete",
	    LOG(0, REPORT_PARSED, 0, 0, 0, 0, 0, 0, 0), VERDICT_INCOMPLETE },
	{ "log: no SessionFinish beats too many failures",
	    LOG(1, REPORT_PARSED, 0, 0, 0, 9, 9, 0, 2), VERDICT_INCOMPLETE },
	{ "log: a collection error beats no SessionFinish",
	    LOG(1, REPORT_PARSED, 0, 0, 1, 3, 1, 0, 0),
	    VERDICT_COLLECTION_ERROR },
	{ "log: a collection error beats a differing SessionFinish",
	    LOG(0, REPORT_PARSED, 1, 1, 1, 3, 1, 0, 0),
	    VERDICT_COLLECTION_ERROR },
	{ "log: a signal beats no SessionFinish",
	    LOG(137, REPORT_PARSED, 0, 0, 0, 3, 0, 1, 0), VERDICT_SIGNAL },
	{ "log: exit 2 beats a differing SessionFinish",
	    LOG(2, REPORT_PARSED, 1, 1, 0, 3, 1, 0, 0), VERDICT_INTERRUPTED },
	{ "log: exit 6 beats SessionFinish 0 (--max-warnings)",
	    LOG(6, REPORT_PARSED, 1, 0, 0, 3, 0, 0, 0), VERDICT_MAX_WARNINGS },
	{ "log: exit 7 beats SessionFinish 0 (--fail-on-flaky)",
	    LOG(7, REPORT_PARSED, 1, 0, 0, 3, 0, 0, 0), VERDICT_EXIT_STATUS },
	{ "log: a bad log beats no SessionFinish",
	    LOG(1, REPORT_BAD, 0, 0, 0, 3, 1, 0, 0), VERDICT_BAD_REPORT },
	{ "log: an unknown outcome is incomplete though finished",
	    LOG(1, REPORT_PARSED, 1, 1, 0, 3, 1, 1, 0), VERDICT_INCOMPLETE },
	{ "log: an unknown outcome beats a differing SessionFinish",
	    LOG(0, REPORT_PARSED, 1, 1, 0, 3, 0, 1, 0), VERDICT_INCOMPLETE },
	{ "log: exit 1 but SessionFinish 0 is inconsistent",
	    LOG(1, REPORT_PARSED, 1, 0, 0, 3, 1, 0, 0), VERDICT_INCONSISTENT },
	{ "log: exit 0 but SessionFinish 1 is inconsistent",
	    LOG(0, REPORT_PARSED, 1, 1, 0, 3, 0, 0, 0), VERDICT_INCONSISTENT },
	{ "log: a differing SessionFinish beats unrecorded failure",
	    LOG(1, REPORT_PARSED, 1, 0, 0, 3, 0, 0, 0), VERDICT_INCONSISTENT },
	{ "log: a differing SessionFinish beats too many failures",
	    LOG(1, REPORT_PARSED, 1, 0, 0, 9, 9, 0, 2), VERDICT_INCONSISTENT },
	{ "log: SessionFinish 1 and exit 1 with nothing failed is unrecorded",
	    LOG(1, REPORT_PARSED, 1, 1, 0, 3, 0, 0, 0),
	    VERDICT_UNRECORDED_FAILURE },
	{ "log: exit 0, SessionFinish 0 and a failure is inconsistent",
	    LOG(0, REPORT_PARSED, 1, 0, 0, 3, 1, 0, 0), VERDICT_INCONSISTENT },
	{ "log: too many failures",
	    LOG(1, REPORT_PARSED, 1, 1, 0, 9, 3, 0, 2),
	    VERDICT_TOO_MANY_FAILURES },
	{ "log: a SessionFinish outside 0-255 differs from every status",
	    LOG(1, REPORT_PARSED, 1, 257, 0, 3, 1, 0, 0),
	    VERDICT_INCONSISTENT },
	{ "collector: no SessionFinish is needed",
	    F(1, REPORT_PARSED, 0, 3, 1, 0, 0), VERDICT_RETRY },
};

/* One row of the table: its own test, named for what it shows. */
static void
test_rule_case(void **state)
{
	const struct rule_case *c = *state;
	enum verdict v = verdict_decide(&c->facts);

	if (v != c->expect)
		fail_msg("%s: got %s, want %s", c->what, verdict_name(v),
		    verdict_name(c->expect));
}

static void
test_every_exit_status_from_2_to_255_is_terminal(void **state)
{
	struct facts f;
	enum verdict v;
	int s;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.report = REPORT_PARSED;
	f.tests = 3;
	f.failed = 1;
	for (s = 2; s <= 255; s++) {
		f.exit_status = s;
		v = verdict_decide(&f);
		if (s == 2)
			assert_int_equal(v, VERDICT_INTERRUPTED);
		else if (s == 3)
			assert_int_equal(v, VERDICT_INTERNAL_ERROR);
		else if (s == 4)
			assert_int_equal(v, VERDICT_USAGE_ERROR);
		else if (s == 5)
			assert_int_equal(v, VERDICT_NO_TESTS);
		else if (s == 6)
			assert_int_equal(v, VERDICT_MAX_WARNINGS);
		else if (s < 128)
			assert_int_equal(v, VERDICT_EXIT_STATUS);
		else
			assert_int_equal(v, VERDICT_SIGNAL);
		assert_int_equal(verdict_exit(v), 1);
	}
}

static void
test_only_passed_and_retry_exit_zero(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < ALL_VERDICTS; v++)
		assert_int_equal(verdict_exit((enum verdict)v),
		    v == VERDICT_PASSED || v == VERDICT_RETRY ? 0 : 1);
}

static void
test_verdict_names(void **state)
{
	static const char *const names[ALL_VERDICTS] = {
		[VERDICT_PASSED] = "passed",
		[VERDICT_RETRY] = "retry",
		[VERDICT_COLLECTION_ERROR] = "collection-error",
		[VERDICT_INTERRUPTED] = "interrupted",
		[VERDICT_INTERNAL_ERROR] = "internal-error",
		[VERDICT_USAGE_ERROR] = "usage-error",
		[VERDICT_NO_TESTS] = "no-tests",
		[VERDICT_MAX_WARNINGS] = "max-warnings",
		[VERDICT_SIGNAL] = "signal",
		[VERDICT_EXIT_STATUS] = "exit-status",
		[VERDICT_BAD_REPORT] = "bad-report",
		[VERDICT_NO_REPORT] = "no-report",
		[VERDICT_INCOMPLETE] = "incomplete",
		[VERDICT_INCONSISTENT] = "inconsistent",
		[VERDICT_UNRECORDED_FAILURE] = "unrecorded-failure",
		[VERDICT_TOO_MANY_FAILURES] = "too-many-failures",
	};
	int v;

	(void)state;
	for (v = 0; v < ALL_VERDICTS; v++) {
		assert_non_null(names[v]);
		assert_string_equal(verdict_name((enum verdict)v), names[v]);
	}
}

static void
test_signal_names(void **state)
{
	(void)state;
	assert_string_equal(signal_name(9), "SIGKILL");
	assert_string_equal(signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(signal_name(SIGINT), "SIGINT");
	assert_string_equal(signal_name(SIGABRT), "SIGABRT");
	assert_null(signal_name(0));
	assert_null(signal_name(72));
	assert_null(signal_name(-1));
}

/* The reasons that carry numbers or say what the input shows: the reason
 * verdict_reason writes for these facts (and detail, the caller's). */
struct reason_case {
	const char *what;
	enum verdict v;
	struct facts facts;
	const char *detail;
	const char *want;
};

#define INCOMPLETE_C	": pytest-rerunfailures and --setup-only leave " \
	"result out of the collector's report; pytest --report-log sees them"
#define UNFINISHED	"the log has no SessionFinish line: pytest did not " \
	"finish (killed?)"

static const struct reason_case reason_cases[] = {
	{ "signal 137 is SIGKILL", VERDICT_SIGNAL,
	    F(137, REPORT_MISSING, 0, 0, 0, 0, 0), NULL,
	    "pytest was killed by SIGKILL (exit 137)" },
	{ "status 128 names no signal", VERDICT_SIGNAL,
	    F(128, REPORT_PARSED, 0, 0, 0, 0, 0), NULL, "pytest exited with "
	    "status 128, which shells give a process killed by a signal" },
	{ "an unnamed signal by its number", VERDICT_SIGNAL,
	    F(200, REPORT_PARSED, 0, 0, 0, 0, 0), NULL,
	    "pytest was killed by signal 72 (exit 200)" },
	{ "retry counts", VERDICT_RETRY, F(1, REPORT_PARSED, 0, 7, 2, 0, 0),
	    NULL, "2 of 7 tests failed; retrying them" },
	{ "passed, one test", VERDICT_PASSED,
	    F(0, REPORT_PARSED, 0, 1, 0, 0, 0), NULL, "1 test, none failed" },
	{ "passed, tests", VERDICT_PASSED, F(1, REPORT_PARSED, 0, 7, 2, 0, 0),
	    NULL, "7 tests, none failed" },
	{ "incomplete collector's report", VERDICT_INCOMPLETE,
	    F(1, REPORT_PARSED, 0, 5, 1, 3, 0), "t.py::a",
	    "no final outcome for 3 of 5 tests, the first t.py::a"
	    INCOMPLETE_C },
	{ "incomplete, one test", VERDICT_INCOMPLETE,
	    F(1, REPORT_PARSED, 0, 1, 1, 1, 0), "t.py::a",
	    "no final outcome for 1 of 1 test, the first t.py::a"
	    INCOMPLETE_C },
	{ "inconsistent collector's report", VERDICT_INCONSISTENT,
	    F(0, REPORT_PARSED, 0, 4, 2, 0, 0), NULL,
	    "pytest exited 0, but 2 of 4 tests failed in the report" },
	{ "too many failures", VERDICT_TOO_MANY_FAILURES,
	    F(1, REPORT_PARSED, 0, 9, 6, 0, 5), NULL,
	    "6 tests failed, more than --max-failures 5" },
	{ "an exit status no rule covers", VERDICT_EXIT_STATUS,
	    F(42, REPORT_PARSED, 0, 0, 0, 0, 0), NULL,
	    "pytest exited with status 42, which no rule covers" },
	{ "a log with no SessionFinish", VERDICT_INCOMPLETE,
	    LOG(1, REPORT_PARSED, 0, 0, 0, 3, 1, 0, 0), NULL, UNFINISHED },
	{ "no SessionFinish wins over unknown outcomes", VERDICT_INCOMPLETE,
	    LOG(1, REPORT_PARSED, 0, 0, 0, 3, 1, 1, 0), "t.py::a", UNFINISHED },
	{ "incomplete log", VERDICT_INCOMPLETE,
	    LOG(1, REPORT_PARSED, 1, 1, 0, 4, 1, 2, 0), "t.py::b",
	    "no final outcome for 2 of 4 tests, the first t.py::b: it never "
	    "finished (killed, pytest.exit()), ran no call (--setup-only) or "
	    "reported a word pytriage does not know" },
	{ "SessionFinish differs", VERDICT_INCONSISTENT,
	    LOG(1, REPORT_PARSED, 1, 0, 0, 3, 1, 0, 0), NULL,
	    "pytest exited 1, but the log's SessionFinish says 0 (a lost or "
	    "stale exit status?)" },
	{ "SessionFinish says a negative status", VERDICT_INCONSISTENT,
	    LOG(0, REPORT_PARSED, 1, -3, 0, 3, 0, 0, 0), NULL,
	    "pytest exited 0, but the log's SessionFinish says -3 (a lost or "
	    "stale exit status?)" },
	{ "a log's failures with exit 0", VERDICT_INCONSISTENT,
	    LOG(0, REPORT_PARSED, 1, 0, 0, 3, 2, 0, 0), NULL,
	    "pytest exited 0, but 2 of 3 tests failed in the report" },
	{ "unrecorded failure in a log", VERDICT_UNRECORDED_FAILURE,
	    LOG(1, REPORT_PARSED, 1, 1, 0, 3, 0, 0, 0), NULL,
	    "pytest exited 1, but no test failed in the log" },
	{ "unrecorded failure in a collector's report",
	    VERDICT_UNRECORDED_FAILURE, F(1, REPORT_PARSED, 0, 3, 0, 0, 0),
	    NULL, "pytest exited 1, but no test failed in the report (a "
	    "teardown error or a conftest.py error that the report cannot "
	    "show; pytest --report-log shows them)" },
	{ "a bad report's reason is the caller's", VERDICT_BAD_REPORT,
	    F(1, REPORT_BAD, 0, 0, 0, 0, 0),
	    "at byte 3 (record 0): raw NUL byte in a string",
	    "at byte 3 (record 0): raw NUL byte in a string" },
	{ "no report's reason is the caller's", VERDICT_NO_REPORT,
	    F(1, REPORT_BAD, 0, 0, 0, 0, 0), "no such file: r.json",
	    "no such file: r.json" },
	{ "a collection error's reason is the caller's",
	    VERDICT_COLLECTION_ERROR, F(1, REPORT_BAD, 0, 0, 0, 0, 0),
	    "1 collection error: t.py", "1 collection error: t.py" },
};

static void
test_reason_case(void **state)
{
	const struct reason_case *c = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(verdict_reason(&sb, c->v, &c->facts, c->detail), 0);
	assert_non_null(sb.data);
	assert_string_equal(sb.data, c->want);
	assert_null(strchr(sb.data, '\n'));	/* one line */
	strbuf_free(&sb);
}

static void
test_every_verdict_has_a_reason(void **state)
{
	struct facts f = F(1, REPORT_PARSED, 0, 2, 1, 0, 0);
	struct strbuf sb;
	int v;

	(void)state;
	for (v = 0; v < ALL_VERDICTS; v++) {
		if (v == VERDICT_SIGNAL)
			f.exit_status = 143;
		strbuf_init(&sb);
		assert_int_equal(verdict_reason(&sb, (enum verdict)v, &f,
		    "detail"), 0);
		assert_non_null(sb.data);
		assert_true(sb.len > 0);
		assert_null(strchr(sb.data, '\n'));
		strbuf_free(&sb);
		f.exit_status = 1;
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_every_exit_status_from_2_to_255_is_terminal),
		cmocka_unit_test(test_only_passed_and_retry_exit_zero),
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_signal_names),
		cmocka_unit_test(test_every_verdict_has_a_reason),
	};

	return run_table("verdict rules", TABLE(rule_cases), test_rule_case) +
	    run_table("verdict reasons", TABLE(reason_cases),
	    test_reason_case) +
	    cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
