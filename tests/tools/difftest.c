/*
 * difftest.c: hold the fast reader against the json-c reference.
 *
 * usage: difftest [-E lines] [-g reports] [-l logs] [-m mutants]
 *     [-p prefixes] [-P prefixes] [-s seed] [file ...]
 *
 * For every file, and for every input made from it, both readers run over
 * the same bytes, cut into chunks of many sizes so that every refill path
 * of the fast reader is reached, and must agree on everything the triage
 * and the writers read (capture.h): the status, a log's SessionFinish,
 * every count, and byte for byte the selectors, the flaky and unknown
 * node IDs and the collection errors with their reasons.  json-c keeps
 * failure messages and every test's runs; the fast reader reads every
 * input without them, with both, and with runs alone (what -f junit
 * reads), and with them must agree on each failure's message, path and
 * line, and its site in the test's own file, too (what -f markdown and
 * -f github print), and on every case and kept run with its texts (what
 * -f junit prints).  The inputs are:
 *   - the file itself, a collector's report or a pytest-reportlog log;
 *   - its proper prefixes (every one, or -p of them spread evenly).  No
 *     prefix may triage as passed or retry, under the exit status in the
 *     file "exit_status" beside it, 0 or 1: a report cut short must never
 *     turn a build green.  A collector's report cut short must not even
 *     parse (a log cut after a line feed does: a killed run).  -P checks
 *     that many more with the fast reader alone, and -E every prefix
 *     ending just before or after one of the last N line feeds and every
 *     one inside the last line, for files too big to parse with json-c
 *     thousands of times;
 *   - seeded mutants: bytes flipped, replaced with JSON's own punctuation,
 *     deleted, duplicated and inserted; for a log also whole lines
 *     duplicated, dropped, swapped, cut, blank lines and CR LF put in;
 *   - with -g N, N generated collector's reports (keys reordered, escapes
 *     in keys and values, odd types, nested junk in skipped fields,
 *     failure_reason and location twice, locations about the longest kept,
 *     file_name, failure_expanded backtraces in their forms and near
 *     misses, a backtrace or failure_expanded twice);
 *   - with -l N, N generated logs: a session of CollectReport, TestReport,
 *     SubTestReport and WarningMessage lines, tests interleaved, phases in
 *     valid and invalid orders, every outcome and odd words, odd types,
 *     duplicate and escaped keys (longrepr, reprcrash and its members,
 *     location twice), reprtraceback entries (in the test's file as pytest
 *     names it from above or below the rootdir, in others, native ones,
 *     data, reprfileloc or reprentries twice, more than a reader searches),
 *     paths about the longest kept, messages longer than those kept, junk
 *     in skipped keys, blank lines, CR LF, SessionFinish or none, and
 *     lines after it.
 * Prints one line per disagreement and a closing line; exits 1 on any.
 * DIFFTEST_SAVE=DIR keeps each disagreeing input there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "reader.h"
#include "source.h"
#include "tally.h"
#include "triage.h"
#include "verdict.h"

struct stats {
	unsigned long inputs, disagreements, prefixes_accepted;
	unsigned long accepted, rejected;	/* by the json-c reader */
	unsigned long triaged;			/* prefixes through triage */
};

/* The exit statuses a prefix is triaged under. */
struct statuses {
	int status[3];
	int n;
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One in n. */
static int
one_in(unsigned n)
{
	return n > 0 && rng() % n == 0;
}

static void
nomem(void)
{
	fprintf(stderr, "difftest: out of memory\n");
	exit(2);
}

static void
capture(struct capture *c, int reader, const unsigned char *data,
    size_t len, size_t chunk, int messages)
{
	/* The readers get different hash seeds: nothing may depend on one. */
	if (capture_read(c, reader, data, len, chunk, messages,
	    reader == CAPTURE_REFERENCE ? 42 : 7) == -1)
		nomem();
}

/* Keep a disagreeing input, so that it can become a regression case. */
static void
save(const unsigned char *data, size_t len, size_t chunk, int messages)
{
	const char *dir = getenv("DIFFTEST_SAVE");
	char path[4096];
	FILE *fp;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/disagree-c%zu-m%d-%llu", dir, chunk,
	    messages, (unsigned long long)(rng() & 0xffffffff));
	if ((fp = fopen(path, "wb")) != NULL) {
		fwrite(data, 1, len, fp);
		fclose(fp);
		fprintf(stderr, "  saved as %s\n", path);
	}
}

/*
 * The triage of a capture under each exit status: 1 when one of them is
 * passed or retry (a green build), else 0.
 */
static int
goes_green(struct capture *c, const struct statuses *ss, int *which)
{
	struct triage_options opt;
	struct triage t;
	struct strbuf why;
	int i, green = 0;

	for (i = 0; i < ss->n && !green; i++) {
		memset(&opt, 0, sizeof(opt));
		opt.exit_status = ss->status[i];
		strbuf_init(&why);
		if (triage_run(&t, &c->rd, (int)c->status, &opt, &why) == -1)
			nomem();
		if (t.verdict == VERDICT_PASSED || t.verdict == VERDICT_RETRY) {
			green = 1;
			*which = ss->status[i];
		}
		triage_free(&t);
		strbuf_free(&why);
	}
	return green;
}

/*
 * A proper prefix: never green, and a collector's report never read as
 * whole.  1 when it broke that rule (said on stderr).
 */
static int
prefix_broken(const char *name, size_t cut, struct capture *c,
    const struct statuses *ss, struct stats *st)
{
	int status = -1;

	st->triaged++;
	if (c->rd.input == INPUT_COLLECTOR && c->status == REPORT_READ_OK) {
		fprintf(stderr, "difftest: %s: the prefix of %zu bytes is "
		    "accepted\n", name, cut);
		st->prefixes_accepted++;
		return 1;
	}
	if (goes_green(c, ss, &status)) {
		fprintf(stderr, "difftest: %s: the prefix of %zu bytes is %s "
		    "under exit status %d\n", name, cut, c->rd.input ==
		    INPUT_COLLECTOR ? "accepted" : "passed or retry",
		    status);
		st->prefixes_accepted++;
		return 1;
	}
	return 0;
}

/* A whole file bigger than this is read by json-c whole only, and by
 * the fast reader at fewer chunk sizes: it is read thousands of times
 * already as prefixes. */
#define BIG	((size_t)4 << 20)

/* What a fast reading keeps, pass by pass: nothing, everything, runs
 * alone. */
static const int keeps[] = { 0, KEEP_MESSAGES | KEEP_RUNS, KEEP_RUNS };

/*
 * Both readers over one input.  json-c reads it once, whole, keeping
 * messages and runs; the fast reader reads it keeping nothing, both,
 * and runs alone, and capture_same() holds each reading to json-c's
 * (messages and places, runs, only when both kept them).  A whole file:
 * the fast reader at every chunk size each way, and json-c again at each
 * chunk size.  Anything else: the fast reader whole keeping nothing and
 * at one random chunk size keeping one of the others.  When ss is set
 * the input is a proper prefix (of name, cut bytes long) and must not go
 * green.  Returns the fast reader's status on the whole input, its kind
 * in *input.
 */
static enum report_status
check(const char *name, const char *kind, const unsigned char *data,
    size_t len, int whole, const struct statuses *ss, enum input_kind *input,
    struct stats *st)
{
	static const size_t all_chunks[] = { 0, 1, 2, 3, 7, 64, 4093 };
	static const size_t big_chunks[] = { 0, 1, 7, 4093 };
	const size_t *chunks = all_chunks;
	struct capture want, got;
	size_t i, chunk, nchunks;
	enum report_status status = REPORT_READ_OK;
	int bad = 0, messages, pass, npasses;

