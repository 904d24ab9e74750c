/*
 * test_source.c: where report bytes come from.
 *
 * Memory sources hand out at most one chunk per read, to the last byte and
 * then end of input; fd sources read pipes and files, report read errors
 * with their errno, and retry a read(2) that a signal interrupted.  The
 * same for source_next(), which lends chunks in place: memory is pointed
 * into, a regular file is mapped a window at a time (a file larger than
 * the window comes out whole and in order, one window mapped at a time),
 * a pipe is read, and a later window or read that fails is the reader's
 * error.  The EINTR test installs a SIGALRM handler
 * without SA_RESTART, so that the kernel really does fail the blocked
 * read with EINTR (a control test shows it does), and a child writes the
 * data only after the timer fired.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "source.h"

/* A temporary file holding data, its offset at the start. */
static FILE *
file_of(const unsigned char *data, size_t len)
{
	FILE *tmp;

	assert_non_null(tmp = tmpfile());
	assert_int_equal(fwrite(data, 1, len, tmp), len);
	assert_int_equal(fflush(tmp), 0);
	assert_int_equal(lseek(fileno(tmp), 0, SEEK_SET), 0);
	return tmp;
}

/* Byte i of the test data: no run of it repeats soon. */
static unsigned char
pattern_byte(size_t i)
{
	return (unsigned char)(i * 2654435761u >> 13);
}

static unsigned char *
pattern(size_t len)
{
	unsigned char *data;
	size_t i;

	assert_non_null(data = malloc(len));
	for (i = 0; i < len; i++)
		data[i] = pattern_byte(i);
	return data;
}

static void
test_memory_source_hands_out_chunks_then_end(void **state)
{
	static const char data[] = "abcdefgh";
	unsigned char buf[16];
	struct source src;

	(void)state;
	source_from_memory(&src, data, 8, 3);
	assert_int_equal(src.fd, -1);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "def", 3);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "gh", 2);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
	assert_int_equal(src.error, 0);
}

static void
test_memory_source_chunk_zero_is_the_whole_input(void **state)
{
	static const char data[] = "0123456789";
	unsigned char buf[32];
	struct source src;

	(void)state;
	source_from_memory(&src, data, 10, 0);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 10);
	assert_memory_equal(buf, data, 10);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
}

static void
test_memory_source_never_exceeds_the_callers_buffer(void **state)
{
	static const char data[] = "0123456789";
	unsigned char buf[8];
	struct source src;

	(void)state;
	memset(buf, '#', sizeof(buf));
	source_from_memory(&src, data, 10, 64);
	assert_int_equal(source_read(&src, buf, 4), 4);
	assert_memory_equal(buf, "0123####", 8);
	assert_int_equal(source_read(&src, buf, 8), 6);
	assert_memory_equal(buf, "456789##", 8);
	assert_int_equal(source_read(&src, buf, 8), 0);
}

static void
test_memory_source_of_one_byte_chunks_keeps_every_byte(void **state)
{
	static const char data[] = "a\0b\xff\n";
	unsigned char buf[4], got[8];
	struct source src;
	size_t n = 0;
	ssize_t r;

	(void)state;
	source_from_memory(&src, data, 5, 1);
	while ((r = source_read(&src, buf, sizeof(buf))) > 0) {
		assert_int_equal(r, 1);
		got[n++] = buf[0];
	}
	assert_int_equal(r, 0);
	assert_int_equal(n, 5);
	assert_memory_equal(got, data, 5);
}

static void
test_empty_memory_source_is_at_end(void **state)
{
	unsigned char buf[4];
	struct source src;

	(void)state;
	source_from_memory(&src, "", 0, 0);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
	source_from_memory(&src, "", 0, 7);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
}

static void
test_fd_source_reads_a_pipe_to_its_end(void **state)
{
	unsigned char buf[64];
	struct source src;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "[{\"scope\": \"\"}]", 15), 15);
	close(fds[1]);
	source_from_fd(&src, fds[0]);
	assert_int_equal(src.fd, fds[0]);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 15);
	assert_memory_equal(buf, "[{\"scope\": \"\"}]", 15);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
	assert_int_equal(src.error, 0);
	close(fds[0]);
}

static void
test_fd_source_reads_a_file(void **state)
{
	unsigned char buf[4];
	struct source src;
	FILE *tmp;

	(void)state;
	tmp = file_of((const unsigned char *)"hello", 5);
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(source_read(&src, buf, 4), 4);
	assert_memory_equal(buf, "hell", 4);
	assert_int_equal(source_read(&src, buf, 4), 1);
	assert_int_equal(buf[0], 'o');
	assert_int_equal(source_read(&src, buf, 4), 0);
	fclose(tmp);
}

