/*
 * test_tally.c: last outcome per node ID, selectors, collection errors.
 *
 * The last record of a node ID decides; the counts of final outcomes add
 * up to the distinct node IDs; selectors come out once each in the order
 * of each node's first record; collection errors once each in file order
 * with the first line of their reason.  What a log's reader adds: a test
 * placed by its first report (tally_touch), a failure noted before the
 * test's outcome is decided, flaky tests (passed after a failure), the
 * unknown ones, and the first failure's message and place, kept only when
 * asked for.  The table grows and stays exact; two node IDs that share a
 * hash (forced through tally_record_hashed) are detected rather than
 * merged.  With runs kept (for JUnit): every node ID a case in the order
 * first seen, each case's failing runs and its latest, their texts cut to
 * their slots at a whole character.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "siphash.h"
#include "tally.h"
#include "unit.h"

#define LEN(s)	(sizeof(s) - 1)

static enum tally_status
rec(struct tally *t, const char *id, enum outcome o)
{
	return tally_record(t, id, strlen(id), o, 0, NULL, 0);
}

static void
assert_counts(const struct tally *t, uint64_t records, uint64_t tests,
    uint64_t passed, uint64_t failed, uint64_t skipped, uint64_t unknown)
{
	assert_int_equal(t->counts.records, records);
	assert_int_equal(t->counts.tests, tests);
	assert_int_equal(t->counts.passed, passed);
	assert_int_equal(t->counts.failed, failed);
	assert_int_equal(t->counts.skipped, skipped);
	assert_int_equal(t->counts.unknown, unknown);
	assert_int_equal(t->counts.passed + t->counts.failed +
	    t->counts.skipped + t->counts.unknown, t->counts.tests);
}

/* The selectors, as NUL-free C strings, must be exactly these. */
static void
assert_selectors(const struct tally *t, const char *const *expect, size_t n)
{
	struct tally_id *ids;
	size_t got, i;

	assert_int_equal(tally_selectors(t, &ids, &got), 0);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(ids[i].len, strlen(expect[i]));
		assert_memory_equal(ids[i].id, expect[i], ids[i].len);
	}
	free(ids);
}

static void
test_empty_tally_has_no_counts_and_no_selectors(void **state)
{
	struct tally t;
	struct tally_id *ids = (struct tally_id *)&t;
	size_t n = 99;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_counts(&t, 0, 0, 0, 0, 0, 0);
	assert_int_equal(tally_selectors(&t, &ids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(ids);
	assert_int_equal(t.nerrors, 0);
	assert_int_equal(t.error_records, 0);
	tally_free(&t);
}

/* The kept node IDs of one final outcome must be exactly these. */
static void
assert_kept(const struct tally *t, enum outcome o, const char *const *expect,
    size_t n)
{
	struct tally_id *ids;
	size_t got, i;

	assert_int_equal(tally_kept(t, o, &ids, &got), 0);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(ids[i].len, strlen(expect[i]));
		assert_memory_equal(ids[i].id, expect[i], ids[i].len);
	}
	free(ids);
}

/* Histories: records in file order, then the selectors and counts. */
struct history_record {
	const char *id;
	enum outcome outcome;
};
#define P(id)	{ (id), OUTCOME_PASSED }
#define F(id)	{ (id), OUTCOME_FAILED }
#define S(id)	{ (id), OUTCOME_SKIPPED }
#define U(id)	{ (id), OUTCOME_UNKNOWN }

struct history_case {
	const char *what;
	struct history_record records[12];	/* up to one with a NULL id */
	const char *selectors[4];	/* each list up to a NULL */
	const char *flaky[4];
	const char *unknown[4];
	struct tally_counts counts;
};

static const struct history_case histories[] = {
	{ "each outcome is counted",
	    { P("p"), F("f"), S("s"), U("u"), P("p2") }, { "f" }, { NULL },
	    { "u" }, { 5, 5, 2, 1, 1, 1 } },
	/* a: failed then passed; b: passed then failed; c: passed then
	 * unknown (a rerun without result); d: unknown then skipped. */
	{ "the last record decides the outcome",
	    { F("a"), P("b"), P("c"), U("d"), P("a"), F("b"), U("c"),
	    S("d") }, { "b" }, { "a" }, { "c" }, { 8, 4, 1, 1, 1, 1 } },
	{ "selectors follow the first record of each node",
	    { P("A"), F("B"), F("A") }, { "A", "B" }, { NULL }, { NULL },
	    { 3, 2, 0, 2, 0, 0 } },
	{ "a node failing many times is selected once",
	    { F("x"), F("y"), F("x"), F("y"), F("x"), F("y"), F("x"), F("y"),
	    F("x"), F("y") }, { "x", "y" }, { NULL }, { NULL },
	    { 10, 2, 0, 2, 0, 0 } },
	{ "a failed node that later passes is not selected",
	    { F("a"), F("b"), F("c"), P("a"), S("b") }, { "c" }, { "a" },
	    { NULL }, { 5, 3, 1, 1, 1, 0 } },
	{ "a node failing again after passing keeps its first place",
	    { F("a"), F("b"), P("a"), F("a") }, { "a", "b" }, { NULL },
	    { NULL }, { 4, 2, 0, 2, 0, 0 } },
	{ "node IDs that are prefixes of each other are distinct",
	    { F("t.py::a"), F("t.py::ab"), F("t.py::a[1]"), P("t.py::") },
	    { "t.py::a", "t.py::ab", "t.py::a[1]" }, { NULL }, { NULL },
	    { 4, 4, 1, 3, 0, 0 } },
	/* an unknown outcome is no failure: not selected */
	{ "unknown final outcomes are kept in first record order",
	    { P("x"), U("y"), U("z"), U("x"), S("y") }, { NULL }, { NULL },
	    { "x", "z" }, { 5, 3, 0, 0, 1, 2 } },
};

static void
test_history(void **state)
{
	const struct history_case *c = *state;
	const struct tally_counts *w = &c->counts;
	struct tally t;
	size_t i, n = 0;

	assert_int_equal(tally_init(&t, SEED), 0);
	for (i = 0; c->records[i].id != NULL; i++)
		assert_int_equal(rec(&t, c->records[i].id,
		    c->records[i].outcome), TALLY_OK);
	while (c->selectors[n] != NULL)
		n++;
	assert_selectors(&t, c->selectors, n);
	for (n = 0; c->flaky[n] != NULL; n++)
		;
	assert_kept(&t, OUTCOME_PASSED, c->flaky, n);
	for (n = 0; c->unknown[n] != NULL; n++)
		;
	assert_kept(&t, OUTCOME_UNKNOWN, c->unknown, n);
	assert_counts(&t, w->records, w->tests, w->passed, w->failed,
	    w->skipped, w->unknown);
	tally_free(&t);
}

static void
test_counts_add_up_to_tests_over_a_long_history(void **state)
{
	static const enum outcome cycle[] = {
		OUTCOME_PASSED, OUTCOME_FAILED, OUTCOME_SKIPPED,
		OUTCOME_UNKNOWN, OUTCOME_FAILED,
	};
	struct tally t;
	uint64_t want[4] = { 0, 0, 0, 0 };
	char id[32];
	unsigned i, last[10];

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "t.py::test_%u", i % 10);
		last[i % 10] = (i * 7 + i / 10) % 5;
		assert_int_equal(rec(&t, id, cycle[last[i % 10]]), TALLY_OK);
	}
	for (i = 0; i < 10; i++)
		want[cycle[last[i]]]++;
	assert_counts(&t, 1000, 10, want[OUTCOME_PASSED],
	    want[OUTCOME_FAILED], want[OUTCOME_SKIPPED],
	    want[OUTCOME_UNKNOWN]);
	tally_free(&t);
}

