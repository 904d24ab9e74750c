/*
 * scan.h: a validating, streaming JSON scanner for the fast readers.
 *
 * The readers of the collector's report and of pytest-reportlog's log walk
 * their input with it: they decode the few values the triage reads and
 * skip every other value while still checking its syntax, so that bad
 * input is rejected exactly as a full parse would reject it.
 *
 * The language accepted: RFC 8259 JSON plus the NaN, Infinity and
 * -Infinity that Python writes; strict UTF-8 (RFC 3629); no raw control
 * byte inside a string; a lone surrogate escape decodes to U+FFFD, as
 * json-c does.  Nesting is tracked in a fixed stack of a byte per level.
 * The first fault is noted in the scanner, with the key being read, for
 * the reader to report.
 *
 * The input is lent chunk by chunk by a source and never kept.  The few
 * functions that run for every key and value are inline here; the rest
 * are in scan.c.
 */
#ifndef PYTRIAGE_SCAN_H
#define PYTRIAGE_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "source.h"
#include "strbuf.h"

/* Deepest nesting followed, the top array (or a log's line) counting as
 * 1: the readers' limit. */
#define SCAN_DEPTH_MAX	1000

/* Bytes of the key being read kept for a fault: at least what a
 * reader's fault shows. */
#define SCAN_KEY_NAME	48

/* The first fault: where, in which key, and what is wrong. */
struct scan_fault {
	uint64_t offset;	/* byte offset of the fault */
	char key[SCAN_KEY_NAME];	/* the key's first key_len bytes, */
	size_t key_len;		/* not NUL-terminated; 0: none */
	char what[200];		/* "" until a fault is noted */
};

struct scanner {
	struct source *src;
	const unsigned char *buf;	/* lent by the source */
	size_t pos, end;
	uint64_t base;		/* offset of buf[0] in the input */
	int eof, ioerr;
	int lines;		/* a line feed is no white space (a log) */
	uint64_t newlines;	/* line feeds before the first value */
	struct scan_fault fault;
	int failed;		/* a fault is noted, here or by the reader */
	int nomem;		/* memory ran out */
	const char *key_text;	/* the key being read, for a fault: */
	size_t key_len;		/* moved into key_kept by a refill */
	char key_kept[SCAN_KEY_NAME];
	unsigned depth;
	unsigned char stack[SCAN_DEPTH_MAX];	/* per level, 1: object */
	/* The bytes read since scan_capture_start(), kept across refills. */
	struct strbuf *capture;	/* NULL: none */
	size_t capture_from, capture_keep;
	int capture_overflow;
};

/* Room for the longest key a reader compares, and more. */
#define SCAN_KEY_KEEP	40

/* Decode into out while it holds less than keep bytes. */
struct sink {
	struct strbuf *out;	/* NULL: validate only */
	size_t keep;
	int overflow;		/* more than keep bytes were decoded */
	int has_nul;		/* a \u0000 was decoded */
	int first_line;		/* stop keeping at a line break */
	int last_line;		/* keep the last line that is not empty */
	int line_ended;		/* last_line: a line break was seen */
	struct sink *tee;	/* another sink fed the same text, or NULL */
};

/* Per byte: 1 when a string cannot simply go on past it: a control byte,
 * '"', '\\', or the start of a UTF-8 sequence. */
extern const unsigned char scan_string_stop[256];

void	scan_init(struct scanner *, struct source *);