static void
test_fd_source_reports_a_read_error_with_errno(void **state)
{
	unsigned char buf[4];
	struct source src;
	int fd;

	(void)state;
	assert_true((fd = open(".", O_RDONLY)) >= 0);
	source_from_fd(&src, fd);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), -1);
	assert_int_equal(src.error, EISDIR);
	close(fd);

	assert_true((fd = open("/dev/null", O_WRONLY)) >= 0);
	source_from_fd(&src, fd);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), -1);
	assert_int_equal(src.error, EBADF);
	close(fd);
}

/* source_next: chunks lent without a copy. */

static void
test_next_lends_memory_in_place_chunk_by_chunk(void **state)
{
	static const char data[] = "abcdefgh";
	const unsigned char *chunk;
	struct source src;

	(void)state;
	source_from_memory(&src, data, 8, 3);
	assert_int_equal(source_next(&src, &chunk), 3);
	assert_ptr_equal(chunk, (const unsigned char *)data);	/* no copy */
	assert_int_equal(source_next(&src, &chunk), 3);
	assert_ptr_equal(chunk, (const unsigned char *)data + 3);
	assert_int_equal(source_next(&src, &chunk), 2);
	assert_memory_equal(chunk, "gh", 2);
	assert_int_equal(source_next(&src, &chunk), 0);
	assert_int_equal(source_next(&src, &chunk), 0);
	source_end(&src);
}

static void
test_next_lends_whole_memory_with_chunk_zero(void **state)
{
	static const char data[] = "0123456789";
	const unsigned char *chunk;
	struct source src;

	(void)state;
	source_from_memory(&src, data, 10, 0);
	assert_int_equal(source_next(&src, &chunk), 10);
	assert_memory_equal(chunk, data, 10);
	assert_int_equal(source_next(&src, &chunk), 0);
	source_end(&src);
}

/* Everything source_next hands out, concatenated; the chunk count.  A
 * source that leaves the reader waiting fails the test (SIGALRM). */
static size_t
drain(struct source *src, unsigned char *out, size_t cap, size_t *chunks)
{
	const unsigned char *chunk;
	size_t total = 0;
	ssize_t n;

	*chunks = 0;
	alarm(10);
	while ((n = source_next(src, &chunk)) > 0) {
		assert_true(total + (size_t)n <= cap);
		memcpy(out + total, chunk, (size_t)n);
		total += (size_t)n;
		(*chunks)++;
	}
	alarm(0);
	assert_int_equal(n, 0);
	return total;
}

static void
test_next_reads_a_pipe_to_its_end(void **state)
{
	unsigned char out[64];
	struct source src;
	size_t chunks;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "[{\"scope\": \"\"}]", 15), 15);
	close(fds[1]);
	source_from_fd(&src, fds[0]);
	assert_int_equal(drain(&src, out, sizeof(out), &chunks), 15);
	assert_memory_equal(out, "[{\"scope\": \"\"}]", 15);
	assert_int_equal(src.error, 0);
	source_end(&src);
	close(fds[0]);
}

/* A regular file larger than the mapping window comes out whole
 * and in order, in a few large chunks. */
static void
test_next_hands_out_a_large_file_whole_and_in_order(void **state)
{
	enum { LEN = (5 << 20) + 12345 };
	unsigned char *data, *out;
	struct source src;
	size_t chunks;
	FILE *tmp;

	(void)state;
	data = pattern(LEN);
	assert_non_null(out = malloc(LEN));
	tmp = file_of(data, LEN);
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(drain(&src, out, LEN, &chunks), LEN);
	assert_memory_equal(out, data, LEN);
	assert_true(chunks >= 2 && chunks <= LEN / 65536);
	source_end(&src);
	fclose(tmp);
	free(data);
	free(out);
}

/* How many mappings of the file open on fd this process has. */
static int
mappings_of(int fd)
{
	unsigned long inode;
	char line[1024];
	struct stat st;
	FILE *maps;
	int n = 0;

	assert_int_equal(fstat(fd, &st), 0);
	assert_non_null(maps = fopen("/proc/self/maps", "r"));
	while (fgets(line, sizeof(line), maps) != NULL)
		if (sscanf(line, "%*s %*s %*s %*s %lu", &inode) == 1 &&
		    inode == (unsigned long)st.st_ino)
			n++;
	fclose(maps);
	return n;
}

