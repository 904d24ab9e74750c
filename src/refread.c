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
 * The grammar is json-c's: its tokener, strict and validating UTF-8,
 * parses each element of the collector's array, or each line of a log,
 * as the input arrives, so memory holds one record at a time.  Around it
 * this file frames the values (the array's brackets and commas, a log's
 * lines) and checks, over the raw bytes, only what json-c 0.16 cannot
 * say or lets through:
 *   - a key the triage reads given twice in a record or line, and a tag
 *     value that is not a string: json-c keeps the last of duplicate
 *     keys and never shows the others;
 *   - a key holding \u0000, which json-c cuts short there;
 *   - nesting deeper than REPORT_DEPTH_MAX containers: json-c's limit
 *     counts values, scalars too, so no setting of it is this one;
 *   - raw control characters in strings, UTF-8 that is overlong, a
 *     surrogate or above U+10FFFF, loose numbers and single-quoted keys,
 *     all of which strict json-c accepts;
 *   - a byte above 0x7f outside strings, which json-c refuses as UTF-8
 *     before it hands over the element that ended just before it.
 * The fast readers refuse all of these; NaN, Infinity and lone surrogate
 * escapes (U+FFFD) both sides accept.
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

/* The longest raw text of a read key: "$report_type" with every
 * character written \uXXXX.  A longer key is none of them. */
#define REF_KEY_RAW	(12 * 6)

/* The keys that decide, which may appear once each in a record or line;
 * the collector's fourth is "tags". */
static const char *const collector_keys[] = {
	"scope", "name", "result", "tags", NULL
};
static const char *const log_keys[] = {
	"$report_type", "nodeid", "when", "outcome", "exitstatus", NULL
};

/*
 * The checks beside json-c, a byte at a time over the raw input.  They
 * follow strings, numbers and nesting only as far as they need: json-c
 * judges the grammar, and on input that breaks it json-c faults at or
 * before the first byte where these could go astray.
 */
struct rawcheck {
	uint64_t offset;	/* of the byte being checked */
	enum { RAW_OUT, RAW_STRING, RAW_ESCAPE, RAW_HEX } state;
	int hex_left, hex_zeros;
	int prev;		/* the byte before */
	int number;		/* in a number: its last byte, else 0 */
	int lead;		/* 1: its integer part is a lone 0 so far;
				 * 2: it is its '-' so far */
	unsigned depth;		/* containers open */
	unsigned record_depth;	/* of a record: 2 in the array, 1 a line */
	const char *const *keys;	/* the read keys of this input */
	/* The last string: a ':' after it makes it a key. */
	int string;		/* it is the last token */
	int string_nul;		/* it holds \u0000 */
	int in_record;		/* it lies directly in a record, and */
	char key[REF_KEY_RAW + 3];	/* this is its raw text, quotes */
	size_t key_len;		/* and all, unless */
	int key_long;		/* it is longer than REF_KEY_RAW */
	uint64_t string_end;	/* its closing quote */
	unsigned seen;		/* read keys seen in the record */
	enum { EXPECT_ANY, EXPECT_TAGS, EXPECT_TAG } expect;	/* next */
	unsigned tags_depth;	/* of the tags object being read, else 0 */
	struct json_tokener *keytok;	/* decodes an escaped key */
	uint64_t fault_offset;
	const char *fault;	/* NULL: out of memory */
};

static int
raw_fault(struct rawcheck *k, uint64_t offset, const char *what)
{
	k->fault_offset = offset;
	k->fault = what;
	return -1;
}

/* Which read key the last string names: its index, -1 for none, -2 when
 * out of memory.  json-c decodes the escapes. */
static int
read_key(struct rawcheck *k)
{
	struct json_object *o = NULL;
	const char *text = k->key + 1;
	size_t len = k->key_len - 2;
	int i;

	if (k->key_long)
		return -1;
	if (memchr(text, '\\', len) != NULL) {
		json_tokener_reset(k->keytok);
		o = json_tokener_parse_ex(k->keytok, k->key, (int)k->key_len);
		if (o == NULL)	/* json-c refuses the key later */
			return json_tokener_get_error(k->keytok) ==
			    json_tokener_success ? -2 : -1;
		text = json_object_get_string(o);
		len = (size_t)json_object_get_string_len(o);
	}
	for (i = 0; k->keys[i] != NULL; i++)
		if (strlen(k->keys[i]) == len &&
		    memcmp(k->keys[i], text, len) == 0)
			break;
	json_object_put(o);
	return k->keys[i] != NULL ? i : -1;
}

