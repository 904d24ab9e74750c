/*
 * run.c: pytriage run, the whole CI step in one command.
 *
 *	pytriage run [options] -- COMMAND [ARG]...
 *
 * The mechanism.  Every attempt runs COMMAND as given, from the same
 * directory, with pytriage's options added before pytest's "--" (or at
 * the end, for a wrapper): --report-log=TMP/aN.jsonl (--json=TMP/aN.json
 * with --collector) and --override-ini=cache_dir=TMP/cache, TMP being a
 * private directory made with mkdtemp(3).  A retry adds --last-failed
 * --last-failed-no-failures=none: pytest itself then runs exactly the
 * tests that failed in the attempt before it, with the first run's
 * paths and option values, and nothing when there is nothing to rerun.
 * After each attempt the attempts so far are judged together
 * (step_judge(), step.h); while the step's verdict is retry, the next
 * attempt runs.  The step's verdict decides the exit status.
 *
 * What would make a retry inexact is refused before the first run, with
 * a message saying what to change (pyargs.c reads pytest's options as
 * pytest does).  A run that stops early (-x, --maxfail, --stepwise) is
 * never retried: the tests after its stop never ran, and no retry of
 * the failed ones can say how they would have ended.  The ini file's
 * addopts cannot be read here; what covers them is pytest's own record:
 * its cache's list of the tests it collected (cache/nodeids, written
 * when the session ends, not under pytest-xdist).  When the first run
 * collected more tests than its report ran, it stopped early, whatever
 * made it stop, and it is not retried.
 *
 * Signals.  SIGINT, SIGTERM and SIGHUP go to the running pytest, so that
 * it can end its report and exit; then no retry runs, the summary is
 * written, the private directory is removed, and pytriage dies of the
 * same signal (a shell says 128+N).  pytest runs in a process group of
 * its own, which gets each signal once, as a terminal's Ctrl-C reaches a
 * whole foreground group, xdist's workers included.  When pytriage is
 * the foreground of the terminal on its stdin, pytest stays in its group
 * instead, so that it can read the terminal (--pdb); a signal from that
 * terminal then reached pytest already and is not sent again.  A signal
 * that pytriage was started with ignored stays ignored, for pytest too.
 *
 * pytest's output passes through: its stdout is pytriage's, its stderr
 * reaches pytriage's byte for byte through a pipe, read so that a
 * missing plugin ("unrecognized arguments: --report-log=...") can be
 * told from other usage errors.  pytriage's own lines go to stderr.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>

#include "nodeid.h"
#include "output.h"
#include "pyargs.h"
#include "run.h"
#include "step.h"
#include "strbuf.h"

#define EXIT_TROUBLE		2
#define MAX_BYTES_DEFAULT	1000000
#define RELAY_CHUNK		65536
/* Chunks read from pytest's stderr once it has exited: more than a
 * pipe holds. */
#define DRAIN_CHUNKS		64

/* --write=FORMAT[:FILE]: a format to write at the end, and where. */
struct output {
	const struct format *format;
	const char *path;	/* NULL: stdout */
	FILE *fp;
};

struct run_options {
	struct step_options step;
	struct write_options write;
	struct output *outputs;
	size_t noutputs;
	const char *report_dir;		/* as given */
	const char *rootdir;		/* as given */
	enum pyargs_report report;
	char **command;
	int ncommand;
};

/* What the runner holds while it runs. */
struct runner {
	struct run_options *opt;
	struct pyargs pa;
	char *path;			/* COMMAND's program, from PATH */
	char tmp[PATH_MAX];		/* the private directory */
	char report_dir[PATH_MAX];	/* absolute; "" when not asked */
	char cwd[PATH_MAX], rootdir[PATH_MAX];
	int own_group;			/* pytest in a group of its own */
	int handled[3];			/* signals[i] caught */
	struct sigaction old[3], old_chld, old_pipe;
	sigset_t old_mask, wait_mask;
	int stop;			/* the first signal caught, or 0 */
};

/* What one attempt did. */
struct attempt {
	int status;		/* pytest's, as a shell gives it */
	int exec_errno;		/* COMMAND could not be run */
	int unrecognized;	/* stderr: "unrecognized arguments: " */
	int named_report;	/* stderr named pytriage's report option */
	int named_lf;		/* stderr named --last-failed */
};

static const int signals[3] = { SIGINT, SIGTERM, SIGHUP };

/*
 * What the signal handlers saw, per signal in signals[]: 1 caught, 2 to
 * be sent on to pytest.  File scope because a handler can tell nothing
 * any other way.  Read and cleared only while these signals are
 * blocked; the handlers run only inside pselect().
 */
static volatile sig_atomic_t caught[3];
/* pytest shares pytriage's process group: a signal the kernel sent
 * (the terminal's) reached it too. */
static volatile sig_atomic_t shared_group;

static void
on_signal(int signo, siginfo_t *si, void *ctx)
{
	int i;

	(void)ctx;
	for (i = 0; i < 3; i++)
		if (signals[i] == signo)
			break;
	if (i == 3)
		return;
	caught[i] |= 1;
	if (!shared_group || si == NULL || si->si_code == SI_USER ||
	    si->si_code == SI_QUEUE)
		caught[i] |= 2;
}

