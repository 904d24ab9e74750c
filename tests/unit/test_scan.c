/*
 * test_scan.c: the ways of finding where a plain string run stops, and
 * the scanner's helpers for what JUnit reads.
 *
 * scan_plain_run() has a portable way and, where the CPU has it, an SSE2
 * way; the build uses one.  Both must stop at exactly the byte the table
 * scan_string_stop names, wherever it lies and wherever the buffer ends.
 * A number's text, a capped string and the walks over objects and arrays
 * must come out alike however the input is cut into chunks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan.h"
#include "source.h"
#include "strbuf.h"

/* The answer, a byte at a time. */
static size_t
reference_run(const unsigned char *b, size_t i, size_t end)
{
	while (i < end && !scan_string_stop[b[i]])
		i++;
	return i;
}

/* Every way the build has, against the reference, from i to end. */
static void
assert_runs(const unsigned char *b, size_t i, size_t end)
{
	size_t want = reference_run(b, i, end);

	assert_int_equal(scan_plain_run_portable(b, i, end), want);
#if defined(__SSE2__)
	assert_int_equal(scan_plain_run_sse2(b, i, end), want);
#endif
	assert_int_equal(scan_plain_run(b, i, end), want);
}

/* The table: exactly control bytes, '"', '\\' and bytes >= 0x80 stop. */
static void
test_the_table_names_the_bytes_a_plain_run_stops_at(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++)
		assert_int_equal(scan_string_stop[c],
		    c < 0x20 || c == '"' || c == '\\' || c >= 0x80);
}

/* Each byte value, alone in plain text, at every place of the first 40,
 * with the buffer ending at, before and well after it. */
static void
test_every_byte_at_every_place_stops_or_not_alike(void **state)
{
	unsigned char b[96];
	size_t at, start, end;
	int c;

	(void)state;
	for (c = 0; c < 256; c++)
		for (at = 0; at < 40; at++) {
			memset(b, 'a', sizeof(b));
			b[at] = (unsigned char)c;
			for (start = 0; start <= at; start += 3)
				for (end = at; end <= sizeof(b); end += 5)
					assert_runs(b, start, end);
			assert_runs(b, 0, at + 1);
		}
}

/* Bytes just either side of the stopping ones: 0x1f and 0x20, '!' and
 * '#', '[' and ']', 0x7f and 0x80, 0xff, in runs of every length. */
static void
test_neighbours_of_stop_bytes_in_every_run_length(void **state)
{
	static const unsigned char edges[] = {
		0x1f, 0x20, '!', '"', '#', '[', '\\', ']', 0x7e, 0x7f, 0x80,
		0xc2, 0xfe, 0xff, 0x00,
	};
	unsigned char b[80];
	size_t n, len, e;

	(void)state;
	for (e = 0; e < sizeof(edges); e++)
		for (len = 0; len < 64; len++) {
			memset(b, 'x', sizeof(b));
			for (n = 0; n < len; n++)
				b[n] = (unsigned char)(0x20 + (n * 7) % 0x5f);
			b[len] = edges[e];
			for (n = 0; n < len; n++)
				if (b[n] == '"' || b[n] == '\\')
					b[n] = 'y';
			assert_runs(b, 0, sizeof(b));
			assert_runs(b, len / 2, len + 1);
		}
}

/* Random bytes, mostly plain: the ways agree on every start. */
static void
test_random_buffers_agree_from_every_start(void **state)
{
	unsigned char b[512];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t round, i, end;

	(void)state;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < sizeof(b); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* One byte in 64 a stop byte, of any kind. */
			b[i] = (x & 63) == 0 ? (unsigned char)(x >> 8) :
			    (unsigned char)(0x23 + (x >> 16) % 0x39);
		}
		end = sizeof(b) - round % 17;
		for (i = 0; i <= end; i++)
			assert_runs(b, i, end);
	}
}

/* The chunk sizes every helper is read at: whole, and cut everywhere. */
static const size_t chunks[] = { 0, 1, 2, 3, 5, 64 };

