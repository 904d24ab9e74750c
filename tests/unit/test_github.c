/*
 * test_github.c: the github format, GitHub Actions workflow commands.
 *
 * Exact bytes for every kind of verdict and for the escapes; then every
 * line read back the way the Actions runner reads a command (its parse
 * and unescape, written out below), which must give back the node ID,
 * path, line and message; the limit of ten error annotations; cut titles
 * and messages.  Output is captured with open_memstream(3) (unit.h); a
 * write error is an end-to-end case (tests/golden/format.test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"
#include "unit.h"

#define ELLIPSIS	"\xe2\x80\xa6"

static void
run(struct written *o, const struct triage *t)
{
	write_with(o, write_github, t, 1000000);
}

/* Exact bytes. */

static const struct triage_test retry_failed[] = {
	TM("t/a.py::test_x[1]", "t/a.py", 12, "AssertionError: assert 1 == 2"),
	T("t/b.py::test_y"),
};
static const struct triage_test one_flaky[] = { T("t.py::f") };
static const struct triage_test one_failed[] = {
	TM("t.py::a", "t.py", 3, "assert 0"),
};
static const struct triage_test one_error[] = {
	TM("t/e.py", "t/e.py", 0, "ImportError: No module named 'x'"),
};
static const struct triage_test one_more[] = { T("t/a.py::t") };
static const struct triage_test escaped[] = {
	TM("t.py::a%b,c:d\r\ne", "p%,:.py", 7, "100% of 50%0A,: done\r\n"),
	TM("t.py::c", "t.py", 1, "a\0b\x1b[31m\tc\x7f"),
	T("t.py::\x01\x1f"),
};
static const struct triage_test places[] = {
	TM("t.py::a", "t.py", 2147483647, ""),
	TM("t.py::b", "t.py", 2147483648u, ""),
	TM("t.py::c", "=t.py", 4, ""),
	TM("t.py::d", "", 4, ""),
	TM("t.py::e", "t.py", 0, ""),
};
/* Files as the workspace /w names them, from its directory "here". */
static const struct triage_test workspace_files[] = {
	TM("t.py::a", "/w/sub/t.py", 3, "assert 0"),
	TM("t.py::b", "/w2/t.py", 4, "assert 0"),
	TM("t.py::c", "/w", 5, "assert 0"),
	TM("t.py::d", "../t.py", 6, "assert 0"),
	TM("t.py::e", "./sub/../../t.py", 7, "assert 0"),
	TM("t.py::f", "./t.py", 8, "assert 0"),
};
/* Sites, where a failure passed through the test's file, from "sub". */
static const struct triage_test sites[] = {
	/* A crash in a library: the site in the test's file wins. */
	TS("t.py::a", "/usr/lib/lib.py", 90, "t.py", 12, "E"),
	/* A site outside the workspace: no file, not the crash's. */
	TS("t.py::b", "/w/lib.py", 7, "/elsewhere/t.py", 3, "E"),
	/* A site of unknown line: the file alone. */
	TS("t.py::c", "/w/lib.py", 7, "/w/t.py", 0, "E"),
	/* No site: the failure's own place. */
	TS("t.py::d", "/w/lib.py", 7, "", 0, "E"),
};
static const struct triage_test site_flaky[] = {
	TS("t.py::f", "/w/lib.py", 7, "t.py", 5, "E"),
};

