/*
 * test_output.c: the output formats, the check that selectors fit the
 * chosen one, and the writers of lines, null, verdict and json, on
 * triages built by hand: a writer prints what it is given and decides
 * nothing.
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

#include <cmocka.h>
#include <json-c/json.h>

#include "output.h"
#include "unit.h"
#include "triage.h"
#include "verdict.h"

#define T(s)	{ (s), sizeof(s) - 1, "", 0, "", 0, 0, "", 0, 0 }

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

/* A triage of a collector's report that exited 1. */
static void
triage_init(struct triage *t, enum verdict v, const char *reason,
    const struct triage_test *failed, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->verdict = v;
	t->input = INPUT_COLLECTOR;
	t->exit_status = 1;
	t->reason = reason;
	t->failed = failed;
	t->nfailed = n;
}

/* What a format writes for this triage. */
static void
write_as(struct capture *c, const char *format, const struct triage *t)
{
	static const struct write_options o = { 1000000, NULL, NULL };
	const struct format *f;

	assert_non_null(f = output_format(format));
	capture_open(c);
	assert_int_equal(f->write(c->fp, one_step(t), &o), 0);
	capture_close(c);
}

/* Formats. */

static void
test_format_names_map_to_their_writers(void **state)
{
	const struct format *f;

	(void)state;
	assert_non_null(f = output_format("lines"));
	assert_string_equal(f->name, "lines");
	assert_ptr_equal(f->write, write_lines);
	assert_true(f->arguments && f->line_ends && !f->messages);
	assert_non_null(f = output_format("null"));
	assert_ptr_equal(f->write, write_null);
	assert_true(f->arguments && !f->line_ends && !f->messages);
	assert_non_null(f = output_format("verdict"));
	assert_ptr_equal(f->write, write_verdict);
	assert_true(!f->arguments && !f->messages);
	assert_non_null(f = output_format("json"));
	assert_ptr_equal(f->write, write_json);
	assert_true(!f->arguments && !f->messages);
	assert_non_null(strstr(output_format_names(), "lines"));
	assert_non_null(strstr(output_format_names(), "json"));
}

static void
test_unknown_format_names_are_refused(void **state)
{
	(void)state;
	assert_null(output_format(""));
	assert_null(output_format("LINES"));
	assert_null(output_format("line"));
	assert_null(output_format("jsonx"));
	assert_null(output_format("0"));
	assert_null(output_format("lines "));
}

/* Unfit selectors. */

static const char *
unfit(const char *format, const struct triage_test *ids, size_t n,
    size_t *which)
{
	return output_unfit(output_format(format), ids, n, which);
}

static void
test_lines_refuse_every_line_break_and_nul(void **state)
{
	static const struct triage_test broken[] = {
		T("a\nb"), T("a\rb"), T("a\vb"), T("a\fb"), T("a\x1c"),
		T("a\x1d"), T("a\x1e"), T("a\xc2\x85"), T("a\xe2\x80\xa8"),
		T("a\xe2\x80\xa9"), T("t.py::x[\n]"),
	};
	struct triage_test ids[2] = { T("t.py::ok"), T("") };
	const char *why;
	size_t i, which;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		ids[1] = broken[i];
		which = 99;
		why = unfit("lines", ids, 2, &which);
		if (why == NULL)
			fail_msg("line break #%zu passed as a line", i);
		assert_int_equal(which, 1);
		assert_non_null(strstr(why, "line break"));
		assert_non_null(strstr(why, "-0"));	/* the way out */
	}
	ids[1] = (struct triage_test)T("a\0b");
	why = unfit("lines", ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "NUL"));
}

static void
test_lines_refuse_a_leading_at_sign(void **state)
{
	static const struct triage_test ids[] = {
		T("t.py::a@b"), T("@args.txt"),
	};
	const char *why;
	size_t which = 99;

	(void)state;
	why = unfit("lines", ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "'@'"));
}

/* pytest reads a line of an @file that starts with '-' as an option, and
 * nothing in such a file can say otherwise; xargs -0 can (--). */
static void
test_lines_refuse_a_leading_dash_and_null_carries_it(void **state)
{
	static const struct triage_test ids[] = {
		T("t.py::a-b"), T("-k"), T("--x.py"),
	};
	const char *why;
	size_t which = 99;

	(void)state;
	why = unfit("lines", ids, 3, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "'-'"));
	assert_non_null(strstr(why, "-0"));
	assert_null(unfit("null", ids, 3, &which));
}

