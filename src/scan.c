/*
 * scan.c: the validating JSON scanner under the fast readers (scan.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* Per byte: 1 when a string cannot simply go on past it: a control byte,
 * '"', '\\', or the start of a UTF-8 sequence. */
const unsigned char scan_string_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Per byte after a backslash: the character that escape stands for, or 0
 * (\u takes the long way; anything else is invalid). */
static const char escape_char[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
	['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/* The first bytes of a key, as many as a fault keeps. */
static size_t
keep_key(char *to, const char *key, size_t len)
{
	if (len > SCAN_KEY_NAME)
		len = SCAN_KEY_NAME;
	if (len > 0)
		memcpy(to, key, len);
	return len;
}

/* Note the first fault only: later ones follow from it. */
int
scan_fail(struct scanner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = 1;
	r->fault.offset = r->base + r->pos;
	r->fault.key_len = r->key_text == NULL ? 0 :
	    keep_key(r->fault.key, r->key_text, r->key_len);
	va_start(ap, fmt);
	vsnprintf(r->fault.what, sizeof(r->fault.what), fmt, ap);
	va_end(ap);
	return -1;
}

/* The captured bytes of the buffer, up to end. */
static int
capture_upto(struct scanner *r, size_t end)
{
	if (end > r->capture_from &&
	    strbuf_append_capped(r->capture, r->capture_keep,
	    r->buf + r->capture_from, end - r->capture_from,
	    &r->capture_overflow) == -1) {
		r->capture = NULL;
		return scan_nomem(r);
	}
	r->capture_from = end;
	return 0;
}

int
scan_refill(struct scanner *r)
{
	ssize_t n;

	if (r->eof || r->ioerr)
		return 0;
	/* The key named in a fault may lie in the buffer about to go. */
	if (r->key_text != NULL && r->key_text != r->key_kept) {
		r->key_len = keep_key(r->key_kept, r->key_text, r->key_len);
		r->key_text = r->key_kept;
	}
	if (r->capture != NULL && capture_upto(r, r->end) == -1)
		return 0;
	n = source_next(r->src, &r->buf);
	if (n <= 0) {
		if (n < 0)
			r->ioerr = 1;
		else
			r->eof = 1;
		return 0;
	}
	r->base += r->end;
	r->pos = 0;
	r->end = (size_t)n;
	r->capture_from = 0;
	return 1;
}

void
scan_capture_start(struct scanner *r, struct strbuf *out, size_t keep)
{
	strbuf_reset(out);
	r->capture = out;
	r->capture_from = r->pos;
	r->capture_keep = keep;
	r->capture_overflow = 0;
}

int
scan_capture_end(struct scanner *r, int *overflow)
{
	int rc = 0;

	if (r->capture != NULL)
		rc = capture_upto(r, r->pos);
	*overflow = r->capture_overflow;
	r->capture = NULL;
	return rc;
}

int
scan_number_text(struct scanner *r, int c, struct strbuf *out, size_t keep,
    int *overflow)
{
	/* NaN, Infinity and -Infinity too: Python writes them. */
	if (c != '-' && c != 'N' && c != 'I' && !scan_is_digit(c))
		return scan_skip_value(r) == -1 ? -1 : 0;
	scan_capture_start(r, out, keep);
	if (scan_skip_value(r) == -1) {
		r->capture = NULL;
		return -1;
	}
	return scan_capture_end(r, overflow) == -1 ? -1 : 1;
}

int
scan_truncated(struct scanner *r, const char *where)
{
	if (r->ioerr)
		return -1;
	return scan_fail(r, "the report ends %s (truncated?)", where);
}

int
scan_unexpected(struct scanner *r, int c, const char *expected)
{
	if (c == -1)
		return scan_truncated(r, "early");
	if (c == 0)
		return scan_fail(r, "raw NUL byte where %s was expected", expected);
	if (c < 0x20 || c >= 0x7f)
		return scan_fail(r, "byte 0x%02x where %s was expected", c,
		    expected);
	return scan_fail(r, "'%c' where %s was expected", c, expected);
}

int
scan_skip_ws_slow(struct scanner *r)
{
	int c;

	for (;;) {
		c = scan_peek(r);
		if (c != ' ' && c != '\r' && c != '\t' &&
		    (c != '\n' || r->lines))
			return c;
		r->pos++;
	}
}

/* Append up to what the sink keeps; note the overflow. */
static int
keep_bytes(struct scanner *r, struct sink *k, const void *p, size_t n)
{
	size_t room;

	if (k->overflow)
		return 0;
	room = k->keep - k->out->len;
	if (n > room) {
		k->overflow = 1;
		n = room;
	}
	if (n > 0 && strbuf_append(k->out, p, n) == -1)
		return scan_nomem(r);
	return 0;
}

static int
sink_put_one(struct scanner *r, struct sink *k, const void *p, size_t n)
{
	const char *nl;
	size_t room;

	if (k->out == NULL)
		return 0;
	if (k->last_line) {
		/* Start again after each line break, but only once the next
		 * line has something in it. */
		while (n > 0) {
			if (*(const char *)p == '\n' || *(const char *)p == '\r') {
				k->line_ended = 1;
				p = (const char *)p + 1;
				n--;
				continue;
			}
			if (k->line_ended) {
				strbuf_reset(k->out);
				k->overflow = k->line_ended = 0;
			}
			for (room = 0; room < n; room++) {
				nl = (const char *)p + room;
				if (*nl == '\n' || *nl == '\r')
					break;
			}
			if (keep_bytes(r, k, p, room) == -1)
				return -1;
			p = (const char *)p + room;
			n -= room;
		}
		return 0;
	}
	if (k->overflow)
		return 0;
	if (k->first_line && n > 0 && (memchr(p, '\n', n) != NULL ||
	    memchr(p, '\r', n) != NULL))
		k->overflow = 1;	/* keep the line break: it ends the line */
	return keep_bytes(r, k, p, n);
}

static int
sink_put(struct scanner *r, struct sink *k, const void *p, size_t n)
{
	for (; k != NULL; k = k->tee)
		if (sink_put_one(r, k, p, n) == -1)
			return -1;
	return 0;
}

/* Nothing more is kept by these sinks: escapes need no decoding.  A
 * last-line sink that overflowed still looks for the next line break. */
static int
sink_done(const struct sink *k)
{
	for (; k != NULL; k = k->tee)
		if (k->out != NULL && (!k->overflow || k->last_line))
			return 0;
	return 1;
}

static int
sink_codepoint(struct scanner *r, struct sink *k, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp == 0)
		k->has_nul = 1;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return sink_put(r, k, u, n);
}

/* Four hex digits after \u. */
static int
hex4(struct scanner *r, uint32_t *cp)
{
	int i, c;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		c = scan_peek(r);
		if (c >= '0' && c <= '9')
			*cp = *cp << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp = *cp << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp = *cp << 4 | (uint32_t)(c - 'A' + 10);
		else if (c == -1)
			return scan_truncated(r, "inside a \\u escape");
		else
			return scan_fail(r, "invalid \\u escape in a string");
		r->pos++;
	}
	return 0;
}

