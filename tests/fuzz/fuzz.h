/*
 * fuzz.h: what the fuzzers that write a triage share: an output format
 * picked by a number, and the JSON format's object parsed strictly, for
 * each fuzzer's own checks on it.
 *
 * Static functions in a header, as in tests/tools/capture.h: each fuzzer
 * is one program built from its own source.
 */
#ifndef PYTRIAGE_FUZZ_H
#define PYTRIAGE_FUZZ_H

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "verdict.h"

/*
 * Format which (modulo n) of the first n formats, n from 1 to 7: junit is
 * last, so that 6 leaves it out.  A name the program does not know is the
 * fuzzer's mistake: abort.
 */
static const struct format *
fuzz_format(unsigned which, unsigned n)
{
	static const char *const names[] = {
		"lines", "null", "verdict", "json", "markdown", "github", "junit"
	};
	const struct format *f;

	if (n == 0 || n > sizeof(names) / sizeof(names[0]) ||
	    (f = output_format(names[which % n])) == NULL)
		abort();
	return f;
}

/*
 * The JSON format's output: one JSON object, strict JSON in valid UTF-8,
 * whose "verdict" names v, then a line feed and nothing more.  The
 * object, for the caller's own checks and json_object_put(); anything
 * else aborts.
 */
static struct json_object *
fuzz_json(const char *text, size_t len, enum verdict v)
{
	struct json_tokener *tok;
	struct json_object *o, *name;
	size_t end;

	if ((tok = json_tokener_new()) == NULL)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* json-c goes past white space after the value: the object's
	 * '}' must be right before the one line feed. */
	if (o == NULL || end != len || len < 2 || text[len - 1] != '\n' ||
	    text[len - 2] != '}' ||
	    !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "verdict", &name) ||
	    strcmp(json_object_get_string(name), verdict_name(v)) != 0)
		abort();
	return o;
}

#endif
