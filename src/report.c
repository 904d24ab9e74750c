/*
 * report.c: the fast streaming reader of the collector's report.
 *
 * Why not hand each record to json-c?  Most of a record is history,
 * failure_reason and failure_expanded, which the triage never reads;
 * building json-c objects for them costs more than everything else the
 * program does.  So this is a validating scanner: it walks each record's
 * keys, decodes only scope, name, result, tags and the first bytes of
 * failure_reason, and skips every other value while still checking its
 * syntax, so that a bad report is rejected exactly as a full parse would
 * reject it (refread.c is that full parse; the differential tests hold the
 * two together).
 *
 * The input is read in fixed chunks and never kept: memory does not grow
 * with the report, only with what the tally keeps.  Strings are skipped
 * sixteen bytes at a time.  Nesting is tracked in a fixed stack of a byte
 * per level, so a hostile depth costs nothing but the REPORT_DEPTH_MAX
 * check.
 *
 * The language accepted (and the same in refread.c): RFC 8259 JSON plus
 * the NaN, Infinity and -Infinity that Python writes; strict UTF-8 (RFC
 * 3629); no raw control byte inside a string; no key holding \u0000 (json-c
 * would cut such a key short); duplicate keys: the last one wins; a lone
 * surrogate escape decodes to U+FFFD, as json-c does.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "nodeid.h"
#include "report.h"

#define KEY_KEEP	40	/* longest key we compare, plus room */


/* Record semantics shared by both readers. */

int
report_is_error_tag(const char *key, size_t len)
{
	static const struct {
		const char *text;
		size_t len;
	} tags[] = {
		{ "test.pytest_collection_error", 28 },	/* collector >= 1.4.3 */
		{ "test.collection_error", 21 },	/* its pre-release name */
	};
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (len == tags[i].len && memcmp(key, tags[i].text, len) == 0)
			return (int)i + 1;
	return 0;
}

/* Name the key being read in err, never cutting a UTF-8 sequence. */
void
report_error_key(struct report_error *err, const char *key, size_t len)
{
	if (len >= sizeof(err->key))
		len = sizeof(err->key) - 1;
	len = utf8_whole(key, len);
	if (len > 0)		/* an empty strbuf has no data */
		memcpy(err->key, key, len);
	err->key[len] = '\0';
}

static enum report_status
bad_record(struct report_error *err, const char *key, const char *what)
{
	report_error_key(err, key, strlen(key));
	snprintf(err->what, sizeof(err->what), "%s", what);
	return REPORT_READ_BAD;
}

static enum outcome
outcome_of(const char *result, size_t len)
{
	static const struct {
		const char *text;
		size_t len;
		enum outcome outcome;
	} outcomes[] = {
		{ "passed", 6, OUTCOME_PASSED },
		{ "failed", 6, OUTCOME_FAILED },
		{ "skipped", 7, OUTCOME_SKIPPED },
	};
	size_t i;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (len == outcomes[i].len &&
		    memcmp(result, outcomes[i].text, len) == 0)
			return outcomes[i].outcome;
	return OUTCOME_UNKNOWN;
}

enum report_status
record_finish(const struct record_fields *f, struct strbuf *nodeid,
    struct tally *t, struct report_error *err)
{
	enum outcome outcome = OUTCOME_UNKNOWN;
	char what[80];

