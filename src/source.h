/*
 * source.h: where report bytes come from.
 *
 * A source hands out the report in chunks, from a file descriptor or from
 * memory.  source_read() copies into the caller's buffer; source_next()
 * lends the next chunk without a copy: a regular file is mapped a window
 * at a time, memory is pointed into, and only a pipe is read into a
 * buffer of the source's own.  Memory sources can be cut into small
 * chunks so that tests and fuzzers reach every refill path of the
 * readers.
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

	/* source_next() on a file descriptor */
	int mapping;		/* 1: map windows; 0: undecided; -1: read */
	off_t size;		/* of the mapped file, when it was opened */
	off_t offset;		/* of the next window */
	void *window;
	size_t window_len;
	unsigned char *buf;	/* for a descriptor that cannot be mapped */
};

/* A regular file is mapped this much at a time (a multiple of any page
 * size). */
#define SOURCE_WINDOW	((size_t)1 << 20)

void	source_from_fd(struct source *, int fd);
void	source_from_memory(struct source *, const void *data, size_t len,
	    size_t chunk);

/*
 * Read up to len bytes into buf.  Returns the count, 0 at end of input,
 * or -1 with src->error set.  Interrupted reads are retried.
 */
ssize_t	source_read(struct source *, unsigned char *buf, size_t len);

/*
 * Lend the next chunk: *chunk points to it until the next call or
 * source_end().  Returns its length, 0 at end of input, or -1 with
 * src->error set.  A mapped file that shrinks while it is read raises
 * SIGBUS: the caller decides what that means.
 */
ssize_t	source_next(struct source *, const unsigned char **chunk);

/* Give back what source_next() mapped or allocated. */
void	source_end(struct source *);

#endif
