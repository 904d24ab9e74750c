/*
 * test_junit.c: the JUnit writer, on steps built by hand: a testcase's
 * classname and name from its node ID as pytest's junitxml makes them,
 * XML 1.0 escaping of anything a report can hold, the results of a
 * test's last run and its earlier failing runs in the schema's order,
 * flaky or rerun, and the counts.  The writer prints what it is given;
 * which runs a test shows is the step's (step.h).
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
#include "tally.h"
#include "unit.h"

/* Runs kept in a tally of their own, as the readers would keep them. */
struct runs {
	struct tally t;
	int n;
};

static void
runs_init(struct runs *r)
{
	assert_int_equal(tally_init(&r->t, 7), 0);
	tally_keep_runs(&r->t);
	r->n = 0;
}

/* A run of a test of its own: results and texts, slot by slot. */
static const struct tally_run *
run(struct runs *r, enum outcome outcome, unsigned results, double time,
    const char *const texts[RUN_SLOTS])
{
	struct run_record rec;
	char id[16];
	int i;

	memset(&rec, 0, sizeof(rec));
	rec.time = time;
	rec.results = results;
	for (i = 0; i < RUN_SLOTS; i++)
		if (texts != NULL && texts[i] != NULL) {
			rec.text[i].s = texts[i];
			rec.text[i].len = strlen(texts[i]);
		}
	snprintf(id, sizeof(id), "%d", r->n++);
	assert_int_equal(tally_record_run(&r->t, tally_hash_id(&r->t, id,
	    strlen(id)), id, strlen(id), outcome, 0, NULL, &rec), TALLY_OK);
	return &r->t.cases[r->t.ncases - 1].run;
}

/* A case of the step by its node ID: its last run and its earlier
 * failing runs (rerun; flaky is the caller's to set). */
static struct step_case
case_of(const char *id, const struct tally_run *last,
    const struct tally_run **earlier, uint32_t nearlier)
{
	struct step_case c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.id_len = strlen(id);
	c.last = last;
	c.earlier = earlier;
	c.nearlier = nearlier;
	return c;
}