static void
test_selectors_keep_exact_bytes_nul_included(void **state)
{
	static const char id1[] = "t.py::test[a\0b]";
	static const char id2[] = "t.py::test[a\0c]";
	struct tally_id *ids;
	struct tally t;
	size_t n;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, id1, LEN(id1), OUTCOME_FAILED, 0,
	    NULL, 0), TALLY_OK);
	assert_int_equal(tally_record(&t, id2, LEN(id2), OUTCOME_FAILED, 0,
	    NULL, 0), TALLY_OK);
	/* Two IDs equal up to the NUL are two tests. */
	assert_counts(&t, 2, 2, 0, 2, 0, 0);
	assert_int_equal(tally_selectors(&t, &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0].len, LEN(id1));
	assert_memory_equal(ids[0].id, id1, LEN(id1));
	assert_int_equal(ids[1].len, LEN(id2));
	assert_memory_equal(ids[1].id, id2, LEN(id2));
	free(ids);
	tally_free(&t);
}

/* Collection error i is the node ID id (NUL-free) with this reason. */
static void
assert_collection_error(const struct tally *t, size_t i, const char *id,
    const char *reason)
{
	struct tally_id e;

	tally_collection_error(t, i, &e);
	assert_int_equal(e.len, strlen(id));
	assert_memory_equal(e.id, id, e.len);
	assert_int_equal(e.reason_len, strlen(reason));
	if (e.reason_len > 0)
		assert_memory_equal(e.reason, reason, e.reason_len);
}

