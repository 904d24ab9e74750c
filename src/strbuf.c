/*
 * strbuf.c: a growable byte buffer, doubling so that appends are amortised
 * O(1).  Every function returns 0, or -1 when memory ran out; the buffer is
 * left as it was then.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void
strbuf_init(struct strbuf *sb)
{
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void
strbuf_free(struct strbuf *sb)
{
	free(sb->data);
	strbuf_init(sb);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->data != NULL)
		sb->data[0] = '\0';
}

int
strbuf_reserve(struct strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - sb->len - 1)
		return -1;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap == 0 ? 64 : sb->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(sb->data, cap)) == NULL)
		return -1;
	sb->data = p;
	sb->cap = cap;
	return 0;
}

int
strbuf_append_slow(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_reserve(sb, len) == -1)
		return -1;
	if (len > 0)
		memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
	return 0;
}

int
strbuf_appendc(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_append(sb, &ch, 1);
}

int
strbuf_puts(struct strbuf *sb, const char *s)
{
	return strbuf_append(sb, s, strlen(s));
}

int
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || strbuf_reserve(sb, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

int
strbuf_append_capped(struct strbuf *sb, size_t cap, const void *data,
    size_t len, int *cut)
{
	size_t room;

	if (*cut)
		return 0;
	room = sb->len < cap ? cap - sb->len : 0;
	if (len > room) {
		*cut = 1;
		len = room;
	}
	return len > 0 ? strbuf_append(sb, data, len) : 0;
}
