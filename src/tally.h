/*
 * tally.h: what the report says about each node ID.
 *
 * The readers hand every record (or every finished attempt of a test in a
 * log) here; the tally keeps the last outcome of each distinct node ID,
 * the exact text of every node ID that ever failed or ended unknown, with
 * where and why it first failed, and the collection errors.  Memory grows
 * with distinct node IDs (a 64-bit hash and 32 bits of bookkeeping each)
 * and with those kept, never with the bytes of the report: what
 * tally_expect() reserves ahead is memory only as its slots fill.
 *
 * For JUnit (tally_keep_runs()) it also keeps every distinct node ID as a
 * case, in the order first seen, with its runs: what each run of the test
 * showed (a failure, an error, a skip, captured output) and how long it
 * took.  A run that neither failed nor is the test's latest is let go, so
 * that memory grows with the distinct tests and the failing runs kept, at
 * most TALLY_RUNS_KEEP a test, each of its texts cut at a size below.
 */
#ifndef PYTRIAGE_TALLY_H
#define PYTRIAGE_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum outcome {
	OUTCOME_UNKNOWN = 0,	/* no result, null, or another string */
	OUTCOME_PASSED,
	OUTCOME_FAILED,
	OUTCOME_SKIPPED
};

/* A failure's path longer than this is not kept: no use to anyone. */
#define TALLY_PATH_KEEP	4096

/* Bytes of a failure message's first line kept. */
#define TALLY_MESSAGE_KEEP	1024

/* Most distinct node IDs one report may hold. */
#define TALLY_MAX_TESTS	((uint32_t)(1u << 28) - 1)

enum tally_status {
	TALLY_OK = 0,
	TALLY_NOMEM,		/* out of memory */
	TALLY_TOO_MANY,		/* more than TALLY_MAX_TESTS node IDs */
	TALLY_COLLISION		/* two node IDs share a hash (never seen) */
};

struct tally_counts {
	uint64_t records;	/* array elements read */
	uint64_t tests;		/* distinct node IDs */
	uint64_t passed;	/* distinct node IDs by final outcome */
	uint64_t failed;
	uint64_t skipped;
	uint64_t unknown;
};

/*
 * Where and why a record failed, as a reader found it; any may be empty.
 * The site is where the failure passed through the test's own file
 * (record.h's failure_site()), the place -f github names.
 */
struct failure_detail {
	const char *message;	/* the failure text; its first line is kept */
	size_t message_len;
	const char *path;	/* the file of the failure */
	size_t path_len;
	uint64_t line;		/* 1-based; 0: unknown */
	const char *site_path;	/* the test's file; NULL: no site */
	size_t site_path_len;
	uint64_t site_line;	/* 1-based; 0: unknown */
};

/* A node ID kept by its exact bytes, and what is known of its failure. */
struct tally_id {
	const char *id;
	size_t len;
	const char *reason;	/* first line of the failure message */
	size_t reason_len;
	const char *path;
	size_t path_len;
	uint64_t line;
	const char *site_path;	/* in the test's own file */
	uint32_t site_path_len;	/* at most TALLY_PATH_KEEP */
	uint32_t site_line;	/* 0: unknown, or past 32 bits */
	uint32_t ordinal;	/* when the node ID was first seen */
	int collection_error;	/* a collection error's node ID too */
};

/* A kept node ID, by offsets into an arena; packed (56 bytes on LP64),
 * for there can be millions. */
struct tally_failed {
	uint64_t hash;
	size_t off;
	size_t detail_off;	/* message, then path, then site path */
	uint64_t line;
	uint32_t len;		/* at most NODEID_MAX */
	uint32_t ordinal;	/* when the node ID was first seen */
	uint32_t path_len;
	uint32_t site_line;	/* 0: unknown, or past 32 bits */
	uint16_t message_len;	/* at most TALLY_MESSAGE_KEEP */
	uint16_t site_len;	/* at most TALLY_PATH_KEEP */
	unsigned char ever_failed;	/* a record of it failed */
	unsigned char has_detail;
	unsigned char collection_error;	/* set by tally_kept() */
};

struct tally_kept {		/* a collection error and its reason */
	size_t off;		/* in the arena of collection errors */
	size_t len;
	size_t reason_off;
	size_t reason_len;
};