static void
test_collection_errors_once_each_in_file_order(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(rec(&t, "t.py::ok", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(tally_record(&t, "b.py", 4, OUTCOME_FAILED, 1,
	    "ImportError: b\nTraceback", 24), TALLY_OK);
	assert_int_equal(tally_record(&t, "a.py", 4, OUTCOME_FAILED, 1,
	    "SyntaxError: a", 14), TALLY_OK);
	assert_int_equal(tally_record(&t, "b.py", 4, OUTCOME_FAILED, 1,
	    "a later reason", 14), TALLY_OK);
	assert_int_equal(t.nerrors, 2);
	assert_int_equal(t.error_records, 3);
	assert_collection_error(&t, 0, "b.py", "ImportError: b");
	assert_collection_error(&t, 1, "a.py", "SyntaxError: a");
	/* They are failed tests too. */
	assert_counts(&t, 4, 3, 1, 2, 0, 0);
	tally_free(&t);
}

static void
test_collection_error_order_is_that_of_the_error_records(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	/* x.py is seen first as an ordinary record, y.py's error comes
	 * first in the file. */
	assert_int_equal(rec(&t, "x.py", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(tally_record(&t, "y.py", 4, OUTCOME_FAILED, 1,
	    NULL, 0), TALLY_OK);
	assert_int_equal(tally_record(&t, "x.py", 4, OUTCOME_FAILED, 1,
	    NULL, 0), TALLY_OK);
	assert_int_equal(t.nerrors, 2);
	assert_collection_error(&t, 0, "y.py", "");
	assert_collection_error(&t, 1, "x.py", "");
	tally_free(&t);
}

/* The reason kept for one collection error with this failure_reason. */
static void
assert_kept_reason(const char *reason, size_t len, const char *want,
    size_t want_len)
{
	struct tally_id e;
	struct tally t;

	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record(&t, "e.py", 4, OUTCOME_FAILED, 1,
	    reason, len), TALLY_OK);
	assert_int_equal(t.nerrors, 1);
	tally_collection_error(&t, 0, &e);
	assert_int_equal(e.reason_len, want_len);
	if (want_len > 0)
		assert_memory_equal(e.reason, want, want_len);
	tally_free(&t);
}

/*
 * The reason a collection error keeps: the first line of failure_reason,
 * at most 200 bytes, never half a character.  The reason is text, or len
 * bytes of 'r' with put written at byte at; the first want bytes stay.
 */
struct reason_case {
	const char *what;
	const char *text;
	size_t len, at;
	const char *put;
	size_t want;
};

static const struct reason_case reasons[] = {
	{ "cut at a line feed", "E: one\ntwo", 10, 0, NULL, 6 },
	{ "cut at CR LF", "E: one\r\ntwo", 11, 0, NULL, 6 },
	{ "cut at a carriage return", "E: one\rtwo", 10, 0, NULL, 6 },
	{ "an empty first line", "\nsecond", 7, 0, NULL, 0 },
	{ "one line whole", "whole", 5, 0, NULL, 5 },
	{ "no reason", NULL, 0, 0, NULL, 0 },
	{ "cut at 200 bytes", NULL, 300, 0, NULL, 200 },
	{ "200 bytes whole", NULL, 200, 0, NULL, 200 },
	{ "199 bytes whole", NULL, 199, 0, NULL, 199 },
	{ "a line feed after byte 200 does not matter", NULL, 300, 250, "\n",
	    200 },
	{ "an e-acute across bytes 199-200 is cut before", NULL, 300, 199,
	    "\xc3\xa9", 199 },
	{ "an e-acute at bytes 198-199 fits whole", NULL, 300, 198,
	    "\xc3\xa9", 200 },
	{ "a euro sign at bytes 198-200 is cut before", NULL, 300, 198,
	    "\xe2\x82\xac", 198 },
	{ "a euro sign at bytes 199-201 is cut before", NULL, 300, 199,
	    "\xe2\x82\xac", 199 },
	{ "an emoji at bytes 197-200 is cut before", NULL, 300, 197,
	    "\xf0\x9f\x98\x80", 197 },
};

static void
test_reason(void **state)
{
	const struct reason_case *c = *state;
	char buf[300];
	const char *reason = c->text;

	if (reason == NULL && c->len > 0) {
		memset(buf, 'r', sizeof(buf));
		if (c->put != NULL)
			memcpy(buf + c->at, c->put, strlen(c->put));
		reason = buf;
	}
	assert_kept_reason(reason, c->len, reason, c->want);
}

/* Many distinct node IDs: the table grows many times and every count,
 * selector and order stays exact. */
static void
test_many_distinct_ids_grow_the_table_and_stay_exact(void **state)
{
	enum { N = 200000 };
	struct tally_id *ids;
	struct tally t;
	char id[64];
	size_t i, n, cap0;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	cap0 = t.cap;
	for (i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "tests/test_mod%zu.py::test_%zu",
		    i % 97, i);
		/* every 10th fails, every 7th is skipped */
		assert_int_equal(rec(&t, id, i % 10 == 3 ? OUTCOME_FAILED :
		    i % 7 == 0 ? OUTCOME_SKIPPED : OUTCOME_PASSED), TALLY_OK);
	}
	assert_true(t.cap > cap0);
	assert_true(t.cap >= N);
	/* Again, in reverse: every 10th fails for good, the rest pass
	 * except the ones that failed, which stay failed. */
	for (i = N; i-- > 0;) {
		snprintf(id, sizeof(id), "tests/test_mod%zu.py::test_%zu",
		    i % 97, i);
		if (i % 10 != 3)
			assert_int_equal(rec(&t, id, OUTCOME_PASSED),
			    TALLY_OK);
	}
	assert_counts(&t, N + N - N / 10, N, N - N / 10, N / 10, 0, 0);
	assert_int_equal(tally_selectors(&t, &ids, &n), 0);
	assert_int_equal(n, N / 10);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "tests/test_mod%zu.py::test_%zu",
		    (i * 10 + 3) % 97, i * 10 + 3);
		assert_int_equal(ids[i].len, strlen(id));
		assert_memory_equal(ids[i].id, id, ids[i].len);
	}
	free(ids);
	tally_free(&t);
}

/* Room made ahead, with node IDs already in: none lost, order kept, the
 * reservation bounded. */
