/*
 * main.c: the command line.
 *
 * Options and operands, then one call each: read the report, triage it,
 * write the chosen format.  Exit 0: passed or retry; 1: every terminal
 * verdict; 2: pytriage's own trouble, never 1, because a shell that
 * cannot open `< report.json` already returns 1 and that must read as
 * "do not retry".
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
#include "reader.h"
#include "source.h"
#include "tally.h"
#include "triage.h"

#ifndef PYTRIAGE_VERSION
#define PYTRIAGE_VERSION	"unknown"
#endif

#define EXIT_TROUBLE		2
#define MAX_BYTES_DEFAULT	1000000

struct options {
	const struct format *format;
	struct triage_options triage;
	struct write_options write;
	const char *report;	/* NULL or "-": stdin */
	const char *rootdir;	/* as given */
	int quiet;
	int reference;		/* read with json-c */
};

static void
usage(FILE *fp)
{
	fputs("usage: pytriage [-0q] [-f format] [-m max] [--max-bytes=N] "
	    "[--reference]\n"
	    "                [--rootdir=DIR] exit_status [report]\n", fp);
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
	    "\"-\".\n"
	    "\n"
	    "  -0, --null             end each selector with NUL, for xargs -0 -r\n"
	    "                         (same as -f null)\n"
	    "  -f, --format=FORMAT    lines (default), null, verdict, json,\n"
	    "                         markdown or github\n"
	    "  -m, --max-failures=N   verdict too-many-failures when more than N\n"
	    "                         tests failed (0: no limit, the default)\n"
	    "  -q, --quiet            print no verdict or summary line on stderr\n"
	    "      --max-bytes=N      markdown: the largest document (default\n"
	    "                         1000000; 0: no limit)\n"
	    "      --reference        parse every record fully with json-c (slower;\n"
	    "                         a second opinion on the same verdict)\n"
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
static int
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

static uint64_t
random_seed(void)
{
	uint64_t seed;

	if (getentropy(&seed, sizeof(seed)) == 0)
		return seed;
	return (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
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
		"--rootdir"
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
	enum { OPT_REFERENCE = 256, OPT_ROOTDIR, OPT_MAX_BYTES };
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
			    &opt->triage.max_failures) == -1)
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
			opt->reference = 1;
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

/* The operands: exit_status [report]. */
static int
parse_operands(int argc, char *argv[], struct options *opt)
{
	uint64_t status;

	if (argc < 1)
		return bad_usage("%s", "missing exit_status: pytest's exit "
		    "status, as $? gives it");
	if (argc > 2)
		return bad_usage("unexpected operand '%s'", argv[2]);
	if (parse_decimal(argv[0], 255, 0, &status) == -1)
		return bad_usage("invalid exit_status '%s': a number from 0 "
		    "to 255, as $? gives it, is expected", argv[0]);
	opt->triage.exit_status = (int)status;
	if (argc == 2) {
		if (argv[1][0] == '\0')
			return bad_usage("%s", "the report operand is empty");
		if (strcmp(argv[1], "-") != 0)
			opt->report = argv[1];
	}
	return -1;
}

/* The report operand: an fd, -1 when it does not exist, or trouble. */
static int
open_report(const char *path, int *fd)
{
	struct stat st;

	if (path == NULL)
		*fd = STDIN_FILENO;
	else if ((*fd = open(path, O_RDONLY)) == -1) {
		if (errno == ENOENT)
			return 0;
		warn("cannot open %s", path);
		return -1;
	}
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("cannot read %s: %s", path != NULL ? path : "stdin",
		    strerror(EISDIR));
		return -1;
	}
	return 0;
}

