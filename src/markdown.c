/*
 * markdown.c: the triage as one Markdown document, for
 * `buildkite-agent annotate` and $GITHUB_STEP_SUMMARY.
 *
 *	**pytest: 2 of 120 tests failed; retrying them**
 *
 *	### Retrying 2 failed tests
 *
 *	- `t/a.py::test_x[1]` at line 12\
 *	  `AssertionError: assert 1 == 2`
 *	- `t/a.py::test_y`
 *
 *	### Counts
 *
 *	| records | tests | passed | failed | skipped | unknown |
 *	...
 *
 * Escaping.  Every string that comes from the report (node IDs, paths,
 * messages, the reason) is written as a code span, never as text: inside a
 * code span nothing is markup, and no autolink is made (GFM links e-mail
 * addresses in text whatever is escaped).  The fence is the shortest run
 * of backticks that does not occur in the string; a string that starts or
 * ends with a backtick or a space is padded with one space on each side,
 * which the renderer takes off again.  What cannot stand for itself in a
 * code span becomes a visible escape, one per character:
 *
 *	C0 controls (line breaks, tab, NUL) and DEL	the Control Pictures
 *	    U+2400..U+241F and U+2421: LF reads back as U+240A, NUL as U+2400
 *	C1 controls (NEL too), U+2028, U+2029 and the bidirectional
 *	    controls U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069
 *	    the six characters \uXXXX (lower-case hex)
 *
 * A string that holds those pictures or "\uXXXX" itself reads back the
 * same; every other node ID reads back exactly.  An empty node ID is
 * written as the text "(empty node ID)".
 *
 * Size.  The document is measured before a byte is written, by the same
 * code that writes it (struct md counts what it would write), so that it
 * never exceeds max_bytes and a refusal writes nothing.  First everything;
 * then every message cut to at most 512, 256, 128, 64, 32 bytes (at a
 * whole UTF-8 character, marked with "…"); then messages and locations
 * dropped; then lists end in "- and N more": the first 1,000 failed tests,
 * then the collection errors, then the remaining failed tests, then the
 * flaky tests, each list as far as it fits.  A list of which nothing fits
 * is left out (the counts still give its size).  Each step is linear in
 * the number of tests, and stops measuring once the limit is passed.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nodeid.h"
#include "output.h"

/* Failed node IDs listed before any other list gets room. */
#define FAILED_FIRST	1000
/* Bytes of the reason in the first line. */
#define REASON_SHOWN	512
/* No cap: messages whole. */
#define CAP_NONE	SIZE_MAX

static const size_t message_caps[] = { 512, 256, 128, 64, 32 };

/* Bytes that would be written, and written when fp is not NULL.  While
 * only measuring, lists stop once n passes limit. */
struct md {
	FILE *fp;
	uint64_t n;
	uint64_t limit;
	size_t nattempts;	/* of the step written */
};

/* How much of each list is written, and with how much detail: a cap on
 * message bytes, CAP_NONE, or 0 for node IDs alone. */
struct plan {
	size_t cap;
	size_t nerrors;
	size_t nfailed;
	size_t nflaky;
};

enum list { LIST_ERRORS, LIST_FAILED, LIST_FLAKY };

struct piece {
	const char *s;
	size_t len;
};

static void
put(struct md *m, const void *s, size_t len)
{
	m->n += len;
	if (m->fp != NULL && len > 0)
		fwrite(s, 1, len, m->fp);
}

static void
put_str(struct md *m, const char *s)
{
	put(m, s, strlen(s));
}

static void
put_u64(struct md *m, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	put(m, buf, (size_t)n);
}

static void
put_backticks(struct md *m, size_t n)
{
	static const char ticks[] = "````````````````";
	size_t k;

	if (m->fp == NULL) {
		m->n += n;
		return;
	}
	for (; n > 0; n -= k) {
		k = n < sizeof(ticks) - 1 ? n : sizeof(ticks) - 1;
		put(m, ticks, k);
	}
}

/*
 * The visible escape of the character at p[0] (see the top of the file):
 * the input bytes it takes, with its replacement in out, or 0 when the
 * byte stands for itself.
 */