/* A value's text as it stands, kept to 8 bytes, across refills. */
static void
test_capture_keeps_a_number_as_written(void **state)
{
	static const struct {
		const char *in, *want;
		int overflow;
	} cases[] = {
		{ "1e-05 ", "1e-05", 0 },
		{ "-Infinity,", "-Infinit", 1 },
		{ "NaN}", "NaN", 0 },
		{ "0.00024389]", "0.000243", 1 },
		{ "12345678 ", "12345678", 0 },
	};
	struct strbuf out;
	struct source src;
	struct scanner s;
	size_t i, k;
	int overflow;

	(void)state;
	strbuf_init(&out);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			source_from_memory(&src, cases[i].in,
			    strlen(cases[i].in), chunks[k]);
			scan_init(&s, &src);
			scan_peek(&s);
			scan_capture_start(&s, &out, 8);
			assert_int_equal(scan_skip_value(&s), 0);
			assert_int_equal(scan_capture_end(&s, &overflow), 0);
			assert_int_equal(overflow, cases[i].overflow);
			assert_int_equal(out.len, strlen(cases[i].want));
			assert_memory_equal(out.data, cases[i].want, out.len);
		}
	strbuf_free(&out);
}

/* Strings appended within a cap, escapes decoded, the cut noted. */
static void
test_string_into_appends_within_its_cap(void **state)
{
	static const char in[] = "[\"ab\\u00e9\", \"\\n\", \"xyz\"]";
	struct strbuf out;
	struct source src;
	struct scanner s;
	size_t k;
	int cut, c;

	(void)state;
	strbuf_init(&out);
	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		source_from_memory(&src, in, sizeof(in) - 1, chunks[k]);
		scan_init(&s, &src);
		strbuf_reset(&out);
		cut = 0;
		assert_int_equal(scan_peek(&s), '[');
		s.pos++;
		while ((c = scan_skip_ws(&s)) != ']') {
			if (c == ',') {
				s.pos++;
				continue;
			}
			assert_int_equal(scan_string_into(&s, &out, 6, &cut),
			    0);
		}
		assert_int_equal(cut, 1);
		assert_int_equal(out.len, 6);
		assert_memory_equal(out.data, "ab\xc3\xa9\nx", 6);
	}
	strbuf_free(&out);
}

struct walked {
	struct strbuf seen;
	struct scanner *s;
};

static int
walked_member(void *arg, int which, int c)
{
	struct walked *w = arg;

	strbuf_printf(&w->seen, "%d%c ", which, c);
	return scan_skip_value(w->s);
}

static int
walked_element(void *arg, size_t index, int c)
{
	static const char *const names[] = { "a", "b", NULL };
	struct walked *w = arg;
	struct strbuf key;
	int rc;

	strbuf_printf(&w->seen, "[%zu] ", index);
	if (c != '{')
		return scan_skip_value(w->s);
	strbuf_init(&key);
	rc = scan_walk_object(w->s, &key, names, walked_member, w);
	strbuf_free(&key);
	return rc;
}

/* Each member named, each element numbered, whatever the chunks; a
 * fault inside is the walk's. */
static void
test_walks_name_members_and_number_elements(void **state)
{
	static const char in[] =
	    "[{\"a\": 1, \"\\u0062\": [2], \"c\": {}}, 7, {}]";
	static const char bad[] = "[{\"a\": 1,}]";
	struct walked w;
	struct source src;
	struct scanner s;
	size_t k;

	(void)state;
	strbuf_init(&w.seen);
	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		source_from_memory(&src, in, sizeof(in) - 1, chunks[k]);
		scan_init(&s, &src);
		w.s = &s;
		strbuf_reset(&w.seen);
		scan_peek(&s);
		assert_int_equal(scan_walk_array(&s, walked_element, &w), 0);
		assert_string_equal(w.seen.data, "[0] 11 2[ 0{ [1] [2] ");
		assert_int_equal(s.depth, 0);
		source_from_memory(&src, bad, sizeof(bad) - 1, chunks[k]);
		scan_init(&s, &src);
		scan_peek(&s);
		assert_int_equal(scan_walk_array(&s, walked_element, &w), -1);
		assert_true(s.failed);
	}
	strbuf_free(&w.seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_the_table_names_the_bytes_a_plain_run_stops_at),
		cmocka_unit_test(
		    test_every_byte_at_every_place_stops_or_not_alike),
		cmocka_unit_test(
		    test_neighbours_of_stop_bytes_in_every_run_length),
		cmocka_unit_test(test_random_buffers_agree_from_every_start),
		cmocka_unit_test(test_capture_keeps_a_number_as_written),
		cmocka_unit_test(test_string_into_appends_within_its_cap),
		cmocka_unit_test(test_walks_name_members_and_number_elements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
