/*
 * test_report.c: both readers of the collector's report (pytest --json),
 * the fast report_read() and the json-c reference refread_read().
 *
 * Every case runs through both readers, from memory sources cut into
 * chunks of 1, 2, 3, 7 and 64 bytes and in one piece, so that every refill
 * path is reached.  Valid reports must give one exact tally (counts,
 * selectors byte for byte, collection errors with their reasons) in both
 * readers at every chunk size, read as the collector's input; every class
 * of bad input must be REPORT_READ_BAD in both (and both must have counted
 * the same records before the fault); empty input is REPORT_READ_EMPTY.
 * Then the error offsets, record indexes and keys, the node ID length
 * limit, read errors and a hash collision as the readers see them.  The
 * log (pytest --report-log) has test_reportlog.c.
 *
 * Each table row is its own test, named for what it shows.
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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit.h"
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

static const size_t chunks[] = { 1, 2, 3, 7, 64, 0 };	/* 0: whole */
#define NCHUNKS		(sizeof(chunks) / sizeof(chunks[0]))

/* Read a source with one reader into an initialised tally; the input
 * read must be the collector's, or none. */
static enum report_status
read_into(size_t r, struct source *src, struct tally *t,
    struct report_error *err)
{
	struct reading rd;
	enum report_status st;

	memset(&rd, 0, sizeof(rd));
	rd.tally = t;
	st = readers[r].read(src, &rd);
	*err = rd.err;
	if (st == REPORT_READ_EMPTY || st == REPORT_READ_IOERR)
		assert_int_equal(rd.input, INPUT_NONE);
	else if (st == REPORT_READ_OK)
		assert_int_equal(rd.input, INPUT_COLLECTOR);
	assert_int_equal(rd.finished, 0);
	return st;
}

/* Run one reader over bytes cut into chunks; the tally is initialised. */
static enum report_status
run(size_t r, const void *p, size_t len, size_t chunk, struct tally *t,
    struct report_error *err)
{
	struct source src;

	assert_int_equal(tally_init(t, SEED), 0);
	source_from_memory(&src, p, len, chunk);
	return read_into(r, &src, t, err);
}

/* Valid reports. */

struct valid_case {
	const char *what;
	struct bytes input;
	/* records, tests, passed, failed, skipped, unknown */
	struct tally_counts counts;
	size_t nsel;
	struct bytes sel[MAXIDS];
	size_t nerr;
	struct bytes err[MAXIDS];
	struct bytes reason[MAXIDS];
	uint64_t error_records;
};

/* Print every difference from the expected tally; how many there were. */
static int
check_tally(const struct tally *t, const struct valid_case *c,
    const char *ctx)
{
	struct tally_id *ids, e;
	size_t n, i;
	int bad = 0;

	if (memcmp(&t->counts, &c->counts, sizeof(c->counts)) != 0 && ++bad)
		print_error("%s: counts records=%ju tests=%ju passed=%ju "
		    "failed=%ju skipped=%ju unknown=%ju, want %ju %ju %ju %ju "
		    "%ju %ju\n", ctx, (uintmax_t)t->counts.records,
		    (uintmax_t)t->counts.tests, (uintmax_t)t->counts.passed,
		    (uintmax_t)t->counts.failed, (uintmax_t)t->counts.skipped,
		    (uintmax_t)t->counts.unknown, (uintmax_t)c->counts.records,
		    (uintmax_t)c->counts.tests, (uintmax_t)c->counts.passed,
		    (uintmax_t)c->counts.failed, (uintmax_t)c->counts.skipped,
		    (uintmax_t)c->counts.unknown);
	assert_int_equal(tally_selectors(t, &ids, &n), 0);
	if (n != c->nsel && ++bad)
		print_error("%s: %zu selectors, want %zu\n", ctx, n, c->nsel);
	for (i = 0; i < n && i < c->nsel; i++)
		if ((ids[i].len != c->sel[i].len ||
		    memcmp(ids[i].id, c->sel[i].p, ids[i].len) != 0) && ++bad)
			print_error("%s: selector %zu is \"%.*s\" "
			    "(%zu bytes)\n", ctx, i, (int)ids[i].len,
			    ids[i].id, ids[i].len);
	free(ids);
	if (t->nerrors != c->nerr && ++bad)
		print_error("%s: %zu collection errors, want %zu\n", ctx,
		    t->nerrors, c->nerr);
	if (t->error_records != c->error_records && ++bad)
		print_error("%s: %ju collection error records, want %ju\n",
		    ctx, (uintmax_t)t->error_records,
		    (uintmax_t)c->error_records);
	for (i = 0; i < c->nerr && i < t->nerrors; i++) {
		tally_collection_error(t, i, &e);
		if ((e.len != c->err[i].len ||
		    memcmp(e.id, c->err[i].p, e.len) != 0) && ++bad)
			print_error("%s: collection error %zu is \"%.*s\"\n",
			    ctx, i, (int)e.len, e.id);
		if ((e.reason_len != c->reason[i].len ||
		    (e.reason_len > 0 &&
		    memcmp(e.reason, c->reason[i].p, e.reason_len) != 0)) &&
		    ++bad)
			print_error("%s: collection error %zu reason is "
			    "\"%.*s\"\n", ctx, i, (int)e.reason_len, e.reason);
	}
	return bad;
}

