#!/bin/sh
# run_test.sh: pytriage run, the whole CI step, against a stub pytest
# (tests/stub/pytest) that writes real report logs from testdata/, keeps
# pytest's cache (--last-failed) and takes its arguments as pytest does.
#
# usage: sh tests/run_test.sh PYTRIAGE
#
# Every case runs under both pytest versions the stub plays (7.2 and
# 8.2), with stdin not a terminal, a TMPDIR of its own that must be
# empty afterwards, and checks the exit status, pytriage's lines on
# stderr, the summary it writes, and the stub's record of each run: how
# many ran, with which arguments, from which directory, and which failed
# tests a retry found in the cache.  Signals are tested once.

me=run_test
# shellcheck source=SCRIPTDIR/harness.sh
. "$(dirname "$0")/harness.sh"
binary_arg "$@"
if ! command -v jq >/dev/null; then
	echo "run_test: jq is not installed: run sh tests/deps.sh" >&2
	exit 2
fi

scratch
unset PYTEST_ADDOPTS PYTEST_DISABLE_PLUGIN_AUTOLOAD STUB_NO_REPORTLOG \
    STUB_NO_COLLECTOR STUB_NO_CACHEPROVIDER

mkdir "$tmp/bin"
ln -s "$root/tests/stub/pytest" "$tmp/bin/pytest"
ln -s "$root/tests/stub/pytest" "$tmp/bin/python3"
logs=$root/testdata/logs

passed=0
failed=0
version=7.2

# --- helpers ---------------------------------------------------------------

# A fresh case: c is its directory; runs/ scripts the stub, state/ is the
# stub's record, work/ the checkout, tmp/ the TMPDIR, err pytriage's
# stderr.
new_case() {	# NAME
	name="$1 [pytest $version]"
	c=$tmp/case
	err=$c/err
	rm -rf "$c"
	mkdir -p "$c/runs" "$c/state" "$c/work" "$c/tmp"
	sub=
	bad=
}

# Run N plays testdata/logs/CASE: its log, report and exit status.
script_run() {	# N CASE
	cp "$logs/$2/log.jsonl" "$c/runs/run$1.log"
	cp "$logs/$2/exit_status" "$c/runs/run$1.status"
	if [ -f "$logs/$2/report.json" ]; then
		cp "$logs/$2/report.json" "$c/runs/run$1.report"
	fi
}

# Run N is a retry whose failed tests pass ("pass"), fail ("fail"), or
# pass when listed (a JSON array).
script_retry() {	# N pass|fail|JSON
	printf '%s\n' "$2" > "$c/runs/run$1.retry"
}

# A log of these node IDs (JSON array), each with this outcome; exit
# status 1 when any failed.
make_log() {	# IDS OUTCOME > FILE
	jq -a -c -n --argjson ids "$1" --arg o "$2" '
	    def line($id; $when; $o): {nodeid: $id,
	        location: [($id | split("::")[0]), 0, $id], keywords: {},
	        outcome: $o, longrepr: (if $o == "failed" then "E   boom"
	        else null end), when: $when, user_properties: [],
	        sections: [], duration: 0.001, "$report_type": "TestReport"};
	    {"pytest_version": "7.2.1", "$report_type": "SessionStart"},
	    ($ids[] | line(.; "setup"; "passed"), line(.; "call"; $o),
	        line(.; "teardown"; "passed")),
	    {exitstatus: (if $o == "failed" then 1 else 0 end),
	        "$report_type": "SessionFinish"}'
}

# pytriage run ARGS in work/ (or work/$sub), stdin /dev/null: status in
# rc, stdout in out, stderr in err.
run() {
	(cd "$c/work${sub:+/$sub}" && PATH="$tmp/bin:$PATH" \
	    STUB_RUNS="$c/runs" STUB_STATE="$c/state" TMPDIR="$c/tmp" \
	    STUB_PYTEST_VERSION=$version exec "$pytriage" run "$@") \
	    </dev/null >"$c/out" 2>"$err"
	rc=$?
}

