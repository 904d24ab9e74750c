/*
 * reader.c: report_read(), the fast reader: which input this is, and the
 * reader of that input.
 */
#include <string.h>

#include "reader.h"
#include "scan.h"

/* One row per input: the byte that opens it, and its reader. */
static const struct {
	int first;
	enum input_kind input;
	enum report_status (*read)(struct scanner *, struct reading *);
} inputs[] = {
	{ '[', INPUT_COLLECTOR, collector_read },
	{ '{', INPUT_REPORTLOG, reportlog_read },
};

/* The scanner keeps at least what a reading shows of a fault, and
 * refuses the nesting the reference refuses. */
_Static_assert(sizeof(((struct report_error *)0)->key) <= SCAN_KEY_NAME,
    "a fault keeps as much of a key as a reading shows");
_Static_assert(sizeof(((struct report_error *)0)->what) ==
    sizeof(((struct scan_fault *)0)->what), "a fault's text fits a reading's");
_Static_assert(SCAN_DEPTH_MAX == REPORT_DEPTH_MAX,
    "both readers refuse the same nesting");

/* The scanner's fault as the reading's, at the record the reader was
 * reading. */
static void
take_fault(struct report_error *err, const struct scan_fault *f)
{
	err->offset = f->offset;
	report_error_key(err, f->key, f->key_len);
	memcpy(err->what, f->what, sizeof(err->what));
}

void
reading_start(struct reading *rd)
{
	memset(&rd->err, 0, sizeof(rd->err));
	rd->err.record = REPORT_NO_RECORD;
	rd->input = INPUT_NONE;
	rd->finished = 0;
	rd->session_status = 0;
	if (rd->messages)
		tally_keep_messages(rd->tally);
}

enum report_status
report_read(struct source *src, struct reading *rd)
{
	struct scanner s;
	enum report_status status = REPORT_READ_BAD;
	size_t i;
	int c;

	reading_start(rd);
	scan_init(&s, src);
	if (scan_peek(&s) == 0xef) {	/* a UTF-8 byte order mark */
		s.pos++;
		if (scan_peek(&s) != 0xbb)
			goto bad_bom;
		s.pos++;
		if (scan_peek(&s) != 0xbf)
			goto bad_bom;
		s.pos++;
	}
	/* White space, counting line feeds for a log's line numbers. */
	while ((c = scan_peek(&s)) == ' ' || c == '\t' || c == '\r' ||
	    c == '\n') {
		if (c == '\n')
			s.newlines++;
		s.pos++;
	}
	if (c == -1) {
		status = s.ioerr ? REPORT_READ_IOERR : REPORT_READ_EMPTY;
		goto out;
	}
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (inputs[i].first == c) {
			rd->input = inputs[i].input;
			status = inputs[i].read(&s, rd);
			goto out;
		}
	scan_fail(&s, "neither a JSON array (pytest --json) nor JSON lines "
	    "(pytest --report-log)");
	goto out;
bad_bom:
	scan_fail(&s, "invalid UTF-8 at the start of the report");
out:
	if (s.fault.what[0] != '\0')
		take_fault(&rd->err, &s.fault);
	if (s.ioerr)
		status = REPORT_READ_IOERR;
	else if (s.nomem)
		status = REPORT_READ_NOMEM;
	source_end(src);
	return status;
}
