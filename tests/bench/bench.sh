#!/bin/sh
# tests/bench/bench.sh - the speed and memory benchmark of pytriage.
# Run by `make bench`; never by `make check` (no timing is asserted anywhere).
#
# What it measures
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
#                9 s instead of 0.5 s on 10 MB, quadratic); on a log, the
#                last attempt (from the last setup line) decides, failed
#                when any of its lines failed;
#     jq-select  reports only: the bare filter most people write (failed
#                records only, no per-node dedup); run only where node IDs
#                are unique, where its answer is the same;
#     python3    full job with json.load (a log: json.loads per line) and
#                an insertion-ordered dict;
#     go         reports only: tests/bench/peer_go.go, encoding/json's
#                Unmarshal of the whole report into structs, as a Go tool
#                around pytest does; built when `go` is installed;
#     simdjson   reports only: tests/bench/peer_simdjson.cpp, simdjson's
#                On-Demand API, built with c++ -O3 and the flags of the
#                installed simdjson (pkg-config), run with
#                GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (transparent huge
#                pages for its buffers: its best case here) on the report
#                mapped with padding (-m: faster here than
#                padded_string::load; BENCH_SIMDJSON_LOAD=1 for that).
#   Their exact commands are printed in the output. Every run's stdout must
#   be byte-identical to pytriage's, and pytriage's line count must equal
#   the generator's count of failed tests: the bench stops with exit status
#   1 otherwise. Until pytriage reads logs (it exits 2 or says bad-report
#   on one), log rows have no pytriage line and the peers are checked
#   against each other and the generator's count instead. `wc -l FILE` is
#   timed as the floor (reading the bytes). Every report of BENCH_SIZES is
#   also streamed through a pipe (`cat FILE | pytriage 1`, timeit wrapping
#   pytriage alone), beside the pipe's own floor (`cat FILE | drain`,
#   tests/bench/drain.c: what cat and the pipe cost a reader that reads as
#   pytriage does and does nothing with the bytes).
#   Each command runs BENCH_RUNS times (peers BENCH_PEER_RUNS), the tools
#   taking turns so that other load on the machine hits them alike; the
#   table gives the median wall time and the largest peak RSS (getrusage of
#   the waited-for child, via tests/bench/timeit.c).
#
# Output: Markdown on stdout (machine, versions, tables, goal summary) ready
# for tests/bench/README.md; progress on stderr.
#
# Environment
#   PYTRIAGE          binary to measure (default ./pytriage)
#   CC, CXX           compilers for gen/timeit and the simdjson peer (cc, c++)
#   BENCH_QUICK=1     a quick check: 10 MB of each kind, 3 runs, peers once
#                     (the variables below still win when set)
#   BENCH_SIZES       report sizes in MB (default "10 100"; add 1000 for the
#                     1 GB row: about 10 minutes more with the peers)
#   BENCH_LOG_SIZES   log sizes in MB (default "10 100"; "" for none)
#   BENCH_VARIANT_MB  size of the repeat-100 and 8MB-texts reports (default
#                     100; "" for none)
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
	BENCH_LOG_SIZES=${BENCH_LOG_SIZES-10}
	BENCH_VARIANT_MB=${BENCH_VARIANT_MB-10}
	BENCH_RUNS=${BENCH_RUNS:-3}
	BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-1}
fi
BENCH_SIZES=${BENCH_SIZES-10 100}
BENCH_LOG_SIZES=${BENCH_LOG_SIZES-10 100}
BENCH_VARIANT_MB=${BENCH_VARIANT_MB-100}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-$BENCH_RUNS}
BENCH_PEERS=${BENCH_PEERS-jq jq-select python3 go simdjson}
BENCH_SEED=${BENCH_SEED:-1}

isnum() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
for n in $BENCH_SIZES $BENCH_LOG_SIZES $BENCH_VARIANT_MB $BENCH_RUNS $BENCH_PEER_RUNS $BENCH_SEED; do
	isnum "$n" || die "not a number: '$n'"
done
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

say "building gen and timeit with $CC into $W"
$CC -std=c11 -O2 -o "$W/gen" "$here/gen.c" || die "cannot build gen"
$CC -std=c11 -O2 -o "$W/timeit" "$here/timeit.c" || die "cannot build timeit"
$CC -std=c11 -O2 -o "$W/drain" "$here/drain.c" || die "cannot build drain"

