/*
 * test_pyargs.c: pytest's command line as pytriage run reads it.
 *
 * PYTEST_ADDOPTS is split as Python's shlex.split() splits it (the
 * expected words were taken from Python 3.11); options are found in
 * clusters as argparse finds them, never in an option's value; the last
 * of -x and --maxfail wins; "--" ends pytest's options and is where
 * pytriage's go; python -m pytest is pytest; each option that would make
 * a retry inexact, or that runs no tests, is refused wherever it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pyargs.h"
#include "unit.h"

struct shlex_case {
	const char *name;
	const char *in;
	const char *words;	/* joined with '|'; NULL: an error */
	size_t n;
};

static const struct shlex_case shlex_cases[] = {
	{ "empty", "", "", 0 },
	{ "blanks", "  ", "", 0 },
	{ "words", "a b  c", "a|b|c", 3 },
	{ "single quotes", "'a b' c", "a b|c", 2 },
	{ "double quotes", "\"a b\" c", "a b|c", 2 },
	{ "quotes inside a word", "a'b c'd", "ab cd", 1 },
	{ "empty quotes", "''", "", 1 },
	{ "empty quotes then a word", "\"\" x", "|x", 2 },
	{ "escaped blank", "a\\ b", "a b", 1 },
	{ "escaped quote in double quotes", "\"a\\\"b\"", "a\"b", 1 },
	{ "backslash kept in double quotes", "\"a\\b\"", "a\\b", 1 },
	{ "backslash kept in single quotes", "'a\\b'", "a\\b", 1 },
	{ "escaped backslash in double quotes", "\"a\\\\b\"", "a\\b", 1 },
	{ "escaped single quote", "\\'", "'", 1 },
	{ "adjacent quotes", "a\"b\"c", "abc", 1 },
	{ "tab, newline, return", "\ttab\nnl\r", "tab|nl", 2 },
	{ "an option value", "-k 'not slow' -x", "-k|not slow|-x", 3 },
	{ "escaped double quote", "a\\\"b", "a\"b", 1 },
	{ "dollar in double quotes", "\"\\$x\"", "\\$x", 1 },
	{ "no comments", "#c d", "#c|d", 2 },
	{ "unclosed single quote", "'x", NULL, 0 },
	{ "unclosed double quote", "\"x", NULL, 0 },
	{ "trailing backslash", "x\\", NULL, 0 },
};

static void
test_shlex(void **state)
{
	const struct shlex_case *t = *state;
	struct strbuf out, joined;
	const char *why = NULL;
	size_t n, i, off = 0;
	int rc;

	strbuf_init(&out);
	strbuf_init(&joined);
	rc = pyargs_shlex(t->in, &out, &n, &why);
	if (t->words == NULL) {
		assert_int_equal(rc, 1);
		assert_non_null(why);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(n, t->n);
		assert_int_equal(strbuf_puts(&joined, ""), 0);
		for (i = 0; i < n; i++) {
			if (i > 0)
				assert_int_equal(strbuf_puts(&joined, "|"), 0);
			assert_int_equal(strbuf_puts(&joined, out.data + off),
			    0);
			off += strlen(out.data + off) + 1;
		}
		assert_int_equal(off, out.len);
		assert_string_equal(joined.data, t->words);
	}
	strbuf_free(&out);
	strbuf_free(&joined);
}

struct read_case {
	const char *name;
	const char *argv[10];	/* COMMAND, NULL-ended */
	const char *addopts;	/* PYTEST_ADDOPTS; NULL: unset */
	enum pyargs_report report;
	int refused;
	const char *text;	/* begins early_stop, or is in why */
	int recognized;
	int insert_at;		/* -1: argc */
};

#define RL	PYARGS_REPORTLOG
#define CO	PYARGS_COLLECTOR

