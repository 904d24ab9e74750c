#!/bin/sh
# Run the examples of README.md and man/pytriage.1 against a stub pytest.
#
# usage: sh tests/examples.sh PYTRIAGE
#
# An example is marked where a reader does not see the mark:
#   README.md       a fenced block whose info string is
#                   "LANG example NAME [needs-pytest-8.2]" (LANG: sh, bash,
#                   make, yaml); a renderer reads only the first word;
#   man/pytriage.1  the comment line
#                   '.\" example: NAME LANG [needs-pytest-8.2]'
#                   right before a .Bd -literal block.
#
# Each example runs as written, in an empty directory, with the stub
# (tests/stub/pytest) first on PATH and PYTRIAGE next; an sh example under
# sh (dash on Debian) and under bash, a bash one under bash, a make one as
# the Makefile of `make`, a yaml one (a CI step) as the shell commands of
# its command: and run: keys, one after the other, under bash -e, as
# Buildkite and GitHub Actions run them, with GITHUB_STEP_SUMMARY set.  It runs against every scenario below, under
# both pytest versions the stub plays (7.2 and 8.2) unless it says it needs
# pytest 8.2.  It must end with the status the scenario calls for, and the
# stub's record must show the retry ran only when it should, with exactly
# the failed node IDs of the contract (testdata/*/NAME/expected.json, not
# pytriage's output) and with the first run's options.
#
# An example that runs "pytriage run" gets the same scenarios with the
# stub keeping pytest's cache: its retry must run the first run's
# arguments (but for its own report) with --last-failed, from the same
# directory, and find exactly the contract's failed node IDs in the cache.
#
# An example that needs pytest 8.2 also runs under 7.2, where its retry
# must fail the step: pytest 7.2 exits 4 on @file, never a false pass.

me=examples
# shellcheck source=SCRIPTDIR/harness.sh
. "$(dirname "$0")/harness.sh"
binary_arg "$@"

scratch
unset PYTEST_ARGS MAKEFLAGS MAKELEVEL MFLAGS

passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# --- the examples ---------------------------------------------------------

mkdir "$tmp/ex" "$tmp/bin"
ln -s "$root/tests/stub/pytest" "$tmp/bin/pytest"
ln -s "$root/tests/stub/pytest" "$tmp/bin/python3"
ln -s "$pytriage" "$tmp/bin/pytriage"