# The case's verdict: every check passed, or what did not.
done_case() {
	if [ -n "$(ls -A "$c/tmp")" ]; then
		no "TMPDIR not empty afterwards: $(ls -A "$c/tmp")"
	fi
	case_tally
}

runs() {
	if [ -f "$c/state/count" ]; then cat "$c/state/count"; else echo 0; fi
}

want_runs() {	# N
	[ "$(runs)" -eq "$1" ] || no "pytest ran $(runs) times, want $1"
}

# stderr holds this line.
want_line() {	# LINE
	grep -qxF -e "$1" "$err" || no "no line '$1' on stderr"
}

# The summary written with -w json:out.json says this (a jq filter).
want_json() {	# FILTER EXPECTED
	got=$(jq -c "$1" "$c/work${sub:+/$sub}/out.json" 2>&1)
	[ "$got" = "$2" ] || no "out.json $1: $got, want $2"
}

# Run N's arguments, one per line.
argv() {	# N
	tr '\0' '\n' < "$c/state/run$1.argv"
}

# Run 1's arguments are COMMAND's with pytriage's two options put in
# where pytest reads options: after the words given as BEFORE.
want_first() {	# NBEFORE ARGS...
	k=$1
	shift
	ext=jsonl
	[ "${collector:-}" = yes ] && ext=json
	opt=--report-log
	[ "${collector:-}" = yes ] && opt=--json
	i=0
	: > "$c/want1"
	for a do
		if [ "$i" -eq "$k" ]; then
			printf '%s\n' "$opt=@TMP@/a1.$ext" \
			    "--override-ini=cache_dir=@TMP@/cache" >> "$c/want1"
		fi
		printf '%s\n' "$a" >> "$c/want1"
		i=$((i + 1))
	done
	if [ "$i" -le "$k" ]; then
		printf '%s\n' "$opt=@TMP@/a1.$ext" \
		    "--override-ini=cache_dir=@TMP@/cache" >> "$c/want1"
	fi
	argv 1 | sed "s,$c/tmp/pytriage-run\.[A-Za-z0-9]*,@TMP@," \
	    > "$c/got1"
	if ! cmp -s "$c/want1" "$c/got1"; then
		no "run 1's arguments: [$(tr '\n' ' ' < "$c/got1")]," \
		    "want [$(tr '\n' ' ' < "$c/want1")]"
	fi
}

# Run N (a retry) has run N-1's arguments, its own report, and
# --last-failed --last-failed-no-failures=none after the cache option;
# it ran from the same directory.
want_retry() {	# N
	p=$(($1 - 1))
	argv "$p" | sed "s,/a$p\.json,/a$1.json," |
	    grep -vxF -e --last-failed -e --last-failed-no-failures=none |
	    awk '{ print }
	    /^--override-ini=cache_dir=/ {
		print "--last-failed"
		print "--last-failed-no-failures=none"
	    }' > "$c/wantn"
	argv "$1" > "$c/gotn"
	if ! cmp -s "$c/wantn" "$c/gotn"; then
		no "run $1's arguments: [$(tr '\n' ' ' < "$c/gotn")]," \
		    "want [$(tr '\n' ' ' < "$c/wantn")]"
	fi
	if ! cmp -s "$c/state/run$p.cwd" "$c/state/run$1.cwd"; then
		no "run $1 ran in $(cat "$c/state/run$1.cwd"), run $p in" \
		    "$(cat "$c/state/run$p.cwd")"
	fi
}

# The failed tests that run N (a retry) found in the cache: exactly
# these (a JSON array), as pytest's --last-failed reads them.
want_lastfailed() {	# N IDS
	got=$(jq -c 'sort' "$c/state/run$1.lastfailed")
	want=$(jq -n -c --argjson w "$2" '$w | sort')
	[ "$got" = "$want" ] || no "run $1 retried $got, want $want"
}

# The failed tests of a testdata case, as its contract gives them.
selectors() {	# CASE
	jq -c '.selectors' "$logs/$1/expected.json"
}