	if (f->scope == FIELD_ABSENT)
		return bad_record(err, "scope", "scope is missing");
	if (f->scope != FIELD_STRING)
		return bad_record(err, "scope", "scope is not a string");
	if (f->name == FIELD_ABSENT)
		return bad_record(err, "name", "name is missing");
	if (f->name != FIELD_STRING)
		return bad_record(err, "name", "name is not a string");
	if (f->name_len == 0)
		return bad_record(err, "name", "name is empty");
	if (f->result != FIELD_ABSENT && f->result != FIELD_STRING &&
	    f->result != FIELD_NULL)
		return bad_record(err, "result",
		    "result is neither a string nor null");
	if (f->tags == FIELD_BAD_TYPE)
		return bad_record(err, "tags", "tags is not an object");
	if (f->tags == FIELD_BAD_TAG)
		return bad_record(err, "tags", "a tag value is not a string");
	/* The joined length: "scope::name", or the name alone. */
	if (f->scope_len > NODEID_MAX || f->name_len > NODEID_MAX ||
	    (f->scope_len > 0 ? f->scope_len + 2 : 0) + f->name_len >
	    NODEID_MAX) {
		snprintf(what, sizeof(what),
		    "the node ID is longer than %zu bytes", NODEID_MAX);
		return bad_record(err, "name", what);
	}
	if (!f->hashed && nodeid_join(nodeid, f->scope_text, f->scope_len,
	    f->name_text, f->name_len) == -1)
		return REPORT_READ_NOMEM;
	if (f->result == FIELD_STRING)
		outcome = outcome_of(f->result_text, f->result_len);
	switch (tally_record_hashed(t, f->hashed ? f->hash :
	    tally_hash(t->seed, nodeid->data, nodeid->len), nodeid->data,
	    nodeid->len, outcome, f->collection_error, f->reason_text,
	    f->reason_len)) {
	case TALLY_OK:
		return REPORT_READ_OK;
	case TALLY_NOMEM:
		return REPORT_READ_NOMEM;
	case TALLY_TOO_MANY:
		return REPORT_READ_TOO_MANY;
	case TALLY_COLLISION:
		return REPORT_READ_COLLISION;
	}
	return REPORT_READ_NOMEM;
}

int
report_error_format(const struct report_error *err, struct strbuf *out)
{
	int rc;

	rc = strbuf_printf(out, "at byte %" PRIu64, err->offset);
	if (rc == 0 && err->record != REPORT_NO_RECORD) {
		rc = strbuf_printf(out, " (record %" PRIu64, err->record);
		if (rc == 0 && err->key[0] != '\0') {
			rc = strbuf_puts(out, ", key \"");
			if (rc == 0)
				rc = nodeid_escape(out, err->key,
				    strlen(err->key), sizeof(err->key));
			if (rc == 0)
				rc = strbuf_puts(out, "\"");
		}
		if (rc == 0)
			rc = strbuf_puts(out, ")");
	}
	if (rc == 0)
		rc = strbuf_printf(out, ": %s", err->what);
	return rc;
}

struct reader {
	struct source *src;
	const unsigned char *buf;	/* lent by the source */
	size_t pos, end;
	uint64_t base;		/* offset of buf[0] in the input */
	int eof, ioerr;
	struct report_error *err;
	int failed;		/* err is filled */
	int nomem;		/* memory ran out */
	const char *key_text;	/* the record key being read, for messages: */
	size_t key_len;		/* copied into err only on a fault or refill */
	unsigned depth;
	unsigned char stack[REPORT_DEPTH_MAX];	/* per level, 1: object */
	struct strbuf scope, name, result, reason, key, tagkey, tagval;
	struct strbuf nodeid;
};

/* Per byte: 1 when a string cannot simply go on past it: a control byte,
 * '"', '\\', or the start of a UTF-8 sequence. */
