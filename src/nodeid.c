/*
 * nodeid.c: pytest node IDs.
 *
 * The collector splits a node ID on every "::" into scope and name, so
 * joining them again with "::" is lossless, even when a
 * parametrize ID holds "::" itself.  Node IDs come from strict UTF-8 input,
 * so the multi-byte line breaks are found by their exact byte sequences.
 */
#include <stdio.h>
#include <string.h>

#include "nodeid.h"

int
nodeid_join(struct strbuf *out, const char *scope, size_t scope_len,
    const char *name, size_t name_len)
{
	strbuf_reset(out);
	if (strbuf_reserve(out, scope_len + 2 + name_len) == -1)
		return -1;
	if (scope_len > 0) {
		strbuf_append(out, scope, scope_len);
		strbuf_append(out, "::", 2);
	}
	return strbuf_append(out, name, name_len);
}

long
nodeid_find_line_break(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\0': case '\n': case '\v': case '\f': case '\r':
		case 0x1c: case 0x1d: case 0x1e:
			return (long)i;
		case 0xc2:	/* U+0085 NEL */
			if (i + 1 < len && p[i + 1] == 0x85)
				return (long)i;
			break;
		case 0xe2:	/* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR */
			if (i + 2 < len && p[i + 1] == 0x80 &&
			    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
				return (long)i;
			break;
		}
	}
	return -1;
}

long
nodeid_find_nul(const char *s, size_t len)
{
	const char *nul = memchr(s, '\0', len);

	return nul == NULL ? -1 : (long)(nul - s);
}

/* len less an incomplete UTF-8 sequence at the end of s: text cut at a
 * byte count stays whole characters. */
size_t
utf8_whole(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t lead = len, need;

	while (lead > 0 && len - lead < 4 && (p[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0 || p[lead - 1] < 0xc0)
		return lead == len || lead == 0 ? len : lead;
	lead--;		/* p[lead] starts the last sequence */
	need = p[lead] >= 0xf0 ? 4 : p[lead] >= 0xe0 ? 3 : 2;
	return len - lead >= need ? len : lead;
}

int
nodeid_escape(struct strbuf *out, const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t i, shown;
	int rc = 0;

	shown = utf8_whole(s, len > max ? max : len);
	for (i = 0; i < shown && rc == 0; i++) {
		if (p[i] == '\n')
			rc = strbuf_puts(out, "\\n");
		else if (p[i] == '\r')
			rc = strbuf_puts(out, "\\r");
		else if (p[i] == '\t')
			rc = strbuf_puts(out, "\\t");
		else if (p[i] < 0x20 || p[i] == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			rc = strbuf_puts(out, esc);
		} else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			snprintf(esc, sizeof(esc), "\\u%04x", p[i + 1]);
			rc = strbuf_puts(out, esc);
			i++;
		} else if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			rc = strbuf_puts(out, p[i + 2] == 0xa8 ?
			    "\\u2028" : "\\u2029");
			i += 2;
		} else
			rc = strbuf_appendc(out, p[i]);
	}
	if (rc == 0 && shown < len)
		rc = strbuf_puts(out, "...");
	return rc;
}