	nchunks = whole ? sizeof(all_chunks) / sizeof(all_chunks[0]) : 2;
	if (whole && len > BIG) {
		chunks = big_chunks;
		nchunks = sizeof(big_chunks) / sizeof(big_chunks[0]);
	}
	npasses = whole ? 3 : 1;
	st->inputs++;
	capture(&want, CAPTURE_REFERENCE, data, len, 0,
	    KEEP_MESSAGES | KEEP_RUNS);
	if (want.status == REPORT_READ_OK)
		st->accepted++;
	else
		st->rejected++;
	for (pass = 0; pass < npasses && !bad; pass++) {
		for (i = 0; i < nchunks && !bad; i++) {
			chunk = whole || i == 0 ? chunks[i] : 1 + rng() % 97;
			messages = whole ? keeps[pass] : i > 0 ?
			    keeps[1 + rng() % 2] : 0;
			capture(&got, CAPTURE_FAST, data, len, chunk, messages);
			if (i == 0 && pass == 0) {
				status = got.status;
				if (input != NULL)
					*input = got.rd.input;
				if (ss != NULL)
					prefix_broken(name, len, &got, ss,
					    st);
			}
			if (!capture_same(&want, &got)) {
				fprintf(stderr, "difftest: %s (%s, %zu bytes): "
				    "fast reader at chunk %zu%s disagrees "
				    "with json-c\n", name, kind, len, chunk,
				    messages == KEEP_RUNS ? " with runs" :
				    messages ? " with messages and runs" : "");
				capture_describe(stderr, "json-c", &want);
				capture_describe(stderr, "fast", &got);
				if (getenv("DIFFTEST_VERBOSE") != NULL) {
					capture_print(stderr, "json-c", &want);
					capture_print(stderr, "fast", &got);
				}
				save(data, len, chunk, messages);
				bad = 1;
			}
			capture_free(&got);
			/* json-c at the other chunk sizes: keeping
			 * everything. */
			if (!whole || messages != keeps[1] || chunk == 0 ||
			    bad || len > BIG)
				continue;
			capture(&got, CAPTURE_REFERENCE, data, len, chunk, messages);
			if (!capture_same(&want, &got)) {
				fprintf(stderr, "difftest: %s (%s): the json-c "
				    "reader depends on the chunk size %zu\n",
				    name, kind, chunk);
				save(data, len, chunk, messages);
				bad = 1;
			}
			capture_free(&got);
		}
	}
	capture_free(&want);
	st->disagreements += (unsigned long)bad;
	return status;
}

/*
 * Generated collector's reports: records with their keys in random order,
 * keys and values written with escapes (\u0073cope, \/, \ud83d\ude00,
 * \u2028), optional and odd-typed fields, duplicate tags, and nested junk
 * of every JSON kind in the fields the triage skips.  Most are valid, some
 * not; either way both readers must agree.
 */
static void
put(struct strbuf *sb, const char *s)
{
	if (strbuf_append(sb, s, strlen(s)) == -1)
		nomem();
}

/* How often a generated input goes wrong on purpose: one in odds. */
static unsigned odds = 200;

/* A string literal for text, with some characters escaped at random and,
 * rarely, an odd character put in (a \\u0000 in a key makes it bad). */
static void
put_string(struct strbuf *sb, const char *text)
{
	static const char *const odd[] = {
		"\\n", "\\u2028", "\\ud83d\\ude00", "\\ud800", "\\u00e9",
		"\\u0000", "\\\"", "\\\\", "\\/", "\\t", "\xc3\xa9", "::",
		"\xe2\x80\xa8", "@", "\\r\\n", "\\u0085"
	};
	char esc[8];
	const char *p;

	put(sb, "\"");
	for (p = text; *p != '\0'; p++) {
		if (one_in(6)) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*p);
			put(sb, esc);
		} else if (*p == '"' || *p == '\\') {
			put(sb, *p == '"' ? "\\\"" : "\\\\");
		} else if (*p == '\n') {
			put(sb, "\\n");
		} else if (strbuf_append(sb, p, 1) == -1)
			nomem();
		if (one_in(odds))
			put(sb, odd[rng() % (sizeof(odd) / sizeof(odd[0]))]);
	}
	put(sb, "\"");
}

/* A string of head, at least n bytes of 'x' and up to spread more, then
 * tail (JSON text): one near a length that a reader cuts at. */
static void
put_long(struct strbuf *sb, const char *head, size_t n, size_t spread,
    const char *tail)
{
	size_t i;

	n += rng() % (spread + 1);
	put(sb, "\"");
	put(sb, head);
	for (i = 0; i < n; i++)
		put(sb, "x");
	put(sb, tail);
	put(sb, "\"");
}

/* A key: odd characters put in much more rarely than in values. */
static void
put_key(struct strbuf *sb, const char *text)
{
	unsigned saved = odds;

	odds = odds > 100000 ? odds : odds * 20;
	put_string(sb, text);
	odds = saved;
}

static void
put_junk(struct strbuf *sb, int depth)
{
	static const char *const scalars[] = {
		"0", "-0.0e-0", "1e999999", "NaN", "Infinity", "-Infinity",
		"true", "false", "null", "12.5E+3", "\"\"", "\"x\\ny\"",
		"\"{\\\"when\\\": \\\"call\\\"}\"", "\"\\u0000\""
	};
	static const char *const keys[] = {
		"start_at", "children", "when", "outcome", "nodeid",
		"$report_type", "reprcrash", "path", "lineno", "message"
	};
	int i, n;

	switch (depth <= 0 ? 0 : rng() % 3) {
	case 0:
		put(sb, scalars[rng() % (sizeof(scalars) / sizeof(scalars[0]))]);
		break;
	case 1:
		put(sb, "[");
		n = (int)(rng() % 4);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, ", ");
			put_junk(sb, depth - 1);
		}
		put(sb, "]");
		break;
	default:
		put(sb, "{");
		n = (int)(rng() % 4);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, one_in(3) ? ",\t" : ", ");
			put_string(sb, keys[rng() % (sizeof(keys) /
			    sizeof(keys[0]))]);
			put(sb, one_in(4) ? " :  " : ": ");
			put_junk(sb, depth - 1);
		}
		put(sb, "}");
		break;
	}
}

