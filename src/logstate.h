/*
 * logstate.h: what the lines of a pytest-reportlog log say, for both
 * readers.
 *
 * A reader turns each line into a struct log_line (the few keys that
 * decide, their types, and the failure's detail) and hands it here.  This
 * checks the order of the session's lines and follows each test through
 * its attempts: an attempt runs from its setup report to its teardown
 * report; an outcome of "rerun" closes it as failed (pytest-rerunfailures
 * tries again); a `when` of "???" (a crashed xdist worker) closes it as
 * failed.  The last closed attempt decides the test's outcome in the
 * tally: failed when any of its reports failed; skipped when setup or
 * call skipped; passed when its call passed; unknown when it closed with
 * no call report, or held an outcome or `when` word nothing here names.
 * An attempt still open at the end is unknown too.
 */
#ifndef PYTRIAGE_LOGSTATE_H
#define PYTRIAGE_LOGSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "strbuf.h"
#include "tally.h"

/* One line's keys, as the last occurrence of each left them. */
struct log_line {
	enum field_state type, nodeid, when, outcome, exitstatus;
	const char *type_text, *nodeid_text, *when_text, *outcome_text;
	size_t type_len, nodeid_len, when_len, outcome_len;
	uint64_t nodeid_hash;	/* from logstate_prefetch(); 0: not hashed */
	int64_t exitstatus_value;
	struct failure_detail detail;	/* where and why, when it failed */
};

struct open_attempt;

struct logstate {
	struct tally *tally;
	uint64_t lines;		/* lines holding an object */
	int started;		/* SessionStart read */
	int finished;		/* SessionFinish read */
	int64_t exitstatus;	/* SessionFinish's */
	/* Open attempts, by node ID hash (open addressing), their node IDs
	 * in an arena that is emptied whenever no attempt is open. */
	struct open_attempt *open;
	size_t open_cap, open_used;
	struct strbuf open_ids;
	struct strbuf last_id;	/* the last node ID hashed, and its hash */
	uint64_t last_hash;
};

int	logstate_init(struct logstate *, struct tally *);
void	logstate_free(struct logstate *);

/* A node ID read early in a line: its hash (never 0), for the line's
 * nodeid_hash, and its slot in the tally asked into cache while the rest
 * of the line is read. */
uint64_t logstate_prefetch(struct logstate *, const char *id, size_t len);

/* One line.  On a bad line fills err->what and err->key. */
enum report_status logstate_line(struct logstate *, const struct log_line *,
	    struct report_error *);

/* The end of input: every attempt still open ends unknown. */
enum report_status logstate_end(struct logstate *, struct report_error *);

#endif
