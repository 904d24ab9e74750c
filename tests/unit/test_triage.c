/*
 * test_triage.c: triage_run(), from what a reader found to the triage the
 * writers print.
 *
 * Each case is real bytes, a collector's report or a pytest-reportlog
 * log, read by both readers (whole and a byte at a time) and triaged with
 * an exit status and options: the verdict and its reason, exact; the
 * failed node IDs (the selectors), the flaky ones and the collection
 * errors, byte for byte and in order; the counts; which input it was.
 * Every verdict is reached from bytes, and the rules that must win over
 * others are shown to win.  Then the collection errors' sentence, the
 * bad report's reason, and what is kept of a failure (message, path made
 * relative to the current directory, line).
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
#include "triage.h"
#include "verdict.h"

#define SEED	0x2545f4914f6cdd1dULL
#define MAXIDS	6

struct bytes {
	const char *p;
	size_t len;
};
#define B(s)	{ (s), sizeof(s) - 1 }

typedef enum report_status (*reader_fn)(struct source *, struct reading *);

static const struct {
	const char *name;
	reader_fn read;
} readers[] = {
	{ "report_read", report_read },
	{ "refread_read", refread_read },
};
#define NREADERS	(sizeof(readers) / sizeof(readers[0]))

/* A read and triaged report. */
struct run {
	struct tally tally;
	struct reading rd;
	struct triage t;
	enum report_status status;
};

struct how {
	int exit_status;
	uint64_t max_failures;
	const char *missing;
	const char *cwd;
	int messages;
	size_t chunk;		/* 0: whole */
};

static void
triage_of(struct run *x, size_t r, const void *doc, size_t len,
    const struct how *how)
{
	struct triage_options opt;
	struct source src;
	struct strbuf why;

	assert_int_equal(tally_init(&x->tally, SEED), 0);
	memset(&x->rd, 0, sizeof(x->rd));
	x->rd.tally = &x->tally;
	x->rd.messages = how->messages;
	source_from_memory(&src, doc, len, how->chunk);
	x->status = readers[r].read(&src, &x->rd);
	if (x->status != REPORT_READ_OK && x->status != REPORT_READ_EMPTY &&
	    x->status != REPORT_READ_BAD)
		fail_msg("%s: status %d", readers[r].name, x->status);
	memset(&opt, 0, sizeof(opt));
	opt.exit_status = how->exit_status;
	opt.max_failures = how->max_failures;
	opt.missing = how->missing;
	opt.cwd = how->cwd;
	strbuf_init(&why);
	if (triage_run(&x->t, &x->rd, (int)x->status, &opt, &why) != 0)
		fail_msg("%s: triage_run: %s", readers[r].name, why.data);
	strbuf_free(&why);
}

static void
run_free(struct run *x)
{
	triage_free(&x->t);
	tally_free(&x->tally);
}

/* Collector records. */
#define REC(scope, name, result) \
	"{\"scope\": \"" scope "\", \"name\": \"" name "\", \"result\": \"" \
	result "\"}"
#define NORESULT(scope, name)	"{\"scope\": \"" scope "\", \"name\": \"" \
	name "\"}"
#define CERR(name, reason)	"{\"scope\": \"\", \"name\": \"" name "\", " \
	"\"result\": \"failed\", \"failure_reason\": \"" reason "\", " \
	"\"tags\": {\"test.pytest_collection_error\": \"true\"}}"

/* Log lines. */
#define START	"{\"pytest_version\": \"7.2.1\", \"$report_type\": " \
	"\"SessionStart\"}\n"
#define FINISH(n)	"{\"exitstatus\": " #n ", \"$report_type\": " \
	"\"SessionFinish\"}\n"
#define TR(id, when, outcome)	"{\"nodeid\": \"" id "\", \"location\": " \
	"[\"t.py\", 0, \"t\"], \"outcome\": \"" outcome "\", \"longrepr\": " \
	"null, \"when\": \"" when "\", \"$report_type\": \"TestReport\"}\n"
#define PASS3(id)	TR(id, "setup", "passed") TR(id, "call", "passed") \
	TR(id, "teardown", "passed")
#define FAIL3(id)	TR(id, "setup", "passed") TR(id, "call", "failed") \
	TR(id, "teardown", "passed")
#define CR(id, outcome, longrepr)	"{\"nodeid\": \"" id "\", " \
	"\"outcome\": \"" outcome "\", \"longrepr\": " longrepr ", " \
	"\"result\": null, \"$report_type\": \"CollectReport\"}\n"