/* Only to end pselect(): waitpid() says which child. */
static void
on_child(int signo)
{
	(void)signo;
}

static void
usage(FILE *fp)
{
	fputs("usage: pytriage run [-m max] [-w format[:file]] [--collector] "
	    "[--fail-on-flaky]\n"
	    "                    [--max-bytes=N] [--reference] "
	    "[--report-dir=dir]\n"
	    "                    [--retries=N] [--rootdir=dir] "
	    "[--] command [arg ...]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\n"
	    "Run pytest (command) with a report of its own, retry the failed\n"
	    "tests with pytest's --last-failed while the step's verdict is\n"
	    "retry, and end with the step's verdict.  pytest's output passes\n"
	    "through; pytriage's lines go to stderr.\n"
	    "\n"
	    "  -m, --max-failures=N   too-many-failures (no retry) when more "
	    "than N\n"
	    "                         tests failed (0: no limit, the default)\n"
	    "  -w, --write=FORMAT[:FILE]\n"
	    "                         at the end write the step in FORMAT "
	    "(json,\n"
	    "                         markdown, github, ...) to FILE, or to "
	    "stdout\n"
	    "                         without one or with -; repeatable\n"
	    "      --collector        read the Buildkite collector's report\n"
	    "                         (pytest --json) instead of "
	    "pytest-reportlog's\n"
	    "      --fail-on-flaky    verdict flaky when a test passed only "
	    "on a retry\n"
	    "      --max-bytes=N      markdown: the largest document (default\n"
	    "                         1000000; 0: no limit)\n"
	    "      --reference        parse every record fully with json-c\n"
	    "      --report-dir=DIR   keep each attempt's report and exit "
	    "status in DIR\n"
	    "      --retries=N        retries after the first run (default 1)\n"
	    "      --rootdir=DIR      pytest's rootdir, as without run\n"
	    "  -h, --help             print this help and exit\n"
	    "\n"
	    "Exit status: 0 passed; 1 any other verdict; 2 pytriage's own "
	    "trouble\n"
	    "(bad command line, a command line no retry can repeat exactly,\n"
	    "command not found, pytest-reportlog missing).  After SIGINT,\n"
	    "SIGTERM or SIGHUP it dies of that signal.  See pytriage(1).\n",
	    stdout);
}

static int
bad_usage(const char *fmt, const char *arg)
{
	warnx(fmt, arg);
	usage(stderr);
	return EXIT_TROUBLE;
}