static size_t
visible(const unsigned char *p, size_t len, char out[8], size_t *outlen)
{
	unsigned int cp;
	size_t take;

	if (p[0] < 0x20 || p[0] == 0x7f) {
		cp = p[0] == 0x7f ? 0x2421 : 0x2400 + p[0];
		out[0] = (char)0xe2;
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		*outlen = 3;
		return 1;
	}
	if (p[0] == 0xc2 && len >= 2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		cp = p[1];
		take = 2;
	} else if (p[0] == 0xd8 && len >= 2 && p[1] == 0x9c) {
		cp = 0x061c;
		take = 2;
	} else if (p[0] == 0xe2 && len >= 3 && p[1] == 0x80 &&
	    (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae))) {
		cp = 0x2000 + (p[2] & 0x3f);
		take = 3;
	} else if (p[0] == 0xe2 && len >= 3 && p[1] == 0x81 &&
	    p[2] >= 0xa6 && p[2] <= 0xa9) {
		cp = 0x2040 + (p[2] & 0x3f);
		take = 3;
	} else
		return 0;
	*outlen = (size_t)snprintf(out, 8, "\\u%04x", cp);
	return take;
}

/* Backtick run lengths seen, 1..RUNS_TRACKED-1, for choosing a fence. */
#define RUNS_TRACKED	4096

struct shape {
	uint64_t seen[RUNS_TRACKED / 64];
	size_t run, maxrun;
	uint64_t len;		/* content bytes, escapes expanded */
	int first, last;	/* first and last content byte, -1: none */
	int allspace;
};

static void
shape_run_ends(struct shape *sh)
{
	if (sh->run == 0)
		return;
	if (sh->run < RUNS_TRACKED)
		sh->seen[sh->run / 64] |= (uint64_t)1 << (sh->run % 64);
	if (sh->run > sh->maxrun)
		sh->maxrun = sh->run;
	sh->run = 0;
}

static void
shape_add(struct shape *sh, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t i, take, esclen;

	for (i = 0; i < len; i += take) {
		if (p[i] == '`')
			sh->run++;
		else
			shape_run_ends(sh);
		if ((take = visible(p + i, len - i, esc, &esclen)) > 0) {
			sh->len += esclen;
			if (sh->first == -1)
				sh->first = (unsigned char)esc[0];
			sh->last = (unsigned char)esc[esclen - 1];
			sh->allspace = 0;
		} else {
			take = 1;
			sh->len++;
			if (sh->first == -1)
				sh->first = p[i];
			sh->last = p[i];
			if (p[i] != ' ')
				sh->allspace = 0;
		}
	}
}

static void
emit_visible(struct md *m, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t i, start, take, esclen;

	for (i = start = 0; i < len; ) {
		if ((take = visible(p + i, len - i, esc, &esclen)) == 0) {
			i++;
			continue;
		}
		put(m, s + start, i - start);
		put(m, esc, esclen);
		i += take;
		start = i;
	}
	put(m, s + start, len - start);
}

static int
pads(int c)
{
	return c == ' ' || c == '`';
}

/* A code span of the pieces' bytes, together not empty. */
static void
span(struct md *m, const struct piece *pc, size_t npc)
{
	struct shape sh;
	size_t i, fence;
	int pad;

	memset(&sh, 0, sizeof(sh));
	sh.first = sh.last = -1;
	sh.allspace = 1;
	for (i = 0; i < npc; i++)
		shape_add(&sh, pc[i].s, pc[i].len);
	shape_run_ends(&sh);
	for (fence = 1; fence < RUNS_TRACKED; fence++)
		if (!(sh.seen[fence / 64] & (uint64_t)1 << (fence % 64)))
			break;
	if (fence == RUNS_TRACKED)
		fence = sh.maxrun + 1;
	pad = !sh.allspace && (pads(sh.first) || pads(sh.last));

	put_backticks(m, fence);
	if (pad)
		put(m, " ", 1);
	if (m->fp == NULL)
		m->n += sh.len;
	else
		for (i = 0; i < npc; i++)
			emit_visible(m, pc[i].s, pc[i].len);
	if (pad)
		put(m, " ", 1);
	put_backticks(m, fence);
}

/* A code span of s, cut to at most max bytes; "…" after it when cut. */
static void
span_cut(struct md *m, const char *s, size_t len, size_t max)
{
	struct piece pc;

	pc.s = s;
	pc.len = len > max ? utf8_whole(s, max) : len;
	if (pc.len == 0)
		pc.len = len;	/* max below one character: show it whole */
	span(m, &pc, 1);
	if (pc.len < len)
		put_str(m, "\xe2\x80\xa6");
}

static void
plural(struct md *m, uint64_t n, const char *what)
{
	put_u64(m, n);
	put_str(m, " ");
	put_str(m, what);
	if (n != 1)
		put_str(m, "s");
}

/* The verdict's name in words: "too-many-failures" reads "too many
 * failures". */
static void
verdict_words(struct md *m, enum verdict v)
{
	const char *name;

	for (name = verdict_name(v); *name != '\0'; name++)
		put(m, *name == '-' ? " " : name, 1);
}