struct triage_case {
	const char *what;
	struct bytes doc;
	int exit_status;
	uint64_t max_failures;
	const char *missing;
	enum verdict verdict;
	const char *reason;
	enum input_kind input;
	/* records, tests, passed, failed, skipped, unknown */
	struct triage_counts counts;
	size_t nfailed, nflaky, nerrors;
	struct bytes failed[MAXIDS], flaky[MAXIDS], errors[MAXIDS];
	struct bytes messages[MAXIDS];	/* of the collection errors */
	const char *ref_reason;	/* the reference's words, where they
				 * differ (json-c's faults) */
};

#define COUNTS(rec, tests, p, f, s, u)	\
	.counts = { (rec), (tests), (p), (f), (s), (u) }

static int
check_tests(const struct triage_test *got, size_t n,
    const struct bytes *want, size_t nwant, const char *which,
    const char *ctx)
{
	size_t i;
	int bad = 0;

	if (n != nwant && ++bad)
		print_error("%s: %zu %s, want %zu\n", ctx, n, which, nwant);
	for (i = 0; i < n && i < nwant; i++)
		if ((got[i].id_len != want[i].len ||
		    memcmp(got[i].id, want[i].p, want[i].len) != 0) && ++bad)
			print_error("%s: %s %zu is \"%.*s\"\n", ctx, which, i,
			    (int)got[i].id_len, got[i].id);
	return bad;
}

static int
check_triage(const struct triage *t, const struct triage_case *c,
    size_t r, const char *ctx)
{
	const char *reason = r > 0 && c->ref_reason != NULL ? c->ref_reason :
	    c->reason;
	size_t i;
	int bad = 0;

	if (t->verdict != c->verdict && ++bad)
		print_error("%s: verdict %s, want %s\n", ctx,
		    verdict_name(t->verdict), verdict_name(c->verdict));
	if (strcmp(t->reason, reason) != 0 && ++bad)
		print_error("%s: reason \"%s\"\n%*s want \"%s\"\n", ctx,
		    t->reason, (int)strlen(ctx), "", reason);
	if (t->input != c->input && ++bad)
		print_error("%s: input %d, want %d\n", ctx, t->input,
		    c->input);
	if (t->exit_status != c->exit_status && ++bad)
		print_error("%s: exit status %d\n", ctx, t->exit_status);
	if (memcmp(&t->counts, &c->counts, sizeof(c->counts)) != 0 && ++bad)
		print_error("%s: counts %ju %ju %ju %ju %ju %ju\n", ctx,
		    (uintmax_t)t->counts.records, (uintmax_t)t->counts.tests,
		    (uintmax_t)t->counts.passed, (uintmax_t)t->counts.failed,
		    (uintmax_t)t->counts.skipped, (uintmax_t)t->counts.unknown);
	bad += check_tests(t->failed, t->nfailed, c->failed, c->nfailed,
	    "failed", ctx);
	bad += check_tests(t->flaky, t->nflaky, c->flaky, c->nflaky, "flaky",
	    ctx);
	bad += check_tests(t->errors, t->nerrors, c->errors, c->nerrors,
	    "collection errors", ctx);
	for (i = 0; i < t->nerrors && i < c->nerrors; i++)
		if ((t->errors[i].message_len != c->messages[i].len ||
		    memcmp(t->errors[i].message, c->messages[i].p,
		    c->messages[i].len) != 0) && ++bad)
			print_error("%s: collection error %zu says \"%.*s\"\n",
			    ctx, i, (int)t->errors[i].message_len,
			    t->errors[i].message);
	return bad;
}

static void
test_triage_case(void **state)
{
	const struct triage_case *c = *state;
	struct how how;
	struct run x;
	char ctx[200];
	size_t r, k;
	int bad = 0;

	memset(&how, 0, sizeof(how));
	how.exit_status = c->exit_status;
	how.max_failures = c->max_failures;
	how.missing = c->missing;
	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < 2; k++) {
			how.chunk = k;	/* whole, then a byte at a time */
			snprintf(ctx, sizeof(ctx), "%s, %s, chunk %zu", c->what,
			    readers[r].name, how.chunk);
			triage_of(&x, r, c->doc.p, c->doc.len, &how);
			bad += check_triage(&x.t, c, r, ctx);
			run_free(&x);
		}
	assert_int_equal(bad, 0);
}

#define RETRYING(f, n)	#f " of " #n " tests failed; retrying them"
#define INCOMPLETE_C	": pytest-rerunfailures and --setup-only leave " \
	"result out of the collector's report; pytest --report-log sees them"
#define INCOMPLETE_L	": it never finished (killed, pytest.exit()), ran " \
	"no call (--setup-only) or reported a word pytriage does not know"
#define UNFINISHED	"the log has no SessionFinish line: pytest did not " \
	"finish (killed?)"

