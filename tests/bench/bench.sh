#!/bin/sh
# tests/bench/bench.sh - the speed and memory benchmark of pytriage.
# Run by `make bench`; never by `make check` (no timing is asserted anywhere).
#
# What it measures
#   CPU time, user + sys, is what a CI agent pays for, so every ratio is
#   one of CPU times; wall time is printed beside it.  Each run is timed
#   by tests/bench/timeit.c: getrusage(RUSAGE_CHILDREN) of the command
#   once waited for, so the CPU time of all its threads and of every
#   process it waited for, and its peak RSS.
#   Generated inputs (tests/bench/gen.c: deterministic, byte for byte what
#   the writers write, records shaped like a real 20,000-test suite with
#   nested history spans and multi-line failure texts, 5% failed):
#     - collector reports, one per size in BENCH_SIZES (MB = 10^6 bytes),
#       every record its own node ID: time should grow linearly with size;
#     - "repeat-100": a BENCH_VARIANT_MB report of records cycling over 100
#       node IDs: peak RSS should stay flat, whatever the size;
#     - "8MB-texts": a BENCH_VARIANT_MB report where each failed record
#       (0.1%) carries an 8,000,000-byte failure_reason: cost should be what
#       the bytes cost;
#     - pytest-reportlog logs (gen -l), one per size in BENCH_LOG_SIZES:
#       setup/call/teardown lines per test, failures with longrepr objects,
#       setup and teardown errors, skips, xfails.
#   On each, `pytriage 1 FILE` (selectors of a retry on stdout) is timed
#   against the peers that do the same job, when they are installed:
#     jq         full job: last outcome per node ID, selectors in the order
#                of each node's first record (group_by keeps that order:
#                jq's sort is stable; a `reduce` into an object would be the
#                natural way, but jq 1.6 copies the object on each step:
#                quadratic); on a log, the last attempt (from the last
#                setup line) decides, failed when any of its lines failed;
#     jq-select  reports only: the bare filter most people write (failed
#                records only, no per-node dedup); run only where node IDs
#                are unique, where its answer is the same;
#     python3    full job with json.load (a log: json.loads per line) and
#                an insertion-ordered dict; run as the interpreter itself
#                (sys.executable first on PATH), not through a version
#                manager's shim, whose start-up would count as its CPU time;
#     go         reports only: tests/bench/peer_go.go, encoding/json's
#                Unmarshal of the whole report into structs, as a Go tool
#                around pytest does; built when `go` is installed, with Go's
#                defaults: Go has no -march=native;
#     simdjson   reports only: tests/bench/peer_simdjson.cpp, simdjson's
#                On-Demand API, built with c++ -O3 -march=native (when the
#                compiler takes it) and the flags of the installed simdjson
#                (pkg-config), run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1
#                (transparent huge pages for its buffers) where the kernel
#                and glibc offer them, on the report mapped with padding
#                (-m; BENCH_SIMDJSON_LOAD=1 for padded_string::load).  It
#                validates less than pytriage: its best case here.
#   Their exact commands are printed in the output. Every run's stdout must
#   be byte-identical to pytriage's, and pytriage's line count must equal
#   the generator's count of failed tests: the bench stops with exit status
#   1 otherwise.  (Should pytriage not read a log (it exits 2 or says
#   bad-report), that log has no pytriage row and its peers are checked
#   against each other and the generator's count.)  `wc -l FILE` is timed
#   as the floor (reading the bytes).  Every report of BENCH_SIZES is also
#   streamed through a pipe (`cat FILE | pytriage 1`, timeit measuring
#   pytriage alone: what reading a pipe rather than a file costs it),
#   beside the pipe's own floor (`cat FILE | drain`, tests/bench/drain.c: a
#   reader that reads as pytriage does and does nothing with the bytes).
#   Each command runs BENCH_RUNS times (peers BENCH_PEER_RUNS), the tools
#   taking turns, A B C then C B A, so that other load on the machine hits
#   them alike; the table gives the median wall and CPU times and the
#   largest peak RSS.
#
# Output: Markdown on stdout (machine, builds, versions, tables, goals with
# PASS or MISS), the format of tests/bench/README.md's "Latest run";
# progress on stderr.  Nothing fails the bench but a wrong answer.
#
# Environment
#   PYTRIAGE          binary to measure (default ./pytriage)
#   CC, CXX           compilers for gen/timeit and the simdjson peer (cc, c++)
#   BENCH_QUICK=1     a quick check: 10 MB of each kind, 3 runs, peers once
#                     (the variables below still win when set)
#   BENCH_SIZES       report sizes in MB (default "10 100"; add 1000 for the
#                     1 GB row)
#   BENCH_LOG_SIZES   log sizes in MB (default: BENCH_SIZES; "" for none)
#   BENCH_VARIANT_MB  size of the repeat-100 and 8MB-texts reports (default:
#                     the largest of BENCH_SIZES up to 100; "" for none)
#   BENCH_RUNS        runs per command (default 5); BENCH_PEER_RUNS for peers
#   BENCH_PEERS       peers to run if installed
#                     (default "jq jq-select python3 go simdjson")
#   BENCH_SIMDJSON_LOAD=1  simdjson reads with padded_string::load, not mmap
#   BENCH_SEED        generator seed (default 1)
#   BENCH_DIR         where to make the temporary directory (default $TMPDIR or /tmp)
#   BENCH_KEEP=1      keep the generated files and outputs
# Disk: about 0.5 GB with the defaults, 1.5 GB with the 1 GB report.