# --- the cases ---------------------------------------------------------------

cases() {

new_case "passed"
script_run 1 01_all_pass
run -w json:out.json -- pytest -q tests
want_rc 0
want_runs 1
want_first 2 -q tests
want_last "pytriage: passed: "
want_json .verdict '"passed"'
grep -q 'stub pytest' "$c/out" || no "pytest's stdout did not pass through"
done_case

new_case "flaky: the retry passes"
script_run 1 02_some_failures
script_retry 2 pass
run -w json:out.json -- pytest -rA
want_rc 0
want_runs 2
want_first 1 -rA
want_retry 2
want_lastfailed 2 "$(selectors 02_some_failures)"
want_line "pytriage: retry 1 of 1: 10 failed tests"
want_last "pytriage: passed: "
want_json '.flaky | sort' "$(selectors 02_some_failures | jq -c sort)"
want_json '.attempts | map(.verdict)' '["retry","passed"]'
done_case

new_case "flaky, --fail-on-flaky"
script_run 1 02_some_failures
script_retry 2 pass
run --fail-on-flaky -w json:out.json -- pytest
want_rc 1
want_runs 2
want_last "pytriage: flaky: "
want_json .verdict '"flaky"'
done_case

new_case "a genuine failure"
script_run 1 02_some_failures
script_retry 2 fail
run -w json:out.json -- pytest
want_rc 1
want_runs 2
want_retry 2
want_last "pytriage: failed: "
want_json .verdict '"failed"'
done_case

# Real first runs and retries (testdata/attempts): the step ends as
# their contract says, with and without --fail-on-flaky.
for m in m01_flaky m02_genuine m03_flaky_plus_genuine m10_reruns_inside; do
	for key in "step" "step --fail-on-flaky"; do
		new_case "real attempts: $m, $key"
		a=$root/testdata/attempts/$m
		e=$a/expected.json
		for n in 1 2; do
			cp "$a/a$n.jsonl" "$c/runs/run$n.log"
			cp "$a/a${n}_status" "$c/runs/run$n.status"
		done
		# shellcheck disable=SC2046
		run $(jq -r --arg k "$key" '.[$k].options[]' "$e") \
		    -w json:out.json -- pytest
		want_rc "$(jq -r --arg k "$key" '.[$k].exit' "$e")"
		want_runs 2
		want_retry 2
		want_json .verdict "$(jq -c --arg k "$key" '.[$k].verdict' "$e")"
		want_json .flaky "$(jq -c --arg k "$key" '.[$k].flaky' "$e")"
		done_case
	done
done

new_case "three attempts"
script_run 1 02_some_failures
script_retry 2 '["test_fail.py::test_assert_eq",
    "test_other.py::test_fail_in_other_file"]'
script_retry 3 pass
run --retries=2 -w json:out.json -- pytest -v tests
want_rc 0
want_runs 3
want_retry 2
want_retry 3
want_lastfailed 2 "$(selectors 02_some_failures)"
want_lastfailed 3 "$(selectors 02_some_failures | jq -c '. - [
    "test_fail.py::test_assert_eq",
    "test_other.py::test_fail_in_other_file"]')"
want_line "pytriage: retry 1 of 2: 10 failed tests"
want_line "pytriage: retry 2 of 2: 8 failed tests"
want_json '.attempts | map(.verdict)' '["retry","retry","passed"]'
done_case

new_case "three attempts, failing to the end"
script_run 1 02_some_failures
script_retry 2 fail
script_retry 3 fail
run --retries=2 -- pytest
want_rc 1
want_runs 3
want_last "pytriage: failed: "
done_case

new_case "--retries=0"
script_run 1 02_some_failures
run --retries=0 -- pytest
want_rc 1
want_runs 1
want_last "pytriage: failed: "
done_case

new_case "a collection error in the retry"
script_run 1 52_last_failed_second_run
cp "$logs/07a_collection_error/log.jsonl" "$c/runs/run2.log"
echo 2 > "$c/runs/run2.status"
run -w json:out.json -- pytest
want_rc 1
want_runs 2
want_last "pytriage: collection-error: "
want_json '.attempts | map(.verdict)' '["retry","collection-error"]'
done_case

