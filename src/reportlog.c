/*
 * reportlog.c: the fast reader of pytest-reportlog's log (pytest
 * --report-log).
 *
 * One JSON object per line, each ended by a line feed.  A line's keys
 * come in any order ($report_type is written last), so the few that
 * decide are copied as they pass and handed to logstate_line() when the
 * line closes; everything else (keywords, sections, most of a traceback)
 * is skipped while its syntax is checked.  longrepr is read too, for the
 * reason of a collection error; when messages are wanted, location and
 * the path and line of each traceback entry, for the place where the
 * failure passed through the test's own file (record.h); when runs are
 * kept (for JUnit), what a run shows (logstate.h): duration, sections,
 * wasxfail, longrepr whole, with its reprtraceback and a skip's list.
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
	LKEY_EXITSTATUS, LKEY_LONGREPR, LKEY_LOCATION, LKEY_DURATION,
	LKEY_SECTIONS, LKEY_WASXFAIL
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
	[LKEY_DURATION] = { "duration", 8 },
	[LKEY_SECTIONS] = { "sections", 8 },
	[LKEY_WASXFAIL] = { "wasxfail", 8 },
};

/* What a line says for JUnit, as its keys go by (logstate.h): each
 * text with its cut flag, and the parts of a traceback being read. */
struct linerun {
	int has_duration, dur_cut;
	enum longrepr_kind longrepr;
	int has_crash, crash_cut;	/* crash: the reader's message */
	int text_cut;
	int entries_cut, entry_cut, lines_cut, extra_cut, has_extra;
	int is_short, after_short;	/* this entry's style, the last's */
	size_t nentries, nlines;
	struct log_place place;
	int path_cut, msg_cut;
	int has_skip_path, skip_path_cut, skip_line_known, has_skip_reason;
	int skip_reason_cut;
	uint64_t skip_line;
	int has_xfail, xfail_cut;
	int has_sections, sec_known, sec_err;
	enum log_phase sec_phase;
	int out_cut[LOG_PHASES], err_cut[LOG_PHASES];
	struct strbuf dur, text, entries, entry, lines, extra, place_path;
	struct strbuf place_msg, skip_path, skip_reason, xfail, secname, style;
	struct strbuf out[LOG_PHASES], err[LOG_PHASES];
};