static void
test_expect_makes_room_once_and_keeps_what_is_in(void **state)
{
	static const char *const failed[] = { "a::f1", "c::f2" };
	struct tally t;
	size_t cap;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(rec(&t, "a::f1", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(rec(&t, "b::p", OUTCOME_PASSED), TALLY_OK);
	tally_expect(&t, 100000);
	assert_true(t.cap * 4 >= 100000u * 5);
	cap = t.cap;
	assert_int_equal(rec(&t, "c::f2", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(rec(&t, "b::p", OUTCOME_PASSED), TALLY_OK);
	assert_counts(&t, 4, 3, 1, 2, 0, 0);
	assert_selectors(&t, failed, 2);
	tally_expect(&t, 10);		/* never shrinks */
	assert_int_equal(t.cap, cap);
	tally_expect(&t, UINT64_MAX);	/* bounded: 2^19 IDs, 8 MiB */
	assert_true(t.cap * 4 >= (1u << 19) * 5u);
	assert_true(t.cap * (sizeof(*t.hashes) + sizeof(*t.meta)) <=
	    (size_t)8 << 20);
	assert_counts(&t, 4, 3, 1, 2, 0, 0);
	assert_selectors(&t, failed, 2);
	tally_free(&t);
}

static void
test_hash_is_deterministic_for_a_seed(void **state)
{
	(void)state;
	assert_int_equal(tally_hash(1, "t.py::a", 7),
	    tally_hash(1, "t.py::a", 7));
	assert_int_equal(tally_hash(SEED, "", 0), tally_hash(SEED, "", 0));
	assert_int_equal(tally_hash(SEED, "0123456789abcdefXYZ", 19),
	    tally_hash(SEED, "0123456789abcdefXYZ", 19));
}

static void
test_hash_differs_across_seeds_and_inputs(void **state)
{
	static const char *const inputs[] = {
		"", "a", "b", "t.py::a", "t.py::b", "t.py::test_x[0]",
		"t.py::test_x[1]", "0123456789abcdef", "0123456789abcdeg",
		"a much longer node ID that spans several hash blocks",
	};
	enum { N = sizeof(inputs) / sizeof(inputs[0]) };
	uint64_t h[N];
	size_t i, j;

	(void)state;
	for (i = 0; i < N; i++) {
		h[i] = tally_hash(SEED, inputs[i], strlen(inputs[i]));
		assert_int_not_equal(h[i], 0);	/* 0 marks a free slot */
		assert_int_not_equal(h[i], tally_hash(SEED + 1, inputs[i],
		    strlen(inputs[i])));
		assert_int_not_equal(h[i], tally_hash(0, inputs[i],
		    strlen(inputs[i])));
		for (j = 0; j < i; j++)
			assert_int_not_equal(h[i], h[j]);
	}
	/* The length is part of the hash: trailing NULs count. */
	assert_int_not_equal(tally_hash(SEED, "a\0\0", 1),
	    tally_hash(SEED, "a\0\0", 2));
	assert_int_not_equal(tally_hash(SEED, "abcdefgh\0", 8),
	    tally_hash(SEED, "abcdefgh\0", 9));
}

/*
 * tally_hash is SipHash-1-3, through the same code as SipHash-2-4, whose
 * published test vectors (key 00..0f, message 00 01 02 ...) pin it, so
 * that a collision-prone stand-in cannot slip back in.
 */
static void
test_siphash_matches_the_published_vectors(void **state)
{
	unsigned char key[16], msg[64];
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	assert_true(siphash(2, 4, key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(siphash(2, 4, key, msg, 1) == 0x74f839c593dc67fdULL);
	assert_true(siphash(2, 4, key, msg, 8) == 0x93f5f5799a932462ULL);
	assert_true(siphash(2, 4, key, msg, 15) == 0xa129ca6149be45e5ULL);
}

/*
 * A collision cannot be built any more, so the tests force one: both
 * node IDs are recorded under the same hash through tally_record_hashed.
 */
static const uint64_t SAME_HASH = 0x0123456789abcdefULL;

static enum tally_status
record_as(struct tally *t, const char *id, enum outcome o)
{
	return tally_record_hashed(t, SAME_HASH, id, strlen(id), o, 0, NULL);
}

static void
test_a_colliding_id_after_a_failure_is_detected(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(record_as(&t, "t.py::b", OUTCOME_PASSED),
	    TALLY_COLLISION);
	tally_free(&t);

	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(record_as(&t, "t.py::b", OUTCOME_FAILED),
	    TALLY_COLLISION);
	/* The same node ID again is no collision. */
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_PASSED), TALLY_OK);
	tally_free(&t);
}

static void
test_a_failure_colliding_with_a_passed_id_cannot_hide(void **state)
{
	struct tally_id *ids;
	struct tally t;
	size_t n;

	(void)state;
	/* a passed, then b failed: b's failure stands, by b's own text. */
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(record_as(&t, "t.py::b", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(tally_selectors(&t, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0].len, 7);
	assert_memory_equal(ids[0].id, "t.py::b", 7);
	free(ids);
	/* ... and a passing again would pass b's failure away: refused. */
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_PASSED),
	    TALLY_COLLISION);
	tally_free(&t);
}

static void
test_a_failure_noted_under_a_shared_hash_is_a_collision(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_note_failure(&t, SAME_HASH, "t.py::a", 7,
	    NULL), TALLY_OK);
	assert_int_equal(tally_note_failure(&t, SAME_HASH, "t.py::b", 7,
	    NULL), TALLY_COLLISION);
	assert_int_equal(record_as(&t, "t.py::b", OUTCOME_PASSED),
	    TALLY_COLLISION);
	assert_int_equal(record_as(&t, "t.py::a", OUTCOME_PASSED), TALLY_OK);
	tally_free(&t);
}

static void
test_the_hash_depends_on_the_seed(void **state)
{
	(void)state;
	assert_true(tally_hash(SEED, "t.py::a", 7) !=
	    tally_hash(SEED + 1, "t.py::a", 7));
	assert_true(tally_hash(SEED, "t.py::a", 7) ==
	    tally_hash(SEED, "t.py::a", 7));
}

static uint64_t
hash_of(const struct tally *t, const char *id)
{
	return tally_hash_id(t, id, strlen(id));
}

static void
test_hash_id_is_the_hash_under_the_tally_seed(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_true(tally_hash_id(&t, "t.py::a", 7) ==
	    tally_hash(SEED, "t.py::a", 7));
	tally_free(&t);
}

static void
test_accessors_read_the_tally(void **state)
{
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(rec(&t, "a", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(tally_record(&t, "e.py", 4, OUTCOME_FAILED, 1, "E",
	    1), TALLY_OK);
	assert_int_equal(tally_record(&t, "e.py", 4, OUTCOME_FAILED, 1, "E",
	    1), TALLY_OK);
	assert_ptr_equal(tally_counts(&t), &t.counts);
	assert_int_equal(tally_counts(&t)->records, 3);
	assert_int_equal(tally_counts(&t)->tests, 2);
	assert_int_equal(tally_error_records(&t), 2);
	assert_int_equal(tally_nerrors(&t), 1);
	/* a log's reader counts its lines instead of records */
	tally_set_records(&t, 17);
	assert_counts(&t, 17, 2, 1, 1, 0, 0);
	tally_free(&t);
}

static void
test_touch_places_a_test_as_unknown_without_a_record(void **state)
{
	const char *const want[] = { "a", "b" };
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_touch(&t, hash_of(&t, "a"), "a", 1), TALLY_OK);
	assert_counts(&t, 0, 1, 0, 0, 0, 1);
	/* touching again changes nothing */
	assert_int_equal(tally_touch(&t, hash_of(&t, "a"), "a", 1), TALLY_OK);
	assert_counts(&t, 0, 1, 0, 0, 0, 1);
	/* b fails first, but a was seen first: a comes first */
	assert_int_equal(rec(&t, "b", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(rec(&t, "a", OUTCOME_FAILED), TALLY_OK);
	assert_counts(&t, 2, 2, 0, 2, 0, 0);
	assert_selectors(&t, want, 2);
	/* touching a known test leaves its outcome alone */
	assert_int_equal(tally_touch(&t, hash_of(&t, "b"), "b", 1), TALLY_OK);
	assert_counts(&t, 2, 2, 0, 2, 0, 0);
	tally_free(&t);
}

static void
test_a_noted_failure_decides_nothing_until_recorded(void **state)
{
	const char *const a[] = { "t.py::a" };
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_note_failure(&t, hash_of(&t, "t.py::a"),
	    "t.py::a", 7, NULL), TALLY_OK);
	/* a test now, of unknown outcome; no record counted */
	assert_counts(&t, 0, 1, 0, 0, 0, 1);
	assert_selectors(&t, NULL, 0);
	/* its text was kept: it is the unknown one */
	assert_kept(&t, OUTCOME_UNKNOWN, a, 1);
	assert_int_equal(tally_record(&t, "t.py::a", 7, OUTCOME_FAILED, 0,
	    NULL, 0), TALLY_OK);
	assert_counts(&t, 1, 1, 0, 1, 0, 0);
	assert_selectors(&t, a, 1);
	assert_kept(&t, OUTCOME_UNKNOWN, NULL, 0);
	tally_free(&t);
}

static void
test_passed_after_a_failure_is_flaky(void **state)
{
	const char *const flaky[] = { "a", "c" };
	const char *const failed[] = { "b" };
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(rec(&t, "p", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(rec(&t, "a", OUTCOME_FAILED), TALLY_OK);
	assert_int_equal(rec(&t, "b", OUTCOME_FAILED), TALLY_OK);
	/* c fails only by a noted failure, as a rerun attempt does */
	assert_int_equal(tally_note_failure(&t, hash_of(&t, "c"), "c", 1,
	    NULL), TALLY_OK);
	assert_int_equal(rec(&t, "c", OUTCOME_PASSED), TALLY_OK);
	assert_int_equal(rec(&t, "a", OUTCOME_PASSED), TALLY_OK);
	/* u ended unknown, then passed: it never failed, so not flaky */
	assert_int_equal(rec(&t, "u", OUTCOME_UNKNOWN), TALLY_OK);
	assert_int_equal(rec(&t, "u", OUTCOME_PASSED), TALLY_OK);
	assert_kept(&t, OUTCOME_PASSED, flaky, 2);
	assert_kept(&t, OUTCOME_FAILED, failed, 1);
	assert_kept(&t, OUTCOME_UNKNOWN, NULL, 0);
	assert_counts(&t, 7, 5, 4, 1, 0, 0);
	tally_free(&t);
}

/* The kept detail of the one failed node ID "f". */
static struct tally_id
failed_detail(struct tally *t)
{
	struct tally_id *ids, one;
	size_t n;

	assert_int_equal(tally_selectors(t, &ids, &n), 0);
	assert_int_equal(n, 1);
	one = ids[0];
	free(ids);
	return one;
}

/* Into t, fresh, keeping messages or not, the failure of "f" with
 * detail d: the detail kept of it. */
static struct tally_id
detail_of(struct tally *t, int messages, const struct failure_detail *d)
{
	assert_int_equal(tally_init(t, SEED), 0);
	if (messages)
		tally_keep_messages(t);
	assert_int_equal(tally_record_hashed(t, hash_of(t, "f"), "f", 1,
	    OUTCOME_FAILED, 0, d), TALLY_OK);
	return failed_detail(t);
}

/* The detail kept: the message's first line, path and line, site path
 * and line ("" and 0: none). */
static void
assert_detail(const struct tally_id *got, const char *reason,
    const char *path, uint64_t line, const char *site_path,
    uint32_t site_line)
{
	assert_int_equal(got->reason_len, strlen(reason));
	assert_memory_equal(got->reason, reason, got->reason_len);
	assert_int_equal(got->path_len, strlen(path));
	assert_memory_equal(got->path, path, got->path_len);
	assert_int_equal(got->line, line);
	assert_int_equal(got->site_path_len, strlen(site_path));
	assert_memory_equal(got->site_path, site_path, got->site_path_len);
	assert_int_equal(got->site_line, site_line);
}

static void
test_failure_detail_is_kept_only_when_messages_are_wanted(void **state)
{
	struct failure_detail d = { "AssertionError: x\ny", 19, "lib.py", 6,
	    7, "t.py", 4, 12 };
	struct tally_id got;
	struct tally t;

	(void)state;
	d.message = "AssertionError: x\ny";
	d.message_len = strlen(d.message);
	got = detail_of(&t, 0, &d);
	assert_detail(&got, "", "", 0, "", 0);
	tally_free(&t);

	got = detail_of(&t, 1, &d);
	assert_detail(&got, "AssertionError: x", "lib.py", 7, "t.py", 12);
	tally_free(&t);
}

static void
test_the_first_failure_detail_is_kept(void **state)
{
	struct failure_detail first = { "first", 5, "a.py", 4, 3, "ta.py", 5,
	    2 };
	struct failure_detail second = { "second", 6, "b.py", 4, 9, "tb.py", 5,
	    8 };
	struct tally_id got;
	struct tally t;
	uint64_t h;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_messages(&t);
	h = hash_of(&t, "f");
	/* no detail yet: the next failure's is kept */
	assert_int_equal(tally_note_failure(&t, h, "f", 1, NULL), TALLY_OK);
	assert_int_equal(tally_note_failure(&t, h, "f", 1, &first), TALLY_OK);
	assert_int_equal(tally_record_hashed(&t, h, "f", 1, OUTCOME_FAILED, 0,
	    &second), TALLY_OK);
	got = failed_detail(&t);
	assert_detail(&got, "first", "a.py", 3, "ta.py", 2);
	tally_free(&t);
}

static void
test_failure_message_is_cut_at_1024_bytes_and_long_paths_dropped(
    void **state)
{
	static char message[2000], path[5000];
	struct failure_detail d;
	struct tally_id got;
	struct tally t;

	(void)state;
	memset(message, 'm', sizeof(message));
	memcpy(message + 1023, "\xc3\xa9", 2);	/* é across the cut */
	memset(path, 'p', sizeof(path));
	memset(&d, 0, sizeof(d));
	d.message = message;
	d.message_len = sizeof(message);
	d.path = path;
	d.path_len = 4097;
	d.line = 1;
	d.site_path = path;
	d.site_path_len = 4097;
	d.site_line = 2;
	got = detail_of(&t, 1, &d);
	assert_int_equal(got.reason_len, 1023);
	assert_int_equal(got.path_len, 0);
	assert_int_equal(got.line, 1);
	assert_int_equal(got.site_path_len, 0);
	assert_int_equal(got.site_line, 0);
	tally_free(&t);

	d.path_len = 4096;
	d.site_path_len = 4096;
	got = detail_of(&t, 1, &d);
	assert_int_equal(got.path_len, 4096);
	assert_int_equal(got.site_path_len, 4096);
	assert_int_equal(got.site_line, 2);
	tally_free(&t);
}

static void
test_collection_error_reason_is_kept_without_messages(void **state)
{
	struct failure_detail d = { "ImportError: x\nmore", 19, NULL, 0, 0,
	    NULL, 0, 0 };
	struct tally_id e;
	struct tally t;

	(void)state;
	d.message_len = strlen(d.message);
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(tally_record_hashed(&t, hash_of(&t, "e.py"), "e.py",
	    4, OUTCOME_FAILED, 1, &d), TALLY_OK);
	tally_collection_error(&t, 0, &e);
	assert_int_equal(e.reason_len, LEN("ImportError: x"));
	assert_memory_equal(e.reason, "ImportError: x", e.reason_len);
	/* a detail-less collection error has no reason */
	assert_int_equal(tally_record_hashed(&t, hash_of(&t, "f.py"), "f.py",
	    4, OUTCOME_FAILED, 1, NULL), TALLY_OK);
	tally_collection_error(&t, 1, &e);
	assert_int_equal(e.reason_len, 0);
	tally_free(&t);
}

/* A run showing a failure with this message, or nothing. */
static struct run_record
run_of(unsigned results, const char *message, double time)
{
	struct run_record r;

	memset(&r, 0, sizeof(r));
	r.time = time;
	r.results = results;
	r.text[RUN_FAILURE_MESSAGE].s = message;
	r.text[RUN_FAILURE_MESSAGE].len = strlen(message);
	return r;
}

static enum tally_status
rec_run(struct tally *t, const char *id, enum outcome o,
    const struct run_record *r)
{
	return tally_record_run(t, tally_hash_id(t, id, strlen(id)), id,
	    strlen(id), o, 0, NULL, r);
}

/* The messages of a case's kept runs, "|"-joined, and its node ID. */
static void
assert_case(const struct tally *t, size_t i, const char *id,
    const char *messages)
{
	const struct tally_run *run;
	struct strbuf got;
	const char *text, *cid;
	size_t len;
	int collect;

	strbuf_init(&got);
	tally_case(t, i, &cid, &len, &collect, &run);
	assert_int_equal(len, strlen(id));
	assert_memory_equal(cid, id, len);
	for (; run != NULL; run = tally_run_next(t, run)) {
		text = tally_run_text(run, RUN_FAILURE_MESSAGE, &len);
		if (got.len > 0)
			strbuf_puts(&got, "|");
		strbuf_append(&got, text, len);
	}
	assert_string_equal(got.data != NULL ? got.data : "", messages);
	strbuf_free(&got);
}

static void
test_runs_keep_every_node_id_in_first_seen_order(void **state)
{
	struct run_record r = run_of(0, "", 0.5);
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_runs(&t);
	assert_int_equal(tally_touch(&t, hash_of(&t, "b"), "b", 1), TALLY_OK);
	assert_int_equal(rec_run(&t, "a", OUTCOME_PASSED, &r), TALLY_OK);
	assert_int_equal(rec_run(&t, "b", OUTCOME_PASSED, &r), TALLY_OK);
	assert_int_equal(tally_ncases(&t), 2);
	assert_case(&t, 0, "b", "");
	assert_case(&t, 1, "a", "");
	assert_true(t.cases[0].run.time == 0.5);
	assert_int_equal(t.cases[0].run.outcome, OUTCOME_PASSED);
	assert_null(t.cases[0].run.texts);	/* no text, no allocation */
	assert_int_equal(t.nruns, 0);	/* a first run lies in its case */
	tally_free(&t);

	/* Without runs: no case. */
	assert_int_equal(tally_init(&t, SEED), 0);
	assert_int_equal(rec_run(&t, "a", OUTCOME_PASSED, &r), TALLY_OK);
	assert_int_equal(tally_ncases(&t), 0);
	tally_free(&t);
}

static void
test_failing_runs_are_kept_and_the_latest(void **state)
{
	struct run_record fail = run_of(RUN_FAILURE, "f", 0);
	struct run_record pass = run_of(0, "p", 0);
	struct tally t;
	char want[128];
	int i;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_runs(&t);
	/* A run that did not fail gives way to the next. */
	assert_int_equal(rec_run(&t, "a", OUTCOME_PASSED, &pass), TALLY_OK);
	assert_int_equal(rec_run(&t, "a", OUTCOME_FAILED, &fail), TALLY_OK);
	assert_int_equal(rec_run(&t, "a", OUTCOME_FAILED, &fail), TALLY_OK);
	assert_int_equal(rec_run(&t, "a", OUTCOME_PASSED, &pass), TALLY_OK);
	assert_case(&t, 0, "a", "f|f|p");
	/* At most TALLY_RUNS_KEEP: the first failing ones, and the
	 * latest. */
	for (i = 0; i < 40; i++)
		assert_int_equal(rec_run(&t, "b", OUTCOME_FAILED, &fail),
		    TALLY_OK);
	assert_int_equal(rec_run(&t, "b", OUTCOME_PASSED, &pass), TALLY_OK);
	want[0] = '\0';
	for (i = 0; i < TALLY_RUNS_KEEP - 1; i++)
		strcat(want, "f|");
	strcat(want, "p");
	assert_case(&t, 1, "b", want);
	tally_free(&t);
}

static void
test_run_texts_are_cut_at_a_whole_character(void **state)
{
	static char big[TALLY_RUN_MESSAGE_KEEP + 10];
	struct run_record r;
	struct tally t;
	const char *text;
	size_t len;

	(void)state;
	memset(big, 'x', sizeof(big));
	/* An e-acute across the cut. */
	big[TALLY_RUN_MESSAGE_KEEP - 1] = (char)0xc3;
	big[TALLY_RUN_MESSAGE_KEEP] = (char)0xa9;
	r = run_of(RUN_FAILURE, "", 0);
	r.text[RUN_FAILURE_MESSAGE].s = big;
	r.text[RUN_FAILURE_MESSAGE].len = sizeof(big);
	r.text[RUN_OUT].s = "out";
	r.text[RUN_OUT].len = 3;
	r.text[RUN_OUT].cut = 1;	/* a reader kept only this */
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_runs(&t);
	assert_int_equal(rec_run(&t, "a", OUTCOME_FAILED, &r), TALLY_OK);
	text = tally_run_text(&t.cases[0].run, RUN_FAILURE_MESSAGE, &len);
	assert_int_equal(len, TALLY_RUN_MESSAGE_KEEP - 1 + 3);
	assert_memory_equal(text + len - 4, "x\xe2\x80\xa6", 4);
	text = tally_run_text(&t.cases[0].run, RUN_OUT, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(text, "out\n\xe2\x80\xa6", 7);
	text = tally_run_text(&t.cases[0].run, RUN_ERR, &len);
	assert_int_equal(len, 0);
	tally_free(&t);
}

static void
test_collectors_keep_their_latest_run_and_count_no_test(void **state)
{
	struct run_record fail = run_of(RUN_ERROR, "e", 0);
	struct tally t;
	const struct tally_run *run;
	const char *id;
	size_t len;
	int collect;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_runs(&t);
	assert_int_equal(tally_collect_skipped(&t, "m.py", 4, &fail),
	    TALLY_OK);
	assert_counts(&t, 0, 0, 0, 0, 0, 0);
	assert_int_equal(tally_record_run(&t, hash_of(&t, "e.py"), "e.py",
	    4, OUTCOME_FAILED, 1, NULL, &fail), TALLY_OK);
	assert_int_equal(tally_record_run(&t, hash_of(&t, "e.py"), "e.py",
	    4, OUTCOME_FAILED, 1, NULL, &fail), TALLY_OK);
	assert_int_equal(tally_ncases(&t), 2);
	tally_case(&t, 0, &id, &len, &collect, &run);
	assert_true(collect);
	assert_int_equal(run->outcome, OUTCOME_SKIPPED);
	tally_case(&t, 1, &id, &len, &collect, &run);
	assert_true(collect);
	assert_null(tally_run_next(&t, run));
	tally_free(&t);
}

static void
test_runs_check_every_node_id_for_a_shared_hash(void **state)
{
	struct run_record pass = run_of(0, "", 0);
	struct tally t;

	(void)state;
	assert_int_equal(tally_init(&t, SEED), 0);
	tally_keep_runs(&t);
	assert_int_equal(tally_record_run(&t, SAME_HASH, "a", 1,
	    OUTCOME_PASSED, 0, NULL, &pass), TALLY_OK);
	assert_int_equal(tally_record_run(&t, SAME_HASH, "b", 1,
	    OUTCOME_PASSED, 0, NULL, &pass), TALLY_COLLISION);
	tally_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_empty_tally_has_no_counts_and_no_selectors),
		cmocka_unit_test(
		    test_counts_add_up_to_tests_over_a_long_history),
		cmocka_unit_test(test_selectors_keep_exact_bytes_nul_included),
		cmocka_unit_test(
		    test_collection_errors_once_each_in_file_order),
		cmocka_unit_test(
		    test_collection_error_order_is_that_of_the_error_records),
		cmocka_unit_test(
		    test_many_distinct_ids_grow_the_table_and_stay_exact),
		cmocka_unit_test(
		    test_expect_makes_room_once_and_keeps_what_is_in),
		cmocka_unit_test(test_hash_is_deterministic_for_a_seed),
		cmocka_unit_test(test_hash_differs_across_seeds_and_inputs),
		cmocka_unit_test(
		    test_a_colliding_id_after_a_failure_is_detected),
		cmocka_unit_test(
		    test_a_failure_colliding_with_a_passed_id_cannot_hide),
		cmocka_unit_test(test_siphash_matches_the_published_vectors),
		cmocka_unit_test(test_the_hash_depends_on_the_seed),
		cmocka_unit_test(
		    test_a_failure_noted_under_a_shared_hash_is_a_collision),
		cmocka_unit_test(test_hash_id_is_the_hash_under_the_tally_seed),
		cmocka_unit_test(test_accessors_read_the_tally),
		cmocka_unit_test(
		    test_touch_places_a_test_as_unknown_without_a_record),
		cmocka_unit_test(
		    test_a_noted_failure_decides_nothing_until_recorded),
		cmocka_unit_test(test_passed_after_a_failure_is_flaky),
		cmocka_unit_test(
		    test_failure_detail_is_kept_only_when_messages_are_wanted),
		cmocka_unit_test(test_the_first_failure_detail_is_kept),
		cmocka_unit_test(
		    test_failure_message_is_cut_at_1024_bytes_and_long_paths_dropped),
		cmocka_unit_test(
		    test_collection_error_reason_is_kept_without_messages),
		cmocka_unit_test(
		    test_runs_keep_every_node_id_in_first_seen_order),
		cmocka_unit_test(test_failing_runs_are_kept_and_the_latest),
		cmocka_unit_test(test_run_texts_are_cut_at_a_whole_character),
		cmocka_unit_test(
		    test_collectors_keep_their_latest_run_and_count_no_test),
		cmocka_unit_test(
		    test_runs_check_every_node_id_for_a_shared_hash),
	};

	return run_table("tally: histories", TABLE(histories), test_history) +
	    run_table("tally: collection error reasons", TABLE(reasons),
	    test_reason) +
	    cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
