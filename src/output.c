/*
 * output.c: the four output formats, and the triage once the report is
 * read: facts to verdict, verdict to bytes on stdout and one line on
 * stderr.
 *
 * Selectors are written as bytes, exactly as the report spelled the node
 * ID: pytest matches them literally.  Whether every selector can travel in
 * the chosen format is checked before the first byte goes out, so that a
 * refusal never leaves half a list behind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodeid.h"
#include "output.h"
#include "report.h"

/* Collection errors named in the one-line reason; the rest are counted. */
#define ERRORS_SHOWN	5

int
output_format(const char *name)
{
	static const char *const names[] = {
		[FORMAT_LINES] = "lines",
		[FORMAT_NULL] = "null",
		[FORMAT_VERDICT] = "verdict",
		[FORMAT_JSON] = "json",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
output_unfit(enum format format, const struct tally_id *ids, size_t n,
    size_t *which)
{
	size_t i;

	if (format != FORMAT_LINES && format != FORMAT_NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		*which = i;
		/* pytest reads an argument or a line starting with '@' as a
		 * file of arguments (pytest >= 8.2). */
		if (ids[i].len > 0 && ids[i].id[0] == '@')
			return "starts with '@', which pytest reads as a file "
			    "of arguments";
		if (nodeid_find_nul(ids[i].id, ids[i].len) != -1)
			return "holds a NUL, which no argument can carry; "
			    "use -f json";
		if (format == FORMAT_LINES &&
		    nodeid_find_line_break(ids[i].id, ids[i].len) != -1)
			return "holds a line break, which would split it in two; "
			    "use -0";
		/* In a file of arguments nothing can say "not an option";
		 * xargs can: pytest -- ARGS. */
		if (format == FORMAT_LINES && ids[i].len > 0 &&
		    ids[i].id[0] == '-')
			return "starts with '-', which pytest @file would read as "
			    "an option; use -0 and xargs -0 -r pytest --";
	}
	return NULL;
}

static int
json_string(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (putc('"', fp) == EOF)
		return -1;
	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (p[i] < 0x20)
				fprintf(fp, "\\u%04x", p[i]);
			else
				putc(p[i], fp);
		}
	}
	return putc('"', fp) == EOF ? -1 : 0;
}

static void
json_output(FILE *fp, const struct triage *t)
{
	struct tally_id e;
	size_t i;

	fputs("{\"verdict\": ", fp);
	json_string(fp, verdict_name(t->verdict), strlen(verdict_name(t->verdict)));
	fprintf(fp, ", \"exit_status\": %d, \"reason\": ", t->facts.exit_status);
	json_string(fp, t->reason, strlen(t->reason));
	fputs(", \"selectors\": [", fp);
	for (i = 0; i < t->nselectors; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_string(fp, t->selectors[i].id, t->selectors[i].len);
	}
	fputs("], \"collection_errors\": [", fp);
	for (i = 0; t->tally != NULL && i < t->tally->nerrors; i++) {
		tally_collection_error(t->tally, i, &e);
		if (i > 0)
			fputs(", ", fp);
		json_string(fp, e.id, e.len);
	}
	fprintf(fp, "], \"counts\": {\"records\": %" PRIu64
	    ", \"tests\": %" PRIu64 ", \"passed\": %" PRIu64
	    ", \"failed\": %" PRIu64 ", \"skipped\": %" PRIu64
	    ", \"unknown\": %" PRIu64 "}}\n", t->counts.records,
	    t->counts.tests, t->counts.passed, t->counts.failed,
	    t->counts.skipped, t->counts.unknown);
}

int
output_write(FILE *fp, enum format format, const struct triage *t)
{
	size_t i;
	int end = format == FORMAT_NULL ? '\0' : '\n';

	switch (format) {
	case FORMAT_LINES:
	case FORMAT_NULL:
		if (t->verdict != VERDICT_RETRY)
			break;
		for (i = 0; i < t->nselectors; i++) {
			if (fwrite(t->selectors[i].id, 1, t->selectors[i].len,
			    fp) != t->selectors[i].len || putc(end, fp) == EOF)
				return -1;
		}
		break;
	case FORMAT_VERDICT:
		fprintf(fp, "%s\n", verdict_name(t->verdict));
		break;
	case FORMAT_JSON:
		json_output(fp, t);
		break;
	}
	return ferror(fp) ? -1 : 0;
}