new_case "a retry that does not run a retried test"
script_run 1 02_some_failures
selectors 02_some_failures | jq -c '.[1:]' > "$c/ids"
make_log "$(cat "$c/ids")" passed > "$c/runs/run2.log"
echo 0 > "$c/runs/run2.status"
run -w json:out.json -- pytest
want_rc 1
want_runs 2
want_last "pytriage: incomplete: "
want_text "test_fail.py::test_assert_eq"
done_case

new_case "a collection error in the first run"
script_run 1 07b_collection_error_continue
run -- pytest
want_rc 1
want_runs 1
want_last "pytriage: collection-error: "
done_case

new_case "a killed pytest"
script_run 1 40_killed_run
: > "$c/runs/run1.kill"
run -w json:out.json -- pytest
want_rc 1
want_runs 1
want_last "pytriage: signal: pytest was killed by SIGKILL"
want_json .exit_status 137
done_case

new_case "a killed retry"
script_run 1 02_some_failures
script_retry 2 pass
: > "$c/runs/run2.kill"
run -- pytest
want_rc 1
want_runs 2
want_last "pytriage: signal: "
done_case

new_case "an early stop pytriage cannot see (the ini file's addopts)"
script_run 1 41_exitfirst_tests_never_run
jq -n -c '["test_seq.py::test_1_pass", "test_seq.py::test_2_fail",
    "test_seq.py::test_3_never", "test_seq.py::test_4_never"]' \
    > "$c/runs/run1.nodeids"
run -- pytest
want_rc 1
want_runs 1
want_text "pytest collected 4 tests but the report has 2"
done_case

new_case "xdist: no collected tests in the cache, retried"
script_run 1 02_some_failures
echo '["test_x.py::test_never_ran"]' > "$c/runs/run1.nodeids"
script_retry 2 pass
run -- pytest -n 2
want_rc 0
want_runs 2
want_retry 2
want_lastfailed 2 "$(selectors 02_some_failures)"
done_case

# Paths and option values are kept, retries included.
for cmd in "-n 4 --doctest-modules src tests" "--cov src tests" \
    "--cov=src -p xdist tests/test_a.py" "-k 'a or b' -m slow"; do
	new_case "paths and values: pytest $cmd"
	script_run 1 54_doctest_modules
	script_retry 2 pass
	eval "set -- $cmd"
	run -- pytest "$@"
	want_rc 0
	want_runs 2
	want_first $# "$@"
	want_retry 2
	want_lastfailed 2 "$(selectors 54_doctest_modules)"
	done_case
done
new_case "paths after --: pytriage's options go before it"
script_run 1 02_some_failures
script_retry 2 pass
run -- pytest -v -- tests -x
want_rc 0
want_runs 2
want_first 1 -v -- tests -x
want_retry 2
[ "$(tr '\0' ' ' < "$c/state/run2.pos")" = "tests -x " ] ||
    no "run 2's paths: $(tr '\0' ' ' < "$c/state/run2.pos")"
done_case
new_case "python3 -m pytest"
script_run 1 02_some_failures
script_retry 2 pass
run -- python3 -m pytest -x
want_rc 1
want_runs 1
want_text "'-x' stops pytest"
done_case
new_case "a wrapper: sh -c 'cd sub && exec pytest \"\$@\"'"
mkdir "$c/work/sub"
script_run 1 02_some_failures
script_retry 2 pass
run -- sh -c 'cd sub && exec pytest "$@"' wrapper -q
want_rc 0
want_runs 2
want_first 1 -q
want_retry 2
case $(cat "$c/state/run1.cwd") in
*/work/sub) ;;
*) no "the wrapper ran pytest in $(cat "$c/state/run1.cwd")" ;;
esac
done_case