/* Both readers, every chunk size: OK and exactly the expected tally. */
static void
check_valid(const struct valid_case *c, const void *input, size_t len)
{
	struct report_error err;
	struct tally t;
	enum report_status st;
	char ctx[160];
	size_t r, k;
	int bad = 0;

	for (r = 0; r < NREADERS; r++) {
		for (k = 0; k < NCHUNKS; k++) {
			snprintf(ctx, sizeof(ctx), "%s, %s, chunk %zu",
			    c->what, readers[r].name, chunks[k]);
			st = run(r, input, len, chunks[k], &t, &err);
			if (st != REPORT_READ_OK) {
				print_error("%s: %s, at byte %ju: %s\n", ctx,
				    status_name(st), (uintmax_t)err.offset,
				    err.what);
				bad++;
			} else
				bad += check_tally(&t, c, ctx);
			tally_free(&t);
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_valid_case(void **state)
{
	const struct valid_case *c = *state;

	check_valid(c, c->input.p, c->input.len);
}

#define REC(scope, name, result) \
	"{\"scope\": \"" scope "\", \"name\": \"" name "\", \"result\": \"" \
	result "\"}"

static const struct valid_case valid_cases[] = {
	{ "empty array is a valid report with no tests",
	    B("[]"), { 0, 0, 0, 0, 0, 0 }, 0, { { 0 } }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "white space around and inside the array is fine",
	    B(" \t\r\n[ \n\t]\r\n "), { 0, 0, 0, 0, 0, 0 }, 0, { { 0 } },
	    0, { { 0 } }, { { 0 } }, 0 },
	{ "a byte order mark then a report is read",
	    B("\xef\xbb\xbf[" REC("t.py", "test_a", "failed") "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::test_a") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "a report as the collector writes it",
	    B("[{\"id\": \"0b3f1c2a-7e4d-4f6b-9a51-3c2d1e0f9a8b\", "
	    "\"scope\": \"tests/test_a.py\", \"name\": \"test_ok\", "
	    "\"location\": \"tests/test_a.py:3\", \"file_name\": "
	    "\"tests/test_a.py\", \"history\": {\"section\": \"top\", "
	    "\"start_at\": 0.101, \"end_at\": 0.2, \"duration\": 0.099, "
	    "\"children\": [{\"section\": \"http\", \"start_at\": 0.11, "
	    "\"end_at\": null, \"duration\": NaN, \"detail\": {\"method\": "
	    "\"GET\", \"lib\": \"requests\"}}]}, \"result\": \"passed\"}, "
	    "{\"id\": \"1c4e\", \"scope\": \"tests/test_a.py\", \"name\": "
	    "\"test_bad[x-\\u00e9]\", \"location\": null, \"file_name\": "
	    "null, \"history\": {\"children\": []}, \"tags\": "
	    "{\"custom\": \"v\"}, \"result\": \"failed\", \"failure_reason\":"
	    " \"AssertionError: assert 1 == 2\\n  where 1 = f()\", "
	    "\"failure_expanded\": [{\"expanded\": [\"  def test_bad():\", "
	    "\">  assert 1 == 2\"], \"backtrace\": [\"tests/test_a.py:7\"]}]},"
	    " {\"id\": \"2d5f\", \"scope\": \"tests/test_a.py::TestC\", "
	    "\"name\": \"test_skip\", \"location\": \"tests/test_a.py:12\", "
	    "\"file_name\": \"tests/test_a.py\", \"history\": {}, "
	    "\"result\": \"skipped\"}]"),
	    { 3, 3, 1, 1, 1, 0 }, 1,
	    { B("tests/test_a.py::test_bad[x-\xc3\xa9]") },
	    0, { { 0 } }, { { 0 } }, 0 },
	{ "pretty-printed report with CRLF line ends",
	    B("[\r\n  {\r\n    \"scope\" : \"t.py\" ,\r\n"
	    "    \"name\":\"a\",\r\n"
	    "    \"result\":\t\"failed\"\r\n  }\r\n]\r\n"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::a") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "last record decides and selectors follow first records",
	    B("[" REC("t.py", "A", "passed") ", " REC("t.py", "B", "failed")
	    ", " REC("t.py", "A", "failed") "]"),
	    { 3, 2, 0, 2, 0, 0 }, 2, { B("t.py::A"), B("t.py::B") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "a failed node that passes later is not selected",
	    B("[" REC("t.py", "A", "failed") ", " REC("t.py", "B", "failed")
	    ", " REC("t.py", "A", "passed") "]"),
	    { 3, 2, 1, 1, 0, 0 }, 1, { B("t.py::B") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "a missing, null or unknown result is unknown",
	    B("[{\"scope\": \"t.py\", \"name\": \"absent\"}, "
	    "{\"scope\": \"t.py\", \"name\": \"null\", \"result\": null}, "
	    REC("t.py", "error", "error") ", " REC("t.py", "upper", "PASSED")
	    ", " REC("t.py", "empty", "") ", "
	    REC("t.py", "long", "failed-but-longer-than-sixteen") ", "
	    REC("t.py", "nul", "failed\\u0000") "]"),
	    { 7, 7, 0, 0, 0, 7 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "a known outcome after an unknown one counts",
	    B("[{\"scope\": \"t.py\", \"name\": \"a\"}, "
	    REC("t.py", "a", "skipped") "]"),
	    { 2, 1, 0, 0, 1, 0 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "scope and name join losslessly around double colons",
	    B("[" REC("t.py::test_p[a", "b]", "failed") "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::test_p[a::b]") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "an empty scope gives the name alone",
	    B("[" REC("", "tests/test_c.py", "failed") "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("tests/test_c.py") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "keys come in any order",
	    B("[{\"result\": \"failed\", \"name\": \"n\", \"x\": 1, "
	    "\"scope\": \"s\"}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("s::n") }, 0, { { 0 } }, { { 0 } },
	    0 },
	{ "NaN, Infinity, -Infinity and extreme numbers in skipped fields",
	    B("[{\"scope\": \"t.py\", \"name\": \"a\", \"result\": \"failed\","
	    " \"history\": {\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, "
	    "\"d\": 1e999999, \"e\": -0.0e-0, \"f\": [0, -0, 1E+2, 1.5e-3, "
	    "2e0, 123456789012345678901234567890, -1e-999999, 0.0]}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::a") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "keys written with escapes are read as the key",
	    B("[{\"\\u0073cope\": \"t.py\", \"n\\u0061me\": \"test_\\u0061\", "
	    "\"r\\u0065sult\": \"f\\u0061iled\"}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::test_a") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "an escaped tags key with a collection error is read",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": \"failed\", "
	    "\"t\\u0061gs\": {\"test.pytest_collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { { "", 0 } }, 1 },
	{ "keys that only look like read keys are skipped",
	    B("[{\"scopes\": 1, \"Scope\": [], \"name \": {}, \"names\": null,"
	    " \"results\": 5, \"tag\": 1, \"scope\": \"s\", \"name\": \"n\","
	    " \"failure_reasons\": 3, \"result\": \"passed\"}]"),
	    { 1, 1, 1, 0, 0, 0 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "an empty key and long keys are skipped",
	    B("[{\"\": 1, \"a key that is much longer than any key the reader "
	    "keeps, with scope in it\": {\"scope\": [1]}, \"scope\": \"s\", "
	    "\"name\": \"n\", \"result\": \"failed\"}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("s::n") }, 0, { { 0 } }, { { 0 } },
	    0 },
	{ "duplicate keys the triage does not read are fine",
	    B("[{\"id\": 1, \"id\": \"2\", \"history\": {\"a\": 1, \"a\": 2},"
	    " \"scope\": \"s\", \"name\": \"n\", \"result\": \"passed\"}]"),
	    { 1, 1, 1, 0, 0, 0 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "a surrogate pair decodes to one UTF-8 character",
	    B("[" REC("", "test_\\ud83d\\ude00", "failed") ", "
	    REC("", "upper_\\uD83D\\uDE00", "failed") "]"),
	    { 2, 2, 0, 2, 0, 0 }, 2,
	    { B("test_\xf0\x9f\x98\x80"), B("upper_\xf0\x9f\x98\x80") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "a lone high surrogate before a pair is U+FFFD as in json-c",
	    B("[" REC("", "\\ud800\\ud800\\udc00", "failed") "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1,
	    { B("\xef\xbf\xbd\xf0\x90\x80\x80") }, 0, { { 0 } }, { { 0 } },
	    0 },
	{ "lone surrogates anywhere decode to U+FFFD as in json-c",
	    B("[" REC("", "a\\ud800", "failed") ", "
	    REC("", "b\\udc00x", "failed") ", "
	    REC("", "c\\ud800\\n", "failed") ", "
	    REC("", "d\\ud800\\u0041", "failed") ", "
	    REC("", "e\\ud800x", "failed") ", "
	    REC("", "f\\udbff\\udfff", "failed") "]"),
	    { 6, 6, 0, 6, 0, 0 }, 6,
	    { B("a\xef\xbf\xbd"), B("b\xef\xbf\xbdx"), B("c\xef\xbf\xbd\n"),
	    B("d\xef\xbf\xbd" "A"), B("e\xef\xbf\xbdx"),
	    B("f\xf4\x8f\xbf\xbf") }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "a lone high surrogate before other escapes is U+FFFD",
	    B("[" REC("", "a\\ud800\\\\", "failed") ", "
	    REC("", "b\\ud800\\\"", "failed") ", "
	    REC("", "c\\udc00\\ud800", "failed") "]"),
	    { 3, 3, 0, 3, 0, 0 }, 3,
	    { B("a\xef\xbf\xbd\\"), B("b\xef\xbf\xbd\""),
	    B("c\xef\xbf\xbd\xef\xbf\xbd") }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "a name holding an escaped NUL keeps the NUL",
	    B("[" REC("t.py", "a\\u0000b", "failed") ", "
	    REC("t.py", "a", "failed") "]"),
	    { 2, 2, 0, 2, 0, 0 }, 2, { B("t.py::a\0b"), B("t.py::a") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "every simple escape decodes",
	    B("[" REC("", "q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t", "failed")
	    "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("q\"b\\s/b\bf\fn\nr\rt\t") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "valid UTF-8 at every boundary passes through",
	    B("[" REC("", "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
	    "\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
	    "failed")
	    "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1,
	    { B("\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
	    "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "DEL and U+2028 raw in a name are valid JSON",
	    B("[" REC("", "a\x7f\xe2\x80\xa8", "failed") "]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("a\x7f\xe2\x80\xa8") }, 0,
	    { { 0 } }, { { 0 } }, 0 },
	{ "long skipped strings with escapes and UTF-8 are skipped",
	    B("[{\"scope\": \"s\", \"name\": \"n\", \"result\": \"failed\", "
	    "\"failure_expanded\": [\"0123456789abcdef\\\"0123456789\\\\"
	    "0123456789abcdef\\u00e9\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "01234567\\ud83d\\ude00\\ud800 0123456789abcdef\"]}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("s::n") }, 0, { { 0 } }, { { 0 } },
	    0 },
	{ "a collection error with the first line of its reason",
	    B("[" REC("t.py", "ok", "passed") ", {\"scope\": \"\", \"name\": "
	    "\"tests/test_e.py\", \"tags\": {\"test.pytest_collection_error\":"
	    " \"true\"}, \"result\": \"failed\", \"failure_reason\": "
	    "\"ImportError: No module named 'x'\\nTraceback:\\n  ...\"}]"),
	    { 2, 2, 1, 1, 0, 0 }, 1, { B("tests/test_e.py") }, 1,
	    { B("tests/test_e.py") },
	    { B("ImportError: No module named 'x'") }, 1 },
	{ "the pre-release collection error tag counts too",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": \"failed\", "
	    "\"failure_reason\": \"E\", \"tags\": {\"a\": \"b\", "
	    "\"test.collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { B("E") }, 1 },
	{ "a collection error tag must be exactly the string true",
	    B("[{\"scope\": \"\", \"name\": \"a\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"True\"}}, "
	    "{\"scope\": \"\", \"name\": \"b\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true \"}}, "
	    "{\"scope\": \"\", \"name\": \"c\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"1\"}}, "
	    "{\"scope\": \"\", \"name\": \"d\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\\u0000\"}}, "
	    "{\"scope\": \"\", \"name\": \"e\", \"tags\": "
	    "{\"test.pytest_collection_errors\": \"true\"}}, "
	    "{\"scope\": \"\", \"name\": \"f\", \"tags\": {\"x\": "
	    "\"test.pytest_collection_error\"}}]"),
	    { 6, 6, 0, 0, 0, 6 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "a duplicate collection error tag: the last one wins",
	    B("[{\"scope\": \"\", \"name\": \"a\", \"result\": \"failed\", "
	    "\"tags\": {\"test.pytest_collection_error\": \"true\", "
	    "\"test.pytest_collection_error\": \"false\"}}, "
	    "{\"scope\": \"\", \"name\": \"b\", \"result\": \"failed\", "
	    "\"tags\": {\"test.pytest_collection_error\": \"false\", "
	    "\"test.pytest_collection_error\": \"true\"}}]"),
	    { 2, 2, 0, 2, 0, 0 }, 2, { B("a"), B("b") }, 1, { B("b") },
	    { { "", 0 } }, 1 },
	{ "collection errors once each, in file order",
	    B("[{\"scope\": \"\", \"name\": \"b.py\", \"result\": \"failed\", "
	    "\"failure_reason\": \"B1\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\"}}, "
	    "{\"scope\": \"\", \"name\": \"a.py\", \"result\": \"failed\", "
	    "\"failure_reason\": \"A1\\r\\nA2\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\"}}, "
	    "{\"scope\": \"\", \"name\": \"b.py\", \"result\": \"failed\", "
	    "\"failure_reason\": \"B2\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\"}}]"),
	    { 3, 2, 0, 2, 0, 0 }, 2, { B("b.py"), B("a.py") }, 2,
	    { B("b.py"), B("a.py") }, { B("B1"), B("A1") }, 3 },
	{ "a reason that is not a string is no reason",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": \"failed\", "
	    "\"failure_reason\": [\"x\", {\"y\": null}], \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { { "", 0 } }, 1 },
	{ "of duplicate reasons the last one wins",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"failure_reason\": "
	    "\"first\", \"result\": \"failed\", \"failure_reason\": "
	    "\"sec\\u006fnd \\u00e9\\nthird\", \"tags\": "
	    "{\"test.pytest_collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { B("second \xc3\xa9") }, 1 },
	{ "a reason is cut at 200 bytes, never inside a character",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": \"failed\", "
	    "\"tags\": {\"test.pytest_collection_error\": \"true\"}, "
	    "\"failure_reason\": \""
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789012345678\\u00e9 and more\"}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { B("0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789012345678") }, 1 },
	{ "a long escaped record key does not hide the keys after it",
	    B("[{\"\\u0078-a-record-key-longer-than-forty-bytes-with-an-"
	    "escape\": 1, \"scope\": \"t.py\", \"name\": \"a\", "
	    "\"result\": \"failed\"}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("t.py::a") }, 0, { { 0 } },
	    { { 0 } }, 0 },
	{ "a long escaped tag key does not hide the collection error tag",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": "
	    "\"failed\", \"tags\": {\"\\u0078-a-tag-key-longer-than-"
	    "forty-bytes-with-an-escape\": \"v\", "
	    "\"test.pytest_collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { { "", 0 } }, 1 },
	{ "a long UTF-8 tag key does not hide the collection error tag",
	    B("[{\"scope\": \"\", \"name\": \"e.py\", \"result\": "
	    "\"failed\", \"tags\": {\"\xc3\xa9-a-tag-key-longer-than-"
	    "forty-bytes-in-utf-8\": \"v\", "
	    "\"test.pytest_collection_error\": \"true\"}}]"),
	    { 1, 1, 0, 1, 0, 0 }, 1, { B("e.py") }, 1, { B("e.py") },
	    { { "", 0 } }, 1 },
	{ "empty tags and tags of strings are fine",
	    B("[{\"scope\": \"s\", \"name\": \"a\", \"tags\": {}, "
	    "\"result\": \"passed\"}, {\"scope\": \"s\", \"name\": \"b\", "
	    "\"tags\": {\"k\": \"v\", \"\": \"\", \"e\\u00e9\": \"\\u0000\"},"
	    " \"result\": \"passed\"}]"),
	    { 2, 2, 2, 0, 0, 0 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
	{ "empty containers and literals everywhere in skipped fields",
	    B("[{\"scope\": \"s\", \"name\": \"a\", \"x\": [[], {}, [{}], "
	    "{\"a\": []}, true, false, null, \"\", 0], \"y\": {}, \"z\": [],"
	    " \"result\": \"skipped\"}]"),
	    { 1, 1, 0, 0, 1, 0 }, 0, { { 0 } }, 0, { { 0 } }, { { 0 } }, 0 },
};

/* Nesting: the top array counts as 1 and the record as 2, so a skipped
 * field may open 998 more levels and no more. */
static char *
nested_report(size_t levels, int objects, const char *inner)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "[{\"scope\": \"s\", \"name\": "
	    "\"deep\", \"result\": \"failed\", \"history\": "), 0);
	for (i = 0; i < levels; i++)
		assert_int_equal(strbuf_puts(&sb, objects ? "{\"k\": " : "["),
		    0);
	assert_int_equal(strbuf_puts(&sb, inner), 0);
	for (i = 0; i < levels; i++)
		assert_int_equal(strbuf_appendc(&sb, objects ? '}' : ']'), 0);
	assert_int_equal(strbuf_puts(&sb, "}]"), 0);
	return sb.data;
}

static const struct valid_case deep_case = {
	"deep", { NULL, 0 }, { 1, 1, 0, 1, 0, 0 }, 1, { B("s::deep") }, 0,
	{ { 0 } }, { { 0 } }, 0
};

static void
test_nesting_exactly_1000_deep_is_accepted(void **state)
{
	char *doc;

	(void)state;
	doc = nested_report(998, 0, "");
	check_valid(&deep_case, doc, strlen(doc));
	free(doc);
	doc = nested_report(998, 0, "1");
	check_valid(&deep_case, doc, strlen(doc));
	free(doc);
	doc = nested_report(997, 1, "{}");
	check_valid(&deep_case, doc, strlen(doc));
	free(doc);
	doc = nested_report(997, 1, "[\"x\"]");
	check_valid(&deep_case, doc, strlen(doc));
	free(doc);
}

/* Bad reports. */

struct bad_case {
	const char *what;
	struct bytes input;
};

static const struct bad_case bad_cases[] = {
	/* invalid JSON */
	{ "a missing colon", B("[{\"scope\" \"\", \"name\": \"a\"}]") },
	{ "a missing comma between members",
	    B("[{\"scope\": \"\" \"name\": \"a\"}]") },
	{ "a missing comma between records",
	    B("[{\"scope\": \"\", \"name\": \"a\"} {\"scope\": \"\", "
	    "\"name\": \"b\"}]") },
	{ "single quotes", B("[{'scope': '', 'name': 'a'}]") },
	{ "a bare word", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "undefined}]") },
	{ "a comment", B("[/* c */{\"scope\": \"\", \"name\": \"a\"}]") },
	{ "an unquoted key", B("[{scope: \"\", \"name\": \"a\"}]") },
	{ "a mismatched bracket", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": [1}]}]") },
	{ "a mismatched brace", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": {\"a\": 1]}]") },
	{ "a key that is a number", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": {1: 2}}]") },
	{ "an invalid escape", B("[{\"scope\": \"\", \"name\": \"a\\x\"}]") },
	{ "an invalid escape in a skipped string",
	    B("[{\"scope\": \"\", \"name\": \"a\", \"x\": \"\\a\"}]") },
	{ "an upper-case U escape", B("[{\"scope\": \"\", \"name\": "
	    "\"\\U00e9\"}]") },
	{ "a short \\u escape", B("[{\"scope\": \"\", \"name\": "
	    "\"\\u12\"}]") },
	{ "a \\u escape with a non-hex digit", B("[{\"scope\": \"\", "
	    "\"name\": \"\\u12G4\"}]") },
	{ "an invalid escape after a high surrogate",
	    B("[{\"scope\": \"\", \"name\": \"\\ud800\\q\"}]") },
	{ "lower-case nan", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "nan}]") },
	{ "upper-case NAN", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "NAN}]") },
	{ "lower-case infinity", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": infinity}]") },
	{ "-NaN", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": -NaN}]") },
	{ "Infinity cut short", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": -Inf}]") },
	{ "True with a capital", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": True}]") },
	{ "a literal followed by a digit", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": Infinity1}]") },
	/* invalid UTF-8 */
	{ "overlong C0 80 in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xc0\x80\"}]") },
	{ "overlong C1 BF in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xc1\xbf\"}]") },
	{ "overlong E0 80 80 in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xe0\x80\x80\"}]") },
	{ "overlong F0 80 80 80 in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xf0\x80\x80\x80\"}]") },
	{ "surrogate ED A0 80 in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xed\xa0\x80\"}]") },
	{ "surrogate ED BF BF in a skipped field",
	    B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "\"\xed\xbf\xbf\"}]") },
	{ "F4 90 80 80 above U+10FFFF in a name", B("[{\"scope\": \"\", "
	    "\"name\": \"a\xf4\x90\x80\x80\"}]") },
	{ "F5 in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\xf5\x80\x80\x80\"}]") },
	{ "FF in a skipped field", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": \"\xff\"}]") },
	{ "a lone continuation byte in a name", B("[{\"scope\": \"\", "
	    "\"name\": \"a\x80\"}]") },
	{ "a lead byte without its continuation", B("[{\"scope\": \"\", "
	    "\"name\": \"a\xc3\"}]") },
	{ "a three-byte sequence cut short", B("[{\"scope\": \"\", "
	    "\"name\": \"a\xe2\x82\"}]") },
	{ "overlong C0 80 in a skipped key", B("[{\"scope\": \"\", \"name\":"
	    " \"a\", \"\xc0\x80\": 1}]") },
	{ "invalid UTF-8 deep in a skipped field", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"x\": [{\"y\": [\"ok\", "
	    "\"\xed\xa0\x80\"]}]}]") },
	{ "invalid UTF-8 in a tag value", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"tags\": {\"k\": \"\xc0\x80\"}}]") },
	{ "invalid UTF-8 in a reason", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"failure_reason\": \"x\xf4\x90\x80\x80\"}]") },
	{ "a UTF-8 byte outside a string", B("[{\"scope\": \"\", \"name\": "
	    "\"a\"}\xc2\xa0]") },
	{ "a UTF-16 byte order mark", B("\xfe\xff[]") },
	{ "half a byte order mark", B("\xef\xbb[]") },
	{ "a byte order mark twice", B("\xef\xbb\xbf\xef\xbb\xbf[]") },
	/* raw NUL and control bytes */
	{ "a raw NUL in a name", B("[{\"scope\": \"\", \"name\": \"a\0b\"}]") },
	{ "a raw NUL in a skipped string", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": \"\0\"}]") },
	{ "a raw NUL between tokens", B("[{\"scope\": \"\",\0\"name\": "
	    "\"a\"}]") },
	{ "a raw NUL after the array", B("[]\0") },
	{ "a raw NUL before the array", B("\0[]") },
	{ "a raw control character in a name", B("[{\"scope\": \"\", "
	    "\"name\": \"a\x01\"}]") },
	{ "a raw newline in a name", B("[{\"scope\": \"\", \"name\": "
	    "\"a\nb\"}]") },
	{ "a raw tab in a skipped string", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": \"\t\"}]") },
	{ "a raw 1F in a key", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"\x1f\": 1}]") },
	{ "a form feed as white space", B("[\f]") },
	{ "a vertical tab before the array", B("\v[]") },
	/* truncation */
	{ "truncated after [", B("[") },
	{ "truncated after [{", B("[{") },
	{ "truncated inside a key", B("[{\"sco") },
	{ "truncated after a key", B("[{\"scope\"") },
	{ "truncated after a colon", B("[{\"scope\":") },
	{ "truncated inside a name", B("[{\"scope\": \"\", \"name\": \"a") },
	{ "truncated inside an escape", B("[{\"scope\": \"\", \"name\": "
	    "\"a\\") },
	{ "truncated inside a \\u escape", B("[{\"scope\": \"\", \"name\": "
	    "\"a\\u00") },
	{ "truncated inside a UTF-8 sequence", B("[{\"scope\": \"\", "
	    "\"name\": \"a\xe2\x82") },
	{ "truncated inside a literal", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": tru") },
	{ "truncated inside a number", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": 12") },
	{ "truncated before the record's brace", B("[{\"scope\": \"\", "
	    "\"name\": \"a\"") },
	{ "truncated before the closing bracket", B("[{\"scope\": \"\", "
	    "\"name\": \"a\"}") },
	{ "truncated after a comma", B("[{\"scope\": \"\", \"name\": "
	    "\"a\"},") },
	{ "truncated inside a skipped field", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"x\": [{\"y\": [") },
	{ "truncated inside tags", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"k\": \"v\"") },
	/* trailing garbage */
	{ "garbage after the array", B("[]x") },
	{ "a second array", B("[] []") },
	{ "a second closing bracket", B("[]]") },
	{ "a comma after the array", B("[],") },
	{ "a byte order mark after the array", B("[]\xef\xbb\xbf") },
	/* neither an array of objects nor a log */
	{ "null at the top", B("null") },
	{ "true at the top", B("true") },
	{ "an object at the top (a log's line with no line feed)", B("{}") },
	{ "an object at the top (a log's line without $report_type)",
	    B("{}\n") },
	{ "a record at the top (read as a log)",
	    B("{\"scope\": \"\", \"name\": \"a\", \"result\": "
	    "\"failed\"}\n") },
	{ "a string at the top", B("\"[]\"") },
	{ "a number at the top", B("1") },
	{ "a number element", B("[1]") },
	{ "an array element", B("[[]]") },
	{ "a string element", B("[\"x\"]") },
	{ "a null element", B("[null]") },
	{ "a non-object element after a record",
	    B("[{\"scope\": \"\", \"name\": \"a\"}, 2]") },
	/* scope, name, result, tags */
	{ "an empty record", B("[{}]") },
	{ "scope missing", B("[{\"name\": \"a\", \"result\": \"failed\"}]") },
	{ "scope null", B("[{\"scope\": null, \"name\": \"a\"}]") },
	{ "scope a number", B("[{\"scope\": 1, \"name\": \"a\"}]") },
	{ "scope an array", B("[{\"scope\": [\"t.py\"], \"name\": \"a\"}]") },
	{ "scope an object", B("[{\"scope\": {}, \"name\": \"a\"}]") },
	{ "name missing", B("[{\"scope\": \"t.py\", \"result\": "
	    "\"failed\"}]") },
	{ "name empty", B("[{\"scope\": \"t.py\", \"name\": \"\"}]") },
	{ "name empty with empty scope", B("[{\"scope\": \"\", \"name\": "
	    "\"\"}]") },
	{ "name null", B("[{\"scope\": \"t.py\", \"name\": null}]") },
	{ "name a number", B("[{\"scope\": \"t.py\", \"name\": 5}]") },
	{ "name false", B("[{\"scope\": \"t.py\", \"name\": false}]") },
	{ "name an object", B("[{\"scope\": \"t.py\", \"name\": {\"a\": "
	    "\"b\"}}]") },
	{ "result a number", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": 1}]") },
	{ "result true", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": true}]") },
	{ "result an array", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": [\"failed\"]}]") },
	{ "result an object", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": {}}]") },
	{ "tags a string", B("[{\"scope\": \"\", \"name\": \"a\", \"tags\": "
	    "\"x\"}]") },
	{ "tags an array", B("[{\"scope\": \"\", \"name\": \"a\", \"tags\": "
	    "[]}]") },
	{ "tags null", B("[{\"scope\": \"\", \"name\": \"a\", \"tags\": "
	    "null}]") },
	{ "a tag value a number", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"k\": 1}}]") },
	{ "a tag value null", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"k\": \"v\", \"j\": null}}]") },
	{ "a tag value true", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"test.pytest_collection_error\": true}}]") },
	{ "a tag value an object", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"k\": {\"l\": \"m\"}}}]") },
	{ "a tag value an array", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"tags\": {\"k\": [\"v\"]}}]") },
	/* escaped NUL in keys */
	{ "a record key holding \\u0000", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\\u0000y\": 1}]") },
	{ "a key of just \\u0000", B("[{\"\\u0000\": 1, \"scope\": \"\", "
	    "\"name\": \"a\"}]") },
	{ "scope written with \\u0000 after it", B("[{\"scope\\u0000\": "
	    "\"\", \"name\": \"a\"}]") },
	{ "a tags key holding \\u0000", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"tags\": {\"k\\u0000\": \"v\"}}]") },
	{ "a nested skipped key holding \\u0000", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"history\": {\"c\": [{\"\\u0000\": 1}]}}]") },
	/* duplicate read keys */
	{ "scope twice", B("[{\"scope\": \"\", \"scope\": \"\", \"name\": "
	    "\"a\"}]") },
	{ "name twice", B("[{\"scope\": \"\", \"name\": \"a\", \"name\": "
	    "\"b\"}]") },
	{ "result twice", B("[{\"scope\": \"\", \"name\": \"a\", \"result\":"
	    " \"failed\", \"result\": \"passed\"}]") },
	{ "tags twice", B("[{\"scope\": \"\", \"name\": \"a\", \"tags\": {},"
	    " \"tags\": {}}]") },
	{ "scope twice, once escaped", B("[{\"scope\": \"\", \"\\u0073cope\":"
	    " \"\", \"name\": \"a\"}]") },
	{ "name twice, in the second record", B("[{\"scope\": \"\", "
	    "\"name\": \"a\"}, {\"scope\": \"\", \"name\": \"a\", "
	    "\"n\\u0061me\": \"b\"}]") },
	{ "result twice after a long escaped key", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"\\u0078-a-record-key-longer-than-forty-"
	    "bytes-with-an-escape\": 1, \"result\": \"failed\", "
	    "\"result\": \"passed\"}]") },
	{ "tags not an object after a long escaped key", B("[{\"scope\": "
	    "\"\", \"name\": \"a\", \"\\u0078-a-record-key-longer-than-"
	    "forty-bytes-with-an-escape\": 1, \"tags\": 5}]") },
	/* numbers */
	{ "a leading zero 01", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": 01}]") },
	{ "a leading zero -01", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": -01}]") },
	{ "a leading zero in an array [00]", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"x\": [00]}]") },
	{ "a trailing dot 1.", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": 1.}]") },
	{ "a dot before the exponent 1.e5", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": 1.e5}]") },
	{ "a leading dot .5", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": .5}]") },
	{ "a plus sign +1", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": +1}]") },
	{ "an empty exponent 1e", B("[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": 1e}]") },
	{ "an exponent sign alone 1e+", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": 1e+}]") },
	{ "a minus alone", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "-}]") },
	{ "a hex number", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "0x10}]") },
	{ "two dots 1.0.0", B("[{\"scope\": \"\", \"name\": \"a\", \"x\": "
	    "1.0.0}]") },
	/* trailing commas */
	{ "a trailing comma in a skipped array [1,]", B("[{\"scope\": \"\", "
	    "\"name\": \"a\", \"x\": [1,]}]") },
	{ "a trailing comma in a skipped object {\"a\":1,}",
	    B("[{\"scope\": \"\", \"name\": \"a\", \"x\": {\"a\":1,}}]") },
	{ "a trailing comma in a record", B("[{\"scope\": \"\", \"name\": "
	    "\"a\",}]") },
	{ "a trailing comma in tags", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"tags\": {\"k\": \"v\",}}]") },
	{ "a trailing comma in the array", B("[{\"scope\": \"\", \"name\": "
	    "\"a\"},]") },
	{ "a leading comma in the array", B("[,{\"scope\": \"\", \"name\": "
	    "\"a\"}]") },
	{ "a lone comma in the array", B("[,]") },
	{ "two commas in a skipped array", B("[{\"scope\": \"\", \"name\": "
	    "\"a\", \"x\": [1,,2]}]") },
};

