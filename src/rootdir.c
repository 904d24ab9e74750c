/*
 * rootdir.c: rebase a node ID's path part from pytest's rootdir to the
 * directory the retry runs in.  Pure string work: no file system access.
 *
 * What the path part may be.  pytest builds it from the collected file's
 * path relative to the rootdir, with '/' between components, so it is
 * never empty, never absolute, and never holds an empty, "." or ".."
 * component.  Anything else is not a rootdir-relative node ID as pytest
 * writes one (a file outside the rootdir gets an ID relative to a
 * command-line argument instead), and rewriting it would be a guess, so it
 * is refused rather than normalized.
 *
 * Which files.  A test item's node ID starts with the file it was
 * collected from.  pytest collects Python modules (python_files,
 * --doctest-modules), whose names end in ".py", and, through
 * --doctest-glob, text files of any name (test*.txt by default, often
 * README.rst or the .md files of a docs folder).  The one item of a text
 * file's doctests is named after the file itself,
 * "docs/guide.txt::guide.txt", so such an ID shows what it is without
 * knowing the glob: the part after "::" is exactly the path's last
 * component.  Both kinds are accepted.  Anything
 * else is refused: an ID with no file in it ("test_foo", a directory), and
 * with it the items of plugins that collect other files (YAML, notebooks),
 * which cannot be told from a stray string; such a run can retry from the
 * rootdir without rewriting.
 */
#include <string.h>

#include "rootdir.h"

/* The components of a path, between slashes. */
struct walk {
	const char *p;
	const char *end;
};

/* The components of the rebased target's directories: the rootdir's, then
 * those of the path part's directories. */
struct target {
	struct walk root;
	struct walk dirs;
};

/* The next component, skipping empty ones; 0 at the end. */
static int
walk_next(struct walk *w, const char **s, size_t *n)
{
	while (w->p < w->end && *w->p == '/')
		w->p++;
	if (w->p == w->end)
		return 0;
	*s = w->p;
	while (w->p < w->end && *w->p != '/')
		w->p++;
	*n = (size_t)(w->p - *s);
	return 1;
}

static int
target_next(struct target *t, const char **s, size_t *n)
{
	if (walk_next(&t->root, s, n))
		return 1;
	return walk_next(&t->dirs, s, n);
}

static void
walk_init(struct walk *w, const char *s, size_t len)
{
	w->p = s;
	w->end = s + len;
}

static int
is_dot(const char *s, size_t n)
{
	return n == 1 && s[0] == '.';
}

static int
is_dotdot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

/* An absolute path without "." or ".." components. */
static int
is_abs_normal(const char *path)
{
	struct walk w;
	const char *s;
	size_t n;

	if (path[0] != '/')
		return 0;
	walk_init(&w, path, strlen(path));
	while (walk_next(&w, &s, &n))
		if (is_dot(s, n) || is_dotdot(s, n))
			return 0;
	return 1;
}

/* Offset of the first "::" in id, or len when there is none. */
static size_t
path_len(const char *id, size_t len)
{
	const char *p = id, *end = id + len;

	while ((p = memchr(p, ':', (size_t)(end - p))) != NULL) {
		if (end - p >= 2 && p[1] == ':')
			return (size_t)(p - id);
		p++;
	}
	return len;
}

/*
 * Why the path part, id[0..plen), cannot be rebased, or NULL when it can;
 * then *base is the offset of its last component, the file name.
 */
static const char *
check_path(const char *id, size_t plen, size_t len, size_t *base)
{
	const char *s = id, *end = id + plen, *slash;
	size_t n;

	if (plen == 0)
		return "empty path";
	if (id[0] == '/')
		return "absolute path";
	if (memchr(id, '\0', plen) != NULL)
		return "NUL byte in the path";
	for (;;) {
		slash = memchr(s, '/', (size_t)(end - s));
		n = (size_t)((slash == NULL ? end : slash) - s);
		if (n == 0)
			return "empty path component";
		if (is_dot(s, n))
			return "'.' component in the path";
		if (is_dotdot(s, n))
			return "'..' component in the path";
		if (slash == NULL)
			break;
		s = slash + 1;
	}
	*base = (size_t)(s - id);
	if (n > 3 && memcmp(s + n - 3, ".py", 3) == 0)
		return NULL;
	if (len - plen == 2 + n && memcmp(id + plen + 2, s, n) == 0)
		return NULL;
	return "not a .py file nor a text file's doctest";
}

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
rootdir_rebase(struct strbuf *out, const char *cwd, const char *rootdir,
    const char *id, size_t len, const char **why)
{
	struct walk c, c_before;
	struct target t, t_before;
	const char *cs, *ts, *reason;
	size_t cn, tn, plen, base, orig = out->len;

	if (!is_abs_normal(cwd))
		return fail(why, "the working directory is not an absolute, "
		    "normalized path");
	if (!is_abs_normal(rootdir))
		return fail(why, "the rootdir is not an absolute, "
		    "normalized path");
	plen = path_len(id, len);
	if ((reason = check_path(id, plen, len, &base)) != NULL)
		return fail(why, reason);

	/* Step over the directories cwd and the target share. */
	walk_init(&c, cwd, strlen(cwd));
	walk_init(&t.root, rootdir, strlen(rootdir));
	walk_init(&t.dirs, id, base);
	for (;;) {
		c_before = c;
		t_before = t;
		if (!walk_next(&c, &cs, &cn) || !target_next(&t, &ts, &tn) ||
		    cn != tn || memcmp(cs, ts, cn) != 0) {
			c = c_before;
			t = t_before;
			break;
		}
	}

	/* Up out of what is left of cwd, down into what is left of the
	 * target, then the file name and the rest of the ID as they were. */
	while (walk_next(&c, &cs, &cn))
		if (strbuf_append(out, "../", 3) == -1)
			goto nomem;
	while (target_next(&t, &ts, &tn))
		if (strbuf_append(out, ts, tn) == -1 ||
		    strbuf_appendc(out, '/') == -1)
			goto nomem;
	if (strbuf_append(out, id + base, len - base) == -1)
		goto nomem;
	return 0;

nomem:
	out->len = orig;
	if (out->data != NULL)
		out->data[orig] = '\0';
	return -2;
}
