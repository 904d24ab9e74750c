/*
 * test_scan.c: the ways of finding where a plain string run stops.
 *
 * scan_plain_run() has a portable way and, where the CPU has it, an SSE2
 * way; the build uses one.  Both must stop at exactly the byte the table
 * scan_string_stop names, wherever it lies and wherever the buffer ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
