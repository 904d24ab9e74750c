# pytriage: triage a pytest run from its report (pytest-reportlog's log
# or the Buildkite collector's report).  See README.md; the tests and their
# targets, tests/README.md.  Honours CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX,
# DESTDIR.

VERSION    = 1.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC        ?= cc
CFLAGS    ?= -O2 -g

# O: where a build goes.  The source tree by default; the sanitizer and
# valgrind builds get a directory of their own (build/...), so that they
# never touch this one.
O ?= .
B := $(patsubst ./%,%,$(O)/)

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
	   src/markdown.o src/github.o src/junit.o src/step.o src/pyargs.o
LIB_SRCS = $(LIB_OBJS:.o=.c)
# The command line: the filter's and pytriage run's.
CLI_OBJS = src/main.o src/run.o
HEADERS  = src/logstate.h src/nodeid.h src/output.h src/reader.h \
	   src/record.h src/rootdir.h src/scan.h src/siphash.h src/source.h \
	   src/step.h src/strbuf.h src/tally.h src/triage.h src/verdict.h \
	   src/pyargs.h src/run.h
LIB      = $(B)libpytriage.a

UNIT_TESTS = $(addprefix $(B)tests/unit/,test_nodeid test_tally \
	     test_verdict test_report test_source test_strbuf test_alloc \
	     test_rootdir test_markdown test_github test_reportlog \
	     test_triage test_scan test_pyargs test_junit)
TOOLS      = $(addprefix $(B)tests/tools/,difftest maxrss mkreport mdsample)
TEST_HEADERS = tests/tools/capture.h tests/unit/unit.h

# The same program and differential test with the scanner's portable way
# forced (scan.h), so that both of its ways run the end-to-end tests.
PORT       = $(B)tests/tools/portable/
PORTABLE   = $(PORT)pytriage $(B)tests/tools/difftest-portable
OTHER_WAYS = -DPYTRIAGE_PORTABLE_SCAN

# Functions a test program replaces at link time (ld --wrap), by program.
WRAP_test_alloc   = malloc calloc realloc
WRAP_test_rootdir = realloc
WRAP_difftest     = source_next
WRAP_difftest-portable = source_next
comma := ,
wrap = $(patsubst %,-Wl$(comma)--wrap=%,$(WRAP_$(notdir $@)))

# A program of this build as a command: ./pytriage, build/sanitize/pytriage.
run = $(if $(filter /%,$(B)),,./)$(B)

all: $(B)pytriage

$(B)src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(PORT)src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(addprefix $(B),$(LIB_OBJS))
$(PORT)libpytriage.a: $(addprefix $(PORT),$(LIB_OBJS))
$(LIB) $(PORT)libpytriage.a:
	rm -f $@
	$(AR) rcs $@ $^

$(B)pytriage: $(addprefix $(B),$(CLI_OBJS)) $(LIB)
$(PORT)pytriage: $(addprefix $(PORT),$(CLI_OBJS)) $(PORT)libpytriage.a
$(B)pytriage $(PORT)pytriage:
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(JSONC_LIBS)