struct logreader {
	struct scanner *s;
	struct logstate state;
	int messages;
	int runs;		/* read what JUnit shows too */
	struct strbuf type, nodeid, when, outcome, key, message, path;
	struct strbuf location;
	struct strbuf subkey;	/* a key inside longrepr */
	struct site_trace trace;	/* the last longrepr's entries */
	struct linerun r;
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
		switch (text[0]) {
		case 'l':
			k = text[2] == 'n' ? LKEY_LONGREPR : LKEY_LOCATION;
			break;
		case 'd':
			k = LKEY_DURATION;
			break;
		case 's':
			k = LKEY_SECTIONS;
			break;
		default:
			k = LKEY_WASXFAIL;
			break;
		}
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
	struct sink k = { &lr->subkey, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
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
			lr->r.has_crash = 0;
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
			/* Runs: the message whole, its first line the
			 * detail's. */
			if (scan_string_value(lr->s, &lr->message, lr->runs ?
			    TALLY_RUN_MESSAGE_KEEP : TALLY_MESSAGE_KEEP,
			    !lr->runs, &overflow) == -1)
				return -1;
			l->detail.message = lr->message.data;
			l->detail.message_len = lr->message.len;
			lr->r.has_crash = 1;
			lr->r.crash_cut = overflow;
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/*
 * longrepr's reprtraceback: reprentries and extraline, an entry's data,
 * its lines and its place (data.reprfileloc).  When messages are wanted
 * each entry's path and line go into the trace (record.h); for JUnit the
 * parts make the traceback's text (logstate.h).  Each part is composed
 * when its object closes, from the last of each key, as json-c keeps it.
 */
static int
place_member(void *arg, int which, int c)
{
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;

	switch (which) {
	case 1:
		r->place.has_path = 0;
		if (c != '"')
			break;
		strbuf_reset(&r->place_path);
		r->path_cut = 0;
		r->place.has_path = 1;
		return scan_string_into(lr->s, &r->place_path,
		    TALLY_RUN_TEXT_KEEP, &r->path_cut);
	case 2:
		return line_number(lr, c, &r->place.line,
		    &r->place.line_known);
	case 3:
		r->place.has_message = 0;
		if (c != '"' || !lr->runs)
			break;
		strbuf_reset(&r->place_msg);
		r->msg_cut = 0;
		r->place.has_message = 1;
		return scan_string_into(lr->s, &r->place_msg,
		    TALLY_RUN_TEXT_KEEP, &r->msg_cut);
	}
	return scan_skip_value(lr->s);
}

static int
line_element(void *arg, size_t index, int c)
{
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;

	(void)index;
	if (c != '"' || !lr->runs)
		return scan_skip_value(lr->s);
	if (r->nlines++ > 0 && strbuf_append_capped(&r->lines,
	    TALLY_RUN_TEXT_KEEP, "\n", 1, &r->lines_cut) == -1)
		return scan_nomem(lr->s);
	return scan_string_into(lr->s, &r->lines, TALLY_RUN_TEXT_KEEP,
	    &r->lines_cut);
}

static struct run_text
text_of(const struct strbuf *sb, int cut)
{
	struct run_text x;

	x.s = sb->data != NULL ? sb->data : "";
	x.len = sb->len;
	x.cut = cut;
	return x;
}

static int
data_member(void *arg, int which, int c)
{
	static const char *const names[] = { "path", "lineno", "message",
	    NULL };
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;
	int overflow;

	if (which == 3) {
		r->is_short = 0;
		if (c != '"' || !lr->runs)
			return scan_skip_value(lr->s);
		if (scan_string_value(lr->s, &r->style, 8, 0, &overflow) == -1)
			return -1;
		r->is_short = !overflow && r->style.len == 5 &&
		    memcmp(r->style.data, "short", 5) == 0;
		return 0;
	}
	if (which == 1) {
		strbuf_reset(&r->lines);
		r->lines_cut = 0;
		r->nlines = 0;
		if (c == '[')
			return scan_walk_array(lr->s, line_element, lr);
	} else if (which == 2) {
		r->place.has_path = r->place.line_known = 0;
		r->place.has_message = 0;
		if (c == '{')
			return scan_walk_object(lr->s, &lr->subkey, names,
			    place_member, lr);
	}
	return scan_skip_value(lr->s);
}

static int
entry_member(void *arg, int which, int c)
{
	static const char *const names[] = { "lines", "reprfileloc", "style",
	    NULL };
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;
	struct run_text lines;

	if (which != 1)
		return scan_skip_value(lr->s);
	strbuf_reset(&r->entry);
	r->entry_cut = r->is_short = 0;
	memset(&r->place, 0, sizeof(r->place));
	if (c != '{')
		return scan_skip_value(lr->s);
	strbuf_reset(&r->lines);
	r->lines_cut = 0;
	r->nlines = 0;
	if (scan_walk_object(lr->s, &lr->subkey, names, data_member, lr) == -1)
		return -1;
	if (!lr->runs)
		return 0;
	lines = text_of(&r->lines, r->lines_cut);
	r->place.path = text_of(&r->place_path, r->path_cut);
	r->place.message = text_of(&r->place_msg, r->msg_cut);
	if (logstate_entry(&r->entry, &r->entry_cut, &lines, &r->place,
	    r->is_short) == -1)
		return scan_nomem(lr->s);
	return 0;
}

static int
entry_element(void *arg, size_t index, int c)
{
	static const char *const names[] = { "data", NULL };
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;
	struct run_text entry;

	(void)index;
	if (c != '{')
		return scan_skip_value(lr->s);
	strbuf_reset(&r->entry);
	r->entry_cut = r->is_short = 0;
	memset(&r->place, 0, sizeof(r->place));
	if (scan_walk_object(lr->s, &lr->subkey, names, entry_member, lr) ==
	    -1)
		return -1;
	/* Messages: an entry with a path and a line goes into the trace
	 * (record.h), a path longer than any kept naming none. */
	if (lr->messages && r->place.has_path && !r->path_cut &&
	    r->place_path.len > 0 && r->place_path.len <= TALLY_PATH_KEEP &&
	    site_trace_add(&lr->trace, r->place_path.data, r->place_path.len,
	    r->place.line_known ? r->place.line : 0) == -1)
		return scan_nomem(lr->s);
	if (!lr->runs)
		return 0;
	entry = text_of(&r->entry, r->entry_cut);
	if (logstate_entries_add(&r->entries, &r->entries_cut,
	    r->nentries++ == 0, r->after_short, &entry) == -1)
		return scan_nomem(lr->s);
	r->after_short = r->is_short;
	return 0;
}

static int
traceback_member(void *arg, int which, int c)
{
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;

	if (which == 1) {
		strbuf_reset(&r->entries);
		r->entries_cut = r->after_short = 0;
		r->nentries = 0;
		site_trace_reset(&lr->trace);
		if (c == '[')
			return scan_walk_array(lr->s, entry_element, lr);
	} else if (which == 2) {
		r->has_extra = 0;
		if (c == '"' && lr->runs) {
			strbuf_reset(&r->extra);
			r->extra_cut = 0;
			r->has_extra = 1;
			return scan_string_into(lr->s, &r->extra,
			    TALLY_RUN_TEXT_KEEP, &r->extra_cut);
		}
	}
	return scan_skip_value(lr->s);
}

/* reprtraceback: its text, composed when it closes. */
static int
traceback_field(struct logreader *lr, int c)
{
	static const char *const names[] = { "reprentries", "extraline",
	    NULL };
	struct linerun *r = &lr->r;
	struct run_text entries, extra;

	strbuf_reset(&r->text);
	r->text_cut = 0;
	site_trace_reset(&lr->trace);
	if (c != '{')
		return scan_skip_value(lr->s);
	strbuf_reset(&r->entries);
	r->entries_cut = r->has_extra = r->after_short = 0;
	r->nentries = 0;
	if (scan_walk_object(lr->s, &lr->subkey, names, traceback_member,
	    lr) == -1)
		return -1;
	if (!lr->runs)
		return 0;
	entries = text_of(&r->entries, r->entries_cut);
	extra = text_of(&r->extra, r->extra_cut);
	if (logstate_traceback(&r->text, &r->text_cut, &entries,
	    r->has_extra ? &extra : NULL) == -1)
		return scan_nomem(lr->s);
	return 0;
}

/* A skip's longrepr: [path, lineno, reason]. */
static int
skip_element(void *arg, size_t index, int c)
{
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;

	if (index == 0 && c == '"') {
		r->has_skip_path = 1;
		return scan_string_into(lr->s, &r->skip_path,
		    TALLY_RUN_TEXT_KEEP, &r->skip_path_cut);
	}
	if (index == 1)
		return line_number(lr, c, &r->skip_line, &r->skip_line_known);
	if (index == 2 && c == '"') {
		r->has_skip_reason = 1;
		return scan_string_into(lr->s, &r->skip_reason,
		    TALLY_RUN_TEXT_KEEP, &r->skip_reason_cut);
	}
	return scan_skip_value(lr->s);
}

/* longrepr forgotten: another one follows, and the last counts. */
static void
longrepr_reset(struct logreader *lr, struct log_line *l)
{
	struct linerun *r = &lr->r;

	memset(&l->detail, 0, sizeof(l->detail));
	site_trace_reset(&lr->trace);
	r->longrepr = LONGREPR_OTHER;
	r->has_crash = r->crash_cut = 0;
	strbuf_reset(&r->text);
	r->text_cut = 0;
	r->has_skip_path = r->skip_path_cut = r->skip_line_known = 0;
	r->has_skip_reason = r->skip_reason_cut = 0;
	strbuf_reset(&r->skip_path);
	strbuf_reset(&r->skip_reason);
}

/*
 * longrepr: a string (its last line that is not empty; for JUnit also
 * whole), an object with a reprcrash (and, when messages or runs are
 * wanted, a reprtraceback), a skip's list (for JUnit), or anything else
 * (skipped).  Each longrepr, and each reprcrash or reprtraceback in it,
 * replaces what an earlier one said: the last counts.
 */
static int
longrepr_field(struct logreader *lr, int c, struct log_line *l)
{
	static const char *const names[] = { "reprcrash", "reprtraceback",
	    NULL };
	struct sink whole = { &lr->r.text, TALLY_RUN_TEXT_KEEP, 0, 0, 0, 0,
	    0, NULL };
	struct sink last = { &lr->message, TALLY_MESSAGE_KEEP, 0, 0, 0, 1, 0,
	    NULL };
	int more, which;

	longrepr_reset(lr, l);
	if (c == '"') {
		strbuf_reset(&lr->message);
		if (lr->runs) {
			lr->r.longrepr = LONGREPR_STRING;
			last.tee = &whole;
		}
		if (scan_string(lr->s, &last) == -1)
			return -1;
		l->detail.message = lr->message.data;
		l->detail.message_len = lr->message.len;
		lr->r.text_cut = whole.overflow;
		return 0;
	}
	if (c == '[' && lr->runs) {
		lr->r.longrepr = LONGREPR_LIST;
		return scan_walk_array(lr->s, skip_element, lr);
	}
	if (c != '{')
		return scan_skip_value(lr->s);
	lr->r.longrepr = LONGREPR_OBJECT;
	if ((more = scan_open_object(lr->s, &c)) != 0)
		return more == 1 ? 0 : -1;
	for (;;) {
		if (subkey(lr, c, names, &which) == -1)
			return -1;
		c = scan_peek(lr->s);
		if (which == 1) {
			memset(&l->detail, 0, sizeof(l->detail));
			lr->r.has_crash = 0;
		}
		if (which == 1 && c == '{') {
			if (reprcrash_field(lr, l) == -1)
				return -1;
		} else if (which == 2 && (lr->runs || lr->messages)) {
			if (traceback_field(lr, c) == -1)
				return -1;
		} else if (scan_skip_value(lr->s) == -1)
			return -1;
		if ((more = scan_next_member(lr->s, &c)) != 1)
			return more;
	}
}

/* duration: a number's text as it stands, or none. */
static int
duration_field(struct logreader *lr, int c)
{
	struct linerun *r = &lr->r;
	int rc = scan_number_text(lr->s, c, &r->dur, REPORT_NUMBER_KEEP,
	    &r->dur_cut);

	r->has_duration = rc == 1;
	return rc == -1 ? -1 : 0;
}

/* A section: [name, content]; the content kept when the name is one of
 * logstate_section()'s. */
static int
section_part(void *arg, size_t index, int c)
{
	struct logreader *lr = arg;
	struct linerun *r = &lr->r;
	int overflow;

	if (index == 0) {
		r->sec_known = 0;
		if (c != '"')
			return scan_skip_value(lr->s);
		if (scan_string_value(lr->s, &r->secname, SCAN_KEY_KEEP, 0,
		    &overflow) == -1)
			return -1;
		r->sec_known = !overflow && logstate_section(r->secname.data !=
		    NULL ? r->secname.data : "", r->secname.len, &r->sec_err,
		    &r->sec_phase);
		return 0;
	}
	if (index == 1 && c == '"' && r->sec_known)
		return scan_string_into(lr->s, r->sec_err ?
		    &r->err[r->sec_phase] : &r->out[r->sec_phase],
		    TALLY_RUN_OUTPUT_KEEP, r->sec_err ?
		    &r->err_cut[r->sec_phase] : &r->out_cut[r->sec_phase]);
	return scan_skip_value(lr->s);
}

static int
section_element(void *arg, size_t index, int c)
{
	struct logreader *lr = arg;

	(void)index;
	lr->r.sec_known = 0;
	if (c != '[')
		return scan_skip_value(lr->s);
	return scan_walk_array(lr->s, section_part, lr);
}

static int
sections_field(struct logreader *lr, int c)
{
	struct linerun *r = &lr->r;
	int i;

	for (i = 0; i < LOG_PHASES; i++) {
		strbuf_reset(&r->out[i]);
		strbuf_reset(&r->err[i]);
		r->out_cut[i] = r->err_cut[i] = 0;
	}
	r->has_sections = 1;
	if (c != '[')
		return scan_skip_value(lr->s);
	return scan_walk_array(lr->s, section_element, lr);
}

static int
wasxfail_field(struct logreader *lr, int c)
{
	struct linerun *r = &lr->r;

	r->has_xfail = 0;
	if (c != '"')
		return scan_skip_value(lr->s);
	strbuf_reset(&r->xfail);
	r->xfail_cut = 0;
	r->has_xfail = 1;
	return scan_string_into(lr->s, &r->xfail, TALLY_RUN_MESSAGE_KEEP,
	    &r->xfail_cut);
}

/* Runs: what the line said, for logstate. */
static void
line_run(struct logreader *lr, struct log_line *l)
{
	struct linerun *r = &lr->r;
	struct log_run *x = &l->run;
	int i;

	x->has_duration = r->has_duration;
	x->duration = text_of(&r->dur, r->dur_cut);
	x->longrepr = r->longrepr;
	x->has_crash = r->has_crash;
	x->crash = text_of(&lr->message, r->crash_cut);
	x->text = text_of(&r->text, r->text_cut);
	x->has_skip_path = r->has_skip_path;
	x->skip_path = text_of(&r->skip_path, r->skip_path_cut);
	x->skip_line_known = r->skip_line_known;
	x->skip_line = r->skip_line;
	x->has_skip_reason = r->has_skip_reason;
	x->skip_reason = text_of(&r->skip_reason, r->skip_reason_cut);
	x->has_xfail = r->has_xfail;
	x->xfail = text_of(&r->xfail, r->xfail_cut);
	for (i = 0; i < LOG_PHASES; i++) {
		x->out[i] = text_of(&r->out[i], r->out_cut[i]);
		x->err[i] = text_of(&r->err[i], r->err_cut[i]);
		if (!r->has_sections)
			x->out[i].len = x->err[i].len = 0;
		if (!r->has_sections)
			x->out[i].cut = x->err[i].cut = 0;
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
	struct sink key = { &lr->key, SCAN_KEY_KEEP, 0, 0, 0, 0, 0, NULL };
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
	if (lr->runs) {
		longrepr_reset(lr, l);
		lr->r.has_duration = lr->r.has_xfail = lr->r.has_sections = 0;
	}
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
		if (which >= LKEY_TYPE && which <= LKEY_EXITSTATUS) {
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
		case LKEY_DURATION:
			rc = lr->runs ? duration_field(lr, c) :
			    scan_skip_value(s);
			break;
		case LKEY_SECTIONS:
			rc = lr->runs ? sections_field(lr, c) :
			    scan_skip_value(s);
			break;
		case LKEY_WASXFAIL:
			if (lr->runs) {
				rc = wasxfail_field(lr, c);
				break;
			}
			/* FALLTHROUGH */
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
	if (lr->runs)
		line_run(lr, l);
	return 0;
}

static void
linerun_free(struct linerun *r)
{
	int i;

	strbuf_free(&r->dur);
	strbuf_free(&r->text);
	strbuf_free(&r->entries);
	strbuf_free(&r->entry);
	strbuf_free(&r->lines);
	strbuf_free(&r->extra);
	strbuf_free(&r->place_path);
	strbuf_free(&r->place_msg);
	strbuf_free(&r->skip_path);
	strbuf_free(&r->skip_reason);
	strbuf_free(&r->xfail);
	strbuf_free(&r->secname);
	strbuf_free(&r->style);
	for (i = 0; i < LOG_PHASES; i++) {
		strbuf_free(&r->out[i]);
		strbuf_free(&r->err[i]);
	}
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
	lr.runs = rd->runs;
	strbuf_init(&lr.type);
	strbuf_init(&lr.nodeid);
	strbuf_init(&lr.when);
	strbuf_init(&lr.outcome);
	strbuf_init(&lr.key);
	strbuf_init(&lr.message);
	strbuf_init(&lr.path);
	strbuf_init(&lr.location);
	strbuf_init(&lr.subkey);
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
	site_trace_free(&lr.trace);
	linerun_free(&lr.r);
	if (s->ioerr)
		return REPORT_READ_IOERR;
	if (status != REPORT_READ_OK && status != REPORT_READ_BAD)
		return status;
	return s->failed ? REPORT_READ_BAD : status;
}
