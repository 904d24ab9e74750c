/*
 * test_nodeid.c: joining node IDs, finding what breaks a line, escaping
 * them for messages.
 *
 * The line breaks are exactly those of Python's str.splitlines(), which
 * `pytest @file` uses: \n \r \v \f \x1c \x1d \x1e U+0085 U+2028 U+2029,
 * plus NUL.  Each must be found at its offset, in the middle of other text,
 * and look-alikes (a tab, U+2027, a lone or cut-short lead byte) must not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
#include "nodeid.h"

#define LEN(s)	(sizeof(s) - 1)

/* nodeid_escape into a fresh buffer, compared with the expected text. */
static void
assert_escape(const char *in, size_t len, size_t max, const char *expect)
{
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(nodeid_escape(&sb, in, len, max), 0);
	assert_int_equal(sb.len, strlen(expect));
	if (sb.len > 0)		/* nothing appended: nothing allocated */
		assert_string_equal(sb.data, expect);
	strbuf_free(&sb);
}

/* nodeid_join(scope, name) replaces what the buffer held with want. */
struct join_case {
	const char *what;
	struct bytes scope, name, want;
};

static const struct join_case join_cases[] = {
	{ "a scope, then :: and the name", B("tests/test_a.py"), B("test_one"),
	    B("tests/test_a.py::test_one") },
	{ "an empty scope is the name alone", B(""), B("tests/test_b.py"),
	    B("tests/test_b.py") },
	{ "a scope of one byte", B("s"), B("n"), B("s::n") },
	{ "a class scope keeps every colon", B("t.py::TestC"), B("test_m"),
	    B("t.py::TestC::test_m") },
	/* The collector split "t.py::test_p[a::b]" on every "::". */
	{ ":: inside a parametrize ID comes back", B("t.py::test_p[a"),
	    B("b]"), B("t.py::test_p[a::b]") },
	{ "NUL bytes are kept by length", B("a\0b"), B("c\0"),
	    B("a\0b::c\0") },
};

static void
test_join_case(void **state)
{
	const struct join_case *c = *state;
	struct strbuf sb;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "stale text from before"), 0);
	assert_int_equal(nodeid_join(&sb, c->scope.p, c->scope.len, c->name.p,
	    c->name.len), 0);
	assert_int_equal(sb.len, c->want.len);
	assert_memory_equal(sb.data, c->want.p, c->want.len + 1);
	strbuf_free(&sb);
}

/* Every line break of str.splitlines(), and NUL, at offset 0, in the
 * middle and at the very end of a string. */
static void
test_find_line_break_finds_every_splitlines_break(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
	} breaks[] = {
		{ "\n", 1 }, { "\r", 1 }, { "\v", 1 }, { "\f", 1 },
		{ "\x1c", 1 }, { "\x1d", 1 }, { "\x1e", 1 },
		{ "\xc2\x85", 2 },		/* U+0085 NEXT LINE */
		{ "\xe2\x80\xa8", 3 },	/* U+2028 LINE SEPARATOR */
		{ "\xe2\x80\xa9", 3 },	/* U+2029 PARAGRAPH SEP. */
		{ "\0", 1 },
	};
	char buf[32];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		n = breaks[i].len;
		/* alone */
		assert_int_equal(nodeid_find_line_break(breaks[i].bytes, n),
		    0);
		/* after text, before more text */
		memcpy(buf, "t.py::\xc3\xa9x", 9);
		memcpy(buf + 9, breaks[i].bytes, n);
		memcpy(buf + 9 + n, "tail\n", 5);
		assert_int_equal(nodeid_find_line_break(buf, 9 + n + 5), 9);
		/* as the last bytes */
		assert_int_equal(nodeid_find_line_break(buf, 9 + n), 9);
	}
}

/* Where nodeid_find_line_break and nodeid_find_nul find something in
 * these bytes, or -1. */
static const struct {
	struct bytes b;
	long line_break, nul;
} found[] = {
	/* the first of several */
	{ B("ab\xe2\x80\xa9" "cd\nef"), 2, -1 },
	{ B("cd\nef"), 2, -1 },
	/* no line breaks */
	{ B(""), -1, -1 },
	{ B("t.py::test_x[a b]"), -1, -1 },
	{ B("\t"), -1, -1 },			/* tab is no line break */
	{ B("\x1f"), -1, -1 },			/* unit separator is not */
	{ B("\x1b[31m"), -1, -1 },		/* ESC is not */
	{ B("\x7f"), -1, -1 },			/* DEL is not */
	{ B("\xe2\x80\xa7"), -1, -1 },		/* U+2027 HYPHENATION POINT */
	{ B("\xe2\x80\xaa"), -1, -1 },		/* U+202A */
	{ B("\xc2\x84"), -1, -1 },		/* U+0084 */
	{ B("\xc2\x86"), -1, -1 },		/* U+0086 */
	{ B("\xc2\xa0"), -1, -1 },		/* U+00A0 NO-BREAK SPACE */
	{ B("\xc3\x85"), -1, -1 },		/* U+00C5, ends in 0x85 */
	{ B("\xe1\x80\xa8"), -1, -1 },		/* U+1028, ends in 80 a8 */
	{ B("x\xc2"), -1, -1 },			/* a lone C2 at the end */
	{ B("\xe2"), -1, -1 },			/* a lone E2 */
	{ B("x\xe2\x80"), -1, -1 },		/* E2 80 cut short */
	{ B("\xf0\x9f\x98\x80"), -1, -1 },	/* U+1F600 */
	/* the length counts: the break lies just past it, or is cut by it */
	{ { "abc\n", 3 }, -1, -1 },
	{ { "ab\xc2\x85", 3 }, -1, -1 },
	{ { "ab\xe2\x80\xa8", 4 }, -1, -1 },
	{ { "ab\xe2\x80\xa8", 5 }, 2, -1 },
	{ { "abc\0", 3 }, -1, -1 },
	/* NUL: a line break too */
	{ B("a\nb\r\xe2\x80\xa8"), 1, -1 },
	{ B("\0abc"), 0, 0 },
	{ B("ab\0c\0"), 2, 2 },
};