set -eu

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
say() { printf 'bench: %s\n' "$*" >&2; }

here=$(cd "$(dirname "$0")" && pwd)

PYTRIAGE=${PYTRIAGE:-./pytriage}
case $PYTRIAGE in
/*) ;;
*/*) PYTRIAGE=$(pwd)/$PYTRIAGE ;;
*) PYTRIAGE=$(command -v "$PYTRIAGE") || die "pytriage not found on PATH" ;;
esac
[ -x "$PYTRIAGE" ] || die "$PYTRIAGE: not an executable; build it first (make)"

CC=${CC:-cc}
CXX=${CXX:-c++}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	BENCH_SIZES=${BENCH_SIZES-10}
	BENCH_RUNS=${BENCH_RUNS:-3}
	BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-1}
fi
BENCH_SIZES=${BENCH_SIZES-10 100}
BENCH_LOG_SIZES=${BENCH_LOG_SIZES-$BENCH_SIZES}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-$BENCH_RUNS}
BENCH_PEERS=${BENCH_PEERS-jq jq-select python3 go simdjson}
BENCH_SEED=${BENCH_SEED:-1}

isnum() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
for n in $BENCH_SIZES $BENCH_LOG_SIZES ${BENCH_VARIANT_MB-} $BENCH_RUNS $BENCH_PEER_RUNS $BENCH_SEED; do
	isnum "$n" || die "not a number: '$n'"
done
if [ -z "${BENCH_VARIANT_MB+set}" ]; then
	# The largest report size up to 100 MB; 100 when all are larger.
	BENCH_VARIANT_MB=
	for s in $BENCH_SIZES; do
		if [ "$s" -le 100 ] && [ "$s" -gt "${BENCH_VARIANT_MB:-0}" ]; then
			BENCH_VARIANT_MB=$s
		fi
	done
	if [ -n "$BENCH_SIZES" ] && [ -z "$BENCH_VARIANT_MB" ]; then
		BENCH_VARIANT_MB=100
	fi
fi
if [ "$BENCH_RUNS" -lt 1 ] || [ "$BENCH_PEER_RUNS" -lt 1 ]; then
	die "BENCH_RUNS and BENCH_PEER_RUNS must be at least 1"
fi
[ -n "$BENCH_SIZES$BENCH_LOG_SIZES$BENCH_VARIANT_MB" ] || die "nothing to measure"

# ------------------------------------------------------------- work area

base=${BENCH_DIR:-${TMPDIR:-/tmp}}
W=$(mktemp -d "$base/pytriage-bench.XXXXXX") || die "cannot make a directory in $base"
cleanup() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "kept $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
# Measure a copy: a rebuild of ./pytriage during the bench must not change
# (or remove) the binary under measurement.
cp "$PYTRIAGE" "$W/pytriage" || die "cannot copy $PYTRIAGE"
say "measuring $PYTRIAGE ($("$W/pytriage" --version 2>&1 | head -1)), copied to $W/pytriage"
PYTRIAGE=$W/pytriage

say "building gen, timeit and drain with $CC into $W"
$CC -std=c11 -O2 -o "$W/gen" "$here/gen.c" || die "cannot build gen"
$CC -std=c11 -O2 -o "$W/timeit" "$here/timeit.c" || die "cannot build timeit"
$CC -std=c11 -O2 -o "$W/drain" "$here/drain.c" || die "cannot build drain"

