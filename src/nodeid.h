/*
 * nodeid.h: pytest node IDs.
 *
 * Joining a record's scope and name back into the node ID, finding what
 * would break a selector in a given output format, and escaping IDs for
 * messages on a terminal.
 */
#ifndef PYTRIAGE_NODEID_H
#define PYTRIAGE_NODEID_H

#include <stddef.h>

#include "strbuf.h"

/* Longest node ID (and scope, and name) accepted, in bytes. */
#define NODEID_MAX	((size_t)4 << 20)

/* scope + "::" + name, or name alone when scope is empty. */
int	nodeid_join(struct strbuf *, const char *scope, size_t scope_len,
	    const char *name, size_t name_len);

/*
 * Offset of the first line break as Python's str.splitlines() sees one
 * (\n \r \v \f \x1c \x1d \x1e U+0085 U+2028 U+2029) or of the first NUL,
 * or -1 when there is none.  `pytest @file` splits its lines this way.
 */
long	nodeid_find_line_break(const char *, size_t);

/* Offset of the first NUL, or -1. */
long	nodeid_find_nul(const char *, size_t);

/* len less an incomplete UTF-8 sequence at the end: a cut that never splits
 * a character. */
size_t	utf8_whole(const char *, size_t len);

/*
 * Append text for a message: control characters, DEL, C1 controls and
 * U+2028/U+2029 become escapes (\n, \x1b, \u2028), so that a node ID can
 * neither break the one-line message nor drive the terminal.  At most max
 * bytes of input are shown, then "...".
 */
int	nodeid_escape(struct strbuf *, const char *, size_t, size_t max);

#endif