/* Both readers, every chunk size: BAD, and the same records counted. */
static void
check_bad(const char *what, const void *input, size_t len)
{
	struct report_error err;
	struct tally t;
	struct tally_counts first;
	enum report_status st;
	size_t r, k;
	int bad = 0;

	for (r = 0; r < NREADERS; r++) {
		for (k = 0; k < NCHUNKS; k++) {
			st = run(r, input, len, chunks[k], &t, &err);
			if (st != REPORT_READ_BAD && ++bad)
				print_error("%s, %s, chunk %zu: %s, want BAD\n",
				    what, readers[r].name, chunks[k],
				    status_name(st));
			else if (err.what[0] == '\0' && ++bad)
				print_error("%s, %s, chunk %zu: no error "
				    "text\n", what, readers[r].name, chunks[k]);
			if (r == 0 && k == 0)
				first = t.counts;
			else if (memcmp(&first, &t.counts,
			    sizeof(first)) != 0 && ++bad)
				print_error("%s, %s, chunk %zu: %ju records "
				    "counted before the fault, %s chunk 1 "
				    "counted %ju\n", what, readers[r].name,
				    chunks[k], (uintmax_t)t.counts.records,
				    readers[0].name, (uintmax_t)first.records);
			tally_free(&t);
		}
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
test_nesting_1001_deep_in_a_skipped_field_is_bad(void **state)
{
	char *doc;

	(void)state;
	doc = nested_report(999, 0, "");
	check_bad("999 arrays in a record", doc, strlen(doc));
	free(doc);
	doc = nested_report(998, 1, "{}");
	check_bad("998 objects and one more in a record", doc, strlen(doc));
	free(doc);
	doc = nested_report(5000, 0, "1");
	check_bad("5000 arrays in a record", doc, strlen(doc));
	free(doc);
}

static void
test_nesting_without_records_is_bad_at_any_depth(void **state)
{
	struct strbuf sb;
	size_t i;

	(void)state;
	/* [[[...]]]: elements that are not objects, however deep */
	strbuf_init(&sb);
	for (i = 0; i < 100000; i++)
		assert_int_equal(strbuf_appendc(&sb, '['), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(strbuf_appendc(&sb, ']'), 0);
	check_bad("100000 nested arrays", sb.data, sb.len);
	strbuf_free(&sb);
}

/* Empty input. */

static void
test_empty_input_is_no_report(void **state)
{
	static const struct bytes empties[] = {
		B(""), B(" "), B("\n"), B(" \t\r\n \n\n"), B("\xef\xbb\xbf"),
		B("\xef\xbb\xbf \n"),
	};
	struct report_error err;
	struct tally t;
	enum report_status st;
	size_t i, r, k;

	(void)state;
	for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++)
		for (r = 0; r < NREADERS; r++)
			for (k = 0; k < NCHUNKS; k++) {
				st = run(r, empties[i].p, empties[i].len,
				    chunks[k], &t, &err);
				if (st != REPORT_READ_EMPTY)
					fail_msg("empty input #%zu, %s, chunk "
					    "%zu: %s", i, readers[r].name,
					    chunks[k], status_name(st));
				assert_int_equal(t.counts.records, 0);
				tally_free(&t);
			}
}

/* Where a fault is reported. */

static struct report_error
read_error(size_t r, const char *doc, size_t len)
{
	struct report_error err;
	struct tally t;

	assert_int_equal(run(r, doc, len, 0, &t, &err), REPORT_READ_BAD);
	tally_free(&t);
	return err;
}

#define OFFSET_OF(doc, needle) \
	((uint64_t)(strstr((doc), (needle)) - (doc)))

static void
test_name_not_a_string_in_record_1_names_record_and_key(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\"}, "
	    "{\"scope\": \"\", \"name\": 5}]";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, doc, sizeof(doc) - 1);
		assert_int_equal(err.record, 1);
		assert_string_equal(err.key, "name");
	}
	err = read_error(0, doc, sizeof(doc) - 1);
	assert_int_equal(err.offset, OFFSET_OF(doc, "5}"));
	assert_string_equal(err.what, "name is not a string");
}