static const struct read_case read_cases[] = {
	/* Nothing to say. */
	{ "plain", { "pytest" }, NULL, RL, 0, NULL, 1, -1 },
	{ "paths and values", { "pytest", "-n", "4", "--doctest-modules",
	    "src", "tests" }, NULL, RL, 0, NULL, 1, -1 },
	{ "a value that looks like -x", { "pytest", "-k", "-x" }, NULL, RL,
	    0, "'-x' stops", 1, -1 },
	{ "-kx is -k x", { "pytest", "-kx" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-rx is -r x", { "pytest", "-rfEx" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-m x", { "pytest", "-m", "x" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-nx", { "pytest", "-nx" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-vk x", { "pytest", "-vk", "x" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-k=x", { "pytest", "-k=x" }, NULL, RL, 0, NULL, 1, -1 },
	{ "-o addopts= replaces the ini file's", { "pytest", "-o",
	    "addopts=-v" }, NULL, RL, 0, NULL, 1, -1 },
	{ "a path after --", { "pytest", "-v", "--", "-x" }, NULL, RL, 0,
	    NULL, 1, 2 },
	{ "--maxfail=0", { "pytest", "--maxfail=0" }, NULL, RL, 0, NULL, 1,
	    -1 },
	{ "--maxfail 0_0", { "pytest", "--maxfail", " 0_0 " }, NULL, RL, 0,
	    NULL, 1, -1 },
	{ "-x then --maxfail=0", { "pytest", "-x", "--maxfail=0" }, NULL,
	    RL, 0, NULL, 1, -1 },
	{ "-x in PYTEST_ADDOPTS, --maxfail=0 after", { "pytest",
	    "--maxfail=0" }, "-x", RL, 0, NULL, 1, -1 },
	{ "--json is the user's with reportlog", { "pytest", "--json=x" },
	    NULL, RL, 0, NULL, 1, -1 },
	{ "--report-log is the user's with collector", { "pytest",
	    "--report-log=x" }, NULL, CO, 0, NULL, 1, -1 },
	{ "-p another plugin", { "pytest", "-p", "no:randomly" }, NULL, RL,
	    0, NULL, 1, -1 },
	{ "-o another ini", { "pytest", "-o", "cache_dirs=x" }, NULL, RL, 0,
	    NULL, 1, -1 },
	{ "a negative number is a value", { "pytest", "--maxfail", "-1" },
	    NULL, RL, 0, "'--maxfail -1' stops", 1, -1 },

	/* Early stops. */
	{ "-x", { "pytest", "-x" }, NULL, RL, 0, "'-x' stops pytest at its "
	    "first failure", 1, -1 },
	{ "-vx", { "pytest", "-vx" }, NULL, RL, 0, "'-x (in -vx)' stops", 1,
	    -1 },
	{ "-xv", { "pytest", "-xv" }, NULL, RL, 0, "'-x (in -xv)' stops", 1,
	    -1 },
	{ "-sxk foo", { "pytest", "-sxk", "foo" }, NULL, RL, 0,
	    "'-x (in -sxk)' stops", 1, -1 },
	{ "--exitfirst", { "pytest", "--exitfirst" }, NULL, RL, 0,
	    "'--exitfirst' stops", 1, -1 },
	{ "--maxfail=2", { "pytest", "--maxfail=2" }, NULL, RL, 0,
	    "'--maxfail=2' stops pytest after that many failures", 1, -1 },
	{ "--maxfail 2", { "pytest", "--maxfail", "2" }, NULL, RL, 0,
	    "'--maxfail 2' stops", 1, -1 },
	{ "--maxfail=0 then -x", { "pytest", "--maxfail=0", "-x" }, NULL,
	    RL, 0, "'-x' stops", 1, -1 },
	{ "--sw", { "pytest", "--sw" }, NULL, RL, 0, "'--sw' stops pytest at "
	    "a failure", 1, -1 },
	{ "--stepwise-skip", { "pytest", "--stepwise-skip" }, NULL, RL, 0,
	    "'--stepwise-skip' stops", 1, -1 },
	{ "--sw is not undone", { "pytest", "--sw", "--maxfail=0" }, NULL,
	    RL, 0, "'--sw' stops", 1, -1 },
	{ "-x in PYTEST_ADDOPTS", { "pytest" }, "-q -x", RL, 0,
	    "'-x' in PYTEST_ADDOPTS stops", 1, -1 },
	{ "-x in -o addopts", { "pytest", "-o", "addopts=-q --maxfail=3" },
	    NULL, RL, 0, "'--maxfail=3' in -o addopts stops", 1, -1 },
	{ "-x in -o addopts from PYTEST_ADDOPTS", { "pytest" },
	    "-o 'addopts=-x'", RL, 0, "'-x' in -o addopts stops", 1, -1 },
	{ "python3 -m pytest -x", { "python3", "-m", "pytest", "-x" }, NULL,
	    RL, 0, "'-x' stops", 1, -1 },
	{ "python3 -X dev -mpytest", { "/usr/bin/python3.11", "-X", "dev",
	    "-Bmpytest", "-x" }, NULL, RL, 0, "'-x' stops", 1, -1 },
	{ "a wrapper's words are read too", { "./ci.sh", "-x" }, NULL, RL, 0,
	    "'-x' in COMMAND's arguments stops", 0, -1 },
	{ "a wrapper's -- does not end them", { "tox", "-e", "py", "--",
	    "-x" }, NULL, RL, 0, "'-x' in COMMAND's", 0, -1 },
	{ "python -c is a wrapper", { "python3", "-c", "x", "-x" }, NULL,
	    RL, 0, "'-x' in COMMAND's", 0, -1 },
	{ "python -m other is a wrapper", { "python3", "-m", "tox", "-x" },
	    NULL, RL, 0, "'-x' in COMMAND's", 0, -1 },
	{ "pytest-3", { "pytest-3", "-v", "--", "x" }, NULL, RL, 0, NULL, 1,
	    2 },

	/* Refused. */
	{ "--lf", { "pytest", "--lf" }, NULL, RL, 1, "'--lf' picks", 1, -1 },
	{ "--ff", { "pytest", "--ff" }, NULL, RL, 1, "'--ff' picks", 1, -1 },
	{ "--nf", { "pytest", "--new-first" }, NULL, RL, 1, "picks", 1, -1 },
	{ "--lfnf all", { "pytest", "--lfnf", "all" }, NULL, RL, 1,
	    "'--lfnf all' picks", 1, -1 },
	{ "--cache-clear", { "pytest", "--cache-clear" }, NULL, RL, 1,
	    "would empty the cache", 1, -1 },
	{ "-p no:cacheprovider", { "pytest", "-p", "no:cacheprovider" },
	    NULL, RL, 1, "'-p no:cacheprovider' turns off --last-failed", 1,
	    -1 },
	{ "-pno:cacheprovider", { "pytest", "-pno:cacheprovider" }, NULL, RL,
	    1, "'-p (in -pno:cacheprovider)' turns off", 1, -1 },
	{ "-p no:lfplugin", { "pytest", "-vp", "no:lfplugin" }, NULL, RL, 1,
	    "turns off --last-failed", 1, -1 },
	{ "-p no:pytest_reportlog", { "pytest", "-p", "no:pytest_reportlog" },
	    NULL, RL, 1, "turns off pytest-reportlog", 1, -1 },
	{ "-o cache_dir=", { "pytest", "-o", "cache_dir=c" }, NULL, RL, 1,
	    "moves pytest's cache", 1, -1 },
	{ "--override-ini=cache_dir=", { "pytest",
	    "--override-ini=cache_dir=c" }, NULL, RL, 1, "moves", 1, -1 },
	{ "--report-log", { "pytest", "--report-log=r.jsonl" }, NULL, RL, 1,
	    "'--report-log=r.jsonl' would be replaced", 1, -1 },
	{ "--json with collector", { "pytest", "--json", "r.json" }, NULL,
	    CO, 1, "'--json r.json' would be replaced", 1, -1 },
	{ "--co", { "pytest", "--co" }, NULL, RL, 1, "runs no tests", 1, -1 },
	{ "-h in a cluster", { "pytest", "-vh" }, NULL, RL, 1,
	    "'-h (in -vh)' runs no tests", 1, -1 },
	{ "--setup-plan", { "pytest", "--setup-plan" }, NULL, RL, 1,
	    "runs no tests", 1, -1 },
	{ "-f", { "pytest", "-f" }, NULL, RL, 1, "never ends", 1, -1 },
	{ "--lf in PYTEST_ADDOPTS", { "pytest" }, "--lf", RL, 1,
	    "'--lf' in PYTEST_ADDOPTS picks", 1, -1 },
	{ "--cache-clear in -o addopts", { "pytest", "-o",
	    "addopts=--cache-clear" }, NULL, RL, 1,
	    "'--cache-clear' in -o addopts", 1, -1 },
	{ "PYTEST_ADDOPTS unclosed", { "pytest" }, "-k 'x", RL, 1,
	    "no closing quotation", 1, -1 },
	{ "PYTEST_ADDOPTS with --", { "pytest" }, "-- t", RL, 1,
	    "PYTEST_ADDOPTS holds '--'", 1, -1 },
	{ "-o addopts= unclosed", { "pytest", "-o", "addopts=\"x" }, NULL,
	    RL, 1, "-o addopts= cannot be split", 1, -1 },
	{ "before -- only", { "pytest", "--", "--lf" }, NULL, RL, 0, NULL, 1,
	    1 },
};

static void
test_read(void **state)
{
	const struct read_case *t = *state;
	struct pyargs pa;
	struct strbuf why;
	int argc = 0, rc;

	while (t->argv[argc] != NULL)
		argc++;
	strbuf_init(&why);
	rc = pyargs_read(&pa, (char *const *)t->argv, argc, t->addopts,
	    t->report, &why);
	if (t->refused) {
		assert_int_equal(rc, -1);
		assert_non_null(why.data);
		if (strstr(why.data, t->text) == NULL)
			fail_msg("why: '%s', want '%s' in it", why.data,
			    t->text);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(pa.recognized, t->recognized);
		assert_int_equal(pa.insert_at, t->insert_at == -1 ? argc :
		    t->insert_at);
		if (t->text == NULL && pa.early_stop.len > 0)
			fail_msg("early stop '%s', want none",
			    pa.early_stop.data);
		if (t->text != NULL && (pa.early_stop.len == 0 ||
		    strncmp(pa.early_stop.data, t->text,
		    strlen(t->text)) != 0))
			fail_msg("early stop '%s', want '%s...'",
			    pa.early_stop.len > 0 ? pa.early_stop.data : "",
			    t->text);
	}
	pyargs_free(&pa);
	strbuf_free(&why);
}

int
main(void)
{
	int failed = 0;

	failed += run_table("shlex", shlex_cases, sizeof(shlex_cases[0]),
	    sizeof(shlex_cases) / sizeof(shlex_cases[0]), test_shlex);
	failed += run_table("read", read_cases, sizeof(read_cases[0]),
	    sizeof(read_cases) / sizeof(read_cases[0]), test_read);
	return failed != 0;
}