static void
test_lines_accept_tabs_spaces_and_lookalikes(void **state)
{
	static const struct triage_test ids[] = {
		T("t.py::test[a b]"), T("t.py::test[\t]"),
		T("t.py::test[\xe2\x80\xa7]"), T("t.py::x[\xc2\xa0]"),
		T("t.py::a@b"), T("t.py::\"'$\\"), T("t.py::a[-1]"),
	};
	size_t which;

	(void)state;
	assert_null(unfit("lines", ids, 7, &which));
	assert_null(unfit("lines", NULL, 0, &which));
}

static void
test_null_format_carries_line_breaks_but_not_nul_or_at(void **state)
{
	static const struct triage_test breaks[] = {
		T("a\nb"), T("a\rb"), T("a\xe2\x80\xa8"), T("a\xc2\x85"),
	};
	struct triage_test ids[2] = { T("ok"), T("a\0b") };
	const char *why;
	size_t which = 99;

	(void)state;
	assert_null(unfit("null", breaks, 4, &which));
	why = unfit("null", ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "NUL"));
	ids[1] = (struct triage_test)T("@file");
	why = unfit("null", ids, 2, &which);
	assert_non_null(why);
	assert_int_equal(which, 1);
	assert_non_null(strstr(why, "'@'"));
}

static void
test_verdict_and_json_carry_anything(void **state)
{
	static const struct triage_test ids[] = {
		T("a\0b"), T("@file"), T("a\nb"), T("a\xe2\x80\xa8"), T("-x"),
	};
	size_t which;

	(void)state;
	assert_null(unfit("verdict", ids, 5, &which));
	assert_null(unfit("json", ids, 5, &which));
}

static void
test_unfit_names_the_first_unfit_selector(void **state)
{
	static const struct triage_test ids[] = {
		T("ok1"), T("ok2"), T("bad\n1"), T("@bad2"),
	};
	size_t which = 99;

	(void)state;
	assert_non_null(unfit("lines", ids, 4, &which));
	assert_int_equal(which, 2);
	assert_non_null(unfit("null", ids, 4, &which));
	assert_int_equal(which, 3);
}

/* The writers. */

static void
test_lines_write_each_selector_and_a_newline_on_retry(void **state)
{
	static const struct triage_test ids[] = {
		T("t.py::a"), T("t.py::test_p[a::b]"),
		T("t.py::x[\xc3\xa9 $]"),
	};
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	write_as(&c, "lines", &t);
	ASSERT_CAPTURED(&c,
	    "t.py::a\nt.py::test_p[a::b]\nt.py::x[\xc3\xa9 $]\n");
	free(c.buf);
}

static void
test_lines_and_null_write_nothing_unless_retry(void **state)
{
	static const struct triage_test ids[] = { T("t.py::a") };
	static const char *const formats[] = { "lines", "null" };
	struct capture c;
	struct triage t;
	int v, f;

	(void)state;
	for (f = 0; f < 2; f++)
		for (v = 0; v <= VERDICT_TOO_MANY_FAILURES; v++) {
			if (v == VERDICT_RETRY)
				continue;
			/* even with failed tests handed in */
			triage_init(&t, (enum verdict)v, "r", ids, 1);
			write_as(&c, formats[f], &t);
			assert_int_equal(c.len, 0);
			free(c.buf);
		}
}

static void
test_null_writes_each_selector_and_a_nul(void **state)
{
	static const struct triage_test ids[] = {
		T("t.py::a"), T("t.py::b[\n]"), T("t.py::c[\xe2\x80\xa8]"),
	};
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	write_as(&c, "null", &t);
	ASSERT_CAPTURED(&c,
	    "t.py::a\0t.py::b[\n]\0t.py::c[\xe2\x80\xa8]\0");
	free(c.buf);
}

static void
test_a_retry_with_no_selectors_writes_nothing(void **state)
{
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", NULL, 0);
	write_as(&c, "lines", &t);
	assert_int_equal(c.len, 0);
	free(c.buf);
	write_as(&c, "null", &t);
	assert_int_equal(c.len, 0);
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
		write_as(&c, "verdict", &t);
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
	static const struct triage_test ids[] = { T("t.py::a"), T("t.py::b") };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "2 of 3 tests failed; retrying them",
	    ids, 2);
	t.counts.records = 4;
	t.counts.tests = 3;
	t.counts.passed = 1;
	t.counts.failed = 2;
	write_as(&c, "json", &t);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"retry\", \"exit_status\": 1, "
	    "\"input\": \"collector\", "
	    "\"reason\": \"2 of 3 tests failed; retrying them\", "
	    "\"selectors\": [\"t.py::a\", \"t.py::b\"], \"flaky\": [], "
	    "\"collection_errors\": [], \"counts\": {\"records\": 4, "
	    "\"tests\": 3, \"passed\": 1, \"failed\": 2, \"skipped\": 0, "
	    "\"unknown\": 0}, \"attempts\": [], \"tests\": []}\n");
	free(c.buf);
}

