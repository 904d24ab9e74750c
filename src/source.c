/*
 * source.c: report bytes from a file descriptor or from memory.
 *
 * Owns the one read(2) loop of the program (EINTR is retried here, so that
 * no reader has to think about it) and the mapping of regular files.
 * Mapping saves the copy read(2) makes, a fifth of pytriage's time on a
 * large report; windows are unmapped as the reader moves on, so memory
 * stays bounded whatever the file's size.  Past the first chunk, a thread
 * maps or reads the next one while the reader reads this one (the reader
 * ahead, below); it looks at no byte of the report.
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define READ_CHUNK	(1024 * 1024)	/* Linux's largest pipe for anyone */
#define RING		2	/* chunks held: the reader's, one ahead */

/*
 * The reader ahead: a thread that makes the next chunk ready while the
 * reader reads this one.  From a regular file it maps (and populates) the
 * next window and unmaps those the reader is done with: mapping and
 * unmapping are a seventh of the time on a large report.  From a pipe it
 * reads into the buffer the reader is not reading: the copy out of the
 * pipe is a sixth.  Positions are counts of chunks: taken <= made, and
 * freed <= returned <= taken; the reader holds a chunk while returned <
 * taken.  A chunk of length 0 is the end of input.
 */
struct chunk {
	unsigned char *addr;
	size_t len;
	int error;		/* errno of a failed mmap or read */
};

struct ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* the thread waits for room or the end */
	pthread_cond_t ready;	/* the reader waits for a chunk */
	int fd;
	int mapping;		/* 1: map windows; 0: read into bufs */
	off_t size, offset;	/* mapping: the file's, the next window's */
	unsigned char *bufs[RING];
	int wake_pipe[2];	/* reading: written when the reader ends */
	struct chunk ring[RING];
	unsigned long made, taken, returned, freed;
	int done;		/* the thread made its last chunk */
	int stop;		/* the reader is gone */
	int ended;		/* the reader took the last chunk (its own) */
};

