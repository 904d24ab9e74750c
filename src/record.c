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