static void
test_missing_scope_is_reported_at_the_end_of_its_record(void **state)
{
	static const char doc[] = "[{\"name\": \"a\"}]";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, doc, sizeof(doc) - 1);
		assert_int_equal(err.record, 0);
		assert_string_equal(err.key, "scope");
		assert_string_equal(err.what, "scope is missing");
		assert_int_equal(err.offset, 14);	/* just past '}' */
	}
}

static void
test_non_object_element_names_its_index(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\"}, "
	    "{\"scope\": \"\", \"name\": \"b\"}, 7]";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, doc, sizeof(doc) - 1);
		assert_int_equal(err.record, 2);
		assert_string_equal(err.key, "");
	}
	err = read_error(0, doc, sizeof(doc) - 1);
	assert_int_equal(err.offset, OFFSET_OF(doc, "7]"));
}

static void
test_trailing_garbage_has_no_record(void **state)
{
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, "[]x", 3);
		assert_int_equal(err.record, REPORT_NO_RECORD);
		assert_int_equal(err.offset, 2);
	}
}

static void
test_truncation_is_reported_at_the_end_of_input(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\"";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, doc, sizeof(doc) - 1);
		assert_int_equal(err.record, 0);
		assert_int_equal(err.offset, sizeof(doc) - 1);
	}
}

