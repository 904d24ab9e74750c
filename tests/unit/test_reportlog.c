/*
 * test_reportlog.c: both readers of pytest-reportlog's log (pytest
 * --report-log), the fast report_read() and the json-c reference
 * refread_read(), and the meaning of its lines (logstate.c).
 *
 * Every case runs through both readers, from memory sources cut into
 * chunks of every size from 1 byte to the whole log, so that every refill
 * path is reached.  A valid log must give one exact tally in both readers
 * at every chunk size: counts, the failed node IDs (the selectors), the
 * flaky and the unknown ones byte for byte and in first-report order, the
 * collection errors with their reasons, and what the SessionFinish line
 * said.  A bad log must be REPORT_READ_BAD in both, with the same records
 * counted before the fault.  Then where faults are reported, failure
 * details, logs larger than the read buffers from memory, a file and a
 * pipe, many attempts open at once, and logstate on its own.
 *
 * The lines are cut down from real ones (pytest 7.2.1 and 9.1.1,
 * pytest-reportlog 0.4, xdist 3.1, rerunfailures 10.2): the keys the
 * triage reads, and a few it skips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit.h"
#include "logstate.h"
#include "nodeid.h"
#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"

#define SEED	0x0123456789abcdefULL
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

/* Lines as pytest-reportlog writes them. */
#define START	"{\"pytest_version\": \"7.2.1\", \"$report_type\": " \
	"\"SessionStart\"}\n"
#define FINISH(n)	"{\"exitstatus\": " #n ", \"$report_type\": " \
	"\"SessionFinish\"}\n"
#define TR(id, when, outcome)	"{\"nodeid\": \"" id "\", \"location\": " \
	"[\"t.py\", 0, \"t\"], \"keywords\": {\"t\": 1}, \"outcome\": \"" \
	outcome "\", \"longrepr\": null, \"when\": \"" when "\", " \
	"\"user_properties\": [], \"sections\": [], \"duration\": 0.001, " \
	"\"$report_type\": \"TestReport\"}\n"
#define PASS3(id)	TR(id, "setup", "passed") TR(id, "call", "passed") \
	TR(id, "teardown", "passed")
#define FAIL3(id)	TR(id, "setup", "passed") TR(id, "call", "failed") \
	TR(id, "teardown", "passed")
#define CR(id, outcome)	"{\"nodeid\": \"" id "\", \"outcome\": \"" outcome \
	"\", \"longrepr\": null, \"result\": null, \"sections\": [], " \
	"\"$report_type\": \"CollectReport\"}\n"
#define CRERR(id, longrepr)	"{\"nodeid\": \"" id "\", \"outcome\": " \
	"\"failed\", \"longrepr\": " longrepr ", \"result\": null, " \
	"\"sections\": [], \"$report_type\": \"CollectReport\"}\n"
#define CRASH(id)	"{\"nodeid\": \"" id "\", \"location\": [\"t.py\", " \
	"null, \"t.py\"], \"keywords\": [], \"outcome\": \"failed\", " \
	"\"longrepr\": \"worker 'gw1' crashed while running '" id "'\", " \
	"\"when\": \"???\", \"user_properties\": [], \"sections\": [], " \
	"\"duration\": 0, \"node\": \"<WorkerController gw1>\", " \
	"\"$report_type\": \"TestReport\"}\n"
#define SUB(id, outcome)	"{\"nodeid\": \"" id "\", \"location\": " \
	"[\"t.py\", 0, \"t\"], \"outcome\": \"" outcome "\", \"longrepr\": " \
	"null, \"when\": \"call\", \"_subtest.context\": {\"msg\": \"check\", " \
	"\"kwargs\": {\"i\": \"0\"}}, \"$report_type\": \"SubTestReport\"}\n"
#define WARN	"{\"category\": \"UserWarning\", \"filename\": \"/b/t.py\", " \
	"\"lineno\": 4, \"message\": \"w\", \"$report_type\": " \
	"\"WarningMessage\", \"when\": \"runtest\", \"location\": null}\n"

/* Read a source with one reader into a fresh tally. */
static enum report_status
read_log(size_t r, struct source *src, struct tally *t, struct reading *rd,
    int messages)
{
	enum report_status st;

	assert_int_equal(tally_init(t, SEED), 0);
	memset(rd, 0, sizeof(*rd));
	rd->tally = t;
	rd->messages = messages;
	st = readers[r].read(src, rd);
	/* a bad log may be bad before its first byte says what it is */
	if (st == REPORT_READ_OK)
		assert_int_equal(rd->input, INPUT_REPORTLOG);
	else if (st != REPORT_READ_BAD)
		assert_int_equal(rd->input, INPUT_NONE);
	return st;
}

static enum report_status
run(size_t r, const void *p, size_t len, size_t chunk, struct tally *t,
    struct reading *rd)
{
	struct source src;

	source_from_memory(&src, p, len, chunk);
	return read_log(r, &src, t, rd, 0);
}

/*
 * The chunk sizes a log of len bytes is read in: the whole in one piece
 * (0), then every size from 1 byte up to 256 bytes or the whole, then
 * sizes a quarter larger each up to the whole.  The index runs from 0
 * while next_chunk() returns 1.
 */
static int
next_chunk(size_t len, size_t *i, size_t *chunk)
{
	if (*i == 0)
		*chunk = 0;
	else if (*chunk < 256)
		(*chunk)++;
	else
		*chunk += *chunk / 4;
	if (*i > 0 && *chunk >= len)
		return 0;
	(*i)++;
	return 1;
}

/* Valid logs. */

struct want {
	/* records, tests, passed, failed, skipped, unknown */
	struct tally_counts counts;
	int finished;
	int64_t session_status;
	size_t nsel, nflaky, nunknown, nerr;
	struct bytes sel[MAXIDS], flaky[MAXIDS], unknown[MAXIDS];
	struct bytes err[MAXIDS], reason[MAXIDS];
	uint64_t error_records;
};

static int
check_ids(const struct tally *t, enum outcome o, const struct bytes *want,
    size_t nwant, const char *which, const char *ctx)
{
	struct tally_id *ids;
	size_t n, i;
	int bad = 0;

	assert_int_equal(tally_kept(t, o, &ids, &n), 0);
	if (n != nwant && ++bad)
		print_error("%s: %zu %s, want %zu\n", ctx, n, which, nwant);
	for (i = 0; i < n && i < nwant; i++)
		if ((ids[i].len != want[i].len ||
		    memcmp(ids[i].id, want[i].p, ids[i].len) != 0) && ++bad)
			print_error("%s: %s %zu is \"%.*s\" (%zu bytes)\n", ctx,
			    which, i, (int)ids[i].len, ids[i].id, ids[i].len);
	free(ids);
	return bad;
}

/* Print every difference from the expected reading; how many. */
static int
check_reading(const struct tally *t, const struct reading *rd,
    const struct want *w, const char *ctx)
{
	struct tally_id e;
	size_t i;
	int bad = 0;

	if (memcmp(&t->counts, &w->counts, sizeof(w->counts)) != 0 && ++bad)
		print_error("%s: counts records=%ju tests=%ju passed=%ju "
		    "failed=%ju skipped=%ju unknown=%ju, want %ju %ju %ju %ju "
		    "%ju %ju\n", ctx, (uintmax_t)t->counts.records,
		    (uintmax_t)t->counts.tests, (uintmax_t)t->counts.passed,
		    (uintmax_t)t->counts.failed, (uintmax_t)t->counts.skipped,
		    (uintmax_t)t->counts.unknown, (uintmax_t)w->counts.records,
		    (uintmax_t)w->counts.tests, (uintmax_t)w->counts.passed,
		    (uintmax_t)w->counts.failed, (uintmax_t)w->counts.skipped,
		    (uintmax_t)w->counts.unknown);
	if ((rd->finished != w->finished ||
	    rd->session_status != w->session_status) && ++bad)
		print_error("%s: finished %d with %jd, want %d with %jd\n", ctx,
		    rd->finished, (intmax_t)rd->session_status, w->finished,
		    (intmax_t)w->session_status);
	bad += check_ids(t, OUTCOME_FAILED, w->sel, w->nsel, "selectors",
	    ctx);
	bad += check_ids(t, OUTCOME_PASSED, w->flaky, w->nflaky, "flaky", ctx);
	bad += check_ids(t, OUTCOME_UNKNOWN, w->unknown, w->nunknown,
	    "unknown", ctx);
	if (t->nerrors != w->nerr && ++bad)
		print_error("%s: %zu collection errors, want %zu\n", ctx,
		    t->nerrors, w->nerr);
	if (t->error_records != w->error_records && ++bad)
		print_error("%s: %ju collection error records, want %ju\n",
		    ctx, (uintmax_t)t->error_records,
		    (uintmax_t)w->error_records);
	for (i = 0; i < w->nerr && i < t->nerrors; i++) {
		tally_collection_error(t, i, &e);
		if ((e.len != w->err[i].len ||
		    memcmp(e.id, w->err[i].p, e.len) != 0) && ++bad)
			print_error("%s: collection error %zu is \"%.*s\"\n",
			    ctx, i, (int)e.len, e.id);
		if ((e.reason_len != w->reason[i].len ||
		    (e.reason_len > 0 &&
		    memcmp(e.reason, w->reason[i].p, e.reason_len) != 0)) &&
		    ++bad)
			print_error("%s: collection error %zu reason is "
			    "\"%.*s\"\n", ctx, i, (int)e.reason_len, e.reason);
	}
	return bad;
}

/* Both readers, every chunk size: OK and exactly the expected reading. */
static void
check_valid(const char *what, const void *input, size_t len,
    const struct want *w)
{
	struct reading rd;
	struct tally t;
	enum report_status st;
	char ctx[200];
	size_t r, i, chunk;
	int bad = 0;

	for (r = 0; r < NREADERS; r++)
		for (i = 0; next_chunk(len, &i, &chunk);) {
			snprintf(ctx, sizeof(ctx), "%s, %s, chunk %zu", what,
			    readers[r].name, chunk);
			st = run(r, input, len, chunk, &t, &rd);
			if (st != REPORT_READ_OK) {
				print_error("%s: %s, at byte %ju: %s\n", ctx,
				    status_name(st), (uintmax_t)rd.err.offset,
				    rd.err.what);
				bad++;
			} else
				bad += check_reading(&t, &rd, w, ctx);
			tally_free(&t);
			if (bad > 20)
				break;
		}
	assert_int_equal(bad, 0);
}

