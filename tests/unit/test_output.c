/*
 * test_output.c: the four output formats, the check that selectors fit
 * the chosen one, the collection error sentence, and output_triage(), the
 * step from a read report to bytes on stdout, a line on stderr and an exit
 * status.
 *
 * Output is captured exactly, byte for byte, with open_memstream(3); write
 * errors come from /dev/full.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "output.h"
#include "report.h"
#include "tally.h"
#include "verdict.h"

#define SEED	42
#define ID(s)	{ (s), sizeof(s) - 1, NULL, 0 }

/* A captured stream. */
struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

static void
capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	assert_non_null(c->fp = open_memstream(&c->buf, &c->len));
}

static void
capture_close(struct capture *c)
{
	assert_int_equal(fclose(c->fp), 0);
	c->fp = NULL;
}

static void
assert_captured(const struct capture *c, const char *expect, size_t len)
{
	if (c->len != len || memcmp(c->buf, expect, len) != 0)
		fail_msg("wrote %zu bytes \"%.*s\", want %zu bytes \"%.*s\"",
		    c->len, (int)c->len, c->buf, len, (int)len, expect);
}
#define ASSERT_CAPTURED(c, s)	assert_captured((c), (s), sizeof(s) - 1)

static void
triage_init(struct triage *t, enum verdict v, const char *reason,
    const struct tally_id *sel, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->verdict = v;
	t->facts.exit_status = 1;
	t->reason = reason;
	t->selectors = sel;
	t->nselectors = n;
}

/* Formats. */

static void
test_format_names_map_to_formats(void **state)
{
	(void)state;
	assert_int_equal(output_format("lines"), FORMAT_LINES);
	assert_int_equal(output_format("null"), FORMAT_NULL);
	assert_int_equal(output_format("verdict"), FORMAT_VERDICT);
	assert_int_equal(output_format("json"), FORMAT_JSON);
}

static void
test_unknown_format_names_are_refused(void **state)
{
	(void)state;
	assert_int_equal(output_format(""), -1);
	assert_int_equal(output_format("LINES"), -1);
	assert_int_equal(output_format("line"), -1);
	assert_int_equal(output_format("jsonx"), -1);
	assert_int_equal(output_format("0"), -1);
	assert_int_equal(output_format("lines "), -1);
}

/* Unfit selectors. */

static void
test_lines_refuse_every_line_break_and_nul(void **state)
{
	static const struct tally_id broken[] = {
		ID("a\nb"), ID("a\rb"), ID("a\vb"), ID("a\fb"), ID("a\x1c"),
		ID("a\x1d"), ID("a\x1e"), ID("a\xc2\x85"), ID("a\xe2\x80\xa8"),
		ID("a\xe2\x80\xa9"), ID("t.py::x[\n]"),
	};
	struct tally_id ids[2] = { ID("t.py::ok"), ID("") };
	const char *why;
	size_t i, which;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		ids[1] = broken[i];
		which = 99;
		why = output_unfit(FORMAT_LINES, ids, 2, &which);
		if (why == NULL)
			fail_msg("line break #%zu passed as a line", i);
		assert_int_equal(which, 1);
		assert_non_null(strstr(why, "line break"));
		assert_non_null(strstr(why, "-0"));	/* the way out */
	}
	ids[1] = (struct tally_id)ID("a\0b");
	why = output_unfit(FORMAT_LINES, ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "NUL"));
}

static void
test_lines_refuse_a_leading_at_sign(void **state)
{
	static const struct tally_id ids[] = {
		ID("t.py::a@b"), ID("@args.txt"),
	};
	const char *why;
	size_t which = 99;

	(void)state;
	why = output_unfit(FORMAT_LINES, ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "'@'"));
}

static void
test_lines_accept_tabs_spaces_and_lookalikes(void **state)
{
	static const struct tally_id ids[] = {
		ID("t.py::test[a b]"), ID("t.py::test[\t]"),
		ID("t.py::test[\xe2\x80\xa7]"), ID("t.py::x[\xc2\xa0]"),
		ID("t.py::a@b"), ID("t.py::\"'$\\"),
	};
	size_t which;

	(void)state;
	assert_null(output_unfit(FORMAT_LINES, ids, 6, &which));
	assert_null(output_unfit(FORMAT_LINES, NULL, 0, &which));
}

