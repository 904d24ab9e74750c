/*
 * capture.h: one reader's run over some bytes, kept in the form that the
 * differential test and the differential fuzzer compare.
 *
 * Both readers must agree on everything the triage and the writers use:
 * the status, the kind of input, a log's SessionFinish and its exit
 * status, every count, and, byte for byte and in order, the failed node
 * IDs, the flaky ones, those of unknown outcome and the collection errors
 * with their reasons (the reason of a collection-error verdict names
 * them, whatever the format); with messages wanted, also each failure's
 * message, path and line, and its site (where it passed through the
 * test's own file: path and line); with runs wanted (for JUnit), every
 * case and every kept run with its outcome, results, time and texts.  The
 * lists are flattened into one buffer of length-prefixed fields, the
 * messages and places into another, the runs into a third, so that a
 * memcmp compares each.  Messages and places, and runs, are compared when both
 * readings kept them: a reading with them can be held against one
 * without, on everything else.
 *
 * Static functions in a header: each tool is one file, and the Makefile
 * builds each from its own source.
 */
#ifndef PYTRIAGE_CAPTURE_H
#define PYTRIAGE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "source.h"
#include "strbuf.h"
#include "tally.h"

struct capture {
	struct tally tally;	/* alive until capture_free(): triage_run */
	struct reading rd;	/* can be run on it */
	enum report_status status;
	struct tally_counts counts;
	uint64_t error_records;
	struct strbuf lists;	/* failed | flaky | unknown | errors */
	struct strbuf details;	/* each kept node ID's message and place */
	struct strbuf runs;	/* every case and its runs */
	int messages;		/* what was kept: KEEP_MESSAGES, KEEP_RUNS */
	int nomem;
};

static void
capture_put(struct capture *c, struct strbuf *sb, const void *p, size_t len)
{
	uint64_t n = len;

	if (strbuf_append(sb, &n, sizeof(n)) == -1 ||
	    (len > 0 && strbuf_append(sb, p, len) == -1))
		c->nomem = 1;
}

static void
capture_field(struct capture *c, const void *p, size_t len)
{
	capture_put(c, &c->lists, p, len);
}

static void
capture_detail(struct capture *c, const void *p, size_t len)
{
	capture_put(c, &c->details, p, len);
}

static void
capture_ids(struct capture *c, enum outcome outcome, int messages)
{
	struct tally_id *ids;
	size_t n, i;

	if (tally_kept(&c->tally, outcome, &ids, &n) == -1) {
		c->nomem = 1;
		return;
	}
	capture_field(c, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		capture_field(c, ids[i].id, ids[i].len);
		if (!messages)
			continue;
		capture_detail(c, ids[i].reason, ids[i].reason_len);
		capture_detail(c, ids[i].path, ids[i].path_len);
		capture_detail(c, &ids[i].line, sizeof(ids[i].line));
		capture_detail(c, ids[i].site_path, ids[i].site_path_len);
		capture_detail(c, &ids[i].site_line,
		    sizeof(ids[i].site_line));
	}
	free(ids);
}

/* Every case of the tally and its runs. */
static void
capture_runs(struct capture *c)
{
	const struct tally_run *run, *r;
	const char *id, *text;
	size_t n, i, len, nruns;
	int collect, slot;
	unsigned char b[2];

	n = tally_ncases(&c->tally);
	capture_put(c, &c->runs, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		tally_case(&c->tally, i, &id, &len, &collect, &run);
		capture_put(c, &c->runs, id, len);
		capture_put(c, &c->runs, &collect, sizeof(collect));
		for (nruns = 0, r = run; r != NULL;
		    r = tally_run_next(&c->tally, r))
			nruns++;
		capture_put(c, &c->runs, &nruns, sizeof(nruns));
		for (r = run; r != NULL; r = tally_run_next(&c->tally, r)) {
			b[0] = r->outcome;
			b[1] = r->results;
			capture_put(c, &c->runs, b, sizeof(b));
			capture_put(c, &c->runs, &r->time, sizeof(r->time));
			for (slot = 0; slot < RUN_SLOTS; slot++) {
				text = tally_run_text(r, (enum run_slot)slot,
				    &len);
				capture_put(c, &c->runs, text, len);
			}
		}
	}
}

/* Which reader: the fast one or json-c's. */
enum capture_reader {
	CAPTURE_FAST = 0,
	CAPTURE_REFERENCE = 1
};

/*
 * Read data with one reader, lent chunk bytes at a time (0: all at once),
 * keeping what messages asks (KEEP_MESSAGES, KEEP_RUNS).  0, or -1 when
 * out of memory.
 */
