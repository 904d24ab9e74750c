/*
 * source.c: report bytes from a file descriptor or from memory.
 *
 * Owns the one read(2) loop of the program: EINTR is retried here so that
 * no reader has to think about it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

void
source_from_fd(struct source *src, int fd)
{
	memset(src, 0, sizeof(*src));
	src->fd = fd;
}

void
source_from_memory(struct source *src, const void *data, size_t len,
    size_t chunk)
{
	memset(src, 0, sizeof(*src));
	src->fd = -1;
	src->mem = data;
	src->mem_len = len;
	src->chunk = chunk == 0 ? len : chunk;
}

ssize_t
source_read(struct source *src, unsigned char *buf, size_t len)
{
	ssize_t n;
	size_t left;

	if (src->fd == -1) {
		left = src->mem_len - src->mem_pos;
		if (len > left)
			len = left;
		if (len > src->chunk)
			len = src->chunk;
		if (len > 0)
			memcpy(buf, src->mem + src->mem_pos, len);
		src->mem_pos += len;
		return (ssize_t)len;
	}
	for (;;) {
		n = read(src->fd, buf, len);
		if (n >= 0)
			return n;
		if (errno != EINTR) {
			src->error = errno;
			return -1;
		}
	}
}
