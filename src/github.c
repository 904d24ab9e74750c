/*
 * github.c: the triage as GitHub Actions workflow commands on stdout.
 *
 *	::error title=collection error%3A t/b.py,file=t/b.py::ImportError: x
 *	::error title=failed%3A t/a.py%3A%3Atest_x[1],file=t/a.py,line=12::assert 0
 *	::notice::3 more failed tests, not annotated: GitHub shows at most 10 ...
 *	::error title=pytriage%3A collection-error::1 collection error: t/b.py ...
 *
 * One ::error line per collection error, then per failed test, at most
 * GITHUB_ERRORS_MAX counting the verdict's own ::error line; a ::notice
 * counts the rest; then one ::warning line per flaky test, at most
 * GITHUB_ERRORS_MAX, and a ::notice for the rest; the last line gives
 * the verdict and its reason.
 *
 * file= and line= name where the failure passed through the test's own
 * file (the site, record.h's failure_site()): the last traceback entry
 * there, else the crash when it is there, else the test's definition;
 * the failure's own place (a crash in a library, say) only when the
 * reader found no site.  GitHub attaches an annotation to a file of the
 * diff only when file= is relative to the workspace ($GITHUB_WORKSPACE),
 * so file= is the path made relative to it, and left out when the file
 * lies outside it: never an absolute path, never one that climbs out
 * with "..".  The title names the node ID; the message is the failure
 * message, or the node ID when there is none.
 *
 * Escaping is what the Actions runner unescapes: in the message '%', CR
 * and LF become %25, %0D and %0A; in a property value ':' and ',' also
 * become %3A and %2C.  The runner reads stdout a line at a time (LF, CR
 * or both end one), so every command stays one line.  The other C0
 * controls and DEL become the Control Pictures U+2400..U+241F and U+2421:
 * they are no text in an annotation, and ESC would colour the job log.
 *
 * The runner trims white space off the whole list of properties, so the
 * title, which ends in the node ID, comes first.  It splits a property at
 * its first '=' and drops empty parts, so a path that starts with '=' is
 * left out, as is one too long to be a file name; it reads line as a
 * 32-bit int, so a larger line number is left out.  Annotation titles
 * hold 255 characters: a longer title is cut at a whole character with
 * "…", and the message then begins with the node ID and a line
 * break.  The runner keeps 4096 characters of a message: longer ones are
 * cut here to 4096 bytes, "…" included.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

#define TITLE_MAX	255
#define MESSAGE_MAX	4096
#define PATH_MAX_SHOWN	4096
#define LINE_MAX_SHOWN	2147483647u

struct piece {
	const char *s;
	size_t len;
};

/* Bytes of the character at p[0], never more than len. */
static size_t
char_len(const unsigned char *p, size_t len)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 1;

	return n < len ? n : len;
}

static int
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/* Bytes of s as the runner hands them on: a Control Picture takes 3. */
static size_t
shown_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += is_control(p[i]) ? 3 : 1;
	return n;
}

/*
 * Write s escaped, whole characters while they fit in *left shown bytes.
 * Returns 0 once one did not fit.
 */
static int
escape(FILE *fp, const char *s, size_t len, int property, size_t *left)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n, shown;
	unsigned int cp;

	for (i = 0; i < len; i += n) {
		n = char_len(p + i, len - i);
		shown = is_control(p[i]) ? 3 : n;
		if (shown > *left)
			return 0;
		*left -= shown;
		if (p[i] == '%')
			fputs("%25", fp);
		else if (p[i] == '\r')
			fputs("%0D", fp);
		else if (p[i] == '\n')
			fputs("%0A", fp);
		else if (property && p[i] == ':')
			fputs("%3A", fp);
		else if (property && p[i] == ',')
			fputs("%2C", fp);
		else if (is_control(p[i])) {
			cp = p[i] == 0x7f ? 0x2421 : 0x2400 + p[i];
			putc(0xe2, fp);
			putc(0x80 | (cp >> 6 & 0x3f), fp);
			putc(0x80 | (cp & 0x3f), fp);
		} else
			fwrite(p + i, 1, n, fp);
	}
	return 1;
}

/* The pieces escaped, cut with "…" to max shown bytes.  1 when cut. */
static int
value(FILE *fp, const struct piece *pc, size_t npc, int property,
    size_t max)
{
	size_t i, total = 0, left;

	for (i = 0; i < npc; i++)
		total += shown_len(pc[i].s, pc[i].len);
	if (total <= max) {
		for (i = 0; i < npc; i++)
			escape(fp, pc[i].s, pc[i].len, property, &max);
		return 0;
	}
	left = max - 3;
	for (i = 0; i < npc; i++)
		if (!escape(fp, pc[i].s, pc[i].len, property, &left))
			break;
	fputs("\xe2\x80\xa6", fp);
	return 1;
}

/* Whether a relative path stays below where it starts: no ".." part. */
static int
stays_below(const char *p, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
			return 0;
		i++;
	}
	return 1;
}

/*
 * A path as pieces of a path relative to the workspace: 0 when it cannot
 * be named so.  pc needs room for three pieces.
 */
static size_t
workspace_path(const struct write_options *o, const char *p, size_t len,
    struct piece *pc)
{
	size_t n, k = 0;