static const struct triage_case cases[] = {
	/* The collector's report. */
	{ "collector: exit 0 and nothing failed is passed",
	    B("[" REC("t.py", "a", "passed") ", " REC("t.py", "b", "skipped")
	    ", " REC("t.py", "c", "passed") "]"), 0, 0, NULL,
	    VERDICT_PASSED, "3 tests, none failed", INPUT_COLLECTOR,
	    COUNTS(3, 3, 2, 0, 1, 0) },
	{ "collector: an empty report with exit 0 is passed",
	    B("[]"), 0, 0, NULL, VERDICT_PASSED, "0 tests, none failed",
	    INPUT_COLLECTOR, COUNTS(0, 0, 0, 0, 0, 0) },
	{ "collector: retry the failed ones in first-record order",
	    B("[" REC("t.py", "b", "failed") ", " REC("t.py", "a", "passed")
	    ", " REC("t.py", "c", "failed") "]"), 1, 0, NULL,
	    VERDICT_RETRY, RETRYING(2, 3), INPUT_COLLECTOR,
	    COUNTS(3, 3, 1, 2, 0, 0), .nfailed = 2,
	    .failed = { B("t.py::b"), B("t.py::c") } },
	{ "collector: failed, then passed is flaky and not retried",
	    B("[" REC("t.py", "a", "failed") ", " REC("t.py", "b", "failed")
	    ", " REC("t.py", "a", "passed") "]"), 1, 0, NULL,
	    VERDICT_RETRY, RETRYING(1, 2), INPUT_COLLECTOR,
	    COUNTS(3, 2, 1, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::b") }, .nflaky = 1,
	    .flaky = { B("t.py::a") } },
	{ "collector: more failed than --max-failures is too many",
	    B("[" REC("t.py", "a", "failed") ", " REC("t.py", "b", "failed")
	    ", " REC("t.py", "c", "failed") "]"), 1, 2, NULL,
	    VERDICT_TOO_MANY_FAILURES,
	    "3 tests failed, more than --max-failures 2", INPUT_COLLECTOR,
	    COUNTS(3, 3, 0, 3, 0, 0), .nfailed = 3,
	    .failed = { B("t.py::a"), B("t.py::b"), B("t.py::c") } },
	{ "collector: exactly --max-failures is a retry",
	    B("[" REC("t.py", "a", "failed") ", " REC("t.py", "b", "failed")
	    ", " REC("t.py", "c", "failed") "]"), 1, 3, NULL,
	    VERDICT_RETRY, RETRYING(3, 3), INPUT_COLLECTOR,
	    COUNTS(3, 3, 0, 3, 0, 0), .nfailed = 3,
	    .failed = { B("t.py::a"), B("t.py::b"), B("t.py::c") } },
	{ "collector: exit 0 with a failure is inconsistent",
	    B("[" REC("t.py", "a", "failed") ", " REC("t.py", "b", "passed")
	    "]"), 0, 0, NULL, VERDICT_INCONSISTENT,
	    "pytest exited 0, but 1 of 2 tests failed in the report",
	    INPUT_COLLECTOR, COUNTS(2, 2, 1, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },
	{ "collector: exit 1 with nothing failed is unrecorded-failure",
	    B("[" REC("t.py", "a", "passed") "]"), 1, 0, NULL,
	    VERDICT_UNRECORDED_FAILURE, "pytest exited 1, but no test failed "
	    "in the report (a teardown error or a conftest.py error that the "
	    "report cannot show; pytest --report-log shows them)",
	    INPUT_COLLECTOR, COUNTS(1, 1, 1, 0, 0, 0) },
	{ "collector: a record without result is incomplete, named escaped",
	    B("[" REC("t.py", "a", "failed") ", " NORESULT("t.py", "b[\\n]")
	    ", " NORESULT("t.py", "c") "]"), 1, 0, NULL, VERDICT_INCOMPLETE,
	    "no final outcome for 2 of 3 tests, the first t.py::b[\\n]"
	    INCOMPLETE_C, INPUT_COLLECTOR, COUNTS(3, 3, 0, 1, 0, 2),
	    .nfailed = 1, .failed = { B("t.py::a") } },
	{ "collector: incomplete beats inconsistent",
	    B("[" REC("t.py", "a", "failed") ", " NORESULT("t.py", "b")
	    "]"), 0, 0, NULL, VERDICT_INCOMPLETE,
	    "no final outcome for 1 of 2 tests, the first t.py::b"
	    INCOMPLETE_C, INPUT_COLLECTOR, COUNTS(2, 2, 0, 1, 0, 1),
	    .nfailed = 1, .failed = { B("t.py::a") } },
	{ "collector: incomplete beats too many failures",
	    B("[" REC("t.py", "a", "failed") ", " REC("t.py", "b", "failed")
	    ", " NORESULT("t.py", "c") "]"), 1, 1, NULL, VERDICT_INCOMPLETE,
	    "no final outcome for 1 of 3 tests, the first t.py::c"
	    INCOMPLETE_C, INPUT_COLLECTOR, COUNTS(3, 3, 0, 2, 0, 1),
	    .nfailed = 2, .failed = { B("t.py::a"), B("t.py::b") } },
	{ "collector: a collection error beats exit 0",
	    B("[" REC("t.py", "ok", "passed") ", "
	    CERR("e.py", "ImportError: x\\ny") "]"), 0, 0, NULL,
	    VERDICT_COLLECTION_ERROR,
	    "1 collection error: e.py (ImportError: x)", INPUT_COLLECTOR,
	    COUNTS(2, 2, 1, 1, 0, 0), .nerrors = 1, .errors = { B("e.py") },
	    .messages = { B("ImportError: x") } },
	{ "collector: a collection error beats a signal",
	    B("[" CERR("e.py", "E") "]"), 137, 0, NULL,
	    VERDICT_COLLECTION_ERROR, "1 collection error: e.py (E)",
	    INPUT_COLLECTOR, COUNTS(1, 1, 0, 1, 0, 0), .nerrors = 1, .errors = { B("e.py") },
	    .messages = { B("E") } },
	{ "collector: a collection error beats unknown outcomes",
	    B("[" NORESULT("t.py", "a") ", " CERR("e.py", "E") "]"), 1, 0,
	    NULL, VERDICT_COLLECTION_ERROR, "1 collection error: e.py (E)",
	    INPUT_COLLECTOR, COUNTS(2, 2, 0, 1, 0, 1), .nerrors = 1, .errors = { B("e.py") },
	    .messages = { B("E") } },
	{ "collector: collection errors once each, in file order",
	    B("[" CERR("b.py", "B1") ", " CERR("a.py", "") ", "
	    CERR("b.py", "B2") "]"), 2, 0, NULL, VERDICT_COLLECTION_ERROR,
	    "2 collection errors: b.py (B1); a.py", INPUT_COLLECTOR,
	    COUNTS(3, 2, 0, 2, 0, 0), .nerrors = 2,
	    .errors = { B("b.py"), B("a.py") },
	    .messages = { B("B1"), B("") } },
	{ "collector: a collection error in a bad report is a bad report",
	    B("[" CERR("e.py", "E") ", {\"scope\": \"\"}]"), 1, 0, NULL,
	    VERDICT_BAD_REPORT, "at byte 138 (record 1, key \"name\"): name "
	    "is missing", INPUT_COLLECTOR, COUNTS(1, 1, 0, 1, 0, 0),
	    .nerrors = 1,
	    .errors = { B("e.py") }, .messages = { B("E") } },
	{ "collector: exit 2 beats a bad report",
	    B("[" REC("t.py", "a", "failed") ", 1]"), 2, 0, NULL,
	    VERDICT_INTERRUPTED, "pytest was interrupted (exit 2): Ctrl-C, "
	    "pytest.exit() or errors during collection", INPUT_COLLECTOR,
	    COUNTS(1, 1, 0, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },
	{ "collector: exit 3 is internal-error", B("[]"), 3, 0, NULL,
	    VERDICT_INTERNAL_ERROR, "pytest hit an internal error (exit 3)",
	    INPUT_COLLECTOR, COUNTS(0, 0, 0, 0, 0, 0) },
	{ "collector: exit 4 is usage-error", B("[]"), 4, 0, NULL,
	    VERDICT_USAGE_ERROR, "pytest reported a usage error (exit 4): a "
	    "bad option, an unknown node ID or a broken conftest.py",
	    INPUT_COLLECTOR, COUNTS(0, 0, 0, 0, 0, 0) },
	{ "collector: exit 5 is no-tests", B("[]"), 5, 0, NULL,
	    VERDICT_NO_TESTS, "pytest collected no tests (exit 5)",
	    INPUT_COLLECTOR, COUNTS(0, 0, 0, 0, 0, 0) },
	{ "collector: exit 6 is max-warnings",
	    B("[" REC("t.py", "a", "passed") "]"), 6, 0, NULL,
	    VERDICT_MAX_WARNINGS,
	    "pytest stopped at its maximum of warnings (exit 6)",
	    INPUT_COLLECTOR, COUNTS(1, 1, 1, 0, 0, 0) },
	{ "collector: exit 7 is exit-status",
	    B("[" REC("t.py", "a", "failed") "]"), 7, 0, NULL,
	    VERDICT_EXIT_STATUS,
	    "pytest exited with status 7, which no rule covers",
	    INPUT_COLLECTOR, COUNTS(1, 1, 0, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },
	{ "collector: exit 137 is signal, SIGKILL",
	    B("[" REC("t.py", "a", "failed") "]"), 137, 0, NULL,
	    VERDICT_SIGNAL, "pytest was killed by SIGKILL (exit 137)",
	    INPUT_COLLECTOR, COUNTS(1, 1, 0, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },

	/* No report. */
	{ "empty input is no-report", B(" \n"), 1, 0, NULL,
	    VERDICT_NO_REPORT, "the report is empty", INPUT_NONE,
	    COUNTS(0, 0, 0, 0, 0, 0) },
	{ "a missing report file is named", B(""), 0, 0, "report.json",
	    VERDICT_NO_REPORT, "report.json does not exist", INPUT_NONE,
	    COUNTS(0, 0, 0, 0, 0, 0) },
	{ "exit 2 beats no report", B(""), 2, 0, NULL, VERDICT_INTERRUPTED,
	    "pytest was interrupted (exit 2): Ctrl-C, pytest.exit() or "
	    "errors during collection", INPUT_NONE,
	    COUNTS(0, 0, 0, 0, 0, 0) },
	{ "input that is neither is a bad report", B("x"), 1, 0, NULL,
	    VERDICT_BAD_REPORT, "at byte 0: neither a JSON array (pytest "
	    "--json) nor JSON lines (pytest --report-log)", INPUT_NONE,
	    COUNTS(0, 0, 0, 0, 0, 0),
	    .ref_reason = "at byte 0: neither a JSON array (pytest --json) nor JSON lines (pytest --report-log)" },

	/* A log. */
	{ "log: exit 0, SessionFinish 0 and nothing failed is passed",
	    B(START CR("", "passed", "null") PASS3("t.py::a") FINISH(0)), 0, 0,
	    NULL, VERDICT_PASSED, "1 test, none failed", INPUT_REPORTLOG,
	    COUNTS(6, 1, 1, 0, 0, 0) },
	{ "log: retry the failed ones; a rerun that passed is flaky",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "rerun") PASS3("t.py::a") FAIL3("t.py::b")
	    FINISH(1)), 1, 0, NULL, VERDICT_RETRY, RETRYING(1, 2),
	    INPUT_REPORTLOG, COUNTS(10, 2, 1, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::b") }, .nflaky = 1,
	    .flaky = { B("t.py::a") } },
	{ "log: a teardown error fails the test the collector calls passed",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "passed")
	    TR("t.py::a", "teardown", "failed") FINISH(1)), 1, 0, NULL,
	    VERDICT_RETRY, "1 of 1 test failed; retrying them",
	    INPUT_REPORTLOG, COUNTS(5, 1, 0, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },
	{ "log: no SessionFinish is incomplete",
	    B(START PASS3("t.py::a") FAIL3("t.py::b")), 1, 0, NULL,
	    VERDICT_INCOMPLETE, UNFINISHED, INPUT_REPORTLOG,
	    COUNTS(7, 2, 1, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::b") } },
	{ "log: killed in a test is incomplete",
	    B(START PASS3("t.py::a") TR("t.py::b", "setup", "passed")), 1, 0,
	    NULL, VERDICT_INCOMPLETE, UNFINISHED, INPUT_REPORTLOG,
	    COUNTS(5, 2, 1, 0, 0, 1) },
	{ "log: a signal beats no SessionFinish",
	    B(START PASS3("t.py::a") TR("t.py::b", "setup", "passed")), 137,
	    0, NULL, VERDICT_SIGNAL, "pytest was killed by SIGKILL (exit 137)",
	    INPUT_REPORTLOG, COUNTS(5, 2, 1, 0, 0, 1) },
	{ "log: pytest.exit() in a test is incomplete, naming it",
	    B(START FAIL3("t.py::a") TR("t.py::c", "setup", "passed")
	    FINISH(0)), 0, 0, NULL, VERDICT_INCOMPLETE,
	    "no final outcome for 1 of 2 tests, the first t.py::c"
	    INCOMPLETE_L, INPUT_REPORTLOG, COUNTS(6, 2, 0, 1, 0, 1),
	    .nfailed = 1, .failed = { B("t.py::a") } },
	{ "log: --setup-only is incomplete",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "teardown", "passed") FINISH(0)), 0, 0, NULL,
	    VERDICT_INCOMPLETE, "no final outcome for 1 of 1 test, the first "
	    "t.py::a" INCOMPLETE_L, INPUT_REPORTLOG,
	    COUNTS(4, 1, 0, 0, 0, 1) },
	{ "log: a SessionFinish that differs is inconsistent",
	    B(START FAIL3("t.py::a") FINISH(0)), 1, 0, NULL,
	    VERDICT_INCONSISTENT, "pytest exited 1, but the log's "
	    "SessionFinish says 0 (a lost or stale exit status?)",
	    INPUT_REPORTLOG, COUNTS(5, 1, 0, 1, 0, 0), .nfailed = 1,
	    .failed = { B("t.py::a") } },
	{ "log: a differing SessionFinish beats too many failures",
	    B(START FAIL3("t.py::a") FAIL3("t.py::b") FINISH(2)), 1, 1, NULL,
	    VERDICT_INCONSISTENT, "pytest exited 1, but the log's "
	    "SessionFinish says 2 (a lost or stale exit status?)",
	    INPUT_REPORTLOG, COUNTS(8, 2, 0, 2, 0, 0), .nfailed = 2,
	    .failed = { B("t.py::a"), B("t.py::b") } },
	{ "log: exit 6 beats SessionFinish 0",
	    B(START PASS3("t.py::a") FINISH(0)), 6, 0, NULL,
	    VERDICT_MAX_WARNINGS,
	    "pytest stopped at its maximum of warnings (exit 6)",
	    INPUT_REPORTLOG, COUNTS(5, 1, 1, 0, 0, 0) },
	{ "log: exit 1 with nothing failed is unrecorded-failure",
	    B(START PASS3("t.py::a") FINISH(1)), 1, 0, NULL,
	    VERDICT_UNRECORDED_FAILURE,
	    "pytest exited 1, but no test failed in the log",
	    INPUT_REPORTLOG, COUNTS(5, 1, 1, 0, 0, 0) },
	{ "log: too many failures",
	    B(START FAIL3("t.py::a") FAIL3("t.py::b") FINISH(1)), 1, 1, NULL,
	    VERDICT_TOO_MANY_FAILURES,
	    "2 tests failed, more than --max-failures 1", INPUT_REPORTLOG,
	    COUNTS(8, 2, 0, 2, 0, 0), .nfailed = 2,
	    .failed = { B("t.py::a"), B("t.py::b") } },
	{ "log: collection errors with their reasons, xdist repeats once",
	    B(START CR("sub/t.py", "failed", "\"Traceback\\nE   ImportError: x\"")
	    CR("sub/t.py", "failed", "\"Traceback\\nE   ImportError: x\"")
	    CR("a.py", "failed", "{\"reprcrash\": {\"path\": \"/b/a.py\", "
	    "\"lineno\": 2, \"message\": \"NameError: y\"}}") FINISH(1)), 1, 0,
	    NULL, VERDICT_COLLECTION_ERROR, "2 collection errors: sub/t.py "
	    "(ImportError: x); a.py (NameError: y)", INPUT_REPORTLOG,
	    COUNTS(5, 2, 0, 2, 0, 0), .nerrors = 2,
	    .errors = { B("sub/t.py"), B("a.py") },
	    .messages = { B("ImportError: x"), B("NameError: y") } },
	{ "log: a session-level collection error has the empty node ID",
	    B(START CR("", "failed", "\"E   ImportError: c\"") FINISH(1)), 1,
	    0, NULL, VERDICT_COLLECTION_ERROR,
	    "1 collection error: the session (ImportError: c)", INPUT_REPORTLOG,
	    COUNTS(3, 1, 0, 1, 0, 0), .nerrors = 1, .errors = { B("") },
	    .messages = { B("ImportError: c") } },
	{ "log: a collection error beats no SessionFinish",
	    B(START CR("e.py", "failed", "null")), 1, 0, NULL,
	    VERDICT_COLLECTION_ERROR, "1 collection error: e.py",
	    INPUT_REPORTLOG, COUNTS(2, 1, 0, 1, 0, 0), .nerrors = 1, .errors = { B("e.py") },
	    .messages = { B("") } },
	{ "log: a bad log names the line and key",
	    B(START "{\"exitstatus\": \"1\", \"$report_type\": "
	    "\"SessionFinish\"}\n"), 1, 0, NULL, VERDICT_BAD_REPORT,
	    "at byte 112 (line 2, key \"exitstatus\"): exitstatus is not an "
	    "integer", INPUT_REPORTLOG, COUNTS(2, 0, 0, 0, 0, 0) },
	{ "log: a collection error in a bad log is a bad report",
	    B(START CR("e.py", "failed", "null") START), 1, 0, NULL,
	    VERDICT_BAD_REPORT, "at byte 226 (line 3, key \"$report_type\"): "
	    "a second SessionStart", INPUT_REPORTLOG,
	    COUNTS(3, 1, 0, 1, 0, 0), .nerrors = 1, .errors = { B("e.py") }, .messages = { B("") } },
};

/* The collection errors' sentence. */

static void
assert_errors_reason(const char *doc, size_t len, const char *want)
{
	struct how how;
	struct run x;
	size_t r;

	memset(&how, 0, sizeof(how));
	how.exit_status = 1;
	for (r = 0; r < NREADERS; r++) {
		triage_of(&x, r, doc, len, &how);
		assert_int_equal(x.t.verdict, VERDICT_COLLECTION_ERROR);
		assert_string_equal(x.t.reason, want);
		run_free(&x);
	}
}

/* A report of n collection errors, "tests/eI.py" with "Error I". */
static char *
errors_report(size_t n, size_t *len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "["), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(strbuf_printf(&sb, "%s{\"scope\": \"\", "
		    "\"name\": \"tests/e%zu.py\", \"result\": \"failed\", "
		    "\"failure_reason\": \"Error %zu\\nTraceback\", \"tags\": "
		    "{\"test.pytest_collection_error\": \"true\"}}",
		    i > 0 ? ", " : "", i, i), 0);
	assert_int_equal(strbuf_puts(&sb, "]"), 0);
	*len = sb.len;
	return sb.data;
}

static void
test_five_collection_errors_are_all_named(void **state)
{
	size_t len;
	char *doc;

	(void)state;
	doc = errors_report(5, &len);
	assert_errors_reason(doc, len, "5 collection errors: tests/e0.py "
	    "(Error 0); tests/e1.py (Error 1); tests/e2.py (Error 2); "
	    "tests/e3.py (Error 3); tests/e4.py (Error 4)");
	free(doc);
}

static void
test_seven_collection_errors_name_five_and_count_the_rest(void **state)
{
	size_t len;
	char *doc;

	(void)state;
	doc = errors_report(7, &len);
	assert_errors_reason(doc, len, "7 collection errors: tests/e0.py "
	    "(Error 0); tests/e1.py (Error 1); tests/e2.py (Error 2); "
	    "tests/e3.py (Error 3); tests/e4.py (Error 4); and 2 more");
	free(doc);
}

static void
test_collection_error_without_reason_has_no_parentheses(void **state)
{
	static const char doc[] = "[" CERR("a.py", "") ", "
	    CERR("b.py", "\\nsecond line") "]";

	(void)state;
	assert_errors_reason(doc, sizeof(doc) - 1,
	    "2 collection errors: a.py; b.py");
}

static void
test_collection_error_sentence_escapes_ids_and_reasons(void **state)
{
	static const char doc[] = "[" CERR("a\\u001b[2J.py",
	    "E\\u2028x\\u000by\\u0085z") "]";

	(void)state;
	assert_errors_reason(doc, sizeof(doc) - 1, "1 collection error: "
	    "a\\x1b[2J.py (E\\u2028x\\x0by\\u0085z)");
}

static void
test_collection_error_sentence_cuts_long_ids(void **state)
{
	struct strbuf sb;
	struct how how;
	struct run x;
	size_t i;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "[{\"scope\": \"\", \"name\": \""),
	    0);
	for (i = 0; i < 300; i++)
		assert_int_equal(strbuf_appendc(&sb, 'x'), 0);
	assert_int_equal(strbuf_puts(&sb, "\", \"result\": \"failed\", "
	    "\"tags\": {\"test.pytest_collection_error\": \"true\"}}]"), 0);
	memset(&how, 0, sizeof(how));
	how.exit_status = 1;
	triage_of(&x, 0, sb.data, sb.len, &how);
	assert_int_equal(x.t.verdict, VERDICT_COLLECTION_ERROR);
	assert_int_equal(strlen(x.t.reason),
	    strlen("1 collection error: ") + 200 + 3);
	assert_memory_equal(x.t.reason + strlen(x.t.reason) - 4, "x...", 4);
	/* the node ID itself is whole */
	assert_int_equal(x.t.errors[0].id_len, 300);
	run_free(&x);
	strbuf_free(&sb);
}

