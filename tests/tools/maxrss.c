/*
 * maxrss.c: run a command and report its peak resident set size.
 *
 * usage: maxrss OUTFILE command [arg ...]
 *
 * Writes the child's ru_maxrss in KiB to OUTFILE and exits with the
 * child's exit status (128 + N if a signal killed it), so that tests can
 * bound pytriage's memory without /usr/bin/time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct rusage ru;
	pid_t pid;
	int status;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: maxrss outfile command [arg ...]\n");
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("maxrss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("maxrss: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1) {
		perror("maxrss: wait4");
		return 2;
	}
	if ((fp = fopen(argv[1], "w")) == NULL) {
		perror("maxrss");
		return 2;
	}
	fprintf(fp, "%ld\n", ru.ru_maxrss);
	if (fclose(fp) == EOF)
		return 2;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