static const struct writer_case annotations[] = {
	{ "retry annotates each failed test", VERDICT_RETRY,
	    "2 of 9 tests failed; retrying them", { 0 },
	    LIST(failed, retry_failed),
	    .want = "::error title=failed%3A t/a.py%3A%3Atest_x[1],file=t/a.py,"
	    "line=12::AssertionError: assert 1 == 2\n"
	    "::error title=failed%3A t/b.py%3A%3Atest_y::t/b.py::test_y\n"
	    "::notice title=pytriage%3A retry::2 of 9 tests failed; "
	    "retrying them\n" },
	{ "passed is a notice after a warning per flaky test", VERDICT_PASSED,
	    "9 tests, none failed", { 0 }, LIST(flaky, one_flaky),
	    .want = "::warning title=flaky%3A t.py%3A%3Af::t.py::f\n"
	    "::notice title=pytriage%3A passed::9 tests, none failed\n" },
	{ "a terminal verdict is an error", VERDICT_SIGNAL,
	    "pytest was killed by SIGKILL (exit 137)", { 0 },
	    .want = "::error title=pytriage%3A signal::pytest was killed "
	    "by SIGKILL (exit 137)\n" },
	{ "a terminal verdict after the failed tests", VERDICT_INCONSISTENT,
	    "pytest exited 0, but 1 of 1 test failed in the report", { 0 },
	    LIST(failed, one_failed),
	    .want = "::error title=failed%3A t.py%3A%3Aa,file=t.py,line=3::"
	    "assert 0\n"
	    "::error title=pytriage%3A inconsistent::pytest exited 0, but 1 "
	    "of 1 test failed in the report\n" },
	{ "without a reason the verdict's name says it", VERDICT_NO_TESTS,
	    "", { 0 },
	    .want = "::error title=pytriage%3A no-tests::no-tests\n" },
	{ "collection errors come first", VERDICT_COLLECTION_ERROR,
	    "1 collection error: t/e.py (ImportError: No module named 'x')",
	    { 0 }, LIST(failed, one_more), LIST(errors, one_error),
	    .want = "::error title=collection error%3A t/e.py,file=t/e.py::"
	    "ImportError: No module named 'x'\n"
	    "::error title=failed%3A t/a.py%3A%3At::t/a.py::t\n"
	    "::error title=pytriage%3A collection-error::1 collection error: "
	    "t/e.py (ImportError: No module named 'x')\n" },
	{ "escapes as the runner unescapes", VERDICT_RETRY, "50% done\n:,",
	    { 0 }, LIST(failed, escaped),
	    .want = "::error title=failed%3A t.py%3A%3Aa%25b%2Cc%3Ad%0D%0Ae,"
	    "file=p%25%2C%3A.py,line=7::100%25 of 50%250A,: done%0D%0A\n"
	    "::error title=failed%3A t.py%3A%3Ac,file=t.py,line=1::"
	    "a\xe2\x90\x80" "b\xe2\x90\x9b[31m\tc\xe2\x90\xa1\n"
	    "::error title=failed%3A t.py%3A%3A\xe2\x90\x81\xe2\x90\x9f::"
	    "t.py::\xe2\x90\x81\xe2\x90\x9f\n"
	    "::notice title=pytriage%3A retry::50%25 done%0A:,\n" },
	{ "file and line only when the runner can read them", VERDICT_RETRY,
	    "r", { 0 }, LIST(failed, places),
	    .want = "::error title=failed%3A t.py%3A%3Aa,file=t.py,"
	    "line=2147483647::t.py::a\n"
	    "::error title=failed%3A t.py%3A%3Ab,file=t.py::t.py::b\n"
	    "::error title=failed%3A t.py%3A%3Ac::t.py::c\n"
	    "::error title=failed%3A t.py%3A%3Ad::t.py::d\n"
	    "::error title=failed%3A t.py%3A%3Ae,file=t.py::t.py::e\n"
	    "::notice title=pytriage%3A retry::r\n" },
	{ "a file only inside the workspace", VERDICT_RETRY, "r", { 0 },
	    LIST(failed, workspace_files), .cwd = "here",
	    .want = "::error title=failed%3A t.py%3A%3Aa,file=sub/t.py,line=3::"
	    "assert 0\n"
	    "::error title=failed%3A t.py%3A%3Ab::assert 0\n"
	    "::error title=failed%3A t.py%3A%3Ac::assert 0\n"
	    "::error title=failed%3A t.py%3A%3Ad::assert 0\n"
	    "::error title=failed%3A t.py%3A%3Ae::assert 0\n"
	    "::error title=failed%3A t.py%3A%3Af,file=here/t.py,line=8::"
	    "assert 0\n"
	    "::notice title=pytriage%3A retry::r\n" },
	{ "the site names file and line", VERDICT_RETRY, "r", { 0 },
	    LIST(failed, sites), LIST(flaky, site_flaky), .cwd = "sub",
	    .want = "::error title=failed%3A t.py%3A%3Aa,file=sub/t.py,"
	    "line=12::E\n"
	    "::error title=failed%3A t.py%3A%3Ab::E\n"
	    "::error title=failed%3A t.py%3A%3Ac,file=t.py::E\n"
	    "::error title=failed%3A t.py%3A%3Ad,file=lib.py,line=7::E\n"
	    "::warning title=flaky%3A t.py%3A%3Af,file=sub/t.py,line=5::E\n"
	    "::notice title=pytriage%3A retry::r\n" },
};