/* Byte-level faults: both readers name the offending byte itself. */
static void
test_byte_faults_are_reported_at_the_offending_byte(void **state)
{
	static const struct {
		const char *doc;
		size_t len;
		const char *at;		/* the offending byte onwards */
	} faults[] = {
#define F(doc, at)	{ doc, sizeof(doc) - 1, at }
		F("[{\"scope\": \"\", \"name\": \"ab\0c\"}]", "\0c"),
		F("[{\"scope\": \"\", \"name\": \"ab\x01\"}]", "\x01"),
		F("[{\"scope\": \"\", \"name\": \"ab\xc0\x80\"}]", "\xc0"),
		F("[{\"scope\": \"\", \"name\": \"ab\xed\xa0\x80\"}]",
		    "\xa0\x80"),
		F("[{\"scope\": \"\", \"name\": \"ab\xf4\x90\x80\x80\"}]",
		    "\x90\x80"),
		F("[{\"scope\": \"\", \"name\": \"ab\xff\"}]", "\xff"),
		F("[{\"scope\": \"\", \"name\": \"a\", \"x\": \"0123456789abc"
		    "\x1f\"}]", "\x1f"),
		F("[{\"scope\": \"\", \"name\": \"a\", \"x\": \"0123456789abc"
		    "\x80\"}]", "\x80"),
		F("[{\"scope\": \"\", \"name\": \"ab\\u12G4\"}]", "G4"),
		F("[{\"scope\": \"\", \"name\": \"ab\\x\"}]", "x\"}]"),
		F("[{\"scope\": \"\", \"name\": \"ab\\ud800\\q\"}]", "q\"}]"),
#undef F
	};
	struct report_error err;
	const char *at;
	size_t i, r, j;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		/* find the marker by bytes: the documents hold NUL */
		at = NULL;
		for (j = 0; j < faults[i].len && at == NULL; j++)
			if (memcmp(faults[i].doc + j, faults[i].at,
			    strlen(faults[i].at) + (faults[i].at[0] == '\0'))
			    == 0)
				at = faults[i].doc + j;
		assert_non_null(at);
		for (r = 0; r < NREADERS; r++) {
			err = read_error(r, faults[i].doc, faults[i].len);
			if (err.offset != (uint64_t)(at - faults[i].doc) &&
			    ++bad)
				print_error("fault #%zu, %s: at byte %ju, want "
				    "%td (%s)\n", i, readers[r].name,
				    (uintmax_t)err.offset, at - faults[i].doc,
				    err.what);
			assert_int_equal(err.record, 0);
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_nesting_fault_is_reported_at_the_bracket_too_deep(void **state)
{
	char *doc;
	size_t r, want;

	(void)state;
	doc = nested_report(999, 0, "");
	/* the 999th '[' of the history value */
	want = (size_t)(strchr(doc, '[') - doc);	/* the top array */
	want = (size_t)(strstr(doc, "\"history\": ") - doc) +
	    strlen("\"history\": ") + 998;
	assert_int_equal(doc[want], '[');
	for (r = 0; r < NREADERS; r++) {
		struct report_error err = read_error(r, doc, strlen(doc));

		assert_int_equal(err.offset, want);
		assert_int_equal(err.record, 0);
	}
	free(doc);
}

static void
test_duplicate_key_error_names_the_key(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\"}, "
	    "{\"scope\": \"\", \"result\": null, \"result\": null, "
	    "\"name\": \"b\"}]";
	struct report_error err;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		err = read_error(r, doc, sizeof(doc) - 1);
		assert_int_equal(err.record, 1);
	}
	err = read_error(0, doc, sizeof(doc) - 1);
	assert_string_equal(err.key, "result");
}

static void
test_records_before_a_fault_are_counted(void **state)
{
	static const char doc[] = "[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": \"failed\"}, {\"scope\": \"\", \"name\": \"b\", "
	    "\"result\": \"passed\"}, {\"scope\": \"\", \"name\": 3}]";
	struct report_error err;
	struct tally t;
	size_t r;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		assert_int_equal(run(r, doc, sizeof(doc) - 1, 0, &t, &err),
		    REPORT_READ_BAD);
		assert_int_equal(t.counts.records, 2);
		assert_int_equal(t.counts.tests, 2);
		assert_int_equal(t.counts.failed, 1);
		assert_int_equal(t.counts.passed, 1);
		tally_free(&t);
	}
}

