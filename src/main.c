/*
 * main.c: the command line.
 *
 * Parses options and operands, opens the report and runs the reader; then
 * output_triage() decides and writes.  The I/O and exit statuses of
 * pytriage live here and in output.c.  Exit 0: passed or retry; 1: every
 * terminal verdict; 2: pytriage's own trouble, never 1, because a shell
 * that cannot open `< report.json` already returns 1 and that must read as
 * "do not retry".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "report.h"
#include "source.h"
#include "tally.h"
#include "verdict.h"

#define PYTRIAGE_VERSION	"1.0.0"
#define EXIT_TROUBLE		OUTPUT_TROUBLE

struct options {
	struct run_options run;	/* what output_triage() needs */
	int quiet;
	int reference;		/* read with json-c, record by record */
};

static void
usage(FILE *fp)
{
	fputs("usage: pytriage [-0q] [-f format] [-m max] [--reference] "
	    "exit_status [report]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\n"
	    "Decide from a Buildkite pytest collector report (pytest --json) and\n"
	    "pytest's exit status whether a run passed, which failed node IDs to\n"
	    "retry, or that no retry can help.  The report is read from the file\n"
	    "operand, or from stdin when it is absent or \"-\".\n"
	    "\n"
	    "  -0, --null             end each selector with NUL, for xargs -0 -r\n"
	    "                         (same as -f null)\n"
	    "  -f, --format=FORMAT    lines (default), null, verdict or json\n"
	    "  -m, --max-failures=N   verdict too-many-failures when more than N\n"
	    "                         tests failed (0: no limit, the default)\n"
	    "  -q, --quiet            print no verdict or summary line on stderr\n"
	    "      --reference        parse every record fully with json-c (slower;\n"
	    "                         a second opinion on the same verdict)\n"
	    "  -h, --help             print this help and exit\n"
	    "  -V, --version          print the version and exit\n"
	    "  --                     end the options\n"
	    "\n"
	    "Exit status: 0 passed or retry; 1 any other verdict (do not retry);\n"
	    "2 pytriage's own trouble (bad command line, unreadable input, write\n"
	    "error, a selector the format cannot carry).  See pytriage(1).\n",
	    stdout);
}

static void
warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "pytriage: ..." on stderr, one line. */
static void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("pytriage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("pytriage: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
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

/* The report operand: an fd, -1 when it does not exist, or trouble. */
static int
open_report(const char *path, int *fd)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		*fd = STDIN_FILENO;
		path = "stdin";
	} else if ((*fd = open(path, O_RDONLY)) == -1) {
		if (errno == ENOENT)
			return 0;
		warnmsg("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warnmsg("cannot read %s: %s", path, strerror(EISDIR));
		return -1;
	}
	return 0;
}

/* Turn a reader's trouble into a message; 0 when there was none. */
static int
reader_trouble(enum report_status status, const struct source *src,
    const char *path)
{
	switch (status) {
	case REPORT_READ_OK:
	case REPORT_READ_EMPTY:
	case REPORT_READ_BAD:
		return 0;
	case REPORT_READ_IOERR:
		warnmsg("cannot read %s: %s", path, strerror(src->error));
		break;
	case REPORT_READ_NOMEM:
		warnmsg("out of memory");
		break;
	case REPORT_READ_TOO_MANY:
		warnmsg("the report holds more than %" PRIu32
		    " distinct node IDs", TALLY_MAX_TESTS);
		break;
	case REPORT_READ_COLLISION:
		warnmsg("two node IDs share a hash; run pytriage again");
		break;
	}
	return -1;
}

/* After --help or --version: a write error is trouble too. */
static int
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnmsg("cannot write to stdout: %s", strerror(errno));
		return EXIT_TROUBLE;
	}
	return 0;
}