/* Whether every test that failed in the end failed in every attempt that
 * ran it. */
static int
failed_every_time(const struct step *s)
{
	enum step_outcome o;
	size_t i, k, last;

	for (i = 0; i < s->nhistory; i++) {
		for (last = s->nattempts; last > 0; last--)
			if (s->history[i].outcomes[last - 1] != STEP_NOT_RUN)
				break;
		if (last == 0 || s->history[i].outcomes[last - 1] !=
		    STEP_FAILED)
			continue;
		for (k = 0; k < last; k++) {
			o = s->history[i].outcomes[k];
			if (o != STEP_NOT_RUN && o != STEP_FAILED)
				return 0;
		}
	}
	return 1;
}

/* The first line of a step of several attempts. */
static void
step_head(struct md *m, const struct step *s)
{
	const struct triage *t = &s->result;
	const char *reason;
	size_t n = s->nattempts, k = s->decided_by + 1;

	switch (t->verdict) {
	case VERDICT_PASSED:
		put_str(m, "**Passed on retry: ");
		plural(m, t->nflaky, "flaky test");
		put_str(m, "**\n\n");
		return;
	case VERDICT_RETRY:
		put_str(m, "**Attempt ");
		put_u64(m, k);
		put_str(m, ": ");
		put_u64(m, t->nfailed);
		put_str(m, " of ");
		plural(m, t->counts.tests, "test");
		put_str(m, t->nfailed == 1 ? " failed; retrying it**\n\n" :
		    " failed; retrying them**\n\n");
		return;
	case VERDICT_FAILED:
		put_str(m, "**Failed: ");
		plural(m, t->nfailed, "test");
		if (!failed_every_time(s)) {
			put_str(m, " still failed after ");
			plural(m, n, "attempt");
		} else if (n == 2)
			put_str(m, " failed in both attempts");
		else {
			put_str(m, " failed in all ");
			plural(m, n, "attempt");
		}
		put_str(m, "**\n\n");
		return;
	case VERDICT_FLAKY:
		put_str(m, "**Flaky: ");
		plural(m, t->nflaky, "test");
		put_str(m, " passed only when run again**\n\n");
		return;
	case VERDICT_INCONSISTENT:
	case VERDICT_INCOMPLETE:
		if (s->attempts[s->decided_by].verdict != t->verdict)
			break;	/* the step's own rule, not the attempt's */
		/* FALLTHROUGH */
	default:
		reason = s->attempts[s->decided_by].reason;
		put_str(m, "**Attempt ");
		put_u64(m, k);
		put_str(m, ": ");
		verdict_words(m, t->verdict);
		put_str(m, "**");
		if (reason != NULL && reason[0] != '\0') {
			put_str(m, " \xe2\x80\x94 ");
			span_cut(m, reason, strlen(reason), REASON_SHOWN);
		}
		put_str(m, "\n\n");
		return;
	}
	put_str(m, "**Do not retry: ");
	verdict_words(m, t->verdict);
	put_str(m, "** \xe2\x80\x94 ");
	span_cut(m, t->reason, strlen(t->reason), REASON_SHOWN);
	put_str(m, "\n\n");
}

static void
head(struct md *m, const struct triage *t)
{
	switch (t->verdict) {
	case VERDICT_RETRY:
		put_str(m, "**pytest: ");
		put_u64(m, t->nfailed);
		put_str(m, " of ");
		plural(m, t->counts.tests, "test");
		put_str(m, t->nfailed == 1 ? " failed; retrying it**\n\n" :
		    " failed; retrying them**\n\n");
		return;
	case VERDICT_PASSED:
		put_str(m, "**pytest passed: ");
		plural(m, t->counts.tests, "test");
		put_str(m, ", nothing to retry**\n\n");
		return;
	default:
		break;
	}
	put_str(m, "**Do not retry: ");
	verdict_words(m, t->verdict);
	put_str(m, "**");
	if (t->reason != NULL && t->reason[0] != '\0') {
		put_str(m, " \xe2\x80\x94 ");
		span_cut(m, t->reason, strlen(t->reason), REASON_SHOWN);
	}
	put_str(m, "\n\n");
}

static void
counts(struct md *m, const struct triage *t)
{
	const struct triage_counts *c = &t->counts;

	put_str(m, "### Counts\n\n"
	    "| records | tests | passed | failed | skipped | unknown |\n"
	    "|--:|--:|--:|--:|--:|--:|\n| ");
	put_u64(m, c->records);
	put_str(m, " | ");
	put_u64(m, c->tests);
	put_str(m, " | ");
	put_u64(m, c->passed);
	put_str(m, " | ");
	put_u64(m, c->failed);
	put_str(m, " | ");
	put_u64(m, c->skipped);
	put_str(m, " | ");
	put_u64(m, c->unknown);
	put_str(m, " |\n");
}

