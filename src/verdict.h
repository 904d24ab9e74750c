/*
 * verdict.h: the triage decision.
 *
 * A pure function from counted facts to a verdict, and the sentence that
 * explains it.  No I/O: everything it needs is in struct facts.
 */
#ifndef PYTRIAGE_VERDICT_H
#define PYTRIAGE_VERDICT_H

#include <stdint.h>

#include "strbuf.h"

enum verdict {
	VERDICT_PASSED,
	VERDICT_RETRY,
	VERDICT_COLLECTION_ERROR,
	VERDICT_INTERRUPTED,
	VERDICT_INTERNAL_ERROR,
	VERDICT_USAGE_ERROR,
	VERDICT_NO_TESTS,
	VERDICT_MAX_WARNINGS,
	VERDICT_SIGNAL,
	VERDICT_EXIT_STATUS,
	VERDICT_BAD_REPORT,
	VERDICT_NO_REPORT,
	VERDICT_INCOMPLETE,
	VERDICT_INCONSISTENT,
	VERDICT_UNRECORDED_FAILURE,
	VERDICT_TOO_MANY_FAILURES,
	/* Verdicts of a step of several attempts (step.h). */
	VERDICT_FAILED,		/* still failing when no retry is left */
	VERDICT_FLAKY		/* passed only thanks to a rerun */
};

enum report_state {
	REPORT_PARSED,		/* the whole report read and valid */
	REPORT_MISSING,		/* no file, or empty input */
	REPORT_BAD
};

struct facts {
	int exit_status;		/* pytest's, 0-255 */
	enum report_state report;
	int log;			/* the report is a pytest-reportlog log */
	int finished;			/* a log: its SessionFinish was read */
	int64_t session_status;		/* ... and said this exit status */
	uint64_t collection_errors;	/* records tagged as such */
	uint64_t tests;			/* distinct node IDs */
	uint64_t failed;		/* ... whose last outcome is failed */
	uint64_t unknown;		/* ... whose last outcome is unknown */
	uint64_t max_failures;		/* 0: no limit */
};

enum verdict verdict_decide(const struct facts *);
const char *verdict_name(enum verdict);

/* 0 for passed and retry, 1 for every terminal verdict. */
int	verdict_exit(enum verdict);

/* "SIGKILL" for 9; NULL for a number with no name here. */
const char *signal_name(int);

/*
 * The reason, one line.  detail is what only the caller knows: the
 * collection errors, the bad report's fault, why there is no report, the
 * first test whose outcome is unknown (escaped for display).
 */
int	verdict_reason(struct strbuf *, enum verdict, const struct facts *,
	    const char *detail);

#endif