static void
shuffle(int *order, int n)
{
	int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (int)(rng() % (unsigned)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

static void	put_number(struct strbuf *);
static void	put_lines(struct strbuf *, size_t);

/* A backtrace string of the collector: "path:line: message" in its
 * forms, near misses, and paths about the longest read. */
static void
put_backtrace_entry(struct strbuf *sb)
{
	static const char *const entries[] = {
		"tests/t.py:12:", "tests/t.py:7: AssertionError",
		"/usr/lib/python3/x.py:5: ValueError", "t.py:3:",
		"/builds/example/tests/t.py:9: E", "tests/t.py:0:",
		"tests/t.py:1234567890:", "tests/t.py:123456789:",
		"tests/t.py:12", "tests/t.py:12:x", "a:1:b.py:5: E: 'c:6: d'",
		":5: x", "tests/t.py:8:\nmore", "tests/t.py\n:8: E",
		"  File \"tests/t.py\", line 4, in t\n    f(\":5: x\")\nE",
		"../t.py:4:", "tests/u.py:3: KeyError"
	};

	if (one_in(30)) {	/* about where a reader stops reading */
		put_long(sb, "tests/", 4080, 40, one_in(2) ? ".py:9: E" :
		    ".py:9:");
		return;
	}
	put_string(sb, entries[rng() % (sizeof(entries) /
	    sizeof(entries[0]))]);
}

/* failure_expanded: elements of expanded lines and a backtrace, which is
 * now and then null, of another type, or given twice (the last counts). */
static void
put_expanded(struct strbuf *sb)
{
	int i, j, n, m, k, twice;

	put(sb, "[");
	n = (int)(rng() % 3);
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(sb, ", ");
		if (one_in(10)) {
			put_junk(sb, 1);
			continue;
		}
		put(sb, "{\"expanded\": ");
		put_lines(sb, 65536);
		if (one_in(6)) {	/* expanded again: the last counts */
			put(sb, ", \"expanded\": ");
			put_junk(sb, 1);
		}
		twice = one_in(6) ? 2 : 1;
		for (k = 0; k < twice; k++) {
			put(sb, ", ");
			put_key(sb, "backtrace");
			put(sb, ": ");
			if (one_in(8)) {
				put(sb, rng() % 2 ? "null" : "\"x.py:1:\"");
				continue;
			}
			put(sb, "[");
			m = (int)(rng() % 4);
			for (j = 0; j < m; j++) {
				if (j > 0)
					put(sb, ", ");
				if (one_in(15))
					put_junk(sb, 1);
				else
					put_backtrace_entry(sb);
			}
			put(sb, "]");
		}
		put(sb, "}");
	}
	put(sb, "]");
}

static void
put_record(struct strbuf *sb, unsigned ids)
{
	/* The last of each list makes the report bad: one in 16. */
	static const char *const results[16] = {
		"\"passed\"", "\"passed\"", "\"passed\"", "\"passed\"",
		"\"passed\"", "\"passed\"", "\"failed\"", "\"failed\"",
		"\"failed\"", "\"failed\"", "\"skipped\"", "\"skipped\"",
		"null", "\"xfailed\"", "\"FAILED\"", "7"
	};
	static const char *const tag_values[16] = {
		"\"false\"", "\"false\"", "\"false\"", "\"false\"",
		"\"false\"", "\"false\"", "\"false\"", "\"false\"",
		"\"false\"", "\"false\"", "\"true\"", "\"true\"",
		"\"TRUE\"", "\"true \"", "\"\"", "1"
	};
	char name[64];
	int order[14], i, t, n = 10;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (one_in(6))			/* failure_reason twice: last wins */
		order[n++] = 6;
	if (one_in(6))			/* location twice: last wins */
		order[n++] = 7;
	if (one_in(8))			/* failure_expanded twice */
		order[n++] = 8;
	if (one_in(8))			/* file_name twice */
		order[n++] = 9;
	shuffle(order, n);
	put(sb, "{");
	for (i = 0, t = 0; i < n; i++) {
		if (order[i] >= 5 && one_in(3))
			continue;	/* optional keys left out */
		if (order[i] == 0 && one_in(50))
			continue;	/* scope missing: bad */
		if (t++ > 0)
			put(sb, ", ");
		switch (order[i]) {
		case 0:
			put_string(sb, "scope");
			put(sb, ": ");
			put_string(sb, rng() % 4 ? "tests/t.py" : "");
			break;
		case 1:
			put_string(sb, "name");
			put(sb, ": ");
			snprintf(name, sizeof(name), "test_%u[a::b]",
			    (unsigned)(rng() % ids));
			put_string(sb, name);
			break;
		case 2:
			put_string(sb, "result");
			put(sb, ": ");
			put(sb, results[rng() % 16]);
			break;
		case 3:
			put_string(sb, "history");
			put(sb, ": ");
			if (one_in(3)) {
				put_junk(sb, 4);
				break;
			}
			put(sb, "{\"section\": \"top\", \"duration\": ");
			put_number(sb);
			if (one_in(6)) {
				put(sb, ", \"duration\": ");
				put_number(sb);
			}
			put(sb, ", \"children\": ");
			put_junk(sb, 3);
			put(sb, "}");
			break;
		case 4:
			put_string(sb, "id");
			put(sb, ": ");
			put_string(sb, "c1a67827-f286-43e0-b100-58a2189847c6");
			break;
		case 5:
			put_string(sb, "tags");
			put(sb, ": {");
			put_string(sb, rng() % 2 ? "test.pytest_collection_error" :
			    "test.collection_error");
			put(sb, ": ");
			put(sb, tag_values[rng() % 16]);
			if (one_in(4)) {	/* a duplicate tag: last wins */
				put(sb, ", \"test.pytest_collection_error\": ");
				put(sb, tag_values[rng() % 15]);
			}
			put(sb, "}");
			break;
		case 6:
			put_string(sb, "failure_reason");
			put(sb, ": ");
			if (one_in(30))
				put_long(sb, "AssertionError: ", 1000, 40,
				    "\\u00e9\\nsecond");
			else if (one_in(8))
				put_junk(sb, 1);
			else
				put_string(sb, rng() % 2 ?
				    "AssertionError: first line\nsecond" :
				    "\r\nE   ImportError: x\r\n");
			break;
		case 7:
			put_string(sb, "location");
			put(sb, ": ");
			if (one_in(30))	/* about the longest kept */
				put_long(sb, "tests/", 4080, 12, ".py:3");
			else if (rng() % 4)
				put_string(sb, rng() % 2 ? "tests/t.py:12" :
				    "tests/u.py:7");
			else
				put_junk(sb, 1);
			break;
		case 8:
			put_string(sb, "failure_expanded");
			put(sb, ": ");
			if (one_in(5))
				put_junk(sb, 3);
			else
				put_expanded(sb);
			break;
		default:
			put_string(sb, "file_name");
			put(sb, ": ");
			if (one_in(30))	/* about the longest kept */
				put_long(sb, "tests/", 4080, 12, ".py");
			else if (rng() % 6)
				put_string(sb, rng() % 3 ? "tests/t.py" :
				    rng() % 2 ? "t.py" : "");
			else
				put_junk(sb, 1);
			break;
		}
	}
	put(sb, "}");
}

static void
generated(unsigned long count, struct stats *st)
{
	struct strbuf sb;
	unsigned long g;
	unsigned i, n, ids;

	strbuf_init(&sb);
	odds = 200;
	for (g = 0; g < count; g++) {
		strbuf_reset(&sb);
		n = (unsigned)(rng() % 12);
		ids = 1 + (unsigned)(rng() % 8);
		put(&sb, one_in(20) ? "\xef\xbb\xbf[" : "[");
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(&sb, ", ");
			put_record(&sb, ids);
		}
		put(&sb, "]");
		check("generated", "generated report",
		    (const unsigned char *)sb.data, sb.len, 0, NULL, NULL, st);
	}
	strbuf_free(&sb);
}

/*
 * Generated logs.  A line is a set of members, written in random order
 * (or pytest's, $report_type last); the deciding keys now and then get an
 * odd type or a second occurrence.
 */
enum { M_TYPE, M_NODEID, M_WHEN, M_OUTCOME, M_EXIT, M_LONGREPR, M_LOCATION,
	M_KEYWORDS, M_SECTIONS, M_OTHER, M_DURATION, M_WASXFAIL, M_COUNT };

struct line {
	const char *type;	/* NULL: no $report_type */
	const char *nodeid, *when, *outcome;	/* NULL: absent */
	const char *exitstatus;	/* JSON text, or NULL */
	int longrepr;		/* 0: null, else a kind of failure */
};

/* A string value, or now and then a value of another type. */
static void
put_word(struct strbuf *sb, const char *text)
{
	static const char *const odd[] = {
		"null", "7", "[]", "{}", "true", "[\"call\"]", "{\"a\": 1}"
	};

	if (one_in(odds / 2 + 1))
		put(sb, odd[rng() % (sizeof(odd) / sizeof(odd[0]))]);
	else
		put_string(sb, text);
}

/* A number as a duration might be, or now and then something else. */
static void
put_number(struct strbuf *sb)
{
	static const char *const numbers[] = {
		"0.00024389200007135514", "1e-05", "0", "3", "-0.5", "NaN",
		"Infinity", "-Infinity", "1e400", "1000000001", "2.5E+2",
		"0.10000000000000000000000000000000000000000000000000000000000001",
		"99999999999999999999", "\"0.1\"", "null", "[]"
	};

	put(sb, numbers[rng() % 4 ? rng() % 3 : rng() % 16]);
}

/* A string that may be long, with escapes, or of another type now and
 * then: JSON text. */