/* A ':' has made the last string a key. */
static int
key_done(struct rawcheck *k)
{
	int i;

	k->string = 0;
	if (k->string_nul)
		return raw_fault(k, k->string_end,
		    "a key holds an escaped NUL");
	if (k->tags_depth != 0 && k->depth == k->tags_depth) {
		k->expect = EXPECT_TAG;
		return 0;
	}
	if (!k->in_record || (i = read_key(k)) == -1)
		return 0;
	if (i == -2)
		return raw_fault(k, k->offset, NULL);
	if (k->seen & (1u << i))
		return raw_fault(k, k->string_end,
		    "a read key appears twice");
	k->seen |= 1u << i;
	if (k->keys == collector_keys && i == 3)
		k->expect = EXPECT_TAGS;
	return 0;
}

/*
 * A byte c in a number whose byte before is p.  json-c 0.16 reads
 * numbers loosely: it takes leading zeros (00, -01, 01.5), a fraction
 * with no digit on one side ("1.", "1.e5", "-.5"), and, a number cut
 * between two calls, a '-' after its digits ("1" "-2" reads as 1).
 * 1: the number goes on; 0: c ends it; -1: it is not RFC 8259's.
 */
static int
number_byte(struct rawcheck *k, int c)
{
	int p = k->number, digit = c >= '0' && c <= '9';

	if ((k->lead == 1 && digit) || (p == '.' && !digit) ||
	    (c == '.' && (p < '0' || p > '9')) ||
	    (c == '-' && p != 'e' && p != 'E'))
		return -1;
	if (!digit && c != '.' && c != 'e' && c != 'E' && c != '+' &&
	    c != '-')
		return 0;
	k->lead = k->lead == 2 && c == '0';
	k->number = c;
	return 1;
}

/* A byte outside strings. */
static int
out_byte(struct rawcheck *k, int c)
{
	if (k->number != 0) {
		switch (number_byte(k, c)) {
		case -1:
			return raw_fault(k, k->offset, "an invalid number");
		case 1:
			return 0;
		}
		k->number = 0;
	}
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return 0;
	/* No JSON has one here; json-c, checking UTF-8 as it peeks, would
	 * refuse one right after an element instead of handing it over. */
	if (c >= 0x80)
		return raw_fault(k, k->offset, "a byte that JSON does not "
		    "allow here");
	if (c == ':' && k->string)
		return key_done(k);
	if (k->expect == EXPECT_TAG && c != '"')
		return raw_fault(k, k->offset, "a tag value is not a string");
	if (k->expect == EXPECT_TAGS && c == '{')
		k->tags_depth = k->depth + 1;
	k->expect = EXPECT_ANY;
	k->string = 0;
	switch (c) {
	case '"':
		k->state = RAW_STRING;
		k->string_nul = 0;
		k->in_record = k->record_depth != 0 &&
		    k->depth == k->record_depth;
		k->key[0] = '"';
		k->key_len = 1;
		k->key_long = 0;
		return 0;
	case '{':
	case '[':
		if (k->depth >= REPORT_DEPTH_MAX)
			return raw_fault(k, k->offset, "nesting too deep");
		if (k->depth++ == 0 && k->record_depth == 0) {
			k->record_depth = c == '{' ? 1 : 2;
			k->keys = c == '{' ? log_keys : collector_keys;
		}
		if (k->depth == k->record_depth)
			k->seen = 0;	/* a new record */
		return 0;
	case '}':
	case ']':
		if (k->depth == k->tags_depth)
			k->tags_depth = 0;
		if (k->depth > 0)
			k->depth--;
		return 0;
	case '\'':	/* json-c takes {'key': ...} even when strict */
		return raw_fault(k, k->offset, "a single quote outside a "
		    "string");
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		k->number = c;
		k->lead = c == '0' ? 1 : c == '-' ? 2 : 0;
	}
	return 0;
}