# ---------------------------------------------------------------- peers
# Each command gets the file's path appended as its last argument.
# $PEERDIR in a command is where the peers were built (shown as it is).

PEER_jq=$(cat <<'EOF'
jq -r '[.[] | [(if .scope == "" then .name else .scope + "::" + .name end), .result]] | to_entries | group_by(.value[0]) | map([.[0].key, .[0].value[0], .[-1].value[1]]) | sort_by(.[0])[] | select(.[2] == "failed")[1]'
EOF
)
PEER_jq_select=$(cat <<'EOF'
jq -r '.[] | select(.result == "failed") | if .scope == "" then .name else .scope + "::" + .name end'
EOF
)
PEER_python3=$(cat <<'EOF'
python3 -c 'import json,sys; o={}; o.update(((r["scope"] + "::" + r["name"]) if r["scope"] else r["name"], r.get("result")) for r in json.load(open(sys.argv[1]))); sys.stdout.buffer.write("".join(k + "\n" for k, v in o.items() if v == "failed").encode())'
EOF
)
PEERDIR=$W
export PEERDIR
# shellcheck disable=SC2016
PEER_go='$PEERDIR/peer_go'
# shellcheck disable=SC2016
PEER_simdjson='GLIBC_TUNABLES=glibc.malloc.hugetlb=1 $PEERDIR/peer_simdjson -m'
# shellcheck disable=SC2016
[ "${BENCH_SIMDJSON_LOAD:-0}" = 1 ] && PEER_simdjson='GLIBC_TUNABLES=glibc.malloc.hugetlb=1 $PEERDIR/peer_simdjson'
# On a pytest-reportlog log.
PEER_jq_log=$(cat <<'EOF'
jq -rn '[inputs | select(."$report_type" == "TestReport") | [.nodeid, .outcome, .when]] | to_entries | group_by(.value[0]) | map((map(.value[2]) | rindex("setup") // 0) as $s | select(any(.[$s:][]; .value[1] == "failed")) | [.[0].key, .[0].value[0]]) | sort_by(.[0])[] | .[1]'
EOF
)
PEER_python3_log=$(cat <<'EOF'
python3 -c 'import json,sys
o={}
for r in map(json.loads, open(sys.argv[1], "rb")):
 if r["$report_type"] == "TestReport": n = r["nodeid"]; o[n] = r["outcome"] == "failed" or (r["when"] != "setup" and o.get(n, False))
sys.stdout.buffer.write("".join(k + "\n" for k, v in o.items() if v).encode())'
EOF
)

peers=
for p in $BENCH_PEERS; do
	case $p in
	jq | jq-select | python3)
		exe=${p%-select}
		if command -v "$exe" >/dev/null 2>&1; then
			peers="$peers $p"
		else
			say "$exe not installed: no $p rows"
		fi
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
		;;
	simdjson)
		if ! command -v "$CXX" >/dev/null 2>&1 || ! pkg-config --exists simdjson 2>/dev/null; then
			say "no $CXX or no simdjson (pkg-config simdjson): no simdjson rows"
			continue
		fi
		say "building tests/bench/peer_simdjson.cpp with $CXX -O3 $(pkg-config --cflags simdjson)"
		# shellcheck disable=SC2046
		$CXX -std=c++17 -O3 $(pkg-config --cflags simdjson) -o "$W/peer_simdjson" \
		    "$here/peer_simdjson.cpp" $(pkg-config --libs simdjson) ||
			die "cannot build peer_simdjson.cpp"
		peers="$peers simdjson"
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

RES=$W/results   # lines: case tool median_s maxrss_kib runs
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
	*) "$W/timeit" "$_r" sh -c "$(peer_cmd "$_tool" "$_case") \"\$1\"" sh "$_f" >"$W/out" 2>"$W/err" || _st=$? ;;
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