/* Read the report into rd; its status, or -1 for trouble (said). */
static int
read_report(struct options *opt, struct reading *rd)
{
	const char *name = opt->report != NULL ? opt->report : "stdin";
	struct sigaction sa;
	struct source src;
	enum report_status status;
	int fd = -1;

	if (open_report(opt->report, &fd) == -1)
		return -1;
	if (fd == -1) {
		opt->triage.missing = opt->report;
		return REPORT_READ_EMPTY;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	source_from_fd(&src, fd);
	status = opt->reference ? refread_read(&src, rd) :
	    report_read(&src, rd);
	if (fd != STDIN_FILENO)
		close(fd);
	switch (status) {
	case REPORT_READ_OK:
	case REPORT_READ_EMPTY:
	case REPORT_READ_BAD:
		return (int)status;
	case REPORT_READ_IOERR:
		warnx("cannot read %s: %s", name, strerror(src.error));
		break;
	case REPORT_READ_NOMEM:
		warnx("out of memory");
		break;
	case REPORT_READ_TOO_MANY:
		warnx("the report holds more than %" PRIu32
		    " distinct node IDs", TALLY_MAX_TESTS);
		break;
	case REPORT_READ_COLLISION:
		warnx("two node IDs share a hash; run pytriage again");
		break;
	}
	return -1;
}

/* The current directory and --rootdir, absolute, where they are needed. */
static int
resolve_dirs(struct options *opt, char *cwd, char *rootdir)
{
	struct stat st;

	if (!opt->format->messages && opt->rootdir == NULL)
		return 0;
	if (getcwd(cwd, PATH_MAX) == NULL) {
		warn("cannot find the current directory");
		return -1;
	}
	opt->triage.cwd = cwd;
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
	opt->triage.rootdir = rootdir;
	return 0;
}

/* Write the triage: the format on stdout, the verdict line on stderr. */
static int
write_triage(const struct options *opt, const struct triage *t)
{
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
	rc = opt->format->write(stdout, t, &opt->write);
	if (rc == WRITE_TOO_SMALL) {
		warnx("--max-bytes %" PRIu64 " is too small: the summary needs "
		    "at least %" PRIu64 " bytes", opt->write.max_bytes,
		    markdown_min_bytes(t));
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
	static char cwd[PATH_MAX], rootdir[PATH_MAX];
	struct options opt;
	struct reading rd;
	struct strbuf why;
	struct tally tally;
	struct triage t;
	off_t start;
	int rc, status;

	/* getopt names the program by argv[0], err(3) by its last part:
	 * both say "pytriage". */
	if (argc > 0 && strrchr(argv[0], '/') != NULL)
		argv[0] = strrchr(argv[0], '/') + 1;
	memset(&opt, 0, sizeof(opt));
	opt.format = output_format("lines");
	opt.write.max_bytes = MAX_BYTES_DEFAULT;
	if ((rc = parse_options(argc, argv, &opt)) != -1)
		return rc;
	if ((rc = parse_operands(argc - optind, argv + optind, &opt)) != -1)
		return rc;
	if (resolve_dirs(&opt, cwd, rootdir) == -1)
		return EXIT_TROUBLE;

	if (tally_init(&tally, random_seed()) == -1) {
		warnx("out of memory");
		return EXIT_TROUBLE;
	}
	memset(&rd, 0, sizeof(rd));
	rd.tally = &tally;
	rd.messages = opt.format->messages;
	if ((status = read_report(&opt, &rd)) == -1) {
		tally_free(&tally);
		return EXIT_TROUBLE;
	}
	strbuf_init(&why);
	if (triage_run(&t, &rd, status, &opt.triage, &why) == -1) {
		warnx("%s", why.data);
		rc = EXIT_TROUBLE;
	} else {
		start = output_start();
		rc = write_triage(&opt, &t);
		/* Exit 2 leaves no partial selectors in a file: take them
		 * back while stdout is still open. */
		if (rc == EXIT_TROUBLE && start != -1 &&
		    ftruncate(STDOUT_FILENO, start) == -1)
			warn("cannot take back partial output");
	}
	triage_free(&t);
	strbuf_free(&why);
	tally_free(&tally);
	if (fclose(stdout) == EOF && rc != EXIT_TROUBLE) {
		warn("cannot write to stdout");
		rc = EXIT_TROUBLE;
	}
	return rc;
}