/* Check one chunk; -1 with the fault in k at its first fault. */
static int
raw_check(struct rawcheck *k, const unsigned char *p, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++, k->offset++) {
		c = p[i];
		/* json-c's VALIDATE_UTF8 checks the shape of a sequence
		 * only: it takes overlong forms, surrogates and code points
		 * above U+10FFFF, which RFC 3629 does not. */
		if (c == 0xc0 || c == 0xc1 || c >= 0xf5 ||
		    (k->prev == 0xe0 && c < 0xa0) ||
		    (k->prev == 0xed && c > 0x9f) ||
		    (k->prev == 0xf0 && c < 0x90) ||
		    (k->prev == 0xf4 && c > 0x8f))
			return raw_fault(k, k->offset, "invalid UTF-8");
		k->prev = c;
		switch (k->state) {
		case RAW_OUT:
			if (out_byte(k, c) == -1)
				return -1;
			continue;
		case RAW_STRING:
			if (c == '"') {
				k->state = RAW_OUT;
				k->string = 1;
				k->string_end = k->offset;
				if (k->in_record)
					k->key[k->key_len++] = '"';
				continue;
			}
			if (c < 0x20)
				return raw_fault(k, k->offset,
				    "a raw control character in a string");
			if (c == '\\')
				k->state = RAW_ESCAPE;
			break;
		case RAW_ESCAPE:
			k->state = c == 'u' ? RAW_HEX : RAW_STRING;
			k->hex_left = 4;
			k->hex_zeros = 0;
			break;
		case RAW_HEX:
			k->hex_zeros += c == '0';
			if (--k->hex_left == 0) {
				k->state = RAW_STRING;
				k->string_nul |= k->hex_zeros == 4;
			}
			break;
		}
		if (!k->in_record)
			continue;
		if (k->key_len > REF_KEY_RAW)
			k->key_long = 1;
		else
			k->key[k->key_len++] = (char)c;
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

/* A member of an object, when the object is one and the member is of
 * this type; else NULL. */
static struct json_object *
member(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* The fields of one record as json-c parsed them, failure_expanded's
 * backtraces into trace.  -1 when out of memory. */
static int
fields_of(struct json_object *o, struct record_fields *f,
    struct site_trace *trace)
{
	struct json_object *v, *bt, *x;
	const char *text;
	size_t len, i, j, n, m;

	memset(f, 0, sizeof(*f));
	site_trace_reset(trace);
	f->trace = trace;
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
	if (json_object_object_get_ex(o, "file_name", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    (len = (size_t)json_object_get_string_len(v)) > 0 &&
	    len <= TALLY_PATH_KEEP) {
		f->file_name_text = json_object_get_string(v);
		f->file_name_len = len;
	}
	if (!json_object_object_get_ex(o, "failure_expanded", &v) ||
	    !json_object_is_type(v, json_type_array))
		return 0;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		bt = member(json_object_array_get_idx(v, i), "backtrace",
		    json_type_array);
		m = bt != NULL ? json_object_array_length(bt) : 0;
		for (j = 0; j < m; j++) {
			x = json_object_array_get_idx(bt, j);
			if (!json_object_is_type(x, json_type_string))
				continue;
			len = (size_t)json_object_get_string_len(x);
			if (site_trace_add_text(trace,
			    json_object_get_string(x), len < SITE_TEXT_KEEP ?
			    len : SITE_TEXT_KEEP, len <= SITE_TEXT_KEEP) == -1)
				return -1;
		}
	}
	return 0;
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

/* longrepr's reprtraceback: each entry's data.reprfileloc path and
 * lineno, as the fast reader takes them.  -1 when out of memory. */
static int
trace_of(struct json_object *longrepr, struct site_trace *t)
{
	struct json_object *entries, *loc, *path, *lineno;
	size_t i, n;

	site_trace_reset(t);
	entries = member(member(longrepr, "reprtraceback", json_type_object),
	    "reprentries", json_type_array);
	n = entries != NULL ? json_object_array_length(entries) : 0;
	for (i = 0; i < n; i++) {
		loc = member(member(json_object_array_get_idx(entries, i),
		    "data", json_type_object), "reprfileloc", json_type_object);
		path = member(loc, "path", json_type_string);
		if (path == NULL || !json_object_object_get_ex(loc, "lineno",
		    &lineno) || line_of(lineno) < 1)
			continue;
		if (site_trace_add(t, json_object_get_string(path),
		    (size_t)json_object_get_string_len(path),
		    (uint64_t)line_of(lineno)) == -1)
			return -1;
	}
	return 0;
}

/* longrepr and location: where and why, as the fast reader takes them.
 * -1 when out of memory. */
static int
detail_of(struct json_object *o, struct failure_detail *d,
    struct site_trace *trace)
{
	struct json_object *v, *crash, *x;
	const char *file = NULL;
	size_t len, file_len = 0;
	uint64_t def_line = 0;

	memset(d, 0, sizeof(*d));
	site_trace_reset(trace);
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
		if (trace_of(v, trace) == -1)
			return -1;
	}
	if (json_object_object_get_ex(o, "location", &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) >= 1 &&
	    (x = json_object_array_get_idx(v, 0)) != NULL &&
	    json_object_is_type(x, json_type_string) &&
	    (len = (size_t)json_object_get_string_len(x)) > 0 &&
	    len <= TALLY_PATH_KEEP) {
		file = json_object_get_string(x);
		file_len = len;
		if (json_object_array_length(v) >= 2 &&
		    line_of(json_object_array_get_idx(v, 1)) >= 0)
			def_line = (uint64_t)line_of(
			    json_object_array_get_idx(v, 1)) + 1;
	}
	failure_site(d, file, file_len, def_line, trace, d->path, d->path_len,
	    d->line);
	if (d->path == NULL && file != NULL) {
		d->path = file;
		d->path_len = file_len;
		d->line = def_line;
	}
	return 0;
}

/*
 * For JUnit: the texts made of a record or a line, composed as the fast
 * reader composes them (logstate.h, record.h), kept until it is counted.
 */
struct refruns {
	struct strbuf text, entries, entry, lines, element, expanded;
	struct strbuf out[LOG_PHASES], err[LOG_PHASES];
};

static void
refruns_free(struct refruns *b)
{
	int i;

	strbuf_free(&b->text);
	strbuf_free(&b->entries);
	strbuf_free(&b->entry);
	strbuf_free(&b->lines);
	strbuf_free(&b->element);
	strbuf_free(&b->expanded);
	for (i = 0; i < LOG_PHASES; i++) {
		strbuf_free(&b->out[i]);
		strbuf_free(&b->err[i]);
	}
}

static struct run_text
whole_string(struct json_object *v)
{
	return run_text_of(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v), 0);
}

/* A member that is a string. */
static int
string_member(struct json_object *o, const char *key, struct run_text *x)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return 0;
	*x = whole_string(v);
	return 1;
}

