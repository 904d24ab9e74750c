/*
 * test_rootdir.c: rewriting node IDs from rootdir-relative to
 * cwd-relative.
 *
 * The path part (before the first "::") is rewritten: the same directory,
 * below, above, beside the rootdir, from "/"; the rest of the ID is kept
 * byte for byte whatever it holds ("::", "/", "..", blanks, NUL).  Path
 * parts pytest never writes, or that name no file pytest collects, are
 * refused with a reason, and the buffer is left as it was.  The real run
 * from a subdirectory (testdata/corpus/16b) is checked against the
 * collector's own cwd-relative file_name.  realloc is wrapped at link time
 * so that the out-of-memory path can be taken at every allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "unit.h"
#include "rootdir.h"
#include "strbuf.h"

#define LEN(s)	(sizeof(s) - 1)

void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);

/* realloc fails when this reaches 0; -1: never. */
static long realloc_left = -1;

void *
__wrap_realloc(void *p, size_t n)
{
	if (realloc_left == 0)
		return NULL;
	if (realloc_left > 0)
		realloc_left--;
	return __real_realloc(p, n);
}

struct rebase_case {
	const char *cwd;
	const char *rootdir;
	const char *id;
	size_t len;
	const char *expect;
	size_t expect_len;
};

#define OK(cwd, root, id, expect) \
	{ cwd, root, id, LEN(id), expect, LEN(expect) }

static void
assert_rebase(const char *cwd, const char *rootdir, const char *id,
    size_t len, const char *expect, size_t expect_len)
{
	struct strbuf sb;
	const char *why = NULL;

	strbuf_init(&sb);
	if (rootdir_rebase(&sb, cwd, rootdir, id, len, &why) != 0)
		fail_msg("cwd %s rootdir %s id %s: refused: %s", cwd, rootdir,
		    id, why);
	assert_null(why);
	if (sb.len != expect_len || memcmp(sb.data, expect, expect_len) != 0)
		fail_msg("cwd %s rootdir %s id %s: got \"%s\" (%zu bytes), "
		    "want \"%s\"", cwd, rootdir, id, sb.data, sb.len, expect);
	assert_int_equal(sb.data[sb.len], '\0');
	strbuf_free(&sb);
}

static void
run_cases(const struct rebase_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_rebase(c[i].cwd, c[i].rootdir, c[i].id, c[i].len,
		    c[i].expect, c[i].expect_len);
}

/* Refused with a reason holding want; a buffer holding "keep" is left so. */
static void
assert_refused(const char *cwd, const char *rootdir, const char *id,
    size_t len, const char *want)
{
	struct strbuf sb;
	const char *why = NULL;

	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "keep"), 0);
	if (rootdir_rebase(&sb, cwd, rootdir, id, len, &why) != -1)
		fail_msg("cwd %s rootdir %s id %s: not refused: \"%s\"", cwd,
		    rootdir, id, sb.data);
	assert_non_null(why);
	if (strstr(why, want) == NULL)
		fail_msg("id %s: reason \"%s\" does not say \"%s\"", id, why,
		    want);
	assert_int_equal(sb.len, 4);
	assert_string_equal(sb.data, "keep");
	strbuf_free(&sb);
}

/* Node IDs rebased: from cwd, with pytest's rootdir, to the selector
 * wanted. */
