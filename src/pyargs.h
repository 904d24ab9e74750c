/*
 * pyargs.h: pytest's command line as pytest reads it, for pytriage run.
 *
 * The runner adds options of its own to COMMAND and retries with
 * pytest's --last-failed; whether that is exact depends on the options
 * the user gave.  pyargs_read() reads them the way pytest 7.2's argparse
 * does (long options exact, short ones in clusters, -k/-m/-c/-p/-o/-W/-r
 * and xdist's -n taking a value), from three places in pytest's order:
 * addopts given with -o addopts=, PYTEST_ADDOPTS (split as Python's
 * shlex.split does), then COMMAND's arguments.  The ini file's own addopts
 * cannot be read here; see run.c for what covers it.
 */
#ifndef PYTRIAGE_PYARGS_H
#define PYTRIAGE_PYARGS_H

#include <stddef.h>

#include "strbuf.h"

struct pyargs {
	/* COMMAND is pytest itself: pytest, py.test, pytest-3,
	 * python -m pytest.  Otherwise a wrapper, whose arguments are all
	 * read as pytest's. */
	int recognized;
	/* Where pytriage's options go in COMMAND: before pytest's "--",
	 * else at the end (argc). */
	int insert_at;
	/* The option that makes pytest stop early, as given, and where:
	 * "-x" (in "-vx"), "--maxfail=2", "--sw"; NULL when none. */
	struct strbuf early_stop;
};

enum pyargs_report {
	PYARGS_REPORTLOG,	/* pytest-reportlog: --report-log */
	PYARGS_COLLECTOR	/* the Buildkite collector: --json */
};

/*
 * Read argv[0..argc) (COMMAND) and the PYTEST_ADDOPTS value (NULL:
 * unset).  0, or -1 with why: a one-line refusal saying what to change
 * (an option that would make a retry inexact or that runs no tests,
 * PYTEST_ADDOPTS that pytest cannot split), or "out of memory".
 * pyargs_free() either way.
 */
int	pyargs_read(struct pyargs *, char *const argv[], int argc,
	    const char *addopts, enum pyargs_report, struct strbuf *why);
void	pyargs_free(struct pyargs *);

/*
 * Python's shlex.split(s) (POSIX mode, no comments): words NUL-ended one
 * after another in out, *n of them.  0; 1 when s cannot be split (why
 * says how); -1 out of memory.
 */
int	pyargs_shlex(const char *s, struct strbuf *out, size_t *n,
	    const char **why);

#endif