static void
put_text(struct strbuf *sb, size_t near)
{
	static const char *const texts[] = {
		"\"AssertionError: x\\nassert 0\"", "\"    def test_x():\"",
		"\"\"", "\">       assert 1 == 2\"", "\"E   assert 1 == 2\\r\\n\"",
		"\"\\u0000\\u001b]]>\\ufffe<&\\\"\"", "\"Captured stdout call\"",
		"\"tests/t.py\"", "\"short\"", "\"sh\\u006frt\"",
		"\"  \\n\\t x \\n \""
	};

	if (one_in(12))
		put_junk(sb, 1);
	else if (near > 0 && one_in(25))
		put_long(sb, "E   ", near - 6, 12, "\\u00e9\\n");
	else
		put(sb, texts[rng() % 11]);
}

/* A list of lines. */
static void
put_lines(struct strbuf *sb, size_t near)
{
	int i, n = (int)(rng() % 4);

	put(sb, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(sb, ", ");
		put_text(sb, near);
	}
	put(sb, "]");
}

/* An object whose members come from keys, each written by f, in random
 * order, one in leave_out left out and now and then one twice. */
static void
put_members(struct strbuf *sb, const char *const *keys, int nkeys,
    unsigned leave_out, void (*f)(struct strbuf *, int))
{
	int order[8], i, n = nkeys;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (one_in(5))
		order[n++] = (int)(rng() % (unsigned)nkeys);
	shuffle(order, n);
	put(sb, "{");
	for (i = 0; i < n; i++) {
		if (one_in(leave_out))
			continue;
		if (sb->data[sb->len - 1] != '{')
			put(sb, ", ");
		put_key(sb, keys[order[i]]);
		put(sb, ": ");
		f(sb, order[i]);
	}
	put(sb, "}");
}

static void
put_crash_member(struct strbuf *sb, int which)
{
	static const char *const linenos[] = {
		"8", "0", "-3", "1.5", "1e2", "\"8\"", "null",
		"999999999999999999", "1000000000000000000",
		"123456789012345678901234567890"
	};
	static const char *const paths[] = {
		"/builds/example/tests/t.py", "tests/t.py", "", "/", "\\u00e9.py",
		"/builds/example/tests/u.py"
	};

	switch (which) {
	case 0:
		if (one_in(8))
			put(sb, rng() % 2 ? "7" : "null");
		else if (one_in(30))	/* about the longest kept */
			put_long(sb, "/builds/", 4080, 12, ".py");
		else
			put_string(sb, paths[rng() % 6]);
		break;
	case 1:
		put(sb, linenos[rng() % 10 < 7 ? 0 : rng() % 10]);
		break;
	default:
		if (one_in(8))
			put_junk(sb, 1);
		else if (one_in(30))
			put_long(sb, "AssertionError: ", 1000, 40,
			    "\\u00e9\\nmore");
		else
			put_string(sb, rng() % 2 ? "assert (1 + 1) == 3" :
			    "AssertionError: one\nassert 0 >= 1");
		break;
	}
}

/* reprcrash's members in any order, now and then one of them twice (the
 * last one counts), rarely one left out. */
static void
put_reprcrash(struct strbuf *sb)
{
	static const char *const keys[] = { "path", "lineno", "message" };

	put_members(sb, keys, 3, 20, put_crash_member);
}

/* A traceback entry's reprfileloc path: the test's file as the
 * location names it, as pytest below or above the rootdir would, other
 * files, and odd ones. */
static void
put_entry_path(struct strbuf *sb)
{
	static const char *const paths[] = {
		"tests/t.py", "tests/t.py", "t.py",
		"/builds/example/tests/t.py",
		"../t.py", "/usr/lib/python3/x.py", "", "/", "s/t.py",
		"work/tests/t.py", "tests/t.py\\u0000", "<frozen importlib>"
	};

	if (one_in(10))
		put(sb, rng() % 2 ? "7" : "null");
	else if (one_in(30))	/* about the longest kept */
		put_long(sb, "tests/", 4080, 12, ".py");
	else
		put_string(sb, paths[rng() % (sizeof(paths) /
		    sizeof(paths[0]))]);
}

/* One entry of reprentries: a ReprEntry with its reprfileloc, or a
 * ReprEntryNative without; data or reprfileloc now and then twice,
 * missing or of another type. */
static void
put_entry(struct strbuf *sb, int big)
{
	static const char *const linenos[] = {
		"12", "3", "0", "-3", "1.5", "\"8\"", "null",
		"999999999999999999", "1000000000000000000"
	};
	int k, twice = one_in(10) ? 2 : 1;

	if (big) {	/* long paths: many of them overflow the trace */
		put(sb, "{\"type\": \"ReprEntry\", \"data\": "
		    "{\"reprfileloc\": {\"path\": ");
		put_long(sb, "/usr/lib/", 200, 20, ".py");
		put(sb, ", \"lineno\": 5}}}");
		return;
	}
	if (one_in(8)) {
		put(sb, "{\"type\": \"ReprEntryNative\", \"data\": "
		    "{\"lines\": [\"  File \\\"tests/t.py\\\", line 3\"]}}");
		return;
	}
	put(sb, "{\"type\": \"ReprEntry\"");
	for (k = 0; k < twice; k++) {
		put(sb, ", ");
		put_key(sb, "data");
		put(sb, ": ");
		if (one_in(15)) {
			put_junk(sb, 1);
			continue;
		}
		put(sb, "{\"lines\": [\">   f()\"], ");
		put_key(sb, "reprfileloc");
		put(sb, ": ");
		if (one_in(15))
			put_junk(sb, 1);
		else {
			put(sb, "{");
			put_key(sb, "path");
			put(sb, ": ");
			put_entry_path(sb);
			put(sb, ", \"message\": \"E\", ");
			put_key(sb, "lineno");
			put(sb, ": ");
			put(sb, linenos[rng() % 4 ? rng() % 2 :
			    rng() % (sizeof(linenos) / sizeof(linenos[0]))]);
			if (one_in(12)) {	/* path again: it counts */
				put(sb, ", \"path\": ");
				put_entry_path(sb);
			}
			put(sb, "}");
		}
		put(sb, ", \"style\": \"long\"}");
	}
	put(sb, "}");
}

static void
put_place_member(struct strbuf *sb, int which)
{
	if (which == 1)
		put(sb, rng() % 4 ? "6" : rng() % 2 ? "null" : "\"6\"");
	else
		put_text(sb, which == 0 ? 65536 : 65536);
}

static void
put_data_member(struct strbuf *sb, int which)
{
	static const char *const keys[] = { "path", "lineno", "message" };

	switch (which) {
	case 0:
		if (one_in(10))
			put_junk(sb, 2);
		else
			put_lines(sb, 65536);
		break;
	case 1:
		if (one_in(6))
			put_junk(sb, 2);
		else
			put_members(sb, keys, 3, 12, put_place_member);
		break;
	case 2:
		put_text(sb, 0);
		break;
	default:
		put_junk(sb, 2);
		break;
	}
}

static void
put_entry_member(struct strbuf *sb, int which)
{
	static const char *const keys[] = {
		"lines", "reprfileloc", "style", "reprfuncargs"
	};

	if (which == 0 && !one_in(8))
		put_members(sb, keys, 4, 12, put_data_member);
	else if (which == 1)
		put_string(sb, "ReprEntry");
	else
		put_junk(sb, 2);
}

static void
put_traceback_member(struct strbuf *sb, int which)
{
	static const char *const keys[] = { "data", "type" };
	int i, n = (int)(rng() % 4);

	if (which == 1) {
		if (one_in(3))
			put_text(sb, 65536);
		else
			put(sb, "null");
		return;
	}
	if (which == 2 || one_in(10)) {
		put_junk(sb, 2);
		return;
	}
	put(sb, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(sb, ", ");
		if (one_in(10))
			put_junk(sb, 1);
		else
			put_members(sb, keys, 2, 12, put_entry_member);
	}
	put(sb, "]");
}

/* longrepr's reprtraceback as pytest writes it, keys in any order, odd
 * types and duplicates now and then. */
