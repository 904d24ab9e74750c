/*
 * triage.c: from what a reader found to a finished triage.
 *
 * The facts are counted from the reading, the verdict is decided from
 * them alone (verdict.c), and the rest is what the writers print: the
 * reason, the failed, flaky and collection-error node IDs with what is
 * known of their failures.  Nothing here reads or writes a file.
 */
#include <stdlib.h>
#include <string.h>

#include "nodeid.h"
#include "reader.h"
#include "rootdir.h"
#include "tally.h"
#include "triage.h"

/* Collection errors named in the one-line reason; the rest are counted. */
#define ERRORS_SHOWN	5

struct triage_store {
	struct strbuf reason;
	struct strbuf rebased;		/* selectors under --rootdir */
	struct tally_id *failed, *flaky;
	struct triage_test *tests[3];	/* failed, flaky, errors */
};

/* "2 collection errors: a.py (ImportError: ...); b.py" */
static int
collection_errors(struct strbuf *out, const struct triage_test *e, size_t n)
{
	size_t i;
	int rc;

	rc = strbuf_printf(out, "%zu collection error%s: ", n,
	    n == 1 ? "" : "s");
	for (i = 0; rc == 0 && i < n && i < ERRORS_SHOWN; i++) {
		if (i > 0)
			rc = strbuf_puts(out, "; ");
		/* A log's "" is the session: a conftest.py that failed. */
		if (rc == 0)
			rc = e[i].id_len == 0 ? strbuf_puts(out, "the session") :
			    nodeid_escape(out, e[i].id, e[i].id_len, 200);
		if (rc == 0 && e[i].message_len > 0) {
			rc = strbuf_puts(out, " (");
			if (rc == 0)
				rc = nodeid_escape(out, e[i].message,
				    e[i].message_len, e[i].message_len);
			if (rc == 0)
				rc = strbuf_puts(out, ")");
		}
	}
	if (rc == 0 && n > ERRORS_SHOWN)
		rc = strbuf_printf(out, "; and %zu more", n - ERRORS_SHOWN);
	return rc;
}

/* A failure's path, relative to the current directory when it lies
 * below it (a log's reprcrash path is absolute). */
static void
relative_path(const struct triage_options *opt, const char **path,
    size_t *len)
{
	size_t n;

	if (opt->cwd == NULL || *len == 0 || (*path)[0] != '/')
		return;
	n = strlen(opt->cwd);
	if (n == 1)		/* the root: keep the path whole but '/' */
		n = 0;
	if (*len > n + 1 && memcmp(*path, opt->cwd, n) == 0 &&
	    (*path)[n] == '/') {
		*path += n + 1;
		*len -= n + 1;
	}
}

/* pytest marks the lines of an exception "E   ": the text is after. */
static void
strip_marker(struct triage_test *t)
{
	size_t i = 1;

	if (t->message_len < 2 || t->message[0] != 'E' || t->message[1] != ' ')
		return;
	while (i < t->message_len && t->message[i] == ' ')
		i++;
	t->message += i;
	t->message_len -= i;
}

void
triage_test_of(const struct tally_id *id, const struct triage_options *opt,
    struct triage_test *t)
{
	size_t site_len = id->site_path_len;

	memset(t, 0, sizeof(*t));
	t->id = id->id;
	t->id_len = id->len;
	t->message = id->reason != NULL ? id->reason : "";
	t->message_len = id->reason_len;
	t->path = id->path != NULL ? id->path : "";
	t->path_len = id->path_len;
	t->line = id->line;
	t->site_path = id->site_path != NULL ? id->site_path : "";
	t->site_line = id->site_line;
	relative_path(opt, &t->path, &t->path_len);
	relative_path(opt, &t->site_path, &site_len);
	t->site_path_len = (uint32_t)site_len;
	strip_marker(t);
}

/*
 * The tests of these kept node IDs, less the collection errors (they are
 * listed apart).  *n is updated; NULL with *n 0 is no failure.
 */
static struct triage_test *
tests_of(const struct tally_id *ids, size_t *n,
    const struct triage_options *opt, int *nomem)
{
	struct triage_test *t;
	size_t i, k = 0;

	*nomem = 0;
	if (*n == 0)
		return NULL;
	if ((t = calloc(*n, sizeof(*t))) == NULL) {
		*nomem = 1;
		return NULL;
	}
	for (i = 0; i < *n; i++)
		if (!ids[i].collection_error)
			triage_test_of(&ids[i], opt, &t[k++]);
	*n = k;
	return t;
}

/* Under --rootdir, selectors relative to the current directory. */
static int
rebase(struct triage_store *st, struct triage_test *t, size_t n,
    const struct triage_options *opt, struct strbuf *why)
{
	size_t i, *ends;
	const char *what;
	int rc;

	if ((ends = calloc(n + 1, sizeof(*ends))) == NULL)
		return strbuf_puts(why, "out of memory"), -1;
	for (i = 0; i < n; i++) {
		rc = rootdir_rebase(&st->rebased, opt->cwd, opt->rootdir,
		    t[i].id, t[i].id_len, &what);
		if (rc == -2 || (rc == -1 && (strbuf_puts(why, "--rootdir: "
		    "cannot rewrite node ID '") == -1 || nodeid_escape(why,
		    t[i].id, t[i].id_len, 200) == -1 || strbuf_printf(why,
		    "': %s", what) == -1))) {
			strbuf_reset(why);
			strbuf_puts(why, "out of memory");
		}
		if (rc != 0) {
			free(ends);
			return -1;
		}
		ends[i] = st->rebased.len;
	}
	/* The arena moved as it grew: point into it only now. */
	for (i = 0; i < n; i++) {
		t[i].id = st->rebased.data + (i > 0 ? ends[i - 1] : 0);
		t[i].id_len = ends[i] - (i > 0 ? ends[i - 1] : 0);
	}
	free(ends);
	return 0;
}

