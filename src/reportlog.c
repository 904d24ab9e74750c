/*
 * reportlog.c: the fast reader of pytest-reportlog's log (pytest
 * --report-log).
 *
 * One JSON object per line, each ended by a line feed.  A line's keys
 * come in any order ($report_type is written last), so the few that
 * decide are copied as they pass and handed to logstate_line() when the
 * line closes; everything else (keywords, sections, most of a traceback)
 * is skipped while its syntax is checked.  longrepr is read too, for the
 * reason of a collection error, and when messages are wanted location
 * and the path and line of each traceback entry, for the place where the
 * failure passed through the test's own file (record.h).
 * Blank lines are ignored; a line that is not one whole object, or a last
 * line with no line feed, is a bad report.
 *
 * Beyond JSON: $report_type, nodeid, when, outcome or exitstatus twice in
 * a line is a bad report, as is any of them of the wrong type.  Of any
 * other key given twice, the last one counts, as in json-c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logstate.h"
#include "nodeid.h"
#include "reader.h"
#include "record.h"
#include "scan.h"

#define WORD_KEEP	64	/* longer than any word compared */
#define TEST_BYTES_MIN	512	/* fewer per test in a log: its setup, call and
				 * teardown lines are more */

enum line_key {
	LKEY_OTHER, LKEY_TYPE, LKEY_NODEID, LKEY_WHEN, LKEY_OUTCOME,
	LKEY_EXITSTATUS, LKEY_LONGREPR, LKEY_LOCATION
};

static const struct {
	const char *text;
	size_t len;
} line_keys[] = {
	[LKEY_OTHER] = { "", 0 },
	[LKEY_TYPE] = { "$report_type", 12 },
	[LKEY_NODEID] = { "nodeid", 6 },
	[LKEY_WHEN] = { "when", 4 },
	[LKEY_OUTCOME] = { "outcome", 7 },
	[LKEY_EXITSTATUS] = { "exitstatus", 10 },
	[LKEY_LONGREPR] = { "longrepr", 8 },
	[LKEY_LOCATION] = { "location", 8 },
};

struct logreader {
	struct scanner *s;
	struct logstate state;
	int messages;
	struct strbuf type, nodeid, when, outcome, key, message, path;
	struct strbuf location;
	struct strbuf subkey;	/* a key inside longrepr */
	struct strbuf entry_path;	/* a traceback entry's */
	struct site_trace trace;	/* the last longrepr's entries */
};

static enum line_key
line_key(const char *text, size_t len)
{
	enum line_key k;

	switch (len) {		/* one comparison at most, mostly none */
	case 4:
		k = LKEY_WHEN;
		break;
	case 6:
		k = LKEY_NODEID;
		break;
	case 7:
		k = LKEY_OUTCOME;
		break;
	case 8:
		k = text[2] == 'n' ? LKEY_LONGREPR : LKEY_LOCATION;
		break;
	case 10:
		k = LKEY_EXITSTATUS;
		break;
	case 12:
		k = LKEY_TYPE;
		break;
	default:
		return LKEY_OTHER;
	}
	return memcmp(text, line_keys[k].text, len) == 0 ? k : LKEY_OTHER;
}

/* A string that decides: copied (it must outlive the buffer), or null,
 * or a value of another type, skipped. */
static int
word_field(struct logreader *lr, int c, struct strbuf *out, size_t keep,
    enum field_state *state)
{
	int overflow;

	if (c == '"') {
		*state = FIELD_PRESENT;
		if (scan_string_value(lr->s, out, keep, 0, &overflow) == -1)
			return -1;
		if (overflow && keep == NODEID_MAX)
			return scan_fail(lr->s, "nodeid is longer than %zu bytes",
			    NODEID_MAX);
		return 0;
	}
	if (c == -1)
		return scan_truncated(lr->s, "early");
	*state = c == 'n' ? FIELD_NULL : FIELD_BAD_TYPE;
	return scan_skip_value(lr->s);
}

