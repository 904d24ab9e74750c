/*
 * record.h: what a collector record means, and how a reading fails, for
 * every reader.
 *
 * Both readers of the collector's report, the fast one (collector.c) and
 * the reference (refread.c), gather the few keys of a record that the
 * triage reads into a struct record_fields and hand it to record_check(),
 * which decides once whether the record is good and makes it a struct
 * record to count.  What a log's lines mean is logstate.h's.  A reading's
 * status and fault are defined here, below both, so that either can
 * report one.
 */
#ifndef PYTRIAGE_RECORD_H
#define PYTRIAGE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "tally.h"

enum report_status {
	REPORT_READ_OK = 0,
	REPORT_READ_EMPTY,	/* empty or white space only: no report */
	REPORT_READ_BAD,	/* not what pytest's plugins write */
	REPORT_READ_IOERR,	/* read(2) failed: errno in the source */
	REPORT_READ_NOMEM,
	REPORT_READ_TOO_MANY,	/* more node IDs than the tally holds */
	REPORT_READ_COLLISION	/* two node IDs share a hash */
};

#define REPORT_NO_RECORD	UINT64_MAX

struct report_error {
	uint64_t offset;	/* byte offset of the fault */
	uint64_t record;	/* element index from 0, line from 1, or
				 * REPORT_NO_RECORD */
	int line;		/* record counts lines of a log */
	char key[48];		/* key being read, or "" */
	char what[200];		/* what is wrong */
};

/* "at byte 12 (record 3, key "name"): name is not a string" */
int	report_error_format(const struct report_error *, struct strbuf *);

/* Name the key being read in an error, cut to fit. */
void	report_error_key(struct report_error *, const char *, size_t);

/* A tally status as a reader's status. */
enum report_status report_status_of(enum tally_status);

/*
 * The fields of one collector record that the triage reads, as the last
 * occurrence of each key left them.
 */
enum field_state {
	FIELD_ABSENT = 0,
	FIELD_PRESENT,		/* a string, or tags an object of strings */
	FIELD_NULL,
	FIELD_BAD_TYPE,		/* scope/name not a string; result neither
				 * string nor null; tags not an object */
	FIELD_BAD_TAG		/* tags holds a value that is not a string */
};

/*
 * For JUnit, when the tally keeps runs: what the readers hand over of a
 * record or a line beyond what the triage reads.  A reader keeps at
 * least the bytes each text is kept at (each field says which), cut
 * flagged; what is made of them is decided here and in logstate.h, once
 * for both readers.
 */

/* Bytes of a number's text kept: a duration. */
#define REPORT_NUMBER_KEEP	64

/* A duration's text (a JSON number, NaN or Infinity, as written) as
 * seconds; 0 when it is no number from 0 to 10^9. */
double	report_seconds(const struct run_text *);

/* A text cut to cap bytes, flagged cut when it held more. */
struct run_text report_text_cap(const struct run_text *, size_t cap);

/*
 * The exception's name a failure's message names: "Name" of a message
 * that is "Name" or begins "Name:" (a dotted Python name, as pytest's
 * reprcrash and the collector's failure_reason begin), AssertionError for
 * pytest's "assert ..." (its own AssertionError with the name taken
 * off); else none (len 0).  Points into the message.
 */
struct run_text report_exception_type(const struct run_text *message);

/* Append one part of a list of texts: sep before all but the first. */
int	report_text_part(struct strbuf *out, int *cut, size_t cap, int first,
	    const char *sep, const char *s, size_t len);

struct record_fields {
	enum field_state scope, name, result, tags;
	const char *scope_text, *name_text, *result_text, *reason_text;
	size_t scope_len, name_len, result_len, reason_len;
	const char *location_text;	/* "file:line", when a string */
	size_t location_len;
	const char *file_name_text;	/* when a string */
	size_t file_name_len;
	const struct site_trace *trace;	/* failure_expanded's backtraces,
					 * or NULL */
	int collection_error;	/* a tag says so, exactly "true" */
	uint64_t nodeid_hash;	/* the reader joined the node ID into
				 * record_check()'s nodeid and hashed it;
				 * 0: not yet */
	/* Runs: history.duration (REPORT_NUMBER_KEEP), failure_reason
	 * whole (TALLY_RUN_TEXT_KEEP) and failure_expanded's lines, each
	 * element's "expanded" joined by line feeds, the elements apart by
	 * a blank line (TALLY_RUN_TEXT_KEEP). */
	int has_duration, has_reason, has_expanded;
	struct run_text duration, reason, expanded;
};