static const struct rebase_case rebased[] = {
	/* same directory is identity */
	OK("/r", "/r", "t.py::test_a", "t.py::test_a"),
	OK("/r", "/r", "tests/unit/test_x.py::C::test",
	    "tests/unit/test_x.py::C::test"),
	OK("/r", "/r", "tests/test_x.py", "tests/test_x.py"),
	OK("/builds/example", "/builds/example",
	    "pkg/inner.py::pkg.inner.sq", "pkg/inner.py::pkg.inner.sq"),
	OK("/", "/", "t.py::t", "t.py::t"),
	OK("/", "/", "a/b/t.py::t", "a/b/t.py::t"),
	/* run from the files directory */
	/* The real case: pytest.ini in proj (the rootdir), run from
	 * proj/tests/unit; the collector's file_name says "test_math.py". */
	OK("/builds/example/proj/tests/unit", "/builds/example/proj",
	    "tests/unit/test_math.py::test_math_fail",
	    "test_math.py::test_math_fail"),
	OK("/builds/example/proj/tests/unit", "/builds/example/proj",
	    "tests/unit/test_math.py", "test_math.py"),
	/* cwd below the files directory goes up */
	OK("/r/tests/unit/deep", "/r", "tests/unit/t.py::x",
	    "../t.py::x"),
	OK("/r/a/b/c", "/r", "t.py::x", "../../../t.py::x"),
	OK("/r/tests/unit", "/r",
	    "tests/integration/deep/er/test_deep.py::TestDeep::"
	    "test_deep_fail",
	    "../integration/deep/er/test_deep.py::TestDeep::"
	    "test_deep_fail"),
	/* cwd above the rootdir goes down */
	OK("/w", "/w/proj", "tests/test_x.py::t",
	    "proj/tests/test_x.py::t"),
	OK("/", "/a/b", "t.py::t", "a/b/t.py::t"),
	OK("/r", "/r", "sub/test_x.py", "sub/test_x.py"),
	OK("/builds", "/builds/example/proj", "tests/unit/t.py::t",
	    "example/proj/tests/unit/t.py::t"),
	/* cwd outside the rootdir goes up and down */
	OK("/a/c", "/a/b", "t.py::x", "../b/t.py::x"),
	OK("/a/c", "/a/b", "other/test_x.py::t",
	    "../b/other/test_x.py::t"),
	OK("/x/y/z", "/a/b", "t.py::x", "../../../a/b/t.py::x"),
	/* A shared prefix of a name is no shared directory. */
	OK("/a/bc", "/a/b", "t.py::x", "../b/t.py::x"),
	OK("/a/b", "/a/bc", "t.py::x", "../bc/t.py::x"),
	OK("/r/test", "/r", "tests/t.py::x", "../tests/t.py::x"),
	/* A directory named like the file, beside it. */
	OK("/r/t.py", "/r", "t.py::x", "../t.py::x"),
	/* rootdir slash */
	OK("/home/u", "/", "t.py::t", "../../t.py::t"),
	OK("/a", "/", "a/t.py::t", "t.py::t"),
	OK("/a", "/", "b/t.py::t", "../b/t.py::t"),
	/* trailing and repeated slashes in directories */
	OK("/a/b/", "/a/b", "t.py::t", "t.py::t"),
	OK("/a/b", "/a/b/", "t.py::t", "t.py::t"),
	OK("/a/b/c/", "/a/b/", "c/t.py::t", "t.py::t"),
	OK("/a/c/", "/a/b//", "t.py::t", "../b/t.py::t"),
	OK("//a//c", "/a/b", "t.py::t", "../b/t.py::t"),
	/* rest of the id is kept byte for byte */
	/* Everything after the first "::" is pytest's and is kept as it is. */
	OK("/r/tests", "/r", "tests/t.py::test_p[a/b]",
	    "t.py::test_p[a/b]"),
	OK("/r/tests", "/r", "tests/t.py::test_p[../x]",
	    "t.py::test_p[../x]"),
	OK("/r/tests", "/r", "tests/t.py::test_p[a::b]",
	    "t.py::test_p[a::b]"),
	OK("/r/tests", "/r", "tests/t.py::test_p[/etc/passwd]",
	    "t.py::test_p[/etc/passwd]"),
	OK("/r/tests", "/r", "tests/t.py::test_p[ x  y ]",
	    "t.py::test_p[ x  y ]"),
	OK("/r/tests", "/r", "tests/t.py::C::test_p[..::./.]",
	    "t.py::C::test_p[..::./.]"),
	OK("/r", "/r/tests", "t.py::test_p[\\xe9-'\"$`\\]",
	    "tests/t.py::test_p[\\xe9-'\"$`\\]"),
	OK("/r/tests", "/r", "tests/t.py::test_p[a\nb]",
	    "t.py::test_p[a\nb]"),
	OK("/r/tests", "/r", "tests/t.py::", "t.py::"),
	OK("/r/tests", "/r", "tests/t.py:::x", "t.py:::x"),
	OK("/a/c", "/a/b", "t.py::a\0b::..", "../b/t.py::a\0b::.."),
	/* path characters pytest allows */
	/* Single colons, blanks, brackets and dots inside names are names. */
	OK("/r/a:b", "/r", "a:b/t.py::x", "t.py::x"),
	OK("/r", "/r/x y", "my tests/t [1].py::x",
	    "x y/my tests/t [1].py::x"),
	OK("/r/tests", "/r", "tests/.hidden/..t.py::x",
	    ".hidden/..t.py::x"),
	OK("/r/tests", "/r", "tests/.../t.py::x", ".../t.py::x"),
	OK("/r", "/r/sub", "pkg/__init__.py::test",
	    "sub/pkg/__init__.py::test"),
	/* doctests */
	OK("/r/docs", "/r", "docs/guide.txt::guide.txt",
	    "guide.txt::guide.txt"),
	OK("/r/tests", "/r", "README.txt::README.txt",
	    "../README.txt::README.txt"),
	OK("/r", "/r", "README.rst::README.rst",
	    "README.rst::README.rst"),
	OK("/r", "/r", "notes::notes", "notes::notes"),
	OK("/r/pkg", "/r", "mymod.py::mymod.Calc.Inner.f",
	    "../mymod.py::mymod.Calc.Inner.f"),
};

