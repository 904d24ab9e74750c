/*
 * source.c: report bytes from a file descriptor or from memory.
 *
 * Owns the one read(2) loop of the program (EINTR is retried here, so that
 * no reader has to think about it) and the mapping of regular files.
 * Mapping saves the copy read(2) makes; windows are unmapped as the reader
 * moves on, so memory stays bounded whatever the file's size.
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define READ_CHUNK	(1024 * 1024)	/* Linux's largest pipe for anyone */

void
source_from_fd(struct source *src, int fd)
{
	memset(src, 0, sizeof(*src));
	src->fd = fd;
	src->window = NULL;
	src->buf = NULL;
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
	src->window = NULL;
	src->buf = NULL;
}

/* read(2), again when a signal interrupted it. */
static ssize_t
read_retried(int fd, unsigned char *buf, size_t len)
{
	ssize_t n;

	while ((n = read(fd, buf, len)) == -1 && errno == EINTR)
		continue;
	return n;
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
	if ((n = read_retried(src->fd, buf, len)) == -1)
		src->error = errno;
	return n;
}

/* Map a regular, non-empty file; anything else is read. */
static void
decide(struct source *src)
{
	struct stat st;
	off_t at;

	src->mapping = -1;
	if (fstat(src->fd, &st) == -1)
		return;
#ifdef F_SETPIPE_SZ
	/* A larger pipe, read whole: the writer and pytriage wake each
	 * other less often.  Only a hint: the size may be refused. */
	if (S_ISFIFO(st.st_mode))
		(void)fcntl(src->fd, F_SETPIPE_SZ, READ_CHUNK);
#endif
	if (!S_ISREG(st.st_mode) || st.st_size <= 0)
		return;
	/* Start where the descriptor stands (stdin may be part read). */
	if ((at = lseek(src->fd, 0, SEEK_CUR)) == -1 || at != 0)
		return;
	src->size = st.st_size;
	src->offset = 0;
	src->mapping = 1;
}

/* Map the window of the file at offset, its length in *len; MAP_FAILED
 * with errno set. */
static void *
map_window(int fd, off_t size, off_t offset, size_t *len)
{
	int flags = MAP_PRIVATE;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;	/* one call maps the whole window */
#endif
	*len = (size_t)(size - offset) < SOURCE_WINDOW ?
	    (size_t)(size - offset) : SOURCE_WINDOW;
	return mmap(NULL, *len, PROT_READ, flags, fd, offset);
}

static void
unmap_window(struct source *src)
{
	if (src->window != NULL)
		munmap(src->window, src->window_len);
	src->window = NULL;
	src->window_len = 0;
}

ssize_t
source_next(struct source *src, const unsigned char **chunk)
{
	size_t len;
	ssize_t n;

	if (src->fd == -1) {
		len = src->mem_len - src->mem_pos;
		if (len > src->chunk)
			len = src->chunk;
		*chunk = src->mem + src->mem_pos;
		src->mem_pos += len;
		return (ssize_t)len;
	}
	if (src->mapping == 0)
		decide(src);
	if (src->mapping == 1) {
		unmap_window(src);
		if (src->offset >= src->size)
			return 0;
		src->window = map_window(src->fd, src->size, src->offset,
		    &len);
		if (src->window == MAP_FAILED && src->offset == 0) {
			/* A file that cannot be mapped (some in /proc and
			 * /sys) is read as a pipe is. */
			src->window = NULL;
			src->mapping = -1;
			return source_next(src, chunk);
		}
		if (src->window == MAP_FAILED) {
			src->window = NULL;
			src->error = errno;
			return -1;
		}
		src->window_len = len;
		src->offset += (off_t)len;
		*chunk = src->window;
		return (ssize_t)len;
	}
	if (src->buf == NULL && (src->buf = malloc(READ_CHUNK)) == NULL) {
		src->error = ENOMEM;
		return -1;
	}
	n = source_read(src, src->buf, READ_CHUNK);
	*chunk = src->buf;
	return n;
}

void
source_end(struct source *src)
{
	unmap_window(src);
	free(src->buf);
	src->buf = NULL;
}
