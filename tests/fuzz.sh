#!/bin/sh
# fuzz.sh: run the libFuzzer targets for SECONDS in all, seeded from
# testdata/ (reports and logs) with tests/fuzz/report.dict, after
# replaying every seed and the regression inputs in testdata/fuzz/.
#
# usage: sh tests/fuzz.sh [SECONDS]
# A finding is left in the current directory as crash-* (or leak-*,
# timeout-*); reproduce it with ./tests/tools/fuzz_triage crash-...
set -eu
seconds=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top"

# fuzz_triage reads two control bytes first (exit status, options);
# fuzz_diff one (chunk size, messages).  Seeds get them in front: a log
# its own exit status, formats lines and json, messages or not.
mkdir "$tmp/triage" "$tmp/diff" "$tmp/step"
n=0
for f in testdata/corpus/*/report.json testdata/hostile/*.json \
    testdata/hostile/*.jsonl testdata/logs/*/log.jsonl testdata/fuzz/*; do
	[ -f "$f" ] || continue
	[ "$(wc -c <"$f")" -le 65536 ] || continue
	n=$((n + 1))
	status=1
	[ -f "$(dirname "$f")/exit_status" ] &&
		status=$(cat "$(dirname "$f")/exit_status")
	octal=$(printf '%03o' $((status % 256)))
	{ printf "\\$octal\\000"; cat "$f"; } >"$tmp/triage/seed-$n"
	{ printf '\000\003'; cat "$f"; } >"$tmp/triage/seed-$n-0"
	{ printf '\001\203'; cat "$f"; } >"$tmp/triage/seed-$n-1"
	{ printf '\003'; cat "$f"; } >"$tmp/diff/seed-$n"
	{ printf '\205'; cat "$f"; } >"$tmp/diff/seed-$n-m"
done

# fuzz_step: an options byte, then attempts, each its exit status and its
# report, apart by "\0ATT": a flaky test's first run and its retry, and
# each small log alone and then retried by itself, in json and in junit
# (format 6: options byte 0x61, one retry).
{ printf '\001\001'; cat testdata/logs/17a_flaky_first_run/log.jsonl
  printf '\000ATT\000'; cat testdata/logs/17b_flaky_second_run/log.jsonl
} >"$tmp/step/seed-flaky"
{ printf '\141\001'; cat testdata/logs/17a_flaky_first_run/log.jsonl
  printf '\000ATT\000'; cat testdata/logs/17b_flaky_second_run/log.jsonl
} >"$tmp/step/seed-flaky-junit"
for f in testdata/logs/*/log.jsonl testdata/hostile/*.jsonl; do
	[ "$(wc -c <"$f")" -le 32768 ] || continue
	n=$((n + 1))
	{ printf '\065\001'; cat "$f"; printf '\000ATT\001'; cat "$f"; } \
	    >"$tmp/step/seed-$n"
	{ printf '\141\001'; cat "$f"; printf '\000ATT\001'; cat "$f"; } \
	    >"$tmp/step/seed-$n-junit"
done

# Regressions first: every saved input must pass both targets.
./tests/tools/fuzz_triage -runs=0 "$tmp/triage" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }
./tests/tools/fuzz_step -runs=0 "$tmp/step" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }
./tests/tools/fuzz_diff -runs=0 "$tmp/diff" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }
./tests/tools/fuzz_diff_portable -runs=0 "$tmp/diff" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }

# pytriage run's reading of pytest's command line: byte 0 picks the
# report and PYTEST_ADDOPTS, then NUL-separated words.
mkdir "$tmp/pyargs"
i=0
for line in "pytest -x" "pytest -vx -k x" "python3 -m pytest --maxfail=2" \
    "pytest -o addopts=-x" "pytest -p no:cacheprovider --lf" \
    "tox -e py -- -rfEx" "pytest -n 4 --doctest-modules src -- t"; do
	i=$((i + 1))
	printf '%s' "$line" | tr ' ' '\000' >"$tmp/pyargs/seed-$i"
	{ printf '\002-q '"'"'-x'"'"'\000'; printf '%s' "$line" |
	    tr ' ' '\000'; } >"$tmp/pyargs/seed-$i-env"
done
./tests/tools/fuzz_pyargs -runs=0 "$tmp/pyargs" >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; exit 1; }

# fuzz_diff_portable: fuzz_diff with the scanner's portable way forced.
each=$((seconds / 5))
[ $each -ge 1 ] || each=1
for target in triage step diff diff_portable pyargs; do
	seeds=${target%_portable}
	dict=-dict=tests/fuzz/report.dict
	[ "$target" = pyargs ] && dict=
	echo "fuzz: fuzz_$target for ${each}s from $n seeds"
	if ! ./tests/tools/fuzz_$target -max_total_time=$each -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    $dict \
	    "$tmp/$seeds" >"$tmp/log" 2>&1; then
		tail -n 60 "$tmp/log"
		echo "fuzz: fuzz_$target found a problem; the input is in crash-* here"
		exit 1
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$tmp/log" |
	    sed "s/^/fuzz: fuzz_$target /"
done
echo "fuzz: no findings"