/* A member that is a number: its text as written (json-c keeps it). */
static int
number_member(struct json_object *o, const char *key, struct run_text *x)
{
	struct json_object *v;
	const char *text;

	if (!json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return 0;
	text = json_object_get_string(v);
	*x = run_text_of(text, strlen(text), 0);
	return 1;
}

/* The strings of an array, joined by sep, into out (reset first). */
static int
join_strings(struct json_object *a, const char *sep, struct strbuf *out,
    int *cut)
{
	struct json_object *v;
	size_t i, n = 0;

	strbuf_reset(out);
	*cut = 0;
	for (i = 0; a != NULL && i < json_object_array_length(a); i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			continue;
		if (report_text_part(out, cut, TALLY_RUN_TEXT_KEEP, n++ == 0,
		    sep, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v)) == -1)
			return -1;
	}
	return 0;
}

/* longrepr's reprtraceback as text, into b->text. */
static int
traceback_of(struct json_object *tb, struct refruns *b, int *cut)
{
	struct json_object *entries, *el, *data, *where, *line;
	struct log_place place;
	struct run_text lines, entry, all, extra, style;
	size_t i, n = 0;
	int lines_cut, entry_cut, entries_cut = 0, has_extra;
	int is_short, after_short = 0;

	strbuf_reset(&b->entries);
	entries = member(tb, "reprentries", json_type_array);
	for (i = 0; entries != NULL && i < json_object_array_length(entries);
	    i++) {
		el = json_object_array_get_idx(entries, i);
		if (!json_object_is_type(el, json_type_object))
			continue;
		strbuf_reset(&b->entry);
		entry_cut = is_short = 0;
		if ((data = member(el, "data", json_type_object)) != NULL) {
			is_short = string_member(data, "style", &style) &&
			    style.len == 5 && memcmp(style.s, "short", 5) == 0;
			if (join_strings(member(data, "lines",
			    json_type_array), "\n", &b->lines, &lines_cut) == -1)
				return -1;
			memset(&place, 0, sizeof(place));
			if ((where = member(data, "reprfileloc",
			    json_type_object)) != NULL) {
				place.has_path = string_member(where, "path",
				    &place.path);
				place.line_known = json_object_object_get_ex(
				    where, "lineno", &line) &&
				    line_of(line) >= 0;
				if (place.line_known)
					place.line = (uint64_t)line_of(line);
				place.has_message = string_member(where,
				    "message", &place.message);
			}
			lines = run_text_of(b->lines.data, b->lines.len,
			    lines_cut);
			if (logstate_entry(&b->entry, &entry_cut, &lines,
			    &place, is_short) == -1)
				return -1;
		}
		entry = run_text_of(b->entry.data, b->entry.len, entry_cut);
		if (logstate_entries_add(&b->entries, &entries_cut, n++ == 0,
		    after_short, &entry) == -1)
			return -1;
		after_short = is_short;
	}
	has_extra = string_member(tb, "extraline", &extra);
	all = run_text_of(b->entries.data, b->entries.len, entries_cut);
	strbuf_reset(&b->text);
	*cut = 0;
	return logstate_traceback(&b->text, cut, &all, has_extra ? &extra :
	    NULL);
}

