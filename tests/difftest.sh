#!/bin/sh
# difftest.sh: the fast reader against the json-c reference over testdata/:
# every file whole at many chunk sizes, its proper prefixes (all of them for
# the small files, thousands for the big one) and seeded mutants.
#
# usage: sh tests/difftest.sh ./tests/tools/difftest
# DIFFTEST_SCALE=small: fewer prefixes and mutants (for sanitizers, valgrind).
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/testdata" || exit 2

if [ "${DIFFTEST_SCALE:-full}" = small ]; then
	small="-p 1500 -m 300"; big="-p 5 -P 60 -m 2"; gen=5000
else
	small="-p 40000 -m 1500"; big="-p 20 -P 3000 -m 20"; gen=100000
fi
big_report=corpus/18_big_suite/report.json
rc=0
# shellcheck disable=SC2046,SC2086
"$tool" $small -s 1 $(ls corpus/*/report.json hostile/*.json fuzz/*.json \
    2>/dev/null | grep -v "^$big_report\$") || rc=1
# shellcheck disable=SC2086
"$tool" $big -s 2 "$big_report" || rc=1
exit $rc