# Test programs: each is one source file linked with the library.
$(B)tests/unit/%: tests/unit/%.c $(LIB) $(HEADERS) $(TEST_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    $(wrap) -o $@ $< $(LIB) $(CMOCKA_LIBS) $(JSONC_LIBS)

# The tests of the lowest layers link only the objects they need, not the
# library: one that called up into a reader, the triage or a writer would
# not link.
LOW_TESTS = $(addprefix $(B)tests/unit/,test_strbuf test_nodeid \
	    test_source test_scan test_tally test_pyargs)
$(B)tests/unit/test_strbuf: $(B)src/strbuf.o
$(B)tests/unit/test_nodeid: $(B)src/nodeid.o $(B)src/strbuf.o
$(B)tests/unit/test_source: $(B)src/source.o
$(B)tests/unit/test_scan: $(B)src/scan.o $(B)src/source.o $(B)src/strbuf.o
$(B)tests/unit/test_tally: $(B)src/tally.o $(B)src/siphash.o \
	    $(B)src/nodeid.o $(B)src/strbuf.o
$(B)tests/unit/test_pyargs: $(B)src/pyargs.o $(B)src/nodeid.o \
	    $(B)src/strbuf.o
$(LOW_TESTS): $(B)tests/unit/%: tests/unit/%.c $(HEADERS) $(TEST_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CMOCKA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) \
	    -o $@ $< $(filter %.o,$^) $(CMOCKA_LIBS)

$(B)tests/tools/%: tests/tools/%.c $(LIB) $(HEADERS) $(TEST_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(wrap) -o $@ $< \
	    $(LIB) $(JSONC_LIBS)

$(B)tests/tools/difftest-portable: tests/tools/difftest.c \
	    $(PORT)libpytriage.a $(HEADERS) $(TEST_HEADERS)
	$(CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(ALL_CFLAGS) $(LDFLAGS) $(wrap) \
	    -o $@ $< $(PORT)libpytriage.a $(JSONC_LIBS)

# make check: every rule, in about a minute on two cores.  Its parts run
# side by side (CHECK_JOBS at a time, unless make was given -j), each
# part's output kept together.
CHECK_JOBS ?= 2
CHECKS = check-unit check-man check-golden check-difftest check-system \
	 check-junit check-render check-completion check-examples check-run
jobs = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(CHECK_JOBS))

check:
	@$(MAKE) --no-print-directory -O $(jobs) $(CHECKS)

check-unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do echo "== $$t"; $$t || exit 1; done

check-man:
	@echo "== mandoc -Tlint man/pytriage.1"
	@if command -v mandoc >/dev/null; then \
	    out=$$(mandoc -Tlint -W warning man/pytriage.1 2>&1); \
	    if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	else echo "mandoc not installed: run sh tests/deps.sh"; exit 1; fi

check-golden: $(B)pytriage
	@sh tests/golden.sh $(run)pytriage

# Every testdata file through both readers at every chunk size, with the
# portable scanner too; prefixes and mutants at DIFFTEST_SCALE.
DIFFTEST_SCALE = check
check-difftest difftest-check: $(B)tests/tools/difftest \
	    $(B)tests/tools/difftest-portable
	@DIFFTEST_SCALE=$(DIFFTEST_SCALE) \
	    sh tests/difftest.sh $(run)tests/tools/difftest
	@echo "== the scanner's portable way"
	@DIFFTEST_SCALE=whole sh tests/difftest.sh \
	    $(run)tests/tools/difftest-portable

SYSTEM_TEST_SCALE = check
check-system: $(B)pytriage $(TOOLS)
	@SYSTEM_TEST_SCALE=$(SYSTEM_TEST_SCALE) \
	    SYSTEM_TEST_TOOLS=$(CURDIR)/$(B)tests/tools \
	    sh tests/system_test.sh $(run)pytriage

# -f junit validated against Surefire's schema by xmllint, read back by
# junitparser and held to pytest's own --junitxml of the real attempts.
check-junit: $(B)pytriage
	@sh tests/junit_test.sh $(run)pytriage

check-render: $(B)pytriage $(B)tests/tools/mdsample
	@sh tests/render_test.sh --sample $(run)tests/tools/mdsample
	@sh tests/render_test.sh --binary $(run)pytriage

check-completion: $(B)pytriage
	@sh tests/completion.sh

check-examples: $(B)pytriage
	@sh tests/examples.sh $(run)pytriage

# pytriage run against a stub pytest.
check-run: $(B)pytriage
	@sh tests/run_test.sh $(run)pytriage

# pytriage run against the real pytest on small suites with trouble put
# in; skipped, saying why, where pytest-reportlog is not importable.
real-check: $(B)pytriage
	sh tests/run_real.sh $(run)pytriage

# The long runs: the differential test's full sweep (prefixes, mutants and
# generated inputs by the thousand; on the portable build a smaller one),
# the golden tests on the portable build, the system tests at full scale.  .ci/run runs these, the
# sanitizers, valgrind and the fuzzers.
LONG_CHECKS = long-difftest long-golden-portable long-system
long-check:
	@$(MAKE) --no-print-directory -O $(jobs) $(LONG_CHECKS)

long-difftest: $(B)tests/tools/difftest $(B)tests/tools/difftest-portable
	@sh tests/difftest.sh $(run)tests/tools/difftest
	@echo "== the scanner's portable way"
	@DIFFTEST_SCALE=small sh tests/difftest.sh \
	    $(run)tests/tools/difftest-portable

long-golden-portable: $(PORT)pytriage
	@echo "== the scanner's portable way"
	@sh tests/golden.sh $(run)tests/tools/portable/pytriage

long-system:
	@$(MAKE) --no-print-directory SYSTEM_TEST_SCALE=full check-system

# The unit, golden, differential and system tests again, built with
# AddressSanitizer and UBSan (gcc or clang) in build/sanitize.  Peak-RSS
# bounds are not asserted there: the sanitizers' shadow memory is not
# pytriage's; plain make check asserts them.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	    -fno-sanitize-recover=all
sanitize-check:
	PYTRIAGE_SANITIZED=1 $(MAKE) --no-print-directory O=build/sanitize \
	    CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    DIFFTEST_SCALE=small SYSTEM_TEST_SCALE=small \
	    CHECKS="check-unit check-golden check-difftest check-system \
	    check-junit check-run long-golden-portable" check

# The end-to-end suites with every run of the binary under memcheck, on a
# build of its own (build/valgrind): the golden tests and the system tests.
VG = build/valgrind
valgrind-check:
	$(MAKE) --no-print-directory O=$(VG) CFLAGS="-O1 -g" \
	    $(VG)/pytriage $(VG)/tests/tools/maxrss $(VG)/tests/tools/mkreport
	PYTRIAGE_REAL="$(CURDIR)/$(VG)/pytriage" GOLDEN_JOBS=2 \
	    sh tests/golden.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/$(VG)/pytriage" PYTRIAGE_SANITIZED=1 \
	    SYSTEM_TEST_SCALE=small SYSTEM_TEST_TOOLS=$(CURDIR)/$(VG)/tests/tools \
	    sh tests/system_test.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/$(VG)/pytriage" \
	    sh tests/run_test.sh tests/valgrind.sh
	PYTRIAGE_REAL="$(CURDIR)/$(VG)/pytriage" \
	    sh tests/junit_test.sh tests/valgrind.sh

# libFuzzer targets (clang): the whole triage path, a step of several
# attempts, the fast reader against json-c, and pytest's command line as
# the runner reads it.  Seeds come from testdata/.
FUZZ_CC      = clang
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=undefined
FUZZ_SECONDS = 60
FUZZERS      = tests/tools/fuzz_triage tests/tools/fuzz_step \
	       tests/tools/fuzz_diff tests/tools/fuzz_diff_portable \
	       tests/tools/fuzz_pyargs
FUZZ_HEADERS = tests/fuzz/fuzz.h

tests/tools/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(HEADERS) $(TEST_HEADERS) \
	    $(FUZZ_HEADERS)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(WARN) $(FUZZ_CFLAGS) -o $@ $< \
	    $(LIB_SRCS) $(JSONC_LIBS)

tests/tools/fuzz_diff_portable: tests/fuzz/fuzz_diff.c $(LIB_SRCS) $(HEADERS) \
	    $(TEST_HEADERS)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(OTHER_WAYS) $(WARN) \
	    $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(JSONC_LIBS)

fuzz: $(FUZZERS)
	sh tests/fuzz.sh $(FUZZ_SECONDS)

sample: $(B)pytriage
	$(run)pytriage 1 testdata/logs/30_teardown_error_function_fixture/log.jsonl

bench: $(B)pytriage
	@sh tests/bench/bench.sh

# Shell completions, where bash-completion, zsh and fish look for them.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

install: $(B)pytriage
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)pytriage $(DESTDIR)$(BINDIR)/pytriage
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
	rm -rf tests/tools/portable build

.PHONY: all check $(CHECKS) difftest-check long-check $(LONG_CHECKS) \
	real-check sanitize-check valgrind-check fuzz sample bench install \
	uninstall clean
