/*
 * logstate.c: the meaning of a report log's lines (logstate.h).
 *
 * The open attempts are few (one per test running at a time, one per
 * xdist worker), so they live in a small table of their own, and the
 * tally is touched only when a test is first seen (its place in the
 * selectors' order), when a report fails (its text and failure are kept)
 * and when an attempt closes.
 */
#include <inttypes.h>
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

/* What an open attempt showed so far, for JUnit, once it has a text. */
struct open_run {
	struct strbuf text[RUN_SLOTS];
	int cut[RUN_SLOTS];
};

struct open_attempt {
	uint64_t hash;		/* 0: a free slot */
	size_t off;		/* node ID in open_ids */
	size_t len;
	unsigned seen;
	/* Runs kept: its time, what it showed, and their texts. */
	double time;
	unsigned results;
	struct open_run *run;	/* NULL: no text yet */
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

static void
open_run_free(struct open_attempt *a)
{
	int i;

	if (a->run == NULL)
		return;
	for (i = 0; i < RUN_SLOTS; i++)
		strbuf_free(&a->run->text[i]);
	free(a->run);
	a->run = NULL;
}

int
logstate_init(struct logstate *ls, struct tally *t)
{
	memset(ls, 0, sizeof(*ls));
	ls->tally = t;
	ls->runs = t->keep_runs;
	strbuf_init(&ls->scratch);
	strbuf_init(&ls->open_ids);
	strbuf_init(&ls->last_id);
	ls->open_cap = 16;
	ls->open = calloc(ls->open_cap, sizeof(*ls->open));
	return ls->open == NULL ? -1 : 0;
}

void
logstate_free(struct logstate *ls)
{
	size_t i;

	for (i = 0; ls->open != NULL && i < ls->open_cap; i++)
		if (ls->open[i].hash != 0)
			open_run_free(&ls->open[i]);
	free(ls->open);
	strbuf_free(&ls->scratch);
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
	a->time = 0;
	a->results = 0;
	a->run = NULL;
	if (strbuf_append(&ls->open_ids, id, len) == -1) {
		a->hash = 0;
		return REPORT_READ_NOMEM;
	}
	ls->open_used++;
	*slot = i;
	return report_status_of(tally_touch(ls->tally, hash, id, len));
}

/* A text of an open attempt's run: set (or added to, for output). */
static int
run_put(struct open_attempt *a, enum run_slot slot, const struct run_text *x,
    int add)
{
	struct strbuf *sb;
	int i;

	if (a->run == NULL) {
		if ((a->run = calloc(1, sizeof(*a->run))) == NULL)
			return -1;
		for (i = 0; i < RUN_SLOTS; i++)
			strbuf_init(&a->run->text[i]);
	}
	sb = &a->run->text[slot];
	if (!add) {
		strbuf_reset(sb);
		a->run->cut[slot] = 0;
	}
	if (strbuf_append_capped(sb, tally_run_slot_keep(slot), x->s, x->len,
	    &a->run->cut[slot]) == -1)
		return -1;
	a->run->cut[slot] |= x->cut;
	return 0;
}

/* A text less a prefix it begins with. */
static struct run_text
less_prefix(struct run_text x, const char *prefix)
{
	size_t n = strlen(prefix);

	if (x.len >= n && memcmp(x.s, prefix, n) == 0) {
		x.s += n;
		x.len -= n;
	}
	return x;
}

/* A failed report's message, its own (reprcrash) or longrepr's text. */
static struct run_text
failure_message(const struct log_run *r)
{
	return report_text_cap(r->has_crash ? &r->crash : &r->text,
	    TALLY_RUN_MESSAGE_KEEP);
}

/* What a failed report shows: a failure (the call's), or an error with
 * pytest's words for the phase. */
static int
run_failed(struct logstate *ls, struct open_attempt *a,
    const struct log_run *r, enum phase phase)
{
	struct run_text msg = failure_message(r), type, text;
	const char *prefix = NULL;
	int cut = 0, base = RUN_ERROR_MESSAGE;

	type = report_exception_type(&msg);
	text = report_text_cap(&r->text, TALLY_RUN_TEXT_KEEP);
	if (phase == PHASE_CALL) {
		if (a->results & RUN_FAILURE)
			return 0;
		a->results |= RUN_FAILURE;
		base = RUN_FAILURE_MESSAGE;
	} else {
		if (a->results & RUN_ERROR)
			return 0;
		a->results |= RUN_ERROR;
		if (phase == PHASE_SETUP)
			prefix = "failed on setup with \"";
		else if (phase == PHASE_TEARDOWN)
			prefix = "failed on teardown with \"";
	}
	if (prefix != NULL) {
		strbuf_reset(&ls->scratch);
		if (strbuf_append_capped(&ls->scratch, TALLY_RUN_MESSAGE_KEEP,
		    prefix, strlen(prefix), &cut) == -1 ||
		    strbuf_append_capped(&ls->scratch, TALLY_RUN_MESSAGE_KEEP,
		    msg.s, msg.len, &cut) == -1 ||
		    strbuf_append_capped(&ls->scratch, TALLY_RUN_MESSAGE_KEEP,
		    "\"", 1, &cut) == -1)
			return -1;
		msg = run_text_of(ls->scratch.data, ls->scratch.len,
		    cut | msg.cut);
	}
	if (run_put(a, (enum run_slot)base, &msg, 0) == -1 ||
	    run_put(a, (enum run_slot)(base + 1), &type, 0) == -1)
		return -1;
	return run_put(a, (enum run_slot)(base + 2), &text, 0);
}

/*
 * A skip's message and text into msg and (in scratch) text: an xfail's
 * reason, a skip's [path, lineno, reason] as pytest writes them, or
 * longrepr's text.
 */
static int
skip_texts(struct logstate *ls, const struct log_run *r, struct run_text *msg,
    struct run_text *text)
{
	struct run_text reason;
	char line[32];
	int cut = 0;

