/*
 * unit.h: what the unit tests share.  A table of cases run as one test
 * each.  For the readers: bytes written as string literals, the two
 * readers by number, a reader's status by name, a document handed to a
 * reader from memory, a mapped file or a pipe, and the checks that no
 * input file can make (a collision handed to the tally, a document across
 * the source's mapping window); the readers' rules themselves are
 * end-to-end cases (testdata/hostile/, tests/golden/report.test and
 * reportlog.test, both readers at every chunk size in tests/difftest.sh).
 * For the writers: a triage built by hand (printed as the step of one
 * attempt), what a writer wrote for it, and a table of such triages with
 * the exact bytes wanted.
 *
 * Static functions in a header, as in tests/tools/capture.h: each test is
 * one program built from its own source.  Include after <cmocka.h>.
 */
#ifndef PYTRIAGE_UNIT_H
#define PYTRIAGE_UNIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"
#include "reader.h"
#include "source.h"
#include "step.h"
#include "tally.h"
#include "triage.h"

#define SEED	0x0123456789abcdefULL
#define N(a)	(sizeof(a) / sizeof((a)[0]))
/* A table for run_table: its rows, their size and number. */
#define TABLE(a)	(a), sizeof((a)[0]), N(a)

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

/* Bytes that may hold NUL: a string literal and its length. */
struct bytes {
	const char *p;
	size_t len;
};
#define B(s)	{ (s), sizeof(s) - 1 }

/* The readers by number: 0 the fast one, 1 json-c's reference. */
#define NREADERS	2

static inline const char *
reader_name(size_t r)
{
	return r == 0 ? "report_read" : "refread_read";
}

