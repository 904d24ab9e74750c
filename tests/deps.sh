#!/bin/sh
# deps.sh: install what building and testing pytriage needs, when missing.
#
#   sh tests/deps.sh          C compiler, make, pkg-config, json-c, cmocka,
#                             mandoc (for the man page lint in make check),
#                             jq (golden.sh reads the corpus's expected.json),
#                             xmllint and python3 with junitparser (the JUnit
#                             XML read back in make check)
#   sh tests/deps.sh --tools  also clang with its sanitizer and libFuzzer
#                             runtime, and valgrind (make sanitize-check,
#                             valgrind-check, fuzz); bash-completion, zsh
#                             and fish (the completion tests in make check),
#                             cmark-gfm (the rendering test); Debian's
#                             pytest with pytest-xdist and
#                             pytest-rerunfailures (make real-check, which
#                             also needs pytest-reportlog: pip install
#                             pytest-reportlog)
#   sh tests/deps.sh --bench  also the peers of make bench: jq, python3,
#                             a C++ compiler with simdjson, and Go (CI does
#                             not run the bench)
#
# Looks first (command -v, pkg-config) and installs only what is missing,
# with apt-get as root or through sudo; elsewhere it names the packages.
set -eu

need=""
want() { need="$need $1"; }

command -v cc >/dev/null 2>&1 || want "gcc libc6-dev"
command -v make >/dev/null 2>&1 || want make
if command -v pkg-config >/dev/null 2>&1; then
	pkg-config --exists json-c || want libjson-c-dev
	pkg-config --exists cmocka || want libcmocka-dev
else
	want "pkg-config libjson-c-dev libcmocka-dev"
fi
command -v mandoc >/dev/null 2>&1 || want mandoc
command -v jq >/dev/null 2>&1 || want jq
command -v xmllint >/dev/null 2>&1 || want libxml2-utils
# junit_test.sh takes the first python3 with junitparser, else Debian's.
python3 -c "import junitparser" >/dev/null 2>&1 ||
    /usr/bin/python3 -c "import junitparser" >/dev/null 2>&1 ||
    want python3-junitparser
if [ "${1:-}" = "--tools" ]; then
	command -v clang >/dev/null 2>&1 || want clang
	# libFuzzer and the sanitizer runtimes of Debian's clang 14.
	ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
	    >/dev/null 2>&1 || want libclang-rt-14-dev
	command -v valgrind >/dev/null 2>&1 || want valgrind
	command -v cmark-gfm >/dev/null 2>&1 || want cmark-gfm
	[ -f /usr/share/bash-completion/bash_completion ] ||
	    want bash-completion
	command -v zsh >/dev/null 2>&1 || want zsh
	command -v fish >/dev/null 2>&1 || want fish
	[ -x /usr/bin/pytest ] || want python3-pytest
	/usr/bin/python3 -c 'import xdist' >/dev/null 2>&1 ||
	    want python3-pytest-xdist
	/usr/bin/python3 -c 'import pytest_rerunfailures' >/dev/null 2>&1 ||
	    want python3-pytest-rerunfailures
fi
if [ "${1:-}" = "--bench" ]; then
	command -v jq >/dev/null 2>&1 || want jq
	command -v python3 >/dev/null 2>&1 || want python3
	command -v c++ >/dev/null 2>&1 || want g++
	pkg-config --exists simdjson 2>/dev/null || want libsimdjson-dev
	command -v go >/dev/null 2>&1 || want golang-go
fi

[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps.sh: please install:$need" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: no apt-get here; please install the equivalents of:$need" >&2
	exit 1
fi
echo "deps.sh: installing:$need"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends $need >/dev/null