# Writes ex/K.body for the K-th example and a line "K SOURCE NAME LANG
# ATTRS..." to ex/list; marker faults go to ex/errors.
awk -v dir="$tmp/ex" '
function out(line) { print line > (dir "/" n ".body") }
function begin(name, lang, first,    i, list) {
	n++
	list = n " " src " " name " " lang
	for (i = first; i <= nw; i++)
		list = list " " w[i]
	print list > (dir "/list")
	printf "" > (dir "/" n ".body")
	inblock = 1
}
function finish() {
	close(dir "/" n ".body")
	inblock = 0
}
function decode(s,    r, i, c) {
	r = ""
	while ((i = index(s, "\\")) > 0) {
		r = r substr(s, 1, i - 1)
		s = substr(s, i + 1)
		c = substr(s, 1, 1)
		if (c == "e") { r = r "\\"; s = substr(s, 2) }
		else if (c == "-") { r = r "-"; s = substr(s, 2) }
		else if (c == "&") { s = substr(s, 2) }
		else if (substr(s, 1, 3) == "(dq") { r = r "\""; s = substr(s, 4) }
		else if (substr(s, 1, 3) == "(aq") { r = r "'\''"; s = substr(s, 4) }
		else if (substr(s, 1, 3) == "(ga") { r = r "`"; s = substr(s, 4) }
		else {
			print src ":" FNR ": escape \\" c \
			    " in an example" > (dir "/errors")
			r = r "\\"
		}
	}
	return r s
}
function unclosed() {
	if (inblock)
		print src ": an example block is not closed" > (dir "/errors")
	if (pending)
		print src ":" pending ": example mark at the end" > (dir "/errors")
}
FNR == 1 {
	unclosed()
	inblock = 0
	pending = 0
	src = FILENAME
	sub(/.*\//, "", src)
}
# README.md
FILENAME ~ /\.md$/ && !inblock && /^```[a-z]+ example( |$)/ {
	nw = split(substr($0, 4), w, " ")
	if (nw < 3) {
		print src ":" FNR ": example without a name" > (dir "/errors")
		next
	}
	begin(w[3], w[1], 4)
	next
}
FILENAME ~ /\.md$/ && inblock && /^```$/ { finish(); next }
FILENAME ~ /\.md$/ && inblock && /^```/ {
	print src ":" FNR ": a fence opens inside an example" > (dir "/errors")
	finish()
	next
}
FILENAME ~ /\.md$/ && inblock { out($0); next }
# man/pytriage.1
FILENAME !~ /\.md$/ && /^\.\\" example:/ {
	nw = split(substr($0, length(".\\\" example:") + 1), w, " ")
	if (nw < 2) {
		print src ":" FNR ": example without NAME LANG" > (dir "/errors")
		next
	}
	pending = FNR
	next
}
FILENAME !~ /\.md$/ && pending {
	if ($0 !~ /^\.Bd -literal/) {
		print src ":" pending ": example mark not followed by " \
		    ".Bd -literal" > (dir "/errors")
		pending = 0
		next
	}
	pending = 0
	begin(w[1], w[2], 3)
	next
}
FILENAME !~ /\.md$/ && inblock && /^\.Ed/ { finish(); next }
FILENAME !~ /\.md$/ && inblock {
	if ($0 ~ /^[.'\'']/)
		print src ":" FNR ": a macro line in an example" > (dir "/errors")
	out(decode($0))
	next
}
END { unclosed() }
' "$root/README.md" "$root/man/pytriage.1"

if [ -s "$tmp/ex/errors" ]; then
	while IFS= read -r e; do fail "$e"; done < "$tmp/ex/errors"
fi
touch "$tmp/ex/list"
for src in README.md pytriage.1; do
	if ! grep -q "^[0-9]* $src " "$tmp/ex/list"; then
		fail "no example found in $src"
	fi
done

# --- the scenarios --------------------------------------------------------
#
# Run 1 is the CI step's first pytest run, run 2 its retry; each writes the
# real report and reportlog file of a testdata case and exits with that
# case's exit status.

mkdir "$tmp/scenarios"
scenario_run() {	# SCENARIO N CASE
	d=$tmp/scenarios/$1
	mkdir -p "$d"
	cp "$root/testdata/corpus/$3/exit_status" "$d/run$2.status"
	cp "$root/testdata/corpus/$3/report.json" "$d/run$2.report"
	cp "$root/testdata/logs/$3/log.jsonl" "$d/run$2.log"
	cmp -s "$root/testdata/corpus/$3/exit_status" \
	    "$root/testdata/logs/$3/exit_status" ||
	    fail "testdata $3: corpus and logs disagree on the exit status"
}
# Run N reruns CASE and passes: the same tests, the failed ones passing
# now, so that a judge of both attempts finds every test it retried.
passing_rerun() {	# SCENARIO N CASE
	d=$tmp/scenarios/$1
	mkdir -p "$d"
	echo 0 > "$d/run$2.status"
	jq -c 'if ."$report_type" == "SessionFinish" then .exitstatus = 0
	    elif .outcome == "failed" then .outcome = "passed" |
	    .longrepr = null else . end' "$root/testdata/logs/$3/log.jsonl" \
	    > "$d/run$2.log" &&
	jq 'map(if .result == "failed" then .result = "passed" |
	    del(.failure_reason, .failure_expanded) else . end)' \
	    "$root/testdata/corpus/$3/report.json" > "$d/run$2.report" ||
	    fail "testdata $3: no passing rerun made (jq)"
}
# passed: all pass, nothing to retry.
scenario_run passed 1 01_all_pass
# retry-passes: failures, then the retry passes.
scenario_run retry-passes 1 02_some_failures
passing_rerun retry-passes 2 02_some_failures
# retry-fails: failures, and the retry fails again.
scenario_run retry-fails 1 02_some_failures
scenario_run retry-fails 2 02_some_failures
# collection-error: collection errors with exit status 1, as under xdist
# (or --continue-on-collection-errors): terminal, no retry.
scenario_run collection-error 1 07b_collection_error_continue
# interrupted: exit status 2: terminal, no retry.
scenario_run interrupted 1 10_keyboard_interrupt
scenarios="passed retry-passes retry-fails collection-error interrupted"

# The same for pytriage run, whose retries are pytest's --last-failed:
# the stub's retry runs the failed tests of its cache, which pass or fail.
for s in $scenarios; do
	mkdir -p "$tmp/scenarios-run/$s"
	cp "$tmp/scenarios/$s/run1."* "$tmp/scenarios-run/$s/"
done
echo pass > "$tmp/scenarios-run/retry-passes/run2.retry"
for n in 2 3 4 5 6 7 8 9; do
	echo fail > "$tmp/scenarios-run/retry-fails/run$n.retry"
done

# The selectors the contract gives for a case, NUL-terminated.
selectors() {	# DIR/expected.json
	awk '
	/"selectors": \[\]/ { exit }
	/"selectors": \[/ { on = 1; next }
	on && /^ *\]/ { exit }
	on {
		if (index($0, "\\") > 0) { print "escape" > "/dev/stderr"; exit 1 }
		sub(/^ *"/, ""); sub(/",?$/, ""); print
	}' "$1" | while IFS= read -r s; do printf '%s\000' "$s"; done
}
selectors "$root/testdata/corpus/02_some_failures/expected.json" \
    > "$tmp/selectors.json"
selectors "$root/testdata/logs/02_some_failures/expected.json" \
    > "$tmp/selectors.log"
if [ ! -s "$tmp/selectors.json" ] || [ ! -s "$tmp/selectors.log" ]; then
	fail "no selectors read from testdata/*/02_some_failures/expected.json"
fi

# --- running them ---------------------------------------------------------

if command -v timeout >/dev/null; then
	limit="timeout 60"
else
	limit=
fi

# The shell commands of a CI step in YAML: the value of each command: or
# run: key, plain on its line or a literal block (|).
yaml_commands() {
	awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	block && /^ *$/ { print ""; next }
	block && indent($0) > keyind {
		if (!bodyind) bodyind = indent($0)
		print substr($0, bodyind + 1)
		next
	}
	{ block = 0 }
	/^[ -]*(command|run): *\|[-+]? *$/ {
		block = 1
		bodyind = 0
		match($0, /^[ -]*/)
		keyind = RLENGTH
		next
	}
	/^[ -]*(command|run): / {
		sub(/^[ -]*(command|run): */, "")
		print
	}'
}

# Run one example; its status in $rc, its output in $tmp/out.
run() {		# BODY LANG SHELL VERSION SCENARIO KIND
	runs=$tmp/scenarios/$5
	[ "$6" = run ] && runs=$tmp/scenarios-run/$5
	w=$tmp/work
	rm -rf "$w" "$tmp/state"
	mkdir "$w" "$tmp/state"
	case $2 in
	make)	cp "$1" "$w/Makefile"; cmd="make" ;;
	yaml)	yaml_commands < "$1" > "$w/example.sh"
		cmd="bash -e example.sh" ;;
	*)	cp "$1" "$w/example.$2"; cmd="$3 example.$2" ;;
	esac
	# $limit and $cmd are split into words on purpose.
	(cd "$w" && PATH="$tmp/bin:$PATH" STUB_RUNS="$runs" \
	    STUB_STATE="$tmp/state" STUB_PYTEST_VERSION=$4 \
	    GITHUB_STEP_SUMMARY="$w/step_summary.md" \
	    exec $limit $cmd) </dev/null >"$tmp/out" 2>&1
	rc=$?
}

# pytriage run's retry: run 1's arguments with its own report and
# --last-failed, from the same directory, finding the contract's failed
# tests in the cache.  Says what is wrong, or nothing.
check_last_failed() {
	tr '\0' '\n' < "$tmp/state/run1.argv" | sed 's,/a1\.json,/a2.json,' |
	    awk '{ print }
	    /^--override-ini=cache_dir=/ {
		print "--last-failed"
		print "--last-failed-no-failures=none"
	    }' > "$tmp/want2"
	tr '\0' '\n' < "$tmp/state/run2.argv" > "$tmp/got2"
	tr '\0' '\n' < "$tmp/selectors.log" | sort > "$tmp/want.lf"
	jq -r '.[]' "$tmp/state/run2.lastfailed" | sort > "$tmp/got.lf"
	if ! cmp -s "$tmp/want2" "$tmp/got2"; then
		echo "the retry's arguments differ: [$(tr '\n' ' ' \
		    < "$tmp/want2")] then [$(tr '\n' ' ' < "$tmp/got2")]"
	elif ! cmp -s "$tmp/state/run1.cwd" "$tmp/state/run2.cwd"; then
		echo "the retry ran in another directory"
	elif ! cmp -s "$tmp/want.lf" "$tmp/got.lf"; then
		echo "the retry's cache held: $(tr '\n' ' ' < "$tmp/got.lf")"
	fi
}

# Check one run against what the scenario calls for.
check() {	# WHAT SCENARIO KIND VERSION NEEDS82
	runs=0
	[ -f "$tmp/state/count" ] && runs=$(cat "$tmp/state/count")
	why=
	# Each run may write its report to a file of its own: the file's
	# name is not an option the retry must repeat.
	for f in "$tmp/state/run1.opts" "$tmp/state/run2.opts"; do
		[ -f "$f" ] || continue
		tr '\0' '\n' < "$f" |
		    sed -e 's/^--report-log=.*/--report-log=FILE/' \
		    -e 's/^--json=.*/--json=FILE/' | tr '\n' '\0' > "$f.x" &&
		    mv "$f.x" "$f"
	done
	case $2 in
	passed)
		want_runs=1 want_rc=0 ;;
	retry-passes)
		want_runs=2 want_rc=0 ;;
	retry-fails)
		want_runs=2 want_rc=nonzero
		# pytriage run retries as often as it is told.
		[ "$3" = run ] && want_runs=$((1 + retries)) ;;
	*)
		want_runs=1 want_rc=nonzero ;;
	esac
	# pytest 7.2 cannot read @file: the retry exits 4 and fails the step.
	stopped_at_argfile=no
	if [ "$5" = yes ] && [ "$4" = 7.2 ] && [ "$want_runs" = 2 ]; then
		want_rc=nonzero
		stopped_at_argfile=yes
	fi
	if [ "$want_rc" = 0 ] && [ "$rc" -ne 0 ]; then
		why="exit status $rc, want 0"
	elif [ "$want_rc" = nonzero ] && [ "$rc" -eq 0 ]; then
		why="exit status 0, want non-zero"
	elif [ "$runs" -ne "$want_runs" ]; then
		why="pytest ran $runs times, want $want_runs"
	elif [ "$want_runs" -ge 2 ] && [ "$3" = run ]; then
		why=$(check_last_failed)
	elif [ "$want_runs" = 2 ] && [ "$stopped_at_argfile" = no ]; then
		if ! cmp -s "$tmp/state/run2.pos" "$tmp/selectors.$3"; then
			why="the retry's node IDs are not the failed tests: $(
			    tr '\0' ' ' < "$tmp/state/run2.pos")"
		elif ! cmp -s "$tmp/state/run1.opts" "$tmp/state/run2.opts"
		then
			why="the retry's options differ: [$(tr '\0' ' ' \
			    < "$tmp/state/run1.opts")] then [$(tr '\0' ' ' \
			    < "$tmp/state/run2.opts")]"
		fi
	fi
	if [ -n "$why" ]; then
		fail "$1: $why"
		sed 's/^/    | /' "$tmp/out" | tail -n 15
	else
		passed=$((passed + 1))
	fi
}

while read -r k src name lang attrs; do
	body=$tmp/ex/$k.body
	where="$src $name"
	needs82=no
	for a in $attrs; do
		case $a in
		needs-pytest-8.2) needs82=yes ;;
		*) fail "$where: unknown attribute '$a'"; continue 2 ;;
		esac
	done
	case $lang in
	sh)	shells="sh bash" ;;
	bash)	shells=bash ;;
	make)	shells="make" ;;
	yaml)	shells="bash" ;;
	*)	fail "$where: unknown language '$lang'"; continue ;;
	esac
	retries=$(sed -n 's/.*--retries=\([0-9]\).*/\1/p' "$body")
	retries=${retries:-1}
	if grep -q -e 'pytriage run' "$body"; then
		kind=run
	elif grep -q -e '--report-log' "$body"; then
		kind=log
	elif grep -q -e '--json' "$body"; then
		kind=json
	else
		fail "$where: writes neither --report-log nor --json, nor runs pytriage run"
		continue
	fi
	for sh in $shells; do
		for v in 7.2 8.2; do
			for s in $scenarios; do
				what="$where [$sh, pytest $v, $s]"
				run "$body" "$lang" "$sh" "$v" "$s" "$kind"
				check "$what" "$s" "$kind" "$v" "$needs82"
			done
		done
	done
done < "$tmp/ex/list"

echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
