/*
 * junit.c: the step as JUnit XML, one testcase per test with its runs
 * merged in it as Maven Surefire's schema records reruns.
 *
 *	<testsuites ...><testsuite name="pytest" errors failures skipped
 *	    tests time><properties>(verdict, reason)</properties>
 *	<testcase classname name time>
 *	  <failure message type>text</failure>	the last run's call failed
 *	  <rerunFailure|flakyFailure message type><stackTrace>...
 *	  <skipped message>text</skipped>
 *	  <error message type>text</error>	its setup or teardown failed
 *	  <rerunError|flakyError message type><stackTrace>...
 *	  <system-out>...</system-out><system-err>...</system-err>
 *	</testcase>...
 *
 * in the schema's order.  The step decides which runs a testcase shows
 * and whether its earlier failing runs are flaky (it passed in the end)
 * or reruns (step.h); each such run is a failure when its call failed,
 * else an error.  classname and name come from the node ID as pytest's
 * junitxml makes them (mangle_test_address): the parameters split off at
 * the first '[', the rest split at "::", the first part's '/' made '.'
 * and a ".py" at its end taken off; classname is every part but the last
 * joined by '.', name the last with the parameters put back.
 *
 * Text is escaped for XML 1.0: & < > everywhere, '"' and tab, line feed
 * and carriage return in attributes as character references, a carriage
 * return in text too (a parser would make it a line feed).  What XML
 * cannot carry (the C0 controls but tab, line feed and carriage return;
 * U+FFFE, U+FFFF) and DEL are written as pytest's junitxml writes them,
 * "#x1B", "#xFFFE"; a byte that is no UTF-8 (none comes from a report:
 * the readers refuse it) as "#xNN" too.  So any node ID, message or
 * output gives well-formed XML.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

/* The bytes of the UTF-8 character at p, or 0 when it is none. */
static size_t
utf8_char(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t min;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	if (n > len)
		return 0;
	*cp = p[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* s as XML character data; attr: inside an attribute's double quotes. */
static void
xml_text(FILE *fp, const char *s, size_t len, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, n = 0;
	uint32_t cp = 0;
	int c;

	while (i < len) {
		c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '&' && c != '<' &&
		    c != '>' && c != '"') {
			i++;
			continue;
		}
		n = 0;
		if (c >= 0x80 && (n = utf8_char(p + i, len - i, &cp)) != 0 &&
		    cp != 0xfffe && cp != 0xffff) {
			i += n;
			continue;
		}
		fwrite(p + start, 1, i - start, fp);
		if (c >= 0x80 && n != 0)
			fprintf(fp, "#x%04" PRIX32, cp);
		else if (c == '&')
			fputs("&amp;", fp);
		else if (c == '<')
			fputs("&lt;", fp);
		else if (c == '>')
			fputs("&gt;", fp);
		else if (c == '"')
			fputs(attr ? "&quot;" : "\"", fp);
		else if (c == '\r' || (attr && (c == '\t' || c == '\n')))
			fprintf(fp, "&#%d;", c);
		else if (c == '\t' || c == '\n')
			putc(c, fp);
		else
			fprintf(fp, "#x%02X", (unsigned)c);
		i += c >= 0x80 && n != 0 ? n : 1;
		start = i;
	}
	fwrite(p + start, 1, i - start, fp);
}

static void
xml_attr(FILE *fp, const char *name, const char *s, size_t len)
{
	fprintf(fp, " %s=\"", name);
	xml_text(fp, s, len, 1);
	putc('"', fp);
}

/* The first part of a node ID as pytest's classname starts: '/' as
 * '.', less a ".py" at its end (Python's `\.py$`: before a final line
 * feed too). */
static void
module_name(FILE *fp, const char *s, size_t len, int attr)
{
	size_t i, end = len, start = 0;
	int nl = 0;

	if (len >= 4 && memcmp(s + len - 4, ".py\n", 4) == 0) {
		end = len - 4;
		nl = 1;
	} else if (len >= 3 && memcmp(s + len - 3, ".py", 3) == 0)
		end = len - 3;
	for (i = 0; i < end; i++) {
		if (s[i] != '/')
			continue;
		xml_text(fp, s + start, i - start, attr);
		putc('.', fp);
		start = i + 1;
	}
	xml_text(fp, s + start, end - start, attr);
	if (nl)
		xml_text(fp, "\n", 1, attr);
}

/* Where the next "::" of the node ID's path is, or end. */
static size_t
next_part(const char *id, size_t from, size_t end)
{
	size_t i;

	for (i = from; i + 1 < end; i++)
		if (id[i] == ':' && id[i + 1] == ':')
			return i;
	return end;
}

/* classname="..." name="..." from a node ID (mangle_test_address). */
static void
test_names(FILE *fp, const char *id, size_t len)
{
	const char *bracket = memchr(id, '[', len);
	size_t path = bracket != NULL ? (size_t)(bracket - id) : len;
	size_t first = next_part(id, 0, path), last = first, at, end;

	fputs(" classname=\"", fp);
	if (first == path) {	/* one part: it is the name */
		fputs("\" name=\"", fp);
		module_name(fp, id, path, 1);
		xml_text(fp, id + path, len - path, 1);
		putc('"', fp);
		return;
	}
	for (at = first; at < path; at = next_part(id, at + 2, path))
		last = at;
	module_name(fp, id, first, 1);
	for (at = first + 2; at < last + 2; at = end + 2) {
		end = next_part(id, at, path);
		putc('.', fp);
		xml_text(fp, id + at, end - at, 1);
	}
	fputs("\" name=\"", fp);
	xml_text(fp, id + last + 2, len - last - 2, 1);
	putc('"', fp);
}

static void
run_attr(FILE *fp, const char *name, const struct tally_run *r,
    enum run_slot slot)
{
	const char *text;
	size_t len;

	text = tally_run_text(r, slot, &len);
	xml_attr(fp, name, text, len);
}

static void
run_element(FILE *fp, const char *tag, const struct tally_run *r,
    enum run_slot slot)
{
	const char *text;
	size_t len;

	text = tally_run_text(r, slot, &len);
	if (len == 0)
		return;
	fprintf(fp, "<%s>", tag);
	xml_text(fp, text, len, 0);
	fprintf(fp, "</%s>", tag);
}

/* <failure> or <error>: message, type, the long text. */
static void
result(FILE *fp, const char *tag, const struct tally_run *r,
    enum run_slot message)
{
	const char *text;
	size_t len;

	fprintf(fp, "<%s", tag);
	run_attr(fp, "message", r, message);
	run_attr(fp, "type", r, (enum run_slot)(message + 1));
	text = tally_run_text(r, (enum run_slot)(message + 2), &len);
	if (len == 0) {
		fputs(" />", fp);
		return;
	}
	putc('>', fp);
	xml_text(fp, text, len, 0);
	fprintf(fp, "</%s>", tag);
}

/* An earlier run: its message and type, its text as the stackTrace, and
 * its captured output. */
static void
earlier_run(FILE *fp, const char *tag, const struct tally_run *r,
    enum run_slot message)
{
	const char *text;
	size_t len;

	fprintf(fp, "<%s", tag);
	run_attr(fp, "message", r, message);
	run_attr(fp, "type", r, (enum run_slot)(message + 1));
	fputs("><stackTrace>", fp);
	text = tally_run_text(r, (enum run_slot)(message + 2), &len);
	xml_text(fp, text, len, 0);
	fputs("</stackTrace>", fp);
	run_element(fp, "system-out", r, RUN_OUT);
	run_element(fp, "system-err", r, RUN_ERR);
	fprintf(fp, "</%s>", tag);
}

/* The earlier runs that failed in their call (failure) or not (error). */
static void
earlier_runs(FILE *fp, const struct step_case *c, int failures)
{
	const char *tag;
	size_t i;

	for (i = 0; i < c->nearlier; i++) {
		if (((c->earlier[i]->results & RUN_FAILURE) != 0) != failures)
			continue;
		if (failures)
			tag = c->flaky ? "flakyFailure" : "rerunFailure";
		else
			tag = c->flaky ? "flakyError" : "rerunError";
		earlier_run(fp, tag, c->earlier[i], failures ?
		    RUN_FAILURE_MESSAGE : RUN_ERROR_MESSAGE);
	}
}

static void
testcase(FILE *fp, const struct step_case *c)
{
	const struct tally_run *r = c->last;
	const char *text;
	size_t out, err, len;

	fputs("<testcase", fp);
	test_names(fp, c->id, c->id_len);
	fprintf(fp, " time=\"%.3f\"", r->time);
	tally_run_text(r, RUN_OUT, &out);
	tally_run_text(r, RUN_ERR, &err);
	if (!(r->results & (RUN_FAILURE | RUN_ERROR | RUN_SKIPPED)) &&
	    c->nearlier == 0 && out == 0 && err == 0) {
		fputs(" />\n", fp);
		return;
	}
	putc('>', fp);
	if (r->results & RUN_FAILURE)
		result(fp, "failure", r, RUN_FAILURE_MESSAGE);
	earlier_runs(fp, c, 1);
	if (r->results & RUN_SKIPPED) {
		fputs("<skipped", fp);
		text = tally_run_text(r, RUN_SKIPPED_MESSAGE, &len);
		if (len > 0)	/* the collector keeps no reason */
			xml_attr(fp, "message", text, len);
		text = tally_run_text(r, RUN_SKIPPED_TEXT, &len);
		if (len == 0)
			fputs(" />", fp);
		else {
			putc('>', fp);
			xml_text(fp, text, len, 0);
			fputs("</skipped>", fp);
		}
	}
	if (r->results & RUN_ERROR)
		result(fp, "error", r, RUN_ERROR_MESSAGE);
	earlier_runs(fp, c, 0);
	run_element(fp, "system-out", r, RUN_OUT);
	run_element(fp, "system-err", r, RUN_ERR);
	fputs("</testcase>\n", fp);
}

/* errors failures skipped tests time, as pytest orders them. */
static void
suite_counts(FILE *fp, const struct step_case_counts *n)
{
	fprintf(fp, " errors=\"%" PRIu64 "\" failures=\"%" PRIu64 "\" "
	    "skipped=\"%" PRIu64 "\" tests=\"%" PRIu64 "\" time=\"%.3f\"",
	    n->errors, n->failures, n->skipped, n->tests, n->time);
}

int
write_junit(FILE *fp, const struct step *s, const struct write_options *o)
{
	const char *verdict = verdict_name(s->result.verdict);
	size_t i;

	(void)o;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"pytest\"", fp);
	suite_counts(fp, &s->case_counts);
	fputs(">\n<testsuite name=\"pytest\"", fp);
	suite_counts(fp, &s->case_counts);
	fputs(">\n<properties>\n<property name=\"pytriage.verdict\"", fp);
	xml_attr(fp, "value", verdict, strlen(verdict));
	fputs(" />\n<property name=\"pytriage.reason\"", fp);
	xml_attr(fp, "value", s->result.reason, strlen(s->result.reason));
	fputs(" />\n</properties>\n", fp);
	for (i = 0; i < s->ncases; i++)
		testcase(fp, &s->cases[i]);
	fputs("</testsuite>\n</testsuites>\n", fp);
	return ferror(fp) ? -1 : 0;
}
