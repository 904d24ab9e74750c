# harness.sh: the start that examples.sh, run_test.sh and run_real.sh
# share, and what a case of run_test.sh and of run_real.sh does alike:
# its checks, a signal to pytriage, its tally.  POSIX sh, sourced; me
# names the harness in its messages:
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

# --- a case -----------------------------------------------------------------
#
# A case sets name and empties bad; pytriage's exit status is in rc, its
# stderr in the file $err.  A failed check adds a line to bad; case_tally
# counts the case in passed or failed and shows what failed.

# A failed check: said at once, the case's stderr shown at the end.
no() {
	bad="$bad
    $*"
}

# SIG to pytriage, started in the background as bg; its exit status,
# once it has ended, in rc.
signal_bg() {	# SIG
	kill -"$1" "$bg"
	wait "$bg" 2>/dev/null
	rc=$?
}

want_rc() {	# STATUS
	[ "$rc" -eq "$1" ] || no "exit status $rc, want $1"
}

# pytriage's last line on stderr starts so.
want_last() {	# TEXT
	last=$(grep '^pytriage: ' "$err" | tail -n 1)
	case $last in
	"$1"*) ;;
	*) no "last line '$last', want '$1...'" ;;
	esac
}

# stderr holds this text.
want_text() {	# TEXT
	grep -qF -e "$1" "$err" || no "stderr does not say '$1'"
}

# The case's verdict: every check passed, or what did not and the end of
# its stderr.
case_tally() {
	if [ -z "$bad" ]; then
		passed=$((passed + 1))
		return
	fi
	failed=$((failed + 1))
	echo "FAIL: $name:$bad"
	sed 's/^/    | /' "$err" | tail -n 15
}