# ---------------------------------------------------------------- peers
# Each command is run by timeit through eval, the file's path appended as
# its last argument: leading NAME=VALUE words go to its environment.
# $PEERDIR in a command is where the peers were built (shown as it is).

PEER_jq=$(cat <<'X'
jq -r '[.[] | [(if .scope == "" then .name else .scope + "::" + .name end), .result]] | to_entries | group_by(.value[0]) | map([.[0].key, .[0].value[0], .[-1].value[1]]) | sort_by(.[0])[] | select(.[2] == "failed")[1]'
X
)
PEER_jq_select=$(cat <<'X'
jq -r '.[] | select(.result == "failed") | if .scope == "" then .name else .scope + "::" + .name end'
X
)
PEER_python3=$(cat <<'X'
python3 -c 'import json,sys; o={}; o.update(((r["scope"] + "::" + r["name"]) if r["scope"] else r["name"], r.get("result")) for r in json.load(open(sys.argv[1]))); sys.stdout.buffer.write("".join(k + "\n" for k, v in o.items() if v == "failed").encode())'
X
)
PEERDIR=$W
export PEERDIR
# shellcheck disable=SC2016
PEER_go='$PEERDIR/peer_go'
# On a pytest-reportlog log.
PEER_jq_log=$(cat <<'X'
jq -rn '[inputs | select(."$report_type" == "TestReport") | [.nodeid, .outcome, .when]] | to_entries | group_by(.value[0]) | map((map(.value[2]) | rindex("setup") // 0) as $s | select(any(.[$s:][]; .value[1] == "failed")) | [.[0].key, .[0].value[0]]) | sort_by(.[0])[] | .[1]'
X
)
PEER_python3_log=$(cat <<'X'
python3 -c 'import json,sys
o={}
for r in map(json.loads, open(sys.argv[1], "rb")):
 if r["$report_type"] == "TestReport": n = r["nodeid"]; o[n] = r["outcome"] == "failed" or (r["when"] != "setup" and o.get(n, False))
sys.stdout.buffer.write("".join(k + "\n" for k, v in o.items() if v).encode())'
X
)

# Huge pages for simdjson's buffers: transparent huge pages on (always or
# madvise) and a glibc with the glibc.malloc.hugetlb tunable (2.35).
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || :)
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc //p')
hugepages="no (transparent huge pages: ${thp:-absent}; glibc ${glibc:-unknown})"
hp=
case $thp in
always | madvise)
	case $glibc in
	2.3[5-9]* | 2.[4-9]* | [3-9].*)
		hp='GLIBC_TUNABLES=glibc.malloc.hugetlb=1 '
		hugepages="yes (transparent huge pages: $thp; glibc $glibc, glibc.malloc.hugetlb=1)"
		;;
	esac
	;;
esac
PEER_simdjson="$hp\$PEERDIR/peer_simdjson -m"
[ "${BENCH_SIMDJSON_LOAD:-0}" = 1 ] && PEER_simdjson="$hp\$PEERDIR/peer_simdjson"

