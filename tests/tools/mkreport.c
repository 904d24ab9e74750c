/*
 * mkreport.c: write the reports that attack the reader, to stdout.
 *
 *   mkreport tiny N DISTINCT   N tiny records cycling over DISTINCT node
 *                              IDs; every 20th distinct one fails
 *   mkreport deep-skip DEPTH   one record whose history nests DEPTH arrays
 *   mkreport deep-read DEPTH   one record whose scope nests DEPTH arrays
 *   mkreport long-name BYTES   one failed record with a name of BYTES bytes
 *   mkreport long-reason BYTES one failed record, failure_reason of BYTES
 *
 * Too big to keep in testdata/, these are made at test time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
repeat(const char *s, unsigned long n)
{
	while (n-- > 0)
		fputs(s, stdout);
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	unsigned long n, i, distinct, id;

	if (argc < 3) {
		fprintf(stderr, "usage: mkreport kind number [distinct]\n");
		return 2;
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	n = strtoul(argv[2], NULL, 10);
	if (strcmp(argv[1], "tiny") == 0) {
		distinct = argc > 3 ? strtoul(argv[3], NULL, 10) : n;
		if (distinct == 0)
			distinct = 1;
		putchar('[');
		for (i = 0; i < n; i++) {
			id = i % distinct;
			printf("%s{\"scope\": \"\", \"name\": \"t%lu\", "
			    "\"result\": \"%s\"}", i > 0 ? ", " : "", id,
			    id % 20 == 7 ? "failed" : "passed");
		}
		putchar(']');
	} else if (strcmp(argv[1], "deep-skip") == 0) {
		fputs("[{\"scope\": \"t.py\", \"name\": \"test_deep\", "
		    "\"history\": ", stdout);
		repeat("[", n);
		repeat("]", n);
		fputs(", \"result\": \"failed\"}]", stdout);
	} else if (strcmp(argv[1], "deep-read") == 0) {
		fputs("[{\"scope\": ", stdout);
		repeat("[", n);
		repeat("]", n);
		fputs(", \"name\": \"test_deep\", \"result\": \"failed\"}]",
		    stdout);
	} else if (strcmp(argv[1], "long-name") == 0) {
		fputs("[{\"scope\": \"t.py\", \"name\": \"test_long[", stdout);
		repeat("x", n);
		fputs("]\", \"result\": \"failed\"}]", stdout);
	} else if (strcmp(argv[1], "long-reason") == 0) {
		fputs("[{\"scope\": \"t.py\", \"name\": \"test_big\", "
		    "\"result\": \"failed\", \"failure_reason\": \"", stdout);
		for (i = 0; i < n / 16; i++)
			fputs("AssertionError\\n", stdout);
		fputs("\"}]", stdout);
	} else {
		fprintf(stderr, "mkreport: unknown kind %s\n", argv[1]);
		return 2;
	}
	return fflush(stdout) == EOF ? 1 : 0;
}