/*
 * After a backslash: one escape.  A high surrogate takes the low one that
 * follows it; one that has none, and a lone low one, become U+FFFD, and
 * whatever escape followed is then read on its own (json-c does the same).
 */
static int
escape(struct scanner *r, struct sink *k)
{
	uint32_t cp, high = 0;	/* a high surrogate waiting for its pair */
	int c;

	for (;;) {
		c = scan_peek(r);
		if (c == -1)
			return scan_truncated(r, "inside an escape");
		if (c != 'u') {
			/* Fail at the byte that is wrong, not after it. */
			if (escape_char[c] == 0)
				return scan_fail(r, "invalid escape in a string");
			r->pos++;
			if (high != 0 && sink_codepoint(r, k, 0xfffd) == -1)
				return -1;
			return sink_put(r, k, &escape_char[c], 1);
		}
		r->pos++;
		if (hex4(r, &cp) == -1)
			return -1;
		if (high != 0) {
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return sink_codepoint(r, k, 0x10000 +
				    ((high - 0xd800) << 10) + (cp - 0xdc00));
			if (sink_codepoint(r, k, 0xfffd) == -1)
				return -1;
			high = 0;
		}
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (scan_peek(r) != '\\')
				return sink_codepoint(r, k, 0xfffd);
			high = cp;
			r->pos++;
			continue;
		}
		if (cp >= 0xdc00 && cp <= 0xdfff)
			cp = 0xfffd;
		return sink_codepoint(r, k, cp);
	}
}