static void
test_error_format_names_byte_record_and_key(void **state)
{
	struct report_error err;
	struct strbuf sb;

	(void)state;
	memset(&err, 0, sizeof(err));
	err.offset = 12;
	err.record = 3;
	strcpy(err.key, "name");
	strcpy(err.what, "name is not a string");
	strbuf_init(&sb);
	assert_int_equal(report_error_format(&err, &sb), 0);
	assert_string_equal(sb.data,
	    "at byte 12 (record 3, key \"name\"): name is not a string");

	strbuf_reset(&sb);
	err.key[0] = '\0';
	assert_int_equal(report_error_format(&err, &sb), 0);
	assert_string_equal(sb.data, "at byte 12 (record 3): name is not a "
	    "string");

	strbuf_reset(&sb);
	err.record = REPORT_NO_RECORD;
	err.offset = 2;
	strcpy(err.what, "'x' where the end of the report was expected");
	assert_int_equal(report_error_format(&err, &sb), 0);
	assert_string_equal(sb.data, "at byte 2: 'x' where the end of the "
	    "report was expected");

	/* a log's fault names its line, counted from 1 */
	strbuf_reset(&sb);
	err.record = 7;
	err.line = 1;
	strcpy(err.key, "exitstatus");
	strcpy(err.what, "exitstatus is not an integer");
	assert_int_equal(report_error_format(&err, &sb), 0);
	assert_string_equal(sb.data, "at byte 2 (line 7, key \"exitstatus\"): "
	    "exitstatus is not an integer");
	strbuf_free(&sb);
}

static void
test_error_format_escapes_a_hostile_key(void **state)
{
	struct report_error err;
	struct strbuf sb;

	(void)state;
	memset(&err, 0, sizeof(err));
	err.offset = 5;
	err.record = 0;
	strcpy(err.key, "a\nb\x1b[2J\xe2\x80\xa8");
	strcpy(err.what, "x");
	strbuf_init(&sb);
	assert_int_equal(report_error_format(&err, &sb), 0);
	assert_string_equal(sb.data,
	    "at byte 5 (record 0, key \"a\\nb\\x1b[2J\\u2028\"): x");
	strbuf_free(&sb);
}

static void
test_error_key_is_cut_at_a_utf8_boundary(void **state)
{
	struct report_error err;
	char key[100];

	(void)state;
	/* 46 ASCII bytes, then é across the 47th and 48th */
	memset(key, 'k', 46);
	memcpy(key + 46, "\xc3\xa9tail", 6);
	report_error_key(&err, key, 52);
	assert_int_equal(strlen(err.key), 46);
	assert_memory_equal(err.key, key, 46);
	report_error_key(&err, "short", 5);
	assert_string_equal(err.key, "short");
	report_error_key(&err, NULL, 0);
	assert_string_equal(err.key, "");
}

static void
test_error_tags_are_the_two_collection_error_names(void **state)
{
	(void)state;
	assert_true(report_is_error_tag("test.pytest_collection_error", 28));
	assert_true(report_is_error_tag("test.collection_error", 21));
	assert_false(report_is_error_tag("test.pytest_collection_error", 27));
	assert_false(report_is_error_tag("test.collection_errors", 22));
	assert_false(report_is_error_tag("", 0));
}

/* The node ID length limit: 4 MiB for scope, name and the joined ID. */

static char *
long_report(size_t scope_len, size_t name_len, size_t *len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "[{\"scope\": \""), 0);
	for (i = 0; i < scope_len; i++)
		assert_int_equal(strbuf_appendc(&sb, 's'), 0);
	assert_int_equal(strbuf_puts(&sb, "\", \"name\": \""), 0);
	for (i = 0; i < name_len; i++)
		assert_int_equal(strbuf_appendc(&sb, 'n'), 0);
	assert_int_equal(strbuf_puts(&sb, "\", \"result\": \"failed\"}]"), 0);
	*len = sb.len;
	return sb.data;
}

/* OK with the one selector of the right length, or BAD: how many runs
 * were not. */
static int
check_long(size_t scope_len, size_t name_len, int ok)
{
	static const size_t big_chunks[] = { 7, 4093, 0 };
	struct report_error err;
	struct tally_id *ids;
	struct tally t;
	enum report_status st;
	char *doc;
	size_t len, r, k, n, want;
	int bad = 0;

	want = scope_len > 0 ? scope_len + 2 + name_len : name_len;
	doc = long_report(scope_len, name_len, &len);
	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < 3; k++) {
			st = run(r, doc, len, big_chunks[k], &t, &err);
			if (st != (ok ? REPORT_READ_OK : REPORT_READ_BAD) &&
			    ++bad)
				print_error("scope %zu, name %zu bytes, %s, "
				    "chunk %zu: %s (%s)\n", scope_len, name_len,
				    readers[r].name, big_chunks[k],
				    status_name(st), st == REPORT_READ_BAD ?
				    err.what : "");
			else if (ok) {
				if (tally_selectors(&t, &ids, &n) == -1 ||
				    n != 1 || ids[0].len != want) {
					print_error("scope %zu, name %zu "
					    "bytes, %s: not the one selector "
					    "of %zu bytes\n", scope_len,
					    name_len, readers[r].name, want);
					bad++;
				}
				free(ids);
			}
			tally_free(&t);
		}
	free(doc);
	return bad;
}

static void
test_joined_node_id_of_exactly_4_mib_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_long(1, NODEID_MAX - 3, 1) +
	    check_long(NODEID_MAX / 2, NODEID_MAX - NODEID_MAX / 2 - 2, 1), 0);
}

static void
test_joined_node_id_over_4_mib_is_bad(void **state)
{
	(void)state;
	assert_int_equal(check_long(1, NODEID_MAX - 2, 0) +
	    check_long(NODEID_MAX, 1, 0) + check_long(0, NODEID_MAX + 1, 0) +
	    check_long(NODEID_MAX + 1, 1, 0), 0);
}

/* With an empty scope the node ID is the name alone: a 4 MiB name is a
 * 4 MiB node ID, within the limit (the spec: "a node ID (scope, name,
 * joined) at most 4 MiB"). */
static void
test_name_of_exactly_4_mib_with_empty_scope_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(check_long(0, NODEID_MAX, 1) +
	    check_long(0, NODEID_MAX - 1, 1) +
	    check_long(0, NODEID_MAX - 2, 1), 0);
}

/* Read errors and collisions. */

static void
test_read_error_is_ioerr_not_bad_or_empty(void **state)
{
	struct report_error err;
	struct source src;
	struct tally t;
	size_t r;
	int fd;

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		fd = open(".", O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(tally_init(&t, SEED), 0);
		source_from_fd(&src, fd);
		assert_int_equal(read_into(r, &src, &t, &err),
		    REPORT_READ_IOERR);
		assert_int_not_equal(src.error, 0);
		tally_free(&t);
		close(fd);
	}
}