/* Note the first fault (later ones follow from it); -1. */
int	scan_fail(struct scanner *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	scan_truncated(struct scanner *, const char *where);
int	scan_unexpected(struct scanner *, int c, const char *expected);
int	scan_nomem(struct scanner *);

/* The next chunk; 0 at the end of input or on a read error. */
int	scan_refill(struct scanner *);
int	scan_skip_ws_slow(struct scanner *);

/* At an opening quote: the string, decoded into k. */
int	scan_string(struct scanner *, struct sink *);
/* A string value into out, at most keep bytes; *overflow if longer. */
int	scan_string_value(struct scanner *, struct strbuf *out, size_t keep,
	    int first_line, int *overflow);
int	scan_literal(struct scanner *, const char *word);
int	scan_number(struct scanner *);
/* A JSON number: 0 and its value when it is an integer of at most 18
 * digits, 1 when it is another number (read past, as json-c would read a
 * double), -1 on a fault. */
int	scan_integer(struct scanner *, int64_t *);
/* A key (not \u0000-holding), read plain or decoded into k->out. */
int	scan_key_text(struct scanner *, int c, struct sink *,
	    const char **text, size_t *len);
/* Check one value's syntax and go past it. */
int	scan_skip_value(struct scanner *);

/*
 * At a '{': each member's name as its index in names + 1 (0: none of
 * them) and its value's first byte to f, which reads or skips the value.
 * key holds a key that cannot be read plain.  At a '[': each element's
 * index and first byte to f.  0, or -1 on a fault (f's too).
 */
int	scan_walk_object(struct scanner *, struct strbuf *key,
	    const char *const *names, int (*f)(void *, int which, int c),
	    void *arg);
int	scan_walk_array(struct scanner *, int (*f)(void *, size_t index,
	    int c), void *arg);

/* A string value appended to out, which keeps at most keep bytes; *cut
 * when it held more.  Once cut, out takes nothing more. */
int	scan_string_into(struct scanner *, struct strbuf *out, size_t keep,
	    int *cut);

/* Keep the input's bytes from here (at most keep of them) until
 * scan_capture_end(): a number's text as it stands.  *overflow when it
 * held more.  -1 when out of memory. */
void	scan_capture_start(struct scanner *, struct strbuf *out, size_t keep);
int	scan_capture_end(struct scanner *, int *overflow);
/* At a value that may be a number (c its first byte): its text as it
 * stands into out, at most keep bytes, *overflow when it held more, and
 * 1; any other value skipped, and 0.  -1 on a fault. */
int	scan_number_text(struct scanner *, int c, struct strbuf *out,
	    size_t keep, int *overflow);

/* The next byte, or -1 at the end of input (or on a read error). */
static inline int
scan_peek(struct scanner *s)
{
	if (s->pos < s->end)
		return s->buf[s->pos];
	if (!scan_refill(s))
		return -1;
	return s->buf[s->pos];
}

/* Skip white space; the next byte, or -1.  Python's json puts exactly
 * one space after ':' and ','; that case costs two tests. */
static inline int
scan_skip_ws(struct scanner *s)
{
	size_t pos = s->pos;
	int c;

	if (pos + 1 < s->end) {
		c = s->buf[pos];
		if (c > ' ')
			return c;
		if (c == ' ' && s->buf[pos + 1] > ' ') {
			s->pos = pos + 1;
			return s->buf[pos + 1];
		}
	}
	return scan_skip_ws_slow(s);
}

static inline int
scan_is_digit(int c)
{
	return (unsigned)(c - '0') <= 9;
}

/*
 * A number that lies whole in the buffer, by index, with no calls: most
 * do.  Returns 1 when it took one, 0 when scan_number() must take the
 * long way (the buffer ends inside it, or it is not valid: the long way
 * says what is wrong).
 */
static inline int
scan_number_in_buffer(struct scanner *r)
{
	const unsigned char *b = r->buf;
	size_t i = r->pos, end = r->end;

	if (i < end && b[i] == '-')
		i++;
	if (i < end && b[i] == '0')
		i++;
	else if (i < end && b[i] >= '1' && b[i] <= '9')
		do
			i++;
		while (i < end && scan_is_digit(b[i]));
	else
		return 0;
	if (i < end && b[i] == '.') {
		if (++i >= end || !scan_is_digit(b[i]))
			return 0;
		do
			i++;
		while (i < end && scan_is_digit(b[i]));
	}
	if (i < end && (b[i] == 'e' || b[i] == 'E')) {
		if (++i < end && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= end || !scan_is_digit(b[i]))
			return 0;
		do
			i++;
		while (i < end && scan_is_digit(b[i]));
	}
	if (i >= end)
		return 0;	/* it may go on in the next chunk */
	r->pos = i;
	return 1;
}

/*
 * When the buffer holds these bytes next, go past them and return 1; else
 * 0, having consumed nothing.  For a writer's fixed bytes: with len a
 * constant, the comparison is inline.
 */
static inline int
scan_expect(struct scanner *s, const char *bytes, size_t len)
{
	const unsigned char *b;
	uint64_t have, want;
	size_t i;

	if (s->end - s->pos < len)
		return 0;
	b = s->buf + s->pos;
	if (len < 8) {
		if (memcmp(b, bytes, len) != 0)
			return 0;
	} else {
		/* By words, which a constant len unrolls (memcmp would be
		 * a call); the last may overlap the one before it. */
		for (i = 0; i < len; i += 8) {
			if (i + 8 > len)
				i = len - 8;
			memcpy(&have, b + i, 8);
			memcpy(&want, bytes + i, 8);
			if (have != want)
				return 0;
		}
	}
	s->pos += len;
	return 1;
}

/* Name the key whose value is read next, for a fault (NULL: none).  Its
 * text may lie in the buffer: a refill keeps what a fault shows of it. */
static inline void
scan_key(struct scanner *s, const char *text, size_t len)
{
	s->key_text = text;
	s->key_len = len;
}

static inline int
scan_push(struct scanner *s, int object)
{
	if (s->depth >= SCAN_DEPTH_MAX)
		return scan_fail(s, "nesting deeper than %d levels",
		    SCAN_DEPTH_MAX);
	s->stack[s->depth++] = (unsigned char)object;
	return 0;
}

/*
 * The index of the first byte at or after i that a string cannot simply
 * go on past, or end.  Most input is strings, so this loop is much of the
 * time.  Two ways, giving the same answer (test_scan holds them to the
 * byte table): SSE2, which every x86-64 has, tests 16 bytes at once; the
 * portable way tests 8 with the zero-byte trick, whose lowest flagged
 * byte is always exact.  PYTRIAGE_PORTABLE_SCAN forces the portable way,
 * so that make check runs the end-to-end tests on it too.
 */
static inline size_t
scan_plain_run_portable(const unsigned char *b, size_t i, size_t end)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t w, q, k;

	while (end - i >= 8) {
		memcpy(&w, b + i, 8);
		q = w ^ (ones * '"');
		k = w ^ (ones * '\\');
		if ((((q - ones) & ~q) | ((k - ones) & ~k) |
		    ((w - ones * 0x20) & ~w) | w) & highs)
			break;
		i += 8;
	}
	while (i < end && !scan_string_stop[b[i]])
		i++;
	return i;
}