/* A step of several attempts: each attempt's own verdict and counts. */
static void
attempts(struct md *m, const struct step *s)
{
	const struct step_attempt *a;
	size_t i;

	put_str(m, "### Attempts\n\n"
	    "| attempt | exit status | verdict | tests | passed | failed "
	    "| skipped |\n|--:|--:|---|--:|--:|--:|--:|\n");
	for (i = 0; i < s->nattempts; i++) {
		a = &s->attempts[i];
		put_str(m, "| ");
		put_u64(m, i + 1);
		put_str(m, " | ");
		put_u64(m, (uint64_t)a->exit_status);
		put_str(m, " | ");
		put_str(m, verdict_name(a->verdict));
		put_str(m, " | ");
		put_u64(m, a->counts.tests);
		put_str(m, " | ");
		put_u64(m, a->counts.passed);
		put_str(m, " | ");
		put_u64(m, a->counts.failed);
		put_str(m, " | ");
		put_u64(m, a->counts.skipped);
		put_str(m, " |\n");
	}
}

static void
heading(struct md *m, const struct triage *t, enum list which, size_t n)
{
	put_str(m, "### ");
	switch (which) {
	case LIST_ERRORS:
		plural(m, n, "collection error");
		break;
	case LIST_FAILED:
		if (t->verdict == VERDICT_RETRY) {
			put_str(m, "Retrying ");
			plural(m, n, "failed test");
		} else if (m->nattempts > 1) {
			plural(m, n, "failed test");
			put_str(m, " in the end");
		} else {
			plural(m, n, "failed test");
			put_str(m, ", not retried");
		}
		break;
	case LIST_FLAKY:
		plural(m, n, "flaky test");
		put_str(m, ": failed, then passed");
		break;
	}
	put_str(m, "\n\n");
}

/* Whether the node ID begins with path: then the line number alone says
 * where. */
static int
id_names_path(const struct triage_test *tt)
{
	return tt->id_len >= tt->path_len &&
	    memcmp(tt->id, tt->path, tt->path_len) == 0 &&
	    (tt->id_len == tt->path_len ||
	    (tt->id_len - tt->path_len >= 2 &&
	    memcmp(tt->id + tt->path_len, "::", 2) == 0));
}

/*
 * "- `node ID` at `path:line`", or "at line N" when the node ID names the
 * path, and when cap allows, a hard line break and "  `message`".
 */
static void
item(struct md *m, const struct triage_test *tt, size_t cap)
{
	struct piece pc[2];
	char line[24];

	put_str(m, "- ");
	if (tt->id_len == 0)
		put_str(m, "(empty node ID)");
	else {
		pc[0].s = tt->id;
		pc[0].len = tt->id_len;
		span(m, pc, 1);
	}
	if (cap > 0 && (tt->path_len == 0 || id_names_path(tt))) {
		if (tt->line > 0) {
			put_str(m, " at line ");
			put_u64(m, tt->line);
		}
	} else if (cap > 0) {
		pc[0].s = tt->path;
		pc[0].len = tt->path_len;
		pc[1].s = line;
		pc[1].len = (size_t)snprintf(line, sizeof(line), ":%" PRIu64,
		    tt->line);
		put_str(m, " at ");
		span(m, pc, tt->line > 0 ? 2 : 1);
	}
	if (cap > 0 && tt->message_len > 0) {
		put_str(m, "\\\n  ");
		span_cut(m, tt->message, tt->message_len, cap);
	}
	put_str(m, "\n");
}

static void
trailer(struct md *m, size_t more)
{
	put_str(m, "- and ");
	put_u64(m, more);
	put_str(m, " more\n");
}

static const struct triage_test *
list_of(const struct triage *t, enum list which, size_t *n)
{
	switch (which) {
	case LIST_ERRORS:
		*n = t->nerrors;
		return t->errors;
	case LIST_FAILED:
		*n = t->nfailed;
		return t->failed;
	case LIST_FLAKY:
		break;
	}
	*n = t->nflaky;
	return t->flaky;
}