# Node IDs pytest would misread on a command line travel in its cache.
for case in awkward 05_params_awkward 50_params_awkward_ids_hook_newline; do
	new_case "node IDs: $case"
	if [ "$case" = awkward ]; then
		ids='["-lead.py::test_a", "@at.py::test_b",
		    "t.py::test_c[a b]", "t.py::test_d[it'\''s \"q\"]",
		    "t.py::test_e[back\\\\slash]", "t.py::test_f[$HOME `x`]",
		    "t.py::test_g[tab\tand\nline]", "t.py::test_h[\u00e9]",
		    "t.py::test_i[@x]", "t.py::test_j[-x]"]'
		make_log "$ids" failed > "$c/runs/run1.log"
		echo 1 > "$c/runs/run1.status"
	else
		script_run 1 "$case"
		ids=$(selectors "$case")
	fi
	script_retry 2 pass
	run -w json:out.json -- pytest
	want_rc 0
	want_runs 2
	want_lastfailed 2 "$ids"
	want_json '.flaky | sort' "$(jq -n -c --argjson i "$ids" '$i | sort')"
	done_case
done

new_case "pytest-reportlog missing"
script_run 1 02_some_failures
export STUB_NO_REPORTLOG=1
run -- pytest
unset STUB_NO_REPORTLOG
want_rc 2
want_runs 1
want_text "pip install pytest-reportlog"
done_case
new_case "pytest-reportlog not loaded: PYTEST_DISABLE_PLUGIN_AUTOLOAD"
script_run 1 02_some_failures
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 STUB_NO_REPORTLOG=1
run -- pytest
unset PYTEST_DISABLE_PLUGIN_AUTOLOAD STUB_NO_REPORTLOG
want_rc 2
want_text "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
done_case
new_case "the collector missing, --collector"
script_run 1 02_some_failures
export STUB_NO_COLLECTOR=1
run --collector -- pytest
unset STUB_NO_COLLECTOR
want_rc 2
want_text "pip install buildkite-test-collector"
done_case
new_case "another usage error is pytest's (exit 4, terminal)"
script_run 1 12b_usage_error_missing_path
run -- pytest no/such/path
want_rc 1
want_runs 1
want_last "pytriage: "
done_case

new_case "--collector: the collector's report"
collector=yes
script_run 1 02_some_failures
script_retry 2 pass
run --collector -w json:out.json -- pytest
want_rc 0
want_runs 2
want_first 0
want_retry 2
want_json .input '"collector"'
collector=no
done_case

new_case "a run from a subdirectory"
mkdir -p "$c/work/tests/sub"
sub=tests/sub
script_run 1 51_run_from_subdir
script_retry 2 pass
run -w json:out.json -- pytest -rA
want_rc 0
want_runs 2
want_retry 2
want_lastfailed 2 '["tests/sub/test_deep.py::test_deep_fail"]'
case $(cat "$c/state/run1.cwd") in
*/work/tests/sub) ;;
*) no "pytest ran in $(cat "$c/state/run1.cwd")" ;;
esac
done_case

new_case "a command that does not exist"
run -- no-such-pytest -q
want_rc 2
want_runs 0
want_text "cannot run 'no-such-pytest': command not found"
done_case
new_case "a command that cannot be run"
: > "$c/work/not-executable"
run -- ./not-executable
want_rc 2
want_text "cannot run ./not-executable: Permission denied"
done_case
new_case "a script without #!: run by sh, as execvp does"
script_run 1 01_all_pass
printf 'exec pytest "$@"\n' > "$c/work/wrapper"
chmod +x "$c/work/wrapper"
run -- ./wrapper -q
want_rc 0
want_runs 1
done_case

new_case "the cache provider off where pytriage cannot see it"
script_run 1 02_some_failures
script_retry 2 pass
export STUB_NO_CACHEPROVIDER=1
run -- pytest
unset STUB_NO_CACHEPROVIDER
want_rc 1
want_runs 2
want_last "pytriage: usage-error: "
want_text "its cache provider is turned off"
done_case