static void
put_traceback(struct strbuf *sb)
{
	static const char *const keys[] = { "reprentries", "extraline",
	    "style" };

	put_members(sb, keys, 3, 12, put_traceback_member);
}

/* sections: [name, content] pairs, names of every kind. */
static void
put_sections(struct strbuf *sb)
{
	static const char *const names[] = {
		"\"Captured stdout call\"", "\"Captured stderr setup\"",
		"\"Captured log teardown\"", "\"Captured stdout teardown\"",
		"\"Captured stderr call\"", "\"Captured stdout\"",
		"\"Captured wat call\"", "\"Captured stdout call\\u0000\""
	};
	int i, n = (int)(rng() % 4);

	put(sb, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(sb, ", ");
		if (one_in(10)) {
			put_junk(sb, 1);
			continue;
		}
		put(sb, "[");
		if (one_in(10))
			put_junk(sb, 0);
		else
			put(sb, names[rng() % 8]);
		if (!one_in(10)) {
			put(sb, ", ");
			if (one_in(20))
				put_long(sb, "out ", 65530, 12, "\\n");
			else
				put_text(sb, 0);
		}
		if (one_in(10))
			put(sb, ", 3");
		put(sb, "]");
	}
	put(sb, "]");
}

/* longrepr's reprtraceback as the site search meets it: entries,
 * now and then reprentries twice or of another type, and now and then
 * more than a reader searches. */
static void
put_site_traceback(struct strbuf *sb)
{
	int i, n, k, twice = one_in(10) ? 2 : 1, big = one_in(60);

	put(sb, "{");
	for (k = 0; k < twice; k++) {
		if (k > 0)
			put(sb, ", ");
		put_key(sb, "reprentries");
		put(sb, ": ");
		if (one_in(15)) {
			put_junk(sb, 2);
			continue;
		}
		put(sb, "[");
		n = big ? 280 + (int)(rng() % 40) : (int)(rng() % 5);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, ", ");
			if (one_in(20))
				put_junk(sb, 1);
			else
				put_entry(sb, big && i > 0 && i < n - 1);
		}
		put(sb, "]");
	}
	put(sb, ", \"extraline\": null, \"style\": \"long\"}");
}

static void
put_longrepr(struct strbuf *sb, int kind)
{
	int i, n;

	switch (kind) {
	case 0:
		put(sb, "null");
		break;
	case 1:
		if (one_in(30))
			put_long(sb, "Traceback\\nE   ", 1000, 40,
			    "\\u00e9\\n\\n");
		else
			put_string(sb, rng() % 2 ?
			    "Traceback:\n  File x\nE   ImportError: no module\n\n" :
			    "worker 'gw1' crashed while running 't.py::test_1'");
		break;
	case 2:
		put(sb, "[");
		if (one_in(6))
			put_junk(sb, 1);
		else if (one_in(30))	/* about the longest kept */
			put_long(sb, "/builds/", 65530, 12, ".py");
		else
			put_string(sb, "/builds/example/t.py");
		put(sb, ", ");
		put(sb, rng() % 4 ? "12" : rng() % 2 ? "null" : "-1");
		if (!one_in(8)) {
			put(sb, ", ");
			if (one_in(30))
				put_long(sb, "Skipped: ", 4090, 12, "");
			else
				put_string(sb, rng() % 2 ? "Skipped: no reason" :
				    "a reason");
		}
		if (one_in(8))
			put(sb, ", 4");
		put(sb, "]");
		break;
	case 3:
		put(sb, "{");
		n = 1 + (int)(rng() % 3);
		for (i = 0; i < n; i++) {
			if (i > 0)
				put(sb, ", ");
			if (i == n - 1 ? !one_in(4) : one_in(3)) {
				put(sb, "\"reprcrash\": ");
				if (one_in(8))
					put_junk(sb, 2);
				else
					put_reprcrash(sb);
			} else {
				put(sb, "\"reprtraceback\": ");
				if (one_in(5))
					put_junk(sb, 4);
				else if (rng() % 2)
					put_traceback(sb);
				else
					put_site_traceback(sb);
			}
		}
		put(sb, "}");
		break;
	default:
		put_junk(sb, 3);
		break;
	}
}

static void
put_location(struct strbuf *sb)
{
	static const char *const lines[] = {
		"3", "null", "0", "-1", "1.0", "99999999999999999999"
	};

	switch (rng() % 8) {
	case 0:
		put_junk(sb, 2);
		break;
	case 1:
		put(sb, "[]");
		break;
	default:
		put(sb, "[");
		if (one_in(30))		/* about the longest kept */
			put_long(sb, "tests/", 4080, 12, ".py");
		else
			put_string(sb, rng() % 8 ? "tests/t.py" : "");
		put(sb, ", ");
		put(sb, lines[rng() % 4 ? 0 : rng() % 6]);
		put(sb, ", ");
		put_string(sb, "test_x");
		put(sb, "]");
		break;
	}
}

static void
put_line(struct strbuf *sb, const struct line *l, int crlf)
{
	static const char *const keys[M_COUNT] = {
		"$report_type", "nodeid", "when", "outcome", "exitstatus",
		"longrepr", "location", "keywords", "sections", "user_properties",
		"duration", "wasxfail"
	};
	/* The members the line gives, M_TYPE to M_EXIT: NULL, absent. */
	const char *const given[M_EXIT + 1] = {
		l->type, l->nodeid, l->when, l->outcome, l->exitstatus
	};
	int order[M_COUNT + 2], i, n = 0, first = 1, m;

	for (i = 0; i < M_COUNT; i++) {
		if (i <= M_EXIT && given[i] == NULL)
			continue;
		if (i >= M_LONGREPR && l->type != NULL &&
		    strcmp(l->type, "TestReport") != 0 &&
		    strcmp(l->type, "CollectReport") != 0 && !one_in(8))
			continue;
		order[n++] = i;
	}
	if (n > 0 && one_in(odds / 4 + 1)) {	/* a key twice */
		m = order[rng() % (unsigned)n];
		order[n++] = m;
	}
	if (one_in(6))			/* a skipped key twice */
		order[n++] = M_LONGREPR + (int)(rng() % 7);
	if (rng() % 3) {		/* $report_type last, as pytest */
		for (i = 0; i < n; i++)
			if (order[i] == M_TYPE) {
				order[i] = order[n - 1];
				order[n - 1] = M_TYPE;
			}
		shuffle(order, n - (n > 0 && order[n - 1] == M_TYPE));
	} else
		shuffle(order, n);
	if (one_in(60))
		put(sb, " ");
	put(sb, "{");
	for (i = 0; i < n; i++) {
		m = order[i];
		if (!first)
			put(sb, one_in(30) ? " ,  " : ", ");
		first = 0;
		put_key(sb, keys[m]);
		put(sb, one_in(30) ? "\t:" : ": ");
		switch (m) {
		case M_TYPE:
		case M_NODEID:
		case M_WHEN:
		case M_OUTCOME:
			put_word(sb, given[m]);
			break;
		case M_EXIT:
			put(sb, l->exitstatus);
			break;
		case M_LONGREPR:
			put_longrepr(sb, l->longrepr);
			break;
		case M_LOCATION:
			put_location(sb);
			break;
		case M_SECTIONS:
			if (one_in(4))
				put_junk(sb, one_in(4) ? 5 : 2);
			else
				put_sections(sb);
			break;
		case M_DURATION:
			put_number(sb);
			break;
		case M_WASXFAIL:
			if (one_in(4))
				put_junk(sb, 1);
			else
				put_string(sb, rng() % 2 ? "reason: known bug" :
				    "flaky");
			break;
		default:
			put_junk(sb, one_in(4) ? 5 : 2);
			break;
		}
	}
	put(sb, "}");
	if (one_in(40))
		put(sb, one_in(2) ? " " : "\t");
	put(sb, crlf ? "\r\n" : "\n");
	if (one_in(40))			/* a blank line */
		put(sb, rng() % 2 ? "\n" : rng() % 2 ? " \r\n" : "\t\n");
}