/* --write=FORMAT[:FILE]; FILE "-" is stdout. */
static int
add_output(struct run_options *opt, char *arg)
{
	struct output *o;
	char *colon = strchr(arg, ':');
	size_t i;

	if (colon != NULL)
		*colon = '\0';
	if ((o = reallocarray(opt->outputs, opt->noutputs + 1,
	    sizeof(*o))) == NULL) {
		warnx("out of memory");
		return EXIT_TROUBLE;
	}
	opt->outputs = o;
	o = &opt->outputs[opt->noutputs];
	memset(o, 0, sizeof(*o));
	if ((o->format = output_format(arg)) == NULL) {
		warnx("unknown format '%s' in --write: %s", arg,
		    output_format_names());
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (colon != NULL && colon[1] == '\0')
		return bad_usage("--write=%s: the file after ':' is empty",
		    arg);
	if (colon != NULL && strcmp(colon + 1, "-") != 0)
		o->path = colon + 1;
	for (i = 0; o->path == NULL && i < opt->noutputs; i++)
		if (opt->outputs[i].path == NULL)
			return bad_usage("%s", "only one --write can go to "
			    "stdout");
	opt->noutputs++;
	return -1;
}

/* -1: go on; else the exit status. */
static int
parse_options(int argc, char *argv[], struct run_options *opt)
{
	enum {
		OPT_COLLECTOR = 256, OPT_FAIL_ON_FLAKY, OPT_MAX_BYTES,
		OPT_REFERENCE, OPT_REPORT_DIR, OPT_RETRIES, OPT_ROOTDIR
	};
	static const struct option longopts[] = {
		{ "collector", no_argument, NULL, OPT_COLLECTOR },
		{ "fail-on-flaky", no_argument, NULL, OPT_FAIL_ON_FLAKY },
		{ "help", no_argument, NULL, 'h' },
		{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
		{ "max-failures", required_argument, NULL, 'm' },
		{ "reference", no_argument, NULL, OPT_REFERENCE },
		{ "report-dir", required_argument, NULL, OPT_REPORT_DIR },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "rootdir", required_argument, NULL, OPT_ROOTDIR },
		{ "write", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t n;
	int ch, rc;

	/* "+": COMMAND's options are its own, even without "--". */
	while ((ch = getopt_long(argc, argv, "+hm:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (parse_decimal(optarg, UINT64_MAX, 1,
			    &opt->step.triage.max_failures) == -1)
				return bad_usage("invalid --max-failures '%s': "
				    "a whole number is expected", optarg);
			break;
		case 'w':
			if ((rc = add_output(opt, optarg)) != -1)
				return rc;
			break;
		case OPT_COLLECTOR:
			opt->report = PYARGS_COLLECTOR;
			break;
		case OPT_FAIL_ON_FLAKY:
			opt->step.fail_on_flaky = 1;
			break;
		case OPT_MAX_BYTES:
			if (parse_decimal(optarg, UINT64_MAX, 1, &n) == -1)
				return bad_usage("invalid --max-bytes '%s': a "
				    "whole number is expected", optarg);
			opt->write.max_bytes = n;
			break;
		case OPT_REFERENCE:
			opt->step.reference = 1;
			break;
		case OPT_REPORT_DIR:
			if (optarg[0] == '\0')
				return bad_usage("%s", "--report-dir is empty");
			opt->report_dir = optarg;
			break;
		case OPT_RETRIES:
			if (parse_decimal(optarg, UINT32_MAX, 1,
			    &opt->step.retries) == -1)
				return bad_usage("invalid --retries '%s': a "
				    "whole number is expected", optarg);
			break;
		case OPT_ROOTDIR:
			if (optarg[0] == '\0')
				return bad_usage("%s", "--rootdir is empty");
			opt->rootdir = optarg;
			break;
		case 'h':
			help();
			if (fflush(stdout) == EOF || ferror(stdout)) {
				warn("cannot write to stdout");
				return EXIT_TROUBLE;
			}
			return 0;
		default:	/* getopt said what was wrong */
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	opt->command = argv + optind;
	opt->ncommand = argc - optind;
	if (opt->ncommand == 0)
		return bad_usage("%s", "missing command: pytriage run -- "
		    "pytest [arg ...]");
	return -1;
}

/*
 * COMMAND's program as execvp(3) would find it, found before any fork
 * so that "not found" is said once, plainly.  NULL when not found (or
 * out of memory, said).
 */
static char *
find_program(const char *name)
{
	struct strbuf path;
	struct stat st;
	const char *dirs, *p, *end;
	char *found;

	if (name[0] == '\0') {
		warnx("cannot run '': the command is empty");
		return NULL;
	}
	if (strchr(name, '/') != NULL) {
		if ((found = strdup(name)) == NULL)
			warnx("out of memory");
		return found;
	}
	if ((dirs = getenv("PATH")) == NULL || dirs[0] == '\0')
		dirs = "/usr/bin:/bin";
	strbuf_init(&path);
	for (p = dirs;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		strbuf_reset(&path);
		/* An empty element is the current directory. */
		if ((end == p ? strbuf_puts(&path, ".") :
		    strbuf_append(&path, p, (size_t)(end - p))) == -1 ||
		    strbuf_printf(&path, "/%s", name) == -1) {
			warnx("out of memory");
			strbuf_free(&path);
			return NULL;
		}
		if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(path.data, X_OK) == 0)
			return path.data;	/* now the caller's */
		if (*end == '\0')
			break;
	}
	strbuf_free(&path);
	warnx("cannot run '%s': command not found in PATH", name);
	return NULL;
}

/* The private directory and what is under it, however deep. */
static int
remove_at(int dirfd, const char *name)
{
	struct dirent *e;
	DIR *d;
	int fd, rc = 0;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (remove_at(fd, e->d_name) == -1)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == -1 && errno != ENOENT)
		rc = -1;
	return rc;
}

static int
make_tmp(struct runner *r)
{
	const char *base = getenv("TMPDIR");
	char templ[PATH_MAX];
	int n;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	n = snprintf(templ, sizeof(templ), "%s/pytriage-run.XXXXXX", base);
	if (n < 0 || (size_t)n >= sizeof(templ)) {
		warnx("TMPDIR is too long");
		return -1;
	}
	if (mkdtemp(templ) == NULL) {
		warn("cannot make a directory in %s", base);
		return -1;
	}
	/* Absolute: a wrapper may change directory before pytest runs. */
	if (realpath(templ, r->tmp) == NULL) {
		warn("%s", templ);
		remove_at(AT_FDCWD, templ);
		return -1;
	}
	return 0;
}

/* The report directory, made when missing, absolute. */
static int
make_report_dir(struct runner *r)
{
	const char *dir = r->opt->report_dir;

	if (dir == NULL)
		return 0;
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		warn("--report-dir %s", dir);
		return -1;
	}
	if (realpath(dir, r->report_dir) == NULL) {
		warn("--report-dir %s", dir);
		return -1;
	}
	return 0;
}

/* Opened before the first run, so that a path that cannot be written
 * fails the step before its tests take their time. */
static int
open_outputs(struct run_options *opt)
{
	struct output *o;
	size_t i;
	int fd;

	for (i = 0; i < opt->noutputs; i++) {
		o = &opt->outputs[i];
		if (o->path == NULL) {
			o->fp = stdout;
			continue;
		}
		if ((fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0666)) == -1 ||
		    (o->fp = fdopen(fd, "w")) == NULL) {
			warn("--write %s", o->path);
			if (fd != -1)
				close(fd);
			return -1;
		}
	}
	return 0;
}

