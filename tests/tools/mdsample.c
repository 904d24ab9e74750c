/*
 * mdsample.c: write the markdown of a hand-built triage, for the
 * rendering test and the annotation picture.
 *
 *   mdsample hostile MD IDS     retry: node IDs, paths and messages built
 *                               to break Markdown and HTML
 *   mdsample collection MD IDS  collection-error: hostile errors, and
 *                               failed tests that are not retried
 *   mdsample many MD IDS        retry: 5,000 failed tests in 100,000
 *                               bytes; IDS names the first 1,000
 *   mdsample realistic MD       retry as a real run would have it
 *
 * IDS receives the node IDs the document must list, each ended by NUL;
 * those holding a NUL, and the empty one, are left out of it (they cannot
 * be told apart in the file; the unit tests check them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define T(s)	{ (s), sizeof(s) - 1, NULL, 0, NULL, 0, 0, NULL, 0, 0 }
#define TM(s, path, line, msg) \
	{ (s), sizeof(s) - 1, (msg), sizeof(msg) - 1, (path), \
	  sizeof(path) - 1, (line), NULL, 0, 0 }

static const struct triage_test hostile_failed[] = {
	TM("t.py::test[`]", "t.py", 1, "``` fenced ```"),
	TM("t.py::test[``]", "t`.py", 2, "`"),
	T("``````````````````"),
	T("`starts"),
	T("ends`"),
	T(" leading space"),
	T("trailing space "),
	T("trailing two spaces  "),
	T("  "),
	T(" "),
	TM("t.py::test[|a|b|]", "|x|.py", 3, "| col | col |"),
	TM("t.py::test[<script>alert(1)</script>]", "<b>.py", 4,
	    "<script>alert(1)</script>"),
	T("t.py::test[<img src=x onerror=alert(1)>]"),
	T("t.py::test[<textarea>]"),
	T("<div>"),
	T("t.py::html[<!-- comment -->]"),
	T("t.py::cdata[<![CDATA[x]]>]"),
	T("t.py::test[&amp;&#10;&#96;&lt;]"),
	T("t.py::entity[&copy; &#x41; &]"),
	T("t.py::test[*em* _em_ **b** __b__ ~~s~~]"),
	T("[link](http://evil.example/)"),
	T("![img](http://evil.example/x.png)"),
	T("t.py::[^1]"),
	T("t.py::test[\\]"),
	T("t.py::test[\\`]"),
	T("\\"),
	T("t.py::x[a\\\nb]"),
	T("# heading"),
	T("1. ordered"),
	T("- bullet"),
	T("> quote"),
	T("---"),
	T("==="),
	T("    four spaces"),
	TM("t.py::a\nb", "a\nb.py", 5, "line one\nline two"),
	T("t.py::a\rb"),
	T("t.py::a\r\nb"),
	T("t.py::nul[\0]"),
	T(""),
	T("t.py::ctl[\x01\x1b[31m\x7f]"),
	T("t.py::tab[\t]"),
	T("t.py::nel[\xc2\x85]"),
	T("t.py::ls[\xe2\x80\xa8]"),
	T("t.py::ps[\xe2\x80\xa9]"),
	TM("t.py::bidi[\xe2\x80\xae]", "t.py", 6, "\xe2\x80\xae reversed"),
	TM("user@example.com", "user@example.com", 7, "mail user@example.com"),
	TM("www.example.com", "www.example.com", 8, "see www.example.com"),
	TM("https://example.com/x", "https://example.com", 9,
	    "https://example.com/x"),
	T("<http://autolink.example>"),
	T("t.py::test[:smile: @mention #123]"),
	T("t.py::x[$$math$$]"),
	T("t.py::test[\xf0\x9f\x98\x80 \xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9]"),
};

static const struct triage_test hostile_flaky[] = {
	T("t.py::flaky[`|<b>|&amp;]"),
	T("t.py::flaky[\n]"),
};

static const struct triage_test hostile_errors[] = {
	TM("t/<b>collect</b>.py", "t/<b>collect</b>.py", 0,
	    "ImportError: <script>x</script> `code` | pipe"),
	TM("t/`e`.py", "t/`e`.py", 0, "E\r\n<!-- x -->"),
	T("t/e\n.py"),
};

static const struct triage_test realistic_failed[] = {
	TM("tests/test_api.py::test_login[admin]", "tests/test_api.py", 42,
	    "AssertionError: assert 503 == 200"),
	TM("tests/test_api.py::TestSession::test_refresh_token",
	    "tests/test_api.py", 118,
	    "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='localhost', "
	    "port=8080): Read timed out. (read timeout=5)"),
	TM("tests/db/test_migrations.py::test_upgrade[sqlite-0042_add_index]",
	    "tests/db/test_migrations.py", 77,
	    "sqlite3.OperationalError: database is locked"),
};

static const struct triage_test realistic_flaky[] = {
	T("tests/test_worker.py::test_queue_drains"),
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static FILE *
open_or_die(const char *path)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	return fp;
}

static void
write_ids(const char *path, const struct triage_test *v, size_t n)
{
	FILE *fp = open_or_die(path);
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].id_len == 0 || memchr(v[i].id, '\0', v[i].id_len))
			continue;
		fwrite(v[i].id, 1, v[i].id_len, fp);
		putc('\0', fp);
	}
	if (fclose(fp) == EOF) {
		perror(path);
		exit(2);
	}
}

static void
write_md(const char *path, const struct triage *t, uint64_t max)
{
	struct write_options o = { max, NULL, NULL };
	struct step s;
	FILE *fp = open_or_die(path);

	memset(&s, 0, sizeof(s));
	s.result = *t;
	if (write_markdown(fp, &s, &o) != 0 || fclose(fp) == EOF) {
		fprintf(stderr, "mdsample: cannot write %s\n", path);
		exit(2);
	}
}

int
main(int argc, char *argv[])
{
	struct triage t;
	struct triage_test *many;
	char *ids;
	size_t i, n = 5000;

	memset(&t, 0, sizeof(t));
	t.input = INPUT_COLLECTOR;
	t.exit_status = 1;
	if (argc == 3 && strcmp(argv[1], "realistic") == 0) {
		t.verdict = VERDICT_RETRY;
		t.reason = "3 of 1284 tests failed; retrying them";
		t.failed = realistic_failed;
		t.nfailed = N(realistic_failed);
		t.flaky = realistic_flaky;
		t.nflaky = N(realistic_flaky);
		t.counts = (struct triage_counts){ 1301, 1284, 1270, 3, 11, 0 };
		write_md(argv[2], &t, 1000000);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: mdsample hostile|collection|many MD IDS\n"
		    "       mdsample realistic MD\n");
		return 2;
	}
	if (strcmp(argv[1], "hostile") == 0) {
		t.verdict = VERDICT_RETRY;
		t.reason = "many of many tests failed; retrying them";
		t.failed = hostile_failed;
		t.nfailed = N(hostile_failed);
		t.flaky = hostile_flaky;
		t.nflaky = N(hostile_flaky);
		t.counts = (struct triage_counts){ 60, 56, 2, N(hostile_failed),
		    0, 0 };
		write_md(argv[2], &t, 1000000);
		write_ids(argv[3], hostile_failed, N(hostile_failed));
	} else if (strcmp(argv[1], "collection") == 0) {
		t.verdict = VERDICT_COLLECTION_ERROR;
		t.reason = "3 collection errors: t/<b>collect</b>.py "
		    "(ImportError: <script>x</script> `code` | pipe); "
		    "t/`e`.py (E\\r\\n<!-- x -->); t/e\\n.py "
		    "user@example.com www.example.com";
		t.errors = hostile_errors;
		t.nerrors = N(hostile_errors);
		t.failed = hostile_failed;
		t.nfailed = 10;
		t.counts = (struct triage_counts){ 13, 10, 0, 10, 0, 0 };
		write_md(argv[2], &t, 1000000);
		write_ids(argv[3], hostile_errors, N(hostile_errors));
	} else if (strcmp(argv[1], "many") == 0) {
		if ((many = calloc(n, sizeof(*many))) == NULL ||
		    (ids = malloc(n * 32)) == NULL) {
			perror("mdsample");
			return 2;
		}
		for (i = 0; i < n; i++) {
			many[i].id = ids + i * 32;
			many[i].id_len = (size_t)snprintf(ids + i * 32, 32,
			    "t.py::test[`%zu`|<%zu>]", i, i);
			many[i].message = "AssertionError: `x` | <y>";
			many[i].message_len = strlen(many[i].message);
		}
		t.verdict = VERDICT_RETRY;
		t.reason = "5000 of 5000 tests failed; retrying them";
		t.failed = many;
		t.nfailed = n;
		t.counts = (struct triage_counts){ n, n, 0, n, 0, 0 };
		write_md(argv[2], &t, 100000);
		write_ids(argv[3], many, 1000);
		free(many);
		free(ids);
	} else {
		fprintf(stderr, "mdsample: no sample %s\n", argv[1]);
		return 2;
	}
	return 0;
}
