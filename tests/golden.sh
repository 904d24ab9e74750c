#!/bin/sh
# golden.sh: end-to-end golden tests of the pytriage binary.
#
# usage: sh tests/golden.sh PYTRIAGE
#
# Each tests/golden/NAME.sh is one command.  It runs with sh, in the
# directory testdata/, with stdin from /dev/null, LC_ALL=C and $PYTRIAGE
# set to the absolute path of the binary under test.  Its stdout, stderr
# and exit status must equal NAME.out, NAME.err and NAME.rc (the status
# as a decimal number and a newline) byte for byte.
#
# GOLDEN_UPDATE=1 writes those three files from what the binary does
# instead of comparing.  It is a drafting aid only: read every file it
# writes and check it against the contract (issue 2, pytriage(1)) before
# committing it.

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: sh tests/golden.sh PYTRIAGE" >&2
	exit 2
fi

bin=$1
case $bin in
/*) ;;
*/*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
*) if [ -f "$bin" ]; then bin=$(pwd)/$bin; else bin=$(command -v "$bin"); fi ;;
esac
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
	echo "golden: $1: not an executable file" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
golden=$here/golden
data=$(cd "$here/../testdata" && pwd) || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

LC_ALL=C
PYTRIAGE=$bin
export LC_ALL PYTRIAGE

# Does the file hold a NUL byte?
has_nul() {
	! tr -d '\000' <"$1" | cmp -s - "$1"
}

# Show how an actual file differs from the expected one.
show_diff() {
	if has_nul "$1" || has_nul "$2"; then
		od -An -c "$1" >"$tmp/od.expected"
		od -An -c "$2" >"$tmp/od.actual"
		diff -u "$tmp/od.expected" "$tmp/od.actual" |
		    sed -e '1s/^--- .*/--- expected (od -c)/' \
		    -e '2s/^+++ .*/+++ actual (od -c)/'
	else
		diff -u "$1" "$2" |
		    sed -e '1s/^--- .*/--- expected/' \
		    -e '2s/^+++ .*/+++ actual/'
	fi
}

passed=0
failed=0
for t in "$golden"/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	(cd "$data" && sh "$t") <"/dev/null" >"$tmp/out" 2>"$tmp/err"
	echo "$?" >"$tmp/rc"

	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		for ext in out err rc; do
			if ! cmp -s "$tmp/$ext" "$golden/$name.$ext"; then
				cp "$tmp/$ext" "$golden/$name.$ext"
				echo "golden: wrote $name.$ext (read it before committing)"
			fi
		done
		passed=$((passed + 1))
		continue
	fi

	bad=
	for ext in rc out err; do
		if [ ! -f "$golden/$name.$ext" ]; then
			bad="$bad $ext"
			echo "FAIL $name: $name.$ext is missing"
		elif ! cmp -s "$golden/$name.$ext" "$tmp/$ext"; then
			bad="$bad $ext"
			echo "FAIL $name: $ext differs"
			show_diff "$golden/$name.$ext" "$tmp/$ext"
		fi
	done
	if [ -n "$bad" ]; then
		echo "  command: $(cat "$t")"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done

echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
