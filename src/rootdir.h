/*
 * rootdir.h: rewrite a rootdir-relative node ID to be relative to another
 * directory.
 *
 * pytest writes node IDs relative to its rootdir, and matches the path part
 * of a node ID given on its command line against the directory it runs in.
 * A retry run from a subdirectory of the rootdir, or from beside it, needs
 * the path part rewritten; the rest of the ID is pytest's and is kept byte
 * for byte.
 */
#ifndef PYTRIAGE_ROOTDIR_H
#define PYTRIAGE_ROOTDIR_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Append to out the node ID id (len bytes, not NUL-terminated, may hold
 * NUL after its path part) rewritten from rootdir-relative to
 * cwd-relative.  cwd and rootdir are absolute paths without "." or ".."
 * components (realpath(3) output; trailing and repeated slashes are
 * allowed); nothing touches the file system.
 *
 * The path part is everything before the first "::", or the whole ID.
 * Returns 0; -1 when the ID cannot be rewritten (or cwd or rootdir is not
 * such a path), with *why (when why is not NULL) set to a short reason for
 * a one-line message; -2 when memory ran out.  On -1 and -2 out is left as
 * it was.
 */
int	rootdir_rebase(struct strbuf *out, const char *cwd, const char *rootdir,
	    const char *id, size_t len, const char **why);

#endif