static void
test_json_of_a_log_lists_flaky_tests(void **state)
{
	static const struct triage_test failed[] = { T("t.py::c") };
	static const struct triage_test flaky[] = { T("t.py::a"),
	    T("t.py::b[\"x\"]") };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "1 of 4 tests failed; retrying them",
	    failed, 1);
	t.input = INPUT_REPORTLOG;
	t.flaky = flaky;
	t.nflaky = 2;
	t.counts.records = 17;
	t.counts.tests = 4;
	t.counts.passed = 2;
	t.counts.failed = 1;
	t.counts.skipped = 1;
	write_as(&c, "json", &t);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"retry\", \"exit_status\": 1, "
	    "\"input\": \"reportlog\", "
	    "\"reason\": \"1 of 4 tests failed; retrying them\", "
	    "\"selectors\": [\"t.py::c\"], \"flaky\": [\"t.py::a\", "
	    "\"t.py::b[\\\"x\\\"]\"], \"collection_errors\": [], "
	    "\"counts\": {\"records\": 17, \"tests\": 4, \"passed\": 2, "
	    "\"failed\": 1, \"skipped\": 1, \"unknown\": 0}, \"attempts\": [], \"tests\": []}\n");
	free(c.buf);
}

/* Flaky tests and collection errors are listed whatever the verdict;
 * selectors only for a retry. */
static void
test_json_lists_collection_errors_and_no_selectors(void **state)
{
	static const struct triage_test failed[] = { T("b.py"), T("a\"q.py") };
	static const struct triage_test errors[] = {
		{ "b.py", 4, "E", 1, "", 0, 0, "", 0, 0 },
		{ "a\"q.py", 6, "", 0, "", 0, 0, "", 0, 0 },
	};
	static const struct triage_test flaky[] = { T("t.py::f") };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_COLLECTION_ERROR, "2 collection errors",
	    failed, 2);
	t.exit_status = 2;
	t.errors = errors;
	t.nerrors = 2;
	t.flaky = flaky;
	t.nflaky = 1;
	t.counts.records = 4;
	t.counts.tests = 4;
	t.counts.passed = 1;
	t.counts.failed = 2;
	t.counts.skipped = 1;
	write_as(&c, "json", &t);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"collection-error\", "
	    "\"exit_status\": 2, \"input\": \"collector\", "
	    "\"reason\": \"2 collection errors\", "
	    "\"selectors\": [], \"flaky\": [\"t.py::f\"], "
	    "\"collection_errors\": [\"b.py\", \"a\\\"q.py\"], "
	    "\"counts\": {\"records\": 4, \"tests\": 4, \"passed\": 1, "
	    "\"failed\": 2, \"skipped\": 1, \"unknown\": 0}, \"attempts\": [], \"tests\": []}\n");
	free(c.buf);
}

static void
test_json_without_a_report_has_null_input_and_empty_arrays(void **state)
{
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_NO_REPORT, "r.json does not exist", NULL, 0);
	t.input = INPUT_NONE;
	t.exit_status = 137;
	write_as(&c, "json", &t);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"no-report\", \"exit_status\": "
	    "137, \"input\": null, \"reason\": \"r.json does not exist\", "
	    "\"selectors\": [], \"flaky\": [], \"collection_errors\": [], "
	    "\"counts\": {\"records\": 0, \"tests\": 0, \"passed\": 0, "
	    "\"failed\": 0, \"skipped\": 0, \"unknown\": 0}, \"attempts\": [], \"tests\": []}\n");
	free(c.buf);
}

static const char awkward[] = "q\"b\\n\nr\rt\tz\0o\x01u\x1f"
    "d\x7f" "e\xc3\xa9l\xe2\x80\xa8/";