static int
close_outputs(struct run_options *opt, int report)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < opt->noutputs; i++) {
		if (opt->outputs[i].fp == NULL || opt->outputs[i].fp == stdout)
			continue;
		if ((fclose(opt->outputs[i].fp) == EOF) && report) {
			warn("cannot write %s", opt->outputs[i].path);
			rc = -1;
		}
		opt->outputs[i].fp = NULL;
	}
	return rc;
}

/* The current directory, and --rootdir checked as the filter checks it. */
static int
resolve_dirs(struct runner *r)
{
	struct stat st;

	if (getcwd(r->cwd, sizeof(r->cwd)) == NULL) {
		warn("cannot find the current directory");
		return -1;
	}
	r->opt->step.triage.cwd = r->cwd;
	if (r->opt->rootdir == NULL)
		return 0;
	if (realpath(r->opt->rootdir, r->rootdir) == NULL) {
		warn("--rootdir %s", r->opt->rootdir);
		return -1;
	}
	if (stat(r->rootdir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		warnx("--rootdir %s: %s", r->opt->rootdir, strerror(ENOTDIR));
		return -1;
	}
	/* It rewrites only a retry verdict's selectors, which the step
	 * never ends with, and a retry is pytest's --last-failed: checked,
	 * and not handed on, so that an attempt's selectors cannot fail
	 * the step. */
	return 0;
}

/*
 * Catch SIGINT, SIGTERM, SIGHUP (unless ignored) and SIGCHLD, blocked
 * except inside pselect(); ignore SIGPIPE, so that a closed stderr
 * cannot kill pytriage before it cleans up.  The child gets back what
 * pytriage was started with.
 */
static void
catch_signals(struct runner *r)
{
	struct sigaction sa;
	sigset_t block;
	int i;

	sigemptyset(&block);
	for (i = 0; i < 3; i++)
		sigaddset(&block, signals[i]);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &r->old_mask);
	r->wait_mask = r->old_mask;
	for (i = 0; i < 3; i++)
		sigdelset(&r->wait_mask, signals[i]);
	sigdelset(&r->wait_mask, SIGCHLD);

	memset(&sa, 0, sizeof(sa));
	sa.sa_mask = block;
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_signal;
	for (i = 0; i < 3; i++) {
		sigaction(signals[i], NULL, &r->old[i]);
		r->handled[i] = r->old[i].sa_handler != SIG_IGN;
		if (r->handled[i])
			sigaction(signals[i], &sa, NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_mask = block;
	sa.sa_flags = SA_NOCLDSTOP;
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, &r->old_chld);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &r->old_pipe);
}

static void
restore_signals(const struct runner *r)
{
	int i;

	for (i = 0; i < 3; i++)
		if (r->handled[i])
			sigaction(signals[i], &r->old[i], NULL);
	sigaction(SIGCHLD, &r->old_chld, NULL);
	sigaction(SIGPIPE, &r->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
}

/* Let pending signals in, then take what they said: the first one
 * stops the step; each is sent on to pytest (pid) when it should be. */
static void
take_signals(struct runner *r, pid_t pid)
{
	sigset_t mask;
	int i;

	sigprocmask(SIG_SETMASK, &r->wait_mask, &mask);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	for (i = 0; i < 3; i++) {
		if (caught[i] == 0)
			continue;
		if (r->stop == 0)
			r->stop = signals[i];
		if (pid > 0 && (caught[i] & 2))
			kill(r->own_group ? -pid : pid, signals[i]);
		caught[i] = 0;
	}
}

/* A fixed string found in a stream, however it is cut (KMP). */
struct needle {
	const char *text;
	size_t len, at;
	size_t *next;
	int found;
};

static int
needle_init(struct needle *n, const char *text)
{
	size_t i, k = 0;

	memset(n, 0, sizeof(*n));
	n->text = text;
	n->len = strlen(text);
	if ((n->next = calloc(n->len + 1, sizeof(*n->next))) == NULL)
		return -1;
	for (i = 1; i < n->len; i++) {
		while (k > 0 && text[i] != text[k])
			k = n->next[k - 1];
		if (text[i] == text[k])
			k++;
		n->next[i] = k;
	}
	return 0;
}

static void
needle_feed(struct needle *n, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len && !n->found && n->len > 0; i++) {
		while (n->at > 0 && buf[i] != n->text[n->at])
			n->at = n->next[n->at - 1];
		if (buf[i] == n->text[n->at])
			n->at++;
		if (n->at == n->len)
			n->found = 1;
	}
}

/* pytest's stderr, on to pytriage's and into the needles. */
struct relay {
	int fd;
	int out_ok;		/* pytriage's stderr still takes bytes */
	struct needle needles[3];
};

/* 0 while there is more; 1 at the end (or an error: stop reading). */
static int
relay_some(struct relay *rl)
{
	char buf[RELAY_CHUNK];
	ssize_t n, w;
	size_t off, i;

	if ((n = read(rl->fd, buf, sizeof(buf))) == -1)
		return errno == EINTR ? 0 : 1;
	if (n == 0)
		return 1;
	for (off = 0; rl->out_ok && off < (size_t)n; off += (size_t)w)
		if ((w = write(STDERR_FILENO, buf + off, (size_t)n - off)) ==
		    -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			/* Keep reading: pytest must not block. */
			rl->out_ok = 0;
			break;
		}
	for (i = 0; i < 3; i++)
		needle_feed(&rl->needles[i], buf, (size_t)n);
	return 0;
}

