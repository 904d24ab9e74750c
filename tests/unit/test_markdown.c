/*
 * test_markdown.c: the markdown format.
 *
 * Exact bytes of small documents for every kind of verdict, code spans
 * for node IDs built to break Markdown (read back by the CommonMark rules
 * for code spans, written out here), the visible escapes, and the size
 * limit: cut and dropped messages, 100,000 failures, the first 1,000
 * failed node IDs, a limit too small, and every limit over a range.
 * Output is captured with open_memstream(3) (unit.h); a write error is
 * an end-to-end case (tests/golden/format.test).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
#include "output.h"

#define COUNTS(r, t, p, f, s, u) \
	"### Counts\n\n" \
	"| records | tests | passed | failed | skipped | unknown |\n" \
	"|--:|--:|--:|--:|--:|--:|\n" \
	"| " #r " | " #t " | " #p " | " #f " | " #s " | " #u " |\n"

/* U+2026, after a cut message. */
#define ELLIPSIS	"\xe2\x80\xa6"

static void
render(struct written *d, const struct triage *t, uint64_t max)
{
	write_with(d, write_markdown, t, max);
}

static size_t
occurrences(const char *s, size_t len, const char *what)
{
	size_t n = 0, w = strlen(what), i;

	for (i = 0; i + w <= len; i++)
		if (memcmp(s + i, what, w) == 0)
			n++;
	return n;
}

static int
ends_with(const struct written *d, const char *s)
{
	size_t n = strlen(s);

	return d->len >= n && memcmp(d->buf + d->len - n, s, n) == 0;
}

/* Whole UTF-8 characters only (the writer must never split one). */
static int
valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;

	while (i < len) {
		n = p[i] < 0x80 ? 1 : p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 :
		    p[i] >= 0xc0 ? 2 : 0;
		if (n == 0 || i + n > len)
			return 0;
		for (k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += n;
	}
	return 1;
}

/* Documents, exactly. */

static const struct triage_test retry_failed[] = {
	TM("t/a.py::test_x[1]", "t/a.py", 12, "AssertionError: assert 1 == 2"),
	T("t/a.py::test_y"),
	TM("t/b.py::test_w", "t/helpers.py", 7, ""),
};
static const struct triage_test retry_flaky[] = { T("t/c.py::test_z") };
static const struct triage_test one_failed[] = {
	TM("t.py::t", "elsewhere.py", 0, "E"),
};
static const struct triage_test two_flaky[] = {
	T("t/c.py::test_z"), T("t/c.py::test_q"),
};
static const struct triage_test not_retried[] = {
	TM("t.py::a", "t.py", 3, "assert 0"), T("t.py::b"),
};
static const struct triage_test two_errors[] = {
	TM("t/e.py", "t/e.py", 0, "ImportError: No module named 'x'"),
	T("t/f.py"),
};
static const struct triage_test one_more[] = { T("t/a.py::t") };

