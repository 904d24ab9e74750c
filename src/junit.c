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
 *
 * A suite of a hundred thousand tests is megabytes of XML: it goes out
 * through a buffer of the writer's own, plain runs of text copied whole,
 * and a time is formatted by hand unless printf's rounding could differ.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

#define OUT_BUFFER	65536

/* The output, buffered here: stdio's locking per call costs more than
 * the text. */
struct out {
	FILE *fp;
	size_t n;
	int error;
	char buf[OUT_BUFFER];
};

static void
out_flush(struct out *o)
{
	if (o->n > 0 && fwrite(o->buf, 1, o->n, o->fp) != o->n)
		o->error = 1;
	o->n = 0;
}

static inline void
out_put(struct out *o, const void *p, size_t n)
{
	if (n > sizeof(o->buf) - o->n) {
		out_flush(o);
		if (n > sizeof(o->buf)) {
			if (fwrite(p, 1, n, o->fp) != n)
				o->error = 1;
			return;
		}
	}
	memcpy(o->buf + o->n, p, n);
	o->n += n;
}

static void
out_str(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

/* A string literal, its length known. */
#define OUT_LIT(o, s)	out_put((o), (s), sizeof(s) - 1)

static void
out_char(struct out *o, char c)
{
	if (o->n == sizeof(o->buf))
		out_flush(o);
	o->buf[o->n++] = c;
}

static void
out_u64(struct out *o, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	out_put(o, d + i, sizeof(d) - i);
}

/* "%.3f" of a time: by hand, but where a tie in the third decimal could
 * round otherwise than printf's exact rounding. */
static void
out_time(struct out *o, double t)
{
	char buf[400];
	double frac;
	uint64_t v;
	int n;

	if (t >= 0 && t < 1e6) {
		v = (uint64_t)(t * 1000);
		frac = t * 1000 - (double)v;
		if (frac - 0.5 > 1e-6 || 0.5 - frac > 1e-6) {
			v += frac > 0.5;
			out_u64(o, v / 1000);
			out_char(o, '.');
			out_char(o, (char)('0' + v / 100 % 10));
			out_char(o, (char)('0' + v / 10 % 10));
			out_char(o, (char)('0' + v % 10));
			return;
		}
	}
	n = snprintf(buf, sizeof(buf), "%.3f", t);
	if (n > 0 && (size_t)n < sizeof(buf))
		out_put(o, buf, (size_t)n);
}

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

/* Per byte: 0 for plain ASCII text goes out as it is; else 1. */
static const unsigned char xml_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* " & */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,	/* < > */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The end of the plain run from i: eight bytes at a time while none of
 * them stops it (the zero-byte and less-than tricks say whether any
 * does, exactly), then byte by byte. */
static inline size_t
plain_run(const unsigned char *p, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t w, q, a, l, g, d;

	while (len - i >= 8) {
		memcpy(&w, p + i, 8);
		q = w ^ (ones * '"');
		a = w ^ (ones * '&');
		l = w ^ (ones * '<');
		g = w ^ (ones * '>');
		d = w ^ (ones * 0x7f);
		if ((((q - ones) & ~q) | ((a - ones) & ~a) | ((l - ones) & ~l) |
		    ((g - ones) & ~g) | ((d - ones) & ~d) |
		    ((w - ones * 0x20) & ~w) | w) & highs)
			break;
		i += 8;
	}
	while (i < len && !xml_stop[p[i]])
		i++;
	return i;
}

/* "#xNN" or "#xNNNN", as pytest's junitxml writes what XML cannot carry. */
static void
out_hex(struct out *o, uint32_t cp)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[6] = { '#', 'x' };
	size_t n = 2;
	int shift;

	for (shift = cp > 0xff ? 12 : 4; shift >= 0; shift -= 4)
		b[n++] = hex[(cp >> shift) & 0xf];
	out_put(o, b, n);
}

/* s as XML character data; attr: inside an attribute's double quotes. */
static void
xml_text(struct out *o, const char *s, size_t len, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, n;
	uint32_t cp = 0;
	int c;

	while ((i = plain_run(p, i, len)) < len) {
		c = p[i];
		n = c >= 0x80 ? utf8_char(p + i, len - i, &cp) : 0;
		if (n != 0 && cp != 0xfffe && cp != 0xffff) {
			i += n;
			continue;
		}
		out_put(o, p + start, i - start);
		if (n != 0)
			out_hex(o, cp);
		else if (c == '&')
			OUT_LIT(o, "&amp;");
		else if (c == '<')
			OUT_LIT(o, "&lt;");
		else if (c == '>')
			OUT_LIT(o, "&gt;");
		else if (c == '"')
			out_str(o, attr ? "&quot;" : "\"");
		else if (c == '\r')
			OUT_LIT(o, "&#13;");
		else if (c == '\t')
			out_str(o, attr ? "&#9;" : "\t");
		else if (c == '\n')
			out_str(o, attr ? "&#10;" : "\n");
		else
			out_hex(o, (uint32_t)c);
		i += n != 0 ? n : 1;
		start = i;
	}
	out_put(o, p + start, i - start);
}