/* What the writer wrote for these cases, as a C string. */
static char *
junit_of(struct step_case *cases, size_t n, enum verdict v,
    const char *reason)
{
	static const struct write_options o = { 1000000, NULL, NULL };
	struct step s;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.result.verdict = v;
	s.result.reason = reason;
	s.cases = cases;
	s.ncases = n;
	for (i = 0; i < n; i++) {
		s.case_counts.tests++;
		s.case_counts.failures += (cases[i].last->results &
		    RUN_FAILURE) != 0;
		s.case_counts.errors += (cases[i].last->results &
		    RUN_ERROR) != 0;
		s.case_counts.skipped += (cases[i].last->results &
		    RUN_SKIPPED) != 0;
		s.case_counts.time += cases[i].last->time;
	}
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(write_junit(fp, &s, &o), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The testcase lines of a document. */
static const char *
testcases(const char *doc)
{
	const char *p = strstr(doc, "</properties>\n");

	assert_non_null(p);
	return p + strlen("</properties>\n");
}

static void
test_the_junit_format_keeps_runs(void **state)
{
	const struct format *f;

	(void)state;
	assert_non_null(f = output_format("junit"));
	assert_ptr_equal(f->write, write_junit);
	assert_int_equal(f->messages, KEEP_RUNS);
	assert_false(f->arguments);
	assert_non_null(strstr(output_format_names(), "junit"));
}

static void
test_names_are_made_as_pytest_makes_them(void **state)
{
	static const struct {
		const char *id, *want;
	} cases[] = {
		{ "tests/test_x.py::TestK::test_a[1::2]",
		  "classname=\"tests.test_x.TestK\" name=\"test_a[1::2]\"" },
		{ "t.py::test_a", "classname=\"t\" name=\"test_a\"" },
		{ "a/b/c.py::C::D::e",
		  "classname=\"a.b.c.C.D\" name=\"e\"" },
		{ "t.py", "classname=\"\" name=\"t\"" },
		{ "tests", "classname=\"\" name=\"tests\"" },
		{ "", "classname=\"\" name=\"\"" },
		{ "boltons/x.py::boltons.x.f",
		  "classname=\"boltons.x\" name=\"boltons.x.f\"" },
		{ "t.py::test_p[a/b.py]",
		  "classname=\"t\" name=\"test_p[a/b.py]\"" },
		{ "t.pyc::a", "classname=\"t.pyc\" name=\"a\"" },
		{ "t.py::a:::b", "classname=\"t.a\" name=\":b\"" },
		{ "d.py/t.py::x", "classname=\"d.py.t\" name=\"x\"" },
		{ "t.py\n::x", "classname=\"t&#10;\" name=\"x\"" },
		{ "t.py[1]", "classname=\"\" name=\"t[1]\"" },
	};
	struct step_case c;
	struct runs r;
	char *doc, want[256];
	size_t i;

	(void)state;
	runs_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = case_of(cases[i].id, run(&r, OUTCOME_PASSED, 0, 0.0015,
		    NULL), NULL, 0);
		doc = junit_of(&c, 1, VERDICT_PASSED, "ok");
		snprintf(want, sizeof(want), "<testcase %s time=\"0.002\" />\n"
		    "</testsuite>\n</testsuites>\n", cases[i].want);
		if (strcmp(testcases(doc), want) != 0)
			fail_msg("%s: %s", cases[i].id, testcases(doc));
		free(doc);
	}
	tally_free(&r.t);
}

static void
test_anything_a_report_holds_stays_well_formed(void **state)
{
	/* Tab, line feed, CR, markup, a C0 control, NUL, DEL, "]]>",
	 * U+FFFE, U+FFFF, an e-acute, an astral character, and a byte
	 * that is no UTF-8. */
	static const char nasty[] = "a\tb\nc\rd<&>\"\x01\x1b[0m\x7f]]>"
	    "\xef\xbf\xbe\xef\xbf\xbf\xc3\xa9\xf0\x9f\x8e\x89\xff.";
	const char *texts[RUN_SLOTS] = { NULL };
	struct step_case c;
	struct runs r;
	char *doc;

	(void)state;
	runs_init(&r);
	texts[RUN_FAILURE_MESSAGE] = nasty;
	texts[RUN_FAILURE_TYPE] = "E";
	texts[RUN_FAILURE_TEXT] = nasty;
	c = case_of("t.py::test_x[\x01<]", run(&r, OUTCOME_FAILED,
	    RUN_FAILURE, 0, texts), NULL, 0);
	doc = junit_of(&c, 1, VERDICT_RETRY, "r\x02");
	assert_non_null(strstr(doc, "<property name=\"pytriage.reason\" "
	    "value=\"r#x02\" />"));
	assert_string_equal(testcases(doc),
	    "<testcase classname=\"t\" name=\"test_x[#x01&lt;]\" "
	    "time=\"0.000\"><failure message=\"a&#9;b&#10;c&#13;d&lt;&amp;"
	    "&gt;&quot;#x01#x1B[0m#x7F]]&gt;#xFFFE#xFFFF\xc3\xa9"
	    "\xf0\x9f\x8e\x89#xFF.\" type=\"E\">a\tb\nc&#13;d&lt;&amp;&gt;"
	    "\"#x01#x1B[0m#x7F]]&gt;#xFFFE#xFFFF\xc3\xa9\xf0\x9f\x8e\x89"
	    "#xFF.</failure></testcase>\n</testsuite>\n</testsuites>\n");
	free(doc);
	tally_free(&r.t);
}

static void
test_a_flaky_test_shows_its_failing_runs_as_flaky(void **state)
{
	const char *fail[RUN_SLOTS] = { "m1", "T1", "trace 1" };
	const char *err[RUN_SLOTS] = { NULL };
	const struct tally_run *earlier[2];
	struct step_case c;
	struct runs r;
	char *doc;

	(void)state;
	runs_init(&r);
	err[RUN_ERROR_MESSAGE] = "failed on setup with \"x\"";
	err[RUN_ERROR_TYPE] = "X";
	err[RUN_ERROR_TEXT] = "trace 2";
	err[RUN_OUT] = "out 2";
	earlier[0] = run(&r, OUTCOME_FAILED, RUN_FAILURE, 1, fail);
	earlier[1] = run(&r, OUTCOME_FAILED, RUN_ERROR, 1, err);
	c = case_of("t.py::f", run(&r, OUTCOME_PASSED, 0, 0.25, NULL),
	    earlier, N(earlier));
	c.flaky = 1;
	doc = junit_of(&c, 1, VERDICT_PASSED, "ok");
	assert_non_null(strstr(doc, "<testsuite name=\"pytest\" errors=\"0\" "
	    "failures=\"0\" skipped=\"0\" tests=\"1\" time=\"0.250\">"));
	assert_string_equal(testcases(doc),
	    "<testcase classname=\"t\" name=\"f\" time=\"0.250\">"
	    "<flakyFailure message=\"m1\" type=\"T1\"><stackTrace>trace 1"
	    "</stackTrace></flakyFailure>"
	    "<flakyError message=\"failed on setup with &quot;x&quot;\" "
	    "type=\"X\"><stackTrace>trace 2</stackTrace><system-out>out 2"
	    "</system-out></flakyError></testcase>\n"
	    "</testsuite>\n</testsuites>\n");
	free(doc);
	tally_free(&r.t);
}

static void
test_a_test_that_always_failed_shows_reruns_in_schema_order(void **state)
{
	const char *both[RUN_SLOTS] = {
		"m", "A", "t", "e", "B", "u", "why", "here", "o", "x"
	};
	const char *fail[RUN_SLOTS] = { "m0", "", "" };
	const char *err[RUN_SLOTS] = { NULL, NULL, NULL, "e0", "", "" };
	const struct tally_run *earlier[2];
	struct step_case c;
	struct runs r;
	char *doc;

	(void)state;
	runs_init(&r);
	earlier[0] = run(&r, OUTCOME_FAILED, RUN_ERROR, 0, err);
	earlier[1] = run(&r, OUTCOME_FAILED, RUN_FAILURE, 0, fail);
	c = case_of("t.py::g", run(&r, OUTCOME_FAILED, RUN_FAILURE |
	    RUN_ERROR | RUN_SKIPPED, 2, both), earlier, N(earlier));
	doc = junit_of(&c, 1, VERDICT_FAILED, "no");
	assert_non_null(strstr(doc, "<testsuite name=\"pytest\" errors=\"1\" "
	    "failures=\"1\" skipped=\"1\" tests=\"1\" time=\"2.000\">"));
	assert_string_equal(testcases(doc),
	    "<testcase classname=\"t\" name=\"g\" time=\"2.000\">"
	    "<failure message=\"m\" type=\"A\">t</failure>"
	    "<rerunFailure message=\"m0\" type=\"\"><stackTrace></stackTrace>"
	    "</rerunFailure>"
	    "<skipped message=\"why\">here</skipped>"
	    "<error message=\"e\" type=\"B\">u</error>"
	    "<rerunError message=\"e0\" type=\"\"><stackTrace></stackTrace>"
	    "</rerunError>"
	    "<system-out>o</system-out><system-err>x</system-err>"
	    "</testcase>\n</testsuite>\n</testsuites>\n");
	free(doc);
	tally_free(&r.t);
}

static void
test_no_test_is_still_a_whole_document(void **state)
{
	char *doc;

	(void)state;
	doc = junit_of(NULL, 0, VERDICT_NO_REPORT, "a.json does not exist");
	assert_string_equal(doc,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"pytest\" errors=\"0\" failures=\"0\" "
	    "skipped=\"0\" tests=\"0\" time=\"0.000\">\n"
	    "<testsuite name=\"pytest\" errors=\"0\" failures=\"0\" "
	    "skipped=\"0\" tests=\"0\" time=\"0.000\">\n"
	    "<properties>\n"
	    "<property name=\"pytriage.verdict\" value=\"no-report\" />\n"
	    "<property name=\"pytriage.reason\" "
	    "value=\"a.json does not exist\" />\n"
	    "</properties>\n</testsuite>\n</testsuites>\n");
	free(doc);
}

static void
test_a_write_error_is_reported(void **state)
{
	static const struct write_options o = { 1000000, NULL, NULL };
	struct step s;
	FILE *fp;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.result.reason = "r";
	if ((fp = fopen("/dev/full", "w")) == NULL)
		skip();
	assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
	assert_int_equal(write_junit(fp, &s, &o), -1);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_junit_format_keeps_runs),
		cmocka_unit_test(test_names_are_made_as_pytest_makes_them),
		cmocka_unit_test(
		    test_anything_a_report_holds_stays_well_formed),
		cmocka_unit_test(
		    test_a_flaky_test_shows_its_failing_runs_as_flaky),
		cmocka_unit_test(
		    test_a_test_that_always_failed_shows_reruns_in_schema_order),
		cmocka_unit_test(test_no_test_is_still_a_whole_document),
		cmocka_unit_test(test_a_write_error_is_reported),
	};

	return cmocka_run_group_tests_name("junit", tests, NULL, NULL);
}