/* The bad report's reason: where and what, from the fast reader. */
static void
test_a_bad_report_says_where_and_what(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": \"failed\"}, {\"scope\": \"\", \"name\": 5}]";
	struct how how;
	struct run x;
	char want[200];

	(void)state;
	memset(&how, 0, sizeof(how));
	how.exit_status = 1;
	triage_of(&x, 0, doc, sizeof(doc) - 1, &how);
	snprintf(want, sizeof(want), "at byte %td (record 1, key \"name\"): "
	    "name is not a string", strstr(doc, "5}") - doc);
	assert_int_equal(x.t.verdict, VERDICT_BAD_REPORT);
	assert_string_equal(x.t.reason, want);
	/* the counts cover what was read before the fault; the failed test
	 * is there, though a bad report retries nothing */
	assert_int_equal(x.t.counts.records, 1);
	assert_int_equal(x.t.counts.failed, 1);
	assert_int_equal(x.t.nfailed, 1);
	run_free(&x);
}

/* What is kept of a failure, with messages wanted. */

#define TRD(id, when, location, longrepr)	"{\"nodeid\": \"" id "\", " \
	"\"location\": " location ", \"outcome\": \"failed\", \"longrepr\": " \
	longrepr ", \"when\": \"" when "\", \"$report_type\": " \
	"\"TestReport\"}\n"