static const struct writer_case documents[] = {
	{ "retry lists failed and flaky tests", VERDICT_RETRY,
	    "3 of 9 tests failed; retrying them", { 10, 9, 6, 3, 0, 0 },
	    LIST(failed, retry_failed), LIST(flaky, retry_flaky),
	    .want = "**pytest: 3 of 9 tests failed; retrying them**\n"
	    "\n"
	    "### Retrying 3 failed tests\n"
	    "\n"
	    "- `t/a.py::test_x[1]` at line 12\\\n"
	    "  `AssertionError: assert 1 == 2`\n"
	    "- `t/a.py::test_y`\n"
	    "- `t/b.py::test_w` at `t/helpers.py:7`\n"
	    "\n"
	    "### 1 flaky test: failed, then passed\n"
	    "\n"
	    "- `t/c.py::test_z`\n"
	    "\n"
	    COUNTS(10, 9, 6, 3, 0, 0) },
	{ "retry of one test", VERDICT_RETRY, "", { 1, 1, 0, 1, 0, 0 },
	    LIST(failed, one_failed),
	    .want = "**pytest: 1 of 1 test failed; retrying it**\n"
	    "\n"
	    "### Retrying 1 failed test\n"
	    "\n"
	    "- `t.py::t` at `elsewhere.py`\\\n"
	    "  `E`\n"
	    "\n"
	    COUNTS(1, 1, 0, 1, 0, 0) },
	{ "passed says nothing to retry", VERDICT_PASSED,
	    "5 tests, none failed", { 7, 5, 5, 0, 0, 0 },
	    .want = "**pytest passed: 5 tests, nothing to retry**\n"
	    "\n"
	    COUNTS(7, 5, 5, 0, 0, 0) },
	{ "passed lists the flaky tests", VERDICT_PASSED,
	    "5 tests, none failed", { 7, 5, 5, 0, 0, 0 },
	    LIST(flaky, two_flaky),
	    .want = "**pytest passed: 5 tests, nothing to retry**\n"
	    "\n"
	    "### 2 flaky tests: failed, then passed\n"
	    "\n"
	    "- `t/c.py::test_z`\n"
	    "- `t/c.py::test_q`\n"
	    "\n"
	    COUNTS(7, 5, 5, 0, 0, 0) },
	{ "terminal verdict without failed tests", VERDICT_SIGNAL,
	    "pytest was killed by SIGKILL (exit 137)", { 3, 3, 3, 0, 0, 0 },
	    .want = "**Do not retry: signal** \xe2\x80\x94 "
	    "`pytest was killed by SIGKILL (exit 137)`\n"
	    "\n"
	    COUNTS(3, 3, 3, 0, 0, 0) },
	{ "terminal verdict lists failed tests not retried",
	    VERDICT_TOO_MANY_FAILURES,
	    "2 tests failed, more than --max-failures 1", { 2, 2, 0, 2, 0, 0 },
	    LIST(failed, not_retried),
	    .want = "**Do not retry: too many failures** \xe2\x80\x94 "
	    "`2 tests failed, more than --max-failures 1`\n"
	    "\n"
	    "### 2 failed tests, not retried\n"
	    "\n"
	    "- `t.py::a` at line 3\\\n"
	    "  `assert 0`\n"
	    "- `t.py::b`\n"
	    "\n"
	    COUNTS(2, 2, 0, 2, 0, 0) },
	{ "collection errors come first with their message",
	    VERDICT_COLLECTION_ERROR,
	    "2 collection errors: t/e.py (ImportError: No module named 'x'); "
	    "t/f.py", { 4, 2, 1, 1, 0, 0 },
	    LIST(failed, one_more), LIST(errors, two_errors),
	    .want = "**Do not retry: collection error** \xe2\x80\x94 "
	    "`2 collection errors: t/e.py (ImportError: No module named 'x'); "
	    "t/f.py`\n"
	    "\n"
	    "### 2 collection errors\n"
	    "\n"
	    "- `t/e.py`\\\n"
	    "  `ImportError: No module named 'x'`\n"
	    "- `t/f.py`\n"
	    "\n"
	    "### 1 failed test, not retried\n"
	    "\n"
	    "- `t/a.py::t`\n"
	    "\n"
	    COUNTS(4, 2, 1, 1, 0, 0) },
};

static void
test_document(void **state)
{
	check_writer_case(write_markdown, *state, 1000000);
}

static void
test_every_terminal_verdict_reads_in_words(void **state)
{
	static const struct {
		enum verdict v;
		const char *line;
	} words[] = {
		{ VERDICT_COLLECTION_ERROR, "collection error" },
		{ VERDICT_INTERRUPTED, "interrupted" },
		{ VERDICT_INTERNAL_ERROR, "internal error" },
		{ VERDICT_USAGE_ERROR, "usage error" },
		{ VERDICT_NO_TESTS, "no tests" },
		{ VERDICT_MAX_WARNINGS, "max warnings" },
		{ VERDICT_SIGNAL, "signal" },
		{ VERDICT_EXIT_STATUS, "exit status" },
		{ VERDICT_BAD_REPORT, "bad report" },
		{ VERDICT_NO_REPORT, "no report" },
		{ VERDICT_INCOMPLETE, "incomplete" },
		{ VERDICT_INCONSISTENT, "inconsistent" },
		{ VERDICT_UNRECORDED_FAILURE, "unrecorded failure" },
		{ VERDICT_TOO_MANY_FAILURES, "too many failures" },
	};
	struct triage_counts c = { 0, 0, 0, 0, 0, 0 };
	struct triage t;
	struct written d;
	char want[512];
	size_t i, n;

	(void)state;
	for (i = 0; i < N(words); i++) {
		/* No reason: the first line is the verdict alone. */
		t = hand_triage(words[i].v, "", &c);
		render(&d, &t, 1000000);
		n = (size_t)snprintf(want, sizeof(want),
		    "**Do not retry: %s**\n\n" COUNTS(0, 0, 0, 0, 0, 0),
		    words[i].line);
		assert_written(&d, want, n);
		written_free(&d);
	}
}

