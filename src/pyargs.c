/*
 * pyargs.c: pytest's command line as pytest 7.2 reads it.
 *
 * pytest parses with argparse, long options exact (allow_abbrev off),
 * short options in clusters ("-vx" is -v -x; "-kx" is -k with the value
 * "x"), a value either attached or the next word when that word is not
 * itself an option.  The words come, in pytest's order, from the ini
 * file's addopts (replaced by -o addopts=... when given), PYTEST_ADDOPTS
 * and the command line; the last word sets an option that is stored
 * once, so "-x --maxfail=0" does not stop early.
 *
 * Only the options that decide whether a retry can be exact are looked
 * at; every other word is skipped as argparse would skip it.  An option
 * this file does not know (a plugin's) is skipped with its value: a
 * value given apart cannot begin with '-', so no option is lost in it.
 */
#include <stdlib.h>
#include <string.h>

#include "nodeid.h"
#include "pyargs.h"

/* How pytriage run treats an option. */
enum kind {
	K_EXITFIRST,	/* maxfail = 1 */
	K_MAXFAIL,	/* maxfail = its value */
	K_STEPWISE,	/* stops at the first failure, once set */
	K_SELECT,	/* picks tests from the cache: the retry's job */
	K_CACHE_CLEAR,	/* empties the cache a retry reads */
	K_NO_TESTS,	/* runs no tests */
	K_LOOP,		/* never ends */
	K_PLUGIN,	/* -p NAME */
	K_INI,		/* -o NAME=VALUE */
	K_REPORTLOG,	/* --report-log */
	K_JSON,		/* --json, the collector's report */
	K_VALUE,	/* takes a value, otherwise nothing to pytriage */
	K_FLAG		/* nothing to pytriage */
};

struct option {
	const char *name;
	enum kind kind;
	int value;	/* 0: none; 1: required; 2: optional */
};

/*
 * pytest's short options (7.2, with pytest-xdist's -n, -d and -f).
 * Those with a value take the rest of the cluster, or the next word.
 */
static const struct option shorts[] = {
	{ "-x", K_EXITFIRST, 0 }, { "-s", K_FLAG, 0 }, { "-v", K_FLAG, 0 },
	{ "-q", K_FLAG, 0 }, { "-l", K_FLAG, 0 }, { "-d", K_FLAG, 0 },
	{ "-h", K_NO_TESTS, 0 }, { "-V", K_NO_TESTS, 0 },
	{ "-f", K_LOOP, 0 },
	{ "-k", K_VALUE, 1 }, { "-m", K_VALUE, 1 }, { "-c", K_VALUE, 1 },
	{ "-W", K_VALUE, 1 }, { "-r", K_VALUE, 1 }, { "-n", K_VALUE, 1 },
	{ "-p", K_PLUGIN, 1 }, { "-o", K_INI, 1 },
};

/* The long options pytriage run looks at. */
static const struct option longs[] = {
	{ "--exitfirst", K_EXITFIRST, 0 },
	{ "--maxfail", K_MAXFAIL, 1 },
	{ "--sw", K_STEPWISE, 0 },
	{ "--stepwise", K_STEPWISE, 0 },
	{ "--sw-skip", K_STEPWISE, 0 },
	{ "--stepwise-skip", K_STEPWISE, 0 },
	{ "--lf", K_SELECT, 0 },
	{ "--last-failed", K_SELECT, 0 },
	{ "--ff", K_SELECT, 0 },
	{ "--failed-first", K_SELECT, 0 },
	{ "--nf", K_SELECT, 0 },
	{ "--new-first", K_SELECT, 0 },
	{ "--lfnf", K_SELECT, 1 },
	{ "--last-failed-no-failures", K_SELECT, 1 },
	{ "--cache-clear", K_CACHE_CLEAR, 0 },
	{ "--cache-show", K_NO_TESTS, 2 },
	{ "--collect-only", K_NO_TESTS, 0 },
	{ "--co", K_NO_TESTS, 0 },
	{ "--setup-only", K_NO_TESTS, 0 },
	{ "--setup-plan", K_NO_TESTS, 0 },
	{ "--fixtures", K_NO_TESTS, 0 },
	{ "--funcargs", K_NO_TESTS, 0 },
	{ "--fixtures-per-test", K_NO_TESTS, 0 },
	{ "--markers", K_NO_TESTS, 0 },
	{ "--help", K_NO_TESTS, 0 },
	{ "--version", K_NO_TESTS, 0 },
	{ "--looponfail", K_LOOP, 0 },
	{ "--override-ini", K_INI, 1 },
	{ "--report-log", K_REPORTLOG, 1 },
	{ "--json", K_JSON, 1 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct scan {
	struct pyargs *pa;
	enum pyargs_report report;
	struct strbuf *why;
	const char *where;	/* "", " in PYTEST_ADDOPTS", ... */
	int first_pass;		/* only find -o addopts= */
	const char *addopts;	/* its value, the last one */
	int maxfail;		/* 1: pytest stops after some failures */
	struct strbuf maxfail_text;
	struct strbuf given;	/* the option being looked at, as given */
	int refused;
};

static const struct option *
find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NELEM(longs); i++)
		if (strlen(longs[i].name) == len &&
		    memcmp(longs[i].name, name, len) == 0)
			return &longs[i];
	return NULL;
}

