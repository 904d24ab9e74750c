#!/bin/sh
# junit_test.sh: -f junit read back by real consumers, and held to
# pytest's own JUnit XML of the same runs.
#
# usage: sh tests/junit_test.sh PYTRIAGE
#
# For every case of testdata/attempts, each attempt alone, from its log
# and from its collector's report, and the whole step from its logs and
# from its reports:
#   - every <testsuite> validates against Maven Surefire's schema
#     (tests/junit/surefire-test-report-3.0.xsd) with xmllint;
#   - junitparser (Debian's python3-junitparser, which knows no rerun or
#     flaky element) reads back the counts the suite states, testcase by
#     testcase;
#   - an attempt from its log has the testcases of pytest's --junitxml of
#     the same run (aN.xml): the same (classname, name) pairs, each with
#     the same kinds of result (failure, error, skipped; pytest's two
#     testcases of a teardown error after a failed call taken as one);
#     from its collector's report the same pairs;
#   - the whole step: every flaky test (expected.json) carries flaky
#     elements and no failure or error; every test that failed in each
#     attempt that ran it, in more than one, carries its failure or error
#     and a rerun element for each other attempt.
# Then hostile inputs made here (control characters, NUL, "]]>", markup,
# U+FFFE, a 1 MB message, 1 MB of captured output) must give well-formed,
# valid XML from both readers.
#
# Prints one line per failure and "junit: N passed, M failed"; exits 0
# only when none failed.  Needs xmllint (libxml2-utils) and a python3
# with junitparser: sh tests/deps.sh.
set -u

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
xsd=$top/tests/junit/surefire-test-report-3.0.xsd
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

ok() { passed=$((passed + 1)); }
not_ok() { failed=$((failed + 1)); echo "FAIL: $*"; }

if ! command -v xmllint >/dev/null 2>&1; then
	echo "junit: xmllint not installed: run sh tests/deps.sh" >&2
	exit 1
fi
# A python3 with junitparser: the first on PATH, else the system's (a
# version manager's python3 may not see Debian's packages).
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c "import junitparser" >/dev/null 2>&1; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "junit: no python3 with junitparser: run sh tests/deps.sh" >&2
	exit 1
fi

# The checks in Python: validate FILE, counts FILE, same OURS PYTEST,
# names OURS PYTEST, step OURS EXPECTED A1.xml A2.xml ...
cat >"$tmp/check.py" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
import junitparser

KINDS = ("failure", "error", "skipped")
FLAKY = ("flakyFailure", "flakyError")
RERUN = ("rerunFailure", "rerunError")

def cases(path, merge=True):
    d = {}
    for tc in ET.parse(path).getroot().iter("testcase"):
        key = (tc.get("classname") or "", tc.get("name"))
        tags = [c.tag for c in tc]
        if key in d and not merge:
            raise SystemExit("%s: %r twice" % (path, key))
        d.setdefault(key, []).extend(tags)
    return d

def kinds(tags):
    return sorted(set(t for t in tags if t in KINDS))

def counts(path):
    xml = junitparser.JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, junitparser.TestSuite) else list(xml)
    if len(suites) != 1:
        raise SystemExit("%s: %d suites" % (path, len(suites)))
    s = suites[0]
    n = f = e = k = 0
    for case in s:
        n += 1
        r = [type(x).__name__ for x in case.result]
        f += "Failure" in r
        e += "Error" in r
        k += "Skipped" in r
    got = (n, f, e, k)
    said = (s.tests, s.failures, s.errors, s.skipped)
    if got != said:
        raise SystemExit("%s: junitparser reads %r, the suite says %r" %
            (path, got, said))

def same(ours, theirs, names_only):
    a, b = cases(ours, merge=False), cases(theirs)
    bad = []
    for key in sorted(set(a) | set(b)):
        if key not in a:
            bad.append("missing %r" % (key,))
        elif key not in b:
            bad.append("extra %r" % (key,))
        elif not names_only and kinds(a[key]) != kinds(b[key]):
            bad.append("%r: %s, pytest %s" % (key, kinds(a[key]),
                kinds(b[key])))
    if bad:
        raise SystemExit("%s: %s" % (ours, "; ".join(bad[:5])))