static void
test_location_in_words_only_when_the_node_id_names_the_path(void **state)
{
	static const struct {
		struct triage_test tt;
		const char *line;
	} where[] = {
		{ TM("t/a.py::x", "t/a.py", 3, ""), "- `t/a.py::x` at line 3\n" },
		{ TM("t/a.py", "t/a.py", 3, ""), "- `t/a.py` at line 3\n" },
		{ TM("t/a.py::x", "t/a.py", 0, ""), "- `t/a.py::x`\n" },
		{ TM("t/a.pyc::x", "t/a.py", 3, ""),
		    "- `t/a.pyc::x` at `t/a.py:3`\n" },
		{ TM("t/a.py:x", "t/a.py", 3, ""),
		    "- `t/a.py:x` at `t/a.py:3`\n" },
		{ TM("t/a", "t/a.py", 3, ""), "- `t/a` at `t/a.py:3`\n" },
		{ TM("x::t/a.py", "t/a.py", 0, ""), "- `x::t/a.py` at `t/a.py`\n" },
		{ TM("t/a.py::x", "", 5, ""), "- `t/a.py::x` at line 5\n" },
		{ TM("t/a.py::x", "", 18446744073709551615u, ""),
		    "- `t/a.py::x` at line 18446744073709551615\n" },
	};
	static const char before[] =
	    "**pytest: 1 of 1 test failed; retrying it**\n\n"
	    "### Retrying 1 failed test\n\n";
	struct triage_counts c = { 1, 1, 0, 1, 0, 0 };
	struct triage t = hand_triage(VERDICT_RETRY, "", &c);
	struct written d;
	size_t i, n;

	(void)state;
	t.nfailed = 1;
	for (i = 0; i < N(where); i++) {
		t.failed = &where[i].tt;
		render(&d, &t, 0);
		assert_int_equal(d.rc, 0);
		n = strlen(where[i].line);
		if (d.len < sizeof(before) - 1 + n ||
		    memcmp(d.buf + sizeof(before) - 1, where[i].line, n) != 0)
			fail_msg("#%zu: wrote %s", i, d.buf);
		written_free(&d);
	}
}

/* Code spans. */

/*
 * The text CommonMark reads from an item line "- SPAN\n": the opening
 * and closing backtick runs of equal length, no run of that length
 * inside, then one space off each end when both ends are spaces and not
 * everything is.  -1 when the line is not one such span.
 */
static int
read_item(const char *line, size_t len, const char **text, size_t *tlen)
{
	const char *s = line + 2;
	size_t n = len - 3, f = 0, g = 0, i, run = 0, spaces = 0;

	if (len < 5 || memcmp(line, "- ", 2) != 0 || line[len - 1] != '\n')
		return -1;
	while (f < n && s[f] == '`')
		f++;
	while (g < n - f && s[n - 1 - g] == '`')
		g++;
	if (f == 0 || f != g)
		return -1;
	s += f;
	n -= 2 * f;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] == '`') {
			run++;
			continue;
		}
		if (run == f)
			return -1;
		run = 0;
	}
	for (i = 0; i < n; i++)
		if (s[i] == ' ')
			spaces++;
	if (n >= 2 && s[0] == ' ' && s[n - 1] == ' ' && spaces < n) {
		s++;
		n -= 2;
	}
	*text = s;
	*tlen = n;
	return 0;
}

/* t, a retry of one failed test out of one: tt, named id, with the
 * message msg (none: NULL, 0). */
static void
retry_one(struct triage *t, struct triage_test *tt, const char *id,
    size_t id_len, const char *msg, size_t msg_len)
{
	static const struct triage_counts c = { 1, 1, 0, 1, 0, 0 };

	*t = hand_triage(VERDICT_RETRY, "", &c);
	memset(tt, 0, sizeof(*tt));
	tt->id = id;
	tt->id_len = id_len;
	tt->message = msg;
	tt->message_len = msg_len;
	t->failed = tt;
	t->nfailed = 1;
}

/* The item line of a document with the one failed test id. */
static void
one_item(struct written *d, const char *id, size_t len, const char **line,
    size_t *llen)
{
	static const char before[] =
	    "**pytest: 1 of 1 test failed; retrying it**\n\n"
	    "### Retrying 1 failed test\n\n";
	static const char after[] = "\n" COUNTS(1, 1, 0, 1, 0, 0);
	struct triage t;
	struct triage_test tt;

	retry_one(&t, &tt, id, len, NULL, 0);
	render(d, &t, 0);
	assert_int_equal(d->rc, 0);
	assert_true(d->len > sizeof(before) + sizeof(after));
	assert_memory_equal(d->buf, before, sizeof(before) - 1);
	assert_memory_equal(d->buf + d->len - (sizeof(after) - 1), after,
	    sizeof(after) - 1);
	*line = d->buf + sizeof(before) - 1;
	*llen = d->len - (sizeof(before) - 1) - (sizeof(after) - 1);
}

