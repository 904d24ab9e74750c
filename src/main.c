/*
 * main.c: the command line.
 *
 * Options and operands, then one call each: judge the attempts (each
 * report read and triaged, then the step as a whole: step.h), write the
 * chosen format.  Exit 0: passed or retry; 1: every terminal
 * verdict; 2: pytriage's own trouble, never 1, because a shell that
 * cannot open `< report.json` already returns 1 and that must read as
 * "do not retry".
 *
 * Data flows one way, through these layers:
 *
 *	command line	main.c: options and operands
 *	reader		reader.c picks the input by its first byte:
 *			collector.c or reportlog.c (logstate.c), with
 *			record.c, over scan.c and source.c; refread.c is the
 *			json-c reference.  Each fills a tally.c, one slot per
 *			node ID
 *	triage		triage.c, verdict.c: one attempt's verdict,
 *			selectors and failures
 *	step		step.c: the attempts of one CI step together
 *	writer		output.c (lines, null, verdict, json), markdown.c,
 *			github.c, junit.c: print a judged step, decide
 *			nothing
 *
 * pytriage run (run.c) sits above the step: it runs pytest for each
 * attempt and asks the step what to do next.  Below them all: nodeid.c,
 * rootdir.c, strbuf.c, siphash.c.  A new input is a reader and a row in
 * reader.c; a new format is a writer and a row in output.c.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nodeid.h"
#include "output.h"
#include "run.h"
#include "step.h"
#include "tally.h"

#ifndef PYTRIAGE_VERSION
#define PYTRIAGE_VERSION	"unknown"
#endif

#define EXIT_TROUBLE		2
#define MAX_BYTES_DEFAULT	1000000

struct options {
	const struct format *format;
	struct step_options step;
	struct write_options write;
	struct step_input *attempts;	/* from the operands */
	size_t nattempts;
	const char *rootdir;	/* as given */
	int quiet;
};

static void
usage(FILE *fp)
{
	fputs("usage: pytriage [-0q] [-f format] [-m max] [--fail-on-flaky] "
	    "[--max-bytes=N]\n"
	    "                [--reference] [--retries=N] [--rootdir=DIR]\n"
	    "                exit_status [report] [exit_status report ...]\n"
	    "       pytriage run [options] [--] command [arg ...]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\n"
	    "Decide from pytest's exit status and a report of the run whether\n"
	    "it passed, which failed node IDs to retry, or that no retry can\n"
	    "help.  The report is pytest-reportlog's log (pytest\n"
	    "--report-log) or the Buildkite collector's report (pytest --json),\n"
	    "read from the file operand, or from stdin when it is absent or\n"
	    "\"-\".  Several pairs are the attempts of one CI step, in order: the\n"
	    "first run, then each retry.  pytriage run runs pytest and its\n"
	    "retries itself: see pytriage run --help.\n"
	    "\n"
	    "  -0, --null             end each selector with NUL, for xargs -0 -r\n"
	    "                         (same as -f null)\n"
	    "  -f, --format=FORMAT    lines (default), null, verdict, json,\n"
	    "                         markdown, github or junit\n"
	    "  -m, --max-failures=N   verdict too-many-failures when more than N\n"
	    "                         tests failed (0: no limit, the default)\n"
	    "  -q, --quiet            print no verdict or summary line on stderr\n"
	    "      --fail-on-flaky    verdict flaky when the step passed only\n"
	    "                         thanks to a rerun\n"
	    "      --max-bytes=N      markdown: the largest document (default\n"
	    "                         1000000; 0: no limit)\n"
	    "      --reference        parse every record fully with json-c (slower;\n"
	    "                         a second opinion on the same verdict)\n"
	    "      --retries=N        attempts the step may run after the first\n"
	    "                         (default 1; 0: failures are terminal)\n"
	    "      --rootdir=DIR      pytest's rootdir: write selectors relative\n"
	    "                         to the current directory\n"
	    "  -h, --help             print this help and exit\n"
	    "  -V, --version          print the version and exit\n"
	    "  --                     end the options\n"
	    "\n"
	    "Exit status: 0 passed or retry; 1 any other verdict (do not retry);\n"
	    "2 pytriage's own trouble (bad command line, unreadable input, write\n"
	    "error, a selector the format cannot carry).  See pytriage(1).\n",
	    stdout);
}

