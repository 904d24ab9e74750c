/*
 * verdict.c: the triage decision, rule by rule.
 *
 * The first rule that applies wins, and each rule fails closed: a report
 * that cannot be trusted, an exit status that says pytest did not finish,
 * or an outcome the report does not show all end in a terminal verdict.
 */
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>

#include "verdict.h"

enum verdict
verdict_decide(const struct facts *f)
{
	/* 1: a collection error makes every other outcome meaningless. */
	if (f->report == REPORT_PARSED && f->collection_errors > 0)
		return VERDICT_COLLECTION_ERROR;

	/* 2: pytest said it did not run the tests to the end. */
	switch (f->exit_status) {
	case 0:
	case 1:
		break;
	case 2:
		return VERDICT_INTERRUPTED;
	case 3:
		return VERDICT_INTERNAL_ERROR;
	case 4:
		return VERDICT_USAGE_ERROR;
	case 5:
		return VERDICT_NO_TESTS;
	case 6:
		return VERDICT_MAX_WARNINGS;
	default:
		return f->exit_status >= 128 ? VERDICT_SIGNAL :
		    VERDICT_EXIT_STATUS;
	}

	/* 3: without a report there is nothing to go on. */
	if (f->report == REPORT_BAD)
		return VERDICT_BAD_REPORT;
	if (f->report == REPORT_MISSING)
		return VERDICT_NO_REPORT;

	/* 4: a test whose final outcome the report does not say, or a log
	 * of a session that never finished. */
	if (f->unknown > 0 || (f->log && !f->finished))
		return VERDICT_INCOMPLETE;

	/* The log says how the session ended: a status that differs was
	 * lost or is stale. */
	if (f->log && f->session_status != f->exit_status)
		return VERDICT_INCONSISTENT;

	/* 5 and 6: pytest's status and the report must agree. */
	if (f->exit_status == 0)
		return f->failed == 0 ? VERDICT_PASSED : VERDICT_INCONSISTENT;
	if (f->failed == 0)
		return VERDICT_UNRECORDED_FAILURE;
	if (f->max_failures > 0 && f->failed > f->max_failures)
		return VERDICT_TOO_MANY_FAILURES;
	return VERDICT_RETRY;
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASSED:
		return "passed";
	case VERDICT_RETRY:
		return "retry";
	case VERDICT_COLLECTION_ERROR:
		return "collection-error";
	case VERDICT_INTERRUPTED:
		return "interrupted";
	case VERDICT_INTERNAL_ERROR:
		return "internal-error";
	case VERDICT_USAGE_ERROR:
		return "usage-error";
	case VERDICT_NO_TESTS:
		return "no-tests";
	case VERDICT_MAX_WARNINGS:
		return "max-warnings";
	case VERDICT_SIGNAL:
		return "signal";
	case VERDICT_EXIT_STATUS:
		return "exit-status";
	case VERDICT_BAD_REPORT:
		return "bad-report";
	case VERDICT_NO_REPORT:
		return "no-report";
	case VERDICT_INCOMPLETE:
		return "incomplete";
	case VERDICT_INCONSISTENT:
		return "inconsistent";
	case VERDICT_UNRECORDED_FAILURE:
		return "unrecorded-failure";
	case VERDICT_TOO_MANY_FAILURES:
		return "too-many-failures";
	case VERDICT_FAILED:
		return "failed";
	case VERDICT_FLAKY:
		return "flaky";
	}
	return "bad-report";
}

int
verdict_exit(enum verdict v)
{
	return v == VERDICT_PASSED || v == VERDICT_RETRY ? 0 : 1;
}