static void
test_code_span_fences_and_padding(void **state)
{
	static const struct {
		const char *id, *line;
	} spans[] = {
		{ "t.py::x", "- `t.py::x`\n" },
		{ "a`b", "- ``a`b``\n" },
		{ "a``b", "- `a``b`\n" },
		{ "a`b``c", "- ```a`b``c```\n" },
		{ "`a``b```c", "- ```` `a``b```c ````\n" },
		{ "`", "- `` ` ``\n" },
		{ "``", "- ` `` `\n" },
		{ "`a", "- `` `a ``\n" },
		{ "a`", "- `` a` ``\n" },
		{ " a ", "- `  a  `\n" },
		{ " a", "- `  a `\n" },
		{ "a ", "- ` a  `\n" },
		{ "   ", "- `   `\n" },
		{ " ", "- ` `\n" },
		{ "a\\", "- `a\\`\n" },
		{ "\\`", "- `` \\` ``\n" },
		{ "|a|", "- `|a|`\n" },
		{ "<b>&amp;", "- `<b>&amp;`\n" },
	};
	struct written d;
	const char *line, *text;
	size_t i, llen, tlen;

	(void)state;
	for (i = 0; i < N(spans); i++) {
		one_item(&d, spans[i].id, strlen(spans[i].id), &line, &llen);
		if (llen != strlen(spans[i].line) ||
		    memcmp(line, spans[i].line, llen) != 0)
			fail_msg("%s: wrote %.*s", spans[i].id, (int)llen,
			    line);
		assert_int_equal(read_item(line, llen, &text, &tlen), 0);
		assert_int_equal(tlen, strlen(spans[i].id));
		assert_memory_equal(text, spans[i].id, tlen);
		written_free(&d);
	}
}

static void
test_hostile_node_ids_read_back_as_themselves(void **state)
{
	static const char *const ids[] = {
		"t.py::test[`]", "``````````````````", "`starts", "ends`",
		" leading", "trailing ", "trailing two  ", "  x  ",
		"t.py::test[|a|b|]", "<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>", "&amp;&#10;&#96;&lt;",
		"*em* _em_ **b** __b__ ~~s~~", "[l](http://e.example/)",
		"![i](x.png)", "# heading", "1. ordered", "- bullet",
		"> quote", "---", "    code", "\\", "a\\", "user@example.com",
		"www.example.com", "https://example.com", "<http://e.example>",
		":smile: @user #1", "t.py::x[\xf0\x9f\x98\x80]", "` ` `",
		"`` ``` ````", "x ```", "``` x",
	};
	struct written d;
	const char *line, *text;
	size_t i, llen, tlen;

	(void)state;
	for (i = 0; i < N(ids); i++) {
		one_item(&d, ids[i], strlen(ids[i]), &line, &llen);
		if (read_item(line, llen, &text, &tlen) != 0 ||
		    tlen != strlen(ids[i]) || memcmp(text, ids[i], tlen) != 0)
			fail_msg("%s: wrote %.*s", ids[i], (int)llen, line);
		written_free(&d);
	}
}

static void
test_fence_longer_than_every_run_length_tracked(void **state)
{
	/* Runs of 1, 2, ..., 4095 backticks: the shortest fence not among
	 * them is 4096. */
	size_t run, k, len = 0, llen, tlen, cap = 4095 * 4096 / 2 + 4096;
	char *id = malloc(cap);
	struct written d;
	const char *line, *text;

	(void)state;
	assert_non_null(id);
	for (run = 1; run < 4096; run++) {
		for (k = 0; k < run; k++)
			id[len++] = '`';
		id[len++] = 'x';
	}
	one_item(&d, id, len, &line, &llen);
	assert_int_equal(llen, 2 + 2 * 4096 + 2 + len + 1);
	assert_int_equal(read_item(line, llen, &text, &tlen), 0);
	assert_int_equal(tlen, len);
	assert_memory_equal(text, id, len);
	written_free(&d);
	free(id);
}

#define PIC(c)	"\xe2\x90" c	/* U+2400 + c: a Control Picture */