static void
test_found_where_they_are(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(found); i++)
		if (nodeid_find_line_break(found[i].b.p, found[i].b.len) !=
		    found[i].line_break ||
		    nodeid_find_nul(found[i].b.p, found[i].b.len) != found[i].nul)
			fail_msg("#%zu: line break at %ld, NUL at %ld", i,
			    nodeid_find_line_break(found[i].b.p, found[i].b.len),
			    nodeid_find_nul(found[i].b.p, found[i].b.len));
}

/* nodeid_escape(bytes, len, max) into a fresh buffer: what it writes. */
static const struct {
	const char *in;
	size_t len, max;
	const char *want;
} escapes[] = {
	/* passes plain text and utf8 through */
	{ "t.py::test_x[a b]", 17, 200, "t.py::test_x[a b]" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 200,
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "\xc2\xa0", 2, 200, "\xc2\xa0" },	/* not C1 */
	{ "", 0, 200, "" },
	/* writes control characters as escapes */
	{ "a\nb", 3, 200, "a\\nb" },
	{ "a\rb", 3, 200, "a\\rb" },
	{ "a\tb", 3, 200, "a\\tb" },
	{ "a\0b", 3, 200, "a\\x00b" },
	{ "\x1b[31m", 5, 200, "\\x1b[31m" },
	{ "\v\f\x1c\x1d\x1e\x1f\x01", 7, 200,
	    "\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f\\x01" },
	/* writes del as escape */
	{ "a\x7f", 2, 200, "a\\x7f" },
	/* writes c1 controls as u escapes */
	{ "\xc2\x80", 2, 200, "\\u0080" },
	{ "x\xc2\x85y", 4, 200, "x\\u0085y" },	/* NEL */
	{ "\xc2\x9b" "2J", 4, 200, "\\u009b2J" },	/* CSI */
	{ "\xc2\x9f", 2, 200, "\\u009f" },
	/* writes line and paragraph separators */
	{ "a\xe2\x80\xa8" "b", 5, 200, "a\\u2028b" },
	{ "a\xe2\x80\xa9" "b", 5, 200, "a\\u2029b" },
	/* Their neighbours are text. */
	{ "\xe2\x80\xa7\xe2\x80\xaa", 6, 200,
	    "\xe2\x80\xa7\xe2\x80\xaa" },
	/* truncates with ellipsis */
	{ "abcdef", 6, 3, "abc..." },
	{ "abcdef", 6, 6, "abcdef" },	/* fits exactly */
	{ "abcdef", 6, 7, "abcdef" },
	{ "abcdef", 6, 0, "..." },
	/* The limit counts input bytes: an escape may be longer. */
	{ "\n\n\n\n", 4, 2, "\\n\\n..." },
	/* truncation never cuts a utf8 sequence */
	/* 2-byte é cut after its first byte */
	{ "ab\xc3\xa9", 4, 3, "ab..." },
	{ "ab\xc3\xa9", 4, 4, "ab\xc3\xa9" },
	/* 3-byte € cut after one and after two of its bytes */
	{ "a\xe2\x82\xac" "b", 5, 2, "a..." },
	{ "a\xe2\x82\xac" "b", 5, 3, "a..." },
	{ "a\xe2\x82\xac" "b", 5, 4, "a\xe2\x82\xac..." },
	/* 4-byte emoji cut after one, two and three of its bytes */
	{ "a\xf0\x9f\x98\x80", 5, 2, "a..." },
	{ "a\xf0\x9f\x98\x80", 5, 3, "a..." },
	{ "a\xf0\x9f\x98\x80", 5, 4, "a..." },
	/* U+2028 cut: neither half an escape nor half a character */
	{ "a\xe2\x80\xa8", 4, 3, "a..." },
	/* C1 cut between its bytes */
	{ "a\xc2\x85", 3, 2, "a..." },
};

static void
test_escapes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(escapes); i++)
		assert_escape(escapes[i].in, escapes[i].len, escapes[i].max,
		    escapes[i].want);
}

static void
test_escape_appends_to_what_is_there(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "id: "), 0);
	assert_int_equal(nodeid_escape(&sb, "x\n", 2, 10), 0);
	assert_string_equal(sb.data, "id: x\\n");
	strbuf_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_find_line_break_finds_every_splitlines_break),
		cmocka_unit_test(test_found_where_they_are),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_escape_appends_to_what_is_there),
	};

	return run_table("nodeid: join", TABLE(join_cases), test_join_case) +
	    cmocka_run_group_tests_name("nodeid", tests, NULL, NULL);
}