new_case "--report-dir keeps every attempt"
script_run 1 02_some_failures
script_retry 2 pass
run --report-dir=reports -w json:out.json -- pytest
want_rc 0
cmp -s "$c/work/reports/attempt-1.jsonl" "$c/runs/run1.log" ||
    no "reports/attempt-1.jsonl is not run 1's log"
cmp -s "$c/work/reports/attempt-2.jsonl" "$c/state/run2.made.log" ||
    no "reports/attempt-2.jsonl is not run 2's log"
[ "$(cat "$c/work/reports/attempt-1.status")" = 1 ] ||
    no "reports/attempt-1.status: $(cat "$c/work/reports/attempt-1.status")"
[ "$(cat "$c/work/reports/attempt-2.status")" = 0 ] ||
    no "reports/attempt-2.status: $(cat "$c/work/reports/attempt-2.status")"
want_json '.attempts[0].report' "\"$c/work/reports/attempt-1.jsonl\""
done_case

new_case "--report-dir: no report, and none left from an earlier run"
echo 4 > "$c/runs/run1.status"
mkdir "$c/work/reports"
cp "$logs/01_all_pass/log.jsonl" "$c/work/reports/attempt-1.jsonl"
run --report-dir=reports -- pytest
want_rc 1
want_runs 1
[ -f "$c/work/reports/attempt-1.jsonl" ] &&
    no "an earlier run's reports/attempt-1.jsonl is still there"
want_last "pytriage: usage-error: "
done_case

new_case "--write: several formats, files and stdout"
script_run 1 02_some_failures
script_retry 2 fail
run -w markdown:sum.md -w json:out.json -w github -w verdict:v.txt -- pytest
want_rc 1
head -n 1 "$c/work/sum.md" | grep -q '^\*\*' &&
    grep -q 'test_fail.py::test_assert_eq' "$c/work/sum.md" ||
    no "sum.md is not the summary"
grep -q '^::error ' "$c/out" || no "no github annotations on stdout"
[ "$(cat "$c/work/v.txt")" = failed ] || no "v.txt: $(cat "$c/work/v.txt")"
done_case

new_case "-m: too many failures are not retried"
script_run 1 02_some_failures
run -m 3 -- pytest
want_rc 1
want_runs 1
want_last "pytriage: too-many-failures: "
done_case


}