static void
test_line_breaks_and_controls_become_visible_escapes(void **state)
{
	static const struct {
		const char *id;
		size_t len;
		const char *line;
	} escapes[] = {
		{ "a\nb", 3, "- `a" PIC("\x8a") "b`\n" },
		{ "a\rb", 3, "- `a" PIC("\x8d") "b`\n" },
		{ "a\r\nb", 4, "- `a" PIC("\x8d") PIC("\x8a") "b`\n" },
		{ "a\0b", 3, "- `a" PIC("\x80") "b`\n" },
		{ "\t", 1, "- `" PIC("\x89") "`\n" },
		{ "\x1b[31m", 5, "- `" PIC("\x9b") "[31m`\n" },
		{ "\x01\x1f\x7f", 3,
		    "- `" PIC("\x81") PIC("\x9f") "\xe2\x90\xa1`\n" },
		{ "\v\f", 2, "- `" PIC("\x8b") PIC("\x8c") "`\n" },
		{ "\n", 1, "- `" PIC("\x8a") "`\n" },
		{ " \n ", 3, "- `  " PIC("\x8a") "  `\n" },
		{ "a\xc2\x85" "b", 4, "- `a\\u0085b`\n" },
		{ "\xc2\x80\xc2\x9f", 4, "- `\\u0080\\u009f`\n" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", 6, "- `\\u2028\\u2029`\n" },
		{ "a\xe2\x80\xae" "b", 5, "- `a\\u202eb`\n" },
		{ "\xe2\x80\xaa\xe2\x80\x8e\xe2\x80\x8f", 9,
		    "- `\\u202a\\u200e\\u200f`\n" },
		{ "\xe2\x81\xa6\xe2\x81\xa9\xd8\x9c", 8,
		    "- `\\u2066\\u2069\\u061c`\n" },
		/* Neighbours that stand for themselves. */
		{ "\xc2\xa0\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5", 11,
		    "- `\xc2\xa0\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5`\n" },
		{ "", 0, "- (empty node ID)\n" },
	};
	struct written d;
	const char *line;
	size_t i, llen;

	(void)state;
	for (i = 0; i < N(escapes); i++) {
		one_item(&d, escapes[i].id, escapes[i].len, &line, &llen);
		if (llen != strlen(escapes[i].line) ||
		    memcmp(line, escapes[i].line, llen) != 0)
			fail_msg("#%zu: wrote %.*s", i, (int)llen, line);
		written_free(&d);
	}
}

static void
test_hostile_paths_messages_and_reason_stay_in_code(void **state)
{
	static const struct triage_test failed[] = {
		TM("t.py::a", "x`y|z.py", 9, "E ``` <b>\n# no\r\n- no"),
		TM("t.py::b", " x.py", 2, "`"),
	};
	struct triage_counts c = { 2, 2, 0, 2, 0, 0 };
	struct triage t = hand_triage(VERDICT_INCONSISTENT,
	    "a@b.example `x` <i>", &c);
	struct written d;

	(void)state;
	t.failed = failed;
	t.nfailed = N(failed);
	render(&d, &t, 0);
	ASSERT_WRITTEN(&d,
	    "**Do not retry: inconsistent** \xe2\x80\x94 "
	    "``a@b.example `x` <i>``\n"
	    "\n"
	    "### 2 failed tests, not retried\n"
	    "\n"
	    "- `t.py::a` at ``x`y|z.py:9``\\\n"
	    "  `E ``` <b>" PIC("\x8a") "# no" PIC("\x8d") PIC("\x8a")
	    "- no`\n"
	    "- `t.py::b` at `  x.py:2 `\\\n"
	    "  `` ` ``\n"
	    "\n"
	    COUNTS(2, 2, 0, 2, 0, 0));
	written_free(&d);
}

/* Size. */

static uint64_t
full_size(const struct triage *t)
{
	struct written d;
	uint64_t n;

	render(&d, t, 0);
	assert_int_equal(d.rc, 0);
	n = d.len;
	written_free(&d);
	return n;
}

static void
test_messages_are_cut_then_dropped(void **state)
{
	static const char head[] =
	    "**pytest: 1 of 1 test failed; retrying it**\n\n"
	    "### Retrying 1 failed test\n\n"
	    "- `t.py::t` at line 5";
	static const char tail[] = "\n" COUNTS(1, 1, 0, 1, 0, 0);
	char msg[600], want[2048];
	struct triage t;
	struct triage_test tt;
	struct written d;
	uint64_t full;
	size_t n;
	int cap;

	(void)state;
	memset(msg, 'x', sizeof(msg));
	retry_one(&t, &tt, "t.py::t", 7, msg, sizeof(msg));
	tt.path = "t.py";
	tt.path_len = 4;
	tt.line = 5;

	full = full_size(&t);
	assert_int_equal(full, sizeof(head) - 1 + 5 + 600 + 2 +
	    sizeof(tail) - 1);
	render(&d, &t, full);
	assert_int_equal(d.len, full);
	written_free(&d);

	/* One byte less: the message is cut to 512 bytes, and so on down
	 * to 32; below that it is gone, and the location with it. */
	render(&d, &t, full - 1);
	assert_int_equal(d.rc, 0);
	assert_non_null(strstr(d.buf, "`" ELLIPSIS "\n"));
	assert_int_equal(d.len, full - 600 + 512 + 3);
	written_free(&d);
	for (cap = 512; cap >= 32; cap /= 2) {
		n = (size_t)snprintf(want, sizeof(want), "%s\\\n  `%.*s`"
		    ELLIPSIS "\n%s", head, cap, msg, tail);
		render(&d, &t, n);
		assert_written(&d, want, n);
		written_free(&d);
	}
	render(&d, &t, n - 1);
	ASSERT_WRITTEN(&d,
	    "**pytest: 1 of 1 test failed; retrying it**\n\n"
	    "### Retrying 1 failed test\n\n"
	    "- `t.py::t`\n"
	    "\n" COUNTS(1, 1, 0, 1, 0, 0));
	written_free(&d);
}

static void
test_cut_keeps_whole_characters(void **state)
{
	/* 400 euro signs, 3 bytes each: 512 bytes end inside the 171st. */
	char msg[1200];
	struct triage t;
	struct triage_test tt;
	struct written d;
	const char *span;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msg); i += 3)
		memcpy(msg + i, "\xe2\x82\xac", 3);
	retry_one(&t, &tt, "t.py::t", 7, msg, sizeof(msg));
	render(&d, &t, full_size(&t) - 1);
	assert_int_equal(d.rc, 0);
	assert_true(valid_utf8(d.buf, d.len));
	assert_non_null(span = strstr(d.buf, "\\\n  `"));
	span += 5;
	assert_memory_equal(span, msg, 510);
	assert_memory_equal(span + 510, "`" ELLIPSIS "\n", 5);
	written_free(&d);
}

