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
	int messages;			/* what the readers keep: KEEP_MESSAGES
					 * (failure messages and places),
					 * KEEP_RUNS (every test's runs) */
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

/*
 * With runs kept (KEEP_RUNS), every test of every attempt as JUnit shows
 * it, each once, in the order first seen attempt by attempt: the run
 * that decided it (its last run in the latest attempt that ran it) and
 * its other failing runs over the step, oldest first (runs within an
 * attempt are pytest-rerunfailures' reruns, or a test's records given
 * again), at most TALLY_RUNS_KEEP of them an attempt.  A collector's case
 * (a collection error or skip) shows its latest run alone.  A test none
 * of whose runs finished (its report broke off) is left out.
 */
struct step_case {
	const char *id;
	const struct tally_run *last;	/* the run that decided it */
	const struct tally_run **earlier;	/* its other failing runs */
	uint32_t id_len;		/* at most NODEID_MAX */
	uint32_t nearlier;
	unsigned char collect;		/* a collector's, not a test */
	unsigned char flaky;		/* it passed in the end: the earlier
					 * runs are flaky, else reruns */
};

/* The cases' results added up. */
struct step_case_counts {
	uint64_t tests;
	uint64_t failures;		/* cases whose last run failed */
	uint64_t errors;		/* ... showed an error */
	uint64_t skipped;		/* ... was skipped */
	double time;			/* their last runs' times */
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
	/* With runs kept: every test once, and the counts of the cases. */
	struct step_case *cases;
	size_t ncases;
	struct step_case_counts case_counts;
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