static void
test_json_escapes_quotes_backslashes_and_controls(void **state)
{
	static const struct triage_test ids[] = { T(awkward) };
	struct capture c;
	struct triage t;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "a \"quoted\"\n reason", ids, 1);
	write_as(&c, "json", &t);
	ASSERT_CAPTURED(&c, "{\"verdict\": \"retry\", \"exit_status\": 1, "
	    "\"input\": \"collector\", "
	    "\"reason\": \"a \\\"quoted\\\"\\n reason\", \"selectors\": "
	    "[\"q\\\"b\\\\n\\nr\\rt\\tz\\u0000o\\u0001u\\u001f"
	    "d\x7f" "e\xc3\xa9l\xe2\x80\xa8/\"], \"flaky\": [], "
	    "\"collection_errors\": [], "
	    "\"counts\": {\"records\": 0, \"tests\": 0, \"passed\": 0, "
	    "\"failed\": 0, \"skipped\": 0, \"unknown\": 0}, \"attempts\": [], \"tests\": []}\n");
	free(c.buf);
}

/* A JSON parser reading the output gets every node ID's exact bytes, in
 * the keys and order the interface promises. */
static void
test_json_output_parses_back_to_the_same_bytes(void **state)
{
	static const struct triage_test ids[] = {
		T(awkward), T("\b\f\x1b[31m"), T("t.py::\xf0\x9f\x98\x80"),
	};
	static const char *const keys[] = {
		"verdict", "exit_status", "input", "reason", "selectors",
		"flaky", "collection_errors", "counts", "attempts", "tests",
	};
	static const char *const arrays[] = {
		"selectors", "flaky", "collection_errors",
	};
	struct json_object *o, *sel, *s;
	struct capture c;
	struct triage t;
	size_t i, k;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 3);
	t.flaky = ids;
	t.nflaky = 3;
	t.errors = ids;
	t.nerrors = 3;
	write_as(&c, "json", &t);
	assert_int_equal(c.buf[c.len - 1], '\n');
	assert_null(memchr(c.buf, '\n', c.len - 1));	/* one line */
	assert_null(memchr(c.buf, '\0', c.len));
	assert_non_null(o = json_tokener_parse(c.buf));
	i = 0;
	{
		json_object_object_foreach(o, key, val) {
			(void)val;
			assert_true(i < sizeof(keys) / sizeof(keys[0]));
			assert_string_equal(key, keys[i]);
			i++;
		}
	}
	assert_int_equal(i, sizeof(keys) / sizeof(keys[0]));
	for (k = 0; k < 3; k++) {
		assert_true(json_object_object_get_ex(o, arrays[k], &sel));
		assert_int_equal(json_object_array_length(sel), 3);
		for (i = 0; i < 3; i++) {
			s = json_object_array_get_idx(sel, i);
			assert_int_equal(json_object_get_string_len(s),
			    ids[i].id_len);
			assert_memory_equal(json_object_get_string(s),
			    ids[i].id, ids[i].id_len);
		}
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
test_a_write_error_is_reported_by_every_writer(void **state)
{
	static const struct triage_test ids[] = { T("t.py::a") };
	static const char *const formats[] = {
		"lines", "null", "verdict", "json",
	};
	static const struct write_options o = { 1000000, NULL, NULL };
	struct triage t;
	FILE *fp;
	size_t f;

	(void)state;
	triage_init(&t, VERDICT_RETRY, "r", ids, 1);
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		fp = dev_full();
		if (output_format(formats[f])->write(fp, one_step(&t), &o) != -1)
			fail_msg("%s: no write error", formats[f]);
		fclose(fp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names_map_to_their_writers),
		cmocka_unit_test(test_unknown_format_names_are_refused),
		cmocka_unit_test(test_lines_refuse_every_line_break_and_nul),
		cmocka_unit_test(test_lines_refuse_a_leading_at_sign),
		cmocka_unit_test(
		    test_lines_refuse_a_leading_dash_and_null_carries_it),
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
		cmocka_unit_test(test_a_retry_with_no_selectors_writes_nothing),
		cmocka_unit_test(
		    test_verdict_writes_the_word_and_a_newline_for_each),
		cmocka_unit_test(test_json_of_a_retry_is_one_exact_line),
		cmocka_unit_test(test_json_of_a_log_lists_flaky_tests),
		cmocka_unit_test(
		    test_json_lists_collection_errors_and_no_selectors),
		cmocka_unit_test(
		    test_json_without_a_report_has_null_input_and_empty_arrays),
		cmocka_unit_test(
		    test_json_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(
		    test_json_output_parses_back_to_the_same_bytes),
		cmocka_unit_test(
		    test_a_write_error_is_reported_by_every_writer),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
