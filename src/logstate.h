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

/*
 * What a line says for JUnit, read only when the tally keeps runs (every
 * key as its last occurrence left it, each text kept to at least the
 * bytes given).  A run shows, from its reports:
 *   - a failure, from its first failed call (or subtest) report: its
 *     message is longrepr's reprcrash message, or longrepr's text; its
 *     type the exception's name in it (report_exception_type()); its
 *     text longrepr's text;
 *   - an error, from its first failed setup, teardown or crashed-worker
 *     report, the same way, with pytest's message 'failed on setup with
 *     "..."' ('failed on teardown with "..."');
 *   - a skip, from its first skipped setup or call: an xfail's reason
 *     (wasxfail), or the reason of longrepr's [path, lineno, reason] with
 *     "path:lineno: reason" as its text;
 *   - its duration, every report's added up;
 *   - its captured output: of each report, the sections that name its
 *     own phase ("Captured stdout call"; the later reports of a test
 *     repeat the earlier ones' sections), stdout and log to system-out,
 *     stderr to system-err;
 *   - an error when it ends with no outcome and showed no failure.
 * A failed CollectReport is a case with the error "collection failure";
 * a skipped one a case of its own with the skip "collection skipped".
 * longrepr's text: a string whole; an object's traceback (reprtraceback)
 * as pytest prints it, less its separator lines: each entry's lines
 * (data.lines), then after a blank line its place (data.reprfileloc:
 * "path:lineno: " and its message's first line), the entries apart by a
 * blank line; an entry of the short style (data.style) its place first,
 * then its lines, apart from the next by a line feed alone; then its
 * extraline; white space taken off both ends.
 */
enum log_phase { LOG_SETUP, LOG_CALL, LOG_TEARDOWN, LOG_PHASES };

enum longrepr_kind {
	LONGREPR_OTHER = 0,	/* none, null, or another type */
	LONGREPR_STRING,
	LONGREPR_OBJECT,
	LONGREPR_LIST		/* a skip's [path, lineno, reason] */
};

/* An entry's place: data.reprfileloc. */
struct log_place {
	int has_path, line_known, has_message;
	struct run_text path, message;	/* TALLY_RUN_TEXT_KEEP */
	uint64_t line;
};

struct log_run {
	int has_duration;
	struct run_text duration;	/* REPORT_NUMBER_KEEP */
	enum longrepr_kind longrepr;
	int has_crash;
	struct run_text crash;		/* TALLY_RUN_MESSAGE_KEEP */
	struct run_text text;		/* longrepr's, TALLY_RUN_TEXT_KEEP */
	int has_skip_path, skip_line_known, has_skip_reason;
	struct run_text skip_path, skip_reason;	/* TALLY_RUN_TEXT_KEEP */
	uint64_t skip_line;
	int has_xfail;
	struct run_text xfail;		/* TALLY_RUN_MESSAGE_KEEP */
	struct run_text out[LOG_PHASES];	/* TALLY_RUN_OUTPUT_KEEP */
	struct run_text err[LOG_PHASES];
};

/* One line's keys, as the last occurrence of each left them. */
struct log_line {
	enum field_state type, nodeid, when, outcome, exitstatus;
	const char *type_text, *nodeid_text, *when_text, *outcome_text;
	size_t type_len, nodeid_len, when_len, outcome_len;
	uint64_t nodeid_hash;	/* from logstate_prefetch(); 0: not hashed */
	int64_t exitstatus_value;
	struct failure_detail detail;	/* where and why, when it failed */
	struct log_run run;		/* runs kept: the rest */
};

/* longrepr's text, built the same way by both readers, every buffer
 * cut at TALLY_RUN_TEXT_KEEP: an entry from its lines (joined by line
 * feeds, report_text_part()), its place and whether its style is
 * "short"; the entries, each after a line feed (after a short one) or a
 * blank line but the first; the text from the entries and extraline. */
int	logstate_entry(struct strbuf *out, int *cut,
	    const struct run_text *lines, const struct log_place *,
	    int is_short);
int	logstate_entries_add(struct strbuf *entries, int *cut, int first,
	    int after_short, const struct run_text *entry);
int	logstate_traceback(struct strbuf *out, int *cut,
	    const struct run_text *entries, const struct run_text *extraline);

/* Which output a section of this name holds, of which phase: 1 and *err
 * (0: stdout or log, 1: stderr) and *phase, or 0 for none of them. */
int	logstate_section(const char *name, size_t len, int *err,
	    enum log_phase *phase);

struct open_attempt;

struct logstate {
	struct tally *tally;
	int runs;		/* the tally keeps runs */
	struct strbuf scratch;	/* a message or text being made */
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