	*msg = run_text_of("", 0, 0);
	*text = run_text_of("", 0, 0);
	if (r->has_xfail) {
		*msg = less_prefix(report_text_cap(&r->xfail,
		    TALLY_RUN_MESSAGE_KEEP), "reason: ");
		return 0;
	}
	if (r->longrepr == LONGREPR_STRING) {
		*msg = report_text_cap(&r->text, TALLY_RUN_MESSAGE_KEEP);
		*text = report_text_cap(&r->text, TALLY_RUN_TEXT_KEEP);
		return 0;
	}
	if (r->longrepr != LONGREPR_LIST)
		return 0;
	reason = r->has_skip_reason ? less_prefix(report_text_cap(
	    &r->skip_reason, TALLY_RUN_TEXT_KEEP), "Skipped: ") :
	    run_text_of("", 0, 0);
	*msg = report_text_cap(&reason, TALLY_RUN_MESSAGE_KEEP);
	strbuf_reset(&ls->scratch);
	if (r->has_skip_path) {
		if (strbuf_append_capped(&ls->scratch, TALLY_RUN_TEXT_KEEP,
		    r->skip_path.s, r->skip_path.len, &cut) == -1)
			return -1;
		cut |= r->skip_path.cut;
		if (r->skip_line_known) {
			snprintf(line, sizeof(line), ":%" PRIu64, r->skip_line);
			if (strbuf_append_capped(&ls->scratch,
			    TALLY_RUN_TEXT_KEEP, line, strlen(line), &cut) == -1)
				return -1;
		}
		if (strbuf_append_capped(&ls->scratch, TALLY_RUN_TEXT_KEEP,
		    ": ", 2, &cut) == -1)
			return -1;
	}
	if (strbuf_append_capped(&ls->scratch, TALLY_RUN_TEXT_KEEP, reason.s,
	    reason.len, &cut) == -1)
		return -1;
	*text = run_text_of(ls->scratch.data, ls->scratch.len,
	    cut | reason.cut);
	return 0;
}

static int
run_skipped(struct logstate *ls, struct open_attempt *a,
    const struct log_run *r)
{
	struct run_text msg, text;

	if (a->results & RUN_SKIPPED)
		return 0;
	a->results |= RUN_SKIPPED;
	if (skip_texts(ls, r, &msg, &text) == -1 ||
	    run_put(a, RUN_SKIPPED_MESSAGE, &msg, 0) == -1)
		return -1;
	return run_put(a, RUN_SKIPPED_TEXT, &text, 0);
}

/* What one report of an open attempt shows, for JUnit. */
static enum report_status
run_report(struct logstate *ls, struct open_attempt *a,
    const struct log_line *l, enum phase phase, enum word word)
{
	const struct log_run *r = &l->run;
	struct run_text x;
	int rc = 0, p = -1;

	if (r->has_duration)
		a->time += report_seconds(&r->duration);
	if (word == WORD_FAILED || word == WORD_RERUN || phase == PHASE_CRASH)
		rc = run_failed(ls, a, r, phase);
	if (rc == 0 && word == WORD_SKIPPED &&
	    (phase == PHASE_SETUP || phase == PHASE_CALL))
		rc = run_skipped(ls, a, r);
	if (phase == PHASE_SETUP)
		p = LOG_SETUP;
	else if (phase == PHASE_CALL)
		p = LOG_CALL;
	else if (phase == PHASE_TEARDOWN)
		p = LOG_TEARDOWN;
	if (rc == 0 && p != -1 && r->out[p].len + r->out[p].cut > 0) {
		x = report_text_cap(&r->out[p], TALLY_RUN_OUTPUT_KEEP);
		rc = run_put(a, RUN_OUT, &x, 1);
	}
	if (rc == 0 && p != -1 && r->err[p].len + r->err[p].cut > 0) {
		x = report_text_cap(&r->err[p], TALLY_RUN_OUTPUT_KEEP);
		rc = run_put(a, RUN_ERR, &x, 1);
	}
	return rc == -1 ? REPORT_READ_NOMEM : REPORT_READ_OK;
}

/* An attempt is over: its outcome goes to the tally, and with runs kept
 * what it showed.  never_finished: the log ended with it open. */
static enum tally_status
finish_attempt(struct logstate *ls, struct open_attempt *a,
    int never_finished)
{
	struct run_record run;
	enum tally_status st;
	enum outcome outcome;
	const char *why;
	int i;

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
	if (!ls->runs)
		return tally_record_hashed(ls->tally, a->hash,
		    ls->open_ids.data + a->off, a->len, outcome, 0, NULL);
	memset(&run, 0, sizeof(run));
	run.time = a->time;
	run.results = a->results;
	for (i = 0; a->run != NULL && i < RUN_SLOTS; i++)
		run.text[i] = run_text_of(a->run->text[i].data,
		    a->run->text[i].len, a->run->cut[i]);
	if (outcome == OUTCOME_UNKNOWN &&
	    !(run.results & (RUN_FAILURE | RUN_ERROR))) {
		if (never_finished)
			why = "no outcome: the log ends before the test's "
			    "teardown (killed, or stopped by pytest.exit)";
		else if (a->seen & SEEN_ODD)
			why = "no outcome: an outcome or phase that pytriage "
			    "does not know";
		else
			why = "no outcome: no call report (--setup-only, or "
			    "stopped in its setup)";
		run.results |= RUN_ERROR;
		run.text[RUN_ERROR_MESSAGE] = run_text_of(why, strlen(why), 0);
		run.text[RUN_ERROR_TYPE] = run_text_of("", 0, 0);
		run.text[RUN_ERROR_TEXT] = run_text_of("", 0, 0);
	}
	st = tally_record_run(ls->tally, a->hash, ls->open_ids.data + a->off,
	    a->len, outcome, 0, NULL, &run);
	open_run_free(a);
	return st;
}

static enum report_status
close_attempt(struct logstate *ls, size_t slot)
{
	enum tally_status st;

	st = finish_attempt(ls, &ls->open[slot], 0);
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
	if (ls->runs && (rs = run_report(ls, &ls->open[slot], l, phase,
	    word)) != REPORT_READ_OK)
		return rs;
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

/* A collector skipped (a module-level skip), when runs are kept. */
static enum report_status
collect_skipped(struct logstate *ls, const struct log_line *l)
{
	struct run_record run;
	struct run_text msg, text;

	if (skip_texts(ls, &l->run, &msg, &text) == -1)
		return REPORT_READ_NOMEM;
	memset(&run, 0, sizeof(run));
	run.results = RUN_SKIPPED;
	run.text[RUN_SKIPPED_MESSAGE] = run_text_of("collection skipped", 18,
	    0);
	run.text[RUN_SKIPPED_TEXT] = text;
	return report_status_of(tally_collect_skipped(ls->tally,
	    l->nodeid_text, l->nodeid_len, &run));
}

static enum report_status
collection_error(struct logstate *ls, const struct log_line *l)
{
	struct run_record run;
	uint64_t hash = tally_hash_id(ls->tally, l->nodeid_text,
	    l->nodeid_len);

	if (!ls->runs)
		return report_status_of(tally_record_hashed(ls->tally, hash,
		    l->nodeid_text, l->nodeid_len, OUTCOME_FAILED, 1,
		    &l->detail));
	memset(&run, 0, sizeof(run));
	run.results = RUN_ERROR;
	run.text[RUN_ERROR_MESSAGE] = run_text_of("collection failure", 18, 0);
	run.text[RUN_ERROR_TEXT] = report_text_cap(&l->run.text,
	    TALLY_RUN_TEXT_KEEP);
	return report_status_of(tally_record_run(ls->tally, hash,
	    l->nodeid_text, l->nodeid_len, OUTCOME_FAILED, 1, &l->detail,
	    &run));
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
		if (is(l->outcome_text, l->outcome_len, "passed"))
			return REPORT_READ_OK;
		if (is(l->outcome_text, l->outcome_len, "skipped"))
			return ls->runs ? collect_skipped(ls, l) :
			    REPORT_READ_OK;
		return collection_error(ls, l);
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
		if ((st = finish_attempt(ls, &ls->open[i], 1)) != TALLY_OK)
			return report_status_of(st);
	}
	tally_set_records(ls->tally, ls->lines);
	return REPORT_READ_OK;
}

/* An entry's place: "path:lineno: " and its message's first line. */
static int
place_text(struct strbuf *out, int *cut, const struct log_place *place)
{
	const char *nl;
	char line[32];
	size_t n;

	if (strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP, place->path.s,
	    place->path.len, cut) == -1)
		return -1;
	*cut |= place->path.cut;
	if (place->line_known) {
		snprintf(line, sizeof(line), ":%" PRIu64, place->line);
		if (strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP, line,
		    strlen(line), cut) == -1)
			return -1;
	}
	if (!place->has_message)
		return 0;
	/* Its first line: a message cut before its end of line is longer
	 * than any entry kept. */
	n = place->message.len;
	if ((nl = memchr(place->message.s, '\n', n)) != NULL)
		n = (size_t)(nl - place->message.s);
	if (strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP, ": ", 2, cut) ==
	    -1 || strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP,
	    place->message.s, n, cut) == -1)
		return -1;
	if (nl == NULL)
		*cut |= place->message.cut;
	return 0;
}

