/*
 * test_queue.c: records counted through the queue end the tally exactly as
 * records counted one by one, with the thread and without, whatever the
 * batch size; the tally's first fault stops the counting there and is
 * what the queue reports; a thread that cannot start, or text that finds
 * no room, is handled.
 *
 * pthread_create, calloc and realloc are wrapped at link time
 * (-Wl,--wrap) to fail on demand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queue.h"
#include "strbuf.h"
#include "tally.h"

int	__real_pthread_create(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
int	__wrap_pthread_create(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);
void	*__real_calloc(size_t, size_t);
void	*__wrap_calloc(size_t, size_t);

static int fail_thread;		/* pthread_create fails */
static atomic_int fail_realloc;	/* realloc of a queue's long text fails */
static unsigned threads_started;
static unsigned calloc_fails_at;	/* this call fails (from 1); 0: none */

int
__wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*f)(void *), void *arg)
{
	if (fail_thread)
		return 11;	/* EAGAIN */
	threads_started++;
	return __real_pthread_create(t, attr, f, arg);
}

void *
__wrap_realloc(void *p, size_t n)
{
	if (atomic_load(&fail_realloc) && n > QUEUE_TEXT)
		return NULL;
	return __real_realloc(p, n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	if (calloc_fails_at > 0 && --calloc_fails_at == 0)
		return NULL;
	return __real_calloc(n, size);
}

#define RECORDS	5000

/* The i-th record of a run: node IDs repeat, every outcome, collection
 * errors, failures with and without message and path.  Its text in sb. */
static void
make_record(unsigned i, struct strbuf *sb, struct record *r)
{
	unsigned id = (i * 7919u) % 3001u;
	size_t idlen, mlen;

	strbuf_reset(sb);
	assert_int_equal(strbuf_printf(sb, "tests/test_%u.py::test_%u[%u]",
	    id % 13, id, i % 3 == 0 ? id : 0), 0);
	idlen = sb->len;
	assert_int_equal(strbuf_printf(sb, "AssertionError: %u\nsecond line",
	    i), 0);
	mlen = sb->len - idlen;
	assert_int_equal(strbuf_printf(sb, "tests/test_%u.py", id % 13), 0);
	memset(r, 0, sizeof(*r));
	r->id = sb->data;
	r->len = idlen;
	r->outcome = (enum outcome)((i * 31u + id) % 4u);
	r->collection_error = i % 97 == 5;
	if (i % 5 != 0) {
		r->detail.message = sb->data + idlen;
		r->detail.message_len = mlen;
	}
	if (i % 3 != 0) {
		r->detail.path = sb->data + idlen + mlen;
		r->detail.path_len = sb->len - idlen - mlen;
		r->detail.line = i;
	}
}

/* What a tally ends with, every byte the triage and the writers read. */
static void
tally_text(const struct tally *t, struct strbuf *out)
{
	static const enum outcome kept[] = {
		OUTCOME_FAILED, OUTCOME_PASSED, OUTCOME_UNKNOWN, OUTCOME_SKIPPED
	};
	const struct tally_counts *c = tally_counts(t);
	struct tally_id *ids, e;
	size_t i, k, n;

	strbuf_reset(out);
	assert_int_equal(strbuf_printf(out, "records %llu tests %llu passed "
	    "%llu failed %llu skipped %llu unknown %llu errors %llu\n",
	    (unsigned long long)c->records, (unsigned long long)c->tests,
	    (unsigned long long)c->passed, (unsigned long long)c->failed,
	    (unsigned long long)c->skipped, (unsigned long long)c->unknown,
	    (unsigned long long)tally_error_records(t)), 0);
	for (k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
		assert_int_equal(tally_kept(t, kept[k], &ids, &n), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(strbuf_printf(out,
			    "%d %.*s|%.*s|%.*s|%llu|%d\n", (int)kept[k],
			    (int)ids[i].len, ids[i].id,
			    (int)ids[i].reason_len, ids[i].reason,
			    (int)ids[i].path_len, ids[i].path,
			    (unsigned long long)ids[i].line,
			    ids[i].collection_error), 0);
		free(ids);
	}
	for (i = 0; i < tally_nerrors(t); i++) {
		tally_collection_error(t, i, &e);
		assert_int_equal(strbuf_printf(out, "error %.*s|%.*s\n",
		    (int)e.len, e.id, (int)e.reason_len, e.reason), 0);
	}
}

/* A tally for the run; near_full: only that many more node IDs fit. */
static void
start_tally(struct tally *t, uint32_t near_full)
{
	assert_int_equal(tally_init(t, 9), 0);
	tally_keep_messages(t);
	if (near_full > 0)
		t->counts.tests = TALLY_MAX_TESTS - near_full;
}

/* Count n records one by one; the first fault, and the text. */
static enum tally_status
count_directly(unsigned n, uint32_t near_full, struct strbuf *text)
{
	struct strbuf sb;
	struct record r;
	struct tally t;
	enum tally_status st = TALLY_OK;
	unsigned i;

	strbuf_init(&sb);
	start_tally(&t, near_full);
	for (i = 0; i < n && st == TALLY_OK; i++) {
		make_record(i, &sb, &r);
		st = record_count(&t, &r);
	}
	tally_text(&t, text);
	tally_free(&t);
	strbuf_free(&sb);
	return st;
}

/*
 * Count n records through a queue, stopping where queue_record says so,
 * as a reader does; the status queue_end returns, and the text.
 */
static enum tally_status
count_queued(unsigned n, size_t batch, int threads, uint32_t near_full,
    struct strbuf *text, int *threaded)
{
	struct record_queue q;
	struct strbuf sb;
	struct record r;
	struct tally t;
	enum tally_status st;
	unsigned i;

	strbuf_init(&sb);
	start_tally(&t, near_full);
	assert_int_equal(queue_init(&q, &t, batch, threads), 0);
	for (i = 0; i < n; i++) {
		make_record(i, &sb, &r);
		if (queue_record(&q, &r) != TALLY_OK)
			break;
	}
	*threaded = q.threaded;
	st = queue_end(&q);
	tally_text(&t, text);
	tally_free(&t);
	strbuf_free(&sb);
	return st;
}

static const size_t batches[] = { 1, 2, 3, 7, 64, QUEUE_BATCH, 2 * RECORDS };

static void
test_queued_counts_as_one_by_one(void **state)
{
	struct strbuf want, got;
	size_t b;
	int threads, threaded;

	(void)state;
	strbuf_init(&want);
	strbuf_init(&got);
	assert_int_equal(count_directly(RECORDS, 0, &want), TALLY_OK);
	assert_true(want.len > 100000);		/* many kept, with detail */
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++)
		for (threads = 0; threads <= 1; threads++) {
			threads_started = 0;
			assert_int_equal(count_queued(RECORDS, batches[b],
			    threads, 0, &got, &threaded), TALLY_OK);
			assert_string_equal(got.data, want.data);
			/* Every batch size fills one (by records or by
			 * text): the thread runs when it may. */
			assert_int_equal(threaded, threads);
			assert_int_equal(threads_started, (unsigned)threads);
		}
	/* A run too short to fill a batch starts no thread. */
	assert_int_equal(count_directly(100, 0, &want), TALLY_OK);
	threads_started = 0;
	assert_int_equal(count_queued(100, QUEUE_BATCH, 1, 0, &got,
	    &threaded), TALLY_OK);
	assert_string_equal(got.data, want.data);
	assert_int_equal(threads_started, 0);
	strbuf_free(&want);
	strbuf_free(&got);
}

static void
test_first_fault_stops_counting_there(void **state)
{
	struct strbuf want, got;
	size_t b;
	int threads, threaded;

	(void)state;
	strbuf_init(&want);
	strbuf_init(&got);
	/* Room for 500 more node IDs: a record early in the run is the
	 * first that does not fit. */
	assert_int_equal(count_directly(RECORDS, 500, &want),
	    TALLY_TOO_MANY);
	assert_non_null(strstr(want.data, "tests 268435455 "));
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++)
		for (threads = 0; threads <= 1; threads++) {
			assert_int_equal(count_queued(RECORDS, batches[b],
			    threads, 500, &got, &threaded), TALLY_TOO_MANY);
			/* Not one record counted past the fault. */
			assert_string_equal(got.data, want.data);
		}
	strbuf_free(&want);
	strbuf_free(&got);
}

