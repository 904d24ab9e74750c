/*
 * source.c: report bytes from a file descriptor or from memory.
 *
 * Owns the one read(2) loop of the program (EINTR is retried here, so that
 * no reader has to think about it) and the mapping of regular files.
 * Mapping saves the copy read(2) makes, a fifth of pytriage's time on a
 * large report; windows are unmapped as the reader moves on, so memory
 * stays bounded whatever the file's size.  Past the first window, a
 * thread maps the next one while the reader reads (the mapper, below):
 * the only thread of the program, and it touches no byte of the report.
 */
#define _GNU_SOURCE		/* F_SETPIPE_SZ */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define READ_CHUNK	(1024 * 1024)	/* Linux's largest pipe for anyone */
#define RING		2	/* windows held: the reader's, one ahead */

/*
 * The mapper: a thread that maps (and populates) the next window while
 * the reader reads this one, and unmaps the windows the reader is done
 * with.  Mapping and unmapping are a seventh of the time on a large
 * report; this takes them off the reader's way.  The reader's position
 * and the mapper's are counts of windows: taken <= mapped, and
 * unmapped <= returned <= taken.
 */
struct window {
	void *addr;
	size_t len;
	int error;		/* errno of a failed mmap */
};

struct mapper {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* the mapper waits for room or the end */
	pthread_cond_t ready;	/* the reader waits for a window */
	int fd;
	off_t size, offset;	/* offset: of the next window to map */
	struct window ring[RING];
	unsigned long mapped, taken, returned, unmapped;
	int holding;		/* the reader has ring[(taken - 1) % RING] */
	int stop;
};

void
source_from_fd(struct source *src, int fd)
{
	memset(src, 0, sizeof(*src));
	src->fd = fd;
	src->window = NULL;
	src->buf = NULL;
	src->mapper = NULL;
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
	src->mapper = NULL;
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

static size_t
window_len(off_t size, off_t offset)
{
	return (size_t)(size - offset) < SOURCE_WINDOW ?
	    (size_t)(size - offset) : SOURCE_WINDOW;
}

static int
map_flags(void)
{
#ifdef MAP_POPULATE
	return MAP_PRIVATE | MAP_POPULATE;	/* one call maps it whole */
#else
	return MAP_PRIVATE;
#endif
}

static void *
mapper_main(void *arg)
{
	struct mapper *m = arg;
	struct window w, *slot;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (m->unmapped < m->returned) {
			w = m->ring[m->unmapped % RING];
			pthread_mutex_unlock(&m->lock);
			if (w.addr != NULL)	/* NULL: a window not mapped */
				munmap(w.addr, w.len);
			pthread_mutex_lock(&m->lock);
			m->unmapped++;
		}
		if (m->stop)
			break;
		if (m->offset >= m->size || m->mapped - m->unmapped == RING) {
			pthread_cond_wait(&m->wake, &m->lock);
			continue;
		}
		w.len = window_len(m->size, m->offset);
		w.error = 0;
		pthread_mutex_unlock(&m->lock);
		w.addr = mmap(NULL, w.len, PROT_READ, map_flags(), m->fd,
		    m->offset);
		if (w.addr == MAP_FAILED)
			w.error = errno;
		pthread_mutex_lock(&m->lock);
		slot = &m->ring[m->mapped % RING];
		*slot = w;
		if (w.error != 0) {
			slot->addr = NULL;
			slot->len = 0;
			m->size = m->offset;	/* map no more */
		} else
			m->offset += (off_t)w.len;
		m->mapped++;
		pthread_cond_signal(&m->ready);
	}
	/* The reader is gone: unmap what it did not give back. */
	while (m->unmapped < m->mapped) {
		w = m->ring[m->unmapped++ % RING];
		if (w.addr != NULL)
			munmap(w.addr, w.len);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* Map the rest of the file from offset in a thread; -1 if there is none. */
static int
mapper_start(struct source *src)
{
	struct mapper *m;
	sigset_t all, old;
	int rc;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -1;
	m->fd = src->fd;
	m->size = src->size;
	m->offset = src->offset;
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		free(m);
		return -1;
	}
	if (pthread_cond_init(&m->wake, NULL) != 0) {
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -1;
	}
	if (pthread_cond_init(&m->ready, NULL) != 0) {
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -1;
	}
	/* Signals are the reader's to take, not the mapper's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&m->thread, NULL, mapper_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&m->ready);
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -1;
	}
	src->mapper = m;
	return 0;
}

/* Give back the window the reader holds and take the next one. */
static ssize_t
mapper_next(struct source *src, const unsigned char **chunk)
{
	struct mapper *m = src->mapper;
	struct window w;

	if (src->error != 0)	/* the mapper maps no more */
		return -1;
	pthread_mutex_lock(&m->lock);
	if (m->holding) {
		m->returned++;
		m->holding = 0;
		pthread_cond_signal(&m->wake);
	}
	if (src->offset >= src->size) {
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	while (m->mapped == m->taken)
		pthread_cond_wait(&m->ready, &m->lock);
	w = m->ring[m->taken++ % RING];
	m->holding = 1;
	pthread_mutex_unlock(&m->lock);
	if (w.error != 0) {
		src->error = w.error;
		return -1;
	}
	src->offset += (off_t)w.len;
	*chunk = w.addr;
	return (ssize_t)w.len;
}

static void
mapper_end(struct source *src)
{
	struct mapper *m = src->mapper;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->holding)
		m->returned++;
	m->stop = 1;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->ready);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
	src->mapper = NULL;
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
	if (src->mapper != NULL)
		return mapper_next(src, chunk);
	if (src->mapping == 1) {
		unmap_window(src);
		if (src->offset >= src->size)
			return 0;
		/* Past the first window, a thread maps the rest ahead. */
		if (src->offset > 0 &&
		    src->size - src->offset > (off_t)SOURCE_WINDOW &&
		    mapper_start(src) == 0)
			return mapper_next(src, chunk);
		len = window_len(src->size, src->offset);
		src->window = mmap(NULL, len, PROT_READ, map_flags(), src->fd,
		    src->offset);
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
	mapper_end(src);
	unmap_window(src);
	free(src->buf);
	src->buf = NULL;
	src->mapper = NULL;
}