static inline enum report_status
reader_read(size_t r, struct source *src, struct reading *rd)
{
	return r == 0 ? report_read(src, rd) : refread_read(src, rd);
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

/*
 * Read doc with reader r into a fresh tally (SEED), from memory in chunks
 * of chunk bytes (0: whole).  Messages are not kept.
 */
static inline enum report_status
read_doc(size_t r, const void *doc, size_t len, size_t chunk,
    struct tally *t, struct reading *rd)
{
	struct source src;

	assert_int_equal(tally_init(t, SEED), 0);
	memset(rd, 0, sizeof(*rd));
	rd->tally = t;
	source_from_memory(&src, doc, len, chunk);
	return reader_read(r, &src, rd);
}

/*
 * A document through a file descriptor: a regular file, which the source
 * maps a window at a time, or a pipe, which it reads a chunk at a time,
 * filled by a child process.
 */
enum feed_kind { FROM_FILE, FROM_PIPE };

static inline enum report_status
read_fed(size_t r, enum feed_kind kind, const void *doc, size_t len,
    struct tally *t, struct reading *rd)
{
	enum report_status st;
	struct source src;
	FILE *tmp = NULL;
	pid_t pid = -1;
	int fds[2], status;

	if (kind == FROM_FILE) {
		assert_non_null(tmp = tmpfile());
		assert_int_equal(fwrite(doc, 1, len, tmp), len);
		assert_int_equal(fflush(tmp), 0);
		assert_int_equal(lseek(fileno(tmp), 0, SEEK_SET), 0);
		source_from_fd(&src, fileno(tmp));
	} else {
		assert_int_equal(pipe(fds), 0);
		assert_true((pid = fork()) >= 0);
		if (pid == 0) {
			close(fds[0]);
			_exit(write(fds[1], doc, len) == (ssize_t)len ? 0 : 1);
		}
		close(fds[1]);
		source_from_fd(&src, fds[0]);
	}
	assert_int_equal(tally_init(t, SEED), 0);
	memset(rd, 0, sizeof(*rd));
	rd->tally = t;
	st = reader_read(r, &src, rd);
	source_end(&src);
	if (kind == FROM_FILE)
		fclose(tmp);
	else {
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	return st;
}

/*
 * A document of head, padding ('p') and tail, with the one collection
 * error "tests/test_e.py" ("E: x") in tail, read from a file by both
 * readers with the source's mapping window ending at every third byte of
 * tail's first tlen bytes: each must read it as from memory, with the
 * counts and SessionFinish wanted.
 */
static inline void
check_across_the_window(const char *head, const char *tail, size_t tlen,
    const struct tally_counts *want, int finished, int64_t session_status)
{
	size_t hlen = strlen(head), len, d, r;
	struct reading rd;
	struct tally_id e;
	struct tally t;
	enum report_status st;
	char *doc;

	assert_non_null(doc = malloc(SOURCE_WINDOW + strlen(tail)));
	for (d = 0; d < tlen; d += 3) {
		/* the window ends d bytes into tail */
		memcpy(doc, head, hlen);
		memset(doc + hlen, 'p', SOURCE_WINDOW - d - hlen);
		memcpy(doc + SOURCE_WINDOW - d, tail, strlen(tail));
		len = SOURCE_WINDOW - d + strlen(tail);
		for (r = 0; r < NREADERS; r++) {
			st = read_fed(r, FROM_FILE, doc, len, &t, &rd);
			if (st != REPORT_READ_OK || t.nerrors != 1 ||
			    memcmp(&t.counts, want, sizeof(*want)) != 0 ||
			    rd.finished != finished ||
			    rd.session_status != session_status)
				fail_msg("window's end %zu bytes into the tail, "
				    "%s: %s, %zu collection errors, %ju "
				    "records, %ju tests", d, reader_name(r),
				    status_name(st), t.nerrors,
				    (uintmax_t)t.counts.records,
				    (uintmax_t)t.counts.tests);
			tally_collection_error(&t, 0, &e);
			if (e.len != 15 ||
			    memcmp(e.id, "tests/test_e.py", 15) != 0 ||
			    e.reason_len != 4 || memcmp(e.reason, "E: x", 4) != 0)
				fail_msg("window's end %zu bytes into the tail, "
				    "%s: \"%.*s\" (%.*s)", d, reader_name(r),
				    (int)e.len, e.id, (int)e.reason_len,
				    e.reason);
			tally_free(&t);
		}
	}
	free(doc);
}

/*
 * A tally that already holds "t.py::a" as failed under the hash of
 * "t.py::b": a collision that SipHash would take an astronomical
 * coincidence to make.  Reading a document naming t.py::b must refuse it
 * (REPORT_READ_COLLISION), not merge the two.
 */
static inline void
check_collision(const char *doc)
{
	struct reading rd;
	struct source src;
	struct tally t;
	enum report_status st;
	size_t r;

	for (r = 0; r < NREADERS; r++) {
		assert_int_equal(tally_init(&t, SEED), 0);
		assert_int_equal(tally_record_hashed(&t,
		    tally_hash(SEED, "t.py::b", 7), "t.py::a", 7,
		    OUTCOME_FAILED, 0, NULL), TALLY_OK);
		source_from_memory(&src, doc, strlen(doc), 0);
		memset(&rd, 0, sizeof(rd));
		rd.tally = &t;
		if ((st = reader_read(r, &src, &rd)) != REPORT_READ_COLLISION)
			fail_msg("%s: %s, want COLLISION", reader_name(r),
			    status_name(st));
		tally_free(&t);
	}
}

/* Writers. */

/* A failed test by its node ID, or with its path, line and message. */
#define T(s)	{ (s), sizeof(s) - 1, NULL, 0, NULL, 0, 0, NULL, 0, 0 }
#define TM(s, path, line, msg) \
	{ (s), sizeof(s) - 1, (msg), sizeof(msg) - 1, (path), \
	  sizeof(path) - 1, (line), NULL, 0, 0 }
/* With a site: where the failure passed through the test's file. */
#define TS(s, path, line, site, site_line, msg) \
	{ (s), sizeof(s) - 1, (msg), sizeof(msg) - 1, (path), \
	  sizeof(path) - 1, (line), (site), sizeof(site) - 1, (site_line) }

static inline struct triage
hand_triage(enum verdict v, const char *reason, const struct triage_counts *c)
{
	struct triage t;

	memset(&t, 0, sizeof(t));
	t.verdict = v;
	t.input = INPUT_COLLECTOR;
	t.exit_status = 1;
	t.reason = reason;
	if (c != NULL)
		t.counts = *c;
	return t;
}

/* What a writer wrote, captured with open_memstream(3). */
struct written {
	char *buf;
	size_t len;
	int rc;		/* what the writer returned */
};

/* A triage built by hand, as the step of one attempt the writers print. */
static inline const struct step *
one_step(const struct triage *t)
{
	static struct step s;

	memset(&s, 0, sizeof(s));
	s.result = *t;
	return &s;
}

/* Write t as the step of one attempt, from cwd_in_workspace below the
 * workspace /w. */
static inline void
write_in(struct written *w, writer *f, const struct triage *t,
    uint64_t max_bytes, const char *cwd_in_workspace)
{
	struct write_options o;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	o.max_bytes = max_bytes;
	o.workspace = "/w";
	o.cwd_in_workspace = cwd_in_workspace;
	w->buf = NULL;
	w->len = 0;
	assert_non_null(fp = open_memstream(&w->buf, &w->len));
	w->rc = f(fp, one_step(t), &o);
	assert_int_equal(fclose(fp), 0);
}

/* The same from the workspace itself. */
static inline void
write_with(struct written *w, writer *f, const struct triage *t,
    uint64_t max_bytes)
{
	write_in(w, f, t, max_bytes, "");
}

static inline void
written_free(struct written *w)
{
	free(w->buf);
	w->buf = NULL;
}

static inline void
assert_written(const struct written *w, const char *want, size_t len)
{
	assert_int_equal(w->rc, 0);
	if (w->len != len || memcmp(w->buf, want, len) != 0)
		fail_msg("wrote %zu bytes:\n%.*s\nwant %zu bytes:\n%.*s",
		    w->len, (int)(w->len > 4000 ? 4000 : w->len), w->buf, len,
		    (int)(len > 4000 ? 4000 : len), want);
}
#define ASSERT_WRITTEN(w, s)	assert_written((w), (s), sizeof(s) - 1)

/* A triage built by hand and the exact bytes a writer must write for it,
 * from the workspace or from cwd below it; the lists are given with
 * LIST(failed, an_array) and the like. */
struct writer_case {
	const char *name;
	enum verdict verdict;
	const char *reason;
	struct triage_counts counts;
	const struct triage_test *failed, *flaky, *errors;
	size_t nfailed, nflaky, nerrors;
	const char *want;
	const char *cwd;	/* NULL: the workspace itself */
};
#define LIST(list, a)	.list = (a), .n##list = N(a)

static inline void
check_writer_case(writer *f, const struct writer_case *c,
    uint64_t max_bytes)
{
	struct triage t = hand_triage(c->verdict, c->reason, &c->counts);
	struct written w;

	t.failed = c->failed;
	t.nfailed = c->nfailed;
	t.flaky = c->flaky;
	t.nflaky = c->nflaky;
	t.errors = c->errors;
	t.nerrors = c->nerrors;
	write_in(&w, f, &t, max_bytes, c->cwd != NULL ? c->cwd : "");
	assert_written(&w, c->want, strlen(c->want));
	written_free(&w);
}

#endif
