/*
 * output.h: what pytriage writes on stdout.
 *
 * The four formats, the check that every selector can travel in the chosen
 * one, and the sentence that lists collection errors.
 */
#ifndef PYTRIAGE_OUTPUT_H
#define PYTRIAGE_OUTPUT_H

#include <stdio.h>

#include "strbuf.h"
#include "tally.h"
#include "verdict.h"

enum format {
	FORMAT_LINES,		/* selector + "\n", for pytest @file */
	FORMAT_NULL,		/* selector + NUL, for xargs -0 -r */
	FORMAT_VERDICT,		/* the verdict word */
	FORMAT_JSON		/* one object: the machine interface */
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

/* "2 collection errors: a.py (ImportError: ...); b.py" */
int	output_collection_errors(struct strbuf *, const struct tally *);

#endif