static void
test_rebased_node_ids(void **state)
{
	(void)state;
	run_cases(rebased, N(rebased));
}

/* Node IDs refused, and what the reason says. */
#define NO(cwd, root, id, why)	{ cwd, root, id, LEN(id), why, 0 }

static const struct rebase_case refused[] = {
	/* doctests */
	/*
	 * A text file's doctest item is named after the file:
	 * "docs/guide.txt::guide.txt" (testdata/corpus/14_doctest, run with
	 * --doctest-glob='*.txt'); --doctest-modules items are in .py files.
	 */
	NO("/r", "/r", "docs/guide.txt::other.txt", "not a .py file"),
	NO("/r", "/r", "docs/guide.txt::guide.txt::x", "not a .py file"),
	NO("/r", "/r", "docs/guide.txt::guide.tx", "not a .py file"),
	NO("/r", "/r", "docs/guide.txt::docs/guide.txt",
	    "not a .py file"),
	NO("/r", "/r", "docs/guide.txt", "not a .py file"),
	/* path pytest never writes is refused */
	NO("/r", "/r", "", "empty path"),
	NO("/r", "/r", "::t", "empty path"),
	NO("/r", "/r", "::", "empty path"),
	NO("/r", "/r", "/r/t.py::t", "absolute path"),
	NO("/r", "/r", "/t.py", "absolute path"),
	NO("/r", "/r", "./t.py::t", "'.' component"),
	NO("/r", "/r", "a/./t.py::t", "'.' component"),
	NO("/r", "/r", "../t.py::t", "'..' component"),
	NO("/r", "/r", "a/../t.py::t", "'..' component"),
	NO("/r", "/r", "a/..", "'..' component"),
	NO("/r", "/r", "a//t.py::t", "empty path component"),
	NO("/r", "/r", "a/::t", "empty path component"),
	NO("/r", "/r", "a/t.py/::t", "empty path component"),
	NO("/r", "/r", "t.py\0::t", "NUL byte"),
	NO("/r", "/r", "a\0b/t.py::t", "NUL byte"),
	/* path naming no collected file is refused */
	NO("/r", "/r", "test_foo", "not a .py file"),
	NO("/r", "/r", "test_foo::x", "not a .py file"),
	NO("/r", "/r", "tests/unit::x", "not a .py file"),
	NO("/r", "/r", "t.py:12", "not a .py file"),
	NO("/r", "/r", "t.pyc::x", "not a .py file"),
	NO("/r", "/r", "t.PY::x", "not a .py file"),
	NO("/r", "/r", "t.py.orig::x", "not a .py file"),
	NO("/r", "/r", ".py::x", "not a .py file"),
	NO("/r", "/r", "tests/test_api.yaml::get", "not a .py file"),
	/* A file named "a::b.py" reads as path "a": refused, not guessed. */
	NO("/r", "/r", "a::b.py::t", "not a .py file"),
	/* bad directories are refused */
	NO("r", "/r", "t.py::t", "working directory"),
	NO("", "/r", "t.py::t", "working directory"),
	NO("/r/./s", "/r", "t.py::t", "working directory"),
	NO("/r/../s", "/r", "t.py::t", "working directory"),
	NO("/r", "r", "t.py::t", "rootdir"),
	NO("/r", "", "t.py::t", "rootdir"),
	NO("/r", "/r/.", "t.py::t", "rootdir"),
	NO("/r", "/..", "t.py::t", "rootdir"),
};

static void
test_refused_node_ids(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(refused); i++)
		assert_refused(refused[i].cwd, refused[i].rootdir,
		    refused[i].id, refused[i].len, refused[i].expect);
}

static void
test_appends_to_what_is_there_and_why_may_be_null(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "a\n"), 0);
	assert_int_equal(rootdir_rebase(&sb, "/r/s", "/r", "s/t.py::x",
	    LEN("s/t.py::x"), NULL), 0);
	assert_string_equal(sb.data, "a\nt.py::x");
	assert_int_equal(rootdir_rebase(&sb, "/r/s", "/r", "x", 1, NULL), -1);
	assert_string_equal(sb.data, "a\nt.py::x");
	strbuf_free(&sb);
}