static void
test_megabyte_message_fits_the_limit(void **state)
{
	size_t len = 1 << 20, i;
	char *msg = malloc(len);
	struct triage t;
	struct triage_test tt;
	struct written d;

	(void)state;
	assert_non_null(msg);
	for (i = 0; i < len; i++)
		msg[i] = "ab`|<\xc3\xa9\n"[i % 8];
	retry_one(&t, &tt, "t.py::t", 7, msg, len);

	render(&d, &t, 0);		/* no limit */
	assert_int_equal(d.rc, 0);
	assert_true(d.len > len);
	assert_int_equal(occurrences(d.buf, d.len, ELLIPSIS), 0);
	written_free(&d);

	render(&d, &t, 1000000);
	assert_int_equal(d.rc, 0);
	assert_true(d.len <= 1000000);
	assert_int_equal(occurrences(d.buf, d.len, "`" ELLIPSIS "\n"), 1);
	assert_true(valid_utf8(d.buf, d.len));
	assert_true(ends_with(&d, COUNTS(1, 1, 0, 1, 0, 0)));
	written_free(&d);
	free(msg);
}

/*
 * Each list in the document says how many it has in its heading; its
 * items and "and N more" must add up to that.
 */
static void
assert_lists_add_up(const struct written *d)
{
	const char *p = d->buf, *end = d->buf + d->len, *nl;
	unsigned long total = 0, items = 0, more = 0;
	int in_list = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		if (strncmp(p, "### ", 4) == 0 && strncmp(p, "### Counts", 10)) {
			total = strtoul(p + 4 + (strncmp(p + 4, "Retrying ",
			    9) == 0 ? 9 : 0), NULL, 10);
			assert_true(total > 0);
			items = more = 0;
			in_list = 1;
		} else if (in_list && strncmp(p, "- and ", 6) == 0)
			more = strtoul(p + 6, NULL, 10);
		else if (in_list && strncmp(p, "- ", 2) == 0)
			items++;
		else if (in_list && p == nl && items > 0) {
			if (items + more != total)
				fail_msg("%lu items and %lu more of %lu:\n%s",
				    items, more, total, d->buf);
			in_list = 0;
		}
	}
}

/* n failed tests "t/test_big.py::test_NNNNNN", each with a message. */
static struct triage_test *
many_tests(size_t n, const char *fmt, char **idbuf)
{
	struct triage_test *v = calloc(n, sizeof(*v));
	size_t i;

	assert_non_null(v);
	assert_non_null(*idbuf = malloc(n * 32));
	for (i = 0; i < n; i++) {
		v[i].id = *idbuf + i * 32;
		v[i].id_len = (size_t)snprintf(*idbuf + i * 32, 32, fmt, i);
		v[i].path = "t/test_big.py";
		v[i].path_len = 13;
		v[i].line = i + 1;
		v[i].message = "AssertionError: assert the expected "
		    "thing == what came back from the server";
		v[i].message_len = strlen(v[i].message);
	}
	return v;
}

