/*
 * record.c: what a collector record means, and a reading's fault
 * (record.h).
 */
#include <inttypes.h>
#include <stdio.h>
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

enum report_status
record_count(struct tally *t, const struct record *rec)
{
	uint64_t hash = rec->hash != 0 ? rec->hash :
	    tally_hash_id(t, rec->id, rec->len);

	return report_status_of(tally_record_hashed(t, hash, rec->id,
	    rec->len, rec->outcome, rec->collection_error, &rec->detail));
}
