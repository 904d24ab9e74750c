/*
 * source.h: where report bytes come from.
 *
 * A source hands out the report in chunks, from a file descriptor or from
 * memory.  Memory sources can be cut into small chunks so that tests and
 * fuzzers reach every refill path of the readers.
 */
#ifndef PYTRIAGE_SOURCE_H
#define PYTRIAGE_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

struct source {
	int fd;			/* -1 for a memory source */
	const unsigned char *mem;
	size_t mem_len;
	size_t mem_pos;
	size_t chunk;		/* largest chunk a memory read returns */
	int error;		/* errno of the failed read, else 0 */
};

void	source_from_fd(struct source *, int fd);
void	source_from_memory(struct source *, const void *data, size_t len,
	    size_t chunk);

/*
 * Read up to len bytes into buf.  Returns the count, 0 at end of input,
 * or -1 with src->error set.  Interrupted reads are retried.
 */
ssize_t	source_read(struct source *, unsigned char *buf, size_t len);

#endif