peers=
builds=          # how the compiled peers were built, for the report
for p in $BENCH_PEERS; do
	case $p in
	jq | jq-select | python3)
		exe=${p%-select}
		if ! command -v "$exe" >/dev/null 2>&1; then
			say "$exe not installed: no $p rows"
			continue
		fi
		if [ "$p" = python3 ]; then
			# The interpreter itself, not a shim (pyenv, asdf) that
			# would add its own start-up to every run's CPU time.
			py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || py=
			case $py in
			/*/*) [ -x "$py" ] && PATH=${py%/*}:$PATH && export PATH ;;
			esac
			say "python3 is $(command -v python3)"
		fi
		peers="$peers $p"
		;;
	go)
		if ! command -v go >/dev/null 2>&1; then
			say "go not installed: no go rows"
			continue
		fi
		say "building tests/bench/peer_go.go with $(go version 2>&1)"
		# A home of its own: works as root in CI with no HOME; standard
		# library only, so no module download.
		mkdir -p "$W/go/cache" "$W/go/path"
		(cd "$here" && env GOCACHE="$W/go/cache" GOPATH="$W/go/path" \
		    GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
		    go build -o "$W/peer_go" ./peer_go.go) || die "cannot build peer_go.go"
		peers="$peers go"
		builds="$builds; go: \`go build\`, Go's defaults (Go has no -march=native)"
		;;
	simdjson)
		if ! command -v "$CXX" >/dev/null 2>&1 || ! pkg-config --exists simdjson 2>/dev/null; then
			say "no $CXX or no simdjson (pkg-config simdjson): no simdjson rows"
			continue
		fi
		march=-march=native
		echo 'int main(void) { return 0; }' >"$W/march.cpp"
		$CXX $march -o "$W/march" "$W/march.cpp" 2>/dev/null || {
			say "$CXX does not take $march: simdjson built without it"
			march=
		}
		flags=$(printf '%s\n' "-std=c++17 -O3 $march $(pkg-config --cflags simdjson)" |
		    tr -s ' ' | sed 's/ $//')
		say "building tests/bench/peer_simdjson.cpp with $CXX $flags"
		libs=$(pkg-config --libs simdjson | sed 's/ *$//')
		# shellcheck disable=SC2086
		$CXX $flags -o "$W/peer_simdjson" "$here/peer_simdjson.cpp" $libs ||
			die "cannot build peer_simdjson.cpp"
		peers="$peers simdjson"
		builds="$builds; simdjson: \`$CXX $flags ... $libs\`, huge pages: $hugepages"
		;;
	*) die "unknown peer '$p' (jq, jq-select, python3, go, simdjson)" ;;
	esac
done

# peer_cmd TOOL CASE -> command text; nothing when TOOL has no command for CASE.
peer_cmd() {
	case $1.$2 in
	jq.l*) printf '%s' "$PEER_jq_log" ;;
	python3.l*) printf '%s' "$PEER_python3_log" ;;
	*.l*) ;;
	jq.*) printf '%s' "$PEER_jq" ;;
	jq-select.r*) ;; # per-node dedup matters there
	jq-select.*) printf '%s' "$PEER_jq_select" ;;
	python3.*) printf '%s' "$PEER_python3" ;;
	go.*) printf '%s' "$PEER_go" ;;
	simdjson.*) printf '%s' "$PEER_simdjson" ;;
	esac
}

# --------------------------------------------------------------- running

RES=$W/results   # lines: case tool wall_s cpu_s maxrss_kib runs wall/cpu
: >"$RES"

# run_once CASE TOOL FILE REF: one timed run of TOOL on FILE, appended to
# $W/t.CASE.TOOL; its stdout must equal REF byte for byte (REF - : no check).
run_once() {
	_case=$1 _tool=$2 _f=$3 _ref=$4
	_r=$W/t.$_case.$_tool _st=0
	case $_tool in
	pytriage) "$W/timeit" "$_r" "$PYTRIAGE" 1 "$_f" >"$W/out" 2>"$W/err" || _st=$? ;;
	pipe) # timeit measures pytriage alone; cat only feeds the pipe
		# shellcheck disable=SC2002
		cat "$_f" | "$W/timeit" "$_r" "$PYTRIAGE" 1 >"$W/out" 2>"$W/err" || _st=$? ;;
	wc) "$W/timeit" "$_r" wc -l "$_f" >"$W/out" 2>"$W/err" || _st=$? ;;
	drain) # the pipe's own floor: the same cat, a reader that only reads
		# shellcheck disable=SC2002
		cat "$_f" | "$W/timeit" "$_r" "$W/drain" >"$W/out" 2>"$W/err" || _st=$? ;;
	*) # no shell in between: timeit runs the peer itself
		eval "\"\$W/timeit\" \"\$_r\" $(peer_cmd "$_tool" "$_case") \"\$_f\"" \
		    >"$W/out" 2>"$W/err" || _st=$? ;;
	esac
	[ "$_ref" = - ] && return 0
	_label=$(case_label "$_case")
	[ "$_st" = 0 ] || { cat "$W/err" >&2; die "$_label: $_tool exited $_st"; }
	if ! cmp -s "$W/out" "$_ref"; then
		say "$_label: $_tool: SELECTORS DIFFER from $refname's (diff $refname $_tool):"
		diff "$_ref" "$W/out" | head -20 >&2 || :
		die "$_label: $_tool and $refname disagree (BENCH_KEEP=1 keeps the files)"
	fi
}

# summarize CASE TOOL: from timeit's lines (wall user sys maxrss status),
# the median wall time, the median CPU time (user + sys), the largest peak
# RSS and the median of each run's wall/CPU into $RES.
summarize() {
	awk -v c="$1" -v t="$2" '
		function median(a, n,   i, j, v) {
			for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j+1] = a[j]; a[j+1] = v }
			return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
		}
		{ w[NR] = $1; u[NR] = $2 + $3; r[NR] = ($2 + $3 > 0) ? $1 / ($2 + $3) : 0; if ($4 > m) m = $4 }
		END { printf "%s %s %.6f %.6f %d %d %.4f\n", c, t, median(w, NR), median(u, NR), m, NR, median(r, NR) }
	' "$W/t.$1.$2" >>"$RES"
}

CASES=       # case names in order
largest=     # largest report with unique node IDs
for s in $BENCH_SIZES; do
	CASES="$CASES u$s"
	largest=u$s
done
if [ -n "$BENCH_VARIANT_MB" ]; then
	CASES="$CASES r$BENCH_VARIANT_MB b$BENCH_VARIANT_MB"
fi
for s in $BENCH_LOG_SIZES; do
	CASES="$CASES l$s"
done

# A case's generator arguments (gen_args) and its label (case_label).
case_info() {	# CASE args|label
	case $1 in
	u*) set -- "$2" "-s ${1#u}M" "${1#u} MB" ;;
	r*) set -- "$2" "-s ${1#r}M -r 100" "${1#r} MB repeat-100" ;;
	b*) set -- "$2" "-s ${1#b}M -f 1 -b 8000000" "${1#b} MB 8MB-texts" ;;
	l*) set -- "$2" "-l -s ${1#l}M" "${1#l} MB log" ;;
	esac
	if [ "$1" = args ]; then printf '%s' "$2"; else printf '%s' "$3"; fi
}
gen_args() { case_info "$1" args; }
case_label() { case_info "$1" label; }

INFO=$W/cases    # lines: case bytes records tests failed selector_bytes
: >"$INFO"
NOLOG=           # log cases pytriage could not read

for c in $CASES; do
	f=$W/$c.json
	label=$(case_label "$c")
	say "$label: generating (gen $(gen_args "$c") -x $BENCH_SEED)"
	# shellcheck disable=SC2046
	"$W/gen" $(gen_args "$c") -x "$BENCH_SEED" -v >"$f" 2>"$W/gen.stats" || die "gen failed"
	# "records=R tests=T failed=F skipped=S bytes=B"
	read -r g_records g_tests g_failed g_skipped g_bytes <"$W/gen.stats" || die "gen: no statistics"
	g_records=${g_records#records=} g_tests=${g_tests#tests=} g_failed=${g_failed#failed=}
	g_bytes=${g_bytes#bytes=}
	: "$g_skipped"

	tools=
	for p in $peers; do
		[ -n "$(peer_cmd "$p" "$c")" ] && tools="$tools $p"
	done
	ref=$W/$c.ref
	refname=pytriage
	st=0
	"$PYTRIAGE" 1 "$f" >"$ref" 2>"$W/err" || st=$?
	if [ "$st" != 0 ]; then
		case $c.$st in
		l*.2) nolog=1 ;;
		l*) grep -q bad-report "$W/err" && nolog=1 || nolog=0 ;;
		*) nolog=0 ;;
		esac
		if [ "$nolog" = 0 ]; then
			cat "$W/err" >&2
			die "$label: pytriage 1 exited $st (expected 0: retry)"
		fi
		say "$label: pytriage does not read pytest-reportlog logs (exit $st: $(head -1 "$W/err")): no pytriage rows; the peers are checked against each other and the generator's count"
		NOLOG="$NOLOG $c"
		# shellcheck disable=SC2086
		set -- $tools
		[ $# -gt 0 ] || { say "$label: no peer to run: skipped"; continue; }
		refname=$1
		eval "$(peer_cmd "$1" "$c") \"\$f\"" >"$ref" 2>"$W/err" || {
			cat "$W/err" >&2
			die "$label: $1 failed"
		}
	else
		case $c in
		u*) tools="pytriage pipe$tools" ;;
		*) tools="pytriage$tools" ;;
		esac
	fi
	n=$(wc -l <"$ref" | tr -d ' ')
	[ "$n" = "$g_failed" ] || die "$label: $refname printed $n selectors, the generator wrote $g_failed failed tests"
	echo "$c $g_bytes $g_records $g_tests $g_failed $(wc -c <"$ref" | tr -d ' ')" >>"$INFO"

	# Rounds: every tool once per round, in turn, the order reversed every
	# other round, so that load from elsewhere on the machine and what one
	# tool leaves in the caches hit all of them alike; peers stop after
	# BENCH_PEER_RUNS.
	tools="$tools wc"
	case $c in u*) tools="$tools drain" ;; esac
	backwards=
	for t in $tools; do
		: >"$W/t.$c.$t"
		backwards="$t $backwards"
	done
	rounds=$BENCH_RUNS
	[ "$BENCH_PEER_RUNS" -gt "$rounds" ] && rounds=$BENCH_PEER_RUNS
	i=0
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		order=$tools
		[ $((i % 2)) = 0 ] && order=$backwards
		# shellcheck disable=SC2086
		set -- $order
		say "$label: round $i of $rounds: $*"
		for t in $order; do
			case $t in
			pytriage | pipe | wc | drain)
				[ "$i" -le "$BENCH_RUNS" ] || continue ;;
			*) [ "$i" -le "$BENCH_PEER_RUNS" ] || continue ;;
			esac
			r=$ref
			case $t in wc | drain) r=- ;; esac
			run_once "$c" "$t" "$f" "$r"
		done
	done
	for t in $tools; do summarize "$c" "$t"; done
done

# --------------------------------------------------------------- report

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || :)
# shellcheck disable=SC1091
os=$(. /etc/os-release 2>/dev/null && printf '%s' "${PRETTY_NAME:-}") || os=
ver() { "$@" 2>&1 | head -1; }
sj_name="simdjson On-Demand${march:+, $march}"
[ -n "$hp" ] && sj_name="$sj_name, huge pages"

echo "### Benchmark"
echo
echo "Machine: $(uname -m), $(nproc 2>/dev/null || echo '?') CPUs, ${cpu:-unknown CPU}, ${mem:-? RAM}; $(uname -sr)${os:+, $os}${thp:+; transparent huge pages: $thp}."
printf 'Versions: %s' "$(ver "$PYTRIAGE" --version)"
for p in $peers; do
	case $p in
	jq) printf ', %s' "$(ver jq --version)" ;;
	python3) printf ', %s' "$(ver python3 --version)" ;;
	go) printf ', %s' "$(ver go version)" ;;
	simdjson) printf ', %s, %s' "$(ver "$W/peer_simdjson" -V)" "$(ver "$CXX" --version)" ;;
	esac
done
echo "."
echo "Builds: pytriage as given (make's flags); jq and python3 as installed${builds}."
echo "Median of $BENCH_RUNS runs (peers: $BENCH_PEER_RUNS), tools taking turns (A B C, then C B A), page cache warm. CPU s = user + sys of the command and every process it waited for (getrusage), all its threads included; the ratios are of CPU times; peak RSS is the largest of the runs. Load average before: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
echo
echo "| input | gen options | bytes | records (log: lines) | tests | failed |"
echo "|---|---|--:|--:|--:|--:|"
while read -r c bytes recs tests failed _; do
	echo "| $(case_label "$c") | \`$(gen_args "$c") -x $BENCH_SEED\` | $bytes | $recs | $tests | $failed |"
done <"$INFO"
echo
echo "| input | command | wall s | CPU s | CPU vs pytriage | MB per CPU s | peak RSS MiB |"
echo "|---|---|--:|--:|--:|--:|--:|"
awk -v info="$INFO" -v sj="$sj_name" '
	BEGIN { while ((getline l < info) > 0) { split(l, a, " "); bytes[a[1]] = a[2] } }
	function label(c) {
		if (c ~ /^u/) return substr(c, 2) " MB"
		if (c ~ /^r/) return substr(c, 2) " MB repeat-100"
		if (c ~ /^l/) return substr(c, 2) " MB log"
		return substr(c, 2) " MB 8MB-texts"
	}
	function name(t) {
		if (t == "pytriage") return "`pytriage 1 FILE`"
		if (t == "pipe") return "`cat FILE \\| pytriage 1` (pytriage alone)"
		if (t == "wc") return "`wc -l FILE` (floor)"
		if (t == "drain") return "`cat FILE \\| drain` (pipe floor, drain alone)"
		if (t == "go") return "go encoding/json"
		if (t == "simdjson") return sj
		return t
	}
	{ c = $1; t = $2; wall[c, t] = $3; cpu[c, t] = $4; rss[c, t] = $5; have[c, t] = 1; if (!(c in seen)) { seen[c] = 1; order[++nc] = c }; tools[c] = tools[c] " " t }
	END {
		for (i = 1; i <= nc; i++) {
			c = order[i]; n = split(tools[c], ts, " "); first = 1; p = cpu[c, "pytriage"]
			for (k = 1; k <= n; k++) {
				t = ts[k]
				ratio = (have[c, "pytriage"] && p > 0) ? sprintf("%.1fx", cpu[c, t] / p) : "-"
				if (t == "pytriage") ratio = "1"
				mbs = (cpu[c, t] > 0) ? sprintf("%.0f", bytes[c] / 1e6 / cpu[c, t]) : "-"
				printf "| %s | %s | %.3f | %.3f | %s | %s | %.1f |\n", first ? label(c) : "", name(t), wall[c, t], cpu[c, t], ratio, mbs, rss[c, t] / 1024
				first = 0
			}
		}
	}' "$RES"
echo
for c in $NOLOG; do
	echo "No pytriage row for the $(case_label "$c"): this pytriage does not read pytest-reportlog logs; its peers were checked against each other and the generator's count of failed tests."
	echo
done
if [ -n "$peers" ]; then
	echo "Peer commands (FILE = the report or log; \`\$PEERDIR\` = where the bench built the peers from \`tests/bench/\`), each checked to print exactly pytriage's selectors:"
	echo
	echo '```sh'
	for p in $peers; do
		for k in u l; do
			cmd=$(peer_cmd "$p" "${k}0")
			[ -n "$cmd" ] || continue
			[ "$k" = l ] && note=' on a pytest-reportlog log' || note=' on a collector report'
			printf '# %s%s\n%s FILE\n' "$p" "$note" "$cmd"
		done
	done
	echo '```'
else
	echo "No peer was run (BENCH_PEERS empty or none installed)."
fi
echo
echo "Inputs: \`cc -O2 -o gen tests/bench/gen.c && ./gen OPTIONS > FILE\` (options above); same options, same bytes."
echo

# Goals, each PASS or MISS. Informative only: nothing here fails the bench.
goal=u100
grep -q "^u100 pytriage " "$RES" || goal=$largest
awk -v info="$INFO" -v variant="$BENCH_VARIANT_MB" -v largest="$largest" -v g="$goal" -v sj="$sj_name" '
	BEGIN { while ((getline l < info) > 0) { split(l, a, " "); bytes[a[1]] = a[2]; tests[a[1]] = a[4]; sel[a[1]] = a[6]; ord[++nc] = a[1] } }
	{ wall[$1, $2] = $3; cpu[$1, $2] = $4; rss[$1, $2] = $5; wc[$1, $2] = $7; have[$1, $2] = 1 }
	function verdict(ok) { return ok ? "PASS" : "MISS" }
	function times(x) { return sprintf(x < 10 ? "%.2fx" : "%.1fx", x) }
	function row(what, measured, target, ok) { printf "| %s | %s | %s | %s |\n", what, measured, target, ok }
	function faster(t, what, goal,   x) {
		if (!have[g, t] || p <= 0) { row("CPU: " what, "not measured", sprintf(">= %.1fx", goal), "-"); return }
		x = cpu[g, t] / p
		row("CPU: " what, times(x), sprintf(">= %.1fx", goal), verdict(x >= goal))
	}
	function mbcpu(c) { return bytes[c] / 1e6 / cpu[c, "pytriage"] }
	END {
		print "#### Goals"
		print ""
		if (g == "" || !have[g, "pytriage"]) { print "Not measured: no collector report (BENCH_SIZES)."; exit }
		p = cpu[g, "pytriage"]; gs = substr(g, 2); l = "l" gs
		printf "On the %s MB report%s; CPU times, ratios of medians; wall/CPU is the median of pytriage'"'"'s runs'"'"' ratios, `wc -l`'"'"'s beside it showing what load from elsewhere adds:\n\n", gs, g != "u100" ? " (the goals are set for 100 MB)" : ""
		print "| goal | measured | target | verdict |"
		print "|---|--:|--:|---|"
		faster("jq-select", "pytriage vs the bare jq filter (jq-select)", 15)
		faster("go", "pytriage vs Go encoding/json", 10)
		faster("simdjson", "pytriage vs " sj, 1.0)
		row("pytriage: wall time / CPU time" (have[g, "wc"] ? sprintf(" (`wc -l FILE` in the same rounds: %.2fx)", wc[g, "wc"]) : ""), sprintf("%.2fx", wc[g, "pytriage"]), "<= 1.15x", verdict(wc[g, "pytriage"] <= 1.15))
		row("pytriage: peak RSS", sprintf("%.1f MiB", rss[g, "pytriage"] / 1024), "<= 16 MiB", verdict(rss[g, "pytriage"] <= 16 * 1024))
		if (have[l, "pytriage"] && cpu[l, "pytriage"] > 0 && p > 0) {
			x = mbcpu(l) / mbcpu(g)
			row(sprintf("the %s MB log: bytes per CPU s / the report'"'"'s (%.0f / %.0f MB)", gs, mbcpu(l), mbcpu(g)), sprintf("%.2fx", x), ">= 0.9x", verdict(x >= 0.9))
		} else
			row("the " gs " MB log: bytes per CPU s / the report'"'"'s", "not measured", ">= 0.9x", "-")
		print ""
		print "Other figures (CPU time):"
		print ""
		if (have[g, "jq"]) printf "- %s MB report: %.1fx faster than the jq one-liner doing the whole job\n", gs, cpu[g, "jq"] / p
		if (have[g, "python3"]) printf "- %s MB report: %.1fx faster than the python3 one-liner\n", gs, cpu[g, "python3"] / p
		if (have[g, "pipe"])
			printf "- %s MB report through a pipe: pytriage takes %.2fx its CPU time on the file%s\n", gs, cpu[g, "pipe"] / p, have[g, "drain"] ? sprintf(" (`drain`, reading the same pipe and doing nothing: %.2fx)", cpu[g, "drain"] / p) : ""
		line = ""
		for (i = 1; i <= nc; i++) { c = ord[i]; if (c ~ /^u/ && have[c, "pytriage"]) line = line sprintf("%s %s MB: %.3f", line == "" ? "" : ";", substr(c, 2), cpu[c, "pytriage"] / bytes[c] * 1e8) }
		if (line != "") print "- Linear time, pytriage CPU seconds per 100 MB:" line
		r = "r" variant; b = "b" variant; u = "u" variant
		if (have[r, "pytriage"]) printf "- Memory flat: %s MB over 100 node IDs: peak RSS %.1f MiB\n", variant, rss[r, "pytriage"] / 1024
		if (have[largest, "pipe"]) printf "- %s MB streamed through a pipe: peak RSS %.1f MiB for %d distinct tests\n", substr(largest, 2), rss[largest, "pipe"] / 1024, tests[largest]
		if (have[largest, "pytriage"] && have[r, "pytriage"] && tests[largest] > 100) {
			x = ((rss[largest, "pytriage"] - rss[r, "pytriage"]) * 1024 - sel[largest]) / (tests[largest] - 100)
			printf "- Growth with tests: (peak RSS %s MB - peak RSS %s MB repeat-100 - %d bytes of selectors) / %d distinct tests = %.0f bytes per test (goal: at most 40; %s)\n", substr(largest, 2), variant, sel[largest], tests[largest], x, verdict(x <= 40)
		}
		if (have[b, "pytriage"] && have[u, "pytriage"])
			printf "- 8 MB failure texts: %.0f MB per CPU s against %.0f on the %s MB report with ordinary texts\n", mbcpu(b), mbcpu(u), variant
		for (i = 1; i <= nc; i++) {
			c = ord[i]
			if (c !~ /^l/) continue
			if (!have[c, "pytriage"]) { printf "- %s MB log: not measured (pytriage does not read logs)\n", substr(c, 2); continue }
			line = sprintf("- %s MB log: %.0f MB per CPU s, peak RSS %.1f MiB", substr(c, 2), mbcpu(c), rss[c, "pytriage"] / 1024)
			if (have[c, "jq"]) line = line sprintf("; %.1fx faster than jq", cpu[c, "jq"] / cpu[c, "pytriage"])
			if (have[c, "python3"]) line = line sprintf("; %.1fx faster than python3", cpu[c, "python3"] / cpu[c, "pytriage"])
			if (have["u" substr(c, 2), "pytriage"]) line = line sprintf("; %.2fx the %s MB report'"'"'s bytes per CPU s", mbcpu(c) / mbcpu("u" substr(c, 2)), substr(c, 2))
			print line
		}
	}' "$RES"
