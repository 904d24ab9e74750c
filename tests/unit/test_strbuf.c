/*
 * test_strbuf.c: the growable byte buffer.
 *
 * Appends of every kind grow the buffer, keep it NUL-terminated and keep
 * binary bytes (NUL included) by length; reserve really reserves; a request
 * that cannot fit in a size_t fails and leaves the buffer as it was; reset
 * empties without freeing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

/* The invariant every call must leave behind. */
static void
assert_terminated(const struct strbuf *sb)
{
	assert_non_null(sb->data);
	assert_true(sb->len < sb->cap);
	assert_int_equal(sb->data[sb->len], '\0');
}

/* As strbuf_init leaves it: nothing held, nothing allocated. */
static void
assert_empty(const struct strbuf *sb)
{
	assert_null(sb->data);
	assert_int_equal(sb->len, 0);
	assert_int_equal(sb->cap, 0);
}

static void
test_init_is_empty_and_unallocated(void **state)
{
	struct strbuf sb;

	(void)state;
	memset(&sb, 0xa5, sizeof(sb));
	strbuf_init(&sb);
	assert_empty(&sb);
}

static void
test_append_copies_bytes_and_terminates(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_append(&sb, "abc", 3), 0);
	assert_int_equal(sb.len, 3);
	assert_string_equal(sb.data, "abc");
	assert_terminated(&sb);
	assert_int_equal(strbuf_append(&sb, "defgh", 2), 0);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.data, "abcde");
	assert_terminated(&sb);
	strbuf_free(&sb);
}

static void
test_append_of_nothing_still_terminates(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_append(&sb, NULL, 0), 0);
	assert_int_equal(sb.len, 0);
	assert_terminated(&sb);
	assert_string_equal(sb.data, "");
	strbuf_free(&sb);
}

/* Bytes by length: a NUL inside, and bytes above 0x7f through appendc. */
static void
test_append_and_appendc_keep_every_byte(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_append(&sb, "a\0b", 3), 0);
	assert_int_equal(strbuf_appendc(&sb, '\0'), 0);
	assert_int_equal(strbuf_appendc(&sb, 'c'), 0);
	assert_int_equal(strbuf_appendc(&sb, 0xe2), 0);
	assert_int_equal(strbuf_appendc(&sb, 0x80), 0);
	assert_int_equal(strbuf_appendc(&sb, 0xa8), 0);
	assert_int_equal(sb.len, 8);
	/* the eight bytes and the final NUL */
	assert_memory_equal(sb.data, "a\0b\0c\xe2\x80\xa8", 9);
	strbuf_free(&sb);
}

static void
test_many_appends_grow_and_keep_every_byte(void **state)
{
	struct strbuf sb;
	size_t i, caps = 0, lastcap = 0;

	(void)state;
	strbuf_init(&sb);
	for (i = 0; i < 100000; i++) {
		assert_int_equal(strbuf_appendc(&sb, 'a' + (int)(i % 26)), 0);
		assert_terminated(&sb);
		if (sb.cap != lastcap) {
			caps++;
			lastcap = sb.cap;
		}
	}
	assert_int_equal(sb.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(sb.data[i], 'a' + (int)(i % 26));
	/* Amortised O(1): the buffer grew geometrically, not per byte. */
	assert_true(caps < 40);
	assert_true(sb.cap < 2 * 100000 + 64);
	strbuf_free(&sb);
}

static void
test_reserve_makes_room_without_later_realloc(void **state)
{
	struct strbuf sb;
	char block[1000];
	char *before;
	size_t i;

	(void)state;
	memset(block, 'x', sizeof(block));
	strbuf_init(&sb);
	assert_int_equal(strbuf_append(&sb, "head", 4), 0);
	assert_int_equal(strbuf_reserve(&sb, 5000), 0);
	assert_true(sb.cap >= 4 + 5000 + 1);
	assert_int_equal(sb.len, 4);		/* reserve adds no bytes */
	assert_string_equal(sb.data, "head");
	before = sb.data;
	for (i = 0; i < 5; i++)
		assert_int_equal(strbuf_append(&sb, block, sizeof(block)), 0);
	assert_ptr_equal(sb.data, before);	/* no reallocation */
	assert_int_equal(sb.len, 5004);
	assert_terminated(&sb);
	strbuf_free(&sb);
}

static void
test_reserve_zero_allocates_room_for_the_nul(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_reserve(&sb, 0), 0);
	assert_non_null(sb.data);
	assert_true(sb.cap >= 1);
	assert_int_equal(sb.len, 0);
	strbuf_free(&sb);
}