/* What a log line says for JUnit (logstate.h). */
static int
run_of_log(struct json_object *o, struct log_run *x, struct refruns *b)
{
	struct json_object *v, *crash, *el, *name, *content;
	enum log_phase phase;
	size_t i;
	int err, cut = 0;

	x->has_duration = number_member(o, "duration", &x->duration);
	x->has_xfail = string_member(o, "wasxfail", &x->xfail);
	for (i = 0; i < LOG_PHASES; i++) {
		strbuf_reset(&b->out[i]);
		strbuf_reset(&b->err[i]);
		x->out[i] = x->err[i] = run_text_of("", 0, 0);
	}
	v = member(o, "sections", json_type_array);
	for (i = 0; v != NULL && i < json_object_array_length(v); i++) {
		el = json_object_array_get_idx(v, i);
		if (!json_object_is_type(el, json_type_array) ||
		    json_object_array_length(el) < 2)
			continue;
		name = json_object_array_get_idx(el, 0);
		content = json_object_array_get_idx(el, 1);
		if (!json_object_is_type(name, json_type_string) ||
		    !json_object_is_type(content, json_type_string) ||
		    !logstate_section(json_object_get_string(name),
		    (size_t)json_object_get_string_len(name), &err, &phase))
			continue;
		cut = err ? x->err[phase].cut : x->out[phase].cut;
		if (strbuf_append_capped(err ? &b->err[phase] : &b->out[phase],
		    TALLY_RUN_OUTPUT_KEEP, json_object_get_string(content),
		    (size_t)json_object_get_string_len(content), &cut) == -1)
			return -1;
		if (err)
			x->err[phase] = run_text_of(b->err[phase].data,
			    b->err[phase].len, cut);
		else
			x->out[phase] = run_text_of(b->out[phase].data,
			    b->out[phase].len, cut);
	}
	x->longrepr = LONGREPR_OTHER;
	x->text = run_text_of("", 0, 0);
	if (!json_object_object_get_ex(o, "longrepr", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		x->longrepr = LONGREPR_STRING;
		x->text = whole_string(v);
	} else if (json_object_is_type(v, json_type_array)) {
		x->longrepr = LONGREPR_LIST;
		if (json_object_array_length(v) > 0 && json_object_is_type(
		    (el = json_object_array_get_idx(v, 0)), json_type_string)) {
			x->has_skip_path = 1;
			x->skip_path = whole_string(el);
		}
		if (json_object_array_length(v) > 1 &&
		    line_of(json_object_array_get_idx(v, 1)) >= 0) {
			x->skip_line_known = 1;
			x->skip_line = (uint64_t)line_of(
			    json_object_array_get_idx(v, 1));
		}
		if (json_object_array_length(v) > 2 && json_object_is_type(
		    (el = json_object_array_get_idx(v, 2)), json_type_string)) {
			x->has_skip_reason = 1;
			x->skip_reason = whole_string(el);
		}
	} else if (json_object_is_type(v, json_type_object)) {
		x->longrepr = LONGREPR_OBJECT;
		if ((crash = member(v, "reprcrash", json_type_object)) !=
		    NULL)
			x->has_crash = string_member(crash, "message",
			    &x->crash);
		if ((el = member(v, "reprtraceback", json_type_object)) !=
		    NULL) {
			if (traceback_of(el, b, &cut) == -1)
				return -1;
			x->text = run_text_of(b->text.data, b->text.len, cut);
		}
	}
	return 0;
}

/* What a collector's record says for JUnit (record.h). */
static int
run_of_record(struct json_object *o, struct record_fields *f,
    struct refruns *b)
{
	struct json_object *a, *el;
	size_t i, n = 0;
	int cut = 0, el_cut;

	f->has_duration = number_member(member(o, "history",
	    json_type_object), "duration", &f->duration);
	f->has_reason = string_member(o, "failure_reason", &f->reason);
	if ((a = member(o, "failure_expanded", json_type_array)) == NULL)
		return 0;
	strbuf_reset(&b->expanded);
	for (i = 0; i < json_object_array_length(a); i++) {
		el = json_object_array_get_idx(a, i);
		if (!json_object_is_type(el, json_type_object))
			continue;
		if (join_strings(member(el, "expanded", json_type_array),
		    "\n", &b->element, &el_cut) == -1 ||
		    report_text_part(&b->expanded, &cut, TALLY_RUN_TEXT_KEEP,
		    n++ == 0, "\n\n", b->element.data != NULL ?
		    b->element.data : "", b->element.len) == -1)
			return -1;
		cut |= el_cut;
	}
	f->has_expanded = 1;
	f->expanded = run_text_of(b->expanded.data, b->expanded.len, cut);
	return 0;
}

/* The keys of one log line as json-c parsed them.  -1 when out of
 * memory. */
static int
line_of_log(struct json_object *o, struct log_line *l,
    struct site_trace *trace)
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
	return detail_of(o, &l->detail, trace);
}

