/*
 * output.h: what pytriage writes on stdout and stderr.
 *
 * The four formats, the check that every selector can travel in the chosen
 * one, the sentence that lists collection errors, and output_triage(),
 * which takes a read report to its verdict, its output and its exit
 * status.
 */
#ifndef PYTRIAGE_OUTPUT_H
#define PYTRIAGE_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "strbuf.h"
#include "tally.h"
#include "verdict.h"

/* Exit status for pytriage's own trouble: never 1, which a shell that
 * cannot open `< report.json` returns too, and which means "terminal". */
#define OUTPUT_TROUBLE	2


enum format {
	FORMAT_LINES,		/* selector + "\n", for pytest @file */
	FORMAT_NULL,		/* selector + NUL, for xargs -0 -r */
	FORMAT_VERDICT,		/* the verdict word */
	FORMAT_JSON		/* one object: the machine interface */
};

struct run_options {
	enum format format;
	uint64_t max_failures;	/* 0: no limit */
};

struct triage {
	enum verdict verdict;
	struct facts facts;
	struct tally_counts counts;
	const char *reason;
	const struct tally_id *selectors;	/* retry only */
	size_t nselectors;
	const struct tally *tally;		/* the collection errors */
};

/* "lines" -> FORMAT_LINES; -1 for a name that is none of them. */
int	output_format(const char *);

/*
 * Why a selector cannot travel in this format (it would be split, or read
 * by pytest as something else), or NULL when all can.  *which is its index.
 */
const char *output_unfit(enum format, const struct tally_id *, size_t n,
	    size_t *which);

/* Write the format's output.  -1 when writing failed (see ferror). */
int	output_write(FILE *, enum format, const struct triage *);

/*
 * Decide, write the format to out, and the verdict line to err (NULL: -q).
 * missing names a report file that does not exist.  Returns the exit
 * status: 0, 1 (terminal verdict) or OUTPUT_TROUBLE.
 */
int	output_triage(FILE *out, FILE *err, const struct run_options *,
	    int exit_status, enum report_status,
	    const struct report_error *, const struct tally *,
	    const char *missing);

/* "2 collection errors: a.py (ImportError: ...); b.py" */
int	output_collection_errors(struct strbuf *, const struct tally *);

#endif