static void
test_annotations(void **state)
{
	check_writer_case(write_github, *state, 1000000);
}

/* The runner's reading. */

struct command {
	char *name;
	char *title, *file, *line;	/* NULL when absent */
	char *data;
};

static char *
copy(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	assert_non_null(p);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Replace every from with to, left to right, as String.Replace does. */
static void
replace(char *s, const char *from, char to)
{
	size_t n = strlen(from);
	char *r = s, *w = s;

	while (*r != '\0') {
		if (strncmp(r, from, n) == 0) {
			*w++ = to;
			r += n;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

/* The runner's UnescapeProperty and UnescapeData, in its order. */
static void
unescape(char *s, int property)
{
	replace(s, "%0D", '\r');
	replace(s, "%0A", '\n');
	if (property) {
		replace(s, "%3A", ':');
		replace(s, "%2C", ',');
	}
	replace(s, "%25", '%');
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/*
 * One line as the runner's ActionCommand.TryParseV2 reads it: "::", the
 * command up to a blank, properties (trimmed, split at ',', each at its
 * first '=', empty parts dropped) up to the next "::", then the data.
 */
static void
parse(const char *line, size_t len, struct command *c)
{
	const char *info, *end, *p, *q, *comma, *eq;
	size_t infolen;

	memset(c, 0, sizeof(*c));
	assert_true(len >= 4 && memcmp(line, "::", 2) == 0);
	info = line + 2;
	end = NULL;
	for (p = info; p + 1 < line + len; p++)
		if (p[0] == ':' && p[1] == ':') {
			end = p;
			break;
		}
	assert_non_null(end);
	infolen = (size_t)(end - info);
	q = memchr(info, ' ', infolen);
	c->name = copy(info, q != NULL ? (size_t)(q - info) : infolen);
	if (q != NULL) {
		p = q + 1;
		while (p < end && blank(*p))
			p++;
		q = end;
		while (q > p && blank(q[-1]))
			q--;
		for (; p < q; p = comma + 1) {
			comma = memchr(p, ',', (size_t)(q - p));
			if (comma == NULL)
				comma = q;
			eq = memchr(p, '=', (size_t)(comma - p));
			if (eq == NULL || eq == p || eq + 1 == comma)
				continue;
			if ((size_t)(eq - p) == 5 && memcmp(p, "title", 5) == 0)
				unescape(c->title = copy(eq + 1,
				    (size_t)(comma - eq - 1)), 1);
			else if ((size_t)(eq - p) == 4 &&
			    memcmp(p, "file", 4) == 0)
				unescape(c->file = copy(eq + 1,
				    (size_t)(comma - eq - 1)), 1);
			else if ((size_t)(eq - p) == 4 &&
			    memcmp(p, "line", 4) == 0)
				unescape(c->line = copy(eq + 1,
				    (size_t)(comma - eq - 1)), 1);
			else
				fail_msg("unknown property in %.*s", (int)len,
				    line);
		}
	}
	unescape(c->data = copy(end + 2, (size_t)(line + len - end - 2)), 0);
}

static void
command_free(struct command *c)
{
	free(c->name);
	free(c->title);
	free(c->file);
	free(c->line);
	free(c->data);
}

static void
assert_str(const char *got, const char *want, size_t len)
{
	if (got == NULL || strlen(got) != len || memcmp(got, want, len) != 0)
		fail_msg("read back \"%s\", want \"%.*s\"",
		    got == NULL ? "(none)" : got, (int)len, want);
}

static void
test_runner_reads_back_every_node_id_and_message(void **state)
{
	static const struct triage_test failed[] = {
		TM("%0A", "%0A.py", 1, "%0A"),
		TM("%250A%2525", "%25.py", 2, "%250A%2525"),
		TM("%", "%", 3, "%%"),
		TM("t.py::a,b=c", "a,b=c.py", 4, "x=y,z"),
		TM("title=x,file=y", "t.py", 5, "::error::injected"),
		TM("%3A%2C:,", "%3A%2C:,", 6, "%3A%2C:,"),
		TM("x\n::error::injected", "x\ny.py", 7, "a\nb\r\nc\rd"),
		TM("  lead and trail  ", "t.py", 8, "  lead and trail  "),
		TM("t.py::x[\xe2\x80\xa8\xc2\x85]", "t.py", 9, "\xe2\x80\xa9"),
		TM("::", "::", 10, "::"),
	};
	struct triage t = hand_triage(VERDICT_RETRY, "r", NULL);
	struct command c;
	struct written o;
	char want[256], lines[32];
	const char *p, *nl;
	size_t i = 0, n;

	(void)state;
	t.failed = failed;
	t.nfailed = N(failed);
	run(&o, &t);
	assert_int_equal(o.rc, 0);
	for (p = o.buf; i < N(failed); p = nl + 1, i++) {
		nl = memchr(p, '\n', o.len - (size_t)(p - o.buf));
		assert_non_null(nl);
		parse(p, (size_t)(nl - p), &c);
		assert_string_equal(c.name, "error");
		n = (size_t)snprintf(want, sizeof(want), "failed: %.*s",
		    (int)failed[i].id_len, failed[i].id);
		assert_str(c.title, want, n);
		assert_str(c.file, failed[i].path, failed[i].path_len);
		snprintf(lines, sizeof(lines), "%d", (int)failed[i].line);
		assert_string_equal(c.line, lines);
		assert_str(c.data, failed[i].message, failed[i].message_len);
		command_free(&c);
	}
	/* Nothing split a line: the verdict is the last. */
	assert_string_equal(p, "::notice title=pytriage%3A retry::r\n");
	free(o.buf);
}

static void
test_long_title_is_cut_and_the_message_names_the_node_id(void **state)
{
	char id[300], eid[399], msg[5000], want[8192];
	struct triage_test failed[3];
	struct triage t = hand_triage(VERDICT_RETRY, "r", NULL);
	struct command c;
	struct written o;
	const char *p, *nl;
	size_t i, n;

	(void)state;
	memset(id, 'a', sizeof(id));
	for (i = 0; i < sizeof(eid); i += 3)
		memcpy(eid + i, "\xe2\x82\xac", 3);
	memset(msg, '%', sizeof(msg));
	memset(failed, 0, sizeof(failed));
	failed[0].id = id;
	failed[0].id_len = sizeof(id);
	failed[0].message = "E";
	failed[0].message_len = 1;
	failed[1].id = eid;
	failed[1].id_len = sizeof(eid);
	failed[2].id = "t.py::m";
	failed[2].id_len = 7;
	failed[2].message = msg;
	failed[2].message_len = sizeof(msg);
	t.failed = failed;
	t.nfailed = 3;
	run(&o, &t);
	assert_int_equal(o.rc, 0);

	/* 255 bytes: "failed: ", 244 bytes of the node ID, "…"; then the
	 * whole node ID, a line break, the message. */
	p = o.buf;
	nl = strchr(p, '\n');
	parse(p, (size_t)(nl - p), &c);
	n = (size_t)snprintf(want, sizeof(want), "failed: %.244s" ELLIPSIS,
	    id);
	assert_int_equal(n, 255);
	assert_str(c.title, want, n);
	n = (size_t)snprintf(want, sizeof(want), "%.300s\nE", id);
	assert_str(c.data, want, n);
	command_free(&c);

	/* Three-byte characters: 81 whole ones fit in 244 bytes. */
	p = nl + 1;
	nl = strchr(p, '\n');
	parse(p, (size_t)(nl - p), &c);
	n = (size_t)snprintf(want, sizeof(want), "failed: %.243s" ELLIPSIS,
	    eid);
	assert_str(c.title, want, n);
	assert_str(c.data, eid, sizeof(eid));
	command_free(&c);

	/* 4096 bytes as the runner counts them: 4093 '%' and "…". */
	p = nl + 1;
	nl = strchr(p, '\n');
	parse(p, (size_t)(nl - p), &c);
	assert_str(c.title, "failed: t.py::m", 15);
	memset(want, '%', 4093);
	memcpy(want + 4093, ELLIPSIS, 3);
	assert_str(c.data, want, 4096);
	command_free(&c);
	free(o.buf);
}

/* The ten annotations. */

static size_t
count_lines(const struct written *o, const char *prefix)
{
	const char *p = o->buf, *end = o->buf + o->len;
	size_t n = 0, len = strlen(prefix);

	for (; p < end; p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1)
		if ((size_t)(end - p) >= len && memcmp(p, prefix, len) == 0)
			n++;
	return n;
}

static const char *
last_lines(const struct written *o, int k)
{
	const char *p = o->buf + o->len - 1;

	while (p > o->buf && (p[-1] != '\n' || --k > 0))
		p--;
	return p;
}

static void
test_at_most_ten_error_annotations(void **state)
{
	static const struct {
		enum verdict v;
		size_t nerrors, nfailed, errors_shown;
		const char *notice;
	} cases[] = {
		{ VERDICT_RETRY, 0, 10, 10, NULL },
		{ VERDICT_RETRY, 0, 11, 10,
		    "::notice::1 more failed test, not annotated: GitHub shows "
		    "at most 10 error annotations per step\n" },
		{ VERDICT_RETRY, 0, 25, 10,
		    "::notice::15 more failed tests, not annotated: GitHub "
		    "shows at most 10 error annotations per step\n" },
		/* A terminal verdict keeps one for itself. */
		{ VERDICT_TOO_MANY_FAILURES, 0, 9, 10, NULL },
		{ VERDICT_TOO_MANY_FAILURES, 0, 25, 10,
		    "::notice::16 more failed tests, not annotated: GitHub "
		    "shows at most 10 error annotations per step\n" },
		{ VERDICT_COLLECTION_ERROR, 12, 3, 10,
		    "::notice::3 more collection errors and 3 more failed "
		    "tests, not annotated: GitHub shows at most 10 error "
		    "annotations per step\n" },
		{ VERDICT_COLLECTION_ERROR, 10, 0, 10,
		    "::notice::1 more collection error, not annotated: GitHub "
		    "shows at most 10 error annotations per step\n" },
		{ VERDICT_COLLECTION_ERROR, 4, 20, 10,
		    "::notice::15 more failed tests, not annotated: GitHub "
		    "shows at most 10 error annotations per step\n" },
	};
	static struct triage_test tests[25];
	static char ids[25][16];
	struct triage t;
	struct written o;
	const char *last, *first;
	size_t i, k;

	(void)state;
	for (i = 0; i < 25; i++) {
		tests[i].id = ids[i];
		tests[i].id_len = (size_t)snprintf(ids[i], sizeof(ids[i]),
		    "t.py::t%zu", i);
	}
	for (k = 0; k < N(cases); k++) {
		t = hand_triage(cases[k].v, "r", NULL);
		t.errors = tests;
		t.nerrors = cases[k].nerrors;
		t.failed = tests;
		t.nfailed = cases[k].nfailed;
		run(&o, &t);
		assert_int_equal(o.rc, 0);
		if (count_lines(&o, "::error ") != cases[k].errors_shown)
			fail_msg("case %zu: %zu ::error lines:\n%s", k,
			    count_lines(&o, "::error "), o.buf);
		assert_int_equal(count_lines(&o, "::notice::"),
		    cases[k].notice != NULL);
		if (cases[k].notice != NULL) {
			last = last_lines(&o, 2);
			assert_memory_equal(last, cases[k].notice,
			    strlen(cases[k].notice));
		}
		/* Collection errors first, then failed tests, in order. */
		first = cases[k].nerrors > 0 ?
		    "::error title=collection error%3A t.py%3A%3At0::" :
		    "::error title=failed%3A t.py%3A%3At0::";
		assert_memory_equal(o.buf, first, strlen(first));
		last = last_lines(&o, 1);
		first = verdict_exit(cases[k].v) ?
		    "::error title=pytriage%3A " : "::notice title=pytriage%3A ";
		assert_memory_equal(last, first, strlen(first));
		free(o.buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_runner_reads_back_every_node_id_and_message),
		cmocka_unit_test(
		    test_long_title_is_cut_and_the_message_names_the_node_id),
		cmocka_unit_test(test_at_most_ten_error_annotations),
	};

	return run_table("github: annotations", TABLE(annotations),
	    test_annotations) +
	    cmocka_run_group_tests_name("github", tests, NULL, NULL);
}