enum frame {
	FRAME_BOM,		/* a byte order mark may come */
	FRAME_START,		/* white space, then '[' or '{' */
	FRAME_FIRST,		/* the array: after '[' */
	FRAME_NEXT,		/* after ',' */
	FRAME_VALUE,		/* an element, or a line's object: json-c's */
	FRAME_AFTER,		/* after an element: ',' or ']' */
	FRAME_END,		/* after the array: white space only */
	FRAME_LINE,		/* a log: a line, or white space */
	FRAME_LINE_END		/* after a line's object: its line feed */
};

struct refreader {
	struct json_tokener *tok;
	struct rawcheck check;
	enum frame frame;
	int bom_seen;		/* bytes of the byte order mark read */
	uint64_t base;		/* offset of the chunk */
	uint64_t index;		/* element */
	struct strbuf nodeid;
	struct report_error *err;
	enum report_status status;
	struct reading *rd;
	/* A log: line feeds read, what the lines said, and the object of
	 * the line being read, judged at its line feed. */
	int log;
	uint64_t lineno;
	struct logstate ls;
	struct json_object *line;
	struct site_trace trace;	/* a record's or line's traceback */
	struct refruns runs;	/* runs kept: their texts */
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

	r->err->offset = offset;
	r->status = fields_of(o, &f, &r->trace) == -1 ||
	    (r->rd->runs && run_of_record(o, &f, &r->runs) == -1) ?
	    REPORT_READ_NOMEM : record_check(&f, &r->nodeid, &rec, r->err);
	if (r->status == REPORT_READ_OK)
		r->status = record_count(t, &rec);
	json_object_put(o);
	return r->status == REPORT_READ_OK ? 0 : -1;
}