/* A checked record, ready to count. */
struct record {
	const char *id;
	size_t len;
	uint64_t hash;		/* tally_hash_id() of id; 0: not yet */
	enum outcome outcome;
	int collection_error;
	struct failure_detail detail;
	const struct record_fields *fields;	/* what it was made of */
};

/*
 * Where a failure passed through the test's own file, for both kinds of
 * report and both readers.  A reader gathers the traceback's entries
 * (path and line) into a site_trace as they pass, whatever the order of
 * the keys, and failure_site() chooses once the record or line is read.
 * A traceback whose entries take more than SITE_TRACE_KEEP bytes (each
 * its path and 16 more) is not searched: the memory stays bounded.
 */
#define SITE_TRACE_KEEP		65536
/* Bytes of a collector's backtrace string read: the longest kept path,
 * ':', nine digits, ':' and a space. */
#define SITE_TEXT_KEEP		(TALLY_PATH_KEEP + 12)

struct site_trace {
	struct strbuf buf;	/* per entry: line and path length (each
				 * 64 bits), path */
	int overflow;		/* more than SITE_TRACE_KEEP */
};

void	site_trace_init(struct site_trace *);
void	site_trace_free(struct site_trace *);
void	site_trace_reset(struct site_trace *);
/* Its length and overflow, to go back to with site_trace_restore(). */
void	site_trace_mark(const struct site_trace *, size_t *len, int *overflow);
void	site_trace_restore(struct site_trace *, size_t len, int overflow);
/* One entry: a path (1 to TALLY_PATH_KEEP bytes) and its line (1-based;
 * an entry without both is none).  -1 when out of memory. */
int	site_trace_add(struct site_trace *, const char *path, size_t len,
	    uint64_t line);
/*
 * One entry of the collector's backtrace, "path:line: message" or
 * "path:line:": the first ':', 1 to 9 digits and ':' on its first line
 * that are followed by a space or the string's end.  avail bytes of it
 * are at hand (at most SITE_TEXT_KEEP); whole when that is all of it.
 */
int	site_trace_add_text(struct site_trace *, const char *text,
	    size_t avail, int whole);

/*
 * The site of a failure into d: in the test's file (file, rootdir- or
 * cwd-relative; its definition at def_line, 0 when unknown), the line of
 * the last traceback entry in that file; failing that, the crash line
 * when the crash (a log's reprcrash, absolute) is in that file; failing
 * that, def_line.  The site's path is the crash's when the crash is in
 * the file (absolute, so it names the file from anywhere), else the
 * entry's, else file.  No file: no site.
 */
void	failure_site(struct failure_detail *d, const char *file,
	    size_t file_len, uint64_t def_line, const struct site_trace *,
	    const char *crash, size_t crash_len, uint64_t crash_line);

/* Does this tags key mark a collection error?  0: no; 1: the collector's
 * tag; 2: its pre-release name. */
int	report_is_error_tag(const char *key, size_t len);

/*
 * Check a record's fields and make the record to count, its node ID
 * joined into nodeid.  On a bad record fills err->what and err->key and
 * returns REPORT_READ_BAD.
 */
enum report_status record_check(const struct record_fields *,
	    struct strbuf *nodeid, struct record *, struct report_error *);

/*
 * Count a checked record in the tally.  When it keeps runs, the record is
 * one run of its test: failed, a failure (message failure_reason, type
 * its exception's name, text failure_expanded, else failure_reason); a
 * collection error, the error "collection failure" with that text;
 * skipped, a skip with no reason (the collector keeps none); no result,
 * an error saying so; its time history's duration.
 */
enum report_status record_count(struct tally *, const struct record *);

#endif
