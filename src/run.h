/*
 * run.h: pytriage run, the whole CI step in one command.
 *
 * Runs pytest (COMMAND) with a report of its own, judges the attempt,
 * retries the failed tests with pytest's --last-failed while the step's
 * verdict is retry, and ends with the step's verdict (step.h).
 */
#ifndef PYTRIAGE_RUN_H
#define PYTRIAGE_RUN_H

#include <stdint.h>

/*
 * argv[0] is "run"; the rest are run's options and COMMAND.  Returns the
 * exit status: 0 passed, 1 any terminal verdict, 2 pytriage's own
 * trouble.  After SIGINT, SIGTERM or SIGHUP it does not return: once the
 * summary is written and its files are gone it dies of that signal.
 */
int	run_main(int argc, char *argv[]);

/*
 * What both command lines take as a number (main.c): decimal digits only,
 * no sign, no blank, 0 to max; leading zeros only when allowed.  0, or -1
 * for anything else.
 */
int	parse_decimal(const char *, uint64_t max, int leading_zeros,
	    uint64_t *value);

#endif