static void
test_null_format_carries_line_breaks_but_not_nul_or_at(void **state)
{
	static const struct tally_id breaks[] = {
		ID("a\nb"), ID("a\rb"), ID("a\xe2\x80\xa8"), ID("a\xc2\x85"),
	};
	struct tally_id ids[2] = { ID("ok"), ID("a\0b") };
	const char *why;
	size_t which = 99;

	(void)state;
	assert_null(output_unfit(FORMAT_NULL, breaks, 4, &which));
	why = output_unfit(FORMAT_NULL, ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "NUL"));
	ids[1] = (struct tally_id)ID("@file");
	why = output_unfit(FORMAT_NULL, ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "'@'"));
}

static void
test_verdict_and_json_carry_anything(void **state)
{
	static const struct tally_id ids[] = {
		ID("a\0b"), ID("@file"), ID("a\nb"), ID("a\xe2\x80\xa8"),
	};
	size_t which;

	(void)state;
	assert_null(output_unfit(FORMAT_VERDICT, ids, 4, &which));
	assert_null(output_unfit(FORMAT_JSON, ids, 4, &which));
}

static void
test_unfit_names_the_first_unfit_selector(void **state)
{
	static const struct tally_id ids[] = {
		ID("ok1"), ID("ok2"), ID("bad\n1"), ID("bad\n2"),
	};
	size_t which = 99;

	(void)state;
	assert_non_null(output_unfit(FORMAT_LINES, ids, 4, &which));
	assert_int_equal(which, 2);
}

/* output_write. */

static void
test_lines_write_each_selector_and_a_newline_on_retry(void **state)
{
	static const struct tally_id ids[] = {
		ID("t.py::a"), ID("t.py::test_p[a::b]"),
		ID("t.py::x[\xc3\xa9 $]"),
	};
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_LINES, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c,
	    "t.py::a\nt.py::test_p[a::b]\nt.py::x[\xc3\xa9 $]\n");
	free(c.buf);
}

static void
test_lines_and_null_write_nothing_unless_retry(void **state)
{
	static const struct tally_id ids[] = { ID("t.py::a") };
	struct capture c;
	struct triage t;
	int v, f;

	(void)state;
	for (f = FORMAT_LINES; f <= FORMAT_NULL; f++)
		for (v = 0; v <= VERDICT_TOO_MANY_FAILURES; v++) {
			if (v == VERDICT_RETRY)
				continue;
			/* even with selectors handed in */
			triage_init(&t, (enum verdict)v, "r", ids, 1);
			capture_open(&c);
			assert_int_equal(output_write(c.fp, (enum format)f, &t),
			    0);
			capture_close(&c);
			assert_int_equal(c.len, 0);
			free(c.buf);
		}
}

static void
test_null_writes_each_selector_and_a_nul(void **state)
{
	static const struct tally_id ids[] = {
		ID("t.py::a"), ID("t.py::b[\n]"), ID("t.py::c[\xe2\x80\xa8]"),
	};
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_NULL, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c,
	    "t.py::a\0t.py::b[\n]\0t.py::c[\xe2\x80\xa8]\0");
	free(c.buf);
}

static void
test_verdict_writes_the_word_and_a_newline_for_each(void **state)
{
	struct capture c;
	struct triage t;
	const char *name;
	int v;

	(void)state;
	for (v = 0; v <= VERDICT_TOO_MANY_FAILURES; v++) {
		triage_init(&t, (enum verdict)v, "r", NULL, 0);
		capture_open(&c);
		assert_int_equal(output_write(c.fp, FORMAT_VERDICT, &t), 0);
		capture_close(&c);
		name = verdict_name((enum verdict)v);
		assert_int_equal(c.len, strlen(name) + 1);
		assert_memory_equal(c.buf, name, strlen(name));
		assert_int_equal(c.buf[c.len - 1], '\n');
		free(c.buf);
	}
}