#if defined(__SSE2__)
static inline size_t
scan_plain_run_sse2(const unsigned char *b, size_t i, size_t end)
{
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i backslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	__m128i v, stop;
	int mask;

	while (end - i >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
		/* Signed: bytes >= 0x80 are negative, so below 0x20 too. */
		stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		    _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
		if ((mask = _mm_movemask_epi8(stop)) != 0)
			return i + (size_t)__builtin_ctz((unsigned)mask);
		i += 16;
	}
	while (i < end && !scan_string_stop[b[i]])
		i++;
	return i;
}
#endif

static inline size_t
scan_plain_run(const unsigned char *b, size_t i, size_t end)
{
#if defined(__SSE2__) && !defined(PYTRIAGE_PORTABLE_SCAN)
	return scan_plain_run_sse2(b, i, end);
#else
	return scan_plain_run_portable(b, i, end);
#endif
}

/*
 * At an opening quote.  When the whole string lies in the buffer and holds
 * only plain ASCII (no escape, no control byte, no UTF-8), point *text
 * into the buffer, go past the string and return 1.  Else return 0,
 * having consumed nothing, for scan_string() to read it the long way.  The
 * text is valid until the next refill: use it before reading on.
 */
static inline int
scan_plain_string(struct scanner *s, const char **text, size_t *len)
{
	const unsigned char *b = s->buf;
	size_t i = scan_plain_run(b, s->pos + 1, s->end);

	if (i == s->end || b[i] != '"')
		return 0;
	*text = (const char *)b + s->pos + 1;
	*len = i - s->pos - 1;
	s->pos = i + 1;
	return 1;
}

/* After a key: its colon, and the white space after that. */
static inline int
scan_key_colon(struct scanner *s)
{
	int c;

	if (s->pos + 2 < s->end && s->buf[s->pos] == ':' &&
	    s->buf[s->pos + 1] == ' ' && s->buf[s->pos + 2] > ' ') {
		s->pos += 2;	/* Python's ": " */
		return 0;
	}
	c = scan_skip_ws(s);
	if (c != ':')
		return scan_unexpected(s, c, "':'");
	s->pos++;
	scan_skip_ws(s);
	return 0;
}

/*
 * At a '{': enter it.  0 when members follow (*c is the first byte of the
 * first key), 1 when it was empty and is closed again, -1 on error.
 */
static inline int
scan_open_object(struct scanner *s, int *c)
{
	if (scan_push(s, 1) == -1)
		return -1;
	s->pos++;
	*c = scan_skip_ws(s);
	if (*c != '}')
		return 0;
	s->pos++;
	s->depth--;
	return 1;
}

/*
 * After a member of an object: 1 when ',' leads on to the next (*c is
 * then its first byte), 0 when '}' closed the object, -1 for anything
 * else.
 */
static inline int
scan_next_member(struct scanner *s, int *c)
{
	*c = scan_skip_ws(s);
	if (*c == ',') {
		s->pos++;
		*c = scan_skip_ws(s);
		return 1;
	}
	if (*c != '}')
		return scan_unexpected(s, *c, "',' or '}'");
	s->pos++;
	s->depth--;
	return 0;
}

/*
 * At a '[': enter it.  0 when elements follow (*c is the first byte of
 * the first), 1 when it was empty and is closed again, -1 on error.
 */
static inline int
scan_open_array(struct scanner *s, int *c)
{
	if (scan_push(s, 0) == -1)
		return -1;
	s->pos++;
	*c = scan_skip_ws(s);
	if (*c != ']')
		return 0;
	s->pos++;
	s->depth--;
	return 1;
}

/*
 * After an element of an array: 1 when ',' leads on to the next (*c is
 * then its first byte), 0 when ']' closed the array, -1 for anything
 * else.
 */
static inline int
scan_next_element(struct scanner *s, int *c)
{
	*c = scan_skip_ws(s);
	if (*c == ',') {
		s->pos++;
		*c = scan_skip_ws(s);
		return 1;
	}
	if (*c != ']')
		return scan_unexpected(s, *c, "',' or ']'");
	s->pos++;
	s->depth--;
	return 0;
}

#endif