/* At r->pos a byte >= 0x80: one UTF-8 sequence, strictly (RFC 3629). */
static int
utf8_sequence(struct scanner *r, struct sink *k)
{
	unsigned char u[4];
	int c = r->buf[r->pos], n, i;
	int lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* no overlong forms */
		if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;	/* no overlong forms */
		if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else
		return scan_fail(r, "invalid UTF-8: byte 0x%02x", c);
	u[0] = (unsigned char)c;
	r->pos++;
	for (i = 1; i < n; i++) {
		c = scan_peek(r);
		if (c == -1)
			return scan_truncated(r, "inside a UTF-8 sequence");
		if (c < lo || c > hi)
			return scan_fail(r, "invalid UTF-8: byte 0x%02x", c);
		u[i] = (unsigned char)c;
		r->pos++;
		lo = 0x80;
		hi = 0xbf;
	}
	return sink_put(r, k, u, (size_t)n);
}

/* At r->pos an opening quote: read the string, decoding into k. */
int
scan_string(struct scanner *r, struct sink *k)
{
	const unsigned char *b;
	size_t i, start, end;
	int c;

	r->pos++;
	for (;;) {
		b = r->buf;
		start = r->pos;
		end = r->end;
		i = scan_plain_run(b, start, end);
		if (i > start && sink_put(r, k, b + start, i - start) == -1)
			return -1;
		r->pos = i;
		if (i == end) {
			if (!scan_refill(r))
				return scan_truncated(r, "inside a string");
			continue;
		}
		c = b[i];
		if (c == '"') {
			r->pos++;
			return 0;
		}
		if (c == '\\') {
			/* Keeping nothing more: a simple escape needs no
			 * decoding. */
			if (sink_done(k) && i + 1 < end &&
			    escape_char[b[i + 1]] != 0) {
				r->pos = i + 2;
				continue;
			}
			r->pos++;
			if (escape(r, k) == -1)
				return -1;
		} else if (c >= 0x80) {
			if (utf8_sequence(r, k) == -1)
				return -1;
		} else if (c == 0)
			return scan_fail(r, "raw NUL byte in a string");
		else
			return scan_fail(r, "raw control character 0x%02x in a string",
			    c);
	}
}

int
scan_literal(struct scanner *r, const char *word)
{
	size_t len = strlen(word);
	const char *p;
	int c;

	/* Most literals lie whole in the buffer. */
	if (r->end - r->pos >= len &&
	    memcmp(r->buf + r->pos, word, len) == 0) {
		r->pos += len;
		return 0;
	}
	for (p = word; *p != '\0'; p++) {
		c = scan_peek(r);
		if (c != *p) {
			if (c == -1)
				return scan_truncated(r, "inside a literal");
			return scan_fail(r, "invalid literal (not %s)", word);
		}
		r->pos++;
	}
	return 0;
}

static int
digits(struct scanner *r)
{
	int c = scan_peek(r);

	if (!scan_is_digit(c))
		return c == -1 ? scan_truncated(r, "inside a number") :
		    scan_fail(r, "invalid number: a digit was expected");
	for (;;) {
		while (r->pos < r->end && scan_is_digit(r->buf[r->pos]))
			r->pos++;
		if (r->pos < r->end || !scan_refill(r))
			return 0;
	}
}

/*
 * After a number's integer part: its fraction and exponent, if any.  1
 * when it had either, 0 when neither, -1 on a fault.
 */
static int
number_tail(struct scanner *r)
{
	int c = scan_peek(r), other = 0;

	if (c == '.') {
		other = 1;
		r->pos++;
		if (digits(r) == -1)
			return -1;
		c = scan_peek(r);
	}
	if (c == 'e' || c == 'E') {
		other = 1;
		r->pos++;
		c = scan_peek(r);
		if (c == '+' || c == '-')
			r->pos++;
		if (digits(r) == -1)
			return -1;
	}
	return other;
}

