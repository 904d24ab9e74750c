/*
 * queue.c: records counted in batches, on a thread of their own once a
 * report is long enough (queue.h).
 *
 * Two batches: the reader fills one while the thread counts the other.
 * The lock guards the full flags, the status and the end; a batch's
 * contents belong to the reader until it is marked full and to the thread
 * until it is marked empty again.  Counting is a quarter of the work on a
 * large report: hashing each node ID and finding its slot in a table too
 * large for the cache.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

/* Slots asked into cache this many records ahead of their counting. */
#define PREFETCH_AHEAD	8

static struct batch *
other_batch(struct record_queue *q, const struct batch *b)
{
	return b == &q->batch[0] ? &q->batch[1] : &q->batch[0];
}

static enum tally_status
count_queued(struct tally *t, const struct batch *b, const struct queued *r)
{
	const char *text = b->text.data + r->off;
	struct failure_detail d;

	d.message = text + r->len;
	d.message_len = r->message_len;
	d.path = d.message + r->message_len;
	d.path_len = r->path_len;
	d.line = r->line;
	return tally_record_hashed(t, r->hash, text, r->len, r->outcome,
	    r->collection_error, &d);
}

/* Count a batch's records in order, up to the first fault. */
static enum tally_status
count_batch(struct tally *t, struct batch *b)
{
	enum tally_status st;
	size_t i;

	for (i = 0; i < b->n; i++) {
		b->records[i].hash = tally_hash_id(t, b->text.data +
		    b->records[i].off, b->records[i].len);
		if (i < PREFETCH_AHEAD)
			tally_prefetch(t, b->records[i].hash);
	}
	for (i = 0; i < b->n; i++) {
		if (i + PREFETCH_AHEAD < b->n)
			tally_prefetch(t, b->records[i + PREFETCH_AHEAD].hash);
		if ((st = count_queued(t, b, &b->records[i])) != TALLY_OK)
			return st;
	}
	return TALLY_OK;
}

static void *
counter_main(void *arg)
{
	struct record_queue *q = arg;
	struct batch *b = &q->batch[0];
	enum tally_status st;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!b->full && !q->ending)
			pthread_cond_wait(&q->changed, &q->lock);
		if (!b->full)
			break;
		st = q->status;
		pthread_mutex_unlock(&q->lock);
		if (st == TALLY_OK)
			st = count_batch(q->tally, b);
		pthread_mutex_lock(&q->lock);
		q->status = st;
		b->full = 0;
		pthread_cond_signal(&q->changed);
		b = other_batch(q, b);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void
batch_clear(struct batch *b)
{
	b->n = 0;
	strbuf_reset(&b->text);
}

int
queue_init(struct record_queue *q, struct tally *t, size_t batch_records,
    int threads)
{
	size_t i;

	memset(q, 0, sizeof(*q));
	q->tally = t;
	q->batch_records = batch_records;
	q->threads = threads;
	q->filling = &q->batch[0];
	for (i = 0; i < 2; i++) {
		strbuf_init(&q->batch[i].text);
		q->batch[i].records = calloc(batch_records,
		    sizeof(*q->batch[i].records));
		if (q->batch[i].records == NULL) {
			free(q->batch[0].records);
			return -1;
		}
	}
	return 0;
}

/* Start the thread that counts; 0 if it could not start. */
static int
start_counter(struct record_queue *q)
{
	sigset_t all, old;
	int rc;

	if (pthread_mutex_init(&q->lock, NULL) != 0)
		return 0;
	if (pthread_cond_init(&q->changed, NULL) != 0) {
		pthread_mutex_destroy(&q->lock);
		return 0;
	}
	/* Signals are the reader's to take, not the thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, counter_main, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&q->changed);
		pthread_mutex_destroy(&q->lock);
		return 0;
	}
	return 1;
}

/* Count the filled batch in the reader's thread. */
static enum tally_status
count_here(struct record_queue *q)
{
	if (q->status == TALLY_OK)
		q->status = count_batch(q->tally, q->filling);
	batch_clear(q->filling);
	return q->status;
}

/*
 * Hand the filled batch to the thread (started with the first) and take
 * the other once it is counted.  The status so far.
 */
static enum tally_status
hand_over(struct record_queue *q)
{
	struct batch *next = other_batch(q, q->filling);
	enum tally_status st;

	if (!q->threaded && q->threads)
		q->threads = q->threaded = start_counter(q);	/* once */
	if (!q->threaded)
		return count_here(q);
	pthread_mutex_lock(&q->lock);
	q->filling->full = 1;
	pthread_cond_signal(&q->changed);
	while (next->full)
		pthread_cond_wait(&q->changed, &q->lock);
	st = q->status;
	pthread_mutex_unlock(&q->lock);
	q->filling = next;
	batch_clear(next);
	return st;
}

enum tally_status
queue_record(struct record_queue *q, const struct record *rec)
{
	struct batch *b = q->filling;
	struct queued *r = &b->records[b->n];
	const struct failure_detail *d = &rec->detail;

	r->off = b->text.len;
	r->len = rec->len;
	r->message_len = d->message != NULL ? d->message_len : 0;
	r->path_len = d->path != NULL ? d->path_len : 0;
	r->line = d->line;
	r->outcome = rec->outcome;
	r->collection_error = rec->collection_error;
	/* Room for all of its text first, so that a record is added whole
	 * or not at all; the records before it stay. */
	if (strbuf_reserve(&b->text, rec->len + r->message_len +
	    r->path_len) == -1) {
		q->nomem = 1;
		return TALLY_NOMEM;
	}
	strbuf_append(&b->text, rec->id, rec->len);
	strbuf_append(&b->text, d->message, r->message_len);
	strbuf_append(&b->text, d->path, r->path_len);
	b->n++;
	if (b->n < q->batch_records && b->text.len < QUEUE_TEXT)
		return TALLY_OK;
	return hand_over(q);
}

enum tally_status
queue_end(struct record_queue *q)
{
	enum tally_status st;
	size_t i;

	if (q->filling->n > 0 && q->threaded)
		hand_over(q);
	else if (q->filling->n > 0)
		count_here(q);	/* a short report: no thread for its end */
	if (q->threaded) {
		pthread_mutex_lock(&q->lock);
		q->ending = 1;
		pthread_cond_signal(&q->changed);
		pthread_mutex_unlock(&q->lock);
		pthread_join(q->thread, NULL);
		pthread_cond_destroy(&q->changed);
		pthread_mutex_destroy(&q->lock);
	}
	/* The tally's fault came first: the reader's was at a later record. */
	st = q->status == TALLY_OK && q->nomem ? TALLY_NOMEM : q->status;
	for (i = 0; i < 2; i++) {
		free(q->batch[i].records);
		strbuf_free(&q->batch[i].text);
	}
	memset(q, 0, sizeof(*q));
	return st;
}

enum tally_status
record_count(struct tally *t, const struct record *rec)
{
	return tally_record_hashed(t, tally_hash_id(t, rec->id, rec->len),
	    rec->id, rec->len, rec->outcome, rec->collection_error,
	    &rec->detail);
}
