/*
 * logstate.c: the meaning of a report log's lines (logstate.h).
 *
 * The open attempts are few (one per test running at a time, one per
 * xdist worker), so they live in a small table of their own, and the
 * tally is touched only when a test is first seen (its place in the
 * selectors' order), when a report fails (its text and failure are kept)
 * and when an attempt closes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logstate.h"
#include "nodeid.h"

/* What an open attempt has seen. */
#define SEEN_FAILED	0x01u	/* a report failed */
#define SEEN_SKIPPED	0x02u	/* setup or call skipped */
#define SEEN_PASSED	0x04u	/* the call passed */
#define SEEN_ODD	0x08u	/* an outcome or when word not known here */

#define LAST_ID_MAX	4096	/* longer node IDs are hashed every time */

struct open_attempt {
	uint64_t hash;		/* 0: a free slot */
	size_t off;		/* node ID in open_ids */
	size_t len;
	unsigned seen;
};

enum phase { PHASE_SETUP, PHASE_CALL, PHASE_TEARDOWN, PHASE_CRASH,
	PHASE_OTHER };

enum word { WORD_PASSED, WORD_FAILED, WORD_SKIPPED, WORD_RERUN, WORD_OTHER };

static int
is(const char *text, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(text, word, len) == 0;
}

static enum word
word_of(const char *text, size_t len)
{
	if (is(text, len, "passed"))
		return WORD_PASSED;
	if (is(text, len, "failed"))
		return WORD_FAILED;
	if (is(text, len, "skipped"))
		return WORD_SKIPPED;
	if (is(text, len, "rerun"))
		return WORD_RERUN;
	return WORD_OTHER;
}

static enum phase
phase_of(const char *text, size_t len)
{
	if (is(text, len, "setup"))
		return PHASE_SETUP;
	if (is(text, len, "call"))
		return PHASE_CALL;
	if (is(text, len, "teardown"))
		return PHASE_TEARDOWN;
	if (is(text, len, "???"))	/* xdist: the worker crashed */
		return PHASE_CRASH;
	return PHASE_OTHER;
}

static enum report_status
bad_line(struct report_error *err, const char *key, const char *what)
{
	report_error_key(err, key, strlen(key));
	snprintf(err->what, sizeof(err->what), "%s", what);
	return REPORT_READ_BAD;
}

int
logstate_init(struct logstate *ls, struct tally *t)
{
	memset(ls, 0, sizeof(*ls));
	ls->tally = t;
	strbuf_init(&ls->open_ids);
	strbuf_init(&ls->last_id);
	ls->open_cap = 16;
	ls->open = calloc(ls->open_cap, sizeof(*ls->open));
	return ls->open == NULL ? -1 : 0;
}

void
logstate_free(struct logstate *ls)
{
	free(ls->open);
	strbuf_free(&ls->open_ids);
	strbuf_free(&ls->last_id);
	memset(ls, 0, sizeof(*ls));
}

/* The slot of a hash in the open table: its own, or the free one. */
static size_t
open_slot(const struct logstate *ls, uint64_t hash)
{
	size_t mask = ls->open_cap - 1, i = (size_t)hash & mask;

	while (ls->open[i].hash != 0 && ls->open[i].hash != hash)
		i = (i + 1) & mask;
	return i;
}

static int
open_grow(struct logstate *ls)
{
	struct open_attempt *old = ls->open, *now;
	size_t cap = ls->open_cap * 2, i, oldcap = ls->open_cap;

	if ((now = calloc(cap, sizeof(*now))) == NULL)
		return -1;
	ls->open = now;
	ls->open_cap = cap;
	for (i = 0; i < oldcap; i++)
		if (old[i].hash != 0)
			ls->open[open_slot(ls, old[i].hash)] = old[i];
	free(old);
	return 0;
}

/*
 * Keep the arena of open node IDs in proportion to what is open: empty it
 * when nothing is, copy the live ones out when most of it is dead.
 */