def mangle(nodeid):
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = names[0].replace("/", ".")
    if names[0].endswith(".py"):
        names[0] = names[0][:-3]
    names[-1] += bracket + params
    return (".".join(names[:-1]), names[-1])

def step(ours, expected, attempts):
    a = cases(ours, merge=False)
    want = json.load(open(expected))["step"]
    bad = []
    for nodeid in want["flaky"]:
        tags = a.get(mangle(nodeid), [])
        if not any(t in FLAKY for t in tags) or \
                any(t in ("failure", "error") for t in tags):
            bad.append("flaky %s: %s" % (nodeid, tags))
    runs = {}
    for path in attempts:
        for key, tags in cases(path).items():
            runs.setdefault(key, []).append(
                any(t in ("failure", "error") for t in tags))
    for key, failed in runs.items():
        if len(failed) < 2 or not all(failed):
            continue
        tags = a.get(key, [])
        if not any(t in ("failure", "error") for t in tags) or \
                sum(t in RERUN for t in tags) < len(failed) - 1:
            bad.append("failed every time %r: %s" % (key, tags))
    if bad:
        raise SystemExit("%s: %s" % (ours, "; ".join(bad)))

what = sys.argv[1]
if what == "counts":
    counts(sys.argv[2])
elif what == "same":
    same(sys.argv[2], sys.argv[3], False)
elif what == "names":
    same(sys.argv[2], sys.argv[3], True)
elif what == "step":
    step(sys.argv[2], sys.argv[3], sys.argv[4:])
EOF

# valid NAME FILE: well-formed, and its one testsuite valid by the XSD.
valid() {
	if ! xmllint --noout "$2" 2>"$tmp/lint"; then
		not_ok "$1: not well-formed: $(head -3 "$tmp/lint")"
		return
	fi
	if ! xmllint --xpath '/testsuites/testsuite' "$2" >"$tmp/suite.xml" \
	    2>"$tmp/lint" || ! xmllint --noout --schema "$xsd" \
	    "$tmp/suite.xml" 2>"$tmp/lint"; then
		not_ok "$1: invalid: $(head -3 "$tmp/lint")"
		return
	fi
	ok
	if "$py" "$tmp/check.py" counts "$2" 2>"$tmp/py"; then ok; else
		not_ok "$1: $(tail -1 "$tmp/py")"; fi
}

# check NAME WHAT ARGS...: one of check.py's comparisons.
check() {
	name=$1
	shift
	if "$py" "$tmp/check.py" "$@" 2>"$tmp/py"; then ok; else
		not_ok "$name: $(tail -1 "$tmp/py")"; fi
}

cd "$top/testdata/attempts" || exit 2
for dir in */; do
	dir=${dir%/}
	logs=
	reports=
	xmls=
	n=0
	for status in "$dir"/a*_status; do
		n=$((n + 1))
		a=$dir/a$n
		s=$(cat "$a"_status)
		out=$tmp/$dir-a$n
		"$bin" -q -f junit "$s" "$a.jsonl" >"$out.xml"
		valid "$a.jsonl" "$out.xml"
		check "$a.jsonl against pytest's $a.xml" same "$out.xml" "$a.xml"
		"$bin" -q -f junit "$s" "$a.json" >"$out-c.xml"
		valid "$a.json" "$out-c.xml"
		check "$a.json against pytest's $a.xml" names "$out-c.xml" \
		    "$a.xml"
		logs="$logs $s $a.jsonl"
		reports="$reports $s $a.json"
		xmls="$xmls $a.xml"
	done
	# shellcheck disable=SC2086 # pairs of words
	"$bin" -q -f junit --retries=$((n - 1)) $logs >"$tmp/$dir.xml"
	valid "$dir (logs)" "$tmp/$dir.xml"
	# shellcheck disable=SC2086
	check "$dir (logs)" step "$tmp/$dir.xml" "$dir/expected.json" $xmls
	# shellcheck disable=SC2086
	"$bin" -q -f junit --retries=$((n - 1)) $reports >"$tmp/$dir-c.xml"
	valid "$dir (reports)" "$tmp/$dir-c.xml"
