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

static void
test_join_with_scope_puts_double_colon_between(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(nodeid_join(&sb, "tests/test_a.py", 15,
	    "test_one", 8), 0);
	assert_int_equal(sb.len, 25);
	assert_string_equal(sb.data, "tests/test_a.py::test_one");
	strbuf_free(&sb);
}

static void
test_join_with_empty_scope_is_the_name_alone(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(nodeid_join(&sb, "", 0, "tests/test_b.py", 15), 0);
	assert_int_equal(sb.len, 15);
	assert_string_equal(sb.data, "tests/test_b.py");
	strbuf_free(&sb);
}

static void
test_join_of_class_scope_keeps_every_colon(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(nodeid_join(&sb, "t.py::TestC", 11, "test_m", 6), 0);
	assert_string_equal(sb.data, "t.py::TestC::test_m");
	strbuf_free(&sb);
}

static void
test_join_restores_double_colon_inside_parametrize_id(void **state)
{
	struct strbuf sb;

	(void)state;
	/* The collector split "t.py::test_p[a::b]" on every "::". */
	strbuf_init(&sb);
	assert_int_equal(nodeid_join(&sb, "t.py::test_p[a", 14, "b]", 2), 0);
	assert_int_equal(sb.len, 18);
	assert_string_equal(sb.data, "t.py::test_p[a::b]");
	strbuf_free(&sb);
}

static void
test_join_replaces_previous_contents(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "stale text from before"), 0);
	assert_int_equal(nodeid_join(&sb, "s", 1, "n", 1), 0);
	assert_int_equal(sb.len, 4);
	assert_string_equal(sb.data, "s::n");
	strbuf_free(&sb);
}