static int
open_compact(struct logstate *ls)
{
	struct strbuf live;
	size_t i, bytes = 0;

	if (ls->open_used == 0) {
		strbuf_reset(&ls->open_ids);
		return 0;
	}
	for (i = 0; i < ls->open_cap; i++)
		if (ls->open[i].hash != 0)
			bytes += ls->open[i].len;
	if (ls->open_ids.len < 2 * bytes + 65536)
		return 0;
	strbuf_init(&live);
	if (strbuf_reserve(&live, bytes + 1) == -1)
		return -1;
	for (i = 0; i < ls->open_cap; i++) {
		if (ls->open[i].hash == 0)
			continue;
		if (strbuf_append(&live, ls->open_ids.data + ls->open[i].off,
		    ls->open[i].len) == -1) {
			strbuf_free(&live);
			return -1;
		}
		ls->open[i].off = live.len - ls->open[i].len;
	}
	strbuf_free(&ls->open_ids);
	ls->open_ids = live;
	return 0;
}

/* Take an attempt out of the table (linear probing: shift back). */
static void
open_remove(struct logstate *ls, size_t i)
{
	size_t mask = ls->open_cap - 1, j = i, home;

	ls->open[i].hash = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (ls->open[j].hash == 0)
			break;
		home = (size_t)ls->open[j].hash & mask;
		/* Move j back into the hole at i unless its home lies
		 * cyclically in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			ls->open[i] = ls->open[j];
			ls->open[j].hash = 0;
			i = j;
		}
	}
	ls->open_used--;
}

/* The open attempt of a node ID, opened now when there is none. */
static enum report_status
open_attempt(struct logstate *ls, uint64_t hash, const char *id, size_t len,
    int must_be_new, size_t *slot)
{
	struct open_attempt *a;
	size_t i = open_slot(ls, hash);

	if (ls->open[i].hash == hash) {
		a = &ls->open[i];
		if (a->len != len || memcmp(ls->open_ids.data + a->off, id,
		    len) != 0)
			return REPORT_READ_COLLISION;
		if (must_be_new)
			return REPORT_READ_BAD;
		*slot = i;
		return REPORT_READ_OK;
	}
	if ((ls->open_used + 1) * 2 > ls->open_cap) {
		if (open_grow(ls) == -1)
			return REPORT_READ_NOMEM;
		i = open_slot(ls, hash);
	}
	a = &ls->open[i];
	a->hash = hash;
	a->off = ls->open_ids.len;
	a->len = len;
	a->seen = 0;
	if (strbuf_append(&ls->open_ids, id, len) == -1) {
		a->hash = 0;
		return REPORT_READ_NOMEM;
	}
	ls->open_used++;
	*slot = i;
	return report_status_of(tally_touch(ls->tally, hash, id, len));
}

/* An attempt is over: its outcome goes to the tally. */
static enum tally_status
finish_attempt(struct logstate *ls, const struct open_attempt *a)
{
	enum outcome outcome;

	if (a->seen & SEEN_ODD)
		outcome = OUTCOME_UNKNOWN;
	else if (a->seen & SEEN_FAILED)
		outcome = OUTCOME_FAILED;
	else if (a->seen & SEEN_SKIPPED)
		outcome = OUTCOME_SKIPPED;
	else if (a->seen & SEEN_PASSED)
		outcome = OUTCOME_PASSED;
	else
		outcome = OUTCOME_UNKNOWN;	/* no call: --setup-only */
	return tally_record_hashed(ls->tally, a->hash,
	    ls->open_ids.data + a->off, a->len, outcome, 0, NULL);
}

static enum report_status
close_attempt(struct logstate *ls, size_t slot)
{
	enum tally_status st;

	st = finish_attempt(ls, &ls->open[slot]);
	open_remove(ls, slot);
	if (st != TALLY_OK)
		return report_status_of(st);
	return open_compact(ls) == -1 ? REPORT_READ_NOMEM : REPORT_READ_OK;
}

/* The hash of a node ID; a test's lines mostly follow each other, so the
 * last one is remembered. */
static uint64_t
nodeid_hash(struct logstate *ls, const char *id, size_t len)
{
	if (ls->last_hash != 0 && ls->last_id.len == len &&
	    memcmp(ls->last_id.data, id, len) == 0)
		return ls->last_hash;
	strbuf_reset(&ls->last_id);
	if (len <= LAST_ID_MAX && strbuf_append(&ls->last_id, id, len) == 0)
		return ls->last_hash = tally_hash_id(ls->tally, id, len);
	ls->last_hash = 0;
	return tally_hash_id(ls->tally, id, len);
}

uint64_t
logstate_prefetch(struct logstate *ls, const char *id, size_t len)
{
	uint64_t hash = nodeid_hash(ls, id, len);

	tally_prefetch(ls->tally, hash);
	return hash;
}

/* A report of one test (or one of its subtests). */
static enum report_status
test_report(struct logstate *ls, const struct log_line *l, enum phase phase,
    struct report_error *err)
{
	enum report_status rs;
	enum word word = word_of(l->outcome_text, l->outcome_len);
	uint64_t hash;
	size_t slot;

	hash = l->nodeid_hash != 0 ? l->nodeid_hash :
	    nodeid_hash(ls, l->nodeid_text, l->nodeid_len);
	rs = open_attempt(ls, hash, l->nodeid_text, l->nodeid_len,
	    phase == PHASE_SETUP, &slot);
	if (rs == REPORT_READ_BAD)
		return bad_line(err, "when", "a second setup report for a test "
		    "before its teardown (xdist --dist each?)");
	if (rs != REPORT_READ_OK)
		return rs;
	if (word == WORD_FAILED || word == WORD_RERUN || phase == PHASE_CRASH) {
		/* Keep its text and where it failed, once. */
		ls->open[slot].seen |= SEEN_FAILED;
		rs = report_status_of(tally_note_failure(ls->tally, hash,
		    l->nodeid_text, l->nodeid_len, &l->detail));
		if (rs != REPORT_READ_OK)
			return rs;
	}
	if (word == WORD_OTHER || phase == PHASE_OTHER)
		ls->open[slot].seen |= SEEN_ODD;
	if (word == WORD_SKIPPED &&
	    (phase == PHASE_SETUP || phase == PHASE_CALL))
		ls->open[slot].seen |= SEEN_SKIPPED;
	if (word == WORD_PASSED && phase == PHASE_CALL)
		ls->open[slot].seen |= SEEN_PASSED;
	if (word == WORD_RERUN || phase == PHASE_TEARDOWN ||
	    phase == PHASE_CRASH)
		return close_attempt(ls, slot);
	return REPORT_READ_OK;
}

/* Type and presence of the keys every line of its kind needs. */
static enum report_status
check_keys(const struct log_line *l, struct report_error *err)
{
	if (l->type == FIELD_ABSENT)
		return bad_line(err, "", "the line has no $report_type");
	if (l->type != FIELD_PRESENT)
		return bad_line(err, "$report_type",
		    "$report_type is not a string");
	if (l->nodeid == FIELD_BAD_TYPE || l->nodeid == FIELD_NULL)
		return bad_line(err, "nodeid", "nodeid is not a string");
	if (l->when == FIELD_BAD_TYPE || l->when == FIELD_NULL)
		return bad_line(err, "when", "when is not a string");
	if (l->outcome == FIELD_BAD_TYPE || l->outcome == FIELD_NULL)
		return bad_line(err, "outcome", "outcome is not a string");
	if (l->exitstatus == FIELD_BAD_TYPE || l->exitstatus == FIELD_NULL)
		return bad_line(err, "exitstatus",
		    "exitstatus is not an integer");
	return REPORT_READ_OK;
}

static enum report_status line_meaning(struct logstate *,
	    const struct log_line *, struct report_error *);

enum report_status
logstate_line(struct logstate *ls, const struct log_line *l,
    struct report_error *err)
{
	enum report_status rs;

	ls->lines++;
	rs = line_meaning(ls, l, err);
	/* The tally counts each closed attempt as a record: lines are what
	 * a log's records are. */
	tally_set_records(ls->tally, ls->lines);
	return rs;
}

static enum report_status
line_meaning(struct logstate *ls, const struct log_line *l,
    struct report_error *err)
{
	enum report_status rs;
	const char *type = l->type_text;
	size_t len = l->type_len;

	if ((rs = check_keys(l, err)) != REPORT_READ_OK)
		return rs;
	if (ls->finished)
		return bad_line(err, "", "a line after SessionFinish");
	if (is(type, len, "SessionStart")) {
		if (ls->started)
			return bad_line(err, "$report_type",
			    "a second SessionStart");
		ls->started = 1;
		return REPORT_READ_OK;
	}
	if (!ls->started)
		return bad_line(err, "$report_type", "the log does not begin "
		    "with SessionStart");
	if (is(type, len, "SessionFinish")) {
		if (l->exitstatus != FIELD_PRESENT)
			return bad_line(err, "exitstatus",
			    "SessionFinish has no exitstatus");
		ls->finished = 1;
		ls->exitstatus = l->exitstatus_value;
		return REPORT_READ_OK;
	}
	if (is(type, len, "CollectReport")) {
		if (l->nodeid != FIELD_PRESENT || l->outcome != FIELD_PRESENT)
			return bad_line(err, "", l->nodeid != FIELD_PRESENT ?
			    "a CollectReport without nodeid" :
			    "a CollectReport without outcome");
		/* A collection error: failed, or a word not known here. */
		if (is(l->outcome_text, l->outcome_len, "passed") ||
		    is(l->outcome_text, l->outcome_len, "skipped"))
			return REPORT_READ_OK;
		return report_status_of(tally_record_hashed(ls->tally,
		    tally_hash_id(ls->tally, l->nodeid_text, l->nodeid_len),
		    l->nodeid_text, l->nodeid_len, OUTCOME_FAILED, 1,
		    &l->detail));
	}
	if (is(type, len, "TestReport")) {
		if (l->nodeid != FIELD_PRESENT || l->when != FIELD_PRESENT ||
		    l->outcome != FIELD_PRESENT)
			return bad_line(err, "", l->nodeid != FIELD_PRESENT ?
			    "a TestReport without nodeid" :
			    l->when != FIELD_PRESENT ? "a TestReport without when" :
			    "a TestReport without outcome");
		if (l->nodeid_len == 0)
			return bad_line(err, "nodeid", "nodeid is empty");
		if (l->nodeid_len > NODEID_MAX)
			return bad_line(err, "nodeid", "nodeid is too long");
		return test_report(ls, l, phase_of(l->when_text, l->when_len),
		    err);
	}
	/* Another kind of line (SubTestReport, WarningMessage, a plugin's):
	 * a failure it reports fails its test's attempt. */
	if (l->nodeid == FIELD_PRESENT && l->outcome == FIELD_PRESENT &&
	    is(l->outcome_text, l->outcome_len, "failed")) {
		if (l->nodeid_len == 0)
			return bad_line(err, "nodeid", "nodeid is empty");
		if (l->nodeid_len > NODEID_MAX)
			return bad_line(err, "nodeid", "nodeid is too long");
		return test_report(ls, l, PHASE_CALL, err);
	}
	return REPORT_READ_OK;
}

enum report_status
logstate_end(struct logstate *ls, struct report_error *err)
{
	enum tally_status st;
	size_t i;

	(void)err;
	tally_set_records(ls->tally, ls->lines);
	for (i = 0; i < ls->open_cap; i++) {
		if (ls->open[i].hash == 0)
			continue;
		/* Killed, or stopped by pytest.exit(): never finished. */
		ls->open[i].seen |= SEEN_ODD;
		if ((st = finish_attempt(ls, &ls->open[i])) != TALLY_OK)
			return report_status_of(st);
	}
	tally_set_records(ls->tally, ls->lines);
	return REPORT_READ_OK;
}