/* RFC 8259 numbers, and -Infinity. */
int
scan_number(struct scanner *r)
{
	int c;

	if (scan_number_in_buffer(r))
		return 0;
	c = scan_peek(r);

	if (c == '-') {
		r->pos++;
		c = scan_peek(r);
		if (c == 'I')
			return scan_literal(r, "Infinity");
	}
	if (c == '0')
		r->pos++;
	else if (digits(r) == -1)
		return -1;
	return number_tail(r) == -1 ? -1 : 0;
}

/*
 * A key at r->pos (white space skipped), read plain when it can be (then
 * *text points into the buffer) or decoded into k->out (then *text is its
 * data, cut at k->keep).  A key holding \u0000 is refused: json-c would
 * cut such a key short.  The colon is left for scan_key_colon().
 */
int
scan_key_text(struct scanner *r, int c, struct sink *k, const char **text,
    size_t *len)
{
	/* Reset first: a key read plain must not inherit the overflow of
	 * a long key before it, which would hide a collection error tag. */
	k->overflow = k->has_nul = 0;
	if (c != '"')
		return scan_unexpected(r, c, "a key");
	if (scan_plain_string(r, text, len))
		return 0;
	if (k->out != NULL)
		strbuf_reset(k->out);
	if (scan_string(r, k) == -1)
		return -1;
	if (k->has_nul)
		return scan_fail(r, "a key holds an escaped NUL (\\u0000)");
	*text = k->out != NULL ? k->out->data : NULL;
	*len = k->out != NULL ? k->out->len : 0;
	return 0;
}

/* Is the innermost open container an object? */
static inline int
top_is_object(const struct scanner *r)
{
	return r->stack[r->depth - 1];
}

/* The long way of object_key(): an escape, UTF-8 or the buffer's end.
 * Apart, so that the common case does not set up a sink. */
static __attribute__((noinline)) int
object_key_slow(struct scanner *r, int c)
{
	struct sink none = { NULL, 0, 0, 0, 0, 0, 0, NULL };
	const char *text;
	size_t len;

	if (scan_key_text(r, c, &none, &text, &len) == -1)
		return -1;
	return scan_key_colon(r);
}

/* A key we do not read, its colon, and the white space after it. */
static inline int
object_key(struct scanner *r)
{
	const char *text;
	size_t len;
	int c = scan_skip_ws(r);

	if (c == '"' && scan_plain_string(r, &text, &len))
		return scan_key_colon(r);	/* the common case, inline */
	return object_key_slow(r, c);
}

/* A string the long way: an escape, UTF-8 or the buffer's end.  Apart,
 * so that the common case does not set up a sink. */
static __attribute__((noinline)) int
string_slow(struct scanner *r)
{
	struct sink none = { NULL, 0, 0, 0, 0, 0, 0, NULL };

	return scan_string(r, &none);
}

/* A scalar value at r->pos (white space already skipped). */
static inline int
scalar(struct scanner *r, int c)
{
	const char *text;
	size_t len;

	switch (c) {
	case '"':
		if (scan_plain_string(r, &text, &len))
			return 0;
		return string_slow(r);
	case 't':
		return scan_literal(r, "true");
	case 'f':
		return scan_literal(r, "false");
	case 'n':
		return scan_literal(r, "null");
	case 'N':
		return scan_literal(r, "NaN");
	case 'I':
		return scan_literal(r, "Infinity");
	default:
		if (c == '-' || scan_is_digit(c))
			return scan_number(r);
		return scan_unexpected(r, c, "a value");
	}
}

/*
 * Check the syntax of one value and go past it, keeping nothing.  Nesting
 * is followed with the bit stack, not with recursion.
 */
int
scan_skip_value(struct scanner *r)
{
	unsigned base = r->depth;
	int c, object;

	for (;;) {
		c = scan_skip_ws(r);
		if (c == '{' || c == '[') {
			object = c == '{';
			if (scan_push(r, object) == -1)
				return -1;
			r->pos++;
			c = scan_skip_ws(r);
			if (c != (object ? '}' : ']')) {
				if (object && object_key(r) == -1)
					return -1;
				continue;
			}
			r->pos++;
			r->depth--;
		} else if (scalar(r, c) == -1)
			return -1;

		/* A value is complete: close containers, or go on to the
		 * next member. */
		while (r->depth > base) {
			object = top_is_object(r);
			c = scan_skip_ws(r);
			if (c == ',') {
				r->pos++;
				if (object && object_key(r) == -1)
					return -1;
				break;
			}
			if (c != (object ? '}' : ']'))
				return scan_unexpected(r, c, object ?
				    "',' or '}'" : "',' or ']'");
			r->pos++;
			r->depth--;
		}
		if (r->depth == base)
			return 0;
	}
}

