#!/bin/sh
# run_real.sh: pytriage run against the real pytest, on small suites with
# trouble put in: flaky and broken tests, -x and --maxfail (also where
# only the ini file says so), a run from a subdirectory, doctests given as
# paths, pytest-xdist, pytest-rerunfailures, awkward node IDs, a collection
# error in the retry, a killed pytest, SIGTERM and SIGINT to pytriage, the
# plugin missing.  Each must end as the truth says.
#
# usage: sh tests/run_real.sh PYTRIAGE
#
# Runs the pytest first on PATH.  Needs pytest-reportlog where that
# pytest's Python imports it: installed (pip install pytest-reportlog), or
# on PYTHONPATH, where it is loaded with -p; without it the test says so
# and skips (exit 0).  Cases for pytest-xdist and pytest-rerunfailures
# are skipped, with a message, when they are not installed.

me=run_real
# shellcheck source=SCRIPTDIR/harness.sh
. "$(dirname "$0")/harness.sh"
binary_arg "$@"
if ! pytest_bin=$(command -v pytest); then
	echo "run_real: SKIPPED: no pytest in PATH" \
	    "(apt-get install python3-pytest)"
	exit 0
fi
# The Python that runs that pytest, for "python -m pytest" and imports.
python=$(sed -n '1s/^#! *\([^ ]*\).*/\1/p' "$pytest_bin")
if [ -z "$python" ] || ! "$python" -c 'import pytest' 2>/dev/null; then
	echo "run_real: SKIPPED: cannot tell which Python runs $pytest_bin"
	exit 0
fi

scratch
err=$tmp/err	# pytriage's stderr, where the checks of harness.sh read it
unset PYTEST_ADDOPTS PYTEST_DISABLE_PLUGIN_AUTOLOAD
plugin_opts=
cd "$tmp" || exit 2
if "$pytest_bin" --help 2>/dev/null | grep -q -e '--report-log='; then
	:
elif "$python" -c 'import pytest_reportlog.plugin' 2>/dev/null; then
	plugin_opts="-p pytest_reportlog.plugin"
else
	echo "run_real: SKIPPED: pytest-reportlog is not importable by" \
	    "$python (pip install pytest-reportlog)"
	exit 0
fi
have() {	# OPTION: the pytest in PATH knows it
	PYTEST_ADDOPTS=$plugin_opts "$pytest_bin" --help 2>/dev/null |
	    grep -q -e "$1"
}
have_xdist=no
have --numprocesses && have_xdist=yes
have_reruns=no
have --reruns && have_reruns=yes

passed=0
failed=0
skipped=0

# A fresh project: p is its directory, with a pytest.ini (the rootdir).
project() {	# NAME
	name=$1
	p=$tmp/p
	rm -rf "$p" "$tmp/t"
	mkdir -p "$p/tests" "$tmp/t"
	printf '[pytest]\ntestpaths = tests\n' > "$p/pytest.ini"
	cat > "$p/tests/test_ok.py" <<-'EOF'
	def test_one():
	    pass

	def test_two():
	    assert 1 + 1 == 2
	EOF
	bad=
	sub=
}

# A test that fails on its first run only: a marker file remembers it.
flaky() {	# FILE TESTNAME
	cat > "$p/$1" <<-EOF
	import os

	def $2():
	    marker = os.path.join(os.path.dirname(__file__), ".$2.ran")
	    if not os.path.exists(marker):
	        open(marker, "w").close()
	        assert False, "flaky: fails the first time"
	EOF
}

broken() {	# FILE
	cat > "$p/$1" <<-'EOF'
	def test_broken():
	    assert "a-b" == "a_b"
	EOF
}

# pytriage run ARGS in the project (or its $sub): rc, out, err.
run() {
	(cd "$p${sub:+/$sub}" && PYTEST_ADDOPTS=$plugin_opts \
	    TMPDIR="$tmp/t" exec "$pytriage" run "$@") \
	    </dev/null >"$tmp/out" 2>"$err"
	rc=$?
}

retries() {	# how many "retry" lines
	grep -c '^pytriage: retry ' "$err"
}

want_retries() {
	[ "$(retries)" -eq "$1" ] || no "$(retries) retries, want $1"
}