# How pytriage run reads its own and pytest's options: the same under
# either pytest.
spellings() {

# Runs that stop early are never retried.
for cmd in "-x" "-xv" "-vx" "-rfE -sx" "--exitfirst" "--maxfail=2" \
    "--maxfail 1" "--sw" "--stepwise" "--sw-skip" "--stepwise-skip" \
    "-x --maxfail=3" "--maxfail=0 -x"; do
	new_case "early stop: pytest $cmd"
	script_run 1 09a_exitfirst
	# shellcheck disable=SC2086
	run -- pytest $cmd
	want_rc 1
	want_runs 1
	want_last "pytriage: failed: 1 of 2 tests failed and is not retried"
	want_text "so the tests after it never ran"
	done_case
done
new_case "not an early stop: -x after --, a test path"
script_run 1 09a_exitfirst
script_retry 2 pass
run -- pytest -q -- -x
want_rc 0
want_runs 2
want_retry 2
done_case
new_case "early stop: -x in PYTEST_ADDOPTS"
script_run 1 09a_exitfirst
export PYTEST_ADDOPTS="-q -x"
run -- pytest
unset PYTEST_ADDOPTS
want_rc 1
want_runs 1
want_text "'-x' in PYTEST_ADDOPTS stops pytest"
done_case
new_case "early stop: -o addopts=--maxfail=1"
script_run 1 09a_exitfirst
run -- pytest -o "addopts=-v --maxfail=1"
want_rc 1
want_runs 1
want_text "in -o addopts stops pytest"
done_case
new_case "early stop: --maxfail=0 in the command undoes PYTEST_ADDOPTS' -x"
script_run 1 09a_exitfirst
script_retry 2 pass
export PYTEST_ADDOPTS=-x
run -- pytest --maxfail=0
unset PYTEST_ADDOPTS
want_rc 0
want_runs 2
done_case

# Values that only look like -x.
for cmd in "-k x" "-kx" "-m x" "-rx" "-rfEx" "-n x" "-W x" "-o x=1" \
    "-p x" "-c x" "--maxfail=0" "--maxfail=0_0"; do
	new_case "not an early stop: pytest $cmd"
	script_run 1 09a_exitfirst
	script_retry 2 pass
	# shellcheck disable=SC2086
	run -- pytest $cmd
	want_rc 0
	want_runs 2
	want_retry 2
	done_case
done

# Refused before the first run: a retry could not be exact.
for cmd in "--lf" "--last-failed" "--ff" "--nf" "--new-first" \
    "--lfnf=none" "--cache-clear" "-p no:cacheprovider" \
    "-pno:cacheprovider" "-vp no:cacheprovider" "-p no:lfplugin" \
    "-o cache_dir=x" "-ocache_dir=x" "--override-ini=cache_dir=x" \
    "--override-ini cache_dir=x" "--report-log=x.jsonl" \
    "--report-log x.jsonl" "-p no:pytest_reportlog" "--co" \
    "--collect-only" "--setup-only" "--setup-plan" "--fixtures" \
    "--markers" "-h" "-qV" "--version" "--cache-show" "-f" \
    "--looponfail"; do
	new_case "refused: pytest $cmd"
	script_run 1 01_all_pass
	# shellcheck disable=SC2086
	run -- pytest $cmd
	want_rc 2
	want_runs 0
	want_text ": drop it"
	done_case
done
new_case "refused: --lf in PYTEST_ADDOPTS"
export PYTEST_ADDOPTS="-q --lf"
run -- pytest
unset PYTEST_ADDOPTS
want_rc 2
want_runs 0
want_text "'--lf' in PYTEST_ADDOPTS"
done_case
new_case "refused: PYTEST_ADDOPTS that pytest cannot split"
export PYTEST_ADDOPTS="-k 'a"
run -- pytest
unset PYTEST_ADDOPTS
want_rc 2
want_runs 0
want_text "no closing quotation"
done_case
new_case "refused: PYTEST_ADDOPTS holding --"
export PYTEST_ADDOPTS="-- tests"
run -- pytest
unset PYTEST_ADDOPTS
want_rc 2
want_runs 0
done_case
new_case "refused: --json with --collector"
run --collector -- pytest --json=x.json
want_rc 2
want_runs 0
done_case
new_case "--json without --collector is the user's"
script_run 1 01_all_pass
run -- pytest --json=mine.json
want_rc 0
want_runs 1
[ -f "$c/work/mine.json" ] || no "the user's --json file was not written"
done_case
for args in "--retries=x" "--retries=-1" "-m x" "--write=nope" \
    "--write=json:" "-w json -w github" "--report-dir=" "--rootdir=" \
    "--no-such-option" ""; do
	new_case "bad usage: run $args"
	if [ -z "$args" ]; then
		run
	else
		# shellcheck disable=SC2086
		run $args -- pytest
	fi
	want_rc 2
	want_runs 0
	done_case
done
new_case "--write to a file that cannot be written: before any run"
run -w json:no/such/dir/out.json -- pytest
want_rc 2
want_runs 0
done_case

}

for version in 7.2 8.2; do
	cases
done
version=7.2
spellings

# --- signals -----------------------------------------------------------------

# Wait until the stub's run N sleeps, ten seconds at the most.
wait_started() {	# N
	i=0
	while [ ! -f "$c/state/run$1.started" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -f "$c/state/run$1.started" ] || no "run $1 never started"
}

# Start pytriage in the background; wait until the stub's run N sleeps.
start() {	# N ARGS...
	k=$1
	shift
	(cd "$c/work" && PATH="$tmp/bin:$PATH" STUB_RUNS="$c/runs" \
	    STUB_STATE="$c/state" TMPDIR="$c/tmp" \
	    exec $envsig "$pytriage" run "$@") \
	    </dev/null >"$c/out" 2>"$err" &
	bg=$!
	wait_started "$k"
}