static const struct option *
find_short(char c)
{
	size_t i;

	for (i = 0; i < NELEM(shorts); i++)
		if (shorts[i].name[1] == c)
			return &shorts[i];
	return NULL;
}

/* "-1", "-.5", "-2.0": argparse's negative numbers, never options. */
static int
negative_number(const char *w)
{
	const char *p = w + 1;
	int digits = 0;

	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	return digits > 0 && *p == '\0';
}

/* Would argparse read this word as an option (so not as a value)? */
static int
option_like(const char *w)
{
	const char *eq;

	if (w[0] != '-' || w[1] == '\0' || negative_number(w))
		return 0;
	if (strchr(w, ' ') == NULL)
		return 1;
	/* A word with a blank is an option only when it names one. */
	if (w[1] != '-')
		return find_short(w[1]) != NULL;
	eq = strchr(w, '=');
	return eq != NULL && find_long(w, (size_t)(eq - w)) != NULL;
}

/*
 * Python's int() says the value is 0: white space around, a sign,
 * digits with single underscores between them, all zero.  Anything else
 * is not 0 (pytest refuses a value int() cannot read).
 */
static int
python_zero(const char *s)
{
	const char *p = s, *end = s + strlen(s);
	int digits = 0;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	while (end > p && (end[-1] == ' ' || (end[-1] >= '\t' &&
	    end[-1] <= '\r')))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		p++;
	for (; p < end; p++) {
		if (*p == '0')
			digits++;
		else if (*p == '_' && digits > 0 && p + 1 < end &&
		    p[1] >= '0' && p[1] <= '9')
			continue;
		else
			return 0;
	}
	return digits > 0;
}

/* A word for a message: escaped, cut. */
static int
shown(struct strbuf *sb, const char *w)
{
	return nodeid_escape(sb, w, strlen(w), 200);
}

/*
 * The option as given, for a message: "--maxfail 2", "-x (in -vx)",
 * "-p (in -pno:cacheprovider)".
 */
static int
as_given(struct strbuf *sb, const struct option *o, const char *word,
    const char *value, int separate)
{
	int whole = o->name[1] == '-' || strcmp(word, o->name) == 0;

	strbuf_reset(sb);
	if (!whole && strbuf_printf(sb, "%s (in ", o->name) == -1)
		return -1;
	if (shown(sb, word) == -1 || (separate && (strbuf_puts(sb, " ") ==
	    -1 || shown(sb, value) == -1)))
		return -1;
	return whole ? 0 : strbuf_puts(sb, ")");
}

/* Refuse, saying what to change: "'OPTION'[ in WHERE] TEXT". */
static int
refuse(struct scan *s, const char *text)
{
	s->refused = 1;
	return strbuf_printf(s->why, "'%s'%s %s", s->given.data, s->where,
	    text);
}

/*
 * One option, its value (NULL: none), the word it came from, and
 * whether the value was the next word.  -1: out of memory.
 */