done

# Hostile inputs, from both readers: a log and a collector's report of
# tests whose node IDs, messages, tracebacks and output hold control
# characters, NUL, "]]>", markup, U+FFFE and U+FFFF, a 1 MB message and
# 1 MB of captured output.
"$py" - "$tmp" <<'EOF'
import json, sys
nasty = "\x00\x01\x1b[31m\x7f]]> <a href=\"&amp;\">\ufffe\uffff\r\n\t\u2028"
big = ("E   " + nasty + "x" * 100) * 8000
tmp = sys.argv[1]
def test(nodeid, when, outcome, **k):
    line = {"nodeid": nodeid, "location": ["t.py", 1, "t"],
            "keywords": {}, "outcome": outcome, "longrepr": None,
            "when": when, "user_properties": [], "sections": [],
            "duration": 0.001}
    line.update(k)
    line["$report_type"] = "TestReport"
    return line
crash = {"reprcrash": {"path": "/b/t.py", "lineno": 2,
                       "message": "AssertionError: " + nasty + big},
         "reprtraceback": {"reprentries": [{"type": "ReprEntry", "data": {
             "lines": ["    " + nasty, "E   " + big],
             "reprfileloc": {"path": "t.py" + nasty, "lineno": 2,
                             "message": "AssertionError"},
             "style": "long"}}], "extraline": nasty, "style": "long"}}
lines = [{"pytest_version": "7.2.1", "$report_type": "SessionStart"},
         {"nodeid": "skip" + nasty + ".py", "outcome": "skipped",
          "longrepr": ["/b/s.py", 3, "Skipped: " + nasty], "result": None,
          "sections": [], "$report_type": "CollectReport"}]
for i, name in enumerate(["t.py::test_" + nasty + "[" + nasty + "]",
                          "t.py::Test" + nasty + "::test"]):
    lines.append(test(name, "setup", "passed"))
    lines.append(test(name, "call", "failed", longrepr=crash,
                      sections=[["Captured stdout call", nasty + big],
                                ["Captured stderr call", nasty]]))
    lines.append(test(name, "teardown", "failed", longrepr=big,
                      sections=[["Captured stdout call", nasty + big]]))
lines.append(test("t.py::test_skip", "setup", "skipped",
                  longrepr=["/b/t.py", 9, "Skipped: " + nasty]))
lines.append(test("t.py::test_skip", "teardown", "passed"))
lines.append({"exitstatus": 1, "$report_type": "SessionFinish"})
with open(tmp + "/hostile.jsonl", "w") as f:
    for l in lines:
        f.write(json.dumps(l) + "\n")
records = [{"id": "u", "scope": "t.py", "name": "test_" + nasty,
            "location": None, "history": {"duration": 0.5},
            "result": "failed", "failure_reason": "E: " + nasty + big,
            "failure_expanded": [{"expanded": [nasty, big]}]},
           {"id": "v", "scope": "", "name": "e" + nasty + ".py",
            "history": {"duration": 1}, "tags":
            {"test.pytest_collection_error": "true"}, "result": "failed",
            "failure_reason": nasty}]
with open(tmp + "/hostile.json", "w") as f:
    json.dump(records, f)
EOF
for input in hostile.jsonl hostile.json; do
	for reader in "" --reference; do
		# shellcheck disable=SC2086 # no option, or one
		"$bin" -q -f junit $reader 1 "$tmp/$input" >"$tmp/out.xml"
		valid "$input ${reader:-fast}" "$tmp/out.xml"
	done
done

echo "junit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
