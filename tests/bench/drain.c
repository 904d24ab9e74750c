/*
 * drain.c - read standard input to its end and throw it away, as
 * pytriage reads a pipe (the pipe asked for 1 MiB, read 1 MiB at a time),
 * doing nothing with the bytes.  `cat FILE | drain` is the floor of
 * `cat FILE | pytriage 1`: what cat and the pipe cost any reader.  Part
 * of the pytriage benchmark (tests/bench/bench.sh).
 *
 * Usage: drain < INPUT
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK	(1024 * 1024)

int
main(void)
{
	static unsigned char buf[CHUNK];
	unsigned long long total = 0;
	ssize_t n;

#ifdef F_SETPIPE_SZ
	(void)fcntl(0, F_SETPIPE_SZ, CHUNK);
#endif
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("drain");
			return 1;
		}
		total += (unsigned long long)n;
	}
	printf("%llu\n", total);
	return 0;
}
