/*
 * strbuf.h: a growable byte buffer.
 *
 * Always NUL-terminated once it holds anything, so that text can be printed
 * with %s; binary contents (node IDs may hold NUL) go by len.
 */
#ifndef PYTRIAGE_STRBUF_H
#define PYTRIAGE_STRBUF_H

#include <stddef.h>
#include <string.h>

struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

void	strbuf_init(struct strbuf *);
void	strbuf_free(struct strbuf *);
void	strbuf_reset(struct strbuf *);
int	strbuf_reserve(struct strbuf *, size_t extra);
int	strbuf_append_slow(struct strbuf *, const void *, size_t);
int	strbuf_appendc(struct strbuf *, int c);
int	strbuf_puts(struct strbuf *, const char *);
int	strbuf_printf(struct strbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Append as much as keeps the buffer within cap bytes; set *cut when
 * anything was left out.  Once cut, the buffer takes nothing more. */
int	strbuf_append_capped(struct strbuf *, size_t cap, const void *,
	    size_t, int *cut);

/* Inline: the reader appends a few short strings to every record. */
static inline int
strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
	if (sb->cap - sb->len <= len)
		return strbuf_append_slow(sb, data, len);
	if (len > 0)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
	return 0;
}

#endif