/* A line's line feed, at offset: what its object says. */
static int
line_done(struct refreader *r, uint64_t offset)
{
	struct log_line l;

	r->err->offset = offset;
	r->status = line_of_log(r->line, &l, &r->trace) == -1 ||
	    (r->rd->runs && run_of_log(r->line, &l.run, &r->runs) == -1) ?
	    REPORT_READ_NOMEM : logstate_line(&r->ls, &l, r->err);
	json_object_put(r->line);
	r->line = NULL;
	return r->status == REPORT_READ_OK ? 0 : -1;
}

static int
start_log(struct refreader *r, struct tally *t)
{
	r->log = 1;
	r->rd->input = INPUT_REPORTLOG;
	r->err->line = 1;
	if (logstate_init(&r->ls, t) == -1) {
		r->status = REPORT_READ_NOMEM;
		return -1;
	}
	return 0;
}

/*
 * Hand json-c the value's bytes from *i to end.  1 and the object when
 * the value is complete (*i past it, and past white space after it), 0
 * when it goes on, -1 on a fault.
 */
static int
parse(struct refreader *r, const unsigned char *p, size_t *i, size_t end,
    struct json_object **o)
{
	enum json_tokener_error jerr;
	size_t used;

	*o = json_tokener_parse_ex(r->tok, (const char *)p + *i,
	    (int)(end - *i));
	jerr = json_tokener_get_error(r->tok);
	used = json_tokener_get_parse_end(r->tok);
	if (jerr == json_tokener_continue) {
		*i = end;
		return 0;
	}
	if (jerr != json_tokener_success)
		return ref_fail(r, r->base + *i + used, "%s",
		    json_tokener_error_desc(jerr));
	*i += used;
	if (*o == NULL) {	/* json-c ran out of memory */
		r->status = REPORT_READ_NOMEM;
		return -1;
	}
	return 1;
}

/* Frame one chunk of the document. */
static int
frame_chunk(struct refreader *r, const unsigned char *p, size_t n,
    struct tally *t)
{
	struct json_object *o;
	const unsigned char *nl;
	size_t i = 0, end;
	int rc;