int
triage_run(struct triage *t, const struct reading *rd, int status,
    const struct triage_options *opt, struct strbuf *why)
{
	const struct tally_counts *c = tally_counts(rd->tally);
	struct triage_store *st;
	struct triage_test *errors = NULL;
	struct tally_id *unknown = NULL, e;
	struct strbuf detail;
	struct facts f;
	size_t i, nfailed, nflaky, nerrors, nunknown = 0;
	int rc = -1, nomem;

	memset(t, 0, sizeof(*t));
	strbuf_init(&detail);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return strbuf_puts(why, "out of memory"), -1;
	t->store = st;
	strbuf_init(&st->reason);
	strbuf_init(&st->rebased);

	memset(&f, 0, sizeof(f));
	f.exit_status = t->exit_status = opt->exit_status;
	t->input = rd->input;
	f.report = status == REPORT_READ_OK ? REPORT_PARSED :
	    status == REPORT_READ_BAD ? REPORT_BAD : REPORT_MISSING;
	f.log = rd->input == INPUT_REPORTLOG;
	f.finished = rd->finished;
	f.session_status = rd->session_status;
	f.collection_errors = tally_error_records(rd->tally);
	f.tests = c->tests;
	f.failed = c->failed;
	f.unknown = c->unknown;
	f.max_failures = opt->max_failures;
	memcpy(&t->counts, c, sizeof(t->counts));

	if (tally_selectors(rd->tally, &st->failed, &nfailed) == -1 ||
	    tally_kept(rd->tally, OUTCOME_PASSED, &st->flaky, &nflaky) == -1)
		goto nomem;
	nerrors = tally_nerrors(rd->tally);
	if (nerrors > 0 && (errors = calloc(nerrors, sizeof(*errors))) == NULL)
		goto nomem;
	for (i = 0; i < nerrors; i++) {
		tally_collection_error(rd->tally, i, &e);
		errors[i].id = e.id;
		errors[i].id_len = e.len;
		errors[i].message = e.reason;
		errors[i].message_len = e.reason_len;
		errors[i].path = "";
		errors[i].site_path = "";
		strip_marker(&errors[i]);
	}
	st->tests[2] = errors;
	st->tests[0] = tests_of(st->failed, &nfailed, opt, &nomem);
	if (nomem)
		goto nomem;
	st->tests[1] = tests_of(st->flaky, &nflaky, opt, &nomem);
	if (nomem)
		goto nomem;
	/* The tests point into the tally, not into these: many failures
	 * make them big. */
	free(st->failed);
	free(st->flaky);
	st->failed = st->flaky = NULL;
	t->failed = st->tests[0];
	t->nfailed = nfailed;
	t->flaky = st->tests[1];
	t->nflaky = nflaky;
	t->errors = errors;
	t->nerrors = nerrors;

	t->verdict = verdict_decide(&f);
	switch (t->verdict) {
	case VERDICT_COLLECTION_ERROR:
		if (collection_errors(&detail, errors, nerrors) == -1)
			goto nomem;
		break;
	case VERDICT_BAD_REPORT:
		if (report_error_format(&rd->err, &detail) == -1)
			goto nomem;
		break;
	case VERDICT_NO_REPORT:
		if ((opt->missing != NULL ? strbuf_printf(&detail,
		    "%s does not exist", opt->missing) : strbuf_puts(&detail,
		    "the report is empty")) == -1)
			goto nomem;
		break;
	case VERDICT_INCOMPLETE:
		if (tally_kept(rd->tally, OUTCOME_UNKNOWN, &unknown,
		    &nunknown) == -1)
			goto nomem;
		if (nunknown > 0 && nodeid_escape(&detail, unknown[0].id,
		    unknown[0].len, 200) == -1)
			goto nomem;
		break;
	case VERDICT_RETRY:
		if (opt->rootdir != NULL &&
		    rebase(st, st->tests[0], nfailed, opt, why) == -1)
			goto out;
		break;
	default:
		break;
	}
	if (verdict_reason(&st->reason, t->verdict, &f, detail.data) == -1)
		goto nomem;
	t->reason = st->reason.data;
	rc = 0;
	goto out;
nomem:
	strbuf_puts(why, "out of memory");
out:
	free(unknown);
	strbuf_free(&detail);
	return rc;
}

void
triage_free(struct triage *t)
{
	struct triage_store *st = t->store;
	size_t i;

	if (st != NULL) {
		strbuf_free(&st->reason);
		strbuf_free(&st->rebased);
		free(st->failed);
		free(st->flaky);
		for (i = 0; i < 3; i++)
			free(st->tests[i]);
		free(st);
	}
	memset(t, 0, sizeof(*t));
}