/* Only len bytes are read: what follows is not part of the ID. */
static void
test_reads_only_len_bytes(void **state)
{
	static const char id[] = "s/t.py::x::y";

	(void)state;
	assert_rebase("/r/s", "/r", id, LEN("s/t.py::x"), "t.py::x",
	    LEN("t.py::x"));
	assert_rebase("/r/s", "/r", id, LEN("s/t.py"), "t.py", LEN("t.py"));
	assert_refused("/r/s", "/r", id, LEN("s/t.p"), "not a .py file");
	assert_refused("/r/s", "/r", id, 0, "empty path");
}

/*
 * The real run from a subdirectory, and the one from the rootdir: the
 * collector's file_name is relative to the directory pytest ran in, its
 * scope to the rootdir, so rebasing a record's node ID gives file_name for
 * its path part.
 */
static void
assert_rebase_gives_file_name(const char *report, const char *cwd,
    const char *rootdir)
{
	struct json_object *a, *r, *v;
	struct strbuf id, out;
	const char *scope, *name, *file;
	size_t i, n, plen;

	a = json_object_from_file(report);
	assert_non_null(a);
	n = json_object_array_length(a);
	assert_true(n > 0);
	strbuf_init(&id);
	strbuf_init(&out);
	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(a, i);
		assert_true(json_object_object_get_ex(r, "scope", &v));
		scope = json_object_get_string(v);
		assert_true(json_object_object_get_ex(r, "name", &v));
		name = json_object_get_string(v);
		assert_true(json_object_object_get_ex(r, "file_name", &v));
		file = json_object_get_string(v);
		strbuf_reset(&id);
		strbuf_reset(&out);
		assert_int_equal(strbuf_printf(&id, "%s::%s", scope, name), 0);
		assert_int_equal(rootdir_rebase(&out, cwd, rootdir, id.data,
		    id.len, NULL), 0);
		plen = strlen(file);
		assert_true(out.len > plen);
		assert_memory_equal(out.data, file, plen);
		assert_memory_equal(out.data + plen, "::", 2);
		/* And the scope's own "::" parts and the name as they were. */
		assert_string_equal(out.data + plen,
		    strstr(id.data, "::"));
	}
	strbuf_free(&id);
	strbuf_free(&out);
	json_object_put(a);
}

static void
test_real_reports_file_name_is_the_rebased_path(void **state)
{
	(void)state;
	/* pytest.ini in proj; run from proj/tests/unit. */
	assert_rebase_gives_file_name(
	    "testdata/corpus/16b_nested_from_subdir/report.json",
	    "/builds/example/proj/tests/unit", "/builds/example/proj");
	/* Run from the rootdir itself. */
	assert_rebase_gives_file_name(
	    "testdata/corpus/16a_nested_from_rootdir_testpaths/report.json",
	    "/builds/example/proj", "/builds/example/proj");
}

/* Out of memory at every allocation: -2, and the buffer as it was. */
static void
test_out_of_memory_leaves_the_buffer(void **state)
{
	struct strbuf sb;
	char id[600], expect[1000];
	const char *cwd = "/r/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/s/t/u/v/w/x/y/z"
	    "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/s/t/u/v/w/x/y/z";
	long fail_at;
	int rc;

	(void)state;
	memset(id, 'x', sizeof(id));
	memcpy(id, "sub/t.py::", LEN("sub/t.py::"));
	strcpy(expect, "keep");
	for (rc = 0; rc < 50; rc++)
		strcat(expect, "../");
	strcat(expect, "sub/t.py::");
	memset(expect + strlen(expect), 'x', sizeof(id) - LEN("sub/t.py::"));
	expect[4 + 150 + sizeof(id)] = '\0';

	for (fail_at = 0; ; fail_at++) {
		strbuf_init(&sb);
		assert_int_equal(strbuf_puts(&sb, "keep"), 0);
		realloc_left = fail_at;
		rc = rootdir_rebase(&sb, cwd, "/r", id, sizeof(id), NULL);
		realloc_left = -1;
		if (rc == 0) {
			assert_int_equal(sb.len, strlen(expect));
			assert_memory_equal(sb.data, expect, sb.len);
			strbuf_free(&sb);
			break;
		}
		assert_int_equal(rc, -2);
		assert_int_equal(sb.len, 4);
		assert_string_equal(sb.data, "keep");
		strbuf_free(&sb);
	}
	/* The buffer of 64 bytes had to grow several times. */
	assert_true(fail_at >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rebased_node_ids),
		cmocka_unit_test(test_refused_node_ids),
		cmocka_unit_test(
		    test_appends_to_what_is_there_and_why_may_be_null),
		cmocka_unit_test(test_reads_only_len_bytes),
		cmocka_unit_test(
		    test_real_reports_file_name_is_the_rebased_path),
		cmocka_unit_test(test_out_of_memory_leaves_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