/* A one-line complaint about the command line, then the usage. */
static int
bad_usage(const char *fmt, const char *arg)
{
	warnx(fmt, arg);
	usage(stderr);
	return EXIT_TROUBLE;
}

/* Decimal digits only, no sign, no space; 0 to max. */
int
parse_decimal(const char *s, uint64_t max, int leading_zeros,
    uint64_t *value)
{
	uint64_t v = 0;
	const char *p;

	if (*s == '\0' || (!leading_zeros && s[0] == '0' && s[1] != '\0'))
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*value = v;
	return 0;
}

/*
 * A mapped report that shrinks under pytriage (a pytest still writing it,
 * a cleanup step) raises SIGBUS on the missing pages.  Nothing is on
 * stdout yet: say so and exit as for any unreadable input.
 */
static void
on_sigbus(int signo)
{
	static const char msg[] =
	    "pytriage: cannot read the report: it shrank while being read\n";

	(void)signo;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) == -1)
		_exit(EXIT_TROUBLE);
	_exit(EXIT_TROUBLE);
}

/*
 * Where output to a regular file starts, so that trouble can take it back:
 * stdio flushes as its buffer fills, so a write error (a full disk, a file
 * size limit) can come after part of the selectors went out.  -1 when
 * stdout is not a regular file.
 */
static off_t
output_start(void)
{
	struct stat st;
	int flags;

	if (fstat(STDOUT_FILENO, &st) == -1 || !S_ISREG(st.st_mode))
		return -1;
	if ((flags = fcntl(STDOUT_FILENO, F_GETFL)) != -1 &&
	    (flags & O_APPEND))
		return st.st_size;
	return lseek(STDOUT_FILENO, 0, SEEK_CUR);
}

/* After --help or --version: a write error is trouble too. */
static int
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("cannot write to stdout");
		return EXIT_TROUBLE;
	}
	return 0;
}

/*
 * "-1" before the operands would reach getopt as an option: say what it
 * is.  An option's own value is skipped.
 */
