/*
 * step.c: the verdict of a CI step over its attempts.
 *
 * Every attempt is read into a tally of its own and triaged alone.  The
 * tallies stay until the end, so that a node ID can be looked up in any
 * attempt: memory grows with the distinct tests of each attempt, and a
 * retry runs few.  Then the attempts are judged in order (step_judge()):
 *
 *	1. an attempt after one that passed: inconsistent;
 *	2. the first attempt whose own verdict is terminal decides the step,
 *	   and no later pass clears it;
 *	3. an attempt that did not run every node ID the one before it asked
 *	   to retry: incomplete;
 *	4. otherwise the last attempt says how the step ends: passed (or
 *	   flaky, under --fail-on-flaky, when a test passed only thanks to a
 *	   rerun), or retry while the budget allows another attempt, else
 *	   failed.
 *
 * A single attempt gives its own triage back unchanged, but for the last
 * rule's two options.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nodeid.h"
#include "reader.h"
#include "source.h"
#include "step.h"
#include "tally.h"

struct step_store {
	struct tally *tallies;		/* one per attempt */
	struct triage *triages;		/* one per attempt */
	size_t ntallies;		/* initialised so far */
	struct strbuf reason;
	struct triage_test *flaky, *failed;
	enum step_outcome *outcomes;	/* nhistory rows of nattempts */
	struct tally_id **kept;		/* per attempt: what failed in it */
	size_t *nkept;
	const struct tally_id **last;	/* per row: its latest failure */
	size_t *index;			/* history row + 1 by hash; 0: free */
	uint64_t *hashes;		/* the hash of each history row */
	size_t index_cap;
};

const char *
step_outcome_name(enum step_outcome o)
{
	switch (o) {
	case STEP_NOT_RUN:
		break;
	case STEP_PASSED:
		return "passed";
	case STEP_FAILED:
		return "failed";
	case STEP_SKIPPED:
		return "skipped";
	case STEP_UNKNOWN:
		return "unknown";
	case STEP_FLAKY:
		return "flaky";
	}
	return "not-run";
}