const char *
signal_name(int signo)
{
	static const struct {
		int signo;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGCHLD, "SIGCHLD" },
		{ SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
		{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" },
		{ SIGTTOU, "SIGTTOU" }, { SIGURG, "SIGURG" },
		{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
		{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
		{ SIGWINCH, "SIGWINCH" }, { SIGSYS, "SIGSYS" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].signo == signo)
			return names[i].name;
	return NULL;
}

static int
signal_reason(struct strbuf *out, int status)
{
	const char *name = signal_name(status - 128);

	if (status == 128)
		return strbuf_puts(out, "pytest exited with status 128, "
		    "which shells give a process killed by a signal");
	if (name != NULL)
		return strbuf_printf(out, "pytest was killed by %s (exit %d)",
		    name, status);
	return strbuf_printf(out, "pytest was killed by signal %d (exit %d)",
	    status - 128, status);
}

int
verdict_reason(struct strbuf *out, enum verdict v, const struct facts *f,
    const char *detail)
{
	const char *tests = f->tests == 1 ? "test" : "tests";

	switch (v) {
	case VERDICT_PASSED:
		return strbuf_printf(out, "%" PRIu64 " %s, none failed",
		    f->tests, tests);
	case VERDICT_RETRY:
		return strbuf_printf(out, "%" PRIu64 " of %" PRIu64
		    " %s failed; retrying them", f->failed, f->tests, tests);
	case VERDICT_COLLECTION_ERROR:
	case VERDICT_BAD_REPORT:
	case VERDICT_NO_REPORT:
	case VERDICT_FAILED:
	case VERDICT_FLAKY:
		return strbuf_puts(out, detail != NULL ? detail : "");
	case VERDICT_INTERRUPTED:
		return strbuf_puts(out, "pytest was interrupted (exit 2): "
		    "Ctrl-C, pytest.exit() or errors during collection");
	case VERDICT_INTERNAL_ERROR:
		return strbuf_puts(out,
		    "pytest hit an internal error (exit 3)");
	case VERDICT_USAGE_ERROR:
		return strbuf_puts(out, "pytest reported a usage error (exit 4):"
		    " a bad option, an unknown node ID or a broken conftest.py");
	case VERDICT_NO_TESTS:
		return strbuf_puts(out, "pytest collected no tests (exit 5)");
	case VERDICT_MAX_WARNINGS:
		return strbuf_puts(out,
		    "pytest stopped at its maximum of warnings (exit 6)");
	case VERDICT_SIGNAL:
		return signal_reason(out, f->exit_status);
	case VERDICT_EXIT_STATUS:
		return strbuf_printf(out, "pytest exited with status %d, "
		    "which no rule covers", f->exit_status);
	case VERDICT_INCOMPLETE:
		if (f->log && !f->finished)
			return strbuf_puts(out, "the log has no SessionFinish "
			    "line: pytest did not finish (killed?)");
		if (f->log)
			return strbuf_printf(out, "no final outcome for %"
			    PRIu64 " of %" PRIu64 " %s, the first %s: it never "
			    "finished (killed, pytest.exit()), ran no call "
			    "(--setup-only) or reported a word pytriage does not "
			    "know", f->unknown, f->tests, tests,
			    detail != NULL ? detail : "?");
		return strbuf_printf(out, "no final outcome for %" PRIu64
		    " of %" PRIu64 " %s, the first %s: pytest-rerunfailures "
		    "and --setup-only leave result out of the collector's "
		    "report; pytest --report-log sees them", f->unknown,
		    f->tests, tests, detail != NULL ? detail : "?");
	case VERDICT_INCONSISTENT:
		if (f->log && f->session_status != f->exit_status)
			return strbuf_printf(out, "pytest exited %d, but the "
			    "log's SessionFinish says %" PRId64 " (a lost or "
			    "stale exit status?)", f->exit_status,
			    f->session_status);
		return strbuf_printf(out, "pytest exited 0, but %" PRIu64
		    " of %" PRIu64 " %s failed in the report", f->failed,
		    f->tests, tests);
	case VERDICT_UNRECORDED_FAILURE:
		return strbuf_puts(out, f->log ? "pytest exited 1, but no "
		    "test failed in the log" : "pytest exited 1, but no test "
		    "failed in the report (a teardown error or a conftest.py "
		    "error that the report cannot show; pytest --report-log "
		    "shows them)");
	case VERDICT_TOO_MANY_FAILURES:
		return strbuf_printf(out, "%" PRIu64 " tests failed, more than "
		    "--max-failures %" PRIu64, f->failed, f->max_failures);
	}
	return -1;
}
