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
 * record_check() (record.h) for a collector record, logstate_line()
 * (logstate.h) for a line of a log.
 */
#ifndef PYTRIAGE_READER_H
#define PYTRIAGE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "source.h"
#include "tally.h"

/* Deepest nesting a report may have, the top array (or a log's line)
 * counting as 1: Python's json module, which writes both, stops near its
 * recursion limit of 1000, so nothing deeper comes from pytest. */
#define REPORT_DEPTH_MAX	1000

/* Bytes of a failure's first line kept when messages are not wanted:
 * enough for a collection error's one-line reason. */
#define REPORT_REASON_KEEP	256

enum input_kind {
	INPUT_NONE,		/* no report: missing, empty */
	INPUT_COLLECTOR,	/* the collector's JSON array */
	INPUT_REPORTLOG		/* pytest-reportlog's JSON lines */
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

#endif