static void
test_json_of_a_retry_is_one_exact_line(void **state)
{
	static const struct tally_id ids[] = { ID("t.py::a"), ID("t.py::b") };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "2 of 3 tests failed; retrying them",
	    ids, 2);
	t.counts.records = 4;
	t.counts.tests = 3;
	t.counts.passed = 1;
	t.counts.failed = 2;
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_JSON, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"retry\", \"exit_status\": 1, "
	    "\"reason\": \"2 of 3 tests failed; retrying them\", "
	    "\"selectors\": [\"t.py::a\", \"t.py::b\"], "
	    "\"collection_errors\": [], \"counts\": {\"records\": 4, "
	    "\"tests\": 3, \"passed\": 1, \"failed\": 2, \"skipped\": 0, "
	    "\"unknown\": 0}}\n");
	free(c.buf);
}

static void
test_json_lists_collection_errors_once_each(void **state)
{
	struct capture c;
	struct triage t;
	struct tally tally;

	(void)state;
	assert_int_equal(tally_init(&tally, SEED), 0);
	assert_int_equal(tally_record(&tally, "b.py", 4, OUTCOME_FAILED, 1,
	    "E", 1), TALLY_OK);
	assert_int_equal(tally_record(&tally, "t.py::x", 7, OUTCOME_SKIPPED, 0,
	    NULL, 0), TALLY_OK);
	assert_int_equal(tally_record(&tally, "a\"q.py", 6, OUTCOME_FAILED, 1,
	    NULL, 0), TALLY_OK);
	assert_int_equal(tally_record(&tally, "b.py", 4, OUTCOME_FAILED, 1,
	    "E", 1), TALLY_OK);
	triage_init(&t, VERDICT_COLLECTION_ERROR, "2 collection errors", NULL,
	    0);
	t.facts.exit_status = 2;
	t.counts = tally.counts;
	t.tally = &tally;
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_JSON, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"collection-error\", "
	    "\"exit_status\": 2, \"reason\": \"2 collection errors\", "
	    "\"selectors\": [], \"collection_errors\": [\"b.py\", "
	    "\"a\\\"q.py\"], \"counts\": {\"records\": 4, \"tests\": 3, "
	    "\"passed\": 0, \"failed\": 2, \"skipped\": 1, \"unknown\": 0}}\n");
	free(c.buf);
	tally_free(&tally);
}

static void
test_json_without_tally_has_empty_arrays(void **state)
{
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_NO_REPORT, "r.json does not exist", NULL, 0);
	t.facts.exit_status = 137;
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_JSON, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"no-report\", \"exit_status\": "
	    "137, \"reason\": \"r.json does not exist\", \"selectors\": [], "
	    "\"collection_errors\": [], \"counts\": {\"records\": 0, "
	    "\"tests\": 0, \"passed\": 0, \"failed\": 0, \"skipped\": 0, "
	    "\"unknown\": 0}}\n");
	free(c.buf);
}

static const char awkward[] = "q\"b\\n\nr\rt\tz\0o\x01u\x1f"
    "d\x7f" "e\xc3\xa9l\xe2\x80\xa8/";

static void
test_json_escapes_quotes_backslashes_and_controls(void **state)
{
	static const struct tally_id ids[] = { ID(awkward) };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "a \"quoted\"\n reason", ids, 1);
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_JSON, &t), 0);
	capture_close(&c);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"retry\", \"exit_status\": 1, "
	    "\"reason\": \"a \\\"quoted\\\"\\n reason\", \"selectors\": "
	    "[\"q\\\"b\\\\n\\nr\\rt\\tz\\u0000o\\u0001u\\u001f"
	    "d\x7f" "e\xc3\xa9l\xe2\x80\xa8/\"], \"collection_errors\": [], "
	    "\"counts\": {\"records\": 0, \"tests\": 0, \"passed\": 0, "
	    "\"failed\": 0, \"skipped\": 0, \"unknown\": 0}}\n");
	free(c.buf);
}