struct valid_case {
	const char *what;
	struct bytes input;
	struct want want;
};

static void
test_valid_case(void **state)
{
	const struct valid_case *c = *state;

	check_valid(c->what, c->input.p, c->input.len, &c->want);
}

#define COUNTS(rec, tests, p, f, s, u)	\
	.counts = { (rec), (tests), (p), (f), (s), (u) }

static const struct valid_case valid_cases[] = {
	/* The session. */
	{ "a log as pytest-reportlog writes it",
	    B(START CR("", "passed") CR("t.py", "passed") PASS3("t.py::a")
	    FAIL3("t.py::b") TR("t.py::c", "setup", "skipped")
	    TR("t.py::c", "teardown", "passed") FINISH(1)),
	    { COUNTS(12, 3, 1, 1, 1, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::b") } } },
	{ "a SessionStart line alone: no SessionFinish",
	    B(START), { COUNTS(1, 0, 0, 0, 0, 0) } },
	{ "a session that collected nothing",
	    B(START CR("", "passed") FINISH(5)),
	    { COUNTS(3, 0, 0, 0, 0, 0), .finished = 1, .session_status = 5 } },
	{ "SessionFinish's exitstatus is read whatever its value",
	    B(START FINISH(-1)),
	    { COUNTS(2, 0, 0, 0, 0, 0), .finished = 1,
	    .session_status = -1 } },
	{ "SessionFinish's exitstatus of 18 digits is read",
	    B(START FINISH(999999999999999999)),
	    { COUNTS(2, 0, 0, 0, 0, 0), .finished = 1,
	    .session_status = 999999999999999999LL } },
	{ "SessionFinish's exitstatus -0 is 0",
	    B(START "{\"exitstatus\": -0, \"$report_type\": "
	    "\"SessionFinish\"}\n"),
	    { COUNTS(2, 0, 0, 0, 0, 0), .finished = 1 } },
	{ "blank lines anywhere are ignored and not counted",
	    B("\n \n" START "\n\t\n\r\n" PASS3("t.py::a") "   \n" FINISH(0)
	    "\n\n  "),
	    { COUNTS(5, 1, 1, 0, 0, 0), .finished = 1 } },
	{ "CRLF line ends are accepted",
	    B("{\"pytest_version\": \"7.2.1\", \"$report_type\": "
	    "\"SessionStart\"}\r\n"
	    "{\"nodeid\": \"t.py::a\", \"outcome\": \"passed\", \"when\": "
	    "\"setup\", \"$report_type\": \"TestReport\"}\r\n"
	    "{\"nodeid\": \"t.py::a\", \"outcome\": \"failed\", \"when\": "
	    "\"call\", \"$report_type\": \"TestReport\"}\r\n"
	    "{\"nodeid\": \"t.py::a\", \"outcome\": \"passed\", \"when\": "
	    "\"teardown\", \"$report_type\": \"TestReport\"}\r\n\r\n"
	    "{\"exitstatus\": 1, \"$report_type\": \"SessionFinish\"}\r\n"),
	    { COUNTS(5, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "white space around a line's object is fine",
	    B(" \t{\"pytest_version\": \"7.2.1\", \"$report_type\": "
	    "\"SessionStart\"} \t\r\n  {\"exitstatus\" : 0 , "
	    "\"$report_type\":\"SessionFinish\"}  \n"),
	    { COUNTS(2, 0, 0, 0, 0, 0), .finished = 1 } },
	{ "a byte order mark then a log is read",
	    B("\xef\xbb\xbf" START PASS3("t.py::a") FINISH(0)),
	    { COUNTS(5, 1, 1, 0, 0, 0), .finished = 1 } },
	{ "keys in any order, and keys and values nothing reads",
	    B("{\"$report_type\": \"SessionStart\", \"pytest_version\": "
	    "\"9.1.1\", \"x\": [NaN, Infinity, -Infinity, 1e999, {}, [], "
	    "null, true, false, \"\\u00e9\"]}\n"
	    "{\"$report_type\": \"TestReport\", \"when\": \"setup\", "
	    "\"outcome\": \"passed\", \"nodeid\": \"t.py::a\", "
	    "\"start\": 1796228972.317084, \"keywords\": {\"\": 1}, "
	    "\"rerun\": 0, \"location\": [\"t.py\", null, \"t\"]}\n"
	    "{\"outcome\": \"failed\", \"nodeid\": \"t.py::a\", \"longrepr\": "
	    "{\"reprcrash\": {\"path\": \"/b/t.py\", \"lineno\": 3, "
	    "\"message\": \"E\"}, \"reprtraceback\": {\"reprentries\": [], "
	    "\"style\": \"long\"}, \"sections\": [], \"chain\": []}, "
	    "\"when\": \"call\", \"$report_type\": \"TestReport\"}\n"
	    "{\"when\": \"teardown\", \"nodeid\": \"t.py::a\", \"outcome\": "
	    "\"passed\", \"duration\": NaN, \"$report_type\": \"TestReport\"}\n"
	    "{\"$report_type\": \"SessionFinish\", \"exitstatus\": 1}\n"),
	    { COUNTS(5, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "a key spelt with escapes is the key",
	    B("{\"\\u0024report_type\": \"Session\\u0053tart\"}\n"
	    "{\"n\\u006fdeid\": \"t.py::\\u00e9\", \"outc\\u006fme\": "
	    "\"f\\u0061iled\", \"wh\\u0065n\": \"c\\u0061ll\", "
	    "\"$report_type\": \"TestReport\"}\n"
	    "{\"nodeid\": \"t.py::\\u00e9\", \"outcome\": \"passed\", "
	    "\"when\": \"teardown\", \"$report_type\": \"TestReport\"}\n"
	    "{\"exit\\u0073tatus\": 1, \"$report_type\": \"SessionFinish\"}\n"),
	    { COUNTS(4, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::\xc3\xa9") } } },
	{ "node IDs keep escaped bytes, NUL and line breaks included",
	    B(START FAIL3("t.py::x[\\\"q\\\" \\\\ \\n \\u0000 \\ud83d\\ude00]")
	    FAIL3("t.py::x[\\u2028]") FINISH(1)),
	    { COUNTS(8, 2, 0, 2, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 2, .sel = { B("t.py::x[\"q\" \\ \n \0 \xf0\x9f\x98\x80]"),
	    B("t.py::x[\xe2\x80\xa8]") } } },

	/* Attempts: setup, call, teardown. */
	{ "setup, call and teardown passed: passed",
	    B(START PASS3("t.py::a") FINISH(0)),
	    { COUNTS(5, 1, 1, 0, 0, 0), .finished = 1 } },
	{ "setup failed, teardown passed: failed",
	    B(START TR("t.py::a", "setup", "failed")
	    TR("t.py::a", "teardown", "passed") FINISH(1)),
	    { COUNTS(4, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "teardown failed after a passed call: failed",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "passed")
	    TR("t.py::a", "teardown", "failed") FINISH(1)),
	    { COUNTS(5, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "call and teardown failed: failed, selected once",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "failed")
	    TR("t.py::a", "teardown", "failed") FINISH(1)),
	    { COUNTS(5, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "a skip in setup or call is skipped, xpass passed",
	    B(START TR("t.py::s", "setup", "skipped")
	    TR("t.py::s", "teardown", "passed")
	    TR("t.py::x", "setup", "passed") TR("t.py::x", "call", "skipped")
	    TR("t.py::x", "teardown", "passed")
	    PASS3("t.py::xpass") FINISH(0)),
	    { COUNTS(10, 3, 1, 0, 2, 0), .finished = 1 } },
	{ "a failed setup beats a skipped call",
	    B(START TR("t.py::a", "setup", "failed")
	    TR("t.py::a", "call", "skipped")
	    TR("t.py::a", "teardown", "passed") FINISH(1)),
	    { COUNTS(5, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "a test run twice: the last attempt decides",
	    B(START FAIL3("t.py::a") PASS3("t.py::b") PASS3("t.py::a")
	    FAIL3("t.py::b") FINISH(1)),
	    { COUNTS(14, 2, 1, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::b") }, .nflaky = 1,
	    .flaky = { B("t.py::a") } } },

	/* pytest-rerunfailures. */
	{ "a rerun, then a pass: passed and flaky",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "rerun") PASS3("t.py::a") PASS3("t.py::b")
	    FINISH(0)),
	    { COUNTS(10, 2, 2, 0, 0, 0), .finished = 1, .nflaky = 1,
	    .flaky = { B("t.py::a") } } },
	{ "a rerun on a setup line, then a pass: flaky",
	    B(START TR("t.py::a", "setup", "rerun") PASS3("t.py::a")
	    FINISH(0)),
	    { COUNTS(6, 1, 1, 0, 0, 0), .finished = 1, .nflaky = 1,
	    .flaky = { B("t.py::a") } } },
	{ "a rerun every time, then a failure: failed once, not flaky",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "rerun") TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "rerun") FAIL3("t.py::a") FINISH(1)),
	    { COUNTS(9, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "a rerun, then an attempt never finished: unknown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "rerun") TR("t.py::a", "setup", "passed")),
	    { COUNTS(4, 1, 0, 0, 0, 1), .nunknown = 1,
	    .unknown = { B("t.py::a") } } },

	/* Attempts that never finished. */
	{ "a crashed xdist worker (?\?\?) after setup: failed",
	    B(START PASS3("t.py::b") TR("t.py::a", "setup", "passed")
	    CRASH("t.py::a") FINISH(1)),
	    { COUNTS(7, 2, 1, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "a crashed xdist worker (?\?\?) with no setup line: failed",
	    B(START CRASH("t.py::a") FINISH(1)),
	    { COUNTS(3, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "killed: a setup line, then nothing: unknown, no SessionFinish",
	    B(START PASS3("t.py::a") TR("t.py::b", "setup", "passed")),
	    { COUNTS(5, 2, 1, 0, 0, 1), .nunknown = 1,
	    .unknown = { B("t.py::b") } } },
	{ "killed after a failed call: unknown, though it failed",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "failed")),
	    { COUNTS(3, 1, 0, 0, 0, 1), .nunknown = 1,
	    .unknown = { B("t.py::a") } } },
	{ "pytest.exit(): a setup line only, then SessionFinish: unknown",
	    B(START PASS3("t.py::a") FAIL3("t.py::b")
	    TR("t.py::c", "setup", "passed") FINISH(0)),
	    { COUNTS(9, 3, 1, 1, 0, 1), .finished = 1, .nsel = 1,
	    .sel = { B("t.py::b") }, .nunknown = 1,
	    .unknown = { B("t.py::c") } } },
	{ "--setup-only: setup and teardown and no call: unknown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "teardown", "passed")
	    TR("t.py::b", "setup", "failed")
	    TR("t.py::b", "teardown", "passed")
	    TR("t.py::c", "setup", "skipped")
	    TR("t.py::c", "teardown", "passed") FINISH(1)),
	    { COUNTS(8, 3, 0, 1, 1, 1), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::b") }, .nunknown = 1,
	    .unknown = { B("t.py::a") } } },
	{ "a teardown line alone: unknown",
	    B(START TR("t.py::a", "teardown", "passed") FINISH(0)),
	    { COUNTS(3, 1, 0, 0, 0, 1), .finished = 1, .nunknown = 1,
	    .unknown = { B("t.py::a") } } },

	/* Words nothing here names. */
	{ "an outcome word nothing names: unknown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "error") TR("t.py::a", "teardown", "passed")
	    TR("t.py::b", "setup", "passed") TR("t.py::b", "call", "PASSED")
	    TR("t.py::b", "teardown", "passed")
	    TR("t.py::c", "setup", "passed") TR("t.py::c", "call", "")
	    TR("t.py::c", "teardown", "passed") FINISH(0)),
	    { COUNTS(11, 3, 0, 0, 0, 3), .finished = 1, .nunknown = 3,
	    .unknown = { B("t.py::a"), B("t.py::b"), B("t.py::c") } } },
	{ "a when word nothing names: unknown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "collect", "passed") TR("t.py::a", "call", "passed")
	    TR("t.py::a", "teardown", "passed") FINISH(0)),
	    { COUNTS(6, 1, 0, 0, 0, 1), .finished = 1, .nunknown = 1,
	    .unknown = { B("t.py::a") } } },
	{ "an odd word beats a failure: unknown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "failed")
	    TR("t.py::a", "teardown", "broken") FINISH(1)),
	    { COUNTS(5, 1, 0, 0, 0, 1), .finished = 1, .session_status = 1,
	    .nunknown = 1, .unknown = { B("t.py::a") } } },

	/* Other line types. */
	{ "a failed SubTestReport fails its test",
	    B(START TR("t.py::a", "setup", "passed") SUB("t.py::a", "passed")
	    SUB("t.py::a", "failed") SUB("t.py::a", "passed")
	    TR("t.py::a", "call", "passed") TR("t.py::a", "teardown", "passed")
	    TR("t.py::b", "setup", "passed") SUB("t.py::b", "passed")
	    TR("t.py::b", "call", "passed") TR("t.py::b", "teardown", "passed")
	    FINISH(1)),
	    { COUNTS(12, 2, 1, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::a") } } },
	{ "WarningMessage lines are counted and otherwise ignored",
	    B(START WARN TR("t.py::a", "setup", "passed") WARN
	    TR("t.py::a", "call", "passed") TR("t.py::a", "teardown", "passed")
	    WARN FINISH(0)),
	    { COUNTS(8, 1, 1, 0, 0, 0), .finished = 1 } },
	{ "a line of another type is ignored unless it reports a failure",
	    B(START "{\"$report_type\": \"PluginThing\"}\n"
	    "{\"nodeid\": \"t.py::a\", \"outcome\": \"passed\", "
	    "\"$report_type\": \"PluginThing\"}\n"
	    "{\"nodeid\": \"t.py::a\", \"outcome\": \"weird\", "
	    "\"$report_type\": \"PluginThing\"}\n"
	    PASS3("t.py::a") TR("t.py::b", "setup", "passed")
	    "{\"nodeid\": \"t.py::b\", \"outcome\": \"failed\", "
	    "\"$report_type\": \"PluginThing\"}\n"
	    TR("t.py::b", "call", "passed") TR("t.py::b", "teardown", "passed")
	    FINISH(1)),
	    { COUNTS(12, 2, 1, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("t.py::b") } } },

	/* pytest-xdist. */
	{ "interleaved xdist attempts are followed apart",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::b", "setup", "passed") TR("t.py::a", "call", "passed")
	    TR("t.py::b", "call", "failed") TR("t.py::c", "setup", "passed")
	    TR("t.py::a", "teardown", "passed")
	    TR("t.py::c", "call", "failed")
	    TR("t.py::c", "teardown", "passed")
	    TR("t.py::b", "teardown", "passed") FINISH(1)),
	    { COUNTS(11, 3, 1, 2, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 2, .sel = { B("t.py::b"), B("t.py::c") } } },
	{ "selectors come in the order of each test's first report",
	    B(START TR("t.py::b", "setup", "passed")
	    TR("t.py::a", "setup", "passed") TR("t.py::a", "call", "failed")
	    TR("t.py::a", "teardown", "passed")
	    TR("t.py::b", "call", "failed")
	    TR("t.py::b", "teardown", "passed") FINISH(1)),
	    { COUNTS(8, 2, 0, 2, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 2, .sel = { B("t.py::b"), B("t.py::a") } } },

	/* Collection. */
	{ "collection errors once each, in file order; xdist repeats them",
	    B(START CR("b.py", "failed") CR("", "failed") CR("b.py", "failed")
	    CR("a.py", "failed") CR("c.py", "skipped") CR("d.py", "passed")
	    CR("", "failed") FINISH(1)),
	    { COUNTS(9, 3, 0, 3, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 3, .sel = { B("b.py"), B(""), B("a.py") }, .nerr = 3,
	    .err = { B("b.py"), B(""), B("a.py") },
	    .reason = { B(""), B(""), B("") }, .error_records = 5 } },
	{ "the empty node ID as the first one read",
	    B(START CR("", "failed") FINISH(1)),
	    { COUNTS(3, 1, 0, 1, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 1, .sel = { B("") }, .nerr = 1, .err = { B("") },
	    .reason = { B("") }, .error_records = 1 } },
	{ "a CollectReport outcome nothing names is a collection error",
	    B(START CR("t.py", "error") FINISH(2)),
	    { COUNTS(3, 1, 0, 1, 0, 0), .finished = 1, .session_status = 2,
	    .nsel = 1, .sel = { B("t.py") }, .nerr = 1, .err = { B("t.py") },
	    .reason = { B("") }, .error_records = 1 } },
	{ "a collection error's reason: a string's last line, or reprcrash",
	    B(START CRERR("a.py", "\"ImportError while importing test module"
	    " 'a.py'.\\nTraceback:\\nE   ModuleNotFoundError: x\\n\\n\"")
	    CRERR("b.py", "{\"reprcrash\": {\"path\": \"/b/b.py\", \"lineno\": "
	    "2, \"message\": \"NameError: y\\nmore\"}, \"reprtraceback\": "
	    "{\"reprentries\": []}}")
	    CRERR("c.py", "{\"reprcrash\": null, \"reprtraceback\": "
	    "{\"reprentries\": [{\"type\": \"ReprEntry\", \"data\": "
	    "{\"lines\": [\"In test_x: bad\"]}}]}}")
	    CRERR("d.py", "[\"d.py\", 1, \"Skipped: no\"]")
	    CRERR("e.py", "null") FINISH(1)),
	    { COUNTS(7, 5, 0, 5, 0, 0), .finished = 1, .session_status = 1,
	    .nsel = 5, .sel = { B("a.py"), B("b.py"), B("c.py"), B("d.py"),
	    B("e.py") }, .nerr = 5, .err = { B("a.py"), B("b.py"), B("c.py"),
	    B("d.py"), B("e.py") }, .reason = { B("E   ModuleNotFoundError: x"),
	    B("NameError: y"), B(""), B(""), B("") }, .error_records = 5 } },
	{ "a collection error's reason: the last longrepr, reprcrash and "
	    "message given count",
	    B(START CRERR("a.py", "\"first\", \"longrepr\": {\"reprcrash\": "
	    "{\"message\": \"second\"}}")
	    CRERR("b.py", "{\"reprcrash\": {\"message\": \"first\"}}, "
	    "\"longrepr\": null")
	    CRERR("c.py", "{\"reprcrash\": {\"message\": \"first\"}, "
	    "\"reprcrash\": {\"lineno\": 1}}")
	    CRERR("d.py", "{\"reprcrash\": {\"message\": \"first\", "
	    "\"message\": null}}")
	    CRERR("e.py", "{\"reprcrash\": {\"message\": \"first\", "
	    "\"message\": \"second\"}}")
	    CRERR("f.py", "{\"reprcrash\": {\"message\": \"first\"}}, "
	    "\"longrepr\": \"Traceback\\nE   second\\n\"") FINISH(2)),
	    { COUNTS(8, 6, 0, 6, 0, 0), .finished = 1, .session_status = 2,
	    .nsel = 6, .sel = { B("a.py"), B("b.py"), B("c.py"), B("d.py"),
	    B("e.py"), B("f.py") }, .nerr = 6, .err = { B("a.py"), B("b.py"),
	    B("c.py"), B("d.py"), B("e.py"), B("f.py") },
	    .reason = { B("second"), B(""), B(""), B(""), B("second"),
	    B("E   second") }, .error_records = 6 } },
};

/* Nesting: a line counts as 1, so a value may open 999 more levels. */
static char *
nested_log(size_t levels, int objects, const char *inner)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, START "{\"x\": "), 0);
	for (i = 0; i < levels; i++)
		assert_int_equal(strbuf_puts(&sb, objects ? "{\"k\": " : "["),
		    0);
	assert_int_equal(strbuf_puts(&sb, inner), 0);
	for (i = 0; i < levels; i++)
		assert_int_equal(strbuf_appendc(&sb, objects ? '}' : ']'), 0);
	assert_int_equal(strbuf_puts(&sb, ", \"$report_type\": "
	    "\"WarningMessage\"}\n" FINISH(0)), 0);
	return sb.data;
}

static void
test_nesting_exactly_1000_deep_is_accepted(void **state)
{
	static const struct want w = { COUNTS(3, 0, 0, 0, 0, 0),
	    .finished = 1 };
	char *doc;

	(void)state;
	doc = nested_log(999, 0, "");
	check_valid("999 arrays in a line", doc, strlen(doc), &w);
	free(doc);
	doc = nested_log(998, 1, "{}");
	check_valid("999 objects in a line", doc, strlen(doc), &w);
	free(doc);
}

/* Bad logs. */

struct bad_case {
	const char *what;
	struct bytes input;
};

#define TR_LINE(fields)	"{" fields ", \"$report_type\": \"TestReport\"}\n"

static const struct bad_case bad_cases[] = {
	/* The order of the session's lines. */
	{ "a line before SessionStart", B(CR("", "passed") START FINISH(0)) },
	{ "a TestReport before SessionStart", B(PASS3("t.py::a") START) },
	{ "a SessionFinish with no SessionStart", B(FINISH(0)) },
	{ "a WarningMessage before SessionStart", B(WARN START FINISH(0)) },
	{ "a second SessionStart", B(START START FINISH(0)) },
	{ "a second SessionStart later on",
	    B(START PASS3("t.py::a") START FINISH(0)) },
	{ "a line after SessionFinish", B(START FINISH(0) PASS3("t.py::a")) },
	{ "a WarningMessage after SessionFinish", B(START FINISH(0) WARN) },
	{ "a second SessionFinish", B(START FINISH(0) FINISH(0)) },
	{ "a SessionStart after SessionFinish", B(START FINISH(0) START) },
	{ "a second setup before the teardown",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "setup", "passed") FINISH(0)) },
	{ "a second setup after the call",
	    B(START TR("t.py::a", "setup", "passed")
	    TR("t.py::a", "call", "passed") TR("t.py::a", "setup", "passed")
	    FINISH(0)) },

	/* Lines. */
	{ "no final line feed", B(START PASS3("t.py::a")
	    "{\"exitstatus\": 0, \"$report_type\": \"SessionFinish\"}") },
	{ "no final line feed after white space", B(START
	    "{\"exitstatus\": 0, \"$report_type\": \"SessionFinish\"}  \r") },
	{ "a lone SessionStart with no line feed",
	    B("{\"pytest_version\": \"7.2.1\", \"$report_type\": "
	    "\"SessionStart\"}") },
	{ "a last line cut short", B(START "{\"exitstatus\": 0, ") },
	{ "a last line cut inside a string", B(START "{\"exitsta") },
	{ "a last line of one brace", B(START "{") },
	{ "two objects on a line", B(START "{\"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\"}{\"a\": 1}\n") },
	{ "two objects on a line with a space between",
	    B("{\"$report_type\": \"SessionStart\"} "
	    "{\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "two objects on a line with a comma between",
	    B("{\"$report_type\": \"SessionStart\"}, "
	    "{\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "an object across two lines", B(START "{\"exitstatus\": 0,\n"
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "an object across two lines after its brace",
	    B(START "{\n\"exitstatus\": 0, \"$report_type\": "
	    "\"SessionFinish\"}\n") },
	{ "an object across CRLF lines", B(START "{\"exitstatus\": 0,\r\n"
	    "\"$report_type\": \"SessionFinish\"}\r\n") },
	{ "garbage after a line's object", B(START "{\"$report_type\": "
	    "\"WarningMessage\"} x\n" FINISH(0)) },
	{ "a NUL after a line's object", B(START "{\"$report_type\": "
	    "\"WarningMessage\"}\0\n" FINISH(0)) },
	{ "a closing bracket after a line's object", B(START
	    "{\"$report_type\": \"WarningMessage\"}]\n" FINISH(0)) },
	{ "a line that is an array", B(START "[]\n" FINISH(0)) },
	{ "a line that is a string", B(START "\"x\"\n" FINISH(0)) },
	{ "a line that is a number", B(START "1\n" FINISH(0)) },
	{ "a line that is null", B(START "null\n" FINISH(0)) },
	{ "a line that is true", B(START "true\n" FINISH(0)) },
	{ "a line of garbage", B(START "x\n" FINISH(0)) },
	{ "an empty object", B(START "{}\n" FINISH(0)) },
	{ "a line with no $report_type", B(START "{\"nodeid\": \"t.py::a\", "
	    "\"outcome\": \"failed\", \"when\": \"call\"}\n" FINISH(1)) },
	{ "a form feed as white space", B(START "\f" FINISH(0)) },
	{ "a form feed inside a line", B(START "{\f\"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "a vertical tab before the log", B("\v" START FINISH(0)) },
	{ "a lone carriage return between lines",
	    B("{\"$report_type\": \"SessionStart\"}\r"
	    "{\"exitstatus\": 0, \"$report_type\": \"SessionFinish\"}\n") },
	{ "a raw NUL between lines", B(START "\0\n" FINISH(0)) },
	{ "half a byte order mark", B("\xef\xbb" START FINISH(0)) },
	{ "a byte order mark on the second line",
	    B(START "\xef\xbb\xbf" FINISH(0)) },
	{ "single quotes", B(START "{'exitstatus': 0, '$report_type': "
	    "'SessionFinish'}\n") },
	{ "a trailing comma in a line", B(START "{\"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\",}\n") },
	{ "a missing comma in a line", B(START "{\"exitstatus\": 0 "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "a comment in a line", B(START "{/**/\"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "a leading zero in a skipped number", B(START "{\"d\": 01, "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "a key holding \\u0000", B(START "{\"a\\u0000\": 1, "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "$report_type written with \\u0000 after it",
	    B(START "{\"$report_type\\u0000\": \"WarningMessage\", "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },

	/* Keys that decide, twice in a line. */
	{ "$report_type twice", B(START "{\"$report_type\": "
	    "\"WarningMessage\", \"$report_type\": \"WarningMessage\"}\n"
	    FINISH(0)) },
	{ "$report_type twice, once escaped", B(START "{\"$report_type\": "
	    "\"WarningMessage\", \"\\u0024report_type\": "
	    "\"WarningMessage\"}\n" FINISH(0)) },
	{ "nodeid twice", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"nodeid\": \"t.py::b\", \"when\": \"call\", \"outcome\": "
	    "\"failed\"") FINISH(1)) },
	{ "when twice", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"when\": \"setup\", \"when\": \"call\", \"outcome\": "
	    "\"passed\"") FINISH(0)) },
	{ "outcome twice", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"when\": \"call\", \"outcome\": \"failed\", \"outcome\": "
	    "\"passed\"") FINISH(0)) },
	{ "exitstatus twice", B(START "{\"exitstatus\": 1, \"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "nodeid twice in a CollectReport", B(START "{\"nodeid\": \"a.py\", "
	    "\"nodeid\": \"b.py\", \"outcome\": \"failed\", \"$report_type\": "
	    "\"CollectReport\"}\n" FINISH(1)) },

	/* Keys that decide, of the wrong type or missing. */
	{ "exitstatus a string", B(START "{\"exitstatus\": \"1\", "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus a fraction", B(START "{\"exitstatus\": 1.5, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus 1.0", B(START "{\"exitstatus\": 1.0, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus with an exponent", B(START "{\"exitstatus\": 1e0, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus true", B(START "{\"exitstatus\": true, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus null", B(START "{\"exitstatus\": null, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus an array", B(START "{\"exitstatus\": [1], "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus NaN", B(START "{\"exitstatus\": NaN, "
	    "\"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus of 19 digits", B(START "{\"exitstatus\": "
	    "1000000000000000000, \"$report_type\": \"SessionFinish\"}\n") },
	{ "exitstatus of 25 digits", B(START "{\"exitstatus\": "
	    "1000000000000000000000000, \"$report_type\": "
	    "\"SessionFinish\"}\n") },
	{ "exitstatus a string on another line", B(START TR_LINE("\"nodeid\":"
	    " \"t.py::a\", \"when\": \"setup\", \"outcome\": \"passed\", "
	    "\"exitstatus\": \"x\"") FINISH(0)) },
	{ "SessionFinish without exitstatus", B(START
	    "{\"$report_type\": \"SessionFinish\"}\n") },
	{ "nodeid a number", B(START TR_LINE("\"nodeid\": 3, \"when\": "
	    "\"call\", \"outcome\": \"failed\"") FINISH(1)) },
	{ "nodeid null", B(START TR_LINE("\"nodeid\": null, \"when\": "
	    "\"call\", \"outcome\": \"failed\"") FINISH(1)) },
	{ "nodeid an array in a CollectReport", B(START "{\"nodeid\": "
	    "[\"a.py\"], \"outcome\": \"failed\", \"$report_type\": "
	    "\"CollectReport\"}\n" FINISH(1)) },
	{ "nodeid a number in a WarningMessage", B(START "{\"nodeid\": 1, "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "when null", B(START TR_LINE("\"nodeid\": \"t.py::a\", \"when\": "
	    "null, \"outcome\": \"passed\"") FINISH(0)) },
	{ "when a number", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"when\": 1, \"outcome\": \"passed\"") FINISH(0)) },
	{ "when null in a WarningMessage", B(START "{\"when\": null, "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "outcome null", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"when\": \"call\", \"outcome\": null") FINISH(0)) },
	{ "outcome false", B(START TR_LINE("\"nodeid\": \"t.py::a\", "
	    "\"when\": \"call\", \"outcome\": false") FINISH(0)) },
	{ "outcome an object in a CollectReport", B(START "{\"nodeid\": "
	    "\"a.py\", \"outcome\": {}, \"$report_type\": "
	    "\"CollectReport\"}\n" FINISH(1)) },
	{ "$report_type a number", B(START "{\"$report_type\": 5}\n"
	    FINISH(0)) },
	{ "$report_type null", B(START "{\"$report_type\": null}\n"
	    FINISH(0)) },
	{ "$report_type an object", B(START "{\"$report_type\": "
	    "{\"SessionFinish\": 1}, \"exitstatus\": 0}\n") },
	{ "a TestReport without nodeid", B(START TR_LINE("\"when\": \"call\","
	    " \"outcome\": \"failed\"") FINISH(1)) },
	{ "a TestReport without when", B(START TR_LINE("\"nodeid\": "
	    "\"t.py::a\", \"outcome\": \"failed\"") FINISH(1)) },
	{ "a TestReport without outcome", B(START TR_LINE("\"nodeid\": "
	    "\"t.py::a\", \"when\": \"call\"") FINISH(1)) },
	{ "a CollectReport without nodeid", B(START "{\"outcome\": "
	    "\"failed\", \"$report_type\": \"CollectReport\"}\n" FINISH(1)) },
	{ "a CollectReport without outcome", B(START "{\"nodeid\": \"a.py\", "
	    "\"$report_type\": \"CollectReport\"}\n" FINISH(1)) },
	{ "an empty TestReport nodeid", B(START TR("", "setup", "passed")
	    TR("", "call", "passed") TR("", "teardown", "passed") FINISH(0)) },
	{ "an empty nodeid in a failed SubTestReport", B(START
	    SUB("", "failed") FINISH(1)) },

	/* Bytes. */
	{ "invalid UTF-8 in a nodeid", B(START FAIL3("t.py::a\xc0\x80")
	    FINISH(1)) },
	{ "a surrogate in UTF-8 in a nodeid", B(START
	    FAIL3("t.py::a\xed\xa0\x80") FINISH(1)) },
	{ "UTF-8 above U+10FFFF in an outcome", B(START
	    TR("t.py::a", "setup", "passed\xf4\x90\x80\x80") FINISH(0)) },
	{ "a lone continuation byte in a skipped string", B(START
	    "{\"message\": \"a\x80\", \"$report_type\": \"WarningMessage\"}\n"
	    FINISH(0)) },
	{ "FF in a key", B(START "{\"\xff\": 1, \"$report_type\": "
	    "\"WarningMessage\"}\n" FINISH(0)) },
	{ "a UTF-8 sequence cut by the line feed", B(START
	    "{\"message\": \"a\xe2\x82\n\"}\n" FINISH(0)) },
	{ "a raw tab in a nodeid", B(START FAIL3("t.py::a\tb") FINISH(1)) },
	{ "a raw NUL in a skipped string", B(START "{\"message\": \"a\0b\", "
	    "\"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "a raw carriage return in a string", B(START "{\"message\": "
	    "\"a\rb\", \"$report_type\": \"WarningMessage\"}\n" FINISH(0)) },
	{ "a raw 1F in $report_type", B(START "{\"$report_type\": "
	    "\"WarningMessage\x1f\"}\n" FINISH(0)) },
	{ "an invalid escape in a nodeid", B(START FAIL3("t.py::a\\x")
	    FINISH(1)) },
	{ "a short \\u escape in a skipped string", B(START
	    "{\"message\": \"\\u12\", \"$report_type\": "
	    "\"WarningMessage\"}\n" FINISH(0)) },
};

/* Both readers, every chunk size: BAD, and the same records counted. */
static void
check_bad(const char *what, const void *input, size_t len)
{
	struct reading rd;
	struct tally t;
	struct tally_counts first;
	enum input_kind kind = INPUT_NONE;
	enum report_status st;
	size_t r, i, chunk;
	int bad = 0, have_first = 0;

	for (r = 0; r < NREADERS; r++)
		for (i = 0; next_chunk(len, &i, &chunk);) {
			st = run(r, input, len, chunk, &t, &rd);
			if (st != REPORT_READ_BAD && ++bad)
				print_error("%s, %s, chunk %zu: %s, want BAD\n",
				    what, readers[r].name, chunk,
				    status_name(st));
			else if (rd.err.what[0] == '\0' && ++bad)
				print_error("%s, %s, chunk %zu: no error "
				    "text\n", what, readers[r].name, chunk);
			if (!have_first) {
				first = t.counts;
				kind = rd.input;
				have_first = 1;
			} else if (rd.input != kind && ++bad)
				print_error("%s, %s, chunk %zu: input %d, %s "
				    "whole read %d\n", what, readers[r].name,
				    chunk, rd.input, readers[0].name, kind);
			else if (memcmp(&first, &t.counts,
			    sizeof(first)) != 0 && ++bad)
				print_error("%s, %s, chunk %zu: records %ju "
				    "tests %ju failed %ju counted before the "
				    "fault; %s whole counted %ju %ju %ju\n",
				    what, readers[r].name, chunk,
				    (uintmax_t)t.counts.records,
				    (uintmax_t)t.counts.tests,
				    (uintmax_t)t.counts.failed,
				    readers[0].name, (uintmax_t)first.records,
				    (uintmax_t)first.tests,
				    (uintmax_t)first.failed);
			tally_free(&t);
			if (bad > 20)
				break;
		}
	assert_int_equal(bad, 0);
}

static void
test_bad_case(void **state)
{
	const struct bad_case *c = *state;

	check_bad(c->what, c->input.p, c->input.len);
}

static void
test_nesting_past_the_limit_is_bad(void **state)
{
	char *doc;

	(void)state;
	doc = nested_log(1000, 0, "");
	check_bad("1000 arrays in a line", doc, strlen(doc));
	free(doc);
	doc = nested_log(999, 1, "{}");
	check_bad("1000 objects in a line", doc, strlen(doc));
	free(doc);
	doc = nested_log(5000, 0, "1");
	check_bad("5000 arrays in a line", doc, strlen(doc));
	free(doc);
}

/* The node ID length limit: 4 MiB. */
static char *
long_nodeid_log(size_t n, size_t *len)
{
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, START "{\"nodeid\": \""), 0);
	assert_int_equal(strbuf_reserve(&sb, n + 256), 0);
	memset(sb.data + sb.len, 'n', n);
	sb.len += n;
	sb.data[sb.len] = '\0';
	assert_int_equal(strbuf_puts(&sb, "\", \"when\": \"???\", "
	    "\"outcome\": \"failed\", \"$report_type\": \"TestReport\"}\n"
	    FINISH(1)), 0);
	*len = sb.len;
	return sb.data;
}

static void
test_a_nodeid_of_4_mib_is_read_and_one_more_byte_is_bad(void **state)
{
	static const size_t big_chunks[] = { 7, 4093, 0 };
	struct tally_id *ids;
	struct reading rd;
	struct tally t;
	enum report_status st;
	size_t r, k, n, len, extra;
	char *doc;

	(void)state;
	for (extra = 0; extra < 2; extra++) {
		doc = long_nodeid_log(NODEID_MAX + extra, &len);
		for (r = 0; r < NREADERS; r++)
			for (k = 0; k < 3; k++) {
				st = run(r, doc, len, big_chunks[k], &t, &rd);
				if (extra > 0) {
					if (st != REPORT_READ_BAD)
						fail_msg("%s, chunk %zu: %s, "
						    "want BAD", readers[r].name,
						    big_chunks[k],
						    status_name(st));
				} else {
					if (st != REPORT_READ_OK)
						fail_msg("%s, chunk %zu: %s "
						    "(%s)", readers[r].name,
						    big_chunks[k],
						    status_name(st),
						    rd.err.what);
					assert_int_equal(tally_selectors(&t,
					    &ids, &n), 0);
					assert_int_equal(n, 1);
					assert_int_equal(ids[0].len,
					    NODEID_MAX);
					free(ids);
				}
				tally_free(&t);
			}
		free(doc);
	}
}

/* Empty input: no log at all. */
static void
test_empty_input_is_no_report(void **state)
{
	static const struct bytes empties[] = {
		B(""), B("\n"), B(" \t\r\n \n\n"), B("\xef\xbb\xbf\n"),
	};
	struct reading rd;
	struct tally t;
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++)
		for (r = 0; r < NREADERS; r++) {
			assert_int_equal(run(r, empties[i].p, empties[i].len, 1,
			    &t, &rd), REPORT_READ_EMPTY);
			assert_int_equal(rd.input, INPUT_NONE);
			tally_free(&t);
		}
}

/* Where a fault is reported. */

static struct report_error
log_error(size_t r, const char *doc, size_t len, struct tally_counts *c)
{
	struct reading rd;
	struct tally t;

	if (run(r, doc, len, 0, &t, &rd) != REPORT_READ_BAD)
		fail_msg("%s: not BAD", readers[r].name);
	if (c != NULL)
		*c = t.counts;
	tally_free(&t);
	return rd.err;
}

#define OFFSET_OF(doc, needle) \
	((uint64_t)(strstr((doc), (needle)) - (doc)))

static void
test_a_fault_names_its_line_counting_blank_ones(void **state)
{
	static const char doc[] = "\n" START "\n\n" PASS3("t.py::a")
	    "{\"exitstatus\": \"0\", \"$report_type\": \"SessionFinish\"}\n";
	struct report_error err;
	struct strbuf sb;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = log_error(r, doc, sizeof(doc) - 1, NULL);
		assert_int_equal(err.line, 1);
		assert_int_equal(err.record, 8);
		assert_string_equal(err.key, "exitstatus");
		assert_string_equal(err.what, "exitstatus is not an integer");
		strbuf_init(&sb);
		assert_int_equal(report_error_format(&err, &sb), 0);
		assert_non_null(strstr(sb.data, "(line 8, key \"exitstatus\")"));
		strbuf_free(&sb);
	}
}

/* What logstate says of a line, the same from both readers, at the
 * line's end. */
static void
test_line_faults_read_the_same_in_both_readers(void **state)
{
	static const struct {
		const char *doc, *what, *key;
		uint64_t record;
	} faults[] = {
		{ CR("", "passed") START, "the log does not begin with "
		    "SessionStart", "$report_type", 1 },
		{ START START, "a second SessionStart", "$report_type", 2 },
		{ START FINISH(0) WARN, "a line after SessionFinish", "", 3 },
		{ START "{\"$report_type\": \"SessionFinish\"}\n",
		    "SessionFinish has no exitstatus", "exitstatus", 2 },
		{ START TR("t.py::a", "setup", "passed")
		    TR("t.py::a", "setup", "passed"), "a second setup report "
		    "for a test before its teardown (xdist --dist each?)",
		    "when", 3 },
		{ START TR("", "call", "failed"), "nodeid is empty", "nodeid",
		    2 },
		{ START "{\"a\": 1}\r\n", "the line has no $report_type", "",
		    2 },
		{ START TR_LINE("\"nodeid\": \"a\", \"outcome\": \"failed\""),
		    "a TestReport without when", "", 2 },
		{ START TR_LINE("\"nodeid\": \"a\", \"when\": 3"),
		    "when is not a string", "when", 2 },
	};
	struct report_error e[NREADERS];
	const char *doc, *end;
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		doc = faults[i].doc;
		for (r = 0; r < NREADERS; r++) {
			e[r] = log_error(r, doc, strlen(doc), NULL);
			if (strcmp(e[r].what, faults[i].what) != 0 ||
			    strcmp(e[r].key, faults[i].key) != 0 ||
			    e[r].record != faults[i].record)
				fail_msg("fault #%zu, %s: line %ju, key \"%s\":"
				    " %s", i, readers[r].name,
				    (uintmax_t)e[r].record, e[r].key,
				    e[r].what);
		}
		/* at the line feed that ends the faulty line */
		end = doc;
		for (r = 1; r < faults[i].record; r++)
			end = strchr(end, '\n') + 1;
		end = strchr(end, '\n');
		for (r = 0; r < NREADERS; r++)
			if (e[r].offset != (uint64_t)(end - doc))
				fail_msg("fault #%zu, %s: at byte %ju, want "
				    "%td", i, readers[r].name,
				    (uintmax_t)e[r].offset, end - doc);
	}
}

/* A fault inside a line names that line in both readers, whatever
 * finds it: the scanner, json-c, or the byte-level check beside it. */
static void
test_a_syntax_fault_names_its_line(void **state)
{
	static const struct {
		const char *doc;
		size_t len;
		uint64_t record;
	} faults[] = {
#define F(doc, record)	{ doc, sizeof(doc) - 1, record }
		F(START "\n" PASS3("t.py::a") "{\"m\": \"a\x01\"}\n" FINISH(0),
		    6),
		F(START "{\"m\": \"a\xc0\x80\"}\n" FINISH(0), 2),
		F(START "\n\n{\"m\": tru}\n" FINISH(0), 4),
		F(START "\n\n{\"m\": 1} x\n" FINISH(0), 4),
		F(START "{\"m\": [1,]}\n" FINISH(0), 2),
		F(START "\r\n{\"m\": \"a\nb\"}\n" FINISH(0), 3),
		F(START "{\"m\": \"\\q\"}\n" FINISH(0), 2),
#undef F
	};
	struct report_error err;
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		for (r = 0; r < NREADERS; r++) {
			err = log_error(r, faults[i].doc, faults[i].len, NULL);
			if (err.record != faults[i].record || err.line != 1)
				fail_msg("fault #%zu, %s: line %ju (%s)", i,
				    readers[r].name, (uintmax_t)err.record,
				    err.what);
		}
}

static void
test_no_final_line_feed_names_the_last_line(void **state)
{
	static const char doc[] = START "\n{\"exitstatus\": 0, "
	    "\"$report_type\": \"SessionFinish\"}";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = log_error(r, doc, sizeof(doc) - 1, NULL);
		assert_int_equal(err.record, 3);
		assert_non_null(strstr(err.what, "line feed"));
	}
}

/* Both readers count the lines read before a fault, and only those: a
 * line that does not end where its object ends counts for nothing. */
static void
test_lines_before_a_fault_are_counted(void **state)
{
	static const struct {
		const char *doc;
		struct tally_counts want;
	} cases[] = {
		{ START PASS3("t.py::a") "{\"x\": tru}\n",
		    { 4, 1, 1, 0, 0, 0 } },
		{ START FAIL3("t.py::a") "x\n", { 4, 1, 0, 1, 0, 0 } },
		{ START PASS3("t.py::a") "{\"$report_type\": 1}\n",
		    { 5, 1, 1, 0, 0, 0 } },
		{ START TR("t.py::a", "setup", "passed")
		    "{\"nodeid\": \"t.py::a\", \"when\": \"call\", "
		    "\"outcome\": \"failed\", \"$report_type\": "
		    "\"TestReport\"} x\n", { 2, 1, 0, 0, 0, 1 } },
		{ START PASS3("t.py::a") "{\"nodeid\": \"t.py::b\", \"when\": "
		    "\"???\", \"outcome\": \"failed\", \"$report_type\": "
		    "\"TestReport\"}", { 4, 1, 1, 0, 0, 0 } },
		{ START CR("e.py", "failed") "{\"x\": 1}{}\n",
		    { 2, 1, 0, 1, 0, 0 } },
	};
	struct tally_counts c;
	size_t i, r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (r = 0; r < NREADERS; r++) {
			log_error(r, cases[i].doc, strlen(cases[i].doc), &c);
			if (memcmp(&c, &cases[i].want, sizeof(c)) != 0)
				fail_msg("case #%zu, %s: records %ju tests %ju "
				    "passed %ju failed %ju unknown %ju, want "
				    "%ju %ju %ju %ju %ju", i, readers[r].name,
				    (uintmax_t)c.records, (uintmax_t)c.tests,
				    (uintmax_t)c.passed, (uintmax_t)c.failed,
				    (uintmax_t)c.unknown,
				    (uintmax_t)cases[i].want.records,
				    (uintmax_t)cases[i].want.tests,
				    (uintmax_t)cases[i].want.passed,
				    (uintmax_t)cases[i].want.failed,
				    (uintmax_t)cases[i].want.unknown);
		}
}

/* Failure details, read when messages are wanted. */

static void
check_details(const char *doc, const struct detail_want *w, size_t n)
{
	struct source src;
	struct reading rd;
	struct tally t;
	size_t r, k;
	static const size_t some[] = { 1, 3, 64, 0 };

	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < sizeof(some) / sizeof(some[0]); k++) {
			source_from_memory(&src, doc, strlen(doc), some[k]);
			assert_int_equal(read_log(r, &src, &t, &rd, 1),
			    REPORT_READ_OK);
			check_kept_details(&t, w, n, readers[r].name,
			    some[k]);
			tally_free(&t);
		}
}

#define TRD(id, when, location, longrepr)	"{\"nodeid\": \"" id "\", " \
	"\"location\": " location ", \"outcome\": \"failed\", \"longrepr\": " \
	longrepr ", \"when\": \"" when "\", \"$report_type\": " \
	"\"TestReport\"}\n"

static void
test_failure_details_where_and_why(void **state)
{
	static const char doc[] = START
	    /* reprcrash: its path, 1-based line and message */
	    TR("t.py::a", "setup", "passed")
	    TRD("t.py::a", "call", "[\"t.py\", 4, \"a\"]",
	    "{\"reprcrash\": {\"path\": \"/b/t.py\", \"lineno\": 7, "
	    "\"message\": \"AssertionError: assert 1 == 2\\nmore\"}, "
	    "\"reprtraceback\": {}}")
	    TR("t.py::a", "teardown", "passed")
	    /* a string: its last line that is not empty; the location's
	     * 0-based line plus one */
	    TR("t.py::b", "setup", "passed")
	    TRD("t.py::b", "call", "[\"t.py\", 9, \"b\"]",
	    "\"Traceback\\nE   ValueError: v\\n\\n\"")
	    TR("t.py::b", "teardown", "passed")
	    /* a crashed worker: a null line is no line */
	    CRASH("t.py::c")
	    /* the first failure's detail is kept, not the teardown's */
	    TR("t.py::d", "setup", "passed")
	    TRD("t.py::d", "call", "[\"d.py\", 0, \"d\"]", "\"first\"")
	    TRD("t.py::d", "teardown", "[\"d.py\", 5, \"d\"]", "\"second\"")
	    FINISH(1);
	static const struct detail_want w[] = {
		{ "t.py::a", "AssertionError: assert 1 == 2", "/b/t.py", 7 },
		{ "t.py::b", "E   ValueError: v", "t.py", 10 },
		{ "t.py::c", "worker 'gw1' crashed while running 't.py::c'",
		    "t.py", 0 },
		{ "t.py::d", "first", "d.py", 1 },
	};

	(void)state;
	check_details(doc, w, sizeof(w) / sizeof(w[0]));
}

/* A failed call report with these members between nodeid and outcome. */
#define TRX(id, members)	"{\"nodeid\": \"" id "\", " members ", " \
	"\"outcome\": \"failed\", \"when\": \"call\", \"$report_type\": " \
	"\"TestReport\"}\n"
#define TRP(id, when)	"{\"nodeid\": \"" id "\", \"when\": \"" when "\", " \
	"\"outcome\": \"passed\", \"$report_type\": \"TestReport\"}\n"
#define ATTEMPT(id, members)	TRP(id, "setup") TRX(id, members) \
	TRP(id, "teardown")

/*
 * Of longrepr, reprcrash, their path, lineno and message, and location
 * given twice, the last one counts, whatever its type, as in json-c: an
 * earlier one leaves nothing behind.
 */
static void
test_failure_details_the_last_key_given_counts(void **state)
{
	static const char doc[] = START
	    /* longrepr, then another: the string's last line */
	    ATTEMPT("t.py::a", "\"location\": [\"t.py\", 4, \"a\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"/b/first.py\", "
	    "\"lineno\": 1, \"message\": \"first\"}}, "
	    "\"longrepr\": \"Traceback\\nE   second\\n\"")
	    /* reprcrash, then one with a line only */
	    ATTEMPT("t.py::b", "\"location\": [\"t.py\", 6, \"b\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"/b/first.py\", "
	    "\"lineno\": 1, \"message\": \"first\"}, \"reprtraceback\": {}, "
	    "\"reprcrash\": {\"lineno\": 2}}")
	    /* reprcrash, then null */
	    ATTEMPT("t.py::c", "\"location\": [\"t.py\", 8, \"c\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"/b/first.py\", "
	    "\"lineno\": 1, \"message\": \"first\"}, \"reprcrash\": null}")
	    /* path and message again, as another type; lineno again */
	    ATTEMPT("t.py::d", "\"location\": [\"t.py\", 10, \"d\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"/b/first.py\", "
	    "\"lineno\": 1, \"message\": \"first\", \"path\": 7, "
	    "\"message\": null, \"lineno\": 3}}")
	    /* path, lineno and message again, as strings and a number */
	    ATTEMPT("t.py::e", "\"longrepr\": {\"reprcrash\": {\"path\": "
	    "\"/b/first.py\", \"lineno\": 1, \"message\": \"first\", "
	    "\"path\": \"/b/second.py\", \"message\": \"second\", "
	    "\"lineno\": 2}}")
	    /* location, then one without a line, then null */
	    ATTEMPT("t.py::f", "\"location\": [\"first.py\", 5, \"f\"], "
	    "\"location\": [\"second.py\"], \"longrepr\": \"boom\"")
	    ATTEMPT("t.py::g", "\"location\": [\"first.py\", 5, \"g\"], "
	    "\"longrepr\": \"boom\", \"location\": null")
	    FINISH(1);
	static const struct detail_want w[] = {
		{ "t.py::a", "E   second", "t.py", 5 },
		{ "t.py::b", "", "t.py", 7 },
		{ "t.py::c", "", "t.py", 9 },
		{ "t.py::d", "", "t.py", 11 },
		{ "t.py::e", "second", "/b/second.py", 2 },
		{ "t.py::f", "boom", "second.py", 0 },
		{ "t.py::g", "boom", "", 0 },
	};

	(void)state;
	check_details(doc, w, sizeof(w) / sizeof(w[0]));
}

/* An empty reprcrash path is no path: location names the place, even
 * after a line whose path was read; with no location, reprcrash's line
 * stays. */
static void
test_failure_details_an_empty_path_is_none(void **state)
{
	static const char doc[] = START
	    ATTEMPT("t.py::a", "\"location\": [\"t.py\", 4, \"a\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"/b/t.py\", "
	    "\"lineno\": 7, \"message\": \"AssertionError: a\"}}")
	    ATTEMPT("t.py::b", "\"location\": [\"t.py\", 12, \"b\"], "
	    "\"longrepr\": {\"reprcrash\": {\"path\": \"\", \"lineno\": 30, "
	    "\"message\": \"AssertionError: b\"}}")
	    ATTEMPT("t.py::c", "\"longrepr\": {\"reprcrash\": {\"path\": "
	    "\"\", \"lineno\": 30, \"message\": \"AssertionError: c\"}}")
	    FINISH(1);
	static const struct detail_want w[] = {
		{ "t.py::a", "AssertionError: a", "/b/t.py", 7 },
		{ "t.py::b", "AssertionError: b", "t.py", 13 },
		{ "t.py::c", "AssertionError: c", "", 30 },
	};

	(void)state;
	check_details(doc, w, sizeof(w) / sizeof(w[0]));
}

/* Logs through file descriptors, and large. */

enum fd_kind { FROM_MEMORY, FROM_FILE, FROM_PIPE };

static enum report_status
run_from(size_t r, enum fd_kind kind, const void *doc, size_t len,
    struct tally *t, struct reading *rd)
{
	enum report_status st;
	struct source src;
	FILE *tmp = NULL;
	pid_t pid = -1;
	int fds[2], status;

	if (kind == FROM_MEMORY)
		return run(r, doc, len, 0, t, rd);
	if (kind == FROM_FILE) {
		assert_non_null(tmp = tmpfile());
		assert_int_equal(fwrite(doc, 1, len, tmp), len);
		assert_int_equal(fflush(tmp), 0);
		assert_int_equal(lseek(fileno(tmp), 0, SEEK_SET), 0);
		source_from_fd(&src, fileno(tmp));
	} else {
		assert_int_equal(pipe(fds), 0);
		assert_true((pid = fork()) >= 0);
		if (pid == 0) {
			close(fds[0]);
			_exit(write(fds[1], doc, len) == (ssize_t)len ? 0 : 1);
		}
		close(fds[1]);
		source_from_fd(&src, fds[0]);
	}
	st = read_log(r, &src, t, rd, 0);
	source_end(&src);
	if (kind == FROM_FILE)
		fclose(tmp);
	else {
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	return st;
}

static const char *const kinds[] = { "memory", "a mapped file", "a pipe" };

/*
 * 3000 tests with long tracebacks, past every read buffer and mapping
 * window: every 10th fails, every 10th (another) passes on a rerun,
 * every 50th is skipped; the same exact tally from memory, a file and a
 * pipe, in both readers.
 */
static void
test_a_log_larger_than_the_read_buffers_is_exact(void **state)
{
	/* lines: 2 for the session, 2 for each of 60 skipped tests, 3 for
	 * each other test and 2 more for each of 300 reruns */
	static const struct tally_counts want = { 9542, 3000, 2640, 300, 60,
	    0 };
	struct tally_id *ids;
	struct reading rd;
	struct strbuf sb, tb;
	struct tally t;
	enum report_status st;
	size_t i, j, n, r, kind;
	char id[64];

	(void)state;
	strbuf_init(&sb);
	strbuf_init(&tb);
	for (j = 0; j < 4000; j++)
		assert_int_equal(strbuf_puts(&tb, j % 50 == 0 ?
		    "\\n\xc3\xa9" : "x"), 0);
	assert_int_equal(strbuf_puts(&sb, START), 0);
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "tests/test_%zu.py::test_%zu",
		    i / 100, i);
		assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": \"%s\", "
		    "\"outcome\": \"%s\", \"when\": \"setup\", "
		    "\"$report_type\": \"TestReport\"}\n", id, i % 50 == 7 ?
		    "skipped" : "passed"), 0);
		if (i % 50 == 7) {
			assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": "
			    "\"%s\", \"outcome\": \"passed\", \"when\": "
			    "\"teardown\", \"$report_type\": \"TestReport\"}\n",
			    id), 0);
			continue;
		}
		if (i % 10 == 4) {	/* a rerun, then a new attempt */
			assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": "
			    "\"%s\", \"outcome\": \"rerun\", \"when\": "
			    "\"call\", \"longrepr\": \"%s\", \"$report_type\": "
			    "\"TestReport\"}\n{\"nodeid\": \"%s\", "
			    "\"outcome\": \"passed\", \"when\": \"setup\", "
			    "\"$report_type\": \"TestReport\"}\n", id, tb.data,
			    id), 0);
		}
		assert_int_equal(strbuf_printf(&sb, "{\"nodeid\": \"%s\", "
		    "\"outcome\": \"%s\", \"when\": \"call\", \"longrepr\": "
		    "\"%s\", \"$report_type\": \"TestReport\"}\n"
		    "{\"nodeid\": \"%s\", \"outcome\": \"passed\", \"when\": "
		    "\"teardown\", \"$report_type\": \"TestReport\"}\n", id,
		    i % 10 == 3 ? "failed" : "passed",
		    i % 10 == 3 ? tb.data : "", id), 0);
	}
	assert_int_equal(strbuf_puts(&sb, FINISH(1)), 0);
	assert_true(sb.len > 2 * SOURCE_WINDOW + 1000000);
	for (r = 0; r < NREADERS; r++)
		for (kind = 0; kind < 3; kind++) {
			st = run_from(r, (enum fd_kind)kind, sb.data, sb.len,
			    &t, &rd);
			if (st != REPORT_READ_OK)
				fail_msg("%s from %s: %s (%s)", readers[r].name,
				    kinds[kind], status_name(st), rd.err.what);
			if (memcmp(&t.counts, &want, sizeof(want)) != 0)
				fail_msg("%s from %s: records %ju tests %ju "
				    "passed %ju failed %ju skipped %ju",
				    readers[r].name, kinds[kind],
				    (uintmax_t)t.counts.records,
				    (uintmax_t)t.counts.tests,
				    (uintmax_t)t.counts.passed,
				    (uintmax_t)t.counts.failed,
				    (uintmax_t)t.counts.skipped);
			assert_true(rd.finished);
			assert_int_equal(rd.session_status, 1);
			assert_int_equal(tally_selectors(&t, &ids, &n), 0);
			assert_int_equal(n, 300);
			for (i = 0; i < n; i++) {
				snprintf(id, sizeof(id),
				    "tests/test_%zu.py::test_%zu",
				    (i * 10 + 3) / 100, i * 10 + 3);
				assert_int_equal(ids[i].len, strlen(id));
				assert_memory_equal(ids[i].id, id, ids[i].len);
			}
			free(ids);
			assert_int_equal(tally_kept(&t, OUTCOME_PASSED, &ids,
			    &n), 0);
			assert_int_equal(n, 300);
			free(ids);
			tally_free(&t);
		}
	strbuf_free(&sb);
	strbuf_free(&tb);
}

/*
 * A failed CollectReport line placed across the source's 2 MiB mapping
 * window boundary at many offsets: the collection error and its reason
 * read as from memory.
 */
static void
test_a_line_across_a_mapping_window_is_read_whole(void **state)
{
	static const char head[] = START "{\"message\": \"";
	static const char tail[] = "\", \"$report_type\": "
	    "\"WarningMessage\"}\n{\"nodeid\": \"tests/test_e.py\", "
	    "\"outcome\": \"failed\", \"longrepr\": \"Traceback\\nE: x\", "
	    "\"result\": null, \"$report_type\": \"CollectReport\"}\r\n"
	    FINISH(2);
	const size_t window = SOURCE_WINDOW;
	struct reading rd;
	struct tally_id e;
	struct tally t;
	enum report_status st;
	char *doc;
	size_t len, pad, d, r;
	int bad = 0;

	(void)state;
	assert_non_null(doc = malloc(window + sizeof(tail) + 64));
	for (d = 0; d < sizeof(tail) - 4; d += 3) {
		pad = window - d - (sizeof(head) - 1);
		memcpy(doc, head, sizeof(head) - 1);
		memset(doc + sizeof(head) - 1, 'p', pad);
		memcpy(doc + sizeof(head) - 1 + pad, tail, sizeof(tail) - 1);
		len = sizeof(head) - 1 + pad + sizeof(tail) - 1;
		for (r = 0; r < NREADERS; r++) {
			st = run_from(r, FROM_FILE, doc, len, &t, &rd);
			if (st != REPORT_READ_OK || t.nerrors != 1 ||
			    t.counts.records != 4 || !rd.finished ||
			    rd.session_status != 2) {
				print_error("boundary %zu bytes into the tail, "
				    "%s: %s, %zu collection errors, %ju "
				    "records\n", d, readers[r].name,
				    status_name(st), t.nerrors,
				    (uintmax_t)t.counts.records);
				bad++;
			} else {
				tally_collection_error(&t, 0, &e);
				if (e.len != 15 ||
				    memcmp(e.id, "tests/test_e.py", 15) != 0 ||
				    e.reason_len != 4 ||
				    memcmp(e.reason, "E: x", 4) != 0) {
					print_error("boundary %zu, %s: wrong "
					    "error \"%.*s\"\n", d,
					    readers[r].name, (int)e.reason_len,
					    e.reason);
					bad++;
				}
			}
			tally_free(&t);
		}
	}
	free(doc);
	assert_int_equal(bad, 0);
}

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
		if (run(r, sb.data, sb.len, 0, &t, &rd) != REPORT_READ_OK)
			fail_msg("%s: %s", readers[r].name, rd.err.what);
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
				    readers[r].name, j, order[i]);
			j++;
		}
		assert_int_equal(n, j);
		free(ids);
		tally_free(&t);
	}
	strbuf_free(&sb);
}

/* A hash collision between two open attempts is refused, not merged. */
static void
test_two_node_ids_sharing_a_hash_are_a_collision(void **state)
{
	static const char doc[] = START TR("t.py::b", "setup", "passed")
	    TR("t.py::b", "call", "failed") TR("t.py::b", "teardown", "passed")
	    FINISH(1);
	struct reading rd;
	struct source src;
	struct tally t;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		assert_int_equal(tally_init(&t, SEED), 0);
		assert_int_equal(tally_record_hashed(&t,
		    tally_hash(SEED, "t.py::b", 7), "t.py::a", 7,
		    OUTCOME_FAILED, 0, NULL), TALLY_OK);
		source_from_memory(&src, doc, sizeof(doc) - 1, 0);
		memset(&rd, 0, sizeof(rd));
		rd.tally = &t;
		assert_int_equal(readers[r].read(&src, &rd),
		    REPORT_READ_COLLISION);
		tally_free(&t);
	}
}

/* logstate on its own: lines built by hand. */

static struct log_line
line_of(const char *type, const char *nodeid, const char *when,
    const char *outcome)
{
	struct log_line l;

	memset(&l, 0, sizeof(l));
	l.type = FIELD_PRESENT;
	l.type_text = type;
	l.type_len = strlen(type);
	if (nodeid != NULL) {
		l.nodeid = FIELD_PRESENT;
		l.nodeid_text = nodeid;
		l.nodeid_len = strlen(nodeid);
	}
	if (when != NULL) {
		l.when = FIELD_PRESENT;
		l.when_text = when;
		l.when_len = strlen(when);
	}
	if (outcome != NULL) {
		l.outcome = FIELD_PRESENT;
		l.outcome_text = outcome;
		l.outcome_len = strlen(outcome);
	}
	return l;
}

static void
test_logstate_follows_lines_handed_to_it(void **state)
{
	struct report_error err;
	struct logstate ls;
	struct log_line l;
	struct tally t;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(logstate_init(&ls, &t), 0);
	l = line_of("SessionStart", NULL, NULL, NULL);
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	assert_true(ls.started);
	l = line_of("TestReport", "t.py::a", "setup", "passed");
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	l = line_of("TestReport", "t.py::a", "call", "failed");
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	/* open: a test of unknown outcome, whose failure is noted */
	assert_int_equal(t.counts.tests, 1);
	assert_int_equal(t.counts.unknown, 1);
	l = line_of("TestReport", "t.py::a", "teardown", "passed");
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	assert_int_equal(t.counts.failed, 1);
	assert_int_equal(t.counts.records, 4);
	l = line_of("SessionFinish", NULL, NULL, NULL);
	l.exitstatus = FIELD_PRESENT;
	l.exitstatus_value = 1;
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	assert_true(ls.finished);
	assert_int_equal(ls.exitstatus, 1);
	assert_int_equal(logstate_end(&ls, &err), REPORT_READ_OK);
	assert_int_equal(t.counts.records, 5);
	assert_int_equal(ls.lines, 5);
	logstate_free(&ls);
	tally_free(&t);
}

static void
test_logstate_refuses_a_nodeid_over_4_mib(void **state)
{
	struct report_error err;
	struct logstate ls;
	struct log_line l;
	struct tally t;
	char *big;

	(void)state;
	assert_non_null(big = malloc(NODEID_MAX + 2));
	memset(big, 'n', NODEID_MAX + 1);
	big[NODEID_MAX + 1] = '\0';
	memset(&err, 0, sizeof(err));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(logstate_init(&ls, &t), 0);
	l = line_of("SessionStart", NULL, NULL, NULL);
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	l = line_of("TestReport", big, "setup", "passed");
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_BAD);
	assert_string_equal(err.key, "nodeid");
	assert_string_equal(err.what, "nodeid is too long");
	l = line_of("SubTestReport", big, "call", "failed");
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_BAD);
	assert_string_equal(err.what, "nodeid is too long");
	logstate_free(&ls);
	tally_free(&t);
	free(big);
}

/* The end of input closes every open attempt as unknown, whatever it
 * saw. */
static void
test_logstate_end_leaves_open_attempts_unknown(void **state)
{
	struct report_error err;
	struct logstate ls;
	struct log_line l;
	struct tally t;
	char id[32];
	int i;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(logstate_init(&ls, &t), 0);
	l = line_of("SessionStart", NULL, NULL, NULL);
	assert_int_equal(logstate_line(&ls, &l, &err), REPORT_READ_OK);
	for (i = 0; i < 40; i++) {	/* more than the first table holds */
		snprintf(id, sizeof(id), "t.py::%d", i);
		l = line_of("TestReport", id, "setup", "passed");
		assert_int_equal(logstate_line(&ls, &l, &err),
		    REPORT_READ_OK);
		l = line_of("TestReport", id, "call", i % 2 ? "passed" :
		    "failed");
		assert_int_equal(logstate_line(&ls, &l, &err),
		    REPORT_READ_OK);
	}
	assert_int_equal(logstate_end(&ls, &err), REPORT_READ_OK);
	assert_int_equal(t.counts.tests, 40);
	assert_int_equal(t.counts.unknown, 40);
	assert_int_equal(t.counts.records, 81);
	logstate_free(&ls);
	tally_free(&t);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_exactly_1000_deep_is_accepted),
		cmocka_unit_test(test_nesting_past_the_limit_is_bad),
		cmocka_unit_test(
		    test_a_nodeid_of_4_mib_is_read_and_one_more_byte_is_bad),
		cmocka_unit_test(test_empty_input_is_no_report),
		cmocka_unit_test(
		    test_a_fault_names_its_line_counting_blank_ones),
		cmocka_unit_test(
		    test_line_faults_read_the_same_in_both_readers),
		cmocka_unit_test(test_a_syntax_fault_names_its_line),
		cmocka_unit_test(test_no_final_line_feed_names_the_last_line),
		cmocka_unit_test(test_lines_before_a_fault_are_counted),
		cmocka_unit_test(test_failure_details_where_and_why),
		cmocka_unit_test(
		    test_failure_details_the_last_key_given_counts),
		cmocka_unit_test(test_failure_details_an_empty_path_is_none),
		cmocka_unit_test(
		    test_a_log_larger_than_the_read_buffers_is_exact),
		cmocka_unit_test(
		    test_a_line_across_a_mapping_window_is_read_whole),
		cmocka_unit_test(test_many_open_attempts_close_in_any_order),
		cmocka_unit_test(
		    test_two_node_ids_sharing_a_hash_are_a_collision),
		cmocka_unit_test(test_logstate_follows_lines_handed_to_it),
		cmocka_unit_test(test_logstate_refuses_a_nodeid_over_4_mib),
		cmocka_unit_test(
		    test_logstate_end_leaves_open_attempts_unknown),
	};
	int failed = 0;

	failed += run_table("reportlog: valid logs", valid_cases,
	    sizeof(valid_cases[0]),
	    sizeof(valid_cases) / sizeof(valid_cases[0]), test_valid_case);
	failed += run_table("reportlog: bad logs", bad_cases,
	    sizeof(bad_cases[0]), sizeof(bad_cases) / sizeof(bad_cases[0]),
	    test_bad_case);
	failed += cmocka_run_group_tests_name("reportlog", tests, NULL, NULL);
	return failed;
}