/*
 * Runs, for JUnit.  A run is one go of a test: in a log from its setup
 * report to its teardown (or to the report that ends it early); in a
 * collector's report one record.  What the readers' shared layer
 * (logstate.h, record.h) makes of its reports is handed over when it
 * ends, as a struct run_record; every text is cut here, at a whole
 * character, to the bytes its slot keeps, and one that was cut ends in
 * "…" (messages, types) or a line "…" (long texts, output).
 */
#define TALLY_RUN_MESSAGE_KEEP	4096	/* a failure's message */
#define TALLY_RUN_TYPE_KEEP	256	/* its exception's name */
#define TALLY_RUN_TEXT_KEEP	65536	/* its long text: a traceback */
#define TALLY_RUN_OUTPUT_KEEP	65536	/* captured stdout, and stderr */
#define TALLY_RUNS_KEEP		16	/* runs kept per test: the first
					 * failing ones and the latest */

/* A text lent by a reader: cut when the report held more than len. */
struct run_text {
	const char *s;
	size_t len;
	int cut;
};

/* A text as it stands; NULL is the empty text. */
static inline struct run_text
run_text_of(const char *s, size_t len, int cut)
{
	struct run_text x;

	x.s = s != NULL ? s : "";
	x.len = len;
	x.cut = cut;
	return x;
}

enum run_slot {
	RUN_FAILURE_MESSAGE, RUN_FAILURE_TYPE, RUN_FAILURE_TEXT,
	RUN_ERROR_MESSAGE, RUN_ERROR_TYPE, RUN_ERROR_TEXT,
	RUN_SKIPPED_MESSAGE, RUN_SKIPPED_TEXT,
	RUN_OUT, RUN_ERR,
	RUN_SLOTS
};

/* What a run showed: any of these. */
#define RUN_FAILURE	0x1u	/* its call failed */
#define RUN_ERROR	0x2u	/* its setup or teardown failed, its
				 * collection failed, or it has no outcome */
#define RUN_SKIPPED	0x4u

/* A run as the readers' shared layer hands it over: lent for the call. */
struct run_record {
	double time;		/* seconds, its phases together */
	unsigned results;	/* RUN_FAILURE, RUN_ERROR, RUN_SKIPPED */
	struct run_text text[RUN_SLOTS];	/* of the results shown */
};

/* A kept run. */
struct tally_run {
	double time;
	char *texts;		/* RUN_SLOTS lengths (uint32_t), then the
				 * texts end to end; NULL: none */
	uint32_t next;		/* the case's next run + 1; 0: its latest */
	unsigned char outcome;	/* enum outcome */
	unsigned char results;
};

/* A test, or a collector that failed or skipped, with its runs: the
 * first one here (most tests have one), the others in runs[]. */
struct tally_case {
	size_t id_off;		/* node ID in the arena of cases */
	uint32_t id_len;
	unsigned char collect;	/* a collection error or skip */
	unsigned char has_run;	/* run is its first */
	struct tally_run run;
};

struct tally {
	uint64_t seed;
	int messages;		/* keep failure messages and paths */
	int keep_runs;		/* keep every test's runs, for JUnit */
	size_t page;		/* the system's page size */
	uint64_t *hashes;	/* open addressing; 0 marks a free slot */
	uint32_t *meta;		/* ordinal << 4 | flags << 2 | outcome */
	size_t cap;
	size_t used;
	struct tally_counts counts;

	struct strbuf failed_ids;	/* arena of kept node IDs */
	struct tally_failed *failed;
	size_t nfailed, failed_cap;
	uint32_t *failed_index;		/* hash -> failed[] index, open addressing */
	size_t failed_index_cap;

	struct strbuf error_ids;	/* arena of collection errors */
	struct tally_kept *errors;
	size_t nerrors, errors_cap;
	uint64_t error_records;		/* records tagged as collection errors */

	/* Runs (tally_keep_runs()): the cases in the order first seen, the
	 * case of each node ID by its ordinal, and the runs. */
	struct strbuf case_ids;
	struct tally_case *cases;
	size_t ncases, cases_cap;
	uint32_t *case_of;		/* ordinal -> case */
	size_t case_of_cap;
	struct tally_run *runs;		/* the cases' second runs and on */
	size_t nruns, runs_cap;
};

int	tally_init(struct tally *, uint64_t seed);
void	tally_free(struct tally *);

