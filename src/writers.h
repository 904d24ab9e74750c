/*
 * writers.h: the markdown and github output formats.
 *
 * Both format a finished triage (triage.h) and decide nothing.  They
 * return 0, or WRITE_ERROR when the stream reports an error (ferror), or
 * for markdown WRITE_TOO_SMALL when even the smallest document does not
 * fit in max_bytes; nothing is written then.
 */
#ifndef PYTRIAGE_WRITERS_H
#define PYTRIAGE_WRITERS_H

#include <stdint.h>
#include <stdio.h>

#include "triage.h"

#define WRITE_ERROR	(-1)
#define WRITE_TOO_SMALL	(-2)

/*
 * One Markdown document (CommonMark with GFM tables) for Buildkite
 * annotations and GitHub job summaries: the verdict in words, then the
 * collection errors, the failed tests and the flaky tests, each as a list,
 * then a table of the counts.  It never exceeds opts->max_bytes (0: no
 * limit): messages are cut, then dropped, then lists end in "and N more",
 * keeping the first line and the counts.  WRITE_TOO_SMALL when those two
 * alone exceed it; markdown_min_bytes() says how many bytes they take.
 */
int	write_markdown(FILE *, const struct triage *,
	    const struct write_options *);
uint64_t markdown_min_bytes(const struct triage *);

/*
 * GitHub Actions workflow commands: an ::error line per collection error
 * and per failed test, at most GITHUB_ERRORS_MAX of them with the verdict
 * line, then one ::notice line counting the rest, then the verdict and its
 * reason in a ::notice line (::error for a terminal verdict).
 */
#define GITHUB_ERRORS_MAX	10
int	write_github(FILE *, const struct triage *,
	    const struct write_options *);

#endif