/* A JSON parser reading the output gets the selector's exact bytes. */
static void
test_json_output_parses_back_to_the_same_bytes(void **state)
{
	static const struct tally_id ids[] = {
		ID(awkward), ID("\b\f\x1b[31m"), ID("t.py::\xf0\x9f\x98\x80"),
	};
	struct json_object *o, *sel, *s;
	struct capture c;
	struct triage t;
	size_t i;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	capture_open(&c);
	assert_int_equal(output_write(c.fp, FORMAT_JSON, &t), 0);
	capture_close(&c);
	assert_int_equal(c.buf[c.len - 1], '\n');
	assert_null(memchr(c.buf, '\n', c.len - 1));	/* one line */
	assert_null(memchr(c.buf, '\0', c.len));
	assert_non_null(o = json_tokener_parse(c.buf));
	assert_true(json_object_object_get_ex(o, "selectors", &sel));
	assert_int_equal(json_object_array_length(sel), 3);
	for (i = 0; i < 3; i++) {
		s = json_object_array_get_idx(sel, i);
		assert_int_equal(json_object_get_string_len(s), ids[i].len);
		assert_memory_equal(json_object_get_string(s), ids[i].id,
		    ids[i].len);
	}
	json_object_put(o);
	free(c.buf);
}

static FILE *
dev_full(void)
{
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		skip();
	assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
	return fp;
}

static void
test_a_write_error_is_reported_for_every_format(void **state)
{
	static const struct tally_id ids[] = { ID("t.py::a") };
	struct triage t;
	FILE *fp;
	int f;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 1);
	for (f = FORMAT_LINES; f <= FORMAT_JSON; f++) {
		fp = dev_full();
		assert_int_equal(output_write(fp, (enum format)f, &t), -1);
		fclose(fp);
	}
}

/* output_collection_errors. */

static void
collection_errors(struct tally *t, size_t n)
{
	char id[64], reason[64];
	size_t i;

	assert_int_equal(tally_init(t, SEED), 0);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "tests/e%zu.py", i);
		snprintf(reason, sizeof(reason), "Error %zu\nTraceback", i);
		assert_int_equal(tally_record(t, id, strlen(id), OUTCOME_FAILED,
		    1, reason, strlen(reason)), TALLY_OK);
	}
}

static void
assert_sentence(const struct tally *t, const char *expect)
{
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(output_collection_errors(&sb, t), 0);
	assert_string_equal(sb.data, expect);
	strbuf_free(&sb);
}

static void
test_one_collection_error_with_its_reason(void **state)
{
	struct tally t;

	(void)state;
	collection_errors(&t, 1);
	assert_sentence(&t, "1 collection error: tests/e0.py (Error 0)");
	tally_free(&t);
}

static void
test_five_collection_errors_are_all_named(void **state)
{
	struct tally t;

	(void)state;
	collection_errors(&t, 5);
	assert_sentence(&t, "5 collection errors: tests/e0.py (Error 0); "
	    "tests/e1.py (Error 1); tests/e2.py (Error 2); tests/e3.py "
	    "(Error 3); tests/e4.py (Error 4)");
	tally_free(&t);
}

static void
test_seven_collection_errors_name_five_and_count_the_rest(void **state)
{
	struct tally t;

	(void)state;
	collection_errors(&t, 7);
	assert_sentence(&t, "7 collection errors: tests/e0.py (Error 0); "
	    "tests/e1.py (Error 1); tests/e2.py (Error 2); tests/e3.py "
	    "(Error 3); tests/e4.py (Error 4); and 2 more");
	tally_free(&t);
}

static void
test_collection_error_without_reason_has_no_parentheses(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "a.py", 4, OUTCOME_FAILED, 1, NULL,
	    0), TALLY_OK);
	assert_int_equal(tally_record(&t, "b.py", 4, OUTCOME_FAILED, 1,
	    "\nsecond line", 12), TALLY_OK);
	assert_sentence(&t, "2 collection errors: a.py; b.py");
	tally_free(&t);
}