static int
cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	return flags == -1 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void
child(const struct runner *r, char *const argv[], char *const shargv[],
    int errfd, int execfd)
{
	int i, e;

	for (i = 0; i < 3; i++)
		if (r->handled[i])
			sigaction(signals[i], &r->old[i], NULL);
	sigaction(SIGCHLD, &r->old_chld, NULL);
	sigaction(SIGPIPE, &r->old_pipe, NULL);
	if (r->own_group)
		setpgid(0, 0);
	if (errfd != STDERR_FILENO) {
		dup2(errfd, STDERR_FILENO);
		close(errfd);
	}
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	execv(r->path, argv);
	/* As execvp(3) and the shells do: a file with no #! is a script. */
	if (errno == ENOEXEC)
		execv("/bin/sh", shargv);
	e = errno;
	if (write(execfd, &e, sizeof(e)) == -1)
		_exit(127);
	_exit(127);
}

/*
 * Run one attempt: argv is COMMAND with pytriage's options.  0, with
 * what happened in *a; -1 for pytriage's own trouble (said).
 */
static int
run_attempt(struct runner *r, char *const argv[], char *const shargv[],
    const char *report_option, struct attempt *a)
{
	struct relay rl;
	fd_set rfds;
	pid_t pid, w;
	int errp[2] = { -1, -1 }, execp[2] = { -1, -1 };
	int i, status, e, rc = -1, done = 0;
	ssize_t n;

	memset(a, 0, sizeof(*a));
	memset(&rl, 0, sizeof(rl));
	rl.fd = -1;
	rl.out_ok = 1;
	if (needle_init(&rl.needles[0], "unrecognized arguments: ") == -1 ||
	    needle_init(&rl.needles[1], report_option) == -1 ||
	    needle_init(&rl.needles[2], "--last-failed") == -1) {
		warnx("out of memory");
		goto out;
	}
	if (pipe(errp) == -1 || pipe(execp) == -1 || cloexec(errp[0]) == -1 ||
	    cloexec(execp[0]) == -1 || cloexec(execp[1]) == -1) {
		warn("pipe");
		goto out;
	}
	if ((pid = fork()) == -1) {
		warn("fork");
		goto out;
	}
	if (pid == 0)
		child(r, argv, shargv, errp[1], execp[1]);
	close(errp[1]);
	close(execp[1]);
	errp[1] = execp[1] = -1;
	/* Both sides set the group, so that a signal finds it either way. */
	if (r->own_group)
		setpgid(pid, pid);

	/* Nothing to read: exec went through and closed the pipe. */
	while ((n = read(execp[0], &e, sizeof(e))) == -1 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(e)) {
		a->exec_errno = e;
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		rc = 0;
		goto out;
	}

	rl.fd = errp[0];
	errp[0] = -1;
	while (!done) {
		take_signals(r, pid);
		if ((w = waitpid(pid, &status, WNOHANG)) == pid)
			break;
		if (w == -1 && errno != EINTR) {
			warn("waitpid");
			goto out;
		}
		FD_ZERO(&rfds);
		if (rl.fd != -1)
			FD_SET(rl.fd, &rfds);
		if (pselect(rl.fd + 1, rl.fd != -1 ? &rfds : NULL, NULL, NULL,
		    NULL, &r->wait_mask) == -1) {
			if (errno == EINTR)
				continue;
			warn("pselect");
			goto out;
		}
		if (rl.fd != -1 && FD_ISSET(rl.fd, &rfds) && relay_some(&rl)) {
			close(rl.fd);
			rl.fd = -1;
		}
	}
	/* What pytest wrote before it exited: what the pipe holds.  A
	 * process it left running and still writing is not waited for. */
	if (rl.fd != -1 && fcntl(rl.fd, F_SETFL, O_NONBLOCK) != -1)
		for (i = 0; i < DRAIN_CHUNKS && relay_some(&rl) == 0; i++)
			;
	take_signals(r, 0);
	a->status = WIFEXITED(status) ? WEXITSTATUS(status) :
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
	a->unrecognized = rl.needles[0].found;
	a->named_report = rl.needles[1].found;
	a->named_lf = rl.needles[2].found;
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		if (errp[i] != -1)
			close(errp[i]);
		if (execp[i] != -1)
			close(execp[i]);
	}
	if (rl.fd != -1)
		close(rl.fd);
	for (i = 0; i < 3; i++)
		free(rl.needles[i].next);
	return rc;
}

static int
copy_file(const char *from, const char *to)
{
	char buf[RELAY_CHUNK];
	ssize_t n, w;
	size_t off;
	int in, out, rc = 0;

	/* No report: none in the directory either, not an earlier
	 * run's. */
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT && (unlink(to) == 0 ||
		    errno == ENOENT) ? 0 : -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) == -1) {
		close(in);
		return -1;
	}
	while (rc == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno != EINTR)
				rc = -1;
			continue;
		}
		for (off = 0; off < (size_t)n; off += (size_t)w)
			if ((w = write(out, buf + off, (size_t)n - off)) ==
			    -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				rc = -1;
				break;
			}
	}
	if (close(out) == -1)
		rc = -1;
	close(in);
	return rc;
}