static void
test_thread_that_cannot_start_counts_here(void **state)
{
	struct strbuf want, got;
	int threaded;

	(void)state;
	strbuf_init(&want);
	strbuf_init(&got);
	assert_int_equal(count_directly(RECORDS, 0, &want), TALLY_OK);
	fail_thread = 1;
	threads_started = 0;
	assert_int_equal(count_queued(RECORDS, 3, 1, 0, &got, &threaded),
	    TALLY_OK);
	fail_thread = 0;
	assert_int_equal(threaded, 0);
	assert_int_equal(threads_started, 0);
	assert_string_equal(got.data, want.data);
	strbuf_free(&want);
	strbuf_free(&got);
}

/*
 * Hand over n records, then a node ID longer than the batch's text has
 * room for while realloc fails: that one is out of memory.
 */
static void
records_then_no_room(struct record_queue *q, unsigned n)
{
	static char long_id[2 * QUEUE_TEXT];
	struct strbuf sb;
	struct record r;
	unsigned i;

	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		make_record(i, &sb, &r);
		assert_int_equal(queue_record(q, &r), TALLY_OK);
	}
	memset(long_id, 'x', sizeof(long_id));
	r.id = long_id;
	r.len = sizeof(long_id);
	atomic_store(&fail_realloc, 1);
	assert_int_equal(queue_record(q, &r), TALLY_NOMEM);
	atomic_store(&fail_realloc, 0);
	strbuf_free(&sb);
}

