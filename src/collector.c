/*
 * collector.c: the fast reader of the collector's report (pytest --json).
 *
 * Why not hand each record to json-c?  Most of a record is history,
 * failure_reason and failure_expanded, of which the triage reads a few
 * bytes at most; building json-c objects for them costs more than
 * everything else the program does.  So the scanner (scan.h) walks each
 * record's keys, this file decodes only scope, name, result, tags, the
 * first line of failure_reason; when messages are wanted, location,
 * file_name and the start of each failure_expanded backtrace string (for
 * the place where the failure passed through the test's own file,
 * record.h); when runs are kept (for JUnit, record.h), history's
 * duration, failure_reason whole and failure_expanded's expanded lines;
 * and every other value is skipped while its syntax is still checked.
 * refread.c is the full parse; the differential tests hold the two
 * together.
 *
 * Beyond JSON: no key holding \u0000 (json-c would cut such a key short);
 * scope, name, result or tags twice in a record is a bad report (other
 * duplicate keys: the last one wins).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodeid.h"
#include "reader.h"
#include "record.h"
#include "scan.h"

#define RECORD_BYTES_MIN 384	/* fewer in a record: the collector's id,
				 * location and history are more */

struct collector {
	struct scanner *s;
	struct tally *tally;
	struct report_error *err;
	int messages;		/* keep failure text and location */
	int runs;		/* read what JUnit shows too */
	struct strbuf scope, name, result, reason, location, key, tagkey;
	struct strbuf tagval, nodeid;
	struct strbuf file_name, backtrace;
	struct site_trace trace;	/* failure_expanded's backtraces */
	/* Runs: a record's duration, failure_reason whole and
	 * failure_expanded as text (record.h), and an element's lines. */
	struct strbuf duration, expanded, element, subkey;
	int duration_cut, reason_cut, expanded_cut, element_cut;
	size_t nelements, nlines;
};

enum record_key {
	KEY_OTHER, KEY_SCOPE, KEY_NAME, KEY_RESULT, KEY_TAGS, KEY_REASON,
	KEY_LOCATION, KEY_FILE_NAME, KEY_EXPANDED, KEY_HISTORY
};

/* Each key's name, for messages. */
static const char *const record_keys[] = {
	[KEY_OTHER] = "",
	[KEY_SCOPE] = "scope",
	[KEY_NAME] = "name",
	[KEY_RESULT] = "result",
	[KEY_TAGS] = "tags",
	[KEY_REASON] = "failure_reason",
	[KEY_LOCATION] = "location",
	[KEY_FILE_NAME] = "file_name",
	[KEY_EXPANDED] = "failure_expanded",
	[KEY_HISTORY] = "history",
};

/* One comparison at most, of a constant length (inline), mostly none. */
static enum record_key
record_key(const char *text, size_t len)
{
	switch (len) {
	case 4:
		if (memcmp(text, "name", 4) == 0)
			return KEY_NAME;
		return memcmp(text, "tags", 4) == 0 ? KEY_TAGS : KEY_OTHER;
	case 5:
		return memcmp(text, "scope", 5) == 0 ? KEY_SCOPE : KEY_OTHER;
	case 6:
		return memcmp(text, "result", 6) == 0 ? KEY_RESULT : KEY_OTHER;
	case 7:
		return memcmp(text, "history", 7) == 0 ? KEY_HISTORY :
		    KEY_OTHER;
	case 8:
		return memcmp(text, "location", 8) == 0 ? KEY_LOCATION :
		    KEY_OTHER;
	case 9:
		return memcmp(text, "file_name", 9) == 0 ? KEY_FILE_NAME :
		    KEY_OTHER;
	case 14:
		return memcmp(text, "failure_reason", 14) == 0 ? KEY_REASON :
		    KEY_OTHER;
	case 16:
		return memcmp(text, "failure_expanded", 16) == 0 ?
		    KEY_EXPANDED : KEY_OTHER;
	default:
		return KEY_OTHER;
	}
}