done_case() {
	# pytest keeps its own pytest-of-USER there; pytriage keeps nothing.
	left=$(cd "$tmp/t" && ls -d pytriage-run.* 2>/dev/null)
	[ -z "$left" ] || no "TMPDIR not clean afterwards: $left"
	case_tally
}

skip() {
	skipped=$((skipped + 1))
	echo "run_real: $1 skipped: $2"
}

# --- the cases ----------------------------------------------------------------

project "a suite that passes"
run -- pytest
want_rc 0
want_retries 0
want_last "pytriage: passed: 2 tests"
done_case

project "a flaky test: green"
flaky tests/test_flaky.py test_flaky
run -w json:"$tmp/out.json" -- pytest -q
want_rc 0
want_retries 1
want_last "pytriage: passed: "
grep -q '"flaky": \["tests/test_flaky.py::test_flaky"\]' "$tmp/out.json" ||
    no "the summary does not name the flaky test"
done_case

project "a flaky test, --fail-on-flaky: red"
flaky tests/test_flaky.py test_flaky
run --fail-on-flaky -- pytest
want_rc 1
want_last "pytriage: flaky: "
done_case

project "a broken test: red"
broken tests/test_broken.py
run -- pytest
want_rc 1
want_retries 1
want_last "pytriage: failed: "
done_case

project "flaky then broken over three attempts: red"
flaky tests/test_flaky.py test_flaky
broken tests/test_broken.py
run --retries=2 -- pytest
want_rc 1
want_retries 2
want_last "pytriage: failed: "
done_case

for opt in -x -xq --exitfirst --maxfail=1 "--maxfail 1" --sw --sw-skip; do
	project "a broken suite with $opt: red, not retried"
	flaky tests/test_a_flaky.py test_flaky
	broken tests/test_z_broken.py
	# shellcheck disable=SC2086
	run -- pytest $opt
	want_rc 1
	want_retries 0
	case $opt in
	--sw*)	# pytest itself ends a stepwise stop as interrupted.
		want_last "pytriage: interrupted: " ;;
	*)	want_text "so the tests after it never ran" ;;
	esac
	done_case
done

for opt in -x --maxfail=1; do
	project "a broken suite with $opt in the ini file: red, not retried"
	printf 'addopts = %s\n' "$opt" >> "$p/pytest.ini"
	flaky tests/test_a_flaky.py test_flaky
	broken tests/test_z_broken.py
	run -- pytest
	want_rc 1
	want_retries 0
	want_text "pytest collected 4 tests but the report has"
	done_case
done

project "-k x is not -x: retried, green"
flaky tests/test_flaky.py test_flaky
run -- pytest -k "flaky or one" -rx
want_rc 0
want_retries 1
done_case

project "a run from a subdirectory: green"
mkdir -p "$p/tests/sub"
flaky tests/sub/test_deep.py test_deep
sub=tests/sub
run -- pytest
want_rc 0
want_retries 1
done_case

project "doctests given as paths: green"
mkdir -p "$p/pkg"
: > "$p/pkg/__init__.py"
cat > "$p/pkg/mod.py" <<'EOF'
import os


def flaky():
    """
    >>> flaky()
    True
    """
    marker = os.path.join(os.path.dirname(__file__), ".doctest.ran")
    if not os.path.exists(marker):
        open(marker, "w").close()
        return False
    return True
EOF
run -- pytest --doctest-modules pkg tests
want_rc 0
want_retries 1
want_last "pytriage: passed: "
done_case

project "python -m pytest, awkward node IDs: green"
cat > "$p/tests/test_ids.py" <<'EOF'
import os

import pytest

IDS = ["a b", "it's \"q\"", "back\\slash", "-lead", "@at", "t\tab", "é"]


@pytest.mark.parametrize("v", IDS, ids=IDS)
def test_awkward(v, request):
    name = "".join(c if c.isalnum() else "_" for c in request.node.name)
    marker = os.path.join(os.path.dirname(__file__), "." + name)
    if not os.path.exists(marker):
        open(marker, "w").close()
        assert False
EOF
run -w json:"$tmp/out.json" -- "$python" -m pytest -q
want_rc 0
want_retries 1
want_text "retry 1 of 1: 7 failed tests"
done_case

project "a collection error in the retry: red"
cat > "$p/tests/test_breaks.py" <<'EOF'
import os

