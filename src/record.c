/*
 * record.c: what a collector record means, and a reading's fault
 * (record.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodeid.h"
#include "record.h"

int
report_error_format(const struct report_error *err, struct strbuf *out)
{
	int rc;

	rc = strbuf_printf(out, "at byte %" PRIu64, err->offset);
	if (rc == 0 && err->record != REPORT_NO_RECORD) {
		rc = strbuf_printf(out, " (%s %" PRIu64, err->line ? "line" :
		    "record", err->record);
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

enum report_status
report_status_of(enum tally_status st)
{
	switch (st) {
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

static enum report_status
bad_record(struct report_error *err, const char *key, const char *what)
{
	report_error_key(err, key, strlen(key));
	snprintf(err->what, sizeof(err->what), "%s", what);
	return REPORT_READ_BAD;
}

/* Constant lengths, so that each comparison is inline: it runs for every
 * record. */
static enum outcome
outcome_of(const char *result, size_t len)
{
	if (len == 6 && memcmp(result, "passed", 6) == 0)
		return OUTCOME_PASSED;
	if (len == 6 && memcmp(result, "failed", 6) == 0)
		return OUTCOME_FAILED;
	if (len == 7 && memcmp(result, "skipped", 7) == 0)
		return OUTCOME_SKIPPED;
	return OUTCOME_UNKNOWN;
}

/*
 * The collector's location, "path:line" with pytest's 0-based line: the
 * path, and the line counted from 1.  Anything else leaves both unknown.
 */
static void
location_of(const char *text, size_t len, struct failure_detail *d)
{
	uint64_t line = 0;
	size_t colon, i;

	if (text == NULL || len == 0)
		return;
	for (colon = len; colon > 0 && text[colon - 1] != ':'; colon--)
		;
	if (colon < 2 || colon == len || len - colon > 9)
		return;
	for (i = colon; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return;
		line = line * 10 + (uint64_t)(text[i] - '0');
	}
	d->path = text;
	d->path_len = colon - 1;
	d->line = line + 1;
}

/* An entry's header in a site_trace: its line, then its path's length,
 * 16 bytes on every machine, so that both readers and every build count
 * SITE_TRACE_KEEP alike. */
#define ENTRY_HEAD	16

void
site_trace_init(struct site_trace *t)
{
	strbuf_init(&t->buf);
	t->overflow = 0;
}

void
site_trace_free(struct site_trace *t)
{
	strbuf_free(&t->buf);
	t->overflow = 0;
}

void
site_trace_reset(struct site_trace *t)
{
	strbuf_reset(&t->buf);
	t->overflow = 0;
}

void
site_trace_mark(const struct site_trace *t, size_t *len, int *overflow)
{
	*len = t->buf.len;
	*overflow = t->overflow;
}

void
site_trace_restore(struct site_trace *t, size_t len, int overflow)
{
	t->buf.len = len;
	if (t->buf.data != NULL)
		t->buf.data[len] = '\0';
	t->overflow = overflow;
}

int
site_trace_add(struct site_trace *t, const char *path, size_t len,
    uint64_t line)
{
	uint64_t head[2];

	if (t->overflow || len == 0 || len > TALLY_PATH_KEEP || line == 0)
		return 0;
	if (t->buf.len + ENTRY_HEAD + len > SITE_TRACE_KEEP) {
		t->overflow = 1;
		return 0;
	}
	head[0] = line;
	head[1] = len;
	if (strbuf_append(&t->buf, head, sizeof(head)) == -1 ||
	    strbuf_append(&t->buf, path, len) == -1)
		return -1;
	return 0;
}

int
site_trace_add_text(struct site_trace *t, const char *text, size_t avail,
    int whole)
{
	uint64_t line;
	size_t i, j;

	for (i = 1; i < avail && text[i] != '\n' && text[i] != '\r'; i++) {
		if (text[i] != ':')
			continue;
		line = 0;
		for (j = i + 1; j < avail && j - i <= 9 && text[j] >= '0' &&
		    text[j] <= '9'; j++)
			line = line * 10 + (uint64_t)(text[j] - '0');
		if (j == i + 1 || j == avail || text[j] != ':')
			continue;
		if (j + 1 == avail ? !whole : text[j + 1] != ' ')
			continue;
		return site_trace_add(t, text, i, line);
	}
	return 0;
}

/*
 * Whether a traceback's path names the test's file: the same text; or a
 * path that ends in "/" and the file (absolute, or pytest ran above the
 * rootdir); or a relative path that does not climb out with "../" and
 * that the file ends in, after a '/' (pytest ran below the rootdir, the
 * traceback's paths being relative to where it ran).
 */