/* scope or name: a string of at most NODEID_MAX bytes. */
static int
text_field(struct collector *col, int c, const char *what, struct strbuf *out)
{
	int overflow;

	if (c != '"') {
		if (c == -1)
			return scan_truncated(col->s, "early");
		return scan_fail(col->s, "%s is not a string", what);
	}
	if (scan_string_value(col->s, out, NODEID_MAX, 0, &overflow) == -1)
		return -1;
	if (overflow)
		return scan_fail(col->s, "%s is longer than %zu bytes", what, NODEID_MAX);
	return 0;
}

/* tags: an object whose values are all strings; is it a collection error? */
static int
tags_field(struct collector *col, int c, int *collection_error)
{
	struct sink key = { &col->tagkey, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
	int error_tag[2] = { 0, 0 };	/* per tag: the last one wins */
	int is_true, tag, overflow, more, empty;
	const char *text;
	size_t len;

	if (c != '{') {
		if (c == -1)
			return scan_truncated(col->s, "early");
		return scan_fail(col->s, "tags is not an object");
	}
	if ((empty = scan_open_object(col->s, &c)) != 0) {
		*collection_error = 0;
		return empty == 1 ? 0 : -1;
	}
	for (;;) {
		if (scan_key_text(col->s, c, &key, &text, &len) == -1)
			return -1;
		tag = key.overflow ? 0 : report_is_error_tag(text, len);
		if (scan_key_colon(col->s) == -1)
			return -1;
		c = scan_peek(col->s);
		if (c != '"') {
			if (c == -1)
				return scan_truncated(col->s, "early");
			return scan_fail(col->s, "a tag value is not a string");
		}
		if (scan_string_value(col->s, &col->tagval, 8, 0, &overflow) == -1)
			return -1;
		/* Exactly the string "true". */
		is_true = !overflow && col->tagval.len == 4 &&
		    memcmp(col->tagval.data, "true", 4) == 0;
		if (tag > 0)
			error_tag[tag - 1] = is_true;
		if ((more = scan_next_member(col->s, &c)) == -1)
			return -1;
		if (!more) {
			*collection_error = error_tag[0] || error_tag[1];
			return 0;
		}
	}
}

/* result: a string or null; anything else is a bad report. */
static int
result_field(struct collector *col, int c, struct record_fields *f)
{
	int overflow;

	if (c == 'n') {
		f->result = FIELD_NULL;
		return scan_literal(col->s, "null");
	}
	if (c != '"') {
		if (c == -1)
			return scan_truncated(col->s, "early");
		return scan_fail(col->s, "result is neither a string nor null");
	}
	if (scan_string_value(col->s, &col->result, 16, 0, &overflow) == -1)
		return -1;
	f->result = FIELD_PRESENT;
	if (overflow)		/* longer than any outcome: unknown */
		strbuf_reset(&col->result);
	return 0;
}

/* failure_reason: keep the first bytes of its first line, the only one
 * ever shown; for JUnit keep it whole. */
static int
reason_field(struct collector *col, int c, struct record_fields *f)
{
	int overflow;

	strbuf_reset(&col->reason);
	f->has_reason = 0;
	if (c != '"')
		return scan_skip_value(col->s);
	if (col->runs) {
		f->has_reason = 1;
		col->reason_cut = 0;
		return scan_string_into(col->s, &col->reason,
		    TALLY_RUN_TEXT_KEEP, &col->reason_cut);
	}
	return scan_string_value(col->s, &col->reason, col->messages ?
	    TALLY_MESSAGE_KEEP : REPORT_REASON_KEEP, 1, &overflow);
}

/* location, when messages are wanted: "path:line", a string, or null.
 * A location given again replaces the earlier one. */
static int
location_field(struct collector *col, int c, struct record_fields *f)
{
	int overflow;

	f->location_text = NULL;
	f->location_len = 0;
	if (c != '"')
		return scan_skip_value(col->s);
	if (scan_string_value(col->s, &col->location, TALLY_PATH_KEEP, 0,
	    &overflow) == -1)
		return -1;
	if (!overflow) {
		f->location_text = col->location.data;
		f->location_len = col->location.len;
	}
	return 0;
}

/* file_name, when messages are wanted: a string, or null.  Given again,
 * it replaces the earlier one. */
static int
file_name_field(struct collector *col, int c, struct record_fields *f)
{
	int overflow;

	f->file_name_text = NULL;
	f->file_name_len = 0;
	if (c != '"')
		return scan_skip_value(col->s);
	if (scan_string_value(col->s, &col->file_name, TALLY_PATH_KEEP, 0,
	    &overflow) == -1)
		return -1;
	if (!overflow && col->file_name.len > 0) {
		f->file_name_text = col->file_name.data;
		f->file_name_len = col->file_name.len;
	}
	return 0;
}

/* history's duration, for JUnit: a number's text as it stands. */
static int
duration_field(struct collector *col, int c, struct record_fields *f)
{
	int rc = scan_number_text(col->s, c, &col->duration,
	    REPORT_NUMBER_KEEP, &col->duration_cut);

	f->has_duration = rc == 1;
	return rc == -1 ? -1 : 0;
}

/*
 * history, for JUnit: its duration, the last one given; its other
 * members skipped.  Every record has one, so its keys are read inline,
 * as the record's are.
 */
static int
history_field(struct collector *col, int c, struct record_fields *f)
{
	struct sink k = { &col->subkey, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
	const char *text;
	size_t len;
	int more, duration;

	f->has_duration = 0;
	if (c != '{')
		return scan_skip_value(col->s);
	if ((more = scan_open_object(col->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (c == '"' && scan_plain_string(col->s, &text, &len))
			k.overflow = 0;
		else if (scan_key_text(col->s, c, &k, &text, &len) == -1)
			return -1;
		/* Named before the colon, which may refill the buffer. */
		duration = !k.overflow && len == 8 &&
		    memcmp(text, "duration", 8) == 0;
		if (scan_key_colon(col->s) == -1)
			return -1;
		c = scan_peek(col->s);
		if (duration) {
			if (duration_field(col, c, f) == -1)
				return -1;
		} else if ((c != '"' || !scan_plain_string(col->s, &text,
		    &len)) && scan_skip_value(col->s) == -1)
			return -1;
		if ((more = scan_next_member(col->s, &c)) != 1)
			return more;
	}
}

/*
 * history, skipped.  Without spans the collector writes it the same way
 * every time but for its three numbers, and it is most of the bytes of a
 * passed test's record: when those bytes are all in the buffer they are
 * compared and the numbers checked; anything else is skipped the general
 * way, which also says what is wrong with it.  (A record's history opens
 * levels 3 and 4, far within the scanner's limit.)
 */
static int
skip_history(struct scanner *s)
{
	static const char head[] =
	    "{\"section\": \"top\", \"children\": [], \"start_at\": ";
	static const char end_at[] = ", \"end_at\": ";
	static const char duration[] = ", \"duration\": ";
	size_t start = s->pos;

	if (scan_expect(s, head, sizeof(head) - 1) &&
	    scan_number_in_buffer(s) &&
	    scan_expect(s, end_at, sizeof(end_at) - 1) &&
	    scan_number_in_buffer(s) &&
	    scan_expect(s, duration, sizeof(duration) - 1) &&
	    scan_number_in_buffer(s) && scan_expect(s, "}", 1))
		return 0;
	s->pos = start;
	return scan_skip_value(s);
}

static int
expanded_line(void *arg, size_t index, int c)
{
	struct collector *col = arg;

	(void)index;
	if (c != '"')
		return scan_skip_value(col->s);
	if (col->nlines++ > 0 && strbuf_append_capped(&col->element,
	    TALLY_RUN_TEXT_KEEP, "\n", 1, &col->element_cut) == -1)
		return scan_nomem(col->s);
	return scan_string_into(col->s, &col->element, TALLY_RUN_TEXT_KEEP,
	    &col->element_cut);
}

/* A backtrace: an array of strings, each "path:line: message" read as
 * far as SITE_TEXT_KEEP bytes; values of other types are skipped. */
static int
backtrace_field(struct collector *col)
{
	int c, more, overflow;

	if ((more = scan_open_array(col->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (c == '"') {
			if (scan_string_value(col->s, &col->backtrace,
			    SITE_TEXT_KEEP, 0, &overflow) == -1)
				return -1;
			if (site_trace_add_text(&col->trace,
			    col->backtrace.data, col->backtrace.len,
			    !overflow) == -1)
				return scan_nomem(col->s);
		} else if (scan_skip_value(col->s) == -1)
			return -1;
		if ((more = scan_next_element(col->s, &c)) != 1)
			return more;
	}
}

/*
 * failure_expanded: [{"expanded": [...], "backtrace": [...]}, ...].  When
 * messages are wanted the backtraces, in order, are the trace; for JUnit
 * each element's expanded lines, joined by line feeds, the elements
 * apart by a blank line, are the record's text (record.h).  A
 * failure_expanded, or a backtrace or an expanded in one element, given
 * again replaces the earlier one.
 */
static int
expanded_field(struct collector *col, int c, struct record_fields *f)
{
	static const char backtrace[] = "backtrace", expanded[] = "expanded";
	struct sink key = { &col->tagkey, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
	const char *text;
	size_t len, mark;
	int e, more, emore, overflow, is_backtrace, is_expanded;

	site_trace_reset(&col->trace);
	strbuf_reset(&col->expanded);
	col->expanded_cut = 0;
	col->nelements = 0;
	f->has_expanded = c == '[';
	if (c != '[')
		return scan_skip_value(col->s);
	if ((more = scan_open_array(col->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (c != '{') {
			if (scan_skip_value(col->s) == -1)
				return -1;
		} else {
			site_trace_mark(&col->trace, &mark, &overflow);
			strbuf_reset(&col->element);
			col->element_cut = 0;
			if ((emore = scan_open_object(col->s, &e)) == -1)
				return -1;
			while (emore == 0) {
				if (scan_key_text(col->s, e, &key, &text,
				    &len) == -1)
					return -1;
				is_backtrace = col->messages && !key.overflow &&
				    len == sizeof(backtrace) - 1 &&
				    memcmp(text, backtrace, len) == 0;
				is_expanded = col->runs && !key.overflow &&
				    len == sizeof(expanded) - 1 &&
				    memcmp(text, expanded, len) == 0;
				if (scan_key_colon(col->s) == -1)
					return -1;
				e = scan_peek(col->s);
				if (is_backtrace)
					site_trace_restore(&col->trace, mark,
					    overflow);
				if (is_expanded) {
					strbuf_reset(&col->element);
					col->element_cut = 0;
					col->nlines = 0;
				}
				if (is_backtrace && e == '[') {
					if (backtrace_field(col) == -1)
						return -1;
				} else if (is_expanded && e == '[') {
					if (scan_walk_array(col->s,
					    expanded_line, col) == -1)
						return -1;
				} else if (scan_skip_value(col->s) == -1)
					return -1;
				if ((emore = scan_next_member(col->s, &e)) ==
				    -1)
					return -1;
				emore = !emore;
			}
			if (col->runs && (report_text_part(&col->expanded,
			    &col->expanded_cut, TALLY_RUN_TEXT_KEEP,
			    col->nelements++ == 0, "\n\n",
			    col->element.data != NULL ? col->element.data : "",
			    col->element.len) == -1))
				return scan_nomem(col->s);
			col->expanded_cut |= col->element_cut;
		}
		if ((more = scan_next_element(col->s, &c)) != 1)
			return more;
	}
}

/*
 * Scope and name both read: join and hash the node ID now, so that its
 * slot in the tally is on its way into cache while the rest of the
 * record is read.  A node ID too long is left to record_check().
 */
static int
hash_early(struct collector *col, struct record_fields *f)
{
	if (f->scope != FIELD_PRESENT || f->name != FIELD_PRESENT ||
	    col->scope.len + 2 + col->name.len > NODEID_MAX)
		return 0;
	if (nodeid_join(&col->nodeid, col->scope.data, col->scope.len,
	    col->name.data, col->name.len) == -1)
		return scan_nomem(col->s);
	f->nodeid_hash = tally_hash_id(col->tally, col->nodeid.data,
	    col->nodeid.len);
	tally_prefetch(col->tally, f->nodeid_hash);
	return 0;
}

static int
read_record(struct collector *col, enum report_status *status)
{
	struct sink key = { &col->key, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
	struct record_fields f;
	struct record rec;
	enum record_key which;
	const char *text;
	size_t len;
	unsigned seen = 0;
	int c, rc, more, empty;

	memset(&f, 0, sizeof(f));
	strbuf_reset(&col->reason);
	strbuf_reset(&col->location);
	site_trace_reset(&col->trace);
	f.trace = &col->trace;
	if ((empty = scan_open_object(col->s, &c)) == -1)
		return -1;
	if (empty)
		goto done;
	for (;;) {
		/* Most keys are plain: read them inline. */
		if (c == '"' && scan_plain_string(col->s, &text, &len))
			key.overflow = 0;
		else if (scan_key_text(col->s, c, &key, &text, &len) == -1)
			return -1;
		which = key.overflow ? KEY_OTHER : record_key(text, len);
		scan_key(col->s, text, len);
		if (which >= KEY_SCOPE && which <= KEY_TAGS) {
			if (seen & (1u << which))
				return scan_fail(col->s,
				    "the key \"%s\" appears twice",
				    record_keys[which]);
			seen |= 1u << which;
		}
		if (scan_key_colon(col->s) == -1)
			return -1;
		c = scan_peek(col->s);
		switch (which) {
		case KEY_SCOPE:
			rc = text_field(col, c, "scope", &col->scope);
			f.scope = FIELD_PRESENT;
			break;
		case KEY_NAME:
			rc = text_field(col, c, "name", &col->name);
			f.name = FIELD_PRESENT;
			break;
		case KEY_RESULT:
			rc = result_field(col, c, &f);
			break;
		case KEY_TAGS:
			rc = tags_field(col, c, &f.collection_error);
			f.tags = FIELD_PRESENT;
			break;
		case KEY_REASON:
			rc = reason_field(col, c, &f);
			break;
		case KEY_LOCATION:
		case KEY_FILE_NAME:
			if (col->messages) {
				rc = which == KEY_LOCATION ?
				    location_field(col, c, &f) :
				    file_name_field(col, c, &f);
				break;
			}
			/* FALLTHROUGH */
		case KEY_EXPANDED:
			if (which == KEY_EXPANDED &&
			    (col->messages || col->runs)) {
				rc = expanded_field(col, c, &f);
				break;
			}
			/* FALLTHROUGH */
		case KEY_HISTORY:
			if (which == KEY_HISTORY) {
				rc = col->runs ? history_field(col, c, &f) :
				    skip_history(col->s);
				break;
			}
			/* FALLTHROUGH */
		default:
			/* id, location, file_name: mostly plain strings. */
			if (c == '"' && scan_plain_string(col->s, &text, &len))
				rc = 0;
			else
				rc = scan_skip_value(col->s);
			break;
		}
		if (rc == -1)
			return -1;
		scan_key(col->s, NULL, 0);
		if ((which == KEY_SCOPE || which == KEY_NAME) &&
		    hash_early(col, &f) == -1)
			return -1;
		if ((more = scan_next_member(col->s, &c)) == -1)
			return -1;
		if (!more)
			break;
	}
done:
	f.scope_text = col->scope.data;
	f.scope_len = f.scope == FIELD_PRESENT ? col->scope.len : 0;
	f.name_text = col->name.data;
	f.name_len = f.name == FIELD_PRESENT ? col->name.len : 0;
	f.result_text = col->result.data;
	f.result_len = f.result == FIELD_PRESENT ? col->result.len : 0;
	f.reason_text = col->reason.data;
	f.reason_len = col->reason.len;
	if (col->runs) {
		f.duration = run_text_of(col->duration.data,
		    col->duration.len, col->duration_cut);
		f.reason = run_text_of(col->reason.data,
		    col->reason.len, col->reason_cut);
		f.expanded = run_text_of(col->expanded.data,
		    col->expanded.len, col->expanded_cut);
	}
	col->err->offset = col->s->base + col->s->pos;
	*status = record_check(&f, &col->nodeid, &rec, col->err);
	if (*status == REPORT_READ_OK)
		*status = record_count(col->tally, &rec);
	if (*status != REPORT_READ_OK) {
		col->s->failed = 1;
		return -1;
	}
	return 0;
}

/* At the '[' of the array of records: read to the end of input. */
enum report_status
collector_read(struct scanner *s, struct reading *rd)
{
	struct collector col;
	enum report_status status = REPORT_READ_BAD;
	uint64_t index = 0;
	int c;

	memset(&col, 0, sizeof(col));
	col.s = s;
	col.tally = rd->tally;
	col.err = &rd->err;
	col.messages = rd->messages;
	col.runs = rd->runs;
	strbuf_init(&col.scope);
	strbuf_init(&col.name);
	strbuf_init(&col.result);
	strbuf_init(&col.reason);
	strbuf_init(&col.location);
	strbuf_init(&col.key);
	strbuf_init(&col.tagkey);
	strbuf_init(&col.tagval);
	strbuf_init(&col.nodeid);
	strbuf_init(&col.file_name);
	strbuf_init(&col.backtrace);
	site_trace_init(&col.trace);
	if (s->src->size > 0)
		tally_expect(rd->tally, (uint64_t)s->src->size / RECORD_BYTES_MIN);
	if (scan_push(s, 0) == -1)
		goto out;
	s->pos++;
	c = scan_skip_ws(s);
	if (c == ']')
		s->pos++;
	else {
		for (;;) {
			rd->err.record = index;
			if (c != '{') {
				if (c == -1)
					scan_truncated(s, "early");
				else if (c == ']' && index > 0)
					scan_fail(s, "a ',' before ']'");
				else
					scan_fail(s, "the element is not an object");
				goto out;
			}
			if (read_record(&col, &status) == -1)
				goto out;
			index++;
			c = scan_skip_ws(s);
			if (c == ',') {
				s->pos++;
				c = scan_skip_ws(s);
				continue;
			}
			if (c == ']') {
				s->pos++;
				break;
			}
			scan_unexpected(s, c, "',' or ']'");
			goto out;
		}
	}
	rd->err.record = REPORT_NO_RECORD;
	c = scan_skip_ws(s);
	if (c != -1)
		scan_unexpected(s, c, "the end of the report");
	else
		status = REPORT_READ_OK;
out:
	strbuf_free(&col.scope);
	strbuf_free(&col.name);
	strbuf_free(&col.result);
	strbuf_free(&col.reason);
	strbuf_free(&col.location);
	strbuf_free(&col.key);
	strbuf_free(&col.tagkey);
	strbuf_free(&col.tagval);
	strbuf_free(&col.nodeid);
	strbuf_free(&col.file_name);
	strbuf_free(&col.backtrace);
	site_trace_free(&col.trace);
	strbuf_free(&col.duration);
	strbuf_free(&col.expanded);
	strbuf_free(&col.element);
	strbuf_free(&col.subkey);
	if (s->ioerr)
		return REPORT_READ_IOERR;
	if (status != REPORT_READ_OK && status != REPORT_READ_BAD)
		return status;
	return s->failed ? REPORT_READ_BAD : status;
}