static int
visit(struct scan *s, const struct option *o, const char *value,
    const char *word, int separate)
{
	const char *eq;

	if (s->first_pass) {
		if (o->kind == K_INI && value != NULL &&
		    strncmp(value, "addopts=", 8) == 0)
			s->addopts = value + 8;
		return 0;
	}
	if (s->refused || o->kind == K_VALUE || o->kind == K_FLAG)
		return 0;
	if (as_given(&s->given, o, word, value, separate) == -1)
		return -1;
	switch (o->kind) {
	case K_EXITFIRST:
	case K_MAXFAIL:
		/* The last one wins: "-x --maxfail=0" runs every test. */
		s->maxfail = o->kind == K_EXITFIRST || value == NULL ||
		    !python_zero(value);
		strbuf_reset(&s->maxfail_text);
		return strbuf_printf(&s->maxfail_text, "'%s'%s stops pytest %s",
		    s->given.data, s->where, o->kind == K_EXITFIRST ?
		    "at its first failure" : "after that many failures");
	case K_STEPWISE:
		/* Once set, no option turns it off. */
		if (s->pa->early_stop.len > 0)
			return 0;
		return strbuf_printf(&s->pa->early_stop, "'%s'%s stops pytest "
		    "at a failure", s->given.data, s->where);
	case K_SELECT:
		return refuse(s, "picks the tests to run from pytest's cache; "
		    "pytriage run picks each retry's tests itself "
		    "(--last-failed): drop it");
	case K_CACHE_CLEAR:
		return refuse(s, "would empty the cache from which each "
		    "retry's --last-failed reads the failed tests: drop it");
	case K_NO_TESTS:
		return refuse(s, "runs no tests, and pytriage run needs a run "
		    "of the tests: drop it");
	case K_LOOP:
		return refuse(s, "(pytest-xdist's looponfail) never ends: "
		    "drop it");
	case K_PLUGIN:
		if (value == NULL)
			return 0;
		if (strcmp(value, "no:cacheprovider") == 0 ||
		    strcmp(value, "no:lfplugin") == 0)
			return refuse(s, "turns off --last-failed, which every "
			    "retry runs: drop it");
		if (s->report == PYARGS_REPORTLOG &&
		    strcmp(value, "no:pytest_reportlog") == 0)
			return refuse(s, "turns off pytest-reportlog, whose "
			    "report pytriage run reads: drop it");
		return 0;
	case K_INI:
		if (value == NULL || (eq = strchr(value, '=')) == NULL ||
		    eq - value != 9 || strncmp(value, "cache_dir", 9) != 0)
			return 0;
		return refuse(s, "moves pytest's cache; pytriage run gives "
		    "each run a cache of its own, so that a retry reads this "
		    "run's failures only: drop it");
	case K_REPORTLOG:
	case K_JSON:
		if ((o->kind == K_REPORTLOG) != (s->report == PYARGS_REPORTLOG))
			return 0;
		return refuse(s, "would be replaced by the report pytriage "
		    "run asks for, one per attempt: drop it (--report-dir=DIR "
		    "keeps them)");
	case K_VALUE:
	case K_FLAG:
		break;
	}
	return 0;
}

/* One short-option cluster, words[*i]. */
static int
cluster(struct scan *s, char *const *words, size_t n, size_t *i)
{
	const char *w = words[*i], *value;
	const struct option *o;
	size_t j;
	int separate;

	for (j = 1; w[j] != '\0'; j++) {
		if ((o = find_short(w[j])) == NULL)
			return 0;	/* argparse refuses the rest */
		if (o->value == 0) {
			if (visit(s, o, NULL, w, 0) == -1)
				return -1;
			continue;
		}
		separate = 0;
		if (w[j + 1] != '\0')
			/* "-k=x" alone is -k with "x"; in a cluster the
			 * '=' stays in the value. */
			value = j == 1 && w[2] == '=' ? w + 3 : w + j + 1;
		else if (*i + 1 < n && !option_like(words[*i + 1])) {
			value = words[++*i];
			separate = 1;
		} else
			value = NULL;
		return visit(s, o, value, w, separate);
	}
	return 0;
}

