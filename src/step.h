/*
 * step.h: one verdict for a CI step, over its first run and its retries.
 *
 * Each attempt (pytest's exit status and its report) is read and triaged
 * alone (triage.h); the step is then judged from those triages in order:
 * the first terminal attempt decides it, a retry must have run what the
 * attempt before it asked for, and a test's final outcome is its outcome
 * in the latest attempt that ran it.  One attempt is judged exactly as
 * triage_run() judges it, unless the retry budget is 0 or flaky tests are
 * failures.
 */
#ifndef PYTRIAGE_STEP_H
#define PYTRIAGE_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "triage.h"

/* One attempt as the command line (or the runner) gives it. */
struct step_input {
	int exit_status;	/* pytest's, 0-255 */
	const char *report;	/* a path; NULL or "-": stdin */
};

struct step_options {
	struct triage_options triage;	/* exit_status and missing unused */
	uint64_t retries;		/* attempts allowed after the first */
	int fail_on_flaky;		/* passed only thanks to a rerun: 1 */
	int messages;			/* keep failure messages and places */
	int reference;			/* read with json-c */
};

/* What one attempt said on its own. */
struct step_attempt {
	enum verdict verdict;
	enum input_kind input;
	int exit_status;
	const char *report;		/* as given; NULL: stdin */
	const char *reason;		/* its own reason, one line */
	struct triage_counts counts;
};

/* A test that failed in some attempt: its outcome in every attempt. */
enum step_outcome {
	STEP_NOT_RUN = 0,
	STEP_PASSED,
	STEP_FAILED,
	STEP_SKIPPED,
	STEP_UNKNOWN,
	STEP_FLAKY		/* failed, then passed within the attempt */
};

struct step_test {
	struct triage_test test;	/* the failure that is shown */
	enum step_outcome *outcomes;	/* one per attempt */
};

struct step {
	/*
	 * The step as a whole, in the shape every writer prints: verdict,
	 * reason, selectors (failed, when the verdict is retry), the tests
	 * that failed in the end (failed, for every other verdict), the
	 * flaky tests over the whole step, the collection errors and the
	 * counts of the attempt that decided it.
	 */
	struct triage result;
	size_t decided_by;		/* index of the deciding attempt */
	struct step_attempt *attempts;
	size_t nattempts;
	/* Every test that failed in any attempt, in order of first
	 * failure, attempt by attempt. */
	struct step_test *history;
	size_t nhistory;
	struct step_store *store;	/* what step_free() frees */
};

/*
 * Read and judge the attempts in order.  0, or -1 for pytriage's own
 * trouble (a report that cannot be opened or read, no memory, more
 * attempts than the budget allows, a selector --rootdir cannot rewrite),
 * with a one-line why.  step_free() either way.
 */
int	step_judge(struct step *, const struct step_input *, size_t n,
	    const struct step_options *, struct strbuf *why);
void	step_free(struct step *);

const char *step_outcome_name(enum step_outcome);

#endif