static void
test_reserve_beyond_size_max_fails_and_leaves_buffer(void **state)
{
	/* volatile: a constant length would make the compiler warn about
	 * the memcpy that the failed reserve never reaches */
	volatile size_t huge = SIZE_MAX - 2;
	struct strbuf sb;
	char *before;
	size_t cap;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "keep"), 0);
	before = sb.data;
	cap = sb.cap;
	assert_int_equal(strbuf_reserve(&sb, SIZE_MAX), -1);
	assert_int_equal(strbuf_reserve(&sb, SIZE_MAX - 4), -1);
	assert_int_equal(strbuf_append(&sb, "x", huge), -1);
	assert_ptr_equal(sb.data, before);
	assert_int_equal(sb.cap, cap);
	assert_int_equal(sb.len, 4);
	assert_string_equal(sb.data, "keep");
	strbuf_free(&sb);
}

static void
test_puts_appends_c_string(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "one"), 0);
	assert_int_equal(strbuf_puts(&sb, ""), 0);
	assert_int_equal(strbuf_puts(&sb, " two"), 0);
	assert_int_equal(sb.len, 7);
	assert_string_equal(sb.data, "one two");
	strbuf_free(&sb);
}

static void
test_printf_appends_formatted_text(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "at "), 0);
	assert_int_equal(strbuf_printf(&sb, "byte %d (%s)", 42, "x"), 0);
	assert_string_equal(sb.data, "at byte 42 (x)");
	assert_int_equal(sb.len, strlen("at byte 42 (x)"));
	strbuf_free(&sb);
}

static void
test_printf_of_empty_text_allocates_terminated_buffer(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_printf(&sb, "%s", ""), 0);
	assert_int_equal(sb.len, 0);
	assert_terminated(&sb);
	strbuf_free(&sb);
}

static void
test_printf_grows_past_initial_capacity(void **state)
{
	struct strbuf sb;
	char expect[5001];
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++)
		expect[i] = (char)('0' + i % 10);
	expect[5000] = '\0';
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "x"), 0);
	assert_int_equal(strbuf_printf(&sb, "%s|%05d", expect, 7), 0);
	assert_int_equal(sb.len, 1 + 5000 + 6);
	assert_memory_equal(sb.data, "x", 1);
	assert_memory_equal(sb.data + 1, expect, 5000);
	assert_string_equal(sb.data + 5001, "|00007");
	assert_terminated(&sb);
	strbuf_free(&sb);
}

static void
test_printf_exactly_filling_capacity_keeps_the_nul(void **state)
{
	struct strbuf sb;
	size_t cap;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_reserve(&sb, 0), 0);
	cap = sb.cap;
	/* cap - 1 bytes of text leave exactly one byte for the NUL. */
	assert_int_equal(strbuf_printf(&sb, "%*s", (int)(cap - 1), "z"), 0);
	assert_int_equal(sb.len, cap - 1);
	assert_int_equal(sb.cap, cap);
	assert_int_equal(sb.data[cap - 2], 'z');
	assert_terminated(&sb);
	assert_int_equal(strbuf_printf(&sb, "%c", 'w'), 0);
	assert_true(sb.cap > cap);
	assert_int_equal(sb.data[cap - 1], 'w');
	assert_terminated(&sb);
	strbuf_free(&sb);
}