static void
test_a_report_from_a_pipe_reads_like_memory(void **state)
{
	static const char doc[] = "[" REC("t.py", "a", "failed") ", "
	    REC("t.py", "b", "passed") "]";
	struct report_error err;
	struct tally_id *ids;
	struct source src;
	struct tally t;
	size_t r, n;
	int fds[2];

	(void)state;
	for (r = 0; r < NREADERS; r++) {
		assert_int_equal(pipe(fds), 0);
		assert_int_equal(write(fds[1], doc, sizeof(doc) - 1),
		    (ssize_t)(sizeof(doc) - 1));
		close(fds[1]);
		assert_int_equal(tally_init(&t, SEED), 0);
		source_from_fd(&src, fds[0]);
		assert_int_equal(read_into(r, &src, &t, &err),
		    REPORT_READ_OK);
		assert_int_equal(t.counts.tests, 2);
		assert_int_equal(tally_selectors(&t, &ids, &n), 0);
		assert_int_equal(n, 1);
		assert_memory_equal(ids[0].id, "t.py::a", 7);
		free(ids);
		tally_free(&t);
		close(fds[0]);
	}
}

/*
 * A collision cannot be built against SipHash, so the tally is handed one:
 * t.py::a is recorded as failed under the hash of the report's node ID,
 * t.py::b.  Reading the report must then refuse, not merge b into a.
 */
static void
test_two_node_ids_sharing_a_hash_are_a_collision(void **state)
{
	static const char doc[] = "[{\"scope\": \"t.py\", \"name\": \"b\", "
	    "\"result\": \"passed\"}]";
	struct report_error err;
	struct source src;
	struct tally t;
	size_t r, k;

	(void)state;
	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < NCHUNKS; k++) {
			enum report_status st;

			assert_int_equal(tally_init(&t, SEED), 0);
			assert_int_equal(tally_record_hashed(&t,
			    tally_hash(SEED, "t.py::b", 7), "t.py::a", 7,
			    OUTCOME_FAILED, 0, NULL), TALLY_OK);
			source_from_memory(&src, doc, sizeof(doc) - 1,
			    chunks[k]);
			st = read_into(r, &src, &t, &err);
			if (st != REPORT_READ_COLLISION)
				fail_msg("%s, chunk %zu: %s, want COLLISION",
				    readers[r].name, chunks[k],
				    status_name(st));
			tally_free(&t);
		}
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
				    readers[r].name, chunks[k],
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
 * Run a reader over a document that comes through a file descriptor: a
 * regular file (which the source maps a window at a time) or a pipe (which
 * it reads a chunk at a time), filled by a child process.
 */
enum fd_kind { FROM_FILE, FROM_PIPE };

static enum report_status
run_fd(size_t r, enum fd_kind kind, const void *doc, size_t len,
    struct tally *t, struct report_error *err)
{
	enum report_status st;
	struct source src;
	FILE *tmp = NULL;
	pid_t pid = -1;
	int fds[2], status;

	assert_int_equal(tally_init(t, SEED), 0);
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
	st = read_into(r, &src, t, err);
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

static const char *const fd_kinds[] = { "a mapped file", "a pipe" };

/* A report larger than every read buffer and mapping window, with long
 * strings and records across every refill: from memory, from a regular
 * file and from a pipe, in both readers, the same exact tally. */
static void
test_a_report_larger_than_the_read_buffers_is_exact(void **state)
{
	static const struct tally_counts want = { 3000, 1000, 600, 300, 100,
	    0 };
	static const char *const results[] = {
		"passed", "failed", "passed", "skipped", "passed",
		"failed", "passed", "passed", "failed", "passed",
	};
	struct report_error err;
	struct tally_id *ids;
	struct strbuf sb;
	struct tally t;
	enum report_status st;
	size_t i, j, n, r, from;
	char id[64];

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_appendc(&sb, '['), 0);
	for (i = 0; i < 3000; i++) {
		assert_int_equal(strbuf_printf(&sb, "%s{\"id\": \"%zu\", "
		    "\"scope\": \"tests/test_%zu.py\", \"name\": \"test_%zu\", "
		    "\"history\": {\"children\": [1, 2.5, null]}, "
		    "\"failure_reason\": \"", i > 0 ? ", " : "", i,
		    i % 1000 / 100, i % 1000), 0);
		for (j = 0; j < 1000 + i % 17; j++)
			assert_int_equal(strbuf_puts(&sb, j % 50 == 0 ?
			    "\\n\xc3\xa9" : "x"), 0);
		/* the last of the three rounds decides */
		assert_int_equal(strbuf_printf(&sb, "\", \"result\": \"%s\"}",
		    i < 2000 ? "failed" : results[i % 10]), 0);
	}
	assert_int_equal(strbuf_appendc(&sb, ']'), 0);
	assert_true(sb.len > 2 * SOURCE_WINDOW + 1000000);
	for (r = 0; r < NREADERS; r++)
		for (from = 0; from < 3; from++) {
			st = from == 0 ? run(r, sb.data, sb.len, 0, &t, &err) :
			    run_fd(r, (enum fd_kind)(from - 1), sb.data,
			    sb.len, &t, &err);
			if (st != REPORT_READ_OK)
				fail_msg("%s from %s: %s (%s)", readers[r].name,
				    from == 0 ? "memory" : fd_kinds[from - 1],
				    status_name(st), err.what);
			assert_memory_equal(&t.counts, &want, sizeof(want));
			assert_int_equal(tally_selectors(&t, &ids, &n), 0);
			assert_int_equal(n, 300);
			for (i = 0; i < n; i++) {
				j = i / 3 * 10 + (i % 3 == 0 ? 1 :
				    i % 3 == 1 ? 5 : 8);
				snprintf(id, sizeof(id),
				    "tests/test_%zu.py::test_%zu", j / 100, j);
				assert_int_equal(ids[i].len, strlen(id));
				assert_memory_equal(ids[i].id, id, ids[i].len);
			}
			free(ids);
			tally_free(&t);
		}
	strbuf_free(&sb);
}

/*
 * A collection error record placed across the source's mapping
 * window boundary (SOURCE_WINDOW) at many offsets: every key and
 * value of the record lies across the boundary once, and must be read as
 * from memory.
 */
static void
test_a_record_across_a_mapping_window_is_read_whole(void **state)
{
	static const char tail[] = "\", \"result\": \"passed\"}, "
	    "{\"scope\": \"\", \"name\": \"tests/test_e.py\", \"result\": "
	    "\"failed\", \"failure_reason\": \"E: x\\ny\", \"tags\": "
	    "{\"custom.tag\": \"v\", \"test.pytest_collection_error\": "
	    "\"true\"}}]";
	static const char head[] = "[{\"scope\": \"\", \"name\": \"pad\", "
	    "\"x\": \"";
	const size_t window = SOURCE_WINDOW;
	struct report_error err;
	struct tally_id e;
	struct tally t;
	enum report_status st;
	char *doc;
	size_t len, pad, d, r;
	int bad = 0;

	(void)state;
	assert_non_null(doc = malloc(window + sizeof(tail) + 64));
	for (d = 0; d < sizeof(tail) - 20; d += 3) {
		/* the boundary falls d bytes into the tail */
		pad = window - d - (sizeof(head) - 1);
		memcpy(doc, head, sizeof(head) - 1);
		memset(doc + sizeof(head) - 1, 'p', pad);
		memcpy(doc + sizeof(head) - 1 + pad, tail, sizeof(tail) - 1);
		len = sizeof(head) - 1 + pad + sizeof(tail) - 1;
		for (r = 0; r < NREADERS; r++) {
			st = run_fd(r, FROM_FILE, doc, len, &t, &err);
			if (st != REPORT_READ_OK || t.nerrors != 1 ||
			    t.counts.failed != 1 || t.counts.tests != 2) {
				print_error("boundary %zu bytes into the record, "
				    "%s: %s, %zu collection errors\n", d,
				    readers[r].name, status_name(st),
				    t.nerrors);
				bad++;
			} else {
				tally_collection_error(&t, 0, &e);
				if (e.len != 15 ||
				    memcmp(e.id, "tests/test_e.py", 15) != 0 ||
				    e.reason_len != 4 ||
				    memcmp(e.reason, "E: x", 4) != 0) {
					print_error("boundary %zu bytes into "
					    "the record, %s: wrong error\n", d,
					    readers[r].name);
					bad++;
				}
			}
			tally_free(&t);
		}
	}
	free(doc);
	assert_int_equal(bad, 0);
}

/* An invalid byte at every position of a long skipped string: the fast
 * reader skips strings a word at a time and must see each one. */