static void
xml_attr(struct out *o, const char *name, const char *s, size_t len)
{
	out_char(o, ' ');
	out_str(o, name);
	OUT_LIT(o, "=\"");
	xml_text(o, s, len, 1);
	out_char(o, '"');
}

/* The first part of a node ID as pytest's classname starts: '/' as
 * '.', less a ".py" at its end (Python's `\.py$`: before a final line
 * feed too). */
static void
module_name(struct out *o, const char *s, size_t len)
{
	char dotted[256];
	const char *slash;
	size_t i, end = len, start = 0;
	int nl = 0;

	if (len >= 4 && memcmp(s + len - 4, ".py\n", 4) == 0) {
		end = len - 4;
		nl = 1;
	} else if (len >= 3 && memcmp(s + len - 3, ".py", 3) == 0)
		end = len - 3;
	if (end > 0 && end <= sizeof(dotted)) {	/* the usual path */
		memcpy(dotted, s, end);
		for (i = 0; i < end; i++)
			if (dotted[i] == '/')
				dotted[i] = '.';
		xml_text(o, dotted, end, 1);
	} else {
		while ((slash = memchr(s + start, '/', end - start)) != NULL) {
			i = (size_t)(slash - s);
			xml_text(o, s + start, i - start, 1);
			out_char(o, '.');
			start = i + 1;
		}
		xml_text(o, s + start, end - start, 1);
	}
	if (nl)
		xml_text(o, "\n", 1, 1);
}

/* Where the next "::" of the node ID's path is, or end. */
static size_t
next_part(const char *id, size_t from, size_t end)
{
	const char *p;

	while (from + 1 < end && (p = memchr(id + from, ':',
	    end - from - 1)) != NULL) {
		from = (size_t)(p - id);
		if (id[from + 1] == ':')
			return from;
		from++;
	}
	return end;
}

/* classname="..." name="..." from a node ID (mangle_test_address). */
static void
test_names(struct out *o, const char *id, size_t len)
{
	const char *bracket = memchr(id, '[', len);
	size_t path = bracket != NULL ? (size_t)(bracket - id) : len;
	size_t first = next_part(id, 0, path), last = first, at, end;

	OUT_LIT(o, " classname=\"");
	if (first == path) {	/* one part: it is the name */
		OUT_LIT(o, "\" name=\"");
		module_name(o, id, path);
		xml_text(o, id + path, len - path, 1);
		out_char(o, '"');
		return;
	}
	for (at = first; at < path; at = next_part(id, at + 2, path))
		last = at;
	module_name(o, id, first);
	for (at = first + 2; at < last + 2; at = end + 2) {
		end = next_part(id, at, path);
		out_char(o, '.');
		xml_text(o, id + at, end - at, 1);
	}
	OUT_LIT(o, "\" name=\"");
	xml_text(o, id + last + 2, len - last - 2, 1);
	out_char(o, '"');
}

static void
run_attr(struct out *o, const char *name, const struct tally_run *r,
    enum run_slot slot)
{
	const char *text;
	size_t len;

	text = tally_run_text(r, slot, &len);
	xml_attr(o, name, text, len);
}

static void
close_tag(struct out *o, const char *tag)
{
	OUT_LIT(o, "</");
	out_str(o, tag);
	out_char(o, '>');
}

/* "<tag message=... type=...", from a run's slots from message on. */
static void
open_with_message(struct out *o, const char *tag, const struct tally_run *r,
    enum run_slot message)
{
	out_char(o, '<');
	out_str(o, tag);
	run_attr(o, "message", r, message);
	run_attr(o, "type", r, (enum run_slot)(message + 1));
}

static void
run_element(struct out *o, const char *tag, const struct tally_run *r,
    enum run_slot slot)
{
	const char *text;
	size_t len;

	text = tally_run_text(r, slot, &len);
	if (len == 0)
		return;
	out_char(o, '<');
	out_str(o, tag);
	out_char(o, '>');
	xml_text(o, text, len, 0);
	close_tag(o, tag);
}

/* <failure> or <error>: message, type, the long text. */
static void
result(struct out *o, const char *tag, const struct tally_run *r,
    enum run_slot message)
{
	const char *text;
	size_t len;