/* Out of memory now and at the end, with the thread or not; the records
 * before it are counted. */
static void
test_text_without_room_is_out_of_memory(void **state)
{
	struct record_queue q;
	struct tally t;
	int threads;

	(void)state;
	for (threads = 0; threads <= 1; threads++) {
		start_tally(&t, 0);
		assert_int_equal(queue_init(&q, &t, 4, threads), 0);
		records_then_no_room(&q, 10);
		assert_int_equal(queue_end(&q), TALLY_NOMEM);
		assert_int_equal(tally_counts(&t)->records, 10);
		tally_free(&t);
	}
}

/* A fault of the tally's came first, in a full batch handed over: it is
 * what the end reports, not the reader's later lack of room. */
static void
test_tally_fault_before_lack_of_room_wins(void **state)
{
	struct record_queue q;
	struct tally t;

	(void)state;
	start_tally(&t, 5);
	assert_int_equal(queue_init(&q, &t, 100, 1), 0);
	records_then_no_room(&q, 100);
	assert_int_equal(queue_end(&q), TALLY_TOO_MANY);
	tally_free(&t);
}

/* Either batch's records without memory: no queue, nothing left. */
static void
test_a_queue_without_memory_is_none(void **state)
{
	struct record_queue q;
	struct tally t;
	unsigned at;

	(void)state;
	assert_int_equal(tally_init(&t, 9), 0);
	for (at = 1; at <= 2; at++) {
		calloc_fails_at = at;
		assert_int_equal(queue_init(&q, &t, QUEUE_BATCH, 1), -1);
		assert_int_equal(calloc_fails_at, 0);
	}
	tally_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queued_counts_as_one_by_one),
		cmocka_unit_test(test_first_fault_stops_counting_there),
		cmocka_unit_test(test_thread_that_cannot_start_counts_here),
		cmocka_unit_test(test_text_without_room_is_out_of_memory),
		cmocka_unit_test(test_tally_fault_before_lack_of_room_wins),
		cmocka_unit_test(test_a_queue_without_memory_is_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
