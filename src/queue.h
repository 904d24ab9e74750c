/*
 * queue.h: records on their way to the tally.
 *
 * The collector's reader hands each checked record here instead of
 * counting it itself.  Records gather in batches.  Once a report proves
 * long enough to fill one, a thread of its own counts each full batch
 * (hashing the node IDs, finding their slots) while the reader reads on
 * into the other: reading and counting then run side by side.  Records
 * are counted in the order they came, and counting stops at the tally's
 * first fault, as if the reader had counted each at once: the tally ends
 * the same either way.  A short report never starts the thread.
 */
#ifndef PYTRIAGE_QUEUE_H
#define PYTRIAGE_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "tally.h"

/* Records in a batch, and the text after which a batch is handed over
 * early (a node ID may be long).  The portable test build hands over
 * every few records, so that the end-to-end tests cross threads often. */
#ifndef QUEUE_BATCH
#define QUEUE_BATCH	1024
#endif
#define QUEUE_TEXT	(64 * 1024)

/* A checked record, ready to count. */
struct record {
	const char *id;
	size_t len;
	enum outcome outcome;
	int collection_error;
	struct failure_detail detail;
};

struct queued {			/* a record, its text in the batch's */
	uint64_t hash;
	size_t off;		/* node ID, message, path, one after another */
	size_t len, message_len, path_len;
	uint64_t line;
	enum outcome outcome;
	int collection_error;
};

struct batch {
	struct queued *records;
	size_t n;
	struct strbuf text;
	int full;		/* handed to the thread, not counted yet */
};

struct record_queue {
	struct tally *tally;
	size_t batch_records;
	struct batch batch[2];
	struct batch *filling;	/* the reader's */
	int threads;		/* a thread may count */
	int threaded;		/* the counting thread runs */
	int ending;		/* no batch will follow */
	enum tally_status status;	/* the tally's first fault, sticky */
	int nomem;		/* a record's text found no room */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* a batch was handed over, or counted */
};

/* Batches of batch_records records (QUEUE_BATCH, or fewer for tests),
 * counted by a thread when threads is 1; -1 when out of memory. */
int	queue_init(struct record_queue *, struct tally *, size_t batch_records,
	    int threads);

/*
 * Hand over a record; its text is copied.  TALLY_OK, or the fault of an
 * earlier record (the tally's, or running out of memory here): the reader
 * should stop, and queue_end() says the same.
 */
enum tally_status queue_record(struct record_queue *, const struct record *);

/* Count every record handed over (up to the first fault), stop the
 * thread, free the queue; the tally's first fault or TALLY_OK. */
enum tally_status queue_end(struct record_queue *);

/* Count one record now, as the queue counts it. */
enum tally_status record_count(struct tally *, const struct record *);

#endif