/* An outcome word: mostly the usual ones. */
static const char *
outcome_word(int when_call)
{
	static const char *const odd[] = {
		"error", "Passed", "xfailed", "", "passed ", "FAILED",
		"a-rather-long-outcome-word-that-no-plugin-writes-but-who-knows"
	};
	unsigned r = (unsigned)(rng() % 100);

	if (r < 62)
		return "passed";
	if (r < 78)
		return "failed";
	if (r < 88)
		return "skipped";
	if (r < 96 && when_call)
		return "rerun";
	if (r < 98 || !one_in(odds / 20 + 1))
		return "passed";
	return odd[rng() % (sizeof(odd) / sizeof(odd[0]))];
}

static const char *
when_word(const char *usual)
{
	static const char *const odd[] = {
		"???", "collect", "Call", "", "setup ", "runtest"
	};

	if (one_in(40))
		return "???";
	if (one_in(odds / 10 + 1))
		return odd[rng() % (sizeof(odd) / sizeof(odd[0]))];
	return usual;
}

#define GEN_TESTS	6
#define GEN_STEPS	12

/* A test's lines in its own order: phases valid or not. */
struct plan {
	char id[64];
	const char *when[GEN_STEPS];
	const char *outcome[GEN_STEPS];
	int n, next;
};

static void
plan_test(struct plan *p)
{
	static const char *const phases[] = {
		"setup", "call", "teardown", "???"
	};
	int attempts = 1 + (one_in(4) ? (int)(rng() % 3) : 0), a, i;
	const char *o;

	p->n = p->next = 0;
	if (one_in(25)) {		/* any order at all */
		p->n = 1 + (int)(rng() % 5);
		for (i = 0; i < p->n; i++) {
			p->when[i] = when_word(phases[rng() % 4]);
			p->outcome[i] = outcome_word(1);
		}
		return;
	}
	for (a = 0; a < attempts && p->n + 3 <= GEN_STEPS; a++) {
		if (one_in(15)) {	/* a crashed worker */
			p->when[p->n] = "???";
			p->outcome[p->n++] = "failed";
			continue;
		}
		o = outcome_word(0);
		p->when[p->n] = when_word("setup");
		p->outcome[p->n++] = o;
		if (strcmp(o, "passed") != 0 && !one_in(10)) {
			/* setup failed or skipped: no call */
			p->when[p->n] = when_word("teardown");
			p->outcome[p->n++] = "passed";
			continue;
		}
		if (!one_in(20)) {	/* --setup-only leaves no call */
			o = outcome_word(1);
			p->when[p->n] = when_word("call");
			p->outcome[p->n++] = o;
			if (strcmp(o, "rerun") == 0)
				continue;	/* no teardown */
		}
		if (a == attempts - 1 && one_in(25))
			continue;	/* killed, or pytest.exit() */
		p->when[p->n] = when_word("teardown");
		p->outcome[p->n++] = one_in(10) ? "failed" : "passed";
	}
}

static void
put_collect(struct strbuf *sb, int crlf)
{
	static const char *const ids[] = {
		"", "tests", "tests/t.py", "tests/t.py::TestC", "conftest.py"
	};
	struct line l;
	unsigned r = (unsigned)(rng() % 100);

	memset(&l, 0, sizeof(l));
	l.type = "CollectReport";
	l.nodeid = ids[rng() % 5];
	l.outcome = r < 85 ? "passed" : r < 95 ? "skipped" : r < 99 ?
	    "failed" : "error";
	l.longrepr = strcmp(l.outcome, "passed") == 0 ? 0 :
	    1 + (int)(rng() % 4);
	if (one_in(odds))
		l.nodeid = NULL;
	put_line(sb, &l, crlf);
}

static void
generated_log(struct strbuf *sb)
{
	static const char *const exits[] = {
		"0", "1", "2", "3", "4", "5", "137", "-1", "0", "1",
		"999999999999999999", "1000000000000000000", "1.0", "\"1\"",
		"null", "-0", "1e0", "[]"
	};
	struct plan plans[GEN_TESTS];
	struct line l;
	int ntests, i, left, crlf, crlf_all, finish;
	unsigned ids = 1 + (unsigned)(rng() % 3);

	/* One log in three clean, the rest wrong on purpose now and then. */
	odds = rng() % 3 == 0 ? 1000000 : 100 + (unsigned)(rng() % 1000);
	crlf_all = one_in(8);
	if (one_in(30))
		put(sb, "\xef\xbb\xbf");
	if (one_in(20))
		put(sb, rng() % 2 ? "\n\n" : " \r\n");

	memset(&l, 0, sizeof(l));
	l.type = "SessionStart";
	if (!one_in(odds / 5 + 1))
		put_line(sb, &l, crlf_all);
	if (one_in(odds))
		put_line(sb, &l, crlf_all);

	ntests = (int)(rng() % (GEN_TESTS + 1));
	for (i = 0; i < ntests; i++) {
		plan_test(&plans[i]);
		/* Tests share a node ID now and then: two attempts open. */
		snprintf(plans[i].id, sizeof(plans[i].id),
		    "tests/t.py::test_%u[a::b]", one_in(odds / 20 + 1) ?
		    (unsigned)(rng() % ids) : (unsigned)i);
		if (one_in(odds / 2 + 1))
			plans[i].id[0] = '\0';	/* "": bad for a test */
	}
	/* The tests' lines interleaved, each test's in its own order. */
	for (;;) {
		crlf = crlf_all || one_in(odds / 4 + 1);
		if (one_in(12)) {
			put_collect(sb, crlf);
			continue;
		}
		for (i = 0, left = 0; i < ntests; i++)
			left += plans[i].n - plans[i].next;
		if (left == 0)
			break;
		i = (int)(rng() % (unsigned)ntests);
		if (plans[i].next == plans[i].n)
			continue;
		memset(&l, 0, sizeof(l));
		l.nodeid = plans[i].id;
		if (one_in(15)) {	/* a subtest, or a warning */
			l.type = rng() % 2 ? "SubTestReport" :
			    "WarningMessage";
			l.when = rng() % 2 ? "call" : "runtest";
			l.outcome = rng() % 3 ? "passed" : "failed";
			if (l.type[0] == 'W' && rng() % 2) {
				l.nodeid = NULL;
				l.outcome = NULL;
			}
			l.longrepr = strcmp(l.when, "call") == 0 ? 3 : 0;
			put_line(sb, &l, crlf);
			continue;
		}
		l.type = one_in(odds) ? "Testreport" : "TestReport";
		l.when = plans[i].when[plans[i].next];
		l.outcome = plans[i].outcome[plans[i].next];
		plans[i].next++;
		if (strcmp(l.outcome, "passed") != 0 &&
		    strcmp(l.outcome, "skipped") != 0)
			l.longrepr = 1 + (int)(rng() % 4);
		else if (strcmp(l.outcome, "skipped") == 0)
			l.longrepr = 2;
		if (one_in(odds / 2 + 1))
			l.when = NULL;
		put_line(sb, &l, crlf);
	}
	finish = !one_in(8);
	if (finish) {
		memset(&l, 0, sizeof(l));
		l.type = "SessionFinish";
		l.exitstatus = exits[rng() % 10 ? rng() % 2 :
		    rng() % (sizeof(exits) / sizeof(exits[0]))];
		if (one_in(odds / 4 + 1))
			l.exitstatus = NULL;
		put_line(sb, &l, crlf_all);
	}
	if (one_in(odds / 10 + 1)) {	/* a line after the end */
		memset(&l, 0, sizeof(l));
		l.type = rng() % 2 ? "WarningMessage" : "SessionFinish";
		l.exitstatus = "0";
		put_line(sb, &l, crlf_all);
	}
	if (one_in(30) && sb->len > 0 && sb->data[sb->len - 1] == '\n') {
		sb->len--;		/* no final line feed */
		if (sb->len > 0 && sb->data[sb->len - 1] == '\r')
			sb->len--;
	}
}