/* A string value into out, at most keep bytes; *overflow if longer. */
int
scan_string_value(struct scanner *r, struct strbuf *out, size_t keep,
    int first_line, int *overflow)
{
	struct sink k = { out, keep, 0, 0, first_line, 0, 0, NULL };
	const char *text;
	size_t len;

	strbuf_reset(out);
	if (scan_plain_string(r, &text, &len)) {
		*overflow = len > keep;
		if (len > keep)
			len = keep;
		if (len > 0 && strbuf_append(out, text, len) == -1) {
			r->nomem = 1;
			return scan_fail(r, "out of memory");
		}
		return 0;
	}
	if (scan_string(r, &k) == -1)
		return -1;
	*overflow = k.overflow;
	return 0;
}


void
scan_init(struct scanner *r, struct source *src)
{
	memset(r, 0, sizeof(*r));
	r->src = src;
}

int
scan_nomem(struct scanner *r)
{
	r->nomem = 1;
	return scan_fail(r, "out of memory");
}

int
scan_integer(struct scanner *r, int64_t *value)
{
	int64_t v = 0;
	int c, n = 0, negative = 0, other = 0;

	c = scan_peek(r);
	if (c == '-') {
		negative = 1;
		r->pos++;
		if (scan_peek(r) == 'I')
			return scan_literal(r, "Infinity") == -1 ? -1 : 1;
	}
	if (scan_peek(r) == '0') {
		r->pos++;
		n = 1;
	} else
		while (scan_is_digit(c = scan_peek(r))) {
			if (++n > 18)
				other = 1;
			else
				v = v * 10 + (c - '0');
			r->pos++;
		}
	if (n == 0)
		return digits(r);	/* the fault: no digit */
	switch (number_tail(r)) {
	case -1:
		return -1;
	case 1:
		return 1;
	}
	if (other)
		return 1;
	*value = negative ? -v : v;
	return 0;
}

int
scan_walk_object(struct scanner *r, struct strbuf *key,
    const char *const *names, int (*f)(void *, int, int), void *arg)
{
	struct sink k = { key, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
	const char *text;
	size_t len;
	int c, more, which, i;

	if ((more = scan_open_object(r, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (scan_key_text(r, c, &k, &text, &len) == -1)
			return -1;
		which = 0;
		for (i = 0; !k.overflow && names[i] != NULL; i++)
			if (len == strlen(names[i]) &&
			    memcmp(text, names[i], len) == 0)
				which = i + 1;
		/* Named before the colon, which may refill the buffer that
		 * a plain key points into. */
		if (scan_key_colon(r) == -1 || f(arg, which,
		    scan_peek(r)) == -1)
			return -1;
		if ((more = scan_next_member(r, &c)) != 1)
			return more;
	}
}

int
scan_walk_array(struct scanner *r, int (*f)(void *, size_t, int), void *arg)
{
	size_t index;
	int c;

	if (scan_push(r, 0) == -1)
		return -1;
	r->pos++;
	c = scan_skip_ws(r);
	for (index = 0; c != ']'; index++) {
		if (index > 0) {
			if (c != ',')
				return scan_unexpected(r, c, "',' or ']'");
			r->pos++;
			c = scan_skip_ws(r);
		}
		if (f(arg, index, c) == -1)
			return -1;
		c = scan_skip_ws(r);
	}
	r->pos++;
	r->depth--;
	return 0;
}

int
scan_string_into(struct scanner *r, struct strbuf *out, size_t keep, int *cut)
{
	struct sink k = { out, keep, 0, 0, 0, 0, 0, NULL };
	const char *text;
	size_t len;

	if (scan_plain_string(r, &text, &len)) {
		if (strbuf_append_capped(out, keep, text, len, cut) == -1)
			return scan_nomem(r);
		return 0;
	}
	if (*cut)
		k.out = NULL;
	if (scan_string(r, &k) == -1)
		return -1;
	*cut |= k.overflow;
	return 0;
}