/* Words as pytest reads them; "--" ends the options when dashes is 1. */
static int
scan_words(struct scan *s, char *const *words, size_t n, int dashes)
{
	const struct option *o;
	const char *w, *eq, *value;
	size_t i;
	int separate;

	for (i = 0; i < n; i++) {
		w = words[i];
		if (strcmp(w, "--") == 0) {
			if (dashes)
				return 0;
			continue;
		}
		if (!option_like(w))
			continue;
		if (w[1] != '-') {
			if (cluster(s, words, n, &i) == -1)
				return -1;
			continue;
		}
		eq = strchr(w, '=');
		o = find_long(w, eq != NULL ? (size_t)(eq - w) : strlen(w));
		if (o == NULL)
			continue;
		separate = 0;
		value = eq != NULL ? eq + 1 : NULL;
		if (value == NULL && o->value != 0 && i + 1 < n &&
		    !option_like(words[i + 1])) {
			value = words[++i];
			separate = 1;
		}
		if (visit(s, o, value, w, separate) == -1)
			return -1;
	}
	return 0;
}

int
pyargs_shlex(const char *s, struct strbuf *out, size_t *n,
    const char **why)
{
	enum { BLANK, WORD, SQUOTE, DQUOTE } state = BLANK, before = BLANK;
	int escaped = 0, rc = 0;
	const char *p;

	*n = 0;
	strbuf_reset(out);
	if (strbuf_reserve(out, strlen(s) + 1) == -1)
		return -1;
	for (p = s;; p++) {
		if (escaped) {
			if (*p == '\0') {
				*why = "no escaped character";
				return 1;
			}
			/* In double quotes only '"' and '\' are escaped. */
			if (before == DQUOTE && *p != '"' && *p != '\\')
				rc = strbuf_appendc(out, '\\');
			if (rc == 0)
				rc = strbuf_appendc(out, *p);
			state = before;
			escaped = 0;
		} else if (state == SQUOTE || state == DQUOTE) {
			if (*p == '\0') {
				*why = "no closing quotation";
				return 1;
			}
			if (*p == (state == SQUOTE ? '\'' : '"'))
				state = WORD;
			else if (*p == '\\' && state == DQUOTE) {
				before = DQUOTE;
				escaped = 1;
			} else
				rc = strbuf_appendc(out, *p);
		} else if (*p == '\0' || *p == ' ' || *p == '\t' ||
		    *p == '\r' || *p == '\n') {
			if (state == WORD) {
				/* An empty word only from quotes: ''. */
				rc = strbuf_appendc(out, '\0');
				(*n)++;
			}
			state = BLANK;
			if (*p == '\0')
				break;
		} else if (*p == '\\') {
			before = WORD;
			escaped = 1;
			state = WORD;
		} else if (*p == '\'' || *p == '"') {
			state = *p == '\'' ? SQUOTE : DQUOTE;
		} else {
			state = WORD;
			rc = strbuf_appendc(out, *p);
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* The words of a shlex string, as an array into buf. */
static char **
split(const char *s, struct strbuf *buf, size_t *n, const char **why,
    int *rc)
{
	char **w;
	size_t i, off = 0;

	if ((*rc = pyargs_shlex(s, buf, n, why)) != 0)
		return NULL;
	if ((w = calloc(*n + 1, sizeof(*w))) == NULL) {
		*rc = -1;
		return NULL;
	}
	for (i = 0; i < *n; i++) {
		w[i] = buf->data + off;
		off += strlen(w[i]) + 1;
	}
	return w;
}

/* Is COMMAND pytest itself?  Where do pytest's arguments start? */
static int
pytest_start(char *const argv[], int argc)
{
	const char *base = strrchr(argv[0], '/'), *a, *mod;
	int i, j;

	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "pytest") == 0 || strcmp(base, "py.test") == 0 ||
	    (strncmp(base, "pytest-", 7) == 0 && base[7] >= '0' &&
	    base[7] <= '9' && strspn(base + 7, "0123456789.") ==
	    strlen(base + 7)))
		return 1;
	if (strncmp(base, "python", 6) != 0 ||
	    strspn(base + 6, "0123456789.") != strlen(base + 6))
		return -1;
	/* python's own options, up to -m pytest. */
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--check-hash-based-pycs") == 0) {
			i++;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0' || a[1] == '-')
			return -1;	/* a script, stdin, --help */
		for (j = 1; a[j] != '\0'; j++) {
			if (a[j] == 'm') {
				mod = a[j + 1] != '\0' ? a + j + 1 :
				    i + 1 < argc ? argv[++i] : "";
				return strcmp(mod, "pytest") == 0 ? i + 1 : -1;
			}
			if (a[j] == 'c')
				return -1;
			if (a[j] == 'W' || a[j] == 'X') {
				if (a[j + 1] == '\0')
					i++;
				break;
			}
		}
	}
	return -1;
}