int
output_collection_errors(struct strbuf *out, const struct tally *t)
{
	struct tally_id e;
	size_t i;
	int rc;

	rc = strbuf_printf(out, "%zu collection error%s: ", t->nerrors,
	    t->nerrors == 1 ? "" : "s");
	for (i = 0; rc == 0 && i < t->nerrors && i < ERRORS_SHOWN; i++) {
		tally_collection_error(t, i, &e);
		if (i > 0)
			rc = strbuf_puts(out, "; ");
		if (rc == 0)
			rc = nodeid_escape(out, e.id, e.len, 200);
		if (rc == 0 && e.reason_len > 0) {
			rc = strbuf_puts(out, " (");
			if (rc == 0)
				rc = nodeid_escape(out, e.reason, e.reason_len,
				    e.reason_len);
			if (rc == 0)
				rc = strbuf_puts(out, ")");
		}
	}
	if (rc == 0 && t->nerrors > ERRORS_SHOWN)
		rc = strbuf_printf(out, "; and %zu more",
		    t->nerrors - ERRORS_SHOWN);
	return rc;
}

int
output_triage(FILE *out, FILE *err, const struct run_options *opt,
    int exit_status, enum report_status status,
    const struct report_error *rerr, const struct tally *tally,
    const char *missing)
{
	struct triage t;
	struct strbuf detail, reason, shown;
	struct tally_id *selectors = NULL;
	const char *unfit;
	size_t n = 0, which;
	int rc = OUTPUT_TROUBLE;

	strbuf_init(&detail);
	strbuf_init(&reason);
	strbuf_init(&shown);
	memset(&t, 0, sizeof(t));
	t.tally = tally;
	t.counts = tally->counts;
	t.facts.exit_status = exit_status;
	t.facts.report = status == REPORT_READ_OK ? REPORT_PARSED :
	    status == REPORT_READ_BAD ? REPORT_BAD : REPORT_MISSING;
	t.facts.collection_errors = tally->error_records;
	t.facts.tests = tally->counts.tests;
	t.facts.failed = tally->counts.failed;
	t.facts.unknown = tally->counts.unknown;
	t.facts.max_failures = opt->max_failures;
	t.verdict = verdict_decide(&t.facts);

	switch (t.verdict) {
	case VERDICT_COLLECTION_ERROR:
		if (output_collection_errors(&detail, tally) == -1)
			goto nomem;
		break;
	case VERDICT_BAD_REPORT:
		if (report_error_format(rerr, &detail) == -1)
			goto nomem;
		break;
	case VERDICT_NO_REPORT:
		if ((missing != NULL ? strbuf_printf(&detail,
		    "%s does not exist", missing) : strbuf_puts(&detail,
		    "the report is empty")) == -1)
			goto nomem;
		break;
	case VERDICT_RETRY:
		if (tally_selectors(tally, &selectors, &n) == -1)
			goto nomem;
		break;
	default:
		break;
	}
	if (verdict_reason(&reason, t.verdict, &t.facts, detail.data) == -1)
		goto nomem;
	t.reason = reason.data;
	t.selectors = selectors;
	t.nselectors = n;

	if ((unfit = output_unfit(opt->format, selectors, n, &which)) != NULL) {
		if (nodeid_escape(&shown, selectors[which].id,
		    selectors[which].len, 200) == -1)
			goto nomem;
		fprintf(stderr, "pytriage: node ID '%s' %s\n", shown.data,
		    unfit);
		goto out;
	}
	if (output_write(out, opt->format, &t) == -1 || fflush(out) == EOF) {
		fprintf(stderr, "pytriage: cannot write to stdout: %s\n",
		    strerror(errno));
		goto out;
	}
	if (err != NULL && t.verdict != VERDICT_PASSED)
		fprintf(err, "pytriage: %s: %s\n", verdict_name(t.verdict),
		    t.reason);
	rc = verdict_exit(t.verdict);
	goto out;
nomem:
	fputs("pytriage: out of memory\n", stderr);
out:
	free(selectors);
	strbuf_free(&detail);
	strbuf_free(&reason);
	strbuf_free(&shown);
	return rc;
}