static const char detailed_log[] = START
    TR("t.py::a", "setup", "passed")
    TRD("t.py::a", "call", "[\"t.py\", 4, \"a\"]", "{\"reprcrash\": "
    "{\"path\": \"/home/u/proj/t.py\", \"lineno\": 7, \"message\": "
    "\"AssertionError: assert 1 == 2\"}}")
    TR("t.py::a", "teardown", "passed")
    TR("sub/t.py::b", "setup", "passed")
    TRD("sub/t.py::b", "call", "[\"sub/t.py\", 9, \"b\"]",
    "\"Traceback\\nE   ValueError: v\"")
    TR("sub/t.py::b", "teardown", "passed")
    TR("t.py::f", "setup", "passed")
    TRD("t.py::f", "call", "[\"t.py\", 1, \"f\"]", "{\"reprcrash\": "
    "{\"path\": \"/home/u/proj/t.py\", \"lineno\": 2, \"message\": "
    "\"E: flaky\"}}")
    TR("t.py::f", "teardown", "passed")
    PASS3("t.py::f")
    FINISH(1);

static struct run
detailed(size_t r, const char *cwd, int messages)
{
	struct how how;
	struct run x;

	memset(&how, 0, sizeof(how));
	how.exit_status = 1;
	how.cwd = cwd;
	how.messages = messages;
	triage_of(&x, r, detailed_log, sizeof(detailed_log) - 1, &how);
	assert_int_equal(x.t.verdict, VERDICT_RETRY);
	assert_int_equal(x.t.nfailed, 2);
	assert_int_equal(x.t.nflaky, 1);
	return x;
}

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