static void
test_reset_empties_but_keeps_memory(void **state)
{
	struct strbuf sb;
	char *before;
	size_t cap;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "something long enough"), 0);
	before = sb.data;
	cap = sb.cap;
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_ptr_equal(sb.data, before);
	assert_int_equal(sb.cap, cap);
	assert_string_equal(sb.data, "");
	assert_int_equal(strbuf_puts(&sb, "new"), 0);
	assert_string_equal(sb.data, "new");
	assert_ptr_equal(sb.data, before);
	strbuf_free(&sb);
}

static void
test_reset_of_unallocated_buffer_stays_unallocated(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	strbuf_reset(&sb);
	assert_empty(&sb);
}

static void
test_free_returns_to_initial_state(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_puts(&sb, "data"), 0);
	strbuf_free(&sb);
	assert_empty(&sb);
	/* Usable again after free. */
	assert_int_equal(strbuf_puts(&sb, "again"), 0);
	assert_string_equal(sb.data, "again");
	strbuf_free(&sb);
}

/* A capped append keeps what fits, says it cut, and then takes no more,
 * not even what would fit. */
static void
test_append_capped_keeps_what_fits_then_nothing(void **state)
{
	struct strbuf sb;
	int cut = 0;

	(void)state;
	strbuf_init(&sb);
	assert_int_equal(strbuf_append_capped(&sb, 5, "abc", 3, &cut), 0);
	assert_int_equal(cut, 0);
	assert_int_equal(strbuf_append_capped(&sb, 5, "de", 2, &cut), 0);
	assert_int_equal(cut, 0);
	assert_string_equal(sb.data, "abcde");
	assert_int_equal(strbuf_append_capped(&sb, 5, "", 0, &cut), 0);
	assert_int_equal(cut, 0);
	assert_int_equal(strbuf_append_capped(&sb, 5, "f", 1, &cut), 0);
	assert_int_equal(cut, 1);
	assert_string_equal(sb.data, "abcde");
	strbuf_reset(&sb);
	cut = 0;
	assert_int_equal(strbuf_append_capped(&sb, 4, "abcdef", 6, &cut), 0);
	assert_int_equal(cut, 1);
	assert_string_equal(sb.data, "abcd");
	/* Once cut, nothing more, though the buffer was emptied. */
	strbuf_reset(&sb);
	assert_int_equal(strbuf_append_capped(&sb, 4, "x", 1, &cut), 0);
	assert_int_equal(sb.len, 0);
	strbuf_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_and_unallocated),
		cmocka_unit_test(test_append_copies_bytes_and_terminates),
		cmocka_unit_test(test_append_of_nothing_still_terminates),
		cmocka_unit_test(test_append_and_appendc_keep_every_byte),
		cmocka_unit_test(test_many_appends_grow_and_keep_every_byte),
		cmocka_unit_test(test_reserve_makes_room_without_later_realloc),
		cmocka_unit_test(test_reserve_zero_allocates_room_for_the_nul),
		cmocka_unit_test(
		    test_reserve_beyond_size_max_fails_and_leaves_buffer),
		cmocka_unit_test(test_puts_appends_c_string),
		cmocka_unit_test(test_printf_appends_formatted_text),
		cmocka_unit_test(
		    test_printf_of_empty_text_allocates_terminated_buffer),
		cmocka_unit_test(test_printf_grows_past_initial_capacity),
		cmocka_unit_test(
		    test_printf_exactly_filling_capacity_keeps_the_nul),
		cmocka_unit_test(test_reset_empties_but_keeps_memory),
		cmocka_unit_test(
		    test_reset_of_unallocated_buffer_stays_unallocated),
		cmocka_unit_test(test_free_returns_to_initial_state),
		cmocka_unit_test(
		    test_append_capped_keeps_what_fits_then_nothing),
	};

	return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
