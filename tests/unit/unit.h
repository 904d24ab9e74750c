/*
 * unit.h: what several unit tests share: a table of cases run as one
 * test each, the name of a reader's status, and the check of the
 * failures a reader kept with their messages and places, and a step of
 * one attempt for the writers.
 *
 * Static functions in a header, as in tests/tools/capture.h: each test is
 * one program built from its own source.  Include after <cmocka.h>.
 */
#ifndef PYTRIAGE_UNIT_H
#define PYTRIAGE_UNIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "step.h"
#include "tally.h"

/*
 * Run each row of a table as its own test of f, named by the row: each
 * row is size bytes and begins with its name.  The number that failed.
 */
static inline int
run_table(const char *group, const void *table, size_t size, size_t n,
    void (*f)(void **))
{
	struct CMUnitTest *tests;
	size_t i;
	int failed;

	assert_non_null(tests = calloc(n, sizeof(*tests)));
	for (i = 0; i < n; i++) {
		tests[i].initial_state = (char *)table + i * size;
		tests[i].name = *(const char *const *)tests[i].initial_state;
		tests[i].test_func = f;
	}
	failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	free(tests);
	return failed;
}

static inline const char *
status_name(enum report_status s)
{
	static const char *const names[] = {
		"OK", "EMPTY", "BAD", "IOERR", "NOMEM", "TOO_MANY", "COLLISION",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ?
	    names[s] : "?";
}

/* A failed node ID as a reader should keep it, with messages wanted. */
struct detail_want {
	const char *id;
	const char *message;	/* the first line of the failure */
	const char *path;
	uint64_t line;
};

static inline int
same_bytes(const char *p, size_t len, const char *want)
{
	return len == strlen(want) && (len == 0 || memcmp(p, want, len) == 0);
}

/*
 * The selectors of a reading, held to the n wanted: each node ID, message,
 * path and line exactly.  reader and chunk name the reading in a failure.
 */
static inline void
check_kept_details(const struct tally *t, const struct detail_want *w,
    size_t n, const char *reader, size_t chunk)
{
	struct tally_id *ids;
	size_t i, got;

	assert_int_equal(tally_selectors(t, &ids, &got), 0);
	assert_int_equal(got, n);
	for (i = 0; i < n; i++)
		if (!same_bytes(ids[i].id, ids[i].len, w[i].id) ||
		    !same_bytes(ids[i].reason, ids[i].reason_len,
		    w[i].message) ||
		    !same_bytes(ids[i].path, ids[i].path_len, w[i].path) ||
		    ids[i].line != w[i].line)
			fail_msg("%s, chunk %zu, #%zu: \"%.*s\" \"%.*s\" at "
			    "\"%.*s\" line %ju", reader, chunk, i,
			    (int)ids[i].len, ids[i].id,
			    (int)ids[i].reason_len, ids[i].reason,
			    (int)ids[i].path_len, ids[i].path,
			    (uintmax_t)ids[i].line);
	free(ids);
}

/* A triage built by hand, as the step of one attempt the writers print. */
static inline const struct step *
one_step(const struct triage *t)
{
	static struct step s;

	memset(&s, 0, sizeof(s));
	s.result = *t;
	return &s;
}

#endif