static int
capture_read(struct capture *c, int reader, const unsigned char *data,
    size_t len, size_t chunk, int messages, uint64_t seed)
{
	struct source src;
	struct tally_id e;
	size_t i, n;

	memset(c, 0, sizeof(*c));
	strbuf_init(&c->lists);
	strbuf_init(&c->details);
	strbuf_init(&c->runs);
	if (tally_init(&c->tally, seed) == -1)
		return -1;
	c->rd.tally = &c->tally;
	c->rd.messages = (messages & KEEP_MESSAGES) != 0;
	c->rd.runs = (messages & KEEP_RUNS) != 0;
	c->messages = messages;
	source_from_memory(&src, data, len, chunk);
	c->status = reader == CAPTURE_REFERENCE ? refread_read(&src, &c->rd) :
	    report_read(&src, &c->rd);
	c->counts = *tally_counts(&c->tally);
	c->error_records = tally_error_records(&c->tally);
	capture_ids(c, OUTCOME_FAILED, messages & KEEP_MESSAGES);
	capture_ids(c, OUTCOME_PASSED, messages & KEEP_MESSAGES);	/* flaky */
	capture_ids(c, OUTCOME_UNKNOWN, messages & KEEP_MESSAGES);
	if (messages & KEEP_RUNS)
		capture_runs(c);
	n = tally_nerrors(&c->tally);
	capture_field(c, &n, sizeof(n));
	for (i = 0; i < n; i++) {
		tally_collection_error(&c->tally, i, &e);
		capture_field(c, e.id, e.len);
		capture_field(c, e.reason, e.reason_len);
	}
	return c->nomem ? -1 : 0;
}

static void
capture_free(struct capture *c)
{
	tally_free(&c->tally);
	strbuf_free(&c->lists);
	strbuf_free(&c->details);
	strbuf_free(&c->runs);
}

static int
capture_same_buf(const struct strbuf *a, const struct strbuf *b)
{
	return a->len == b->len &&
	    (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int
capture_same(const struct capture *a, const struct capture *b)
{
	return a->status == b->status && a->rd.input == b->rd.input &&
	    a->rd.finished == b->rd.finished &&
	    a->rd.session_status == b->rd.session_status &&
	    memcmp(&a->counts, &b->counts, sizeof(a->counts)) == 0 &&
	    a->error_records == b->error_records &&
	    a->lists.len == b->lists.len &&
	    memcmp(a->lists.data, b->lists.data, a->lists.len) == 0 &&
	    (!(a->messages & b->messages & KEEP_MESSAGES) ||
	    capture_same_buf(&a->details, &b->details)) &&
	    (!(a->messages & b->messages & KEEP_RUNS) ||
	    capture_same_buf(&a->runs, &b->runs));
}

static void
capture_describe(FILE *fp, const char *what, const struct capture *c)
{
	fprintf(fp, "  %s: status %d input %d finished %d/%lld records %llu "
	    "tests %llu passed %llu failed %llu skipped %llu unknown %llu "
	    "errors %llu lists %zu bytes details %zu bytes runs %zu bytes\n",
	    what,
	    (int)c->status, (int)c->rd.input, c->rd.finished,
	    (long long)c->rd.session_status,
	    (unsigned long long)c->counts.records,
	    (unsigned long long)c->counts.tests,
	    (unsigned long long)c->counts.passed,
	    (unsigned long long)c->counts.failed,
	    (unsigned long long)c->counts.skipped,
	    (unsigned long long)c->counts.unknown,
	    (unsigned long long)c->error_records, c->lists.len,
	    c->details.len, c->runs.len);
}

/* Length-prefixed fields, escaped, on one line. */
static void
capture_print_fields(FILE *fp, const char *what, const char *which,
    const struct strbuf *sb)
{
	const unsigned char *p, *end;
	uint64_t n, i;

	fprintf(fp, "  %s %s:", what, which);
	if (sb->len == 0) {	/* an empty strbuf has no data */
		putc('\n', fp);
		return;
	}
	p = (const unsigned char *)sb->data;
	end = p + sb->len;
	while (end - p >= (ptrdiff_t)sizeof(n)) {
		memcpy(&n, p, sizeof(n));
		p += sizeof(n);
		if (n > (uint64_t)(end - p))
			break;
		fputs(" \"", fp);
		for (i = 0; i < n && i < 120; i++)
			if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"')
				putc(p[i], fp);
			else
				fprintf(fp, "\\x%02x", p[i]);
		fputs(i < n ? "...\"" : "\"", fp);
		p += n;
	}
	putc('\n', fp);
}

/* The lists and the details, one field a line, escaped: for a person
 * looking at a disagreement. */
static void
capture_print(FILE *fp, const char *what, const struct capture *c)
{
	capture_print_fields(fp, what, "lists", &c->lists);
	if (c->messages & KEEP_MESSAGES)
		capture_print_fields(fp, what, "details", &c->details);
	if (c->messages & KEEP_RUNS)
		capture_print_fields(fp, what, "runs", &c->runs);
}

#endif