# summarize CASE TOOL: median wall time and largest peak RSS into $RES.
summarize() {
	awk -v c="$1" -v t="$2" '
		{ s[NR] = $1; if ($2 > m) m = $2 }
		END {
			n = NR
			for (i = 2; i <= n; i++) { v = s[i]; for (j = i - 1; j >= 1 && s[j] > v; j--) s[j+1] = s[j]; s[j+1] = v }
			med = (n % 2) ? s[(n+1)/2] : (s[n/2] + s[n/2+1]) / 2
			printf "%s %s %.6f %d %d\n", c, t, med, m, n
		}' "$W/t.$1.$2" >>"$RES"
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
		say "$label: pytriage does not read pytest-reportlog logs yet (exit $st: $(head -1 "$W/err")): no pytriage rows; the peers are checked against each other and the generator's count"
		NOLOG="$NOLOG $c"
		# shellcheck disable=SC2086
		set -- $tools
		[ $# -gt 0 ] || { say "$label: no peer to run: skipped"; continue; }
		refname=$1
		sh -c "$(peer_cmd "$1" "$c") \"\$1\"" sh "$f" >"$ref" 2>"$W/err" || {
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

	# Rounds: every tool once per round, so that load from elsewhere on the
	# machine hits all of them alike; peers stop after BENCH_PEER_RUNS.
	tools="$tools wc"
	case $c in u*) tools="$tools drain" ;; esac
	for t in $tools; do : >"$W/t.$c.$t"; done
	rounds=$BENCH_RUNS
	[ "$BENCH_PEER_RUNS" -gt "$rounds" ] && rounds=$BENCH_PEER_RUNS
	i=0
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		say "$label: round $i of $rounds:$tools"
		for t in $tools; do
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
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || :)

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
echo "Median of $BENCH_RUNS runs (peers: $BENCH_PEER_RUNS), tools taking turns, page cache warm; peak RSS is the largest of the runs. Load average before: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
echo
echo "| input | gen options | bytes | records (log: lines) | tests | failed |"
echo "|---|---|--:|--:|--:|--:|"
while read -r c bytes recs tests failed _; do
	echo "| $(case_label "$c") | \`$(gen_args "$c") -x $BENCH_SEED\` | $bytes | $recs | $tests | $failed |"
done <"$INFO"
echo
echo "| input | command | median s | vs pytriage | MB/s | peak RSS MiB |"
echo "|---|---|--:|--:|--:|--:|"
awk -v info="$INFO" '
	BEGIN { while ((getline l < info) > 0) { split(l, a, " "); bytes[a[1]] = a[2] } }
	function label(c) {
		if (c ~ /^u/) return substr(c, 2) " MB"
		if (c ~ /^r/) return substr(c, 2) " MB repeat-100"
		if (c ~ /^l/) return substr(c, 2) " MB log"
		return substr(c, 2) " MB 8MB-texts"
	}
	function name(t) {
		if (t == "pytriage") return "`pytriage 1 FILE`"
		if (t == "pipe") return "`cat FILE \\| pytriage 1`"
		if (t == "wc") return "`wc -l FILE` (floor)"
		if (t == "drain") return "`cat FILE \\| drain` (pipe floor)"
		if (t == "go") return "go encoding/json"
		if (t == "simdjson") return "simdjson On-Demand, huge pages"
		return t
	}
	{ c = $1; t = $2; med[c, t] = $3; rss[c, t] = $4; have[c, t] = 1; if (!(c in seen)) { seen[c] = 1; order[++nc] = c }; tools[c] = tools[c] " " t }
	END {
		for (i = 1; i <= nc; i++) {
			c = order[i]; n = split(tools[c], ts, " "); first = 1
			for (k = 1; k <= n; k++) {
				t = ts[k]; p = med[c, "pytriage"]
				ratio = (have[c, "pytriage"] && p > 0) ? sprintf("%.1fx", med[c, t] / p) : "-"
				if (t == "pytriage") ratio = "1"
				mbs = (med[c, t] > 0) ? sprintf("%.0f", bytes[c] / 1e6 / med[c, t]) : "-"
				printf "| %s | %s | %.3f | %s | %s | %.1f |\n", first ? label(c) : "", name(t), med[c, t], ratio, mbs, rss[c, t] / 1024
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
	echo "Peer commands (FILE = the report or log; \`\$PEERDIR\` = where the bench built the peers from \`tests/bench/\`), each checked to print exactly pytriage's selectors (on logs it cannot read yet: each other's):"
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

# Goal summary. Informative only: nothing here fails the bench.
goal=u100
grep -q "^u100 pytriage " "$RES" || goal=$largest
awk -v info="$INFO" -v variant="$BENCH_VARIANT_MB" -v largest="$largest" -v g="$goal" '
	BEGIN { while ((getline l < info) > 0) { split(l, a, " "); bytes[a[1]] = a[2]; tests[a[1]] = a[4]; sel[a[1]] = a[6]; ord[++nc] = a[1] } }
	{ med[$1, $2] = $3; rss[$1, $2] = $4; have[$1, $2] = 1 }
	function verdict(ok) { return ok ? "met" : "MISSED" }
	function faster(t, what, goal) {
		if (!have[g, t]) return
		printf "- %s: %.1fx faster than %s (goal %sx): %s\n", gl, med[g, t] / p, what, goal, verdict(med[g, t] / p >= goal)
	}
	END {
		print "Goals, measured above:"
		print ""
		if (g != "" && have[g, "pytriage"]) {
			p = med[g, "pytriage"]; gl = substr(g, 2) " MB report"
			if (g != "u100") printf "(The goals are set for the 100 MB report; measured here on %s.)\n\n", gl
			faster("jq-select", "the bare jq filter (jq-select)", 20)
			faster("jq", "the jq one-liner doing the whole job", 20)
			faster("python3", "the python3 one-liner", 15)
			faster("go", "the Go encoding/json peer", 10)
			faster("simdjson", "simdjson On-Demand with huge pages", 1.3)
			printf "- %s: peak RSS %.1f MiB (goal at most 16 MiB): %s\n", gl, rss[g, "pytriage"] / 1024, verdict(rss[g, "pytriage"] <= 16 * 1024)
			if (have[g, "pipe"])
				printf "- %s: `cat FILE | pytriage 1` takes %.2fx the time of `pytriage 1 FILE` (goal at most 1.3x): %s%s\n", gl, med[g, "pipe"] / p, verdict(med[g, "pipe"] / p <= 1.3), have[g, "drain"] ? sprintf(" (the pipe alone, `cat FILE | drain`, takes %.2fx)", med[g, "drain"] / p) : ""
		}
		line = ""
		for (i = 1; i <= nc; i++) { c = ord[i]; if (c ~ /^u/ && have[c, "pytriage"]) line = line sprintf("%s %s MB: %.3f", line == "" ? "" : ";", substr(c, 2), med[c, "pytriage"] / bytes[c] * 1e8) }
		if (line != "") print "- Linear time, pytriage seconds per 100 MB:" line
		r = "r" variant; b = "b" variant; u = "u" variant
		if (have[r, "pytriage"]) printf "- Memory flat: %s MB over 100 node IDs: peak RSS %.1f MiB\n", variant, rss[r, "pytriage"] / 1024
		if (have[largest, "pipe"]) printf "- %s MB streamed through a pipe: peak RSS %.1f MiB for %d distinct tests\n", substr(largest, 2), rss[largest, "pipe"] / 1024, tests[largest]
		if (have[largest, "pytriage"] && have[r, "pytriage"] && tests[largest] > 100)
			printf "- Growth with tests: (peak RSS %s MB - peak RSS %s MB repeat-100 - %d bytes of selectors) / %d distinct tests = %.0f bytes per test (goal: at most 40)\n", substr(largest, 2), variant, sel[largest], tests[largest], ((rss[largest, "pytriage"] - rss[r, "pytriage"]) * 1024 - sel[largest]) / (tests[largest] - 100)
		if (have[b, "pytriage"] && have[u, "pytriage"])
			printf "- 8 MB failure texts: %.0f MB/s against %.0f MB/s on the %s MB report with ordinary texts\n", bytes[b] / 1e6 / med[b, "pytriage"], bytes[u] / 1e6 / med[u, "pytriage"], variant
		for (i = 1; i <= nc; i++) {
			c = ord[i]
			if (c !~ /^l/) continue
			if (!have[c, "pytriage"]) { printf "- %s MB log: not measured (pytriage does not read logs yet)\n", substr(c, 2); continue }
			line = sprintf("- %s MB log: %.0f MB/s, peak RSS %.1f MiB", substr(c, 2), bytes[c] / 1e6 / med[c, "pytriage"], rss[c, "pytriage"] / 1024)
			if (have[c, "jq"]) line = line sprintf("; %.1fx faster than jq", med[c, "jq"] / med[c, "pytriage"])
			if (have[c, "python3"]) line = line sprintf("; %.1fx faster than python3", med[c, "python3"] / med[c, "pytriage"])
			print line
		}
	}' "$RES"