static int
signed_status(int argc, char *argv[])
{
	static const char *const with_value[] = {
		"-f", "-m", "--format", "--max-failures", "--max-bytes",
		"--retries", "--rootdir"
	};
	const char *a;
	size_t i;
	int k;

	for (k = 1; k < argc; k++) {
		a = argv[k];
		if (strcmp(a, "--") == 0)
			return 0;
		for (i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
			if (strcmp(a, with_value[i]) == 0)
				break;
		if (i < sizeof(with_value) / sizeof(with_value[0])) {
			k++;
			continue;
		}
		/* All digits after the sign; "-0" is the option. */
		if ((a[0] == '-' || a[0] == '+') && a[1] != '\0' &&
		    strspn(a + 1, "0123456789") == strlen(a + 1) &&
		    strcmp(a, "-0") != 0)
			return bad_usage("invalid exit_status '%s': a number "
			    "from 0 to 255, as $? gives it, is expected", a);
	}
	return 0;
}

/* -1: go on; else the exit status. */
static int
parse_options(int argc, char *argv[], struct options *opt)
{
	enum { OPT_REFERENCE = 256, OPT_ROOTDIR, OPT_MAX_BYTES, OPT_RETRIES,
	    OPT_FAIL_ON_FLAKY };
	static const struct option longopts[] = {
		{ "null", no_argument, NULL, '0' },
		{ "format", required_argument, NULL, 'f' },
		{ "max-failures", required_argument, NULL, 'm' },
		{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "reference", no_argument, NULL, OPT_REFERENCE },
		{ "rootdir", required_argument, NULL, OPT_ROOTDIR },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "fail-on-flaky", no_argument, NULL, OPT_FAIL_ON_FLAKY },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t n;
	int ch;

	if (signed_status(argc, argv) != 0)
		return EXIT_TROUBLE;
	while ((ch = getopt_long(argc, argv, "0f:m:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '0':
			opt->format = output_format("null");
			break;
		case 'f':
			if ((opt->format = output_format(optarg)) == NULL) {
				warnx("unknown format '%s': %s", optarg,
				    output_format_names());
				usage(stderr);
				return EXIT_TROUBLE;
			}
			break;
		case 'm':
			if (parse_decimal(optarg, UINT64_MAX, 1,
			    &opt->step.triage.max_failures) == -1)
				return bad_usage("invalid --max-failures '%s': "
				    "a whole number is expected", optarg);
			break;
		case OPT_MAX_BYTES:
			if (parse_decimal(optarg, UINT64_MAX, 1, &n) == -1)
				return bad_usage("invalid --max-bytes '%s': a "
				    "whole number is expected", optarg);
			opt->write.max_bytes = n;
			break;
		case 'q':
			opt->quiet = 1;
			break;
		case OPT_REFERENCE:
			opt->step.reference = 1;
			break;
		case OPT_RETRIES:
			if (parse_decimal(optarg, UINT32_MAX, 1,
			    &opt->step.retries) == -1)
				return bad_usage("invalid --retries '%s': a "
				    "whole number is expected", optarg);
			break;
		case OPT_FAIL_ON_FLAKY:
			opt->step.fail_on_flaky = 1;
			break;
		case OPT_ROOTDIR:
			if (optarg[0] == '\0')
				return bad_usage("%s", "--rootdir is empty");
			opt->rootdir = optarg;
			break;
		case 'h':
			help();
			return flush_stdout();
		case 'V':
			puts("pytriage " PYTRIAGE_VERSION);
			return flush_stdout();
		default:	/* getopt said what was wrong */
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	return -1;
}

/*
 * The operands: exit_status [report], or pairs of them, one per attempt.
 * At most one report may be stdin.
 */
static int
parse_operands(int argc, char *argv[], struct options *opt)
{
	uint64_t status;
	size_t k, n, stdin_at = 0;
	int i;

	if (argc < 1)
		return bad_usage("%s", "missing exit_status: pytest's exit "
		    "status, as $? gives it");
	n = ((size_t)argc + 1) / 2;
	if ((opt->attempts = calloc(n, sizeof(*opt->attempts))) == NULL) {
		warnx("out of memory");
		return EXIT_TROUBLE;
	}
	opt->nattempts = n;
	for (k = 0, i = 0; k < n; k++, i += 2) {
		if (parse_decimal(argv[i], 255, 0, &status) == -1)
			return bad_usage("invalid exit_status '%s': a number "
			    "from 0 to 255, as $? gives it, is expected",
			    argv[i]);
		opt->attempts[k].exit_status = (int)status;
		if (i + 1 >= argc && n > 1)
			return bad_usage("missing report after exit_status "
			    "'%s': each attempt of several needs both", argv[i]);
		if (i + 1 >= argc || strcmp(argv[i + 1], "-") == 0) {
			if (stdin_at != 0)
				return bad_usage("%s", "only one report can be "
				    "read from stdin");
			stdin_at = k + 1;
			continue;
		}
		if (argv[i + 1][0] == '\0')
			return bad_usage("%s", "the report operand is empty");
		opt->attempts[k].report = argv[i + 1];
	}
	return -1;
}

/*
 * The workspace that github names files from: $GITHUB_WORKSPACE, or the
 * current directory when it is unset.  One that does not exist here (the
 * reports were made elsewhere) is taken as written when it is absolute;
 * a relative one that cannot be resolved names no file.
 */
static void
resolve_workspace(struct options *opt, const char *cwd, char *workspace)
{
	const char *ws = getenv("GITHUB_WORKSPACE");
	size_t n;

	if (ws == NULL || ws[0] == '\0')
		ws = cwd;
	else if (realpath(ws, workspace) != NULL)
		ws = workspace;
	else if (ws[0] != '/' || strlen(ws) >= PATH_MAX)
		return;
	else {
		strcpy(workspace, ws);
		n = strlen(workspace);
		while (n > 1 && workspace[n - 1] == '/')
			workspace[--n] = '\0';
		ws = workspace;
	}
	opt->write.workspace = ws;
	n = strlen(ws);
	if (strcmp(cwd, ws) == 0)
		opt->write.cwd_in_workspace = "";
	else if (n == 1)
		opt->write.cwd_in_workspace = cwd + 1;
	else if (strncmp(cwd, ws, n) == 0 && cwd[n] == '/')
		opt->write.cwd_in_workspace = cwd + n + 1;
}

/* The current directory and --rootdir, absolute, where they are needed. */
static int
resolve_dirs(struct options *opt, char *cwd, char *rootdir, char *workspace)
{
	struct stat st;

	if (!opt->format->messages && opt->rootdir == NULL)
		return 0;
	if (getcwd(cwd, PATH_MAX) == NULL) {
		warn("cannot find the current directory");
		return -1;
	}
	opt->step.triage.cwd = cwd;
	resolve_workspace(opt, cwd, workspace);
	if (opt->rootdir == NULL)
		return 0;
	if (realpath(opt->rootdir, rootdir) == NULL) {
		warn("--rootdir %s", opt->rootdir);
		return -1;
	}
	if (stat(rootdir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		warnx("--rootdir %s: %s", opt->rootdir, strerror(ENOTDIR));
		return -1;
	}
	opt->step.triage.rootdir = rootdir;
	return 0;
}

/* Write the step: the format on stdout, the verdict line on stderr. */
static int
write_step(const struct options *opt, const struct step *s)
{
	const struct triage *t = &s->result;
	struct strbuf shown;
	const char *unfit;
	size_t which;
	int rc;

	if ((unfit = output_unfit(opt->format, t->failed,
	    t->verdict == VERDICT_RETRY ? t->nfailed : 0, &which)) != NULL) {
		strbuf_init(&shown);
		if (nodeid_escape(&shown, t->failed[which].id,
		    t->failed[which].id_len, 200) == -1)
			warnx("out of memory");
		else
			warnx("node ID '%s' %s", shown.data, unfit);
		strbuf_free(&shown);
		return EXIT_TROUBLE;
	}
	rc = opt->format->write(stdout, s, &opt->write);
	if (rc == WRITE_TOO_SMALL) {
		warnx("--max-bytes %" PRIu64 " is too small: the summary needs "
		    "at least %" PRIu64 " bytes", opt->write.max_bytes,
		    markdown_min_bytes(s));
		return EXIT_TROUBLE;
	}
	if (rc != 0 || fflush(stdout) == EOF) {
		warn("cannot write to stdout");
		return EXIT_TROUBLE;
	}
	if (!opt->quiet && t->verdict != VERDICT_PASSED)
		fprintf(stderr, "pytriage: %s: %s\n", verdict_name(t->verdict),
		    t->reason);
	return verdict_exit(t->verdict);
}

int
main(int argc, char *argv[])
{
	static char cwd[PATH_MAX], rootdir[PATH_MAX], workspace[PATH_MAX];
	struct options opt;
	struct sigaction sa;
	struct strbuf why;
	struct step step;
	off_t start;
	int rc;

	/* getopt names the program by argv[0], err(3) by its last part:
	 * both say "pytriage". */
	if (argc > 0 && strrchr(argv[0], '/') != NULL)
		argv[0] = strrchr(argv[0], '/') + 1;
	if (argc > 1 && strcmp(argv[1], "run") == 0)
		return run_main(argc - 1, argv + 1);
	memset(&opt, 0, sizeof(opt));
	opt.format = output_format("lines");
	opt.write.max_bytes = MAX_BYTES_DEFAULT;
	opt.step.retries = 1;
	if ((rc = parse_options(argc, argv, &opt)) != -1 ||
	    (rc = parse_operands(argc - optind, argv + optind, &opt)) != -1) {
		free(opt.attempts);
		return rc;
	}
	if (opt.nattempts - 1 > opt.step.retries) {
		warnx("%zu attempts, but --retries=%" PRIu64 " allows at most "
		    "%" PRIu64, opt.nattempts, opt.step.retries,
		    opt.step.retries + 1);
		usage(stderr);
		free(opt.attempts);
		return EXIT_TROUBLE;
	}
	if (resolve_dirs(&opt, cwd, rootdir, workspace) == -1) {
		free(opt.attempts);
		return EXIT_TROUBLE;
	}
	opt.step.messages = opt.format->messages;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	strbuf_init(&why);
	if (step_judge(&step, opt.attempts, opt.nattempts, &opt.step,
	    &why) == -1) {
		warnx("%s", why.data);
		rc = EXIT_TROUBLE;
	} else {
		start = output_start();
		rc = write_step(&opt, &step);
		/* Exit 2 leaves no partial selectors in a file: take them
		 * back while stdout is still open. */
		if (rc == EXIT_TROUBLE && start != -1 &&
		    ftruncate(STDOUT_FILENO, start) == -1)
			warn("cannot take back partial output");
	}
	step_free(&step);
	strbuf_free(&why);
	free(opt.attempts);
	if (fclose(stdout) == EOF && rc != EXIT_TROUBLE) {
		warn("cannot write to stdout");
		rc = EXIT_TROUBLE;
	}
	return rc;
}
