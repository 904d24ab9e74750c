/*
 * refread.c: the reference reader: every record, or every line of a log,
 * parsed fully by json-c.
 *
 * It exists to be held against the fast readers (collector.c,
 * reportlog.c): the differential tests and the fuzzers run both over the
 * same bytes and demand the same records, the same verdict and the same
 * rejections.  It also backs --reference, for a user who wants a second
 * opinion.
 *
 * The collector's array is framed here; each element goes to
 * json_tokener_parse_ex, fed chunk by chunk as the input arrives, so
 * memory holds one record at a time.  A log is split at its line feeds
 * and each line parsed whole.  json-c 0.16 in strict mode still accepts
 * more than Python writes: raw control bytes in strings, overlong and
 * surrogate UTF-8, leading zeros inside arrays ([00]), "1.", and it cuts a
 * key at an escaped NUL.  A separate byte-level check, the lexcheck below,
 * rejects exactly those, and what the triage adds to JSON: a key that
 * decides appearing twice in a record or line, and a tag value that is
 * not a string (json-c keeps only the last of duplicate keys, so it
 * cannot see them).  It is written apart from the fast readers on
 * purpose.
 */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logstate.h"
#include "nodeid.h"
#include "reader.h"
#include "record.h"

#define REF_CHUNK	(64 * 1024)

enum lex_state { LEX_OUT, LEX_STRING, LEX_ESCAPE, LEX_HEX };

enum num_state {
	NUM_NONE, NUM_MINUS, NUM_ZERO, NUM_INT, NUM_DOT, NUM_FRAC, NUM_E,
	NUM_ESIGN, NUM_EXP
};

struct lexcheck {
	uint64_t offset;	/* of the byte being checked */
	enum lex_state state;
	enum num_state num;
	int hex_left;
	uint32_t hex;
	int utf8_left, utf8_lo, utf8_hi;
	int want_key;		/* the next string is a key */
	int after_colon;	/* the next byte starts a member's value */
	int is_key;		/* the string being read is a key */
	unsigned depth;
	unsigned char object[REPORT_DEPTH_MAX + 1];
	/* The keys of the record being read: at depth 2 in the collector's
	 * array, at depth 1 in a log's line. */
	unsigned record_depth;	/* 0 until the first byte says */
	const char *const *read_keys;
	unsigned nread_keys;
	int record_key;		/* the string is a record key */
	char key[16];		/* longer than any read key */
	size_t key_len;
	int key_other;		/* it cannot be one of the read keys */
	unsigned seen;		/* read keys seen in this record */
	int last_key_tags;	/* the last record key was "tags" */
	unsigned tags_depth;	/* depth inside the tags object, else 0 */
	const char *fault;
};