static uint64_t
random_seed(void)
{
	uint64_t seed;

	if (getentropy(&seed, sizeof(seed)) == 0)
		return seed;
	return (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

/* The report operand: an fd, -1 when it does not exist, or trouble. */
static int
open_report(const char *path, int *fd, struct strbuf *why)
{
	struct stat st;

	if (path == NULL)
		*fd = STDIN_FILENO;
	else if ((*fd = open(path, O_RDONLY)) == -1) {
		if (errno == ENOENT)
			return 0;
		strbuf_printf(why, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		strbuf_printf(why, "cannot read %s: %s", path != NULL ? path :
		    "stdin", strerror(EISDIR));
		if (*fd != STDIN_FILENO)
			close(*fd);
		return -1;
	}
	return 0;
}

/*
 * Read one attempt's report into rd and triage it.  0, or -1 for trouble
 * (said in why).
 */
static int
read_attempt(const struct step_input *in, const struct step_options *opt,
    struct reading *rd, struct triage *t, struct strbuf *why)
{
	struct triage_options topt = opt->triage;
	const char *path = in->report;
	const char *name;
	struct source src;
	enum report_status status;
	int fd = -1;

	if (path != NULL && strcmp(path, "-") == 0)
		path = NULL;
	name = path != NULL ? path : "stdin";
	topt.exit_status = in->exit_status;
	topt.missing = NULL;
	if (open_report(path, &fd, why) == -1)
		return -1;
	if (fd == -1) {
		topt.missing = path;
		status = REPORT_READ_EMPTY;
	} else {
		source_from_fd(&src, fd);
		status = opt->reference ? refread_read(&src, rd) :
		    report_read(&src, rd);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	switch (status) {
	case REPORT_READ_OK:
	case REPORT_READ_EMPTY:
	case REPORT_READ_BAD:
		break;
	case REPORT_READ_IOERR:
		strbuf_printf(why, "cannot read %s: %s", name,
		    strerror(src.error));
		return -1;
	case REPORT_READ_NOMEM:
		strbuf_puts(why, "out of memory");
		return -1;
	case REPORT_READ_TOO_MANY:
		strbuf_printf(why, "the report holds more than %" PRIu32
		    " distinct node IDs", TALLY_MAX_TESTS);
		return -1;
	case REPORT_READ_COLLISION:
		strbuf_puts(why, "two node IDs share a hash; run pytriage again");
		return -1;
	}
	return triage_run(t, rd, (int)status, &topt, why);
}

/* The outcome of a node ID in one attempt. */
static enum step_outcome
outcome_in(const struct tally *tally, const char *id, size_t len)
{
	enum outcome o;
	int ever_failed;

	if (tally_lookup(tally, id, len, &o, &ever_failed) == -1)
		return STEP_NOT_RUN;
	switch (o) {
	case OUTCOME_PASSED:
		return ever_failed ? STEP_FLAKY : STEP_PASSED;
	case OUTCOME_FAILED:
		return STEP_FAILED;
	case OUTCOME_SKIPPED:
		return STEP_SKIPPED;
	case OUTCOME_UNKNOWN:
		break;
	}
	return STEP_UNKNOWN;
}

/* The history row of a node ID, or -1; *pos is where it would go. */
static size_t
history_find(const struct step *s, uint64_t hash, const char *id, size_t len,
    size_t *pos)
{
	const struct step_store *st = s->store;
	size_t mask = st->index_cap - 1, i = (size_t)hash & mask, k;

	while ((k = st->index[i]) != 0) {
		if (st->hashes[k - 1] == hash &&
		    s->history[k - 1].test.id_len == len &&
		    memcmp(s->history[k - 1].test.id, id, len) == 0)
			return k - 1;
		i = (i + 1) & mask;
	}
	*pos = i;
	return (size_t)-1;
}

/* What failed in one attempt, failed and flaky alike, in first-seen
 * order. */
static int
kept_of(const struct tally *tally, struct tally_id **out, size_t *nout)
{
	struct tally_id *failed, *flaky;
	size_t i = 0, j = 0, k = 0, nfailed, nflaky;

	*out = NULL;
	*nout = 0;
	if (tally_kept(tally, OUTCOME_FAILED, &failed, &nfailed) == -1)
		return -1;
	if (tally_kept(tally, OUTCOME_PASSED, &flaky, &nflaky) == -1) {
		free(failed);
		return -1;
	}
	if (nfailed + nflaky > 0 &&
	    (*out = calloc(nfailed + nflaky, sizeof(**out))) == NULL) {
		free(failed);
		free(flaky);
		return -1;
	}
	while (i < nfailed || j < nflaky) {
		if (j >= nflaky || (i < nfailed &&
		    failed[i].ordinal < flaky[j].ordinal))
			(*out)[k++] = failed[i++];
		else
			(*out)[k++] = flaky[j++];
	}
	*nout = k;
	free(failed);
	free(flaky);
	return 0;
}

/*
 * Every node ID that failed in some attempt (collection errors aside),
 * once, in order of first failure attempt by attempt, with its outcome in
 * every attempt.  A test that passed in the end shows its first failure;
 * one that failed in the end, its latest.
 */
static int
build_history(struct step *s, const struct step_options *opt)
{
	struct step_store *st = s->store;
	const struct tally_id *e;
	size_t i, k, total = 0, row, pos, a;
	uint64_t hash, seed = random_seed();

	if ((st->kept = calloc(s->nattempts, sizeof(*st->kept))) == NULL ||
	    (st->nkept = calloc(s->nattempts, sizeof(*st->nkept))) == NULL)
		return -1;
	for (k = 0; k < s->nattempts; k++) {
		if (kept_of(&st->tallies[k], &st->kept[k], &st->nkept[k]) == -1)
			return -1;
		total += st->nkept[k];
	}
	if (total == 0)
		return 0;
	for (st->index_cap = 16; st->index_cap < total * 2; st->index_cap *= 2)
		;
	if ((st->index = calloc(st->index_cap, sizeof(*st->index))) == NULL ||
	    (st->hashes = calloc(total, sizeof(*st->hashes))) == NULL ||
	    (st->last = calloc(total, sizeof(*st->last))) == NULL ||
	    (s->history = calloc(total, sizeof(*s->history))) == NULL)
		return -1;
	for (k = 0; k < s->nattempts; k++) {
		for (i = 0; i < st->nkept[k]; i++) {
			e = &st->kept[k][i];
			if (e->collection_error)
				continue;
			hash = tally_hash(seed, e->id, e->len);
			if ((row = history_find(s, hash, e->id, e->len,
			    &pos)) == (size_t)-1) {
				row = s->nhistory++;
				st->index[pos] = row + 1;
				st->hashes[row] = hash;
				triage_test_of(e, &opt->triage,
				    &s->history[row].test);
			}
			st->last[row] = e;
		}
	}
	if (s->nhistory > 0 && (st->outcomes = calloc(s->nhistory *
	    s->nattempts, sizeof(*st->outcomes))) == NULL)
		return -1;
	for (row = 0; row < s->nhistory; row++) {
		s->history[row].outcomes = st->outcomes + row * s->nattempts;
		for (a = 0; a < s->nattempts; a++)
			s->history[row].outcomes[a] = outcome_in(
			    &st->tallies[a], s->history[row].test.id,
			    s->history[row].test.id_len);
	}
	return 0;
}

/* A test's final outcome: its outcome in the latest attempt that ran
 * it. */
static enum step_outcome
final_outcome(const struct step *s, const struct step_test *h)
{
	size_t a;

	for (a = s->nattempts; a > 0; a--)
		if (h->outcomes[a - 1] != STEP_NOT_RUN)
			return h->outcomes[a - 1];
	return STEP_NOT_RUN;
}

/*
 * The flaky tests over the step (final outcome passed after a failure in
 * an earlier attempt or within the last one to run it) and the tests that
 * failed in the end, with their latest failure.
 */
static int
final_lists(struct step *s, const struct step_options *opt)
{
	struct step_store *st = s->store;
	struct triage_test *flaky = NULL, *failed = NULL;
	size_t row, nflaky = 0, nfailed = 0;
	enum step_outcome o;

	if (s->nhistory > 0 &&
	    ((flaky = calloc(s->nhistory, sizeof(*flaky))) == NULL ||
	    (failed = calloc(s->nhistory, sizeof(*failed))) == NULL)) {
		free(flaky);
		return -1;
	}
	st->flaky = flaky;
	st->failed = failed;
	for (row = 0; row < s->nhistory; row++) {
		o = final_outcome(s, &s->history[row]);
		if (o == STEP_PASSED || o == STEP_FLAKY)
			flaky[nflaky++] = s->history[row].test;
		else if (o == STEP_FAILED)
			triage_test_of(st->last[row], &opt->triage,
			    &failed[nfailed++]);
	}
	s->result.flaky = flaky;
	s->result.nflaky = nflaky;
	if (s->result.verdict != VERDICT_RETRY) {
		s->result.failed = failed;
		s->result.nfailed = nfailed;
	}
	return 0;
}

/* The first node ID attempt k-1 asked to retry that attempt k did not
 * run, or NULL. */
static const struct tally_id *
first_missing(const struct step *s, size_t k)
{
	const struct step_store *st = s->store;
	const struct tally_id *e;
	size_t i;

	for (i = 0; i < st->nkept[k - 1]; i++) {
		e = &st->kept[k - 1][i];
		if (e->collection_error)
			continue;
		if (outcome_in(&st->tallies[k - 1], e->id, e->len) !=
		    STEP_FAILED)
			continue;
		if (outcome_in(&st->tallies[k], e->id, e->len) == STEP_NOT_RUN)
			return e;
	}
	return NULL;
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Judge the attempts, all read and triaged; the reason goes in st. */
static int
judge(struct step *s, const struct step_options *opt)
{
	struct step_store *st = s->store;
	struct strbuf *r = &st->reason;
	const struct triage *t;
	const struct tally_id *miss;
	size_t k, last = s->nattempts - 1;
	int many = s->nattempts > 1;

	for (k = 0; k < s->nattempts; k++) {
		t = &st->triages[k];
		s->decided_by = k;
		if (k > 0 && st->triages[k - 1].verdict == VERDICT_PASSED) {
			s->result.verdict = VERDICT_INCONSISTENT;
			return strbuf_printf(r, "attempt %zu ran after attempt "
			    "%zu passed: a retry of nothing", k + 1, k);
		}
		if (verdict_exit(t->verdict) != 0) {
			s->result.verdict = t->verdict;
			if (!many)
				return strbuf_puts(r, t->reason);
			return strbuf_printf(r, "attempt %zu: %s: %s", k + 1,
			    verdict_name(t->verdict), t->reason);
		}
		if (k > 0 && (miss = first_missing(s, k)) != NULL) {
			s->result.verdict = VERDICT_INCOMPLETE;
			if (strbuf_printf(r, "attempt %zu did not run ", k + 1)
			    == -1 || nodeid_escape(r, miss->id, miss->len, 200)
			    == -1)
				return -1;
			return strbuf_printf(r, ", which attempt %zu asked to "
			    "retry (a retry with other options or paths?)", k);
		}
	}
	s->decided_by = last;
	t = &st->triages[last];
	s->result.verdict = t->verdict;
	if (t->verdict == VERDICT_RETRY && last >= opt->retries) {
		s->result.verdict = VERDICT_FAILED;
		if (!many)
			return strbuf_printf(r, "%" PRIu64 " of %" PRIu64
			    " %s failed; --retries=0 allows no retry",
			    t->counts.failed, t->counts.tests,
			    plural(t->counts.tests, "test", "tests"));
		return strbuf_printf(r, "%" PRIu64 " %s still failed in "
		    "attempt %zu, the last that --retries=%" PRIu64 " allows",
		    t->counts.failed, plural(t->counts.failed, "test", "tests"),
		    last + 1, opt->retries);
	}
	if (t->verdict == VERDICT_RETRY)
		return many ? strbuf_printf(r, "attempt %zu: %s", last + 1,
		    t->reason) : strbuf_puts(r, t->reason);
	return 0;	/* passed: said once the flaky tests are known */
}

/* The reason of a step that passed, now that its flaky tests are known. */
static int
passed_reason(struct step *s, const struct step_options *opt)
{
	struct strbuf *r = &s->store->reason;
	const struct triage *t = &s->store->triages[s->decided_by];
	size_t n = s->result.nflaky;

	if (opt->fail_on_flaky && n > 0) {
		s->result.verdict = VERDICT_FLAKY;
		return strbuf_printf(r, "%zu flaky %s passed only when run "
		    "again; --fail-on-flaky makes that a failure", n,
		    plural(n, "test", "tests"));
	}
	if (s->nattempts == 1)
		return strbuf_puts(r, t->reason);
	if (n == 0)
		return strbuf_printf(r, "attempt %zu: %s", s->nattempts,
		    t->reason);
	return strbuf_printf(r, "passed on attempt %zu; %zu flaky %s",
	    s->nattempts, n, plural(n, "test", "tests"));
}

int
step_judge(struct step *s, const struct step_input *in, size_t n,
    const struct step_options *opt, struct strbuf *why)
{
	struct step_store *st;
	struct reading rd;
	struct triage *t;
	size_t k;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return strbuf_puts(why, "no attempt to judge"), -1;
	if (n - 1 > opt->retries)
		return strbuf_printf(why, "%zu attempts, but --retries=%" PRIu64
		    " allows at most %" PRIu64, n, opt->retries,
		    opt->retries + 1), -1;
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->tallies = calloc(n, sizeof(*st->tallies))) == NULL ||
	    (st->triages = calloc(n, sizeof(*st->triages))) == NULL ||
	    (s->attempts = calloc(n, sizeof(*s->attempts))) == NULL) {
		if (st != NULL) {
			free(st->tallies);
			free(st->triages);
		}
		free(st);
		return strbuf_puts(why, "out of memory"), -1;
	}
	s->store = st;
	strbuf_init(&st->reason);
	s->nattempts = n;
	for (k = 0; k < n; k++) {
		if (tally_init(&st->tallies[k], random_seed()) == -1)
			return strbuf_puts(why, "out of memory"), -1;
		st->ntallies++;
		memset(&rd, 0, sizeof(rd));
		rd.tally = &st->tallies[k];
		rd.messages = opt->messages;
		if (read_attempt(&in[k], opt, &rd, &st->triages[k], why) == -1)
			return -1;
		t = &st->triages[k];
		s->attempts[k].verdict = t->verdict;
		s->attempts[k].input = t->input;
		s->attempts[k].exit_status = t->exit_status;
		s->attempts[k].report = in[k].report != NULL &&
		    strcmp(in[k].report, "-") != 0 ? in[k].report : NULL;
		s->attempts[k].reason = t->reason;
		s->attempts[k].counts = t->counts;
	}
	if (build_history(s, opt) == -1 || judge(s, opt) == -1)
		return strbuf_puts(why, "out of memory"), -1;
	t = &st->triages[s->decided_by];
	s->result.exit_status = t->exit_status;
	s->result.input = t->input;
	s->result.counts = t->counts;
	s->result.errors = t->errors;
	s->result.nerrors = t->nerrors;
	if (s->result.verdict == VERDICT_RETRY) {
		s->result.failed = t->failed;	/* the selectors */
		s->result.nfailed = t->nfailed;
	}
	if (n == 1) {
		/* One attempt: its own lists, as the triage made them. */
		s->result.failed = t->failed;
		s->result.nfailed = t->nfailed;
		s->result.flaky = t->flaky;
		s->result.nflaky = t->nflaky;
	} else if (final_lists(s, opt) == -1)
		return strbuf_puts(why, "out of memory"), -1;
	if ((s->result.verdict == VERDICT_PASSED &&
	    passed_reason(s, opt) == -1))
		return strbuf_puts(why, "out of memory"), -1;
	s->result.reason = st->reason.data;
	return 0;
}

void
step_free(struct step *s)
{
	struct step_store *st = s->store;
	size_t k;

	if (st != NULL) {
		for (k = 0; k < s->nattempts; k++) {
			triage_free(&st->triages[k]);
			if (st->kept != NULL)
				free(st->kept[k]);
		}
		for (k = 0; k < st->ntallies; k++)
			tally_free(&st->tallies[k]);
		free(st->tallies);
		free(st->triages);
		free(st->kept);
		free(st->nkept);
		free(st->last);
		free(st->index);
		free(st->hashes);
		free(st->outcomes);
		free(st->flaky);
		free(st->failed);
		strbuf_free(&st->reason);
		free(st);
	}
	free(s->attempts);
	free(s->history);
	memset(s, 0, sizeof(*s));
}