static void
test_collection_error_sentence_escapes_ids_and_reasons(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "a\x1b[2J.py", 8, OUTCOME_FAILED, 1,
	    "E\xe2\x80\xa8" "x\x0by\xc2\x85z", 10), TALLY_OK);
	assert_sentence(&t, "1 collection error: a\\x1b[2J.py "
	    "(E\\u2028x\\x0by\\u0085z)");
	tally_free(&t);
}

static void
test_collection_error_sentence_cuts_long_ids(void **state)
{
	struct strbuf sb;
	struct tally t;
	char id[300];

	(void)state;
	memset(id, 'x', sizeof(id));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, id, sizeof(id), OUTCOME_FAILED, 1,
	    NULL, 0), TALLY_OK);
	strbuf_init(&sb);
	assert_int_equal(output_collection_errors(&sb, &t), 0);
	assert_int_equal(sb.len, strlen("1 collection error: ") + 200 + 3);
	assert_memory_equal(sb.data + sb.len - 4, "x...", 4);
	strbuf_free(&sb);
	tally_free(&t);
}

/* output_triage: facts to verdict to output. */

struct triaged {
	int rc;
	struct capture out, err;
	char errbuf[1024];	/* what went to stderr itself */
};

/* Run output_triage with stdout and stderr captured; stderr is the
 * process's, where pytriage's own errors go. */
static void
triage_run(struct triaged *r, enum format format, uint64_t max,
    int exit_status, enum report_status status,
    const struct report_error *rerr, const struct tally *t,
    const char *missing, int quiet)
{
	struct run_options opt;
	FILE *tmp;
	int saved;
	size_t n;

	opt.format = format;
	opt.max_failures = max;
	capture_open(&r->out);
	capture_open(&r->err);
	assert_non_null(tmp = tmpfile());
	fflush(stderr);
	assert_true((saved = dup(2)) >= 0);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	r->rc = output_triage(r->out.fp, quiet ? NULL : r->err.fp, &opt,
	    exit_status, status, rerr, t, missing);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	rewind(tmp);
	n = fread(r->errbuf, 1, sizeof(r->errbuf) - 1, tmp);
	r->errbuf[n] = '\0';
	fclose(tmp);
	capture_close(&r->out);
	capture_close(&r->err);
}

static void
triage_free(struct triaged *r)
{
	free(r->out.buf);
	free(r->err.buf);
}

static void
three_tests(struct tally *t)
{
	assert_int_equal(tally_init(t, SEED), 0);
	assert_int_equal(tally_record(t, "t.py::a", 7, OUTCOME_FAILED, 0, NULL,
	    0), TALLY_OK);
	assert_int_equal(tally_record(t, "t.py::b", 7, OUTCOME_PASSED, 0, NULL,
	    0), TALLY_OK);
	assert_int_equal(tally_record(t, "t.py::c", 7, OUTCOME_FAILED, 0, NULL,
	    0), TALLY_OK);
}