static void
test_failures_carry_message_path_and_line(void **state)
{
	struct run x;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		x = detailed(r, "/home/u/proj", 1);
		assert_test(&x.t.failed[0], "t.py::a",
		    "AssertionError: assert 1 == 2", "t.py", 7);
		assert_test(&x.t.failed[1], "sub/t.py::b", "ValueError: v",
		    "sub/t.py", 10);
		/* a flaky test keeps its failure too */
		assert_test(&x.t.flaky[0], "t.py::f", "E: flaky", "t.py", 2);
		run_free(&x);
	}
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
	struct run x;
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (r = 0; r < NREADERS; r++) {
			x = detailed(r, cases[i].cwd, 1);
			assert_test(&x.t.failed[0], "t.py::a",
			    "AssertionError: assert 1 == 2", cases[i].path, 7);
			/* a relative path is left as it is */
			assert_test(&x.t.failed[1], "sub/t.py::b",
			    "ValueError: v", "sub/t.py", 10);
			run_free(&x);
		}
}

static void
test_failures_carry_nothing_when_messages_are_not_wanted(void **state)
{
	struct run x;
	size_t r, i;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		x = detailed(r, "/home/u/proj", 0);
		for (i = 0; i < x.t.nfailed; i++) {
			assert_int_equal(x.t.failed[i].message_len, 0);
			assert_int_equal(x.t.failed[i].path_len, 0);
			assert_int_equal(x.t.failed[i].line, 0);
		}
		run_free(&x);
	}
}