	while (i < n) {
		switch (r->frame) {
		case FRAME_BOM:		/* taken off by strip_bom() */
		case FRAME_START:
			if (is_ws(p[i])) {
				r->lineno += p[i] == '\n';
				i++;
				break;
			}
			if (p[i] == '{') {
				if (start_log(r, t) == -1)
					return -1;
				r->frame = FRAME_LINE;
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
			if (p[i] != '{')
				return ref_fail(r, r->base + i,
				    "the element is not an object");
			json_tokener_reset(r->tok);
			r->frame = FRAME_VALUE;
			break;
		case FRAME_VALUE:
			/* A line's value ends by its line feed at the latest:
			 * json-c would read on into the next line. */
			end = n;
			if (r->log && (nl = memchr(p + i, '\n', n - i)) != NULL)
				end = (size_t)(nl - p);
			rc = end > i ? parse(r, p, &i, end, &o) : 0;
			if (rc == -1)
				return -1;
			if (rc == 0 && end < n)
				return ref_fail(r, r->base + end,
				    "the line ends inside a value");
			if (rc == 0)
				break;
			if (r->log) {
				r->line = o;
				r->frame = FRAME_LINE_END;
				break;
			}
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
		case FRAME_LINE:
			if (p[i] == '\n')
				r->lineno++;
			else if (!is_ws(p[i])) {
				r->err->record = r->lineno + 1;
				if (p[i] != '{')
					return ref_fail(r, r->base + i,
					    "the line is not a JSON object");
				json_tokener_reset(r->tok);
				r->frame = FRAME_VALUE;
				break;
			}
			i++;
			break;
		case FRAME_LINE_END:
			if (p[i] == '\n') {
				if (line_done(r, r->base + i) == -1)
					return -1;
				r->lineno++;
				r->frame = FRAME_LINE;
			} else if (!is_ws(p[i]))
				return ref_fail(r, r->base + i,
				    "the line is not one JSON object");
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

/*
 * json-c 0.16 checks UTF-8 within one call only: it refuses a sequence
 * cut between two calls.  So a chunk never ends inside one: the bytes at
 * the end of p that begin a sequence, how many, wait for the next.
 */
static size_t
utf8_tail(const unsigned char *p, size_t n)
{
	size_t i, need;

	for (i = 1; i <= 3 && i <= n; i++) {
		if ((p[n - i] & 0xc0) == 0x80)
			continue;
		if (p[n - i] < 0xc0)
			return 0;
		need = p[n - i] >= 0xf0 ? 4 : p[n - i] >= 0xe0 ? 3 : 2;
		return need > i ? i : 0;
	}
	return 0;
}

/*
 * One chunk: the checks beside json-c first, then the framing up to
 * their first fault, so that the records before it still count, as the
 * fast reader counts every record it finished before a fault.
 */
static int
read_chunk(struct refreader *r, const unsigned char *p, size_t n,
    struct tally *t)
{
	uint64_t start = r->base;
	size_t skip, limit = n;
	int checked;

	if (strip_bom(r, p, n, &skip) == -1)
		return -1;
	r->check.offset = start + skip;
	checked = raw_check(&r->check, p + skip, n - skip);
	if (checked == -1) {
		/* A key's fault may lie in a chunk before.  json-c is not
		 * handed the start of a sequence the fault cuts short: it
		 * would refuse that first. */
		limit = r->check.fault_offset < start + skip ? skip :
		    (size_t)(r->check.fault_offset - start);
		limit -= utf8_tail(p + skip, limit - skip);
	}
	r->base = start + skip;
	if (frame_chunk(r, p + skip, limit - skip, t) == -1)
		return -1;
	if (checked == -1) {
		if (r->check.fault == NULL) {
			r->status = REPORT_READ_NOMEM;
			return -1;
		}
		if (r->log)
			r->err->record = r->lineno + 1;
		return ref_fail(r, r->check.fault_offset, "%s",
		    r->check.fault);
	}
	r->base = start + n;
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
	case FRAME_LINE:
		r->err->record = REPORT_NO_RECORD;
		if ((r->status = logstate_end(&r->ls, r->err)) !=
		    REPORT_READ_OK)
			return r->status;
		r->rd->finished = r->ls.finished;
		r->rd->session_status = r->ls.exitstatus;
		return REPORT_READ_OK;
	default:
		if (r->log)
			ref_fail(r, r->base, "the report ends without a final "
			    "line feed (truncated?)");
		else
			ref_fail(r, r->base, "the report ends early "
			    "(truncated?)");
		return REPORT_READ_BAD;
	}
}

enum report_status
refread_read(struct source *src, struct reading *rd)
{
	struct refreader r;
	unsigned char *buf;
	size_t held = 0, len, keep;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	reading_start(rd);
	r.rd = rd;
	r.err = &rd->err;
	r.status = REPORT_READ_OK;
	strbuf_init(&r.nodeid);
	site_trace_init(&r.trace);
	/*
	 * json-c's depth counts values, scalars too, from 0 for the element
	 * or line: a value inside a line's 1000th container is at 1000.
	 * The limit itself is the raw check's.
	 */
	r.tok = json_tokener_new_ex(REPORT_DEPTH_MAX + 1);
	r.check.keytok = json_tokener_new();
	buf = malloc(REF_CHUNK);
	if (r.tok == NULL || r.check.keytok == NULL || buf == NULL) {
		r.status = REPORT_READ_NOMEM;
		goto out;
	}
	/* Trailing characters are the array's or the line's, framed here. */
	json_tokener_set_flags(r.tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8 | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	json_tokener_set_flags(r.check.keytok, JSON_TOKENER_STRICT);
	for (;;) {
		n = source_read(src, buf + held, REF_CHUNK - held);
		if (n < 0) {
			r.status = REPORT_READ_IOERR;
			break;
		}
		if (n == 0 && held == 0) {
			r.status = ref_end(&r);
			break;
		}
		len = held + (size_t)n;
		keep = n > 0 ? utf8_tail(buf, len) : 0;
		if (read_chunk(&r, buf, len - keep, rd->tally) == -1)
			break;
		memmove(buf, buf + len - keep, keep);
		held = keep;
	}
out:
	free(buf);
	if (r.tok != NULL)
		json_tokener_free(r.tok);
	if (r.check.keytok != NULL)
		json_tokener_free(r.check.keytok);
	json_object_put(r.line);
	strbuf_free(&r.nodeid);
	site_trace_free(&r.trace);
	refruns_free(&r.runs);
	if (r.log)
		logstate_free(&r.ls);
	return r.status;
}
