# harness.sh: the start that examples.sh, run_test.sh and run_real.sh
# share.  POSIX sh, sourced; me names the harness in its messages:
#
#	me=run_test
#	. "$(dirname "$0")/harness.sh"
#	binary_arg "$@"
#	scratch

# shellcheck shell=sh disable=SC2034,SC2154 # the harness's own variables

# The one argument is the binary under test: pytriage gets its absolute
# path, root the project's top directory.  Anything else exits 2.
binary_arg() {	# "$@" of the harness
	if [ $# -ne 1 ]; then
		echo "usage: sh tests/$me.sh PYTRIAGE" >&2
		exit 2
	fi
	pytriage=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") || exit 2
	root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
	if [ ! -x "$pytriage" ]; then
		echo "$me: $pytriage: not executable" >&2
		exit 2
	fi
}

# tmp: a new directory, by its physical path, removed when the harness
# exits; a signal ends the harness with exit 1.
scratch() {
	tmp=$(mktemp -d) || exit 2
	tmp=$(cd "$tmp" && pwd -P) || exit 2
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' HUP INT TERM
}