	open_with_message(o, tag, r, message);
	text = tally_run_text(r, (enum run_slot)(message + 2), &len);
	if (len == 0) {
		OUT_LIT(o, " />");
		return;
	}
	out_char(o, '>');
	xml_text(o, text, len, 0);
	close_tag(o, tag);
}

/* An earlier run: its message and type, its text as the stackTrace, and
 * its captured output. */
static void
earlier_run(struct out *o, const char *tag, const struct tally_run *r,
    enum run_slot message)
{
	const char *text;
	size_t len;

	open_with_message(o, tag, r, message);
	OUT_LIT(o, "><stackTrace>");
	text = tally_run_text(r, (enum run_slot)(message + 2), &len);
	xml_text(o, text, len, 0);
	OUT_LIT(o, "</stackTrace>");
	run_element(o, "system-out", r, RUN_OUT);
	run_element(o, "system-err", r, RUN_ERR);
	close_tag(o, tag);
}

/* The earlier runs that failed in their call (failure) or not (error). */
static void
earlier_runs(struct out *o, const struct step_case *c, int failures)
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
		earlier_run(o, tag, c->earlier[i], failures ?
		    RUN_FAILURE_MESSAGE : RUN_ERROR_MESSAGE);
	}
}

static void
testcase(struct out *o, const struct step_case *c)
{
	const struct tally_run *r = c->last;
	const char *text;
	size_t out, err, len;

	OUT_LIT(o, "<testcase");
	test_names(o, c->id, c->id_len);
	OUT_LIT(o, " time=\"");
	out_time(o, r->time);
	out_char(o, '"');
	tally_run_text(r, RUN_OUT, &out);
	tally_run_text(r, RUN_ERR, &err);
	if (!(r->results & (RUN_FAILURE | RUN_ERROR | RUN_SKIPPED)) &&
	    c->nearlier == 0 && out == 0 && err == 0) {
		OUT_LIT(o, " />\n");
		return;
	}
	out_char(o, '>');
	if (r->results & RUN_FAILURE)
		result(o, "failure", r, RUN_FAILURE_MESSAGE);
	earlier_runs(o, c, 1);
	if (r->results & RUN_SKIPPED) {
		OUT_LIT(o, "<skipped");
		text = tally_run_text(r, RUN_SKIPPED_MESSAGE, &len);
		if (len > 0)	/* the collector keeps no reason */
			xml_attr(o, "message", text, len);
		text = tally_run_text(r, RUN_SKIPPED_TEXT, &len);
		if (len == 0)
			OUT_LIT(o, " />");
		else {
			out_char(o, '>');
			xml_text(o, text, len, 0);
			OUT_LIT(o, "</skipped>");
		}
	}
	if (r->results & RUN_ERROR)
		result(o, "error", r, RUN_ERROR_MESSAGE);
	earlier_runs(o, c, 0);
	run_element(o, "system-out", r, RUN_OUT);
	run_element(o, "system-err", r, RUN_ERR);
	OUT_LIT(o, "</testcase>\n");
}

/* errors failures skipped tests time, as pytest orders them. */
static void
suite_counts(struct out *o, const struct step_case_counts *n)
{
	OUT_LIT(o, " errors=\"");
	out_u64(o, n->errors);
	OUT_LIT(o, "\" failures=\"");
	out_u64(o, n->failures);
	OUT_LIT(o, "\" skipped=\"");
	out_u64(o, n->skipped);
	OUT_LIT(o, "\" tests=\"");
	out_u64(o, n->tests);
	OUT_LIT(o, "\" time=\"");
	out_time(o, n->time);
	out_char(o, '"');
}

int
write_junit(FILE *fp, const struct step *s, const struct write_options *opt)
{
	const char *verdict = verdict_name(s->result.verdict);
	struct out o;
	size_t i;

	(void)opt;
	o.fp = fp;
	o.n = 0;
	o.error = 0;
	out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"pytest\"");
	suite_counts(&o, &s->case_counts);
	OUT_LIT(&o, ">\n<testsuite name=\"pytest\"");
	suite_counts(&o, &s->case_counts);
	OUT_LIT(&o, ">\n<properties>\n<property name=\"pytriage.verdict\"");
	xml_attr(&o, "value", verdict, strlen(verdict));
	OUT_LIT(&o, " />\n<property name=\"pytriage.reason\"");
	xml_attr(&o, "value", s->result.reason, strlen(s->result.reason));
	OUT_LIT(&o, " />\n</properties>\n");
	for (i = 0; i < s->ncases; i++)
		testcase(&o, &s->cases[i]);
	OUT_LIT(&o, "</testsuite>\n</testsuites>\n");
	out_flush(&o);
	return o.error || ferror(fp) ? -1 : 0;
}