static void
test_join_keeps_nul_bytes_by_length(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(nodeid_join(&sb, "a\0b", 3, "c\0", 2), 0);
	assert_int_equal(sb.len, 7);
	assert_memory_equal(sb.data, "a\0b::c\0", 8);
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

static void
test_find_line_break_reports_the_first_of_several(void **state)
{
	static const char s[] = "ab\xe2\x80\xa9" "cd\nef";

	(void)state;
	assert_int_equal(nodeid_find_line_break(s, LEN(s)), 2);
	assert_int_equal(nodeid_find_line_break(s + 5, LEN(s) - 5), 2);
}

static void
test_find_line_break_ignores_non_breaks(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
	} none[] = {
		{ "", 0 },
		{ "t.py::test_x[a b]", 17 },
		{ "\t", 1 },			/* tab is no line break */
		{ "\x1f", 1 },		/* unit separator is not */
		{ "\x1b[31m", 5 },		/* ESC is not */
		{ "\x7f", 1 },			/* DEL is not */
		{ "\xe2\x80\xa7", 3 },	/* U+2027 HYPHENATION POINT */
		{ "\xe2\x80\xaa", 3 },		/* U+202A */
		{ "\xc2\x84", 2 },		/* U+0084 */
		{ "\xc2\x86", 2 },		/* U+0086 */
		{ "\xc2\xa0", 2 },		/* U+00A0 NO-BREAK SPACE */
		{ "\xc3\x85", 2 },		/* U+00C5, ends in 0x85 */
		{ "\xe1\x80\xa8", 3 },	/* U+1028, ends in 80 a8 */
		{ "x\xc2", 2 },		/* a lone C2 at the end */
		{ "\xe2", 1 },			/* a lone E2 */
		{ "x\xe2\x80", 3 },		/* E2 80 cut short */
		{ "\xf0\x9f\x98\x80", 4 },	/* U+1F600 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (nodeid_find_line_break(none[i].bytes, none[i].len) != -1)
			fail_msg("non-break #%zu found as a line break", i);
}

static void
test_find_line_break_respects_the_length(void **state)
{
	(void)state;
	/* The break lies just past len, or is cut by it. */
	assert_int_equal(nodeid_find_line_break("abc\n", 3), -1);
	assert_int_equal(nodeid_find_line_break("ab\xc2\x85", 3), -1);
	assert_int_equal(nodeid_find_line_break("ab\xe2\x80\xa8", 4), -1);
	assert_int_equal(nodeid_find_line_break("ab\xe2\x80\xa8", 5), 2);
}

static void
test_find_nul_finds_only_nul(void **state)
{
	(void)state;
	assert_int_equal(nodeid_find_nul("abc", 3), -1);
	assert_int_equal(nodeid_find_nul("", 0), -1);
	assert_int_equal(nodeid_find_nul("a\nb\r\xe2\x80\xa8", 7), -1);
	assert_int_equal(nodeid_find_nul("\0abc", 4), 0);
	assert_int_equal(nodeid_find_nul("ab\0c\0", 5), 2);
	assert_int_equal(nodeid_find_nul("abc\0", 3), -1);	/* past len */
}

static void
test_escape_passes_plain_text_and_utf8_through(void **state)
{
	(void)state;
	assert_escape("t.py::test_x[a b]", 17, 200, "t.py::test_x[a b]");
	assert_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 200,
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_escape("\xc2\xa0", 2, 200, "\xc2\xa0");	/* not C1 */
	assert_escape("", 0, 200, "");
}

static void
test_escape_writes_control_characters_as_escapes(void **state)
{
	(void)state;
	assert_escape("a\nb", 3, 200, "a\\nb");
	assert_escape("a\rb", 3, 200, "a\\rb");
	assert_escape("a\tb", 3, 200, "a\\tb");
	assert_escape("a\0b", 3, 200, "a\\x00b");
	assert_escape("\x1b[31m", 5, 200, "\\x1b[31m");
	assert_escape("\v\f\x1c\x1d\x1e\x1f\x01", 7, 200,
	    "\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f\\x01");
}

static void
test_escape_writes_del_as_escape(void **state)
{
	(void)state;
	assert_escape("a\x7f", 2, 200, "a\\x7f");
}

static void
test_escape_writes_c1_controls_as_u_escapes(void **state)
{
	(void)state;
	assert_escape("\xc2\x80", 2, 200, "\\u0080");
	assert_escape("x\xc2\x85y", 4, 200, "x\\u0085y");	/* NEL */
	assert_escape("\xc2\x9b" "2J", 4, 200, "\\u009b2J");	/* CSI */
	assert_escape("\xc2\x9f", 2, 200, "\\u009f");
}

static void
test_escape_writes_line_and_paragraph_separators(void **state)
{
	(void)state;
	assert_escape("a\xe2\x80\xa8" "b", 5, 200, "a\\u2028b");
	assert_escape("a\xe2\x80\xa9" "b", 5, 200, "a\\u2029b");
	/* Their neighbours are text. */
	assert_escape("\xe2\x80\xa7\xe2\x80\xaa", 6, 200,
	    "\xe2\x80\xa7\xe2\x80\xaa");
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

static void
test_escape_truncates_with_ellipsis(void **state)
{
	(void)state;
	assert_escape("abcdef", 6, 3, "abc...");
	assert_escape("abcdef", 6, 6, "abcdef");	/* fits exactly */
	assert_escape("abcdef", 6, 7, "abcdef");
	assert_escape("abcdef", 6, 0, "...");
	/* The limit counts input bytes: an escape may be longer. */
	assert_escape("\n\n\n\n", 4, 2, "\\n\\n...");
}

static void
test_escape_truncation_never_cuts_a_utf8_sequence(void **state)
{
	(void)state;
	/* 2-byte é cut after its first byte */
	assert_escape("ab\xc3\xa9", 4, 3, "ab...");
	assert_escape("ab\xc3\xa9", 4, 4, "ab\xc3\xa9");
	/* 3-byte € cut after one and after two of its bytes */
	assert_escape("a\xe2\x82\xac" "b", 5, 2, "a...");
	assert_escape("a\xe2\x82\xac" "b", 5, 3, "a...");
	assert_escape("a\xe2\x82\xac" "b", 5, 4, "a\xe2\x82\xac...");
	/* 4-byte emoji cut after one, two and three of its bytes */
	assert_escape("a\xf0\x9f\x98\x80", 5, 2, "a...");
	assert_escape("a\xf0\x9f\x98\x80", 5, 3, "a...");
	assert_escape("a\xf0\x9f\x98\x80", 5, 4, "a...");
	/* U+2028 cut: neither half an escape nor half a character */
	assert_escape("a\xe2\x80\xa8", 4, 3, "a...");
	/* C1 cut between its bytes */
	assert_escape("a\xc2\x85", 3, 2, "a...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_join_with_scope_puts_double_colon_between),
		cmocka_unit_test(test_join_with_empty_scope_is_the_name_alone),
		cmocka_unit_test(test_join_of_class_scope_keeps_every_colon),
		cmocka_unit_test(
		    test_join_restores_double_colon_inside_parametrize_id),
		cmocka_unit_test(test_join_replaces_previous_contents),
		cmocka_unit_test(test_join_keeps_nul_bytes_by_length),
		cmocka_unit_test(
		    test_find_line_break_finds_every_splitlines_break),
		cmocka_unit_test(
		    test_find_line_break_reports_the_first_of_several),
		cmocka_unit_test(test_find_line_break_ignores_non_breaks),
		cmocka_unit_test(test_find_line_break_respects_the_length),
		cmocka_unit_test(test_find_nul_finds_only_nul),
		cmocka_unit_test(
		    test_escape_passes_plain_text_and_utf8_through),
		cmocka_unit_test(
		    test_escape_writes_control_characters_as_escapes),
		cmocka_unit_test(test_escape_writes_del_as_escape),
		cmocka_unit_test(test_escape_writes_c1_controls_as_u_escapes),
		cmocka_unit_test(
		    test_escape_writes_line_and_paragraph_separators),
		cmocka_unit_test(test_escape_appends_to_what_is_there),
		cmocka_unit_test(test_escape_truncates_with_ellipsis),
		cmocka_unit_test(
		    test_escape_truncation_never_cuts_a_utf8_sequence),
	};

	return cmocka_run_group_tests_name("nodeid", tests, NULL, NULL);
}