static void
test_triage_retry_writes_selectors_and_a_summary(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	three_tests(&t);
	triage_run(&r, FORMAT_LINES, 0, 1, REPORT_READ_OK, &rerr, &t, NULL, 0);
	assert_int_equal(r.rc, 0);
	ASSERT_CAPTURED(&r.out, "t.py::a\nt.py::c\n");
	ASSERT_CAPTURED(&r.err,
	    "pytriage: retry: 2 of 3 tests failed; retrying them\n");
	assert_string_equal(r.errbuf, "");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_quiet_retry_prints_nothing_on_stderr(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	three_tests(&t);
	triage_run(&r, FORMAT_NULL, 0, 1, REPORT_READ_OK, &rerr, &t, NULL, 1);
	assert_int_equal(r.rc, 0);
	ASSERT_CAPTURED(&r.out, "t.py::a\0t.py::c\0");
	assert_int_equal(r.err.len, 0);
	assert_string_equal(r.errbuf, "");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_too_many_failures_is_terminal_and_quiet(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	three_tests(&t);
	triage_run(&r, FORMAT_LINES, 1, 1, REPORT_READ_OK, &rerr, &t, NULL, 0);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.out.len, 0);
	ASSERT_CAPTURED(&r.err, "pytriage: too-many-failures: 2 tests failed, "
	    "more than --max-failures 1\n");
	triage_free(&r);
	/* max 2: exactly at the limit is a retry */
	triage_run(&r, FORMAT_VERDICT, 2, 1, REPORT_READ_OK, &rerr, &t, NULL,
	    1);
	assert_int_equal(r.rc, 0);
	ASSERT_CAPTURED(&r.out, "retry\n");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_passed_is_silent(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "t.py::a", 7, OUTCOME_PASSED, 0,
	    NULL, 0), TALLY_OK);
	triage_run(&r, FORMAT_LINES, 0, 0, REPORT_READ_OK, &rerr, &t, NULL, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.len, 0);
	assert_int_equal(r.err.len, 0);
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_bad_report_names_where(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	rerr.offset = 40;
	rerr.record = 1;
	strcpy(rerr.key, "name");
	strcpy(rerr.what, "name is not a string");
	three_tests(&t);
	triage_run(&r, FORMAT_JSON, 0, 1, REPORT_READ_BAD, &rerr, &t, NULL, 0);
	assert_int_equal(r.rc, 1);
	ASSERT_CAPTURED(&r.err, "pytriage: bad-report: at byte 40 (record 1, "
	    "key \"name\"): name is not a string\n");
	/* the counts cover what was read before the fault */
	ASSERT_CAPTURED(&r.out, "{\"verdict\": \"bad-report\", \"exit_status\":"
	    " 1, \"reason\": \"at byte 40 (record 1, key \\\"name\\\"): name is"
	    " not a string\", \"selectors\": [], \"collection_errors\": [], "
	    "\"counts\": {\"records\": 3, \"tests\": 3, \"passed\": 1, "
	    "\"failed\": 2, \"skipped\": 0, \"unknown\": 0}}\n");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_no_report_names_the_missing_file(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	assert_int_equal(tally_init(&t, SEED), 0);
	triage_run(&r, FORMAT_VERDICT, 0, 1, REPORT_READ_EMPTY, &rerr, &t,
	    "report.json", 0);
	assert_int_equal(r.rc, 1);
	ASSERT_CAPTURED(&r.out, "no-report\n");
	ASSERT_CAPTURED(&r.err,
	    "pytriage: no-report: report.json does not exist\n");
	triage_free(&r);
	triage_run(&r, FORMAT_VERDICT, 0, 1, REPORT_READ_EMPTY, &rerr, &t,
	    NULL, 0);
	ASSERT_CAPTURED(&r.err, "pytriage: no-report: the report is empty\n");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_collection_error_beats_exit_0(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "e.py", 4, OUTCOME_FAILED, 1,
	    "ImportError: x\ny", 16), TALLY_OK);
	triage_run(&r, FORMAT_LINES, 0, 0, REPORT_READ_OK, &rerr, &t, NULL, 0);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.out.len, 0);
	ASSERT_CAPTURED(&r.err, "pytriage: collection-error: 1 collection "
	    "error: e.py (ImportError: x)\n");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_unfit_selector_writes_nothing_and_exits_2(void **state)
{
	struct report_error rerr;
	struct triaged r;
	struct tally t;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "t.py::ok", 8, OUTCOME_FAILED, 0,
	    NULL, 0), TALLY_OK);
	assert_int_equal(tally_record(&t, "t.py::x[\n]", 10, OUTCOME_FAILED,
	    0, NULL, 0), TALLY_OK);
	triage_run(&r, FORMAT_LINES, 0, 1, REPORT_READ_OK, &rerr, &t, NULL, 1);
	assert_int_equal(r.rc, OUTPUT_TROUBLE);
	assert_int_equal(r.out.len, 0);	/* not even the fit one */
	/* the error goes to stderr even with -q, the ID escaped */
	assert_non_null(strstr(r.errbuf, "t.py::x[\\n]"));
	assert_non_null(strstr(r.errbuf, "-0"));
	assert_int_equal(strchr(r.errbuf, '\n') - r.errbuf,
	    (ptrdiff_t)strlen(r.errbuf) - 1);	/* one line */
	triage_free(&r);
	/* with -0 the same selectors travel */
	triage_run(&r, FORMAT_NULL, 0, 1, REPORT_READ_OK, &rerr, &t, NULL, 1);
	assert_int_equal(r.rc, 0);
	ASSERT_CAPTURED(&r.out, "t.py::ok\0t.py::x[\n]\0");
	triage_free(&r);
	tally_free(&t);
}