void
source_from_fd(struct source *src, int fd)
{
	memset(src, 0, sizeof(*src));
	src->fd = fd;
	src->window = NULL;
	src->buf = NULL;
	src->ahead = NULL;
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
	src->ahead = NULL;
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

/* The next chunk, made without the lock held. */
static struct chunk
make_chunk(struct ahead *a)
{
	struct chunk c = { NULL, 0, 0 };
	struct pollfd wait[2];
	ssize_t n;
	void *p;

	if (a->mapping) {
		if (a->offset >= a->size)
			return c;	/* the end */
		p = map_window(a->fd, a->size, a->offset, &c.len);
		if (p == MAP_FAILED) {
			c.len = 0;
			c.error = errno;
		} else
			c.addr = p;
		return c;
	}
	/* A read may wait for a writer that never comes: wait for the
	 * input or for the reader's end, whichever comes first.  At the
	 * reader's end the chunk made is never taken. */
	wait[0].fd = a->fd;
	wait[0].events = POLLIN;
	wait[1].fd = a->wake_pipe[0];
	wait[1].events = POLLIN;
	while (poll(wait, 2, -1) == -1)
		if (errno != EINTR) {
			c.error = errno;
			return c;
		}
	if (wait[1].revents != 0)
		return c;
	c.addr = a->bufs[a->made % RING];
	if ((n = read_retried(a->fd, c.addr, READ_CHUNK)) == -1)
		c.error = errno;
	else
		c.len = (size_t)n;
	return c;
}

/* Give back a chunk the reader is done with. */
static void
free_chunk(const struct ahead *a, const struct chunk *c)
{
	if (a->mapping && c->addr != NULL)
		munmap(c->addr, c->len);
}

static void *
ahead_main(void *arg)
{
	struct ahead *a = arg;
	struct chunk c;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (a->freed < a->returned) {
			c = a->ring[a->freed % RING];
			pthread_mutex_unlock(&a->lock);
			free_chunk(a, &c);
			pthread_mutex_lock(&a->lock);
			a->freed++;
		}
		if (a->stop)
			break;
		if (a->done || a->made - a->freed == RING) {
			pthread_cond_wait(&a->wake, &a->lock);
			continue;
		}
		pthread_mutex_unlock(&a->lock);
		c = make_chunk(a);
		pthread_mutex_lock(&a->lock);
		if (a->mapping && c.error == 0)
			a->offset += (off_t)c.len;
		a->done = c.len == 0;	/* the end, or an error */
		a->ring[a->made++ % RING] = c;
		pthread_cond_signal(&a->ready);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

static void
ahead_free(struct ahead *a)
{
	size_t i;

	for (i = 0; i < RING; i++)
		free(a->bufs[i]);
	if (a->wake_pipe[0] != -1) {
		close(a->wake_pipe[0]);
		close(a->wake_pipe[1]);
	}
	free(a);
}

/* Make the rest of the input ready in a thread; -1 if none was started. */
static int
ahead_start(struct source *src)
{
	struct ahead *a;
	sigset_t all, old;
	size_t i;
	int rc;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -1;
	a->fd = src->fd;
	a->mapping = src->mapping == 1;
	a->size = src->size;
	a->offset = src->offset;
	a->wake_pipe[0] = a->wake_pipe[1] = -1;
	for (i = 0; i < RING && !a->mapping; i++)
		if ((a->bufs[i] = malloc(READ_CHUNK)) == NULL) {
			ahead_free(a);
			return -1;
		}
	if (!a->mapping && pipe(a->wake_pipe) == -1) {
		a->wake_pipe[0] = a->wake_pipe[1] = -1;
		ahead_free(a);
		return -1;
	}
	if (pthread_mutex_init(&a->lock, NULL) != 0)
		goto no_lock;
	if (pthread_cond_init(&a->wake, NULL) != 0)
		goto no_wake;
	if (pthread_cond_init(&a->ready, NULL) != 0)
		goto no_ready;
	/* Signals are the reader's to take, not the thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&a->thread, NULL, ahead_main, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		goto no_thread;
	src->ahead = a;
	return 0;

no_thread:
	pthread_cond_destroy(&a->ready);
no_ready:
	pthread_cond_destroy(&a->wake);
no_wake:
	pthread_mutex_destroy(&a->lock);
no_lock:
	ahead_free(a);
	return -1;
}

/* Give back the chunk the reader holds and take the next one. */
static ssize_t
ahead_next(struct source *src, const unsigned char **chunk)
{
	struct ahead *a = src->ahead;
	struct chunk c;

	if (src->error != 0)	/* an error stays one */
		return -1;
	pthread_mutex_lock(&a->lock);
	if (a->returned < a->taken) {
		a->returned = a->taken;
		pthread_cond_signal(&a->wake);
	}
	if (a->ended) {
		pthread_mutex_unlock(&a->lock);
		return 0;
	}
	while (a->made == a->taken)
		pthread_cond_wait(&a->ready, &a->lock);
	c = a->ring[a->taken++ % RING];
	a->ended = c.len == 0;
	pthread_mutex_unlock(&a->lock);
	if (c.error != 0) {
		src->error = c.error;
		return -1;
	}
	*chunk = c.addr;
	return (ssize_t)c.len;
}

static void
ahead_end(struct source *src)
{
	struct ahead *a = src->ahead;
	struct chunk c;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->returned = a->taken;
	a->stop = 1;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	/* It may wait for input that never comes: wake it. */
	if (!a->mapping)
		while (write(a->wake_pipe[1], "", 1) == -1 && errno == EINTR)
			continue;
	pthread_join(a->thread, NULL);
	/* Give back what the reader never took. */
	while (a->freed < a->made) {
		c = a->ring[a->freed++ % RING];
		free_chunk(a, &c);
	}
	pthread_cond_destroy(&a->ready);
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
	ahead_free(a);
	src->ahead = NULL;
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
	if (src->ahead != NULL)
		return ahead_next(src, chunk);
	if (src->mapping == 1) {
		unmap_window(src);
		if (src->offset >= src->size)
			return 0;
		/* Past the first window, a thread maps the rest ahead. */
		if (src->offset > 0 &&
		    src->size - src->offset > (off_t)SOURCE_WINDOW &&
		    ahead_start(src) == 0)
			return ahead_next(src, chunk);
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
	/* After a first read that was not the end, a thread reads ahead;
	 * the reader's buffer is not needed past this call. */
	if (src->reads > 0 && ahead_start(src) == 0) {
		free(src->buf);
		src->buf = NULL;
		return ahead_next(src, chunk);
	}
	if (src->buf == NULL && (src->buf = malloc(READ_CHUNK)) == NULL) {
		src->error = ENOMEM;
		return -1;
	}
	n = source_read(src, src->buf, READ_CHUNK);
	if (n > 0)
		src->reads++;
	*chunk = src->buf;
	return n;
}

void
source_end(struct source *src)
{
	ahead_end(src);
	unmap_window(src);
	free(src->buf);
	src->buf = NULL;
	src->ahead = NULL;
}