static int
exitstatus_field(struct logreader *lr, int c, struct log_line *l)
{
	int rc;

	if (c == '-' || (c >= '0' && c <= '9')) {
		/* Another number is of the wrong type, as in the
		 * reference: logstate refuses the line. */
		if ((rc = scan_integer(lr->s, &l->exitstatus_value)) == -1)
			return -1;
		l->exitstatus = rc == 0 ? FIELD_PRESENT : FIELD_BAD_TYPE;
		return 0;
	}
	if (c == -1)
		return scan_truncated(lr->s, "early");
	l->exitstatus = c == 'n' ? FIELD_NULL : FIELD_BAD_TYPE;
	return scan_skip_value(lr->s);
}

/* A line number: an integer from 0 to 18 digits, as the reference takes
 * it (*known); any other value is skipped, and no line number. */
static int
line_number(struct logreader *lr, int c, uint64_t *line, int *known)
{
	int64_t v;
	int rc;

	*line = 0;
	*known = 0;
	if (c != '-' && (c < '0' || c > '9'))
		return scan_skip_value(lr->s);
	if ((rc = scan_integer(lr->s, &v)) == -1)
		return -1;
	if (rc == 0 && v >= 0) {
		*line = (uint64_t)v;
		*known = 1;
	}
	return 0;
}

/*
 * A key inside longrepr: which of these names it is (0 for none).  The
 * key is decoded when it cannot be read plain (escaped, or across a
 * refill), and named before the colon, which may refill the buffer that a
 * plain key points into.
 */
static int
subkey(struct logreader *lr, int c, const char *const *names, int *which)
{
	struct sink k = { &lr->subkey, SCAN_KEY_KEEP, 0, 0, 0, 0, 0 };
	const char *text;
	size_t len;
	int i;

	if (scan_key_text(lr->s, c, &k, &text, &len) == -1)
		return -1;
	*which = 0;
	for (i = 0; names[i] != NULL; i++)
		if (!k.overflow && len == strlen(names[i]) &&
		    memcmp(text, names[i], len) == 0)
			*which = i + 1;
	return scan_key_colon(lr->s);
}

/*
 * longrepr's reprcrash: {"path": absolute, "lineno": 1-based,
 * "message": the exception's line}.  As in JSON read whole, the last of a
 * key given twice is the one that counts, whatever its type: a path or
 * message that is not a string, or an empty path, leaves none.
 */
static int
reprcrash_field(struct logreader *lr, struct log_line *l)
{
	static const char *const names[] = { "path", "lineno", "message",
	    NULL };
	int c, more, overflow, which, known;

	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1) {
			l->detail.path = NULL;
			l->detail.path_len = 0;
		} else if (which == 3) {
			l->detail.message = NULL;
			l->detail.message_len = 0;
		}
		if (which == 1 && c == '"') {
			if (scan_string_value(lr->s, &lr->path,
			    TALLY_PATH_KEEP, 0, &overflow) == -1)
				return -1;
			if (!overflow && lr->path.len > 0) {
				l->detail.path = lr->path.data;
				l->detail.path_len = lr->path.len;
			}
		} else if (which == 2) {
			if (line_number(lr, c, &l->detail.line, &known) == -1)
				return -1;
		} else if (which == 3 && c == '"') {
			if (scan_string_value(lr->s, &lr->message,
			    TALLY_MESSAGE_KEEP, 1, &overflow) == -1)
				return -1;
			l->detail.message = lr->message.data;
			l->detail.message_len = lr->message.len;
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/* A traceback entry's reprfileloc: {"path": relative to where pytest
 * ran (or absolute), "lineno": 1-based, "message"}; of a key given twice
 * the last counts. */
static int
fileloc_field(struct logreader *lr, int *has_path, uint64_t *line)
{
	static const char *const names[] = { "path", "lineno", NULL };
	int c, more, overflow, which, known;

	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1 && c == '"') {
			if (scan_string_value(lr->s, &lr->entry_path,
			    TALLY_PATH_KEEP, 0, &overflow) == -1)
				return -1;
			*has_path = !overflow && lr->entry_path.len > 0;
		} else if (which == 2) {
			if (line_number(lr, c, line, &known) == -1)
				return -1;
		} else {
			if (which == 1)
				*has_path = 0;
			if (scan_skip_value(lr->s) == -1)
				return -1;
		}
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/* One entry of reprentries: {"type", "data": {..., "reprfileloc"}};
 * one with a path and a line goes into the trace.  A ReprEntryNative
 * (--tb=native) has no reprfileloc. */
static int
entry_field(struct logreader *lr)
{
	static const char *const names[] = { "data", NULL };
	static const char *const data_names[] = { "reprfileloc", NULL };
	uint64_t line = 0;
	int c, d, more, dmore, which, has_path = 0;

	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1) {	/* a data given again replaces it */
			has_path = 0;
			line = 0;
		}
		if (which == 1 && c == '{') {
			if ((dmore = scan_open_object(lr->s, &d)) == -1)
				return -1;
			while (dmore == 0) {
				if (subkey(lr, d, data_names, &which) == -1)
					return -1;
				d = scan_peek(lr->s);
				if (which == 1) {
					has_path = 0;
					line = 0;
				}
				if (which == 1 && d == '{') {
					if (fileloc_field(lr, &has_path,
					    &line) == -1)
						return -1;
				} else if (scan_skip_value(lr->s) == -1)
					return -1;
				if ((dmore = scan_next_member(lr->s, &d)) == -1)
					return -1;
				dmore = !dmore;
			}
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) == -1)
			return -1;
		if (more == 0)
			break;
	}
	if (has_path && site_trace_add(&lr->trace, lr->entry_path.data,
	    lr->entry_path.len, line) == -1)
		return scan_nomem(lr->s);
	return 0;
}