marker = os.path.join(os.path.dirname(__file__), ".breaks.ran")
if os.path.exists(marker):
    import no_such_module_here  # noqa: F401


def test_breaks():
    open(marker, "w").close()
    assert False
EOF
run -- pytest
want_rc 1
want_retries 1
want_last "pytriage: collection-error: "
done_case

project "a killed pytest: red"
cat > "$p/tests/test_kill.py" <<'EOF'
import os
import signal


def test_kill():
    os.kill(os.getpid(), signal.SIGKILL)
EOF
run -- pytest
want_rc 1
want_retries 0
want_last "pytriage: signal: pytest was killed by SIGKILL"
done_case

project "pytest-reportlog missing: exit 2"
if [ -z "$plugin_opts" ]; then
	(cd "$p" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 TMPDIR="$tmp/t" \
	    exec "$pytriage" run -- pytest) </dev/null >"$tmp/out" \
	    2>"$err"
	rc=$?
else
	(cd "$p" && TMPDIR="$tmp/t" exec "$pytriage" run -- pytest) \
	    </dev/null >"$tmp/out" 2>"$err"
	rc=$?
fi
want_rc 2
want_text "pip install pytest-reportlog"
done_case

if [ "$have_xdist" = yes ]; then
	project "pytest-xdist -n 2, a flaky test: green"
	flaky tests/test_flaky.py test_flaky
	run -- pytest -n 2
	want_rc 0
	want_retries 1
	done_case

	project "pytest-xdist -n 2 -x, a broken suite: red"
	broken tests/test_broken.py
	run -- pytest -n 2 -x
	want_rc 1
	want_retries 0
	done_case
else
	skip "pytest-xdist cases" "pytest-xdist is not installed"
fi

if [ "$have_reruns" = yes ]; then
	project "pytest-rerunfailures, a test failing its first two runs: green"
	cat > "$p/tests/test_twice.py" <<'EOF'
import os


def test_twice():
    marker = os.path.join(os.path.dirname(__file__), ".twice")
    n = int(open(marker).read()) if os.path.exists(marker) else 0
    open(marker, "w").write(str(n + 1))
    assert n >= 2
EOF
	run -- pytest --reruns 1
	want_rc 0
	want_retries 1
	done_case
else
	skip "pytest-rerunfailures case" "pytest-rerunfailures is not installed"
fi

# Signals: pytriage in the background, a test that sleeps.
slow() {
	cat > "$p/tests/test_slow.py" <<-'EOF'
	import os
	import time

	def test_fails():
	    assert False

	def test_slow():
	    here = os.path.dirname(__file__)
	    open(os.path.join(here, ".started"), "w").close()
	    time.sleep(60)
	EOF
}
wait_started() {
	i=0
	while [ ! -f "$p/tests/.started" ] && [ "$i" -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# SIG to pytriage once the slow test sleeps, the failing one run before
# it: nothing is retried, pytriage ends with STATUS and the summary's
# verdict is VERDICT.  envsig, when set, starts pytriage under env: a
# shell starts a background job with SIGINT ignored.
signal_case() {	# SIG STATUS VERDICT
	slow
	(cd "$p" && PYTEST_ADDOPTS=$plugin_opts TMPDIR="$tmp/t" \
	    exec $envsig "$pytriage" run -w json:"$tmp/out.json" -- \
	    pytest -p no:randomly) </dev/null >"$tmp/out" 2>"$err" &
	bg=$!
	wait_started
	signal_bg "$1"
	want_rc "$2"
	want_retries 0
	grep -q "\"verdict\": \"$3\"" "$tmp/out.json" 2>/dev/null ||
	    no "no summary with the verdict $3"
}

envsig=
project "SIGTERM to pytriage: no retry, summary, dies of it"
signal_case TERM 143 signal
done_case

if env --default-signal=INT true 2>/dev/null; then
	envsig="env --default-signal=INT"
	project "SIGINT to pytriage: pytest ends as on Ctrl-C"
	signal_case INT 130 interrupted
	want_last "pytriage: interrupted: "
	grep -q KeyboardInterrupt "$tmp/out" ||
	    no "pytest did not end as on Ctrl-C"
	done_case
	envsig=
else
	skip "SIGINT case" "env --default-signal is missing"
fi

echo "run_real: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
