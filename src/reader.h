/*
 * reader.h: reading a report of a pytest run into a tally.
 *
 * Two inputs, told apart by their first byte after an optional byte order
 * mark and white space: '[' opens the collector's JSON array (pytest
 * --json), '{' the first line of pytest-reportlog's JSON lines (pytest
 * --report-log).  Two readers take either: report_read(), the fast
 * streaming reader the program uses, and refread_read(), a reference that
 * parses every record fully with json-c, kept so that tests and fuzzers
 * can hold the two against each other.  Both accept exactly the same bytes
 * and hand the tally exactly the same records.
 *
 * What a record or a line means is decided once, for both readers:
 * record_finish() for a collector record, logstate_line() (logstate.h) for
 * a line of a log.
 */
#ifndef PYTRIAGE_READER_H
#define PYTRIAGE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "strbuf.h"
#include "tally.h"
#include "triage.h"

/* Deepest nesting a report may have, the top array (or a log's line)
 * counting as 1: Python's json module, which writes both, stops near its
 * recursion limit of 1000, so nothing deeper comes from pytest. */
#define REPORT_DEPTH_MAX	1000

/* Bytes of a failure's first line kept when messages are not wanted:
 * enough for a collection error's one-line reason. */
#define REPORT_REASON_KEEP	256

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

struct reading {
	/* Set by the caller. */
	struct tally *tally;
	int messages;		/* keep failure messages and locations */
	/* Set by the reader. */
	enum input_kind input;
	struct report_error err;
	int finished;		/* a log's SessionFinish line was read */
	int64_t session_status;	/* ... and its exitstatus */
};

enum report_status report_read(struct source *, struct reading *);
enum report_status refread_read(struct source *, struct reading *);

/* What both readers do first: clear what the reader sets, and tell the
 * tally whether messages are wanted. */
void	reading_start(struct reading *);

/* The fast readers, one per input, called at its first byte. */
struct scanner;
enum report_status collector_read(struct scanner *, struct reading *);
enum report_status reportlog_read(struct scanner *, struct reading *);

/* "at byte 12 (record 3, key "name"): name is not a string" */
int	report_error_format(const struct report_error *, struct strbuf *);

/* Name the key being read in an error, cut to fit. */
void	report_error_key(struct report_error *, const char *, size_t);

/*
 * The fields of one collector record that the triage reads, as the last
 * occurrence of each key left them.  Both readers fill one and call
 * record_finish().
 */
enum field_state {
	FIELD_ABSENT = 0,
	FIELD_PRESENT,		/* a string, or tags an object of strings */
	FIELD_NULL,
	FIELD_BAD_TYPE,		/* scope/name not a string; result neither
				 * string nor null; tags not an object */
	FIELD_BAD_TAG		/* tags holds a value that is not a string */
};

struct record_fields {
	enum field_state scope, name, result, tags;
	const char *scope_text, *name_text, *result_text, *reason_text;
	size_t scope_len, name_len, result_len, reason_len;
	const char *location_text;	/* "file:line", when a string */
	size_t location_len;
	int collection_error;	/* a tag says so, exactly "true" */
	uint64_t nodeid_hash;	/* the reader joined the node ID into
				 * record_check()'s nodeid and hashed it;
				 * 0: not yet */
};

/* A checked record, ready to count. */
struct record {
	const char *id;
	size_t len;
	uint64_t hash;		/* tally_hash_id() of id; 0: not yet */
	enum outcome outcome;
	int collection_error;
	struct failure_detail detail;
};

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

/* Count a checked record in the tally. */
enum report_status record_count(struct tally *, const struct record *);

/* A tally status as a reader's status. */
enum report_status report_status_of(enum tally_status);

#endif
