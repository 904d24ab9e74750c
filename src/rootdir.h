#ifndef PYTRIAGE_ROOTDIR_H
#define PYTRIAGE_ROOTDIR_H
#include <stddef.h>
#include "strbuf.h"
int	rootdir_rebase(struct strbuf *out, const char *cwd, const char *rootdir,
	    const char *id, size_t len, const char **why);
#endif