static size_t
digits(size_t n)
{
	size_t d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void
test_hundred_thousand_failures_end_in_and_n_more(void **state)
{
	size_t n = 100000, k, i, more, itemlen = 0;
	char *ids, item[64], trail[64];
	struct triage_test *failed = many_tests(n, "t/test_big.py::test_%06zu",
	    &ids);
	struct triage_counts c = { n, n, 0, n, 0, 0 };
	struct triage t = hand_triage(VERDICT_RETRY, "", &c);
	struct written d, again;
	const char *p;

	(void)state;
	t.failed = failed;
	t.nfailed = n;
	render(&d, &t, 1000000);
	assert_int_equal(d.rc, 0);
	assert_true(d.len <= 1000000);
	/* Messages and locations went before the list was cut. */
	assert_int_equal(occurrences(d.buf, d.len, " at line "), 0);
	assert_int_equal(occurrences(d.buf, d.len, "AssertionError"), 0);
	assert_true(ends_with(&d, COUNTS(100000, 100000, 0, 100000, 0, 0)));

	/* The first k node IDs, in order, then "and n - k more". */
	p = strstr(d.buf, "### Retrying 100000 failed tests\n\n");
	assert_non_null(p);
	p += strlen("### Retrying 100000 failed tests\n\n");
	for (k = 0; k < n; k++) {
		itemlen = (size_t)snprintf(item, sizeof(item),
		    "- `t/test_big.py::test_%06zu`\n", k);
		if (memcmp(p, item, itemlen) != 0)
			break;
		p += itemlen;
	}
	assert_true(k >= 1000 && k < n);
	more = n - k;
	i = (size_t)snprintf(trail, sizeof(trail), "- and %zu more\n\n",
	    more);
	assert_memory_equal(p, trail, i);
	/* One more item would not have fit (the trailer's count might
	 * lose a digit). */
	assert_int_equal(itemlen, 31);
	assert_true(d.len + itemlen - (digits(more) - digits(more - 1)) >
	    1000000);
	assert_lists_add_up(&d);
	render(&again, &t, d.len);
	assert_written(&again, d.buf, d.len);
	written_free(&again);
	written_free(&d);
	free(failed);
	free(ids);
}

static void
test_first_thousand_failed_before_other_lists(void **state)
{
	size_t n = 100000, shown;
	char *fids, *eids, *lids;
	struct triage_test *failed = many_tests(n, "t/f.py::test_%06zu", &fids);
	struct triage_test *errors = many_tests(n, "t/e%06zu.py", &eids);
	struct triage_test *flaky = many_tests(100, "t/l.py::test_%06zu",
	    &lids);
	struct triage_counts c = { 2 * n, n, 0, n, 0, 0 };
	struct triage t = hand_triage(VERDICT_COLLECTION_ERROR, "", &c);
	struct written d;
	const char *e, *f;

	(void)state;
	t.failed = failed;
	t.nfailed = n;
	t.errors = errors;
	t.nerrors = n;
	t.flaky = flaky;
	t.nflaky = 100;
	render(&d, &t, 1000000);
	assert_int_equal(d.rc, 0);
	assert_true(d.len <= 1000000);
	e = strstr(d.buf, "### 100000 collection errors\n");
	f = strstr(d.buf, "### 100000 failed tests, not retried\n");
	assert_non_null(e);
	assert_non_null(f);
	assert_true(e < f);
	assert_null(strstr(d.buf, "flaky"));
	shown = occurrences(d.buf, d.len, "- `t/f.py::test_");
	assert_true(shown >= 1000);
	assert_non_null(strstr(d.buf, "`t/f.py::test_000999`\n"));
	assert_true(occurrences(d.buf, d.len, "- `t/e") > 1000);
	assert_int_equal(occurrences(d.buf, d.len, " more\n"), 2);
	assert_lists_add_up(&d);
	written_free(&d);

	/* Room for some of the failed tests only: they come first, and the
	 * collection errors are left out. */
	render(&d, &t, markdown_min_bytes(one_step(&t)) + 1000);
	assert_int_equal(d.rc, 0);
	assert_null(strstr(d.buf, "collection errors\n"));
	shown = occurrences(d.buf, d.len, "- `t/f.py::test_");
	assert_true(shown > 10 && shown < 1000);
	written_free(&d);
	free(failed);
	free(errors);
	free(flaky);
	free(fids);
	free(eids);
	free(lids);
}

static void
test_limit_too_small_writes_nothing(void **state)
{
	static const char least[] =
	    "**pytest: 2 of 2 tests failed; retrying them**\n\n"
	    COUNTS(2, 2, 0, 2, 0, 0);
	static const struct triage_test failed[] = {
		T("t.py::a"), T("t.py::b"),
	};
	struct triage_counts c = { 2, 2, 0, 2, 0, 0 };
	struct triage t = hand_triage(VERDICT_RETRY, "", &c);
	struct written d;

	(void)state;
	t.failed = failed;
	t.nfailed = N(failed);
	assert_int_equal(markdown_min_bytes(one_step(&t)), sizeof(least) - 1);
	render(&d, &t, sizeof(least) - 2);
	assert_int_equal(d.rc, WRITE_TOO_SMALL);
	assert_int_equal(d.len, 0);
	written_free(&d);
	render(&d, &t, 1);
	assert_int_equal(d.rc, WRITE_TOO_SMALL);
	assert_int_equal(d.len, 0);
	written_free(&d);
	/* Exactly enough: the first line and the counts, no list. */
	render(&d, &t, sizeof(least) - 1);
	ASSERT_WRITTEN(&d,
	    "**pytest: 2 of 2 tests failed; retrying them**\n\n"
	    COUNTS(2, 2, 0, 2, 0, 0));
	written_free(&d);
}

static void
test_long_reason_is_cut_in_the_first_line(void **state)
{
	char reason[2000];
	struct triage_counts c = { 0, 0, 0, 0, 0, 0 };
	struct triage t;
	struct written d;

	(void)state;
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	t = hand_triage(VERDICT_BAD_REPORT, reason, &c);
	render(&d, &t, 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.len, strlen("**Do not retry: bad report** "
	    "\xe2\x80\x94 `") + 512 + strlen("`" ELLIPSIS "\n\n") +
	    strlen(COUNTS(0, 0, 0, 0, 0, 0)));
	assert_true(valid_utf8(d.buf, d.len));
	written_free(&d);
}

static void
test_every_limit_is_kept(void **state)
{
	static const struct triage_test errors[] = {
		TM("t/e.py", "t/e.py", 0, "ImportError: cannot import `x`"),
	};
	static const struct triage_test failed[] = {
		TM("t/a.py::x[`]", "t/a.py", 1, "assert 1 == 2\nmore"),
		TM("t/a.py::y", "t/b.py", 22, "E\xe2\x82\xac\xe2\x82\xac"),
		T("t/a.py::z"), T("t/a.py::\xe2\x80\xa8"), T(""),
		TM("t/a.py::w", "t/a.py", 3, "assert 'aaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' == 'b'"),
	};
	static const struct triage_test flaky[] = {
		T("t/c.py::f"), T("t/c.py::g"),
	};
	struct triage_counts c = { 9, 8, 0, 6, 2, 0 };
	struct triage t = hand_triage(VERDICT_COLLECTION_ERROR,
	    "1 collection error: t/e.py (ImportError: cannot import `x`)", &c);
	struct written d, whole, again;
	uint64_t min, max;

	(void)state;
	t.errors = errors;
	t.nerrors = N(errors);
	t.failed = failed;
	t.nfailed = N(failed);
	t.flaky = flaky;
	t.nflaky = N(flaky);
	render(&whole, &t, 0);
	min = markdown_min_bytes(one_step(&t));
	for (max = 1; max <= whole.len + 10; max++) {
		render(&d, &t, max);
		if (max < min) {
			assert_int_equal(d.rc, WRITE_TOO_SMALL);
			assert_int_equal(d.len, 0);
		} else {
			assert_int_equal(d.rc, 0);
			if (d.len > max)
				fail_msg("max %" PRIu64 ": wrote %zu", max,
				    d.len);
			assert_true(d.len >= min);
			assert_true(valid_utf8(d.buf, d.len));
			assert_memory_equal(d.buf, whole.buf, 30);
			assert_true(ends_with(&d, COUNTS(9, 8, 0, 6, 2, 0)));
			assert_lists_add_up(&d);
			/* What was written fits exactly in its own size. */
			render(&again, &t, d.len);
			assert_written(&again, d.buf, d.len);
			written_free(&again);
		}
		if (max >= whole.len)
			assert_written(&d, whole.buf, whole.len);
		written_free(&d);
	}
	written_free(&whole);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_terminal_verdict_reads_in_words),
		cmocka_unit_test(
		    test_location_in_words_only_when_the_node_id_names_the_path),
		cmocka_unit_test(test_code_span_fences_and_padding),
		cmocka_unit_test(test_hostile_node_ids_read_back_as_themselves),
		cmocka_unit_test(
		    test_fence_longer_than_every_run_length_tracked),
		cmocka_unit_test(
		    test_line_breaks_and_controls_become_visible_escapes),
		cmocka_unit_test(
		    test_hostile_paths_messages_and_reason_stay_in_code),
		cmocka_unit_test(test_messages_are_cut_then_dropped),
		cmocka_unit_test(test_cut_keeps_whole_characters),
		cmocka_unit_test(test_megabyte_message_fits_the_limit),
		cmocka_unit_test(
		    test_hundred_thousand_failures_end_in_and_n_more),
		cmocka_unit_test(test_first_thousand_failed_before_other_lists),
		cmocka_unit_test(test_limit_too_small_writes_nothing),
		cmocka_unit_test(test_long_reason_is_cut_in_the_first_line),
		cmocka_unit_test(test_every_limit_is_kept),
	};

	return run_table("markdown: documents", TABLE(documents),
	    test_document) +
	    cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