static int
parse_options(int argc, char *argv[], struct options *opt)
{
	static const struct option longopts[] = {
		{ "null", no_argument, NULL, '0' },
		{ "format", required_argument, NULL, 'f' },
		{ "max-failures", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "reference", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, format;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":0f:m:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case '0':
			opt->run.format = FORMAT_NULL;
			break;
		case 'f':
			if ((format = output_format(optarg)) == -1)
				return usage_error("unknown format '%s': "
				    "lines, null, verdict or json", optarg);
			opt->run.format = (enum format)format;
			break;
		case 'm':
			if (parse_decimal(optarg, UINT64_MAX, 1,
			    &opt->run.max_failures) == -1)
				return usage_error("invalid --max-failures "
				    "'%s': a whole number is expected", optarg);
			break;
		case 'q':
			opt->quiet = 1;
			break;
		case 'R':
			opt->reference = 1;
			break;
		case 'h':
			help();
			return flush_stdout();
		case 'V':
			puts("pytriage " PYTRIAGE_VERSION);
			return flush_stdout();
		case ':':
			return usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			/* --null=1: a long option given a value it does not
			 * take; getopt then names that option in optopt.  In
			 * a cluster (-zq) optopt is the unknown letter. */
			if (optopt != 0 && strchr("0qhVR", optopt) != NULL &&
			    strncmp(argv[optind - 1], "--", 2) == 0 &&
			    strchr(argv[optind - 1], '=') != NULL)
				return usage_error("option '%s' takes no value",
				    argv[optind - 1]);
			if (optopt != 0) {
				fprintf(stderr, "pytriage: unknown option "
				    "'-%c'\n", optopt);
				usage(stderr);
				return EXIT_TROUBLE;
			}
			return usage_error("unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	return -1;	/* go on */
}

int
main(int argc, char *argv[])
{
	struct options opt = { { FORMAT_LINES, 0 }, 0, 0 };
	struct report_error rerr;
	struct sigaction sa;
	struct source src;
	struct tally tally;
	enum report_status status = REPORT_READ_EMPTY;
	const char *path = NULL, *missing = NULL;
	uint64_t exit_status;
	off_t start;
	int rc, fd = -1;

	if ((rc = parse_options(argc, argv, &opt)) != -1)
		return rc;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_error("%s", "missing exit_status: pytest's exit "
		    "status, as $? gives it");
	if (argc > 2)
		return usage_error("unexpected operand '%s'", argv[2]);
	if (parse_decimal(argv[0], 255, 0, &exit_status) == -1)
		return usage_error("invalid exit_status '%s': a number from 0 "
		    "to 255, as $? gives it, is expected", argv[0]);
	if (argc == 2) {
		if (argv[1][0] == '\0')
			return usage_error("%s", "the report operand is empty");
		path = argv[1];
	}

	if (open_report(path, &fd) == -1)
		return EXIT_TROUBLE;
	if (tally_init(&tally, random_seed()) == -1) {
		warnmsg("out of memory");
		return EXIT_TROUBLE;
	}
	memset(&rerr, 0, sizeof(rerr));
	if (fd == -1)
		missing = path;
	else {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigbus;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
		source_from_fd(&src, fd);
		status = opt.reference ? refread_read(&src, &tally, &rerr) :
		    report_read(&src, &tally, &rerr);
		if (fd != STDIN_FILENO)
			close(fd);
		if (reader_trouble(status, &src, path != NULL &&
		    strcmp(path, "-") != 0 ? path : "stdin") == -1) {
			tally_free(&tally);
			return EXIT_TROUBLE;
		}
	}
	start = output_start();
	rc = output_triage(stdout, opt.quiet ? NULL : stderr, &opt.run,
	    (int)exit_status, status, &rerr, &tally, missing);
	tally_free(&tally);
	if (fflush(stdout) == EOF && rc != EXIT_TROUBLE) {
		warnmsg("cannot write to stdout: %s", strerror(errno));
		rc = EXIT_TROUBLE;
	}
	/* Exit 2 leaves no partial selectors in a file: take them back
	 * while stdout is still open. */
	if (rc == EXIT_TROUBLE && start != -1 &&
	    ftruncate(STDOUT_FILENO, start) == -1)
		warnmsg("cannot take back partial output: %s",
		    strerror(errno));
	if (fclose(stdout) == EOF && rc != EXIT_TROUBLE) {
		warnmsg("cannot write to stdout: %s", strerror(errno));
		rc = EXIT_TROUBLE;
	}
	return rc;
}