static void
test_triage_write_error_exits_2(void **state)
{
	struct run_options opt = { FORMAT_LINES, 0 };
	struct report_error rerr;
	struct tally t;
	FILE *full, *tmp;
	int saved, rc;

	(void)state;
	memset(&rerr, 0, sizeof(rerr));
	three_tests(&t);
	/* buffered: the write fails at the flush */
	full = fopen("/dev/full", "w");
	if (full == NULL)
		skip();
	assert_non_null(tmp = tmpfile());
	fflush(stderr);
	assert_true((saved = dup(2)) >= 0);
	assert_int_equal(dup2(fileno(tmp), 2), 2);
	rc = output_triage(full, NULL, &opt, 1, REPORT_READ_OK, &rerr, &t,
	    NULL);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	fclose(tmp);
	fclose(full);
	assert_int_equal(rc, OUTPUT_TROUBLE);
	tally_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names_map_to_formats),
		cmocka_unit_test(test_unknown_format_names_are_refused),
		cmocka_unit_test(test_lines_refuse_every_line_break_and_nul),
		cmocka_unit_test(test_lines_refuse_a_leading_at_sign),
		cmocka_unit_test(test_lines_accept_tabs_spaces_and_lookalikes),
		cmocka_unit_test(
		    test_null_format_carries_line_breaks_but_not_nul_or_at),
		cmocka_unit_test(test_verdict_and_json_carry_anything),
		cmocka_unit_test(test_unfit_names_the_first_unfit_selector),
		cmocka_unit_test(
		    test_lines_write_each_selector_and_a_newline_on_retry),
		cmocka_unit_test(
		    test_lines_and_null_write_nothing_unless_retry),
		cmocka_unit_test(test_null_writes_each_selector_and_a_nul),
		cmocka_unit_test(
		    test_verdict_writes_the_word_and_a_newline_for_each),
		cmocka_unit_test(test_json_of_a_retry_is_one_exact_line),
		cmocka_unit_test(test_json_lists_collection_errors_once_each),
		cmocka_unit_test(test_json_without_tally_has_empty_arrays),
		cmocka_unit_test(
		    test_json_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(
		    test_json_output_parses_back_to_the_same_bytes),
		cmocka_unit_test(
		    test_a_write_error_is_reported_for_every_format),
		cmocka_unit_test(test_one_collection_error_with_its_reason),
		cmocka_unit_test(test_five_collection_errors_are_all_named),
		cmocka_unit_test(
		    test_seven_collection_errors_name_five_and_count_the_rest),
		cmocka_unit_test(
		    test_collection_error_without_reason_has_no_parentheses),
		cmocka_unit_test(
		    test_collection_error_sentence_escapes_ids_and_reasons),
		cmocka_unit_test(test_collection_error_sentence_cuts_long_ids),
		cmocka_unit_test(
		    test_triage_retry_writes_selectors_and_a_summary),
		cmocka_unit_test(
		    test_triage_quiet_retry_prints_nothing_on_stderr),
		cmocka_unit_test(
		    test_triage_too_many_failures_is_terminal_and_quiet),
		cmocka_unit_test(test_triage_passed_is_silent),
		cmocka_unit_test(test_triage_bad_report_names_where),
		cmocka_unit_test(test_triage_no_report_names_the_missing_file),
		cmocka_unit_test(test_triage_collection_error_beats_exit_0),
		cmocka_unit_test(
		    test_triage_unfit_selector_writes_nothing_and_exits_2),
		cmocka_unit_test(test_triage_write_error_exits_2),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
