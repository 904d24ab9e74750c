# pytriage: triage a pytest run from its report (pytest-reportlog's log
# or the Buildkite collector's report).  See README.md.  Honours CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, DESTDIR.

VERSION    = 1.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC        ?= cc
CFLAGS    ?= -O2 -g

# What the code needs, whatever CFLAGS a builder brings.
WARN       = -std=c11 -Wall -Wextra -Wpedantic
JSONC_CFLAGS := $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null)
JSONC_LIBS   := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null || echo -ljson-c)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)
ALL_CPPFLAGS = -D_DEFAULT_SOURCE -DPYTRIAGE_VERSION='"$(VERSION)"' -Isrc \
	       $(JSONC_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(CFLAGS)

LIB_OBJS = src/reader.o src/scan.o src/collector.o src/reportlog.o \
	   src/logstate.o src/record.o src/refread.o src/tally.o \
	   src/siphash.o src/nodeid.o src/strbuf.o src/source.o \
	   src/triage.o src/verdict.o src/rootdir.o src/output.o \
	   src/markdown.o src/github.o src/step.o src/pyargs.o
LIB_SRCS = $(LIB_OBJS:.o=.c)
# The command line: the filter's and pytriage run's.
CLI_SRCS = src/main.c src/run.c
OBJS     = $(CLI_SRCS:.c=.o) $(LIB_OBJS)
HEADERS  = src/logstate.h src/nodeid.h src/output.h src/reader.h \
	   src/record.h src/rootdir.h src/scan.h src/siphash.h src/source.h \
	   src/step.h src/strbuf.h src/tally.h src/triage.h src/verdict.h \
	   src/pyargs.h src/run.h

UNIT_TESTS = tests/unit/test_nodeid tests/unit/test_tally \
	     tests/unit/test_verdict tests/unit/test_report \
	     tests/unit/test_output tests/unit/test_source \
	     tests/unit/test_strbuf tests/unit/test_alloc \
	     tests/unit/test_rootdir tests/unit/test_markdown \
	     tests/unit/test_github tests/unit/test_reportlog \
	     tests/unit/test_triage tests/unit/test_scan \
	     tests/unit/test_pyargs
TOOLS      = tests/tools/difftest tests/tools/maxrss tests/tools/mkreport \
	     tests/tools/mdsample
# The same program and differential test with the scanner's portable way
# forced (scan.h), so that both of its ways run the end-to-end tests.
PORTABLE   = tests/tools/portable/pytriage tests/tools/difftest-portable
OTHER_WAYS = -DPYTRIAGE_PORTABLE_SCAN
TEST_HEADERS = tests/tools/capture.h tests/unit/unit.h

all: pytriage

pytriage: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(JSONC_LIBS)

src/%.o: src/%.c $(HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

libpytriage.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

tests/unit/%: tests/unit/%.c libpytriage.a $(HEADERS) $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -o $@ $< libpytriage.a $(CMOCKA_LIBS) $(JSONC_LIBS)

# The tests of the lowest layers link only the objects they need, not
# libpytriage.a: one that called up into a reader, the triage or a writer
# would not link.
LOW_TESTS = tests/unit/test_strbuf tests/unit/test_nodeid \
	    tests/unit/test_source tests/unit/test_scan tests/unit/test_tally \
	    tests/unit/test_pyargs
tests/unit/test_strbuf: src/strbuf.o
tests/unit/test_nodeid: src/nodeid.o src/strbuf.o
tests/unit/test_source: src/source.o
tests/unit/test_scan: src/scan.o src/source.o src/strbuf.o
tests/unit/test_tally: src/tally.o src/siphash.o src/nodeid.o src/strbuf.o
tests/unit/test_pyargs: src/pyargs.o src/nodeid.o src/strbuf.o
$(LOW_TESTS): %: %.c $(HEADERS) $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -o $@ $< $(filter src/%.o,$^) $(CMOCKA_LIBS)

# Forks the fast reader between chunks to check thousands of prefixes in
# one reading: source_next wrapped at link time.
tests/tools/difftest: tests/tools/difftest.c libpytriage.a $(HEADERS) \
	    $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -Wl,--wrap=source_next \
	    -o $@ tests/tools/difftest.c libpytriage.a $(JSONC_LIBS)

# Counts allocations: malloc, calloc and realloc wrapped at link time.
tests/unit/test_alloc: tests/unit/test_alloc.c libpytriage.a $(HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	    -o $@ $< libpytriage.a $(CMOCKA_LIBS) $(JSONC_LIBS)

# Fails realloc on demand: realloc wrapped at link time.
tests/unit/test_rootdir: tests/unit/test_rootdir.c libpytriage.a $(HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -Wl,--wrap=realloc \
	    -o $@ $< libpytriage.a $(CMOCKA_LIBS) $(JSONC_LIBS)

tests/tools/portable/pytriage: $(CLI_SRCS) $(LIB_SRCS) $(HEADERS)
	@mkdir -p tests/tools/portable
	$(CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(ALL_CFLAGS) \
	    $(LDFLAGS) -o $@ $(CLI_SRCS) $(LIB_SRCS) $(JSONC_LIBS)

tests/tools/difftest-portable: tests/tools/difftest.c $(LIB_SRCS) $(HEADERS) \
	    $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(ALL_CFLAGS) \
	    $(LDFLAGS) -Wl,--wrap=source_next -o $@ tests/tools/difftest.c \
	    $(LIB_SRCS) $(JSONC_LIBS)

tests/tools/%: tests/tools/%.c libpytriage.a $(HEADERS) $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -o $@ $< libpytriage.a $(JSONC_LIBS)

# Everything make check runs: unit tests, the man page lint, golden
# end-to-end tests of the real binary, the differential test of the two
# readers (both again with the scanner's portable way), the hostile-input and fault tests, the rendered markdown,
# the shell completions, the documentation's examples and pytriage run
# against a stub pytest.
check: pytriage $(UNIT_TESTS) $(TOOLS) $(PORTABLE)
	@for t in $(UNIT_TESTS); do echo "== $$t"; ./$$t || exit 1; done
	@echo "== mandoc -Tlint man/pytriage.1"
	@if command -v mandoc >/dev/null; then \
	    out=$$(mandoc -Tlint -W warning man/pytriage.1 2>&1); \
	    if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	else echo "mandoc not installed: run sh tests/deps.sh"; exit 1; fi
	@sh tests/golden.sh ./pytriage
	@sh tests/difftest.sh ./tests/tools/difftest
	@echo "== the scanner's portable way"
	@sh tests/golden.sh ./tests/tools/portable/pytriage
	@DIFFTEST_SCALE=small sh tests/difftest.sh ./tests/tools/difftest-portable
	@sh tests/system_test.sh ./pytriage
	@sh tests/render_test.sh --sample ./tests/tools/mdsample
	@sh tests/render_test.sh --binary ./pytriage
	@sh tests/completion.sh
	@sh tests/examples.sh ./pytriage
	@sh tests/run_test.sh ./pytriage

# pytriage run against the real pytest on small suites with trouble put
# in; skipped, saying why, where pytest-reportlog is not importable.
real-check: pytriage
	sh tests/run_real.sh ./pytriage

# make check again, built with AddressSanitizer and UBSan (gcc or clang).
# Peak-RSS bounds are not asserted there: the sanitizers' shadow memory
# is not pytriage's; plain make check asserts them.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	    -fno-sanitize-recover=all
sanitize-check:
	$(MAKE) clean
	PYTRIAGE_SANITIZED=1 SYSTEM_TEST_SCALE=small DIFFTEST_SCALE=small \
	    $(MAKE) CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check
	$(MAKE) clean

# The end-to-end suites with every run of the binary under memcheck.
valgrind-check: pytriage tests/tools/maxrss tests/tools/mkreport \
	    tests/tools/portable/pytriage
	PYTRIAGE_REAL="$(CURDIR)/pytriage" sh tests/golden.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/tests/tools/portable/pytriage" \
	    sh tests/golden.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/pytriage" PYTRIAGE_SANITIZED=1 \
	    SYSTEM_TEST_SCALE=small sh tests/system_test.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/pytriage" sh tests/run_test.sh tests/valgrind.sh

# libFuzzer targets (clang): the whole triage path, a step of several
# attempts, and the fast reader against json-c.  Seeds come from testdata/.
FUZZ_CC      = clang
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined
FUZZ_SECONDS = 60
FUZZERS      = tests/tools/fuzz_triage tests/tools/fuzz_step \
	       tests/tools/fuzz_diff tests/tools/fuzz_diff_portable \
	       tests/tools/fuzz_pyargs

tests/tools/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(HEADERS) $(TEST_HEADERS)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(WARN) $(FUZZ_CFLAGS) -o $@ $< \
	    $(LIB_SRCS) $(JSONC_LIBS)

tests/tools/fuzz_diff_portable: tests/fuzz/fuzz_diff.c $(LIB_SRCS) $(HEADERS) \
	    $(TEST_HEADERS)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(WARN) \
	    $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(JSONC_LIBS)

fuzz: $(FUZZERS)
	sh tests/fuzz.sh $(FUZZ_SECONDS)

sample: pytriage
	./pytriage 1 testdata/logs/30_teardown_error_function_fixture/log.jsonl

bench: pytriage
	@sh tests/bench/bench.sh

# Shell completions, where bash-completion, zsh and fish look for them.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

install: pytriage
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 pytriage $(DESTDIR)$(BINDIR)/pytriage
	install -m 644 man/pytriage.1 $(DESTDIR)$(MANDIR)/man1/pytriage.1
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 completions/pytriage.bash $(DESTDIR)$(BASHCOMPDIR)/pytriage
	install -m 644 completions/_pytriage $(DESTDIR)$(ZSHCOMPDIR)/_pytriage
	install -m 644 completions/pytriage.fish \
	    $(DESTDIR)$(FISHCOMPDIR)/pytriage.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pytriage $(DESTDIR)$(MANDIR)/man1/pytriage.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/pytriage $(DESTDIR)$(ZSHCOMPDIR)/_pytriage \
	    $(DESTDIR)$(FISHCOMPDIR)/pytriage.fish

clean:
	rm -f pytriage libpytriage.a src/*.o $(UNIT_TESTS) $(TOOLS) $(FUZZERS) \
	    $(PORTABLE)

.PHONY: all check real-check sanitize-check valgrind-check fuzz sample \
	bench install uninstall clean