static void
test_a_bad_byte_anywhere_in_a_long_string_is_seen(void **state)
{
	static const char *const bad[] = { "\x01", "\0", "\xc0\x80", "\x80",
	    "\xed\xa0\x80", "\xff" };
	static const char head[] = "[{\"scope\": \"\", \"name\": \"a\", "
	    "\"x\": \"";
	char doc[128];
	size_t pos, b, r, blen, len;
	struct report_error err;
	int errors = 0;

	(void)state;
	for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		blen = b == 1 ? 1 : strlen(bad[b]);
		for (pos = 0; pos < 40; pos++) {
			len = sizeof(head) - 1;
			memcpy(doc, head, len);
			memset(doc + len, 'y', pos);
			len += pos;
			memcpy(doc + len, bad[b], blen);
			len += blen;
			memset(doc + len, 'z', 20);
			len += 20;
			memcpy(doc + len, "\"}]", 3);
			len += 3;
			for (r = 0; r < NREADERS; r++) {
				err = read_error(r, doc, len);
				/* ED A0 80 goes wrong at its second byte */
				if (err.offset != sizeof(head) - 1 + pos +
				    (b == 4) && ++errors)
					print_error("bad byte %02x at %zu, %s: "
					    "at byte %ju, want %zu\n",
					    (unsigned char)bad[b][0], pos,
					    readers[r].name,
					    (uintmax_t)err.offset,
					    sizeof(head) - 1 + pos + (b == 4));
			}
		}
	}
	assert_int_equal(errors, 0);
}

/* And every valid character at every position passes. */
static void
test_a_valid_character_anywhere_in_a_long_string_passes(void **state)
{
	static const char *const good[] = { "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9f\x98\x80", "\\n", "\\u00e9", "\\\"", "\x7f" };
	static const char head[] = "[{\"scope\": \"\", \"name\": \"a\", "
	    "\"result\": \"passed\", \"x\": \"";
	static const struct valid_case one = {
		"one", { NULL, 0 }, { 1, 1, 1, 0, 0, 0 }, 0, { { 0 } }, 0,
		{ { 0 } }, { { 0 } }, 0
	};
	char doc[128];
	size_t pos, g, len;

	(void)state;
	for (g = 0; g < sizeof(good) / sizeof(good[0]); g++)
		for (pos = 0; pos < 20; pos++) {
			len = sizeof(head) - 1;
			memcpy(doc, head, len);
			memset(doc + len, 'y', pos);
			len += pos;
			memcpy(doc + len, good[g], strlen(good[g]));
			len += strlen(good[g]);
			memset(doc + len, 'z', 20);
			len += 20;
			memcpy(doc + len, "\"}]", 3);
			len += 3;
			check_valid(&one, doc, len);
		}
}

/* Failure details, read when messages are wanted. */

/* Both readers, every chunk size, with messages: the selectors and their
 * messages, paths and lines exactly. */
static void
check_details(const char *doc, size_t len, const struct detail_want *w,
    size_t n)
{
	struct source src;
	struct reading rd;
	struct tally t;
	size_t r, k;

	for (r = 0; r < NREADERS; r++)
		for (k = 0; k < NCHUNKS; k++) {
			assert_int_equal(tally_init(&t, SEED), 0);
			memset(&rd, 0, sizeof(rd));
			rd.tally = &t;
			rd.messages = 1;
			source_from_memory(&src, doc, len, chunks[k]);
			assert_int_equal(readers[r].read(&src, &rd),
			    REPORT_READ_OK);
			check_kept_details(&t, w, n, readers[r].name,
			    chunks[k]);
			tally_free(&t);
		}
}

/* location "path:line" (0-based) and failure_reason's first line; of a
 * key given twice the last one counts, whatever its type, as in json-c. */
static void
test_failure_details_the_last_location_and_reason_count(void **state)
{
	static const char doc[] = "["
	    "{\"scope\": \"t.py\", \"name\": \"test_a\", \"location\": "
	    "\"t.py:3\", \"result\": \"failed\", \"failure_reason\": "
	    "\"AssertionError: a\\nmore\"}, "
	    /* the second location counts */
	    "{\"scope\": \"t.py\", \"name\": \"test_b\", \"location\": "
	    "\"first.py:1\", \"failure_reason\": \"first\", \"location\": "
	    "\"second.py:2\", \"failure_reason\": \"second\", \"result\": "
	    "\"failed\"}, "
	    /* a location, then null: none */
	    "{\"scope\": \"t.py\", \"name\": \"test_c\", \"location\": "
	    "\"first.py:1\", \"location\": null, \"failure_reason\": "
	    "\"first\", \"failure_reason\": 7, \"result\": \"failed\"}, "
	    /* a location, then one that is no "path:line": none */
	    "{\"scope\": \"t.py\", \"name\": \"test_d\", \"location\": "
	    "\"first.py:1\", \"location\": \"second.py\", \"result\": "
	    "\"failed\"}"
	    "]";
	static const struct detail_want w[] = {
		{ "t.py::test_a", "AssertionError: a", "t.py", 4 },
		{ "t.py::test_b", "second", "second.py", 3 },
		{ "t.py::test_c", "", "", 0 },
		{ "t.py::test_d", "", "", 0 },
	};

	(void)state;
	check_details(doc, sizeof(doc) - 1, w, sizeof(w) / sizeof(w[0]));
}

/* A location longer than 4096 bytes names no place in either reader;
 * one of exactly 4096 bytes does. */
static void
test_a_location_over_4096_bytes_is_none(void **state)
{
	struct detail_want w = { "t.py::test_a", "", "", 0 };
	struct strbuf doc, path;
	size_t extra, i;

	(void)state;
	for (extra = 0; extra < 2; extra++) {
		/* "PATH:12", 4096 bytes long, then 4097 */
		strbuf_init(&path);
		for (i = 0; i < 4096 - 3 + extra; i++)
			assert_int_equal(strbuf_appendc(&path, 'x'), 0);
		strbuf_init(&doc);
		assert_int_equal(strbuf_printf(&doc, "[{\"scope\": \"t.py\", "
		    "\"name\": \"test_a\", \"result\": \"failed\", "
		    "\"location\": \"%s:12\"}]", path.data), 0);
		w.path = extra == 0 ? path.data : "";
		w.line = extra == 0 ? 13 : 0;
		check_details(doc.data, doc.len, &w, 1);
		strbuf_free(&doc);
		strbuf_free(&path);
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_exactly_1000_deep_is_accepted),
		cmocka_unit_test(
		    test_nesting_1001_deep_in_a_skipped_field_is_bad),
		cmocka_unit_test(
		    test_nesting_without_records_is_bad_at_any_depth),
		cmocka_unit_test(test_empty_input_is_no_report),
		cmocka_unit_test(
		    test_name_not_a_string_in_record_1_names_record_and_key),
		cmocka_unit_test(
		    test_missing_scope_is_reported_at_the_end_of_its_record),
		cmocka_unit_test(test_non_object_element_names_its_index),
		cmocka_unit_test(test_trailing_garbage_has_no_record),
		cmocka_unit_test(
		    test_truncation_is_reported_at_the_end_of_input),
		cmocka_unit_test(
		    test_byte_faults_are_reported_at_the_offending_byte),
		cmocka_unit_test(
		    test_nesting_fault_is_reported_at_the_bracket_too_deep),
		cmocka_unit_test(test_duplicate_key_error_names_the_key),
		cmocka_unit_test(test_records_before_a_fault_are_counted),
		cmocka_unit_test(test_error_format_names_byte_record_and_key),
		cmocka_unit_test(test_error_format_escapes_a_hostile_key),
		cmocka_unit_test(test_error_key_is_cut_at_a_utf8_boundary),
		cmocka_unit_test(
		    test_error_tags_are_the_two_collection_error_names),
		cmocka_unit_test(
		    test_joined_node_id_of_exactly_4_mib_is_accepted),
		cmocka_unit_test(test_joined_node_id_over_4_mib_is_bad),
		cmocka_unit_test(
		    test_name_of_exactly_4_mib_with_empty_scope_is_accepted),
		cmocka_unit_test(test_read_error_is_ioerr_not_bad_or_empty),
		cmocka_unit_test(test_a_report_from_a_pipe_reads_like_memory),
		cmocka_unit_test(
		    test_two_node_ids_sharing_a_hash_are_a_collision),
		cmocka_unit_test(
		    test_a_fault_of_the_tally_beats_a_later_bad_byte),
		cmocka_unit_test(
		    test_a_fault_of_the_tally_beats_a_later_read_error),
		cmocka_unit_test(
		    test_a_report_larger_than_the_read_buffers_is_exact),
		cmocka_unit_test(
		    test_a_record_across_a_mapping_window_is_read_whole),
		cmocka_unit_test(
		    test_a_bad_byte_anywhere_in_a_long_string_is_seen),
		cmocka_unit_test(
		    test_a_valid_character_anywhere_in_a_long_string_passes),
		cmocka_unit_test(
		    test_failure_details_the_last_location_and_reason_count),
		cmocka_unit_test(test_a_location_over_4096_bytes_is_none),
	};
	int failed = 0;

	failed += run_table("report: valid reports", valid_cases,
	    sizeof(valid_cases[0]),
	    sizeof(valid_cases) / sizeof(valid_cases[0]), test_valid_case);
	failed += run_table("report: bad reports", bad_cases,
	    sizeof(bad_cases[0]), sizeof(bad_cases) / sizeof(bad_cases[0]),
	    test_bad_case);
	failed += cmocka_run_group_tests_name("report", tests, NULL, NULL);
	return failed;
}