static int
lex_fault(struct lexcheck *l, const char *what)
{
	l->fault = what;
	return -1;
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static void
key_byte(struct lexcheck *l, int c)
{
	if (!l->record_key)
		return;
	if (c >= 0x80 || l->key_len + 1 >= sizeof(l->key))
		l->key_other = 1;
	else
		l->key[l->key_len++] = (char)c;
}

/* The keys that decide, which may appear once each in a record or line;
 * "tags" is the collector's fourth. */
static const char *const collector_keys[] = {
	"scope", "name", "result", "tags"
};
static const char *const log_keys[] = {
	"$report_type", "nodeid", "when", "outcome", "exitstatus"
};

/* A record key is complete: the read keys may appear once each. */
static int
key_end(struct lexcheck *l)
{
	unsigned i;

	l->last_key_tags = 0;
	if (l->key_other)
		return 0;
	l->key[l->key_len] = '\0';
	for (i = 0; i < l->nread_keys; i++) {
		if (strcmp(l->key, l->read_keys[i]) != 0)
			continue;
		if (l->seen & (1u << i))
			return lex_fault(l, "a read key appears twice");
		l->seen |= 1u << i;
		l->last_key_tags = l->read_keys == collector_keys && i == 3;
	}
	return 0;
}

/* RFC 8259 number syntax, one byte at a time.  1: taken, 0: not a number
 * byte (the number ended there), -1: invalid. */
static int
number_step(struct lexcheck *l, int c)
{
	int digit = c >= '0' && c <= '9';

	switch (l->num) {
	case NUM_MINUS:
		if (c == 'I') {		/* -Infinity: json-c reads the rest */
			l->num = NUM_NONE;
			return 1;
		}
		if (!digit)
			return -1;
		l->num = c == '0' ? NUM_ZERO : NUM_INT;
		return 1;
	case NUM_ZERO:
		if (digit)
			return -1;	/* a leading zero */
		/* FALLTHROUGH */
	case NUM_INT:
		if (digit)
			return 1;
		if (c == '.') {
			l->num = NUM_DOT;
			return 1;
		}
		/* FALLTHROUGH */
	case NUM_FRAC:
		if (digit)
			return 1;
		if (c == 'e' || c == 'E') {
			l->num = NUM_E;
			return 1;
		}
		return 0;
	case NUM_DOT:
		if (!digit)
			return -1;
		l->num = NUM_FRAC;
		return 1;
	case NUM_E:
		if (c == '+' || c == '-') {
			l->num = NUM_ESIGN;
			return 1;
		}
		/* FALLTHROUGH */
	case NUM_ESIGN:
		if (!digit)
			return -1;
		l->num = NUM_EXP;
		return 1;
	case NUM_EXP:
		return digit ? 1 : 0;
	case NUM_NONE:
		break;
	}
	return 0;
}

static int
lex_string_byte(struct lexcheck *l, int c)
{
	if (l->utf8_left > 0) {
		if (c < l->utf8_lo || c > l->utf8_hi)
			return lex_fault(l, "invalid UTF-8");
		l->utf8_left--;
		l->utf8_lo = 0x80;
		l->utf8_hi = 0xbf;
		key_byte(l, c);
		return 0;
	}
	if (c == '"') {
		l->state = LEX_OUT;
		return l->record_key ? key_end(l) : 0;
	}
	if (c == '\\') {
		l->state = LEX_ESCAPE;
		return 0;
	}
	if (c < 0x20)
		return lex_fault(l, "a raw control character in a string");
	if (c >= 0x80) {
		l->utf8_lo = 0x80;
		l->utf8_hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			l->utf8_left = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			l->utf8_left = 2;
			if (c == 0xe0)
				l->utf8_lo = 0xa0;
			else if (c == 0xed)
				l->utf8_hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			l->utf8_left = 3;
			if (c == 0xf0)
				l->utf8_lo = 0x90;
			else if (c == 0xf4)
				l->utf8_hi = 0x8f;
		} else
			return lex_fault(l, "invalid UTF-8");
	}
	key_byte(l, c);
	return 0;
}

static int
lex_escape_byte(struct lexcheck *l, int c)
{
	static const char in[] = "\"\\/bfnrt", out[] = "\"\\/\b\f\n\r\t";
	const char *p;

	if (l->state == LEX_ESCAPE) {
		if (c == 'u') {
			l->state = LEX_HEX;
			l->hex_left = 4;
			l->hex = 0;
			return 0;
		}
		if (c == 0 || (p = strchr(in, c)) == NULL)
			return lex_fault(l, "an invalid escape");
		key_byte(l, out[p - in]);
		l->state = LEX_STRING;
		return 0;
	}
	if (!is_hex(c))
		return lex_fault(l, "an invalid \\u escape");
	l->hex = l->hex << 4 | (uint32_t)(c <= '9' ? c - '0' :
	    (c | 0x20) - 'a' + 10);
	if (--l->hex_left > 0)
		return 0;
	l->state = LEX_STRING;
	if (l->is_key && l->hex == 0)
		return lex_fault(l, "a key holds an escaped NUL");
	if (l->hex < 0x80)
		key_byte(l, (int)l->hex);
	else if (l->record_key)
		l->key_other = 1;
	return 0;
}

static int
lex_push(struct lexcheck *l, int object)
{
	if (l->depth >= REPORT_DEPTH_MAX)
		return lex_fault(l, "nesting too deep");
	l->object[++l->depth] = (unsigned char)object;
	if (object && l->depth == l->record_depth)
		l->seen = 0;	/* a new record */
	return 0;
}

