/*
 * output.h: the output formats, one row each, and their writers.
 *
 * A writer prints a judged step (step.h) and decides nothing.
 * Whether every selector can travel in the chosen format is checked
 * before the first byte goes out, so that a refusal never leaves half a
 * list behind.
 */
#ifndef PYTRIAGE_OUTPUT_H
#define PYTRIAGE_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "step.h"
#include "triage.h"

typedef int writer(FILE *, const struct step *,
    const struct write_options *);

struct format {
	const char *name;
	writer *write;		/* -1 on a write error (see ferror) */
	int arguments;		/* selectors become pytest's arguments */
	int line_ends;		/* ... one per line: no line breaks */
	int messages;		/* what it prints beyond node IDs (reader.h):
				 * KEEP_MESSAGES, failure messages and
				 * places; KEEP_RUNS, every test's runs */
};

/* The format of this name, or NULL. */
const struct format *output_format(const char *name);

/* "lines, null, verdict, json, ..." for messages. */
const char *output_format_names(void);

/*
 * Why a selector cannot travel in this format (it would be split, or read
 * by pytest as something else), or NULL when all can.  *which is its index.
 */
const char *output_unfit(const struct format *, const struct triage_test *,
	    size_t n, size_t *which);

writer	write_lines, write_null, write_verdict, write_json;

/* Besides -1 (a write error), the markdown writer may return this when
 * the first line and the counts alone do not fit in max_bytes: nothing
 * is written then. */
#define WRITE_ERROR	(-1)
#define WRITE_TOO_SMALL	(-2)

writer	write_markdown;

/* The smallest max_bytes that holds this step's first line and counts. */
uint64_t markdown_min_bytes(const struct step *);

/* GitHub shows at most this many error annotations per step. */
#define GITHUB_ERRORS_MAX	10

writer	write_github;

/* JUnit XML: every test once, its runs merged (step.h). */
writer	write_junit;

#endif