/* longrepr's reprtraceback: {"reprentries": [entry, ...], ...}.  A
 * reprentries given again replaces the entries. */
static int
reprtraceback_field(struct logreader *lr)
{
	static const char *const names[] = { "reprentries", NULL };
	int c, e, more, emore, which;

	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1)
			site_trace_reset(&lr->trace);
		if (which == 1 && c == '[') {
			if ((emore = scan_open_array(lr->s, &e)) == -1)
				return -1;
			while (emore == 0) {
				if (e == '{') {
					if (entry_field(lr) == -1)
						return -1;
				} else if (scan_skip_value(lr->s) == -1)
					return -1;
				if ((emore = scan_next_element(lr->s, &e)) ==
				    -1)
					return -1;
				emore = !emore;
			}
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/*
 * longrepr: a string (its last line that is not empty), an object with a
 * reprcrash (and, when messages are wanted, a reprtraceback), or anything
 * else (skipped).  Each longrepr, and each reprcrash or reprtraceback in
 * it, replaces what an earlier one said: the last counts.
 */
static int
longrepr_field(struct logreader *lr, int c, struct log_line *l)
{
	static const char *const names[] = { "reprcrash", "reprtraceback",
	    NULL };
	struct sink last = { &lr->message, TALLY_MESSAGE_KEEP, 0, 0, 0, 1, 0 };
	int more, which;

	memset(&l->detail, 0, sizeof(l->detail));
	site_trace_reset(&lr->trace);
	if (c == '"') {
		strbuf_reset(&lr->message);
		if (scan_string(lr->s, &last) == -1)
			return -1;
		l->detail.message = lr->message.data;
		l->detail.message_len = lr->message.len;
		return 0;
	}
	if (c != '{')
		return scan_skip_value(lr->s);
	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1)
			memset(&l->detail, 0, sizeof(l->detail));
		else if (which == 2)
			site_trace_reset(&lr->trace);
		if (which == 1 && c == '{') {
			if (reprcrash_field(lr, l) == -1)
				return -1;
		} else if (which == 2 && c == '{' && lr->messages) {
			if (reprtraceback_field(lr) == -1)
				return -1;
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/* location: [path relative to the rootdir, 0-based line or null,
 * domain]; kept where longrepr names no place.  A location given again
 * replaces the earlier one. */
static int
location_field(struct logreader *lr, int c, uint64_t *line)
{
	int overflow, index = 0, known;

	strbuf_reset(&lr->location);
	*line = 0;
	if (c != '[')
		return scan_skip_value(lr->s);
	if (scan_push(lr->s, 0) == -1)
		return -1;
	lr->s->pos++;
	c = scan_skip_ws(lr->s);
	if (c == ']') {
		lr->s->pos++;
		lr->s->depth--;
		return 0;
	}
	for (;; index++) {
		if (index == 0 && c == '"') {
			if (scan_string_value(lr->s, &lr->location,
			    TALLY_PATH_KEEP, 0, &overflow) == -1)
				return -1;
			if (overflow)
				strbuf_reset(&lr->location);
		} else if (index == 1) {	/* 0-based */
			if (line_number(lr, c, line, &known) == -1)
				return -1;
			if (known)
				(*line)++;
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		c = scan_skip_ws(lr->s);
		if (c == ']') {
			lr->s->pos++;
			lr->s->depth--;
			return 0;
		}
		if (c != ',')
			return scan_unexpected(lr->s, c, "',' or ']'");
		lr->s->pos++;
		c = scan_skip_ws(lr->s);
	}
}

/* One line's object, from its '{' to its '}', into l: its strings stay
 * in the reader's buffers, valid until the next line is read. */
static int
read_line(struct logreader *lr, struct log_line *l)
{
	struct sink key = { &lr->key, SCAN_KEY_KEEP, 0, 0, 0, 0, 0 };
	struct scanner *s = lr->s;
	enum line_key which;
	const char *text;
	size_t len;
	uint64_t location_line = 0;
	unsigned seen = 0;
	int c, rc, more;

	memset(l, 0, sizeof(*l));
	strbuf_reset(&lr->location);
	site_trace_reset(&lr->trace);
	if ((more = scan_open_object(s, &c)) == -1)
		return -1;
	while (more == 0) {
		/* Most keys are plain: read them inline. */
		if (c == '"' && scan_plain_string(s, &text, &len))
			key.overflow = 0;
		else if (scan_key_text(s, c, &key, &text, &len) == -1)
			return -1;
		which = key.overflow ? LKEY_OTHER : line_key(text, len);
		scan_key(s, text, len);
		if (which != LKEY_OTHER && which != LKEY_LONGREPR &&
		    which != LKEY_LOCATION) {
			if (seen & (1u << which))
				return scan_fail(s, "the key \"%s\" appears twice",
				    line_keys[which].text);
			seen |= 1u << which;
		}
		if (scan_key_colon(s) == -1)
			return -1;
		c = scan_peek(s);
		switch (which) {
		case LKEY_TYPE:
			rc = word_field(lr, c, &lr->type, WORD_KEEP, &l->type);
			break;
		case LKEY_NODEID:
			rc = word_field(lr, c, &lr->nodeid, NODEID_MAX,
			    &l->nodeid);
			/* Its slot is most likely out of cache: ask for it
			 * now, while the rest of the line is read. */
			if (rc == 0 && l->nodeid == FIELD_PRESENT &&
			    lr->nodeid.len > 0)
				l->nodeid_hash = logstate_prefetch(&lr->state,
				    lr->nodeid.data, lr->nodeid.len);
			break;
		case LKEY_WHEN:
			rc = word_field(lr, c, &lr->when, WORD_KEEP, &l->when);
			break;
		case LKEY_OUTCOME:
			rc = word_field(lr, c, &lr->outcome, WORD_KEEP,
			    &l->outcome);
			break;
		case LKEY_EXITSTATUS:
			rc = exitstatus_field(lr, c, l);
			break;
		case LKEY_LONGREPR:	/* a collection error's reason too */
			rc = longrepr_field(lr, c, l);
			break;
		case LKEY_LOCATION:
			rc = lr->messages ? location_field(lr, c,
			    &location_line) : scan_skip_value(s);
			break;
		default:
			if (c == '"' && scan_plain_string(s, &text, &len))
				rc = 0;
			else
				rc = scan_skip_value(s);
			break;
		}
		if (rc == -1)
			return -1;
		scan_key(s, NULL, 0);
		if ((more = scan_next_member(s, &c)) == -1)
			return -1;
		more = !more;
	}
	/* An empty string may have left a buffer unallocated. */
	l->type_text = lr->type.data != NULL ? lr->type.data : "";
	l->type_len = lr->type.len;
	l->nodeid_text = lr->nodeid.data != NULL ? lr->nodeid.data : "";
	l->nodeid_len = l->nodeid == FIELD_PRESENT ? lr->nodeid.len : 0;
	l->when_text = lr->when.data != NULL ? lr->when.data : "";
	l->when_len = l->when == FIELD_PRESENT ? lr->when.len : 0;
	l->outcome_text = lr->outcome.data != NULL ? lr->outcome.data : "";
	l->outcome_len = l->outcome == FIELD_PRESENT ? lr->outcome.len : 0;
	/* Where it passed through the test's file, location[0]: before
	 * location stands in for a missing reprcrash path. */
	if (lr->messages)
		failure_site(&l->detail, lr->location.data, lr->location.len,
		    location_line, &lr->trace, l->detail.path,
		    l->detail.path_len, l->detail.line);
	if (l->detail.path == NULL && lr->location.len > 0) {
		l->detail.path = lr->location.data;
		l->detail.path_len = lr->location.len;
		l->detail.line = location_line;
	}
	return 0;
}

/* At the '{' of the first line: read to the end of input. */
enum report_status
reportlog_read(struct scanner *s, struct reading *rd)
{
	struct logreader lr;
	struct log_line l;
	enum report_status status = REPORT_READ_BAD;
	uint64_t line = 1;
	int c;

	memset(&lr, 0, sizeof(lr));
	lr.s = s;
	lr.messages = rd->messages;
	strbuf_init(&lr.type);
	strbuf_init(&lr.nodeid);
	strbuf_init(&lr.when);
	strbuf_init(&lr.outcome);
	strbuf_init(&lr.key);
	strbuf_init(&lr.message);
	strbuf_init(&lr.path);
	strbuf_init(&lr.location);
	strbuf_init(&lr.subkey);
	strbuf_init(&lr.entry_path);
	site_trace_init(&lr.trace);
	if (logstate_init(&lr.state, rd->tally) == -1) {
		status = REPORT_READ_NOMEM;
		goto out;
	}
	if (s->src->size > 0)
		tally_expect(rd->tally, (uint64_t)s->src->size / TEST_BYTES_MIN);
	s->lines = 1;
	rd->err.line = 1;
	/* Lines before the first object were counted by the caller's
	 * white space: count them again from the buffer start. */
	line += s->newlines;
	for (;;) {
		c = scan_skip_ws(s);
		if (c == '\n') {
			s->pos++;
			line++;
			continue;
		}
		if (c == -1)
			break;
		rd->err.record = line;
		if (c != '{') {
			scan_fail(s, "the line is not a JSON object");
			goto out;
		}
		if (read_line(&lr, &l) == -1)
			goto out;
		c = scan_skip_ws(s);
		if (c == -1) {
			scan_truncated(s, "without a final line feed");
			goto out;
		}
		if (c != '\n') {
			scan_unexpected(s, c, "the end of the line");
			goto out;
		}
		/* Only a whole line means anything, as in the reference
		 * reader: what it says is judged at its line feed. */
		rd->err.offset = s->base + s->pos;
		if ((status = logstate_line(&lr.state, &l, &rd->err)) !=
		    REPORT_READ_OK) {
			s->failed = 1;
			goto out;
		}
	}
	rd->err.record = REPORT_NO_RECORD;
	status = logstate_end(&lr.state, &rd->err);
	rd->finished = lr.state.finished;
	rd->session_status = lr.state.exitstatus;
out:
	logstate_free(&lr.state);
	strbuf_free(&lr.type);
	strbuf_free(&lr.nodeid);
	strbuf_free(&lr.when);
	strbuf_free(&lr.outcome);
	strbuf_free(&lr.key);
	strbuf_free(&lr.message);
	strbuf_free(&lr.path);
	strbuf_free(&lr.location);
	strbuf_free(&lr.subkey);
	strbuf_free(&lr.entry_path);
	site_trace_free(&lr.trace);
	if (s->ioerr)
		return REPORT_READ_IOERR;
	if (status != REPORT_READ_OK && status != REPORT_READ_BAD)
		return status;
	return s->failed ? REPORT_READ_BAD : status;
}
