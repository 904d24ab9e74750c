/*
 * strbuf.h: a growable byte buffer.
 *
 * Always NUL-terminated once it holds anything, so that text can be printed
 * with %s; binary contents (node IDs may hold NUL) go by len.
 */
#ifndef PYTRIAGE_STRBUF_H
#define PYTRIAGE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

void	strbuf_init(struct strbuf *);
void	strbuf_free(struct strbuf *);
void	strbuf_reset(struct strbuf *);
int	strbuf_reserve(struct strbuf *, size_t extra);
int	strbuf_append(struct strbuf *, const void *, size_t);
int	strbuf_appendc(struct strbuf *, int c);
int	strbuf_puts(struct strbuf *, const char *);
int	strbuf_printf(struct strbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