/* One window is mapped at a time, each unmapped when the next is lent,
 * and none is left when the source ends. */
static void
test_next_maps_one_window_at_a_time(void **state)
{
	enum { LEN = (9 << 20) + 7 };
	const unsigned char *chunk;
	unsigned char *data;
	struct source src;
	size_t total = 0;
	ssize_t n;
	FILE *tmp;

	(void)state;
	data = pattern(LEN);
	tmp = file_of(data, LEN);
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(n = source_next(&src, &chunk), SOURCE_WINDOW);
	assert_int_equal(mappings_of(fileno(tmp)), 1);
	assert_memory_equal(chunk, data, (size_t)n);
	total = (size_t)n;
	while ((n = source_next(&src, &chunk)) > 0) {
		assert_int_equal(mappings_of(fileno(tmp)), 1);
		assert_true(total + (size_t)n <= LEN);
		assert_memory_equal(chunk, data + total, (size_t)n);
		total += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(total, LEN);
	assert_int_equal(source_next(&src, &chunk), 0);
	source_end(&src);
	assert_int_equal(mappings_of(fileno(tmp)), 0);
	fclose(tmp);
	free(data);
}

/* A reader that stops early (a bad report) leaves nothing mapped. */
static void
test_ending_early_unmaps_the_window(void **state)
{
	enum { LEN = 9 << 20 };
	const unsigned char *chunk;
	unsigned char *data;
	struct source src;
	FILE *tmp;

	(void)state;
	data = pattern(LEN);
	tmp = file_of(data, LEN);
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(source_next(&src, &chunk), SOURCE_WINDOW);
	assert_int_equal(source_next(&src, &chunk), SOURCE_WINDOW);
	assert_memory_equal(chunk, data + SOURCE_WINDOW, SOURCE_WINDOW);
	assert_int_equal(mappings_of(fileno(tmp)), 1);
	source_end(&src);
	assert_int_equal(mappings_of(fileno(tmp)), 0);
	fclose(tmp);
	free(data);
}

/* Pages of address space this process has, from /proc/self/statm. */
static unsigned long
address_space(void)
{
	unsigned long pages = 0;
	FILE *statm;

	if ((statm = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	if (fscanf(statm, "%lu", &pages) != 1)
		pages = 0;
	fclose(statm);
	return pages;
}

/*
 * A window past the first that cannot be mapped is the reader's error,
 * with its errno, and so is the next.  In a child, whose address space
 * is capped below what it has, so that the windows after the second
 * cannot be mapped.
 */
static void
test_a_window_that_cannot_be_mapped_is_an_error(void **state)
{
	enum { LEN = 11 << 20 };
	const unsigned char *chunk;
	unsigned char *data;
	struct source src;
	struct rlimit cap;
	unsigned long pages;
	int status, code;
	ssize_t n;
	pid_t child;
	FILE *tmp;

	(void)state;
	data = pattern(LEN);
	tmp = file_of(data, LEN);
	free(data);		/* the child needs the file only */
	assert_true((child = fork()) >= 0);
	if (child == 0) {
		source_from_fd(&src, fileno(tmp));
		if (source_next(&src, &chunk) != SOURCE_WINDOW ||
		    source_next(&src, &chunk) != SOURCE_WINDOW)
			_exit(2);
		if ((pages = address_space()) == 0)
			_exit(3);
		/* Less than it has by two windows: giving back the two it
		 * may hold never makes room for a third. */
		cap.rlim_cur = cap.rlim_max =
		    (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) -
		    2 * SOURCE_WINDOW;
		if (setrlimit(RLIMIT_AS, &cap) != 0)
			_exit(4);
		while ((n = source_next(&src, &chunk)) > 0)
			continue;
		code = n == -1 && src.error == ENOMEM &&
		    source_next(&src, &chunk) == -1 ? 0 : 5;
		source_end(&src);
		_exit(code);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	fclose(tmp);
}

/* A child that writes the first len bytes of pattern() into a pipe,
 * however many writes that takes, and exits; the read end.  The child
 * makes the bytes itself, so that it holds no memory it cannot free. */
static int
pipe_of(size_t len, pid_t *child)
{
	unsigned char buf[4096];
	size_t done, i, part;
	ssize_t n;
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_true((*child = fork()) >= 0);
	if (*child == 0) {
		close(fds[0]);
		for (done = 0; done < len; done += part) {
			part = len - done < sizeof(buf) ? len - done :
			    sizeof(buf);
			for (i = 0; i < part; i++)
				buf[i] = pattern_byte(done + i);
			for (i = 0; i < part; i += (size_t)n)
				if ((n = write(fds[1], buf + i, part - i)) <= 0)
					_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/* A pipe larger than the read buffer: all of it comes out, in order,
 * and then the end, again and again. */
static void
test_next_reads_a_large_pipe_whole_and_in_order(void **state)
{
	enum { LEN = (5 << 20) + 333 };
	const unsigned char *chunk;
	unsigned char *data, *out;
	struct source src;
	size_t chunks;
	int fd, status;
	pid_t child;

	(void)state;
	fd = pipe_of(LEN, &child);
	data = pattern(LEN);
	assert_non_null(out = malloc(LEN));
	source_from_fd(&src, fd);
	assert_int_equal(drain(&src, out, LEN, &chunks), LEN);
	assert_memory_equal(out, data, LEN);
	assert_true(chunks > 1);
	assert_int_equal(source_next(&src, &chunk), 0);
	assert_int_equal(source_next(&src, &chunk), 0);
	assert_int_equal(src.error, 0);
	source_end(&src);
	close(fd);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(data);
	free(out);
}

/*
 * A read past the first that fails is the reader's error, with its
 * errno, and so is the next.  /proc/self/mem read from a page of this
 * process whose next page is not mapped: the first read gives the page,
 * the next one fails with EIO.
 */
static void
test_a_read_past_the_first_that_fails_is_an_error(void **state)
{
	const unsigned char *chunk;
	unsigned char *pages;
	struct source src;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int fd;

	(void)state;
	pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(pages != MAP_FAILED);
	memset(pages, 'p', page);
	assert_int_equal(munmap(pages + page, page), 0);
	assert_true((fd = open("/proc/self/mem", O_RDONLY)) >= 0);
	assert_true(lseek(fd, (off_t)(uintptr_t)pages, SEEK_SET) ==
	    (off_t)(uintptr_t)pages);
	source_from_fd(&src, fd);
	assert_int_equal(source_next(&src, &chunk), (ssize_t)page);
	assert_memory_equal(chunk, pages, page);
	assert_int_equal(source_next(&src, &chunk), -1);
	assert_int_equal(src.error, EIO);
	assert_int_equal(source_next(&src, &chunk), -1);
	source_end(&src);
	close(fd);
	munmap(pages, page);
}

static void
test_next_starts_where_the_descriptor_stands(void **state)
{
	unsigned char out[16];
	struct source src;
	size_t chunks;
	FILE *tmp;

	(void)state;
	tmp = file_of((const unsigned char *)"skip[{}]", 8);
	assert_int_equal(lseek(fileno(tmp), 4, SEEK_SET), 4);
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(drain(&src, out, sizeof(out), &chunks), 4);
	assert_memory_equal(out, "[{}]", 4);
	source_end(&src);
	fclose(tmp);
}

static void
test_next_of_an_empty_file_is_at_end(void **state)
{
	const unsigned char *chunk;
	struct source src;
	FILE *tmp;

	(void)state;
	assert_non_null(tmp = tmpfile());
	source_from_fd(&src, fileno(tmp));
	assert_int_equal(source_next(&src, &chunk), 0);
	assert_int_equal(src.error, 0);
	source_end(&src);
	fclose(tmp);
}

static void
test_next_reports_a_read_error_with_errno(void **state)
{
	const unsigned char *chunk;
	struct source src;
	int fd;

	(void)state;
	assert_true((fd = open(".", O_RDONLY)) >= 0);
	source_from_fd(&src, fd);
	assert_int_equal(source_next(&src, &chunk), -1);
	assert_int_equal(src.error, EISDIR);
	source_end(&src);
	close(fd);
}

/* EINTR. */

static volatile sig_atomic_t alarms;

static void
on_alarm(int signo)
{
	(void)signo;
	alarms++;
}

struct interrupted {
	struct sigaction old;
	int fds[2];
	pid_t child;
};

/*
 * A pipe whose writer sleeps 300 ms, then writes "late data" and exits; a
 * SIGALRM handler without SA_RESTART; a timer that fires after 50 ms,
 * while the reader is blocked.
 */
static void
interrupt_setup(struct interrupted *in)
{
	struct sigaction sa;
	struct itimerval it;
	struct timespec delay = { 0, 300 * 1000 * 1000 };

	alarms = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;		/* no SA_RESTART: read(2) fails */
	assert_int_equal(sigaction(SIGALRM, &sa, &in->old), 0);
	assert_int_equal(pipe(in->fds), 0);
	in->child = fork();
	assert_true(in->child >= 0);
	if (in->child == 0) {
		close(in->fds[0]);
		while (nanosleep(&delay, &delay) == -1 && errno == EINTR)
			continue;
		if (write(in->fds[1], "late data", 9) != 9)
			_exit(1);
		_exit(0);
	}
	close(in->fds[1]);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 50 * 1000;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void
interrupt_teardown(struct interrupted *in)
{
	struct itimerval off;
	int status;

	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	close(in->fds[0]);
	assert_int_equal(waitpid(in->child, &status, 0), in->child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sigaction(SIGALRM, &in->old, NULL);
}

/* The control: without a retry, this set-up does fail read(2) with EINTR,
 * so the test below can tell a retrying source from one that does not. */
static void
test_the_setup_does_interrupt_a_plain_read(void **state)
{
	struct interrupted in;
	char buf[16];
	ssize_t n;
	int err;

	(void)state;
	interrupt_setup(&in);
	n = read(in.fds[0], buf, sizeof(buf));
	err = errno;
	assert_int_equal(n, -1);
	assert_int_equal(err, EINTR);
	assert_int_equal(alarms, 1);
	/* drain the child's write so it exits cleanly */
	while ((n = read(in.fds[0], buf, sizeof(buf))) == -1 && errno == EINTR)
		continue;
	assert_int_equal(n, 9);
	interrupt_teardown(&in);
}

static void
test_an_interrupted_read_is_retried(void **state)
{
	struct interrupted in;
	unsigned char buf[16];
	struct source src;
	ssize_t n;

	(void)state;
	interrupt_setup(&in);
	source_from_fd(&src, in.fds[0]);
	n = source_read(&src, buf, sizeof(buf));
	assert_int_equal(alarms, 1);		/* the handler ran ... */
	assert_int_equal(n, 9);		/* ... and the read went on */
	assert_memory_equal(buf, "late data", 9);
	assert_int_equal(src.error, 0);
	assert_int_equal(source_read(&src, buf, sizeof(buf)), 0);
	interrupt_teardown(&in);
}

static void
test_an_interrupted_read_is_retried_when_lending(void **state)
{
	const unsigned char *chunk;
	struct interrupted in;
	struct source src;
	ssize_t n;

	(void)state;
	interrupt_setup(&in);
	source_from_fd(&src, in.fds[0]);
	n = source_next(&src, &chunk);
	assert_int_equal(alarms, 1);
	assert_int_equal(n, 9);
	assert_memory_equal(chunk, "late data", 9);
	assert_int_equal(src.error, 0);
	assert_int_equal(source_next(&src, &chunk), 0);
	source_end(&src);
	interrupt_teardown(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_source_hands_out_chunks_then_end),
		cmocka_unit_test(
		    test_memory_source_chunk_zero_is_the_whole_input),
		cmocka_unit_test(
		    test_memory_source_never_exceeds_the_callers_buffer),
		cmocka_unit_test(
		    test_memory_source_of_one_byte_chunks_keeps_every_byte),
		cmocka_unit_test(test_empty_memory_source_is_at_end),
		cmocka_unit_test(test_fd_source_reads_a_pipe_to_its_end),
		cmocka_unit_test(test_fd_source_reads_a_file),
		cmocka_unit_test(
		    test_fd_source_reports_a_read_error_with_errno),
		cmocka_unit_test(test_the_setup_does_interrupt_a_plain_read),
		cmocka_unit_test(test_an_interrupted_read_is_retried),
		cmocka_unit_test(
		    test_next_lends_memory_in_place_chunk_by_chunk),
		cmocka_unit_test(test_next_lends_whole_memory_with_chunk_zero),
		cmocka_unit_test(test_next_reads_a_pipe_to_its_end),
		cmocka_unit_test(
		    test_next_hands_out_a_large_file_whole_and_in_order),
		cmocka_unit_test(test_next_maps_one_window_at_a_time),
		cmocka_unit_test(test_ending_early_unmaps_the_window),
		cmocka_unit_test(
		    test_a_window_that_cannot_be_mapped_is_an_error),
		cmocka_unit_test(test_next_reads_a_large_pipe_whole_and_in_order),
		cmocka_unit_test(
		    test_a_read_past_the_first_that_fails_is_an_error),
		cmocka_unit_test(test_next_starts_where_the_descriptor_stands),
		cmocka_unit_test(test_next_of_an_empty_file_is_at_end),
		cmocka_unit_test(test_next_reports_a_read_error_with_errno),
		cmocka_unit_test(
		    test_an_interrupted_read_is_retried_when_lending),
	};

	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