/* The verdict of a generated log, under the exit status its
 * SessionFinish says (1 when it says none): what the logs cover. */
static enum verdict
log_verdict(const struct strbuf *sb)
{
	struct triage_options opt;
	struct capture c;
	struct triage t;
	struct strbuf why;
	enum verdict v;

	capture(&c, CAPTURE_FAST, (const unsigned char *)sb->data, sb->len, 0,
	    0);
	memset(&opt, 0, sizeof(opt));
	opt.exit_status = c.rd.finished && c.rd.session_status >= 0 &&
	    c.rd.session_status <= 255 ? (int)c.rd.session_status : 1;
	strbuf_init(&why);
	if (triage_run(&t, &c.rd, (int)c.status, &opt, &why) == -1)
		nomem();
	v = t.verdict;
	if (getenv("DIFFTEST_WHY") && v == VERDICT_BAD_REPORT) fprintf(stderr, "WHY %s\n", c.rd.err.what);
	triage_free(&t);
	strbuf_free(&why);
	capture_free(&c);
	return v;
}

static void
generated_logs(unsigned long count, struct stats *st)
{
	unsigned long verdicts[VERDICT_TOO_MANY_FAILURES + 1];
	struct strbuf sb;
	unsigned long g;
	int v;

	memset(verdicts, 0, sizeof(verdicts));
	strbuf_init(&sb);
	for (g = 0; g < count; g++) {
		strbuf_reset(&sb);
		generated_log(&sb);
		check("generated", "generated log",
		    (const unsigned char *)sb.data, sb.len, 0, NULL, NULL, st);
		verdicts[log_verdict(&sb)]++;
	}
	strbuf_free(&sb);
	if (count == 0)
		return;
	printf("difftest: %lu generated logs:", count);
	for (v = 0; v <= VERDICT_TOO_MANY_FAILURES; v++)
		if (verdicts[v] > 0)
			printf(" %s %lu", verdict_name((enum verdict)v),
			    verdicts[v]);
	printf("\n");
}

/* A random line of a log: [*start, *end), the end past its line feed. */
static void
some_line(const unsigned char *buf, size_t len, size_t *start, size_t *end)
{
	size_t at = rng() % len;

	*start = at;
	while (*start > 0 && buf[*start - 1] != '\n')
		(*start)--;
	*end = at;
	while (*end < len && buf[*end] != '\n')
		(*end)++;
	if (*end < len)
		(*end)++;
}

/* Whole lines of a log: duplicated, dropped, swapped, cut, blank lines
 * and CR LF put in. */
static void
mutate_lines(unsigned char *buf, size_t *len, size_t cap)
{
	size_t s1, e1, s2, e2, n;
	unsigned char *tmp;

	some_line(buf, *len, &s1, &e1);
	n = e1 - s1;
	switch (rng() % 7) {
	case 0:		/* duplicate a line, in place or elsewhere */
		if (*len + n > cap)
			break;
		some_line(buf, *len, &s2, &e2);
		if (one_in(2))
			s2 = e1;
		if ((tmp = malloc(n)) == NULL)
			nomem();
		memcpy(tmp, buf + s1, n);
		memmove(buf + s2 + n, buf + s2, *len - s2);
		memcpy(buf + s2, tmp, n);
		free(tmp);
		*len += n;
		break;
	case 1:		/* drop a line */
		memmove(buf + s1, buf + e1, *len - e1);
		*len -= n;
		break;
	case 2:		/* move a line to the end, or after the next */
		some_line(buf, *len, &s2, &e2);
		if (s2 <= s1 || one_in(3)) {
			s2 = *len;
		}
		if ((tmp = malloc(n)) == NULL)
			nomem();
		memcpy(tmp, buf + s1, n);
		memmove(buf + s1, buf + e1, s2 - e1);
		memcpy(buf + s2 - n, tmp, n);
		free(tmp);
		break;
	case 3:		/* cut a line short */
		if (n > 2) {
			s2 = s1 + 1 + rng() % (n - 2);
			memmove(buf + s2, buf + e1 - 1, *len - (e1 - 1));
			*len -= e1 - 1 - s2;
		}
		break;
	case 4:		/* a blank line */
		if (*len + 2 <= cap) {
			memmove(buf + s1 + 2, buf + s1, *len - s1);
			memcpy(buf + s1, rng() % 2 ? " \n" : "\r\n", 2);
			*len += 2;
		}
		break;
	case 5:		/* CR LF */
		if (*len + 1 <= cap && e1 > s1 && buf[e1 - 1] == '\n') {
			memmove(buf + e1, buf + e1 - 1, *len - (e1 - 1));
			buf[e1 - 1] = '\r';
			(*len)++;
		}
		break;
	default:	/* no final line feed */
		while (*len > 0 && (buf[*len - 1] == '\n' ||
		    buf[*len - 1] == '\r'))
			(*len)--;
		break;
	}
}

static void
mutate(unsigned char *buf, size_t *len, size_t cap, int log)
{
	static const char punct[] = "{}[],:\"\\0-eE.nu tf\x00\x80\xff\x1f\n\r";
	size_t at, n, edits = 1 + rng() % 4;

	while (edits-- > 0 && *len > 0) {
		if (log && one_in(3)) {
			mutate_lines(buf, len, cap);
			continue;
		}
		at = rng() % *len;
		switch (rng() % 5) {
		case 0:		/* flip a bit */
			buf[at] ^= (unsigned char)(1u << (rng() % 8));
			break;
		case 1:		/* punctuation */
			buf[at] = (unsigned char)punct[rng() % (sizeof(punct) - 1)];
			break;
		case 2:		/* delete a span */
			n = 1 + rng() % 8;
			if (n > *len - at)
				n = *len - at;
			memmove(buf + at, buf + at + n, *len - at - n);
			*len -= n;
			break;
		case 3:		/* duplicate a span */
			n = 1 + rng() % 32;
			if (n > *len - at)
				n = *len - at;
			if (*len + n > cap)
				break;
			memmove(buf + at + n, buf + at, *len - at);
			*len += n;
			break;
		default:	/* insert punctuation */
			if (*len + 1 > cap)
				break;
			memmove(buf + at + 1, buf + at, *len - at);
			buf[at] = (unsigned char)punct[rng() % (sizeof(punct) - 1)];
			(*len)++;
			break;
		}
	}
}

/*
 * A file, mapped read-only: its pages are not copied when a checkpoint
 * forks, which makes a fork of a process holding a 27 MB log cheap.
 */
