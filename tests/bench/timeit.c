/*
 * timeit.c - run one command, then append "SECONDS MAXRSS_KIB STATUS\n" to
 * RESULT: its wall time (CLOCK_MONOTONIC, microsecond resolution), its peak
 * resident set size (getrusage(RUSAGE_CHILDREN) after waiting for it: the
 * largest of the processes it ran, not their sum) and its exit status
 * (128+N when killed by signal N).  stdin, stdout and stderr are the
 * command's.  Part of the pytriage benchmark (tests/bench/bench.sh); GNU
 * time's %e only has 10 ms resolution, too coarse for a 10 MB report.
 *
 * Usage: timeit RESULT COMMAND [ARG...]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int st, status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fputs("usage: timeit RESULT COMMAND [ARG...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timeit: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			perror("timeit: waitpid");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &ru);
	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	out = fopen(argv[1], "a");
	if (!out) {
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fprintf(out, "%.6f %ld %d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		(long)ru.ru_maxrss, status);
	if (fclose(out) != 0) {
		perror("timeit: write");
		return 2;
	}
	return status;
}
