/*
 * timeit.c - run one command, then append
 *   "WALL_S USER_S SYS_S MAXRSS_KIB STATUS\n"
 * to RESULT: its wall time (CLOCK_MONOTONIC), the CPU time it used in user
 * and in kernel mode, and its peak resident set size, all from
 * getrusage(RUSAGE_CHILDREN) after waiting for it (CPU time summed over the
 * command and every descendant it waited for, threads included: what a CI
 * agent pays; peak RSS the largest of those processes, not their sum), and
 * its exit status (128+N when killed by signal N).  Times in seconds with
 * microsecond resolution.  stdin, stdout and stderr are the command's.
 * Leading NAME=VALUE arguments are put in the command's environment, as
 * env(1) does, without a process of their own.  Part of the pytriage
 * benchmark (tests/bench/bench.sh); GNU time's %e, %U and %S only have
 * 10 ms resolution, too coarse for a 10 MB report.
 *
 * Usage: timeit RESULT [NAME=VALUE...] COMMAND [ARG...]
 */
#define _XOPEN_SOURCE 700	/* putenv */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* NAME=VALUE with a name of letters, digits and '_', not starting with a digit. */
static int is_assignment(const char *s)
{
	const char *p = s;

	if (*p >= '0' && *p <= '9')
		return 0;
	while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9'))
		p++;
	return p > s && *p == '=';
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int st, status, cmd = 2;
	pid_t pid;
	FILE *out;

	while (cmd < argc && is_assignment(argv[cmd]))
		cmd++;
	if (cmd >= argc) {
		fputs("usage: timeit RESULT [NAME=VALUE...] COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		for (int i = 2; i < cmd; i++) {
			if (putenv(argv[i]) != 0) {
				perror("timeit: putenv");
				_exit(127);
			}
		}
		execvp(argv[cmd], argv + cmd);
		fprintf(stderr, "timeit: %s: %s\n", argv[cmd], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			perror("timeit: waitpid");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
		perror("timeit: getrusage");
		return 2;
	}
	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	out = fopen(argv[1], "a");
	if (!out) {
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fprintf(out, "%.6f %.6f %.6f %ld %d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		secs(ru.ru_utime), secs(ru.ru_stime), (long)ru.ru_maxrss, status);
	if (fclose(out) != 0) {
		perror("timeit: write");
		return 2;
	}
	return status;
}