/*
 * The attempt's report for the judge: with --report-dir, its copy there
 * (attempt-N.jsonl or .json, with attempt-N.status), so that what the
 * summary names outlives the private directory.
 */
static int
keep_report(const struct runner *r, size_t n, int status, const char *path,
    struct step_input *in)
{
	char to[PATH_MAX + 64];
	FILE *fp;

	if (r->report_dir[0] == '\0') {
		if ((in->report = strdup(path)) == NULL) {
			warnx("out of memory");
			return -1;
		}
		return 0;
	}
	snprintf(to, sizeof(to), "%s/attempt-%zu.%s", r->report_dir, n,
	    r->opt->report == PYARGS_COLLECTOR ? "json" : "jsonl");
	if (copy_file(path, to) == -1) {
		warn("--report-dir: cannot copy %s to %s", path, to);
		return -1;
	}
	if ((in->report = strdup(to)) == NULL) {
		warnx("out of memory");
		return -1;
	}
	snprintf(to, sizeof(to), "%s/attempt-%zu.status", r->report_dir, n);
	if ((fp = fopen(to, "w")) == NULL) {
		warn("--report-dir: %s", to);
		return -1;
	}
	fprintf(fp, "%d\n", status);
	if (fclose(fp) == EOF) {
		warn("--report-dir: %s", to);
		return -1;
	}
	return 0;
}

/*
 * How many tests the first run collected, from pytest's cache
 * (cache/nodeids: every test it selected, written at the session's end;
 * xdist's controller collects none and writes []).  -1 when it cannot
 * say.
 */
static int64_t
collected(const struct runner *r)
{
	char path[PATH_MAX];
	json_object *ids;
	size_t i, n;
	int64_t count = -1;

	if ((size_t)snprintf(path, sizeof(path), "%s/cache/v/cache/nodeids",
	    r->tmp) >= sizeof(path) || access(path, R_OK) == -1)
		return -1;
	if ((ids = json_object_from_file(path)) == NULL)
		return -1;
	if (json_object_is_type(ids, json_type_array)) {
		n = json_object_array_length(ids);
		for (i = 0; i < n; i++)
			if (!json_object_is_type(json_object_array_get_idx(ids,
			    i), json_type_string))
				break;
		if (i == n && n > 0)
			count = (int64_t)n;
	}
	json_object_put(ids);
	return count;
}

/* The writers, at the end; the files were opened before the first run. */
static int
write_outputs(const struct run_options *opt, const struct step *s)
{
	const struct output *o;
	const struct triage *t = &s->result;
	struct strbuf shown;
	const char *unfit;
	size_t i, which;
	int rc;

	for (i = 0; i < opt->noutputs; i++) {
		o = &opt->outputs[i];
		if ((unfit = output_unfit(o->format, t->failed,
		    t->verdict == VERDICT_RETRY ? t->nfailed : 0,
		    &which)) != NULL) {
			strbuf_init(&shown);
			if (nodeid_escape(&shown, t->failed[which].id,
			    t->failed[which].id_len, 200) == -1)
				warnx("out of memory");
			else
				warnx("--write=%s: node ID '%s' %s",
				    o->format->name, shown.data, unfit);
			strbuf_free(&shown);
			return -1;
		}
		rc = o->format->write(o->fp, s, &opt->write);
		if (rc == WRITE_TOO_SMALL) {
			warnx("--max-bytes %" PRIu64 " is too small: the "
			    "summary needs at least %" PRIu64 " bytes",
			    opt->write.max_bytes, markdown_min_bytes(s));
			return -1;
		}
		if (rc != 0 || fflush(o->fp) == EOF) {
			warn("cannot write %s", o->path != NULL ? o->path :
			    "to stdout");
			return -1;
		}
	}
	return 0;
}

/* COMMAND with pytriage's options put in, for attempt n. */
struct command_line {
	char **argv;		/* COMMAND's program first */
	char **shargv;		/* "sh", the program, the rest */
	char report[PATH_MAX + 16];	/* --report-log=... or --json=... */
	char cache[PATH_MAX + 32];	/* --override-ini=cache_dir=... */
	char path[PATH_MAX];		/* the report */
};