static const unsigned char string_stop[256] = {
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

static int
fail(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Note the first fault only: later ones follow from it. */
static int
fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = 1;
	r->err->offset = r->base + r->pos;
	if (r->key_text != NULL && r->key_text != r->err->key)
		report_error_key(r->err, r->key_text, r->key_len);
	va_start(ap, fmt);
	vsnprintf(r->err->what, sizeof(r->err->what), fmt, ap);
	va_end(ap);
	return -1;
}

static int
refill(struct reader *r)
{
	ssize_t n;

	if (r->eof || r->ioerr)
		return 0;
	/* The key named in messages may lie in the buffer about to go. */
	if (r->key_text != NULL && r->key_text != r->err->key) {
		report_error_key(r->err, r->key_text, r->key_len);
		r->key_text = r->err->key;
		r->key_len = strlen(r->err->key);
	}
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
	return 1;
}

/* The next byte, or -1 at the end of input (or on a read error). */
static inline int
peek(struct reader *r)
{
	if (r->pos < r->end)
		return r->buf[r->pos];
	if (!refill(r))
		return -1;
	return r->buf[r->pos];
}

static int
truncated(struct reader *r, const char *where)
{
	if (r->ioerr)
		return -1;
	return fail(r, "the report ends %s (truncated?)", where);
}

static int
unexpected(struct reader *r, int c, const char *expected)
{
	if (c == -1)
		return truncated(r, "early");
	if (c == 0)
		return fail(r, "raw NUL byte where %s was expected", expected);
	if (c < 0x20 || c >= 0x7f)
		return fail(r, "byte 0x%02x where %s was expected", c,
		    expected);
	return fail(r, "'%c' where %s was expected", c, expected);
}

static int
skip_ws_slow(struct reader *r)
{
	int c;

	for (;;) {
		c = peek(r);
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			return c;
		r->pos++;
	}
}

/* Skip JSON white space; the next byte, or -1.  Python's json.dump puts
 * exactly one space after ':' and ','; that case costs two tests. */
static inline int
skip_ws(struct reader *r)
{
	size_t pos = r->pos;
	int c;

	if (pos + 1 < r->end) {
		c = r->buf[pos];
		if (c > ' ')
			return c;
		if (c == ' ' && r->buf[pos + 1] > ' ') {
			r->pos = pos + 1;
			return r->buf[pos + 1];
		}
	}
	return skip_ws_slow(r);
}

static inline int
push(struct reader *r, int object)
{
	if (r->depth >= REPORT_DEPTH_MAX)
		return fail(r, "nesting deeper than %d levels",
		    REPORT_DEPTH_MAX);
	r->stack[r->depth++] = (unsigned char)object;
	return 0;
}

static inline int
top_is_object(const struct reader *r)
{
	return r->stack[r->depth - 1];
}

/* Append to a decode buffer only while it holds less than keep bytes. */
struct sink {
	struct strbuf *out;	/* NULL: validate only */
	size_t keep;
	int overflow;		/* more than keep bytes were decoded */
	int has_nul;		/* a \u0000 was decoded */
	int first_line;		/* stop keeping at a line break */
};

static int
sink_put(struct reader *r, struct sink *k, const void *p, size_t n)
{
	size_t room;

	if (k->out == NULL || k->overflow)
		return 0;
	if (k->first_line && n > 0 && (memchr(p, '\n', n) != NULL ||
	    memchr(p, '\r', n) != NULL))
		k->overflow = 1;	/* keep the line break: it ends the line */
	room = k->keep - k->out->len;
	if (n > room) {
		k->overflow = 1;
		n = room;
	}
	if (n > 0 && strbuf_append(k->out, p, n) == -1) {
		r->nomem = 1;
		return fail(r, "out of memory");
	}
	return 0;
}

static int
sink_codepoint(struct reader *r, struct sink *k, uint32_t cp)
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
hex4(struct reader *r, uint32_t *cp)
{
	int i, c;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		c = peek(r);
		if (c >= '0' && c <= '9')
			*cp = *cp << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp = *cp << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp = *cp << 4 | (uint32_t)(c - 'A' + 10);
		else if (c == -1)
			return truncated(r, "inside a \\u escape");
		else
			return fail(r, "invalid \\u escape in a string");
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
escape(struct reader *r, struct sink *k)
{
	uint32_t cp, high = 0;	/* a high surrogate waiting for its pair */
	int c;

	for (;;) {
		c = peek(r);
		if (c == -1)
			return truncated(r, "inside an escape");
		if (c != 'u') {
			/* Fail at the byte that is wrong, not after it. */
			if (escape_char[c] == 0)
				return fail(r, "invalid escape in a string");
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
			if (peek(r) != '\\')
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
utf8_sequence(struct reader *r, struct sink *k)
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
		return fail(r, "invalid UTF-8: byte 0x%02x", c);
	u[0] = (unsigned char)c;
	r->pos++;
	for (i = 1; i < n; i++) {
		c = peek(r);
		if (c == -1)
			return truncated(r, "inside a UTF-8 sequence");
		if (c < lo || c > hi)
			return fail(r, "invalid UTF-8: byte 0x%02x", c);
		u[i] = (unsigned char)c;
		r->pos++;
		lo = 0x80;
		hi = 0xbf;
	}
	return sink_put(r, k, u, (size_t)n);
}

/*
 * The index of the first byte at or after i that a string cannot simply
 * go on past ('"', '\\', a control byte, a byte >= 0x80), or end.  Most
 * of the report is strings, so this loop is most of the time: SSE2 (every
 * x86-64 has it) tests 16 bytes at once, and the portable fallback tests 8
 * with the zero-byte trick, whose lowest flagged byte is always exact.
 */
#if defined(__SSE2__)
static inline size_t
plain_run(const unsigned char *b, size_t i, size_t end)
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
	while (i < end && !string_stop[b[i]])
		i++;
	return i;
}
#else
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

static inline size_t
plain_run(const unsigned char *b, size_t i, size_t end)
{
	uint64_t w, q, k;

	while (end - i >= 8) {
		memcpy(&w, b + i, 8);
		q = w ^ (ONES * '"');
		k = w ^ (ONES * '\\');
		if ((((q - ONES) & ~q) | ((k - ONES) & ~k) |
		    ((w - ONES * 0x20) & ~w) | w) & HIGHS)
			break;
		i += 8;
	}
	while (i < end && !string_stop[b[i]])
		i++;
	return i;
}
#endif

/* At r->pos an opening quote: read the string, decoding into k. */
static int
scan_string(struct reader *r, struct sink *k)
{
	const unsigned char *b;
	size_t i, start, end;
	int c;

	r->pos++;
	for (;;) {
		b = r->buf;
		start = r->pos;
		end = r->end;
		i = plain_run(b, start, end);
		if (i > start && sink_put(r, k, b + start, i - start) == -1)
			return -1;
		r->pos = i;
		if (i == end) {
			if (!refill(r))
				return truncated(r, "inside a string");
			continue;
		}
		c = b[i];
		if (c == '"') {
			r->pos++;
			return 0;
		}
		if (c == '\\') {
			/* Skipping: a simple escape needs no decoding. */
			if ((k->out == NULL || k->overflow) && i + 1 < end &&
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
			return fail(r, "raw NUL byte in a string");
		else
			return fail(r, "raw control character 0x%02x in a string",
			    c);
	}
}

/*
 * At r->pos an opening quote.  When the whole string lies in the buffer
 * and holds only plain ASCII (no escape, no control byte, no UTF-8), point
 * *text into the buffer, go past the string and return 1.  Else return 0,
 * having consumed nothing, for scan_string() to read it the long way.  The
 * text is valid until the next refill: use it before reading on.
 */
static inline int
plain_string(struct reader *r, const char **text, size_t *len)
{
	const unsigned char *b = r->buf;
	size_t i = plain_run(b, r->pos + 1, r->end);

	if (i == r->end || b[i] != '"')
		return 0;
	*text = (const char *)b + r->pos + 1;
	*len = i - r->pos - 1;
	r->pos = i + 1;
	return 1;
}

static int
literal(struct reader *r, const char *word)
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
		c = peek(r);
		if (c != *p) {
			if (c == -1)
				return truncated(r, "inside a literal");
			return fail(r, "invalid literal (not %s)", word);
		}
		r->pos++;
	}
	return 0;
}

static inline int
is_digit(int c)
{
	return (unsigned)(c - '0') <= 9;
}

static int
digits(struct reader *r)
{
	int c = peek(r);

	if (!is_digit(c))
		return c == -1 ? truncated(r, "inside a number") :
		    fail(r, "invalid number: a digit was expected");
	for (;;) {
		while (r->pos < r->end && is_digit(r->buf[r->pos]))
			r->pos++;
		if (r->pos < r->end || !refill(r))
			return 0;
	}
}

/*
 * A number that lies whole in the buffer, by index, with no calls: most
 * do.  Returns 1 when it took one, 0 when number_slow() must (the buffer
 * ends inside it, or it is not valid: that one says what is wrong).
 */
static inline int
number_in_buffer(struct reader *r)
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
		while (i < end && is_digit(b[i]));
	else
		return 0;
	if (i < end && b[i] == '.') {
		if (++i >= end || !is_digit(b[i]))
			return 0;
		do
			i++;
		while (i < end && is_digit(b[i]));
	}
	if (i < end && (b[i] == 'e' || b[i] == 'E')) {
		if (++i < end && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= end || !is_digit(b[i]))
			return 0;
		do
			i++;
		while (i < end && is_digit(b[i]));
	}
	if (i >= end)
		return 0;	/* it may go on in the next chunk */
	r->pos = i;
	return 1;
}

/* RFC 8259 numbers, and -Infinity. */
static int
number(struct reader *r)
{
	int c;

	if (number_in_buffer(r))
		return 0;
	c = peek(r);

	if (c == '-') {
		r->pos++;
		c = peek(r);
		if (c == 'I')
			return literal(r, "Infinity");
	}
	if (c == '0')
		r->pos++;
	else if (digits(r) == -1)
		return -1;
	c = peek(r);
	if (c == '.') {
		r->pos++;
		if (digits(r) == -1)
			return -1;
		c = peek(r);
	}
	if (c == 'e' || c == 'E') {
		r->pos++;
		c = peek(r);
		if (c == '+' || c == '-')
			r->pos++;
		if (digits(r) == -1)
			return -1;
	}
	return 0;
}

/* After a key: its colon, and the white space after that. */
static inline int
key_colon(struct reader *r)
{
	int c;

	if (r->pos + 2 < r->end && r->buf[r->pos] == ':' &&
	    r->buf[r->pos + 1] == ' ' && r->buf[r->pos + 2] > ' ') {
		r->pos += 2;	/* the collector's ": " */
		return 0;
	}
	c = skip_ws(r);
	if (c != ':')
		return unexpected(r, c, "':'");
	r->pos++;
	skip_ws(r);
	return 0;
}

/*
 * A key at r->pos (white space skipped), read plain when it can be (then
 * *text points into the buffer) or decoded into k->out (then *text is its
 * data, cut at k->keep).  A key holding \u0000 is refused: json-c would
 * cut such a key short.  The colon is left for key_colon().
 */
static int
key_text(struct reader *r, int c, struct sink *k, const char **text,
    size_t *len)
{
	/* Reset first: a key read plain must not inherit the overflow of
	 * a long key before it (that hid a collection error tag once). */
	k->overflow = k->has_nul = 0;
	if (c != '"')
		return unexpected(r, c, "a key");
	if (plain_string(r, text, len))
		return 0;
	if (k->out != NULL)
		strbuf_reset(k->out);
	if (scan_string(r, k) == -1)
		return -1;
	if (k->has_nul)
		return fail(r, "a key holds an escaped NUL (\\u0000)");
	*text = k->out != NULL ? k->out->data : NULL;
	*len = k->out != NULL ? k->out->len : 0;
	return 0;
}

/* A key we do not read, its colon, and the white space after it. */
static int
object_key(struct reader *r)
{
	struct sink none = { NULL, 0, 0, 0, 0 };
	const char *text;
	size_t len;
	int c = skip_ws(r);

	if (c == '"' && plain_string(r, &text, &len))
		return key_colon(r);	/* the common case, inline */
	if (key_text(r, c, &none, &text, &len) == -1)
		return -1;
	return key_colon(r);
}

/* A scalar value at r->pos (white space already skipped). */
static int
scalar(struct reader *r, int c)
{
	struct sink none = { NULL, 0, 0, 0, 0 };
	const char *text;
	size_t len;

	switch (c) {
	case '"':
		if (plain_string(r, &text, &len))
			return 0;
		return scan_string(r, &none);
	case 't':
		return literal(r, "true");
	case 'f':
		return literal(r, "false");
	case 'n':
		return literal(r, "null");
	case 'N':
		return literal(r, "NaN");
	case 'I':
		return literal(r, "Infinity");
	default:
		if (c == '-' || is_digit(c))
			return number(r);
		return unexpected(r, c, "a value");
	}
}

/*
 * Check the syntax of one value and go past it, keeping nothing.  Nesting
 * is followed with the bit stack, not with recursion.
 */
static int
skip_value(struct reader *r)
{
	unsigned base = r->depth;
	int c, object;

	for (;;) {
		c = skip_ws(r);
		if (c == '{' || c == '[') {
			object = c == '{';
			if (push(r, object) == -1)
				return -1;
			r->pos++;
			c = skip_ws(r);
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
			c = skip_ws(r);
			if (c == ',') {
				r->pos++;
				if (object && object_key(r) == -1)
					return -1;
				break;
			}
			if (c != (object ? '}' : ']'))
				return unexpected(r, c, object ?
				    "',' or '}'" : "',' or ']'");
			r->pos++;
			r->depth--;
		}
		if (r->depth == base)
			return 0;
	}
}

/*
 * At r->pos a '{': enter it.  0 when members follow (*c is the first byte
 * of the first key), 1 when it was empty and is closed again, -1 on error.
 */
static inline int
open_object(struct reader *r, int *c)
{
	if (push(r, 1) == -1)
		return -1;
	r->pos++;
	*c = skip_ws(r);
	if (*c != '}')
		return 0;
	r->pos++;
	r->depth--;
	return 1;
}

/*
 * After a member of an object: 1 when ',' leads on to the next (*c is
 * then its first byte), 0 when '}' closed the object, -1 for anything
 * else.
 */
static inline int
next_member(struct reader *r, int *c)
{
	*c = skip_ws(r);
	if (*c == ',') {
		r->pos++;
		*c = skip_ws(r);
		return 1;
	}
	if (*c != '}')
		return unexpected(r, *c, "',' or '}'");
	r->pos++;
	r->depth--;
	return 0;
}

enum record_key {
	KEY_OTHER, KEY_SCOPE, KEY_NAME, KEY_RESULT, KEY_TAGS, KEY_REASON
};

static const struct {
	const char *text;
	size_t len;
} record_keys[] = {
	[KEY_OTHER] = { "", 0 },
	[KEY_SCOPE] = { "scope", 5 },
	[KEY_NAME] = { "name", 4 },
	[KEY_RESULT] = { "result", 6 },
	[KEY_TAGS] = { "tags", 4 },
	[KEY_REASON] = { "failure_reason", 14 },
};

static enum record_key
record_key(const char *text, size_t len)
{
	enum record_key k;

	switch (len) {		/* one comparison at most, mostly none */
	case 4:
		k = text[0] == 'n' ? KEY_NAME : KEY_TAGS;
		break;
	case 5:
		k = KEY_SCOPE;
		break;
	case 6:
		k = KEY_RESULT;
		break;
	case 14:
		k = KEY_REASON;
		break;
	default:
		return KEY_OTHER;
	}
	return memcmp(text, record_keys[k].text, len) == 0 ? k : KEY_OTHER;
}

/* A string value into out, at most keep bytes; *overflow if longer. */
static int
string_value(struct reader *r, struct strbuf *out, size_t keep,
    int first_line, int *overflow)
{
	struct sink k = { out, keep, 0, 0, first_line };
	const char *text;
	size_t len;

	strbuf_reset(out);
	if (plain_string(r, &text, &len)) {
		*overflow = len > keep;
		if (len > keep)
			len = keep;
		if (len > 0 && strbuf_append(out, text, len) == -1) {
			r->nomem = 1;
			return fail(r, "out of memory");
		}
		return 0;
	}
	if (scan_string(r, &k) == -1)
		return -1;
	*overflow = k.overflow;
	return 0;
}

/* scope or name: a string of at most NODEID_MAX bytes. */
static int
text_field(struct reader *r, int c, const char *what, struct strbuf *out)
{
	int overflow;

	if (c != '"') {
		if (c == -1)
			return truncated(r, "early");
		return fail(r, "%s is not a string", what);
	}
	if (string_value(r, out, NODEID_MAX, 0, &overflow) == -1)
		return -1;
	if (overflow)
		return fail(r, "%s is longer than %zu bytes", what, NODEID_MAX);
	return 0;
}

/* tags: an object whose values are all strings; is it a collection error? */
static int
tags_field(struct reader *r, int c, int *collection_error)
{
	struct sink key = { &r->tagkey, KEY_KEEP, 0, 0, 0 };
	int error_tag[2] = { 0, 0 };	/* per tag: the last one wins */
	int is_true, tag, overflow, more, empty;
	const char *text;
	size_t len;

	if (c != '{') {
		if (c == -1)
			return truncated(r, "early");
		return fail(r, "tags is not an object");
	}
	if ((empty = open_object(r, &c)) != 0) {
		*collection_error = 0;
		return empty == 1 ? 0 : -1;
	}
	for (;;) {
		if (key_text(r, c, &key, &text, &len) == -1)
			return -1;
		tag = key.overflow ? 0 : report_is_error_tag(text, len);
		if (key_colon(r) == -1)
			return -1;
		c = peek(r);
		if (c != '"') {
			if (c == -1)
				return truncated(r, "early");
			return fail(r, "a tag value is not a string");
		}
		if (string_value(r, &r->tagval, 8, 0, &overflow) == -1)
			return -1;
		/* Exactly the string "true". */
		is_true = !overflow && r->tagval.len == 4 &&
		    memcmp(r->tagval.data, "true", 4) == 0;
		if (tag > 0)
			error_tag[tag - 1] = is_true;
		if ((more = next_member(r, &c)) == -1)
			return -1;
		if (!more) {
			*collection_error = error_tag[0] || error_tag[1];
			return 0;
		}
	}
}

/* result: a string or null; anything else is a bad report. */
static int
result_field(struct reader *r, int c, struct record_fields *f)
{
	int overflow;

	if (c == 'n') {
		f->result = FIELD_NULL;
		return literal(r, "null");
	}
	if (c != '"') {
		if (c == -1)
			return truncated(r, "early");
		return fail(r, "result is neither a string nor null");
	}
	if (string_value(r, &r->result, 16, 0, &overflow) == -1)
		return -1;
	f->result = FIELD_STRING;
	if (overflow)		/* longer than any outcome: unknown */
		strbuf_reset(&r->result);
	return 0;
}

/* failure_reason: keep its first bytes, for collection error messages. */
static int
reason_field(struct reader *r, int c)
{
	int overflow;

	strbuf_reset(&r->reason);
	if (c != '"')
		return skip_value(r);
	/* Only the first line is ever shown. */
	return string_value(r, &r->reason, REPORT_REASON_KEEP, 1, &overflow);
}

static int
read_record(struct reader *r, struct tally *t, enum report_status *status)
{
	struct sink key = { &r->key, KEY_KEEP, 0, 0, 0 };
	struct record_fields f;
	enum record_key which;
	const char *text;
	size_t len;
	unsigned seen = 0;
	int c, rc, more, empty;

	memset(&f, 0, sizeof(f));
	strbuf_reset(&r->reason);
	if ((empty = open_object(r, &c)) == -1)
		return -1;
	if (empty)
		goto done;
	for (;;) {
		if (key_text(r, c, &key, &text, &len) == -1)
			return -1;
		which = key.overflow ? KEY_OTHER : record_key(text, len);
		r->key_text = text;
		r->key_len = len;
		if (which != KEY_OTHER && which != KEY_REASON) {
			if (seen & (1u << which))
				return fail(r, "the key \"%s\" appears twice",
				    record_keys[which].text);
			seen |= 1u << which;
		}
		if (key_colon(r) == -1)
			return -1;
		c = peek(r);
		switch (which) {
		case KEY_SCOPE:
			rc = text_field(r, c, "scope", &r->scope);
			f.scope = FIELD_STRING;
			break;
		case KEY_NAME:
			rc = text_field(r, c, "name", &r->name);
			f.name = FIELD_STRING;
			break;
		case KEY_RESULT:
			rc = result_field(r, c, &f);
			break;
		case KEY_TAGS:
			rc = tags_field(r, c, &f.collection_error);
			f.tags = FIELD_STRING;
			break;
		case KEY_REASON:
			rc = reason_field(r, c);
			break;
		default:
			/* id, location, file_name: mostly plain strings. */
			if (c == '"' && plain_string(r, &text, &len))
				rc = 0;
			else
				rc = skip_value(r);
			break;
		}
		if (rc == -1)
			return -1;
		r->key_text = NULL;
		r->err->key[0] = '\0';
		/* Scope and name known: the slot of the node ID can be on its
		 * way into cache while the rest of the record is read. */
		if (!f.hashed && f.scope == FIELD_STRING &&
		    f.name == FIELD_STRING &&
		    (which == KEY_SCOPE || which == KEY_NAME) &&
		    r->scope.len + 2 + r->name.len <= NODEID_MAX) {
			if (nodeid_join(&r->nodeid, r->scope.data, r->scope.len,
			    r->name.data, r->name.len) == -1) {
				r->nomem = 1;
				return fail(r, "out of memory");
			}
			f.hash = tally_hash(t->seed, r->nodeid.data,
			    r->nodeid.len);
			f.hashed = 1;
			tally_prefetch(t, f.hash);
		}
		if ((more = next_member(r, &c)) == -1)
			return -1;
		if (!more)
			break;
	}
done:
	f.scope_text = r->scope.data;
	f.scope_len = f.scope == FIELD_STRING ? r->scope.len : 0;
	f.name_text = r->name.data;
	f.name_len = f.name == FIELD_STRING ? r->name.len : 0;
	f.result_text = r->result.data;
	f.result_len = f.result == FIELD_STRING ? r->result.len : 0;
	f.reason_text = r->reason.data;
	f.reason_len = r->reason.len;
	r->err->offset = r->base + r->pos;
	*status = record_finish(&f, &r->nodeid, t, r->err);
	if (*status != REPORT_READ_OK) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* The array of records, from the first byte to the end of input. */
static enum report_status
read_document(struct reader *r, struct tally *t)
{
	enum report_status status = REPORT_READ_BAD;
	uint64_t index = 0;
	int c;

	r->err->record = REPORT_NO_RECORD;
	c = peek(r);
	if (c == 0xef) {	/* a UTF-8 byte order mark */
		r->pos++;
		if (peek(r) != 0xbb)
			goto bad_bom;
		r->pos++;
		if (peek(r) != 0xbf)
			goto bad_bom;
		r->pos++;
	}
	c = skip_ws(r);
	if (c == -1)
		return r->ioerr ? REPORT_READ_IOERR : REPORT_READ_EMPTY;
	if (c != '[') {
		fail(r, "the top level is not an array");
		goto out;
	}
	if (push(r, 0) == -1)
		goto out;
	r->pos++;
	c = skip_ws(r);
	if (c == ']')
		r->pos++;
	else {
		for (;;) {
			r->err->record = index;
			if (c != '{') {
				if (c == -1)
					truncated(r, "early");
				else if (c == ']' && index > 0)
					fail(r, "a ',' before ']'");
				else
					fail(r, "the element is not an object");
				goto out;
			}
			if (read_record(r, t, &status) == -1)
				goto out;
			index++;
			c = skip_ws(r);
			if (c == ',') {
				r->pos++;
				c = skip_ws(r);
				continue;
			}
			if (c == ']') {
				r->pos++;
				break;
			}
			unexpected(r, c, "',' or ']'");
			goto out;
		}
	}
	r->err->record = REPORT_NO_RECORD;
	c = skip_ws(r);
	if (c != -1) {
		unexpected(r, c, "the end of the report");
		goto out;
	}
	if (r->ioerr)
		return REPORT_READ_IOERR;
	return REPORT_READ_OK;
bad_bom:
	fail(r, "invalid UTF-8 at the start of the report");
out:
	if (r->ioerr)
		return REPORT_READ_IOERR;
	if (status != REPORT_READ_OK && status != REPORT_READ_BAD)
		return status;
	return REPORT_READ_BAD;
}

enum report_status
report_read(struct source *src, struct tally *t, struct report_error *err)
{
	struct reader r;
	enum report_status status;

	memset(&r, 0, sizeof(r));
	memset(err, 0, sizeof(*err));
	r.src = src;
	r.err = err;
	strbuf_init(&r.scope);
	strbuf_init(&r.name);
	strbuf_init(&r.result);
	strbuf_init(&r.reason);
	strbuf_init(&r.key);
	strbuf_init(&r.tagkey);
	strbuf_init(&r.tagval);
	strbuf_init(&r.nodeid);
	status = read_document(&r, t);
	if (r.nomem)
		status = REPORT_READ_NOMEM;
	source_end(src);
	strbuf_free(&r.scope);
	strbuf_free(&r.name);
	strbuf_free(&r.result);
	strbuf_free(&r.reason);
	strbuf_free(&r.key);
	strbuf_free(&r.tagkey);
	strbuf_free(&r.tagval);
	strbuf_free(&r.nodeid);
	return status;
}