/*
 * Make room at once for about this many distinct node IDs, when a reader
 * can tell from the input's size: growing step by step costs each step's
 * table, zeroed, and the moves.  At most 2^19 node IDs are reserved
 * ahead (8 MiB).  Only a hint: nothing fails if it cannot.
 */
void	tally_expect(struct tally *, uint64_t tests);

/* Keep failure messages and paths from now on (off by default). */
void	tally_keep_messages(struct tally *);

/* Keep every node ID and the runs of each, for JUnit, from now on (off
 * by default; before the first record). */
void	tally_keep_runs(struct tally *);

/*
 * Count one record.  reason is the start of its failure text (may be
 * NULL); only its first line is kept, for collection errors.
 */
enum tally_status tally_record(struct tally *, const char *id, size_t len,
	    enum outcome, int collection_error, const char *reason,
	    size_t reason_len);

/* The same, with tally_hash_id() already computed, and the failure's
 * detail (NULL: none). */
enum tally_status tally_record_hashed(struct tally *, uint64_t hash,
	    const char *id, size_t len, enum outcome, int collection_error,
	    const struct failure_detail *);

/* The same, and what the run showed, when runs are kept (NULL: a run
 * that showed nothing). */
enum tally_status tally_record_run(struct tally *, uint64_t hash,
	    const char *id, size_t len, enum outcome, int collection_error,
	    const struct failure_detail *, const struct run_record *);

/* A collector that was skipped (a module-level skip): a case of its own
 * when runs are kept, never a test, never counted. */
enum tally_status tally_collect_skipped(struct tally *, const char *id,
	    size_t len, const struct run_record *);

/*
 * A node ID seen for the first time takes its place in the order here,
 * counted as a test of unknown outcome until a record says more; a known
 * one is left as it is.  No record is counted.
 */
enum tally_status tally_touch(struct tally *, uint64_t hash,
	    const char *id, size_t len);

/*
 * A report of this node ID failed, though its outcome is not decided yet
 * (a log's attempt is still open): keep its text, mark it as having
 * failed, and keep the first failure's detail.
 */
enum tally_status tally_note_failure(struct tally *, uint64_t hash,
	    const char *id, size_t len, const struct failure_detail *);

/* The hash of a node ID under this tally's key. */
uint64_t tally_hash_id(const struct tally *, const char *, size_t);

/* Records counted so far; the readers of logs count lines instead. */
void	tally_set_records(struct tally *, uint64_t);
const struct tally_counts *tally_counts(const struct tally *);
uint64_t tally_error_records(const struct tally *);
size_t	tally_nerrors(const struct tally *);

/* Ask for the slot of a hash to be in cache by the time it is recorded. */
void	tally_prefetch(const struct tally *, uint64_t hash);

/*
 * The node IDs whose final outcome is this one, each once, in the order of
 * their first record; for OUTCOME_PASSED only those that failed before
 * (flaky).  *ids is allocated; free(3) it.  -1 when out of memory.
 */
int	tally_kept(const struct tally *, enum outcome, struct tally_id **ids,
	    size_t *n);

/*
 * The final outcome of a node ID, and whether a record of it failed on
 * the way (a failed test, or a flaky one): 0, or -1 when the tally has
 * never seen it.
 */
int	tally_lookup(const struct tally *, const char *id, size_t len,
	    enum outcome *, int *ever_failed);

/* The failed ones: what a retry runs. */
int	tally_selectors(const struct tally *, struct tally_id **ids,
	    size_t *n);

/* The collection errors, each node ID once, in file order. */
void	tally_collection_error(const struct tally *, size_t i,
	    struct tally_id *);

/* The cases kept for JUnit, in the order first seen. */
size_t	tally_ncases(const struct tally *);

/* Case i: its node ID, whether it is a collector's, and its first kept
 * run (NULL: none). */
void	tally_case(const struct tally *, size_t i, const char **id,
	    size_t *len, int *collect, const struct tally_run **first);

/* The case's run after this one, or NULL. */
const struct tally_run *tally_run_next(const struct tally *,
	    const struct tally_run *);

/* Bytes a slot keeps of its text. */
size_t	tally_run_slot_keep(enum run_slot);

/* A kept run's text in a slot ("" when none). */
const char *tally_run_text(const struct tally_run *, enum run_slot,
	    size_t *len);

/* The node ID hash: SipHash-1-3 with a key made from the seed. */
uint64_t tally_hash(uint64_t seed, const char *, size_t);

#endif