/* The triage owns what it points to: the reading's tally may go. */
static void
test_triage_free_leaves_nothing_and_may_be_repeated(void **state)
{
	struct run x;

	(void)state;
	x = detailed(0, NULL, 1);
	triage_free(&x.t);
	assert_null(x.t.store);
	assert_null(x.t.failed);
	triage_free(&x.t);
	tally_free(&x.tally);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_five_collection_errors_are_all_named),
		cmocka_unit_test(
		    test_seven_collection_errors_name_five_and_count_the_rest),
		cmocka_unit_test(
		    test_collection_error_without_reason_has_no_parentheses),
		cmocka_unit_test(
		    test_collection_error_sentence_escapes_ids_and_reasons),
		cmocka_unit_test(test_collection_error_sentence_cuts_long_ids),
		cmocka_unit_test(test_a_bad_report_says_where_and_what),
		cmocka_unit_test(test_failures_carry_message_path_and_line),
		cmocka_unit_test(
		    test_failure_paths_are_made_relative_to_the_current_directory),
		cmocka_unit_test(
		    test_failures_carry_nothing_when_messages_are_not_wanted),
		cmocka_unit_test(
		    test_triage_free_leaves_nothing_and_may_be_repeated),
	};
	int failed = 0;

	failed += run_table("triage: from bytes to a verdict", cases,
	    sizeof(cases[0]), sizeof(cases) / sizeof(cases[0]),
	    test_triage_case);
	failed += cmocka_run_group_tests_name("triage", tests, NULL, NULL);
	return failed;
}