static int
names_file(const char *path, size_t len, const char *file, size_t flen)
{
	if (len == flen)
		return memcmp(path, file, len) == 0;
	if (len > flen)
		return path[len - flen - 1] == '/' &&
		    memcmp(path + len - flen, file, flen) == 0;
	return path[0] != '/' && !(len >= 3 && memcmp(path, "../", 3) == 0) &&
	    file[flen - len - 1] == '/' &&
	    memcmp(file + flen - len, path, len) == 0;
}

void
failure_site(struct failure_detail *d, const char *file, size_t file_len,
    uint64_t def_line, const struct site_trace *t, const char *crash,
    size_t crash_len, uint64_t crash_line)
{
	const char *p, *end, *path = NULL;
	uint64_t head[2], entry_line = 0;
	size_t len, path_len = 0;
	int crash_in;

	d->site_path = NULL;
	d->site_path_len = 0;
	d->site_line = 0;
	if (file == NULL || file_len == 0)
		return;
	if (t != NULL && !t->overflow && t->buf.len > 0) {
		p = t->buf.data;
		end = p + t->buf.len;
		while (p < end) {
			memcpy(head, p, sizeof(head));
			len = (size_t)head[1];
			p += ENTRY_HEAD;
			if (names_file(p, len, file, file_len)) {
				path = p;
				path_len = len;
				entry_line = head[0];
			}
			p += len;
		}
	}
	crash_in = crash != NULL && crash_len > 0 &&
	    names_file(crash, crash_len, file, file_len);
	d->site_path = crash_in ? crash : path != NULL ? path : file;
	d->site_path_len = crash_in ? crash_len : path != NULL ? path_len :
	    file_len;
	d->site_line = path != NULL ? entry_line :
	    crash_in && crash_line > 0 ? crash_line : def_line;
}

enum report_status
record_check(const struct record_fields *f, struct strbuf *nodeid,
    struct record *rec, struct report_error *err)
{
	char what[80];