int
logstate_entry(struct strbuf *out, int *cut, const struct run_text *lines,
    const struct log_place *place, int is_short)
{
	if (is_short && place->has_path) {
		if (place_text(out, cut, place) == -1)
			return -1;
		if (lines->len > 0 && strbuf_append_capped(out,
		    TALLY_RUN_TEXT_KEEP, "\n", 1, cut) == -1)
			return -1;
	}
	if (strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP, lines->s,
	    lines->len, cut) == -1)
		return -1;
	*cut |= lines->cut;
	if (is_short || !place->has_path)
		return 0;
	if (lines->len > 0 && strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP,
	    "\n\n", 2, cut) == -1)
		return -1;
	return place_text(out, cut, place);
}

int
logstate_entries_add(struct strbuf *entries, int *cut, int first,
    int after_short, const struct run_text *entry)
{
	if (report_text_part(entries, cut, TALLY_RUN_TEXT_KEEP, first,
	    after_short ? "\n" : "\n\n", entry->s, entry->len) == -1)
		return -1;
	*cut |= entry->cut;
	return 0;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

int
logstate_traceback(struct strbuf *out, int *cut,
    const struct run_text *entries, const struct run_text *extraline)
{
	size_t n = 0;

	if (strbuf_append_capped(out, TALLY_RUN_TEXT_KEEP, entries->s,
	    entries->len, cut) == -1)
		return -1;
	*cut |= entries->cut;
	if (extraline != NULL) {
		if (report_text_part(out, cut, TALLY_RUN_TEXT_KEEP, 0, "\n",
		    extraline->s, extraline->len) == -1)
			return -1;
		*cut |= extraline->cut;
	}
	/* White space off both ends, as pytest's str() of it takes. */
	while (out->len > 0 && is_space((unsigned char)out->data[out->len - 1]))
		out->len--;
	while (n < out->len && is_space((unsigned char)out->data[n]))
		n++;
	if (n > 0)
		memmove(out->data, out->data + n, out->len - n);
	out->len -= n;
	if (out->data != NULL)
		out->data[out->len] = '\0';
	return 0;
}

int
logstate_section(const char *name, size_t len, int *err,
    enum log_phase *phase)
{
	static const char *const kinds[] = { "stdout ", "log ", "stderr " };
	static const char *const phases[] = { "setup", "call", "teardown" };
	size_t i, j, n;

	if (len < 9 || memcmp(name, "Captured ", 9) != 0)
		return 0;
	name += 9;
	len -= 9;
	for (i = 0; i < 3; i++) {
		n = strlen(kinds[i]);
		if (len < n || memcmp(name, kinds[i], n) != 0)
			continue;
		for (j = 0; j < LOG_PHASES; j++)
			if (is(name + n, len - n, phases[j])) {
				*err = i == 2;
				*phase = (enum log_phase)j;
				return 1;
			}
	}
	return 0;
}