static int
command_line(struct command_line *cl, const struct runner *r, size_t n)
{
	const struct run_options *opt = r->opt;
	int collector = opt->report == PYARGS_COLLECTOR, k = 0, i, len;
	char *ours[4];
	int nours = 0;

	len = snprintf(cl->path, sizeof(cl->path), "%s/a%zu.%s", r->tmp, n,
	    collector ? "json" : "jsonl");
	if (len < 0 || (size_t)len >= sizeof(cl->path)) {
		warnx("TMPDIR is too long");
		return -1;
	}
	snprintf(cl->report, sizeof(cl->report), "%s=%s",
	    collector ? "--json" : "--report-log", cl->path);
	snprintf(cl->cache, sizeof(cl->cache),
	    "--override-ini=cache_dir=%s/cache", r->tmp);
	ours[nours++] = cl->report;
	ours[nours++] = cl->cache;
	if (n > 1) {
		ours[nours++] = "--last-failed";
		ours[nours++] = "--last-failed-no-failures=none";
	}
	free(cl->argv);
	free(cl->shargv);
	cl->argv = calloc((size_t)opt->ncommand + (size_t)nours + 1,
	    sizeof(*cl->argv));
	cl->shargv = calloc((size_t)opt->ncommand + (size_t)nours + 2,
	    sizeof(*cl->shargv));
	if (cl->argv == NULL || cl->shargv == NULL) {
		warnx("out of memory");
		return -1;
	}
	for (i = 0; i < opt->ncommand; i++) {
		if (i == r->pa.insert_at)
			while (k < nours)
				cl->argv[i + k] = ours[k], k++;
		cl->argv[i + k] = opt->command[i];
	}
	while (k < nours)
		cl->argv[i + k] = ours[k], k++;
	cl->shargv[0] = "sh";
	cl->shargv[1] = r->path;
	for (i = 1; cl->argv[i] != NULL; i++)
		cl->shargv[i + 1] = cl->argv[i];
	return 0;
}

/*
 * Should a step whose verdict is retry stop here?  Says why in note
 * ("" for no).
 */
static int
why_not_retry(struct runner *r, const struct step *s, size_t n,
    struct strbuf *note)
{
	uint64_t ran;
	int64_t all;

	if (r->stop != 0) {
		const char *name = signal_name(r->stop);

		return strbuf_printf(note, "pytriage got %s",
		    name != NULL ? name : "a signal");
	}
	if (r->pa.early_stop.len > 0)
		return strbuf_printf(note, "%s, so the tests "
		    "after it never ran", r->pa.early_stop.data);
	if (n == 1 && (all = collected(r)) != -1 &&
	    (ran = s->attempts[0].counts.tests) < (uint64_t)all)
		return strbuf_printf(note, "pytest collected %"
		    PRId64 " tests but the report has %" PRIu64 ": the run "
		    "stopped early (-x, --maxfail or --stepwise where pytriage "
		    "cannot see them, as in the ini file's addopts, or "
		    "pytest.exit()), so %" PRIu64 " tests never ran", all,
		    ran, (uint64_t)all - ran);
	return 0;
}

/*
 * The step's verdict is retry, but no retry runs (note says why): judge
 * again as with no retry left, and say why in the reason.  0, or -1 for
 * trouble (said); step_free() either way.
 */
static int
no_retry(struct step *s, const struct step_input *in, size_t n,
    const struct step_options *opt, const char *note, struct strbuf *reason)
{
	struct step_options so = *opt;
	struct strbuf why;
	size_t nfailed = s->result.nfailed;
	uint64_t tests = s->attempts[n - 1].counts.tests;
	const char *is = nfailed == 1 ? "is" : "are";
	int rc;

	step_free(s);
	so.retries = n - 1;
	strbuf_init(&why);
	rc = step_judge(s, in, n, &so, &why);
	if (rc == -1)
		warnx("%s", why.data != NULL ? why.data : "?");
	strbuf_free(&why);
	if (rc == -1)
		return -1;
	if ((n == 1 ? strbuf_printf(reason, "%zu of %" PRIu64 " test%s failed "
	    "and %s not retried: %s", nfailed, tests, tests == 1 ? "" : "s",
	    is, note) : strbuf_printf(reason, "%zu test%s still failed in "
	    "attempt %zu and %s not retried: %s", nfailed, nfailed == 1 ? "" :
	    "s", n, is, note)) == -1) {
		warnx("out of memory");
		return -1;
	}
	s->result.reason = reason->data;
	return 0;
}

