#!/bin/sh
# difftest.sh: the fast reader against the json-c reference over testdata/:
# every collector's report and every pytest-reportlog log (real and
# hand-made) whole at many chunk sizes, without failure messages and with
# them, its proper prefixes (never passed or retry; all of them or
# thousands for the small files, thousands for the big ones, every one
# near the end), seeded mutants, and generated reports and logs.
#
# usage: sh tests/difftest.sh ./tests/tools/difftest
# DIFFTEST_SCALE says how many prefixes, mutants and generated inputs
# there are besides the whole files, which every scale reads at every
# chunk size:
#   full   (the default; make long-check) thousands of each;
#   check  (make check) a few hundred, and every prefix near the end of
#          the last few lines of each log;
#   small  (under the sanitizers) more than check, fewer than full;
#   whole  the whole files alone (make check's portable build).
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/testdata" || exit 2

case ${DIFFTEST_SCALE:-full} in
full)
	reports="-p 40000 -m 1500"; logs="-p 2000 -m 400 -E 20"
	big="-p 8 -P 1500 -E 200 -m 6"; gen="-g 20000 -l 10000" ;;
small)
	reports="-p 1500 -m 300"; logs="-p 300 -m 60 -E 20"
	big="-p 3 -P 60 -E 20 -m 2"; gen="-g 2000 -l 3000" ;;
check)
	reports="-p 100 -m 30"; logs="-p 40 -m 10 -E 5"
	big="-p 0 -P 10 -E 3 -m 0"; gen="-g 300 -l 300" ;;
whole)
	reports="-p 0 -m 0"; logs="-p 0 -m 0"
	big="-p 0 -m 0"; gen= ;;
*)
	echo "difftest.sh: DIFFTEST_SCALE is full, check, small or whole" >&2
	exit 2 ;;
esac
big_report=corpus/18_big_suite/report.json
big_log=logs/18_big_suite/log.jsonl
rc=0
# shellcheck disable=SC2046,SC2086
"$tool" $reports -s 1 $(ls corpus/*/report.json hostile/*.json fuzz/* \
    2>/dev/null | grep -v "^$big_report\$") || rc=1
# shellcheck disable=SC2046,SC2086
"$tool" $logs -s 3 $(ls logs/*/log.jsonl hostile/*.jsonl |
    grep -v "^$big_log\$") || rc=1
# shellcheck disable=SC2086
"$tool" $big -s 2 "$big_report" "$big_log" || rc=1
# shellcheck disable=SC2086
[ -z "$gen" ] || "$tool" $gen -s 4 || rc=1
exit $rc