	if (len == 0 || len > PATH_MAX_SHOWN)
		return 0;
	if (p[0] == '/') {
		if (o->workspace == NULL)
			return 0;
		n = strlen(o->workspace);
		if (n == 1)
			n = 0;		/* the workspace is / */
		if (len <= n + 1 || memcmp(p, o->workspace, n) != 0 ||
		    p[n] != '/')
			return 0;
		p += n + 1;
		len -= n + 1;
	} else {
		if (o->cwd_in_workspace == NULL)
			return 0;
		while (len > 2 && p[0] == '.' && p[1] == '/') {
			p += 2;
			len -= 2;
		}
		if (o->cwd_in_workspace[0] != '\0') {
			pc[k].s = o->cwd_in_workspace;
			pc[k++].len = strlen(o->cwd_in_workspace);
			pc[k].s = "/";
			pc[k++].len = 1;
		}
	}
	if (!stays_below(p, len) || p[0] == '=')
		return 0;
	pc[k].s = p;
	pc[k++].len = len;
	return k;
}

static void
annotation(FILE *fp, const char *command, const char *what,
    const struct triage_test *tt, const struct write_options *o)
{
	struct piece pc[3];
	size_t npath;
	uint64_t line;
	int cut;

	fputs(command, fp);
	fputs(" title=", fp);
	pc[0].s = what;
	pc[0].len = strlen(what);
	pc[1].s = tt->id;
	pc[1].len = tt->id_len;
	cut = value(fp, pc, 2, 1, TITLE_MAX);
	/* The site when there is one, else the failure's own place. */
	npath = tt->site_path_len > 0 ?
	    workspace_path(o, tt->site_path, tt->site_path_len, pc) :
	    workspace_path(o, tt->path, tt->path_len, pc);
	line = tt->site_path_len > 0 ? tt->site_line : tt->line;
	if (npath > 0) {
		fputs(",file=", fp);
		value(fp, pc, npath, 1, PATH_MAX_SHOWN);
		if (line > 0 && line <= LINE_MAX_SHOWN)
			fprintf(fp, ",line=%" PRIu64, line);
	}
	fputs("::", fp);
	pc[0].s = tt->id;
	pc[0].len = tt->id_len;
	pc[1].s = "\n";
	pc[1].len = 1;
	pc[2].s = tt->message;
	pc[2].len = tt->message_len;
	if (tt->message_len == 0)
		value(fp, pc, 1, 0, MESSAGE_MAX);
	else if (cut)
		value(fp, pc, 3, 0, MESSAGE_MAX);
	else
		value(fp, pc + 2, 1, 0, MESSAGE_MAX);
	putc('\n', fp);
}

static void
count(FILE *fp, size_t n, const char *what)
{
	fprintf(fp, "%zu more %s%s", n, what, n == 1 ? "" : "s");
}

int
write_github(FILE *fp, const struct step *s,
    const struct write_options *opts)
{
	const struct triage *t = &s->result;
	struct piece pc[2];
	const char *name = verdict_name(t->verdict);
	int terminal = verdict_exit(t->verdict) != 0;
	size_t slots, i, nerr, nfail, nflaky;

	slots = GITHUB_ERRORS_MAX - (terminal ? 1 : 0);
	nerr = t->nerrors < slots ? t->nerrors : slots;
	nfail = t->nfailed < slots - nerr ? t->nfailed : slots - nerr;
	for (i = 0; i < nerr; i++)
		annotation(fp, "::error", "collection error: ", &t->errors[i],
		    opts);
	for (i = 0; i < nfail; i++)
		annotation(fp, "::error", "failed: ", &t->failed[i], opts);

	if (nerr < t->nerrors || nfail < t->nfailed) {
		fputs("::notice::", fp);
		if (nerr < t->nerrors)
			count(fp, t->nerrors - nerr, "collection error");
		if (nerr < t->nerrors && nfail < t->nfailed)
			fputs(" and ", fp);
		if (nfail < t->nfailed)
			count(fp, t->nfailed - nfail, "failed test");
		fprintf(fp, ", not annotated: GitHub shows at most %d error "
		    "annotations per step\n", GITHUB_ERRORS_MAX);
	}
	nflaky = t->nflaky < GITHUB_ERRORS_MAX ? t->nflaky : GITHUB_ERRORS_MAX;
	for (i = 0; i < nflaky; i++)
		annotation(fp, "::warning", "flaky: ", &t->flaky[i], opts);
	if (nflaky < t->nflaky) {
		fputs("::notice::", fp);
		count(fp, t->nflaky - nflaky, "flaky test");
		fprintf(fp, ", not annotated: GitHub shows at most %d warning "
		    "annotations per step\n", GITHUB_ERRORS_MAX);
	}

	fputs(terminal ? "::error title=" : "::notice title=", fp);
	pc[0].s = "pytriage: ";
	pc[0].len = strlen(pc[0].s);
	pc[1].s = name;
	pc[1].len = strlen(name);
	value(fp, pc, 2, 1, TITLE_MAX);
	fputs("::", fp);
	if (t->reason != NULL && t->reason[0] != '\0') {
		pc[0].s = t->reason;
		pc[0].len = strlen(t->reason);
	} else
		pc[0] = pc[1];
	value(fp, pc, 1, 0, MESSAGE_MAX);
	putc('\n', fp);
	return ferror(fp) ? WRITE_ERROR : 0;
}