int
pyargs_read(struct pyargs *pa, char *const argv[], int argc,
    const char *addopts, enum pyargs_report report, struct strbuf *why)
{
	struct strbuf envbuf, inibuf;
	struct scan s;
	char **env = NULL, **ini = NULL;
	const char *bad = NULL;
	size_t nenv = 0, nini = 0;
	int start, i, rc = -1, src;

	memset(pa, 0, sizeof(*pa));
	strbuf_init(&pa->early_stop);
	strbuf_init(&envbuf);
	strbuf_init(&inibuf);
	memset(&s, 0, sizeof(s));
	strbuf_init(&s.maxfail_text);
	strbuf_init(&s.given);
	s.pa = pa;
	s.report = report;
	s.why = why;

	start = pytest_start(argv, argc);
	pa->recognized = start != -1;
	if (start == -1)
		start = 1;
	pa->insert_at = argc;
	for (i = start; pa->recognized && i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			pa->insert_at = i;
			break;
		}

	if (addopts != NULL) {
		env = split(addopts, &envbuf, &nenv, &bad, &src);
		if (src == 1) {
			if (strbuf_printf(why, "PYTEST_ADDOPTS cannot be split "
			    "as pytest splits it (%s): fix its quotes", bad) ==
			    -1)
				goto nomem;
			goto out;
		}
		if (src == -1)
			goto nomem;
		/* After a "--" every word is a test path to pytest, the
		 * command line's options and pytriage's too. */
		for (i = 0; (size_t)i < nenv; i++)
			if (strcmp(env[i], "--") == 0) {
				if (strbuf_puts(why, "PYTEST_ADDOPTS holds "
				    "'--', after which pytest would read "
				    "every option of the command line as a "
				    "test path: drop it") == -1)
					goto nomem;
				goto out;
			}
	}

	/* First -o addopts=, which replaces the ini file's addopts. */
	s.first_pass = 1;
	if (scan_words(&s, env, nenv, 1) == -1 ||
	    scan_words(&s, argv + start, (size_t)(argc - start),
	    pa->recognized) == -1)
		goto nomem;
	s.first_pass = 0;
	if (s.addopts != NULL) {
		ini = split(s.addopts, &inibuf, &nini, &bad, &src);
		if (src == 1) {
			if (strbuf_printf(why, "-o addopts= cannot be split as "
			    "pytest splits it (%s): fix its quotes", bad) == -1)
				goto nomem;
			goto out;
		}
		if (src == -1)
			goto nomem;
		s.where = " in -o addopts";
		if (scan_words(&s, ini, nini, 1) == -1)
			goto nomem;
	}
	s.where = " in PYTEST_ADDOPTS";
	if (scan_words(&s, env, nenv, 1) == -1)
		goto nomem;
	s.where = pa->recognized ? "" : " in COMMAND's arguments";
	if (scan_words(&s, argv + start, (size_t)(argc - start),
	    pa->recognized) == -1)
		goto nomem;
	if (s.refused)
		goto out;
	if (pa->early_stop.len == 0 && s.maxfail &&
	    strbuf_append(&pa->early_stop, s.maxfail_text.data,
	    s.maxfail_text.len) == -1)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	strbuf_reset(why);
	strbuf_puts(why, "out of memory");
out:
	free(env);
	free(ini);
	strbuf_free(&envbuf);
	strbuf_free(&inibuf);
	strbuf_free(&s.maxfail_text);
	strbuf_free(&s.given);
	return rc;
}

void
pyargs_free(struct pyargs *pa)
{
	strbuf_free(&pa->early_stop);
}