/* The first k of a list, or nothing when k is 0. */
static void
section(struct md *m, const struct triage *t, enum list which, size_t k,
    size_t cap)
{
	const struct triage_test *v;
	size_t i, n;

	v = list_of(t, which, &n);
	if (k == 0)
		return;
	heading(m, t, which, n);
	for (i = 0; i < k; i++) {
		if (m->fp == NULL && m->n > m->limit)
			return;
		item(m, &v[i], cap);
	}
	if (k < n)
		trailer(m, n - k);
	put_str(m, "\n");
}

static void
document(struct md *m, const struct step *s, const struct plan *p)
{
	const struct triage *t = &s->result;

	if (s->nattempts > 1)
		step_head(m, s);
	else
		head(m, t);
	section(m, t, LIST_ERRORS, p->nerrors, p->cap);
	section(m, t, LIST_FAILED, p->nfailed, p->cap);
	section(m, t, LIST_FLAKY, p->nflaky, p->cap);
	if (s->nattempts > 1)
		attempts(m, s);
	else
		counts(m, t);
}

/* Bytes of the document, or some number past limit when it exceeds it. */
static uint64_t
measure(const struct step *s, const struct plan *p, uint64_t limit)
{
	struct md m = { NULL, 0, limit, s->nattempts };

	document(&m, s, p);
	return m.n;
}

static uint64_t
section_bytes(const struct step *s, enum list which, size_t k)
{
	const struct triage *t = &s->result;
	struct md m = { NULL, 0, UINT64_MAX, s->nattempts };

	section(&m, t, which, k, 0);
	return m.n;
}

/*
 * The most node IDs of a list, at most upto, whose section takes at most
 * budget bytes.  The trailer shrinks as items are added and vanishes
 * with the last, so every k is tried until the items alone pass budget.
 */
static size_t
fit(const struct step *s, enum list which, size_t upto, uint64_t budget)
{
	const struct triage *t = &s->result;
	const struct triage_test *v;
	struct md m = { NULL, 0, UINT64_MAX, s->nattempts };
	uint64_t items;
	size_t k, n, best = 0;

	v = list_of(t, which, &n);
	if (upto > n)
		upto = n;
	heading(&m, t, which, n);
	put_str(&m, "\n");		/* the blank line after the list */
	for (k = 1; k <= upto; k++) {
		item(&m, &v[k - 1], 0);
		if (m.n > budget)
			break;
		items = m.n;
		if (k < n) {
			trailer(&m, n - k);
			if (m.n <= budget)
				best = k;
			m.n = items;
		} else
			best = k;
	}
	return best;
}

/* Shorten the lists, node IDs alone, to fit budget bytes. */
static void
truncate_lists(const struct step *s, struct plan *p, uint64_t budget)
{
	const struct triage *t = &s->result;
	uint64_t used;

	p->nfailed = fit(s, LIST_FAILED, FAILED_FIRST, budget);
	budget -= section_bytes(s, LIST_FAILED, p->nfailed);
	p->nerrors = fit(s, LIST_ERRORS, t->nerrors, budget);
	budget -= section_bytes(s, LIST_ERRORS, p->nerrors);
	if (p->nfailed == FAILED_FIRST) {
		used = section_bytes(s, LIST_FAILED, p->nfailed);
		p->nfailed = fit(s, LIST_FAILED, t->nfailed, budget + used);
		budget = budget + used -
		    section_bytes(s, LIST_FAILED, p->nfailed);
	}
	p->nflaky = fit(s, LIST_FLAKY, t->nflaky, budget);
}

uint64_t
markdown_min_bytes(const struct step *s)
{
	struct plan p = { 0, 0, 0, 0 };

	return measure(s, &p, UINT64_MAX);
}

int
write_markdown(FILE *fp, const struct step *s,
    const struct write_options *opts)
{
	const struct triage *t = &s->result;
	struct plan p;
	struct md m;
	uint64_t max, fixed;
	size_t i;

	max = opts->max_bytes == 0 ? UINT64_MAX : opts->max_bytes;
	if ((fixed = markdown_min_bytes(s)) > max)
		return WRITE_TOO_SMALL;
	p.cap = CAP_NONE;
	p.nerrors = t->nerrors;
	p.nfailed = t->nfailed;
	p.nflaky = t->nflaky;
	for (i = 0; measure(s, &p, max) > max; i++) {
		if (i < sizeof(message_caps) / sizeof(message_caps[0]))
			p.cap = message_caps[i];
		else if (p.cap != 0)
			p.cap = 0;
		else {
			truncate_lists(s, &p, max - fixed);
			break;
		}
	}
	m.fp = fp;
	m.n = 0;
	m.limit = UINT64_MAX;
	m.nattempts = s->nattempts;
	document(&m, s, &p);
	return ferror(fp) ? WRITE_ERROR : 0;
}
