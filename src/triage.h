/*
 * triage.h: a finished triage, as the writers print it.
 *
 * triage_run() takes what a reader found and the options to a struct
 * triage: the verdict, its reason, the failed, flaky and collection-error
 * node IDs, and the counts.  Writers only format one; they decide nothing.
 */
#ifndef PYTRIAGE_TRIAGE_H
#define PYTRIAGE_TRIAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reader.h"
#include "strbuf.h"
#include "tally.h"
#include "verdict.h"

/* Distinct node IDs by final outcome; they add up to tests. */
struct triage_counts {
	uint64_t records;	/* array elements, or lines of a log */
	uint64_t tests;
	uint64_t passed;
	uint64_t failed;
	uint64_t skipped;
	uint64_t unknown;
};

/*
 * A node ID and what is known of where and why it failed.  The strings are
 * bytes, not NUL-terminated, and may hold anything (NUL, line breaks,
 * invalid UTF-8 cannot occur: the readers reject it).  message is at most
 * the first TRIAGE_MESSAGE_MAX bytes of the failure's first line, cut at a
 * whole UTF-8 character; empty when unknown or when the format does not
 * print messages.  path is relative to the current directory where it
 * could be made so; line is 1-based, 0 when unknown.  The site is where
 * the failure passed through the test's own file (record.h), its path
 * made relative as path is; empty when unknown.
 */
struct triage_test {
	const char *id;
	size_t id_len;
	const char *message;
	size_t message_len;
	const char *path;
	size_t path_len;
	uint64_t line;
	const char *site_path;
	uint32_t site_path_len;	/* at most TALLY_PATH_KEEP */
	uint32_t site_line;	/* 0: unknown, or past 32 bits */
};

#define TRIAGE_MESSAGE_MAX	TALLY_MESSAGE_KEEP

struct triage {
	enum verdict verdict;
	enum input_kind input;
	int exit_status;		/* pytest's, the operand */
	const char *reason;		/* one line, as on stderr */
	/* Final outcome failed, in the order of their first report.  When
	 * the verdict is retry these are the selectors (under --rootdir,
	 * rewritten to be relative to the current directory). */
	const struct triage_test *failed;
	size_t nfailed;
	/* Final outcome passed after an earlier failed attempt. */
	const struct triage_test *flaky;
	size_t nflaky;
	/* Collection errors, each node ID once, in file order; pytest's
	 * node IDs, never rewritten. */
	const struct triage_test *errors;
	size_t nerrors;
	struct triage_counts counts;
	struct triage_store *store;	/* what triage_free() frees */
};

/* What the writers are told beyond the triage. */
struct write_options {
	uint64_t max_bytes;		/* markdown: largest document */
	/* github: where files are named from.  workspace is absolute;
	 * cwd_in_workspace is the current directory relative to it ("" for
	 * the same), NULL when the current directory lies outside it. */
	const char *workspace;
	const char *cwd_in_workspace;
};

struct triage_options {
	int exit_status;	/* pytest's, 0-255 */
	uint64_t max_failures;	/* 0: no limit */
	const char *missing;	/* the report file that does not exist */
	const char *cwd;	/* absolute: failure paths are made relative
				 * to it; NULL: left as they are */
	const char *rootdir;	/* --rootdir, absolute; NULL: none */
};

/*
 * From a reading (and the reader's status: a report read, empty, bad) to
 * a triage.  0, or -1 with why filled: out of memory, or a selector that
 * --rootdir cannot rewrite.  triage_free() either way.
 */
int	triage_run(struct triage *, const struct reading *, int status,
	    const struct triage_options *, struct strbuf *why);
void	triage_free(struct triage *);

/* A kept node ID as a writer shows it: its path made relative to the
 * current directory, pytest's "E   " taken off its message. */
struct tally_id;
void	triage_test_of(const struct tally_id *, const struct triage_options *,
	    struct triage_test *);

#endif