static int
lex_out_byte(struct lexcheck *l, int c)
{
	int taken;

	if (l->num != NUM_NONE) {
		if ((taken = number_step(l, c)) == -1)
			return lex_fault(l, "an invalid number");
		if (taken)
			return 0;
		l->num = NUM_NONE;
		/* Only these may follow a number.  json-c, resuming a number
		 * in the next chunk, took "1" "-2" for one number once. */
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
		    c != ',' && c != ']' && c != '}')
			return lex_fault(l, "an invalid number");
	}
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return 0;
	if (c < 0x20 || c >= 0x80)
		return lex_fault(l, "a byte that JSON does not allow here");
	if (l->record_depth == 0) {	/* the first byte: which input */
		l->record_depth = c == '{' ? 1 : 2;
		l->read_keys = c == '{' ? log_keys : collector_keys;
		l->nread_keys = c == '{' ? 5 : 4;
	}
	if (l->after_colon) {
		l->after_colon = 0;
		if (l->tags_depth != 0 && l->depth == l->tags_depth &&
		    c != '"')
			return lex_fault(l, "a tag value is not a string");
		if (c == '{' && l->depth == l->record_depth &&
		    l->last_key_tags)
			l->tags_depth = 3;
	}
	switch (c) {
	case '"':
		l->state = LEX_STRING;
		l->is_key = l->want_key;
		l->record_key = l->is_key && l->depth == l->record_depth;
		l->key_len = 0;
		l->key_other = 0;
		l->want_key = 0;
		return 0;
	case '{':
	case '[':
		l->want_key = c == '{';
		return lex_push(l, c == '{');
	case '}':
	case ']':
		if (l->depth == l->tags_depth)
			l->tags_depth = 0;
		if (l->depth > 0)
			l->depth--;
		l->want_key = 0;
		return 0;
	case ',':
		l->want_key = l->depth > 0 && l->object[l->depth];
		return 0;
	case ':':
		l->after_colon = 1;
		return 0;
	case '-':
		l->num = NUM_MINUS;
		return 0;
	default:
		if (c >= '0' && c <= '9')
			l->num = c == '0' ? NUM_ZERO : NUM_INT;
		l->want_key = 0;
		return 0;
	}
}