# SIG to pytriage while pytest's run 1, a failure in its log, sleeps:
# pytest gets it, nothing is retried, pytriage ends with STATUS and the
# summary's verdict is VERDICT.
signal_case() {	# SIG STATUS VERDICT
	script_run 1 40_killed_run
	echo 30 > "$c/runs/run1.sleep"
	start 1 -w json:out.json -- pytest
	signal_bg "$1"
	want_rc "$2"
	want_runs 1
	grep -qx "$1" "$c/state/run1.signals" 2>/dev/null ||
	    no "pytest did not get SIG$1"
	want_json .verdict "\"$3\""
}

envsig=
new_case "SIGTERM to pytriage: pytest gets it, no retry, summary written"
signal_case TERM 143 signal
want_last "pytriage: signal: pytest was killed by SIGTERM"
if [ -f "$c/state/run1.pgid" ] &&
    ! cmp -s "$c/state/run1.pid" "$c/state/run1.pgid"; then
	no "pytest did not lead a process group of its own"
fi
done_case

# The foreground of a terminal: pytest stays in pytriage's process group,
# and a signal sent to pytriage alone still reaches it, once.
if command -v script >/dev/null 2>&1 &&
    script -qec true /dev/null >/dev/null 2>&1; then
	new_case "a terminal's foreground job: SIGTERM reaches pytest"
	script_run 1 40_killed_run
	echo 30 > "$c/runs/run1.sleep"
	(cd "$c/work" && PATH="$tmp/bin:$PATH" STUB_RUNS="$c/runs" \
	    STUB_STATE="$c/state" TMPDIR="$c/tmp" exec script -qec \
	    "sh -c 'echo \$\$ > ../pid; exec \"$pytriage\" run -- pytest'" \
	    /dev/null) </dev/null >"$err" 2>&1 &
	bg=$!
	wait_started 1
	kill -TERM "$(cat "$c/pid")"
	wait "$bg" 2>/dev/null
	rc=$?
	want_rc 143
	[ "$(grep -c TERM "$c/state/run1.signals" 2>/dev/null)" = 1 ] ||
	    no "pytest did not get SIGTERM once"
	if [ -f "$c/state/run1.pgid" ] &&
	    cmp -s "$c/state/run1.pid" "$c/state/run1.pgid"; then
		no "pytest left the terminal's process group"
	fi
	done_case
else
	echo "run_test: terminal case skipped: no script(1) from util-linux"
fi

new_case "SIGTERM that pytest ignores: its failures are not retried"
script_run 1 02_some_failures
echo 2 > "$c/runs/run1.sleep"
: > "$c/runs/run1.ignore_term"
script_retry 2 pass
start 1 -w json:out.json -- pytest
signal_bg TERM
want_rc 143
want_runs 1
want_json .verdict '"failed"'
want_text "not retried: pytriage got SIGTERM"
done_case

new_case "SIGHUP during the retry"
script_run 1 02_some_failures
script_retry 2 fail
script_retry 3 pass
echo 30 > "$c/runs/run2.sleep"
start 2 --retries=2 -w json:out.json -- pytest
signal_bg HUP
want_rc 129
want_runs 2
done_case

# A shell starts a background job with SIGINT ignored; env puts it back.
if env --default-signal=INT true 2>/dev/null; then
	envsig="env --default-signal=INT"
	new_case "SIGINT to pytriage: pytest ends as on Ctrl-C"
	signal_case INT 130 interrupted
	done_case
	envsig=
else
	echo "run_test: SIGINT case skipped: env --default-signal is missing"
fi

new_case "SIGINT ignored when pytriage starts: ignored for pytest too"
script_run 1 40_killed_run
echo 1 > "$c/runs/run1.sleep"
start 1 -- pytest
signal_bg INT
want_rc 1
[ -f "$c/state/run1.signals" ] && no "pytest got $(cat "$c/state/run1.signals")"
done_case

echo "run_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