	if (f->scope == FIELD_ABSENT)
		return bad_record(err, "scope", "scope is missing");
	if (f->scope != FIELD_PRESENT)
		return bad_record(err, "scope", "scope is not a string");
	if (f->name == FIELD_ABSENT)
		return bad_record(err, "name", "name is missing");
	if (f->name != FIELD_PRESENT)
		return bad_record(err, "name", "name is not a string");
	if (f->name_len == 0)
		return bad_record(err, "name", "name is empty");
	if (f->result != FIELD_ABSENT && f->result != FIELD_PRESENT &&
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
	if (f->nodeid_hash == 0 && nodeid_join(nodeid, f->scope_text,
	    f->scope_len, f->name_text, f->name_len) == -1)
		return REPORT_READ_NOMEM;
	memset(rec, 0, sizeof(*rec));
	rec->id = nodeid->data;
	rec->len = nodeid->len;
	rec->hash = f->nodeid_hash;
	rec->outcome = f->result == FIELD_PRESENT ?
	    outcome_of(f->result_text, f->result_len) : OUTCOME_UNKNOWN;
	rec->collection_error = f->collection_error;
	rec->fields = f;
	rec->detail.message = f->reason_text;
	rec->detail.message_len = f->reason_len;
	location_of(f->location_text, f->location_len, &rec->detail);
	/* The test's file: location's, else file_name; both relative to
	 * where pytest ran, as the backtrace's paths are. */
	if (rec->detail.path != NULL)
		failure_site(&rec->detail, rec->detail.path,
		    rec->detail.path_len, rec->detail.line, f->trace, NULL, 0,
		    0);
	else if (f->file_name_text != NULL)
		failure_site(&rec->detail, f->file_name_text,
		    f->file_name_len, 0, f->trace, NULL, 0, 0);
	return REPORT_READ_OK;
}

/*
 * The usual number, digits with a fraction and no exponent (Python's
 * repr of a duration), by hand: its first 19 digits over a power of ten,
 * within an ulp of strtod's.  -1 for any other, which strtod reads.
 */
static double
plain_seconds(const char *s, size_t len)
{
	static const double tens[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	uint64_t m = 0;
	size_t i, digits = 0, point = len, scale = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '.' && point == len) {
			point = i;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (digits == 0 && s[i] == '0')
			scale += point != len;	/* leading zeros */
		else if (digits < 19) {
			m = m * 10 + (uint64_t)(s[i] - '0');
			digits++;
			scale += point != len;
		} else if (point == len)
			return -1;	/* too big to be a duration */
	}
	if (scale > 22)
		return -1;
	return (double)m / tens[scale];
}

double
report_seconds(const struct run_text *x)
{
	char buf[REPORT_NUMBER_KEEP + 1];
	double v;

	if (x->cut || x->len == 0 || x->len > REPORT_NUMBER_KEEP)
		return 0;
	if ((v = plain_seconds(x->s, x->len)) < 0) {
		memcpy(buf, x->s, x->len);
		buf[x->len] = '\0';
		v = strtod(buf, NULL);
	}
	return v >= 0 && v <= 1e9 ? v : 0;
}

struct run_text
report_text_cap(const struct run_text *x, size_t cap)
{
	struct run_text out = *x;

	if (out.s == NULL)
		out.s = "";
	if (out.len > cap) {
		out.len = cap;
		out.cut = 1;
	}
	return out;
}

static int
is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int
is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

struct run_text
report_exception_type(const struct run_text *message)
{
	struct run_text type = { "", 0, 0 };
	const char *m = message->s;
	size_t n = message->len, i = 0;

	if (n >= 7 && memcmp(m, "assert ", 7) == 0) {
		type.s = "AssertionError";
		type.len = 14;
		return type;
	}
	for (;;) {
		if (i >= n || !is_name_start((unsigned char)m[i]))
			return type;
		while (i < n && is_name_char((unsigned char)m[i]))
			i++;
		if (i < n && m[i] == '.') {
			i++;
			continue;
		}
		break;
	}
	if (i == n || m[i] == ':') {
		type.s = m;
		type.len = i;
	}
	return type;
}

int
report_text_part(struct strbuf *out, int *cut, size_t cap, int first,
    const char *sep, const char *s, size_t len)
{
	if (!first && strbuf_append_capped(out, cap, sep, strlen(sep), cut) ==
	    -1)
		return -1;
	return strbuf_append_capped(out, cap, s, len, cut);
}

/* A collector's record as a run: what a record can show. */
static void
record_run(const struct record *rec, struct run_record *run)
{
	static const struct run_text none = { "", 0, 0 };
	const struct record_fields *f = rec->fields;
	struct run_text reason = none, message, text;

	memset(run, 0, sizeof(*run));
	if (f == NULL)
		return;
	if (f->has_duration)
		run->time = report_seconds(&f->duration);
	if (f->has_reason)
		reason = report_text_cap(&f->reason, TALLY_RUN_TEXT_KEEP);
	text = f->has_expanded ? report_text_cap(&f->expanded,
	    TALLY_RUN_TEXT_KEEP) : reason;
	message = report_text_cap(&reason, TALLY_RUN_MESSAGE_KEEP);
	switch (rec->outcome) {
	case OUTCOME_FAILED:
		if (rec->collection_error) {
			run->results = RUN_ERROR;
			run->text[RUN_ERROR_MESSAGE].s = "collection failure";
			run->text[RUN_ERROR_MESSAGE].len = 18;
			run->text[RUN_ERROR_TEXT] = text;
			break;
		}
		run->results = RUN_FAILURE;
		run->text[RUN_FAILURE_MESSAGE] = message;
		run->text[RUN_FAILURE_TYPE] = report_exception_type(&message);
		run->text[RUN_FAILURE_TEXT] = text;
		break;
	case OUTCOME_SKIPPED:
		run->results = RUN_SKIPPED;
		break;
	case OUTCOME_UNKNOWN:
		run->results = RUN_ERROR;
		run->text[RUN_ERROR_MESSAGE].s = "no result: the record has "
		    "none that pytriage knows (pytest-rerunfailures and "
		    "--setup-only write none)";
		run->text[RUN_ERROR_MESSAGE].len =
		    strlen(run->text[RUN_ERROR_MESSAGE].s);
		break;
	case OUTCOME_PASSED:
		break;
	}
}

enum report_status
record_count(struct tally *t, const struct record *rec)
{
	uint64_t hash = rec->hash != 0 ? rec->hash :
	    tally_hash_id(t, rec->id, rec->len);
	struct run_record run;

	if (!t->keep_runs)
		return report_status_of(tally_record_hashed(t, hash, rec->id,
		    rec->len, rec->outcome, rec->collection_error,
		    &rec->detail));
	record_run(rec, &run);
	return report_status_of(tally_record_run(t, hash, rec->id, rec->len,
	    rec->outcome, rec->collection_error, &rec->detail, &run));
}