static const unsigned char *
map_file(const char *path, size_t *len)
{
	struct stat sb;
	void *p;
	int fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return NULL;
	}
	*len = (size_t)sb.st_size;
	p = mmap(NULL, *len > 0 ? *len : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* The exit statuses to triage prefixes under: the one in the file
 * exit_status beside path, if any, then 0 and 1. */
static void
statuses_of(const char *path, struct statuses *ss)
{
	char name[4096];
	const char *slash = strrchr(path, '/');
	FILE *fp;
	int s;

	ss->n = 0;
	snprintf(name, sizeof(name), "%.*sexit_status",
	    slash != NULL ? (int)(slash - path + 1) : 0, path);
	if ((fp = fopen(name, "r")) != NULL) {
		if (fscanf(fp, "%d", &s) == 1 && s != 0 && s != 1)
			ss->status[ss->n++] = s;
		fclose(fp);
	}
	ss->status[ss->n++] = 0;
	ss->status[ss->n++] = 1;
}

/*
 * Checkpoints.  difftest is linked with --wrap=source_next, so that every
 * refill of the fast reader comes here.  While one input is read, the
 * source hands it out in pieces that end at the checkpoints, and at each
 * one a child process is forked: the child sees the end of input there,
 * finishes the reading as it would for that proper prefix, triages it and
 * exits; the parent waits and reads on.  So thousands of prefixes of a
 * big log cost one reading and as many forks, not thousands of readings.
 */
ssize_t	__real_source_next(struct source *, const unsigned char **);
ssize_t	__wrap_source_next(struct source *, const unsigned char **);

static struct {
	const unsigned char *data;	/* the input checkpointed, or NULL */
	const size_t *cuts;		/* ascending */
	size_t ncuts, next;
	int child;			/* this is a forked prefix ... */
	size_t cut;			/* ... of this many bytes */
	unsigned long forks, broken, crashed;
} ck;

ssize_t
__wrap_source_next(struct source *src, const unsigned char **chunk)
{
	size_t pos = src->mem_pos, stop;
	pid_t pid;
	int status;

	if (ck.data == NULL || src->fd != -1 || src->mem != ck.data)
		return __real_source_next(src, chunk);
	if (ck.child)
		return 0;
	for (; ck.next < ck.ncuts && ck.cuts[ck.next] <= pos; ck.next++) {
		if (ck.cuts[ck.next] < pos)
			continue;	/* a duplicate */
		fflush(stdout);
		fflush(stderr);
		if ((pid = fork()) == -1) {
			perror("difftest: fork");
			exit(2);
		}
		if (pid == 0) {
			ck.child = 1;
			ck.cut = pos;
			return 0;
		}
		if (waitpid(pid, &status, 0) == -1) {
			perror("difftest: waitpid");
			exit(2);
		}
		ck.forks++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			ck.broken++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "difftest: the prefix of %zu bytes "
			    "crashed the fast reader (status %d)\n", pos,
			    status);
			ck.crashed++;
		}
	}
	stop = ck.next < ck.ncuts ? ck.cuts[ck.next] : src->mem_len;
	*chunk = src->mem + pos;
	src->mem_pos = stop;
	return (ssize_t)(stop - pos);
}

static int
by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The fast reader over data, forking a prefix at each of cuts. */
static void
checkpointed(const char *name, const unsigned char *data, size_t len,
    size_t *cuts, size_t ncuts, const struct statuses *ss, struct stats *st)
{
	struct capture c;

	qsort(cuts, ncuts, sizeof(*cuts), by_size);
	memset(&ck, 0, sizeof(ck));
	ck.data = data;
	ck.cuts = cuts;
	ck.ncuts = ncuts;
	capture(&c, CAPTURE_FAST, data, len, 0, 0);
	if (ck.child) {
		/* A forked prefix: its verdict is its exit status. */
		_exit(prefix_broken(name, ck.cut, &c, ss, st) ? 1 : 0);
	}
	capture_free(&c);
	ck.data = NULL;
	st->inputs += ck.forks;
	st->triaged += ck.forks;
	st->prefixes_accepted += ck.broken;
	st->disagreements += ck.crashed;
}

/* Of a last line longer than this (a collector's report is one line),
 * only its end. */
#define LAST_LINE_MAX	1024

/*
 * Proper prefixes through the fast reader alone: fast spread evenly, and
 * with near > 0 those ending just before and after each of the last near
 * line feeds and every one inside the last line (its last KiB).
 */
static void
fast_prefixes(const char *name, const unsigned char *data, size_t len,
    size_t end, unsigned long fast, unsigned long near,
    const struct statuses *ss, struct stats *st)
{
	size_t cut, step, last, *cuts, n = 0, cap;
	unsigned long k;

	cap = fast + 2 * near + 2;
	if (end == 0 || cap == 2)
		return;
	/* The last line: from after the line feed before it to its end
	 * (a log's own final line feed is not a proper prefix's). */
	for (last = end - 1; last > 0 && data[last - 1] != '\n' &&
	    end - last < LAST_LINE_MAX; last--)
		;
	if (near > 0)
		cap += end - last;
	if ((cuts = calloc(cap, sizeof(*cuts))) == NULL)
		nomem();
	if (fast > 0) {
		step = end <= fast ? 1 : end / fast;
		for (cut = step / 2; cut < end && n < cap; cut += step)
			cuts[n++] = cut;
	}
	if (near > 0) {
		for (cut = last; cut < end; cut++)
			cuts[n++] = cut;
		for (k = 0, cut = last; k < near && cut > 0; cut--) {
			if (data[cut - 1] != '\n')
				continue;
			k++;
			cuts[n++] = cut;
			cuts[n++] = cut - 1;
		}
	}
	checkpointed(name, data, len, cuts, n, ss, st);
	free(cuts);
}

static void
usage(void)
{
	fprintf(stderr, "usage: difftest [-E lines] [-g reports] [-l logs] "
	    "[-m mutants] [-p prefixes]\n"
	    "                [-P prefixes] [-s seed] [file ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct stats st;
	struct statuses ss;
	unsigned long max_prefixes = 0, fast = 0, near = 0, mutants = 0, m;
	unsigned long generate = 0, logs = 0;
	const unsigned char *data;
	unsigned char *mut;
	size_t len, mlen, cut, step, end, top;
	enum report_status status;
	enum input_kind input;
	int ch, i;

	memset(&st, 0, sizeof(st));
	rng_state = 1;
	while ((ch = getopt(argc, argv, "E:g:l:m:p:P:s:")) != -1) {
		/* the counts, in the order of their letters */
		static const char letters[] = "EglmpP";
		unsigned long *const count[] = { &near, &generate, &logs,
		    &mutants, &max_prefixes, &fast };
		const char *letter = strchr(letters, ch);

		if (ch == 's')
			rng_state = strtoull(optarg, NULL, 10);
		else if (ch != 0 && letter != NULL)
			*count[letter - letters] = strtoul(optarg, NULL, 10);
		else
			usage();
	}
	if (optind == argc && generate == 0 && logs == 0)
		usage();
	generated(generate, &st);
	generated_logs(logs, &st);
	for (i = optind; i < argc; i++) {
		if ((data = map_file(argv[i], &len)) == NULL) {
			fprintf(stderr, "difftest: %s: %s\n", argv[i],
			    strerror(errno));
			return 2;
		}
		input = INPUT_NONE;
		status = check(argv[i], "whole", data, len, 1, NULL, &input,
		    &st);
		statuses_of(argv[i], &ss);

		/*
		 * Proper prefixes of a valid report.  White space after a
		 * collector's closing ']' is not part of the report; a log
		 * ends with the line feed after its last line.
		 */
		end = len;
		while (end > 0 && strchr(" \t\r\n", data[end - 1]) != NULL)
			end--;
		top = input == INPUT_REPORTLOG && end < len ? end + 1 : end;
		if (status == REPORT_READ_OK && end > 0 && max_prefixes > 0) {
			step = top <= max_prefixes ? 1 : top / max_prefixes;
			for (cut = 0; cut < top; cut += step)
				check(argv[i], "prefix", data, cut, 0, &ss,
				    NULL, &st);
		}
		if (status == REPORT_READ_OK && end > 0)
			fast_prefixes(argv[i], data, len, top, fast, near,
			    &ss, &st);

		if ((mut = malloc(len + 4096)) == NULL)
			nomem();
		for (m = 0; m < mutants && len > 0; m++) {
			memcpy(mut, data, len);
			mlen = len;
			mutate(mut, &mlen, len + 4096,
			    input == INPUT_REPORTLOG);
			check(argv[i], "mutant", mut, mlen, 0, NULL, NULL, &st);
		}
		free(mut);
		munmap((void *)data, len > 0 ? len : 1);
	}
	printf("difftest: %lu inputs (%lu valid, %lu not, %lu fast-only), "
	    "%lu prefixes triaged, %lu disagreements, %lu prefixes "
	    "accepted\n", st.inputs, st.accepted, st.rejected,
	    st.inputs - st.accepted - st.rejected, st.triaged,
	    st.disagreements, st.prefixes_accepted);
	return st.disagreements == 0 && st.prefixes_accepted == 0 ? 0 : 1;
}
