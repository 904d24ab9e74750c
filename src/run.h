/*
 * run.h: pytriage run, the whole CI step in one command.
 *
 * Runs pytest (COMMAND) with a report of its own, judges the attempt,
 * retries the failed tests with pytest's --last-failed while the step's
 * verdict is retry, and ends with the step's verdict (step.h).
 */
#ifndef PYTRIAGE_RUN_H
#define PYTRIAGE_RUN_H

/*
 * argv[0] is "run"; the rest are run's options and COMMAND.  Returns the
 * exit status: 0 passed, 1 any terminal verdict, 2 pytriage's own
 * trouble.  After SIGINT, SIGTERM or SIGHUP it does not return: once the
 * summary is written and its files are gone it dies of that signal.
 */
int	run_main(int argc, char *argv[]);

#endif