/* The attempts, until the step has a verdict other than retry. */
static int
steps(struct runner *r)
{
	struct run_options *opt = r->opt;
	struct command_line cl;
	struct step_input *in = NULL, *grown;
	struct attempt a;
	struct strbuf why, note, reason;
	struct step s;
	size_t n = 0;
	int judged = 0, rc = EXIT_TROUBLE;
	const char *pkg;

	memset(&cl, 0, sizeof(cl));
	memset(&s, 0, sizeof(s));
	strbuf_init(&why);
	strbuf_init(&note);
	strbuf_init(&reason);
	for (;;) {
		/* The last look at signals before an attempt starts. */
		take_signals(r, 0);
		if (r->stop != 0 && n == 0)
			goto out;	/* nothing ran: nothing to say */
		if (n > 0) {
			/* The step's verdict is retry, unless ... */
			strbuf_reset(&note);
			if (why_not_retry(r, &s, n, &note) == -1) {
				warnx("out of memory");
				goto out;
			}
			if (note.len > 0) {
				if (no_retry(&s, in, n, &opt->step, note.data,
				    &reason) == -1)
					goto out;
				break;
			}
			fprintf(stderr, "pytriage: retry %zu of %" PRIu64
			    ": %zu failed test%s\n", n, opt->step.retries,
			    s.result.nfailed, s.result.nfailed == 1 ? "" :
			    "s");
		}
		n++;
		if ((grown = reallocarray(in, n, sizeof(*in))) == NULL) {
			warnx("out of memory");
			goto out;
		}
		in = grown;
		memset(&in[n - 1], 0, sizeof(in[n - 1]));
		if (command_line(&cl, r, n) == -1 ||
		    run_attempt(r, cl.argv, cl.shargv, cl.report, &a) == -1)
			goto out;
		if (a.exec_errno != 0) {
			warnx("cannot run %s: %s", r->path,
			    strerror(a.exec_errno));
			goto out;
		}
		in[n - 1].exit_status = a.status;
		if (keep_report(r, n, a.status, cl.path, &in[n - 1]) == -1)
			goto out;
		/* pytest refused pytriage's report option: the plugin that
		 * writes it is not there; the log was never opened. */
		if (a.status == 4 && a.unrecognized && a.named_report &&
		    access(cl.path, F_OK) == -1) {
			pkg = opt->report == PYARGS_COLLECTOR ?
			    "buildkite-test-collector" : "pytest-reportlog";
			warnx("pytest does not know %.*s: %s is not installed "
			    "where pytest runs%s; pip install %s",
			    (int)strcspn(cl.report, "="), cl.report, pkg,
			    getenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD") != NULL ?
			    ", or PYTEST_DISABLE_PLUGIN_AUTOLOAD keeps it from "
			    "loading" : "", pkg);
			goto out;
		}

		if (judged)
			step_free(&s);
		judged = 1;
		strbuf_reset(&why);
		if (step_judge(&s, in, n, &opt->step, &why) == -1) {
			warnx("%s", why.data != NULL ? why.data : "?");
			goto out;
		}
		if (s.result.verdict != VERDICT_RETRY)
			break;
	}

	/* A retry that pytest refused for --last-failed: the cache
	 * provider is off where pytriage cannot see it. */
	if (n > 1 && note.len == 0 && a.status == 4 && a.unrecognized &&
	    a.named_lf) {
		if (strbuf_printf(&reason, "%s; pytest did not know "
		    "--last-failed: its cache provider is turned off where "
		    "pytriage cannot see it (-p no:cacheprovider in the ini "
		    "file's addopts?)", s.result.reason) == -1) {
			warnx("out of memory");
			goto out;
		}
		s.result.reason = reason.data;
	}
	if (write_outputs(opt, &s) == -1)
		goto out;
	fprintf(stderr, "pytriage: %s: %s\n", verdict_name(s.result.verdict),
	    s.result.reason);
	rc = verdict_exit(s.result.verdict);
out:
	if (judged)
		step_free(&s);
	while (n > 0 && in != NULL)
		free((void *)in[--n].report);
	free(in);
	free(cl.argv);
	free(cl.shargv);
	strbuf_free(&why);
	strbuf_free(&note);
	strbuf_free(&reason);
	return rc;
}

int
run_main(int argc, char *argv[])
{
	struct run_options opt;
	struct runner r;
	struct strbuf why;
	size_t i;
	int rc = EXIT_TROUBLE, messages = 0;

	/* getopt names the program by argv[0]. */
	argv[0] = "pytriage run";
	memset(&opt, 0, sizeof(opt));
	opt.step.retries = 1;
	opt.write.max_bytes = MAX_BYTES_DEFAULT;
	opt.report = PYARGS_REPORTLOG;
	memset(&r, 0, sizeof(r));
	r.opt = &opt;
	strbuf_init(&r.pa.early_stop);
	if ((rc = parse_options(argc, argv, &opt)) != -1)
		goto out;
	rc = EXIT_TROUBLE;
	strbuf_init(&why);
	if (pyargs_read(&r.pa, opt.command, opt.ncommand,
	    getenv("PYTEST_ADDOPTS"), opt.report, &why) == -1) {
		warnx("%s", why.data != NULL ? why.data : "?");
		strbuf_free(&why);
		goto out;
	}
	strbuf_free(&why);
	for (i = 0; i < opt.noutputs; i++)
		messages |= opt.outputs[i].format->messages;
	opt.step.messages = messages;
	if ((r.path = find_program(opt.command[0])) == NULL ||
	    resolve_dirs(&r) == -1 || make_report_dir(&r) == -1 ||
	    open_outputs(&opt) == -1 || make_tmp(&r) == -1)
		goto out;

	/* pytest in a group of its own, unless it must share the
	 * terminal pytriage is the foreground of. */
	r.own_group = !(isatty(STDIN_FILENO) &&
	    tcgetpgrp(STDIN_FILENO) == getpgrp());
	shared_group = !r.own_group;
	catch_signals(&r);
	rc = steps(&r);
	if (close_outputs(&opt, rc != EXIT_TROUBLE) == -1)
		rc = EXIT_TROUBLE;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("cannot write to stdout");
		rc = EXIT_TROUBLE;
	}
	if (remove_at(AT_FDCWD, r.tmp) == -1)
		warn("cannot remove %s", r.tmp);
	take_signals(&r, 0);
	restore_signals(&r);
out:
	close_outputs(&opt, 0);
	pyargs_free(&r.pa);
	free(r.path);
	free(opt.outputs);
	if (r.stop != 0) {
		/* Die of it, so that a shell running pytriage stops too. */
		signal(r.stop, SIG_DFL);
		raise(r.stop);
		rc = 128 + r.stop;
	}
	return rc;
}
