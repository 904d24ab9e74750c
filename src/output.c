/*
 * output.c: the output formats and the simple writers: selectors for
 * pytest (lines, null), the verdict word, and the JSON object that is the
 * machine interface.
 *
 * Selectors are written as bytes, exactly as the report spelled the node
 * ID: pytest matches them literally.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nodeid.h"
#include "output.h"

static const struct format formats[] = {
	{ "lines", write_lines, 1, 1, 0 },
	{ "null", write_null, 1, 0, 0 },
	{ "verdict", write_verdict, 0, 0, 0 },
	{ "json", write_json, 0, 0, 0 },
	{ "markdown", write_markdown, 0, 0, KEEP_MESSAGES },
	{ "github", write_github, 0, 0, KEEP_MESSAGES },
	{ "junit", write_junit, 0, 0, KEEP_RUNS },
};

const struct format *
output_format(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0)
			return &formats[i];
	return NULL;
}

const char *
output_format_names(void)
{
	return "lines, null, verdict, json, markdown, github or junit";
}

const char *
output_unfit(const struct format *format, const struct triage_test *ids,
    size_t n, size_t *which)
{
	size_t i;

	if (!format->arguments)
		return NULL;
	for (i = 0; i < n; i++) {
		*which = i;
		/* pytest reads an argument or a line starting with '@' as a
		 * file of arguments (pytest >= 8.2). */
		if (ids[i].id_len > 0 && ids[i].id[0] == '@')
			return "starts with '@', which pytest reads as a file "
			    "of arguments";
		if (nodeid_find_nul(ids[i].id, ids[i].id_len) != -1)
			return "holds a NUL, which no argument can carry; "
			    "use -f json";
		if (format->line_ends &&
		    nodeid_find_line_break(ids[i].id, ids[i].id_len) != -1)
			return "holds a line break, which would split it in two; "
			    "use -0";
		/* In a file of arguments nothing can say "not an option";
		 * xargs can: pytest -- ARGS. */
		if (format->line_ends && ids[i].id_len > 0 &&
		    ids[i].id[0] == '-')
			return "starts with '-', which pytest @file would read as "
			    "an option; use -0 and xargs -0 -r pytest --";
	}
	return NULL;
}

static int
selectors(FILE *fp, const struct triage *t, int end)
{
	size_t i;

	if (t->verdict != VERDICT_RETRY)
		return 0;
	for (i = 0; i < t->nfailed; i++)
		if (fwrite(t->failed[i].id, 1, t->failed[i].id_len, fp) !=
		    t->failed[i].id_len || putc(end, fp) == EOF)
			return -1;
	return 0;
}

int
write_lines(FILE *fp, const struct step *s, const struct write_options *o)
{
	const struct triage *t = &s->result;

	(void)o;
	return selectors(fp, t, '\n');
}

int
write_null(FILE *fp, const struct step *s, const struct write_options *o)
{
	const struct triage *t = &s->result;

	(void)o;
	return selectors(fp, t, '\0');
}

int
write_verdict(FILE *fp, const struct step *s, const struct write_options *o)
{
	const struct triage *t = &s->result;

	(void)o;
	return fprintf(fp, "%s\n", verdict_name(t->verdict)) < 0 ? -1 : 0;
}

static void
json_string(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	putc('"', fp);
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
	putc('"', fp);
}

static void
json_ids(FILE *fp, const char *key, const struct triage_test *ids, size_t n)
{
	size_t i;

	fprintf(fp, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		json_string(fp, ids[i].id, ids[i].id_len);
	}
	putc(']', fp);
}

static const char *const json_inputs[] = {
	[INPUT_NONE] = "null",
	[INPUT_COLLECTOR] = "\"collector\"",
	[INPUT_REPORTLOG] = "\"reportlog\"",
};

static void
json_counts(FILE *fp, const struct triage_counts *c)
{
	fprintf(fp, "{\"records\": %" PRIu64 ", \"tests\": %" PRIu64
	    ", \"passed\": %" PRIu64 ", \"failed\": %" PRIu64
	    ", \"skipped\": %" PRIu64 ", \"unknown\": %" PRIu64 "}",
	    c->records, c->tests, c->passed, c->failed, c->skipped,
	    c->unknown);
}

/* Each attempt on its own, then every test that failed in any attempt
 * with its outcome in each (null: not run). */
static void
json_attempts(FILE *fp, const struct step *s)
{
	const struct step_attempt *a;
	const char *name;
	size_t i, k;

	fputs(", \"attempts\": [", fp);
	for (i = 0; i < s->nattempts; i++) {
		a = &s->attempts[i];
		name = verdict_name(a->verdict);
		fputs(i > 0 ? ", {\"verdict\": " : "{\"verdict\": ", fp);
		json_string(fp, name, strlen(name));
		fprintf(fp, ", \"exit_status\": %d, \"input\": %s, \"report\": ",
		    a->exit_status, json_inputs[a->input]);
		if (a->report != NULL)
			json_string(fp, a->report, strlen(a->report));
		else
			fputs("null", fp);
		fputs(", \"reason\": ", fp);
		json_string(fp, a->reason, strlen(a->reason));
		fputs(", \"counts\": ", fp);
		json_counts(fp, &a->counts);
		putc('}', fp);
	}
	fputs("], \"tests\": [", fp);
	for (i = 0; i < s->nhistory; i++) {
		fputs(i > 0 ? ", {\"id\": " : "{\"id\": ", fp);
		json_string(fp, s->history[i].test.id,
		    s->history[i].test.id_len);
		fputs(", \"outcomes\": [", fp);
		for (k = 0; k < s->nattempts; k++) {
			if (k > 0)
				fputs(", ", fp);
			if (s->history[i].outcomes[k] == STEP_NOT_RUN)
				fputs("null", fp);
			else
				fprintf(fp, "\"%s\"", step_outcome_name(
				    s->history[i].outcomes[k]));
		}
		fputs("]}", fp);
	}
	putc(']', fp);
}

int
write_json(FILE *fp, const struct step *s, const struct write_options *o)
{
	const struct triage *t = &s->result;
	const char *verdict = verdict_name(t->verdict);

	(void)o;
	fputs("{\"verdict\": ", fp);
	json_string(fp, verdict, strlen(verdict));
	fprintf(fp, ", \"exit_status\": %d, \"input\": %s, \"reason\": ",
	    t->exit_status, json_inputs[t->input]);
	json_string(fp, t->reason, strlen(t->reason));
	json_ids(fp, "selectors", t->failed,
	    t->verdict == VERDICT_RETRY ? t->nfailed : 0);
	json_ids(fp, "flaky", t->flaky, t->nflaky);
	json_ids(fp, "collection_errors", t->errors, t->nerrors);
	fputs(", \"counts\": ", fp);
	json_counts(fp, &t->counts);
	json_attempts(fp, s);
	fputs("}\n", fp);
	return ferror(fp) ? -1 : 0;
}