/* Check one chunk; -1 with l->fault and l->offset at the first fault. */
static int
lex_check(struct lexcheck *l, const unsigned char *p, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++, l->offset++) {
		if (p[i] == 0)
			return lex_fault(l, "a raw NUL byte");
		switch (l->state) {
		case LEX_OUT:
			rc = lex_out_byte(l, p[i]);
			break;
		case LEX_STRING:
			rc = lex_string_byte(l, p[i]);
			break;
		default:
			rc = lex_escape_byte(l, p[i]);
			break;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* scope or name: absent, a string (text and length), or of a bad type. */
static enum field_state
string_field(struct json_object *o, const char *key, const char **text,
    size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return FIELD_ABSENT;
	if (!json_object_is_type(v, json_type_string))
		return FIELD_BAD_TYPE;
	*text = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return FIELD_PRESENT;
}

/* The fields of one record as json-c parsed them. */
static void
fields_of(struct json_object *o, struct record_fields *f)
{
	struct json_object *v;
	const char *text;
	size_t len;

	memset(f, 0, sizeof(*f));
	f->scope = string_field(o, "scope", &f->scope_text, &f->scope_len);
	f->name = string_field(o, "name", &f->name_text, &f->name_len);
	if (json_object_object_get_ex(o, "result", &v)) {
		if (v == NULL)
			f->result = FIELD_NULL;
		else if (json_object_is_type(v, json_type_string)) {
			f->result = FIELD_PRESENT;
			f->result_text = json_object_get_string(v);
			f->result_len = (size_t)json_object_get_string_len(v);
		} else
			f->result = FIELD_BAD_TYPE;
	}
	if (json_object_object_get_ex(o, "tags", &v)) {
		if (!json_object_is_type(v, json_type_object))
			f->tags = FIELD_BAD_TYPE;
		else {
			f->tags = FIELD_PRESENT;
			json_object_object_foreach(v, key, tag) {
				if (!json_object_is_type(tag, json_type_string)) {
					f->tags = FIELD_BAD_TAG;
					continue;
				}
				text = json_object_get_string(tag);
				len = (size_t)json_object_get_string_len(tag);
				if (report_is_error_tag(key, strlen(key)) &&
				    len == 4 && memcmp(text, "true", 4) == 0)
					f->collection_error = 1;
			}
		}
	}
	if (json_object_object_get_ex(o, "failure_reason", &v) &&
	    json_object_is_type(v, json_type_string)) {
		f->reason_text = json_object_get_string(v);
		f->reason_len = (size_t)json_object_get_string_len(v);
	}
	/* A longer location is none, as in the fast reader. */
	if (json_object_object_get_ex(o, "location", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    (len = (size_t)json_object_get_string_len(v)) <=
	    TALLY_PATH_KEEP) {
		f->location_text = json_object_get_string(v);
		f->location_len = len;
	}
}

/* A key of a log line that decides: absent, a string, null, or not. */
static enum field_state
word_of(struct json_object *o, const char *key, const char **text,
    size_t *len)
{
	struct json_object *v;

	*text = "";
	*len = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return FIELD_ABSENT;
	if (v == NULL)
		return FIELD_NULL;
	if (!json_object_is_type(v, json_type_string))
		return FIELD_BAD_TYPE;
	*text = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return FIELD_PRESENT;
}

/* A line number: an integer from 0 to 18 digits, as the fast reader
 * takes it; -1 for any other value. */
static int64_t
line_of(struct json_object *v)
{
	int64_t n;

	if (v == NULL || !json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	return n < 0 || n >= 1000000000000000000LL ? -1 : n;
}

/* The last line of a text that is not empty, its first bytes. */
static void
last_line(const char *text, size_t len, const char **line, size_t *n)
{
	size_t end = len, start;

	while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && text[start - 1] != '\n' &&
	    text[start - 1] != '\r'; start--)
		;
	*line = text + start;
	*n = end - start < TALLY_MESSAGE_KEEP ? end - start :
	    TALLY_MESSAGE_KEEP;
}

/* longrepr and location: where and why, as the fast reader takes them. */
static void
detail_of(struct json_object *o, struct failure_detail *d)
{
	struct json_object *v, *crash, *x;
	size_t len;

	memset(d, 0, sizeof(*d));
	if (json_object_object_get_ex(o, "longrepr", &v) && v != NULL) {
		if (json_object_is_type(v, json_type_string))
			last_line(json_object_get_string(v),
			    (size_t)json_object_get_string_len(v),
			    &d->message, &d->message_len);
		else if (json_object_is_type(v, json_type_object) &&
		    json_object_object_get_ex(v, "reprcrash", &crash) &&
		    json_object_is_type(crash, json_type_object)) {
			/* An empty path names no file: location may. */
			if (json_object_object_get_ex(crash, "path", &x) &&
			    json_object_is_type(x, json_type_string) &&
			    (len = (size_t)json_object_get_string_len(x)) > 0 &&
			    len <= TALLY_PATH_KEEP) {
				d->path = json_object_get_string(x);
				d->path_len = len;
			}
			if (json_object_object_get_ex(crash, "lineno", &x) &&
			    line_of(x) >= 0)
				d->line = (uint64_t)line_of(x);
			if (json_object_object_get_ex(crash, "message", &x) &&
			    json_object_is_type(x, json_type_string)) {
				d->message = json_object_get_string(x);
				d->message_len =
				    (size_t)json_object_get_string_len(x);
			}
		}
	}
	if (d->path == NULL &&
	    json_object_object_get_ex(o, "location", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) >= 1 &&
	    (x = json_object_array_get_idx(v, 0)) != NULL &&
	    json_object_is_type(x, json_type_string) &&
	    (len = (size_t)json_object_get_string_len(x)) > 0 &&
	    len <= TALLY_PATH_KEEP) {
		d->path = json_object_get_string(x);
		d->path_len = len;
		d->line = 0;
		if (json_object_array_length(v) >= 2 &&
		    line_of(json_object_array_get_idx(v, 1)) >= 0)
			d->line = (uint64_t)line_of(json_object_array_get_idx(v,
			    1)) + 1;
	}
}

/* The keys of one log line as json-c parsed them. */
static void
line_of_log(struct json_object *o, struct log_line *l)
{
	struct json_object *v;
	int64_t n;

	memset(l, 0, sizeof(*l));
	l->type = word_of(o, "$report_type", &l->type_text, &l->type_len);
	l->nodeid = word_of(o, "nodeid", &l->nodeid_text, &l->nodeid_len);
	l->when = word_of(o, "when", &l->when_text, &l->when_len);
	l->outcome = word_of(o, "outcome", &l->outcome_text,
	    &l->outcome_len);
	if (json_object_object_get_ex(o, "exitstatus", &v)) {
		if (v == NULL)
			l->exitstatus = FIELD_NULL;
		else if (!json_object_is_type(v, json_type_int))
			l->exitstatus = FIELD_BAD_TYPE;
		else {
			/* At most 18 digits, as the fast reader takes. */
			n = json_object_get_int64(v);
			l->exitstatus = n > -1000000000000000000LL &&
			    n < 1000000000000000000LL ? FIELD_PRESENT :
			    FIELD_BAD_TYPE;
			l->exitstatus_value = n;
		}
	}
	detail_of(o, &l->detail);
}

enum frame {
	FRAME_BOM, FRAME_START, FRAME_FIRST, FRAME_NEXT, FRAME_ELEMENT,
	FRAME_AFTER, FRAME_END,
	FRAME_LOG		/* a log: line by line */
};

struct refreader {
	struct json_tokener *tok;
	struct lexcheck lex;
	enum frame frame;
	int bom_seen;		/* bytes of the byte order mark read */
	uint64_t base;		/* offset of the chunk */
	uint64_t index;		/* element */
	struct strbuf nodeid;
	struct report_error *err;
	enum report_status status;
	struct reading *rd;
	/* A log: the line being gathered, its number, what lines said. */
	struct strbuf line;
	uint64_t line_start;	/* offset of the line */
	uint64_t lineno;
	uint64_t newlines;	/* line feeds before the first line */
	struct logstate ls;
	int log;
};

static int
ref_fail(struct refreader *r, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
ref_fail(struct refreader *r, uint64_t offset, const char *fmt, ...)
{
	va_list ap;

	r->err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(r->err->what, sizeof(r->err->what), fmt, ap);
	va_end(ap);
	r->status = REPORT_READ_BAD;
	return -1;
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
element_done(struct refreader *r, struct json_object *o, uint64_t offset,
    struct tally *t)
{
	struct record_fields f;
	struct record rec;

	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return ref_fail(r, offset, "the element is not an object");
	}
	fields_of(o, &f);
	r->err->offset = offset;
	r->status = record_check(&f, &r->nodeid, &rec, r->err);
	if (r->status == REPORT_READ_OK)
		r->status = record_count(t, &rec);
	json_object_put(o);
	return r->status == REPORT_READ_OK ? 0 : -1;
}

static int
start_log(struct refreader *r, struct tally *t)
{
	r->log = 1;
	r->rd->input = INPUT_REPORTLOG;
	r->err->line = 1;
	r->lineno = r->newlines;
	if (logstate_init(&r->ls, t) == -1) {
		r->status = REPORT_READ_NOMEM;
		return -1;
	}
	return 0;
}

/* Is the line white space only (a blank line)? */
static int
blank(const struct strbuf *line)
{
	size_t i;

	for (i = 0; i < line->len; i++)
		if (line->data[i] != ' ' && line->data[i] != '\t' &&
		    line->data[i] != '\r')
			return 0;
	return 1;
}

/* A whole line of a log, without its line feed. */
static int
log_line_done(struct refreader *r)
{
	struct json_object *o;
	struct log_line l;
	enum json_tokener_error jerr;
	size_t used;

	r->lineno++;
	if (blank(&r->line))
		return 0;
	r->err->record = r->lineno;
	json_tokener_reset(r->tok);
	o = json_tokener_parse_ex(r->tok, r->line.data, (int)r->line.len);
	jerr = json_tokener_get_error(r->tok);
	used = json_tokener_get_parse_end(r->tok);
	if (jerr == json_tokener_continue)
		return ref_fail(r, r->line_start + r->line.len,
		    "the line ends inside a value");
	if (jerr != json_tokener_success)
		return ref_fail(r, r->line_start + used, "%s",
		    json_tokener_error_desc(jerr));
	while (used < r->line.len && (r->line.data[used] == ' ' ||
	    r->line.data[used] == '\t' || r->line.data[used] == '\r'))
		used++;
	if (used < r->line.len || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return ref_fail(r, r->line_start + used,
		    "the line is not one JSON object");
	}
	line_of_log(o, &l);
	r->err->offset = r->line_start + r->line.len;
	r->status = logstate_line(&r->ls, &l, r->err);
	json_object_put(o);
	strbuf_reset(&r->line);
	return r->status == REPORT_READ_OK ? 0 : -1;
}

/* Frame one chunk of the document. */
static int
frame_chunk(struct refreader *r, const unsigned char *p, size_t n,
    struct tally *t)
{
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t i = 0, used;

	while (i < n) {
		switch (r->frame) {
		case FRAME_BOM:		/* taken off by refread_read() */
		case FRAME_START:
			if (is_ws(p[i])) {
				r->newlines += p[i] == '\n';
				i++;
				break;
			}
			if (p[i] == '{') {
				if (start_log(r, t) == -1)
					return -1;
				r->line_start = r->base + i;
				r->frame = FRAME_LOG;
				break;
			}
			if (p[i] != '[')
				return ref_fail(r, r->base + i,
				    "neither a JSON array (pytest --json) nor JSON "
				    "lines (pytest --report-log)");
			r->rd->input = INPUT_COLLECTOR;
			i++;
			r->frame = FRAME_FIRST;
			break;
		case FRAME_LOG:
			used = i;
			while (i < n && p[i] != '\n')
				i++;
			if (strbuf_append(&r->line, p + used, i - used) == -1) {
				r->status = REPORT_READ_NOMEM;
				return -1;
			}
			if (i == n)
				break;
			i++;
			if (log_line_done(r) == -1)
				return -1;
			r->line_start = r->base + i;
			break;
		case FRAME_FIRST:
		case FRAME_NEXT:
			if (is_ws(p[i])) {
				i++;
				break;
			}
			if (p[i] == ']' && r->frame == FRAME_FIRST) {
				i++;
				r->frame = FRAME_END;
				break;
			}
			r->err->record = r->index;
			json_tokener_reset(r->tok);
			r->frame = FRAME_ELEMENT;
			break;
		case FRAME_ELEMENT:
			o = json_tokener_parse_ex(r->tok, (const char *)p + i,
			    (int)(n - i));
			jerr = json_tokener_get_error(r->tok);
			if (jerr == json_tokener_continue) {
				i = n;
				break;
			}
			used = json_tokener_get_parse_end(r->tok);
			if (jerr != json_tokener_success)
				return ref_fail(r, r->base + i + used, "%s",
				    json_tokener_error_desc(jerr));
			i += used;
			if (element_done(r, o, r->base + i, t) == -1)
				return -1;
			r->index++;
			r->frame = FRAME_AFTER;
			break;
		case FRAME_AFTER:
			if (is_ws(p[i])) {
				i++;
				break;
			}
			if (p[i] == ',')
				r->frame = FRAME_NEXT;
			else if (p[i] == ']') {
				r->frame = FRAME_END;
				r->err->record = REPORT_NO_RECORD;
			} else
				return ref_fail(r, r->base + i,
				    "',' or ']' expected after a record");
			i++;
			break;
		case FRAME_END:
			if (!is_ws(p[i]))
				return ref_fail(r, r->base + i,
				    "data after the array");
			i++;
			break;
		}
	}
	return 0;
}

/* Take a leading byte order mark off; -1 on half of one. */
static int
strip_bom(struct refreader *r, const unsigned char *p, size_t n, size_t *skip)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };

	*skip = 0;
	while (r->frame == FRAME_BOM && *skip < n) {
		if (p[*skip] == bom[r->bom_seen]) {
			(*skip)++;
			if (++r->bom_seen == 3)
				r->frame = FRAME_START;
		} else if (r->bom_seen > 0)
			return ref_fail(r, r->base + *skip,
			    "invalid UTF-8 at the start");
		else
			r->frame = FRAME_START;
	}
	return 0;
}

/* The end of input: where the framing stands says how it ended. */
static enum report_status
ref_end(struct refreader *r)
{
	switch (r->frame) {
	case FRAME_BOM:
		if (r->bom_seen > 0) {
			ref_fail(r, r->base, "invalid UTF-8 at the start");
			return REPORT_READ_BAD;
		}
		return REPORT_READ_EMPTY;
	case FRAME_START:
		return REPORT_READ_EMPTY;
	case FRAME_END:
		return REPORT_READ_OK;
	case FRAME_LOG:
		if (!blank(&r->line)) {
			r->err->record = r->lineno + 1;
			ref_fail(r, r->base, "the report ends without a final "
			    "line feed (truncated?)");
			return REPORT_READ_BAD;
		}
		r->err->record = REPORT_NO_RECORD;
		if ((r->status = logstate_end(&r->ls, r->err)) !=
		    REPORT_READ_OK)
			return r->status;
		r->rd->finished = r->ls.finished;
		r->rd->session_status = r->ls.exitstatus;
		return REPORT_READ_OK;
	default:
		ref_fail(r, r->base, "the report ends early (truncated?)");
		return REPORT_READ_BAD;
	}
}

enum report_status
refread_read(struct source *src, struct reading *rd)
{
	struct refreader r;
	struct tally *t = rd->tally;
	unsigned char *buf;
	uint64_t start;
	size_t skip, limit;
	ssize_t n;
	int lexed;

	memset(&r, 0, sizeof(r));
	reading_start(rd);
	r.rd = rd;
	r.err = &rd->err;
	r.status = REPORT_READ_OK;
	strbuf_init(&r.nodeid);
	strbuf_init(&r.line);
	/* json-c's depth counts the values it is inside plus one; a record
	 * sits at depth 2 of the document, a log's line at depth 1. */
	r.tok = json_tokener_new_ex(REPORT_DEPTH_MAX);
	buf = malloc(REF_CHUNK);
	if (r.tok == NULL || buf == NULL) {
		free(buf);
		if (r.tok != NULL)
			json_tokener_free(r.tok);
		return REPORT_READ_NOMEM;
	}
	/*
	 * Trailing characters are the array's: ',' or ']' after a record.
	 * No JSON_TOKENER_VALIDATE_UTF8: in json-c 0.16 it rejects a valid
	 * UTF-8 sequence split between two calls (seen with U+2028 fed a
	 * byte at a time), and the lexcheck validates UTF-8 more strictly.
	 */
	json_tokener_set_flags(r.tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS);
	for (;;) {
		if ((n = source_read(src, buf, REF_CHUNK)) <= 0) {
			if (n < 0)
				r.status = REPORT_READ_IOERR;
			else
				r.status = ref_end(&r);
			break;
		}
		start = r.base;
		if (strip_bom(&r, buf, (size_t)n, &skip) == -1)
			break;
		/* The lexical check runs first, but the records before its
		 * fault are still framed and counted, as the fast reader
		 * counts every record it finished before a fault. */
		r.lex.offset = start + skip;
		lexed = lex_check(&r.lex, buf + skip, (size_t)n - skip);
		limit = lexed == 0 ? (size_t)n : (size_t)(r.lex.offset - start);
		r.base = start + skip;
		if (frame_chunk(&r, buf + skip, limit - skip, t) == -1)
			break;
		if (lexed == -1) {
			if (r.log)	/* in the line being gathered */
				r.err->record = r.lineno + 1;
			ref_fail(&r, r.lex.offset, "%s", r.lex.fault);
			break;
		}
		r.base = start + (size_t)n;
	}
	free(buf);
	json_tokener_free(r.tok);
	strbuf_free(&r.nodeid);
	strbuf_free(&r.line);
	if (r.log)
		logstate_free(&r.ls);
	return r.status;
}
