#!/bin/sh
# shellcheck disable=SC2016 # awk and jq programs in single quotes
# golden.sh: end-to-end golden tests of the pytriage binary.
#
# usage: sh tests/golden.sh PYTRIAGE
#
# PYTRIAGE is the binary under test, or a wrapper that runs it (such as
# tests/valgrind.sh).  Every case is a shell command line, run with sh in
# the directory testdata/, with stdin from /dev/null, LC_ALL=C and
# $PYTRIAGE set to the absolute path of PYTRIAGE.  There are two kinds.
#
# Table cases: tests/golden/*.test, one file per area.  Blank lines and
# lines starting with '#' are comments.  A case is, in this order:
#
#	test NAME	starts a case; NAME ([A-Za-z0-9_]) is unique
#	$ COMMAND	the command line, given to sh as it stands
#	exit N		its exit status, 0..255
#	1: TEXT		a line of stdout: TEXT, then a newline
#	1\ ESCAPED	bytes of stdout, written with escapes
#	2: TEXT		a line of stderr: TEXT, then a newline
#	2\ ESCAPED	bytes of stderr, written with escapes
#
# the 1 lines in the order of the bytes, then the 2 lines.  No 1 line
# means stdout must be empty; no 2 line, stderr.  TEXT is taken as it
# stands (a backslash is a backslash); it is printable ASCII, not empty,
# and does not end in a space.  Any other line is ESCAPED: printable
# ASCII, with \\ for a backslash, \0 \t \n \r for NUL, tab, newline and
# carriage return, and \xHH (two lowercase hex digits) for any other
# byte and for a space that ends the table line.  An escaped line
# carries its own line end: "1\ abc" is abc with no newline after it,
# "1\ \n" an empty line.  Output is cut into lines after every newline
# and after every NUL, so -0 output is one "1\ SELECTOR\0" line per
# selector.  Every line of a table is printable ASCII and ends in no
# blank.
#
# The runner writes what the command did in this same form, which has
# exactly one spelling for any bytes, and compares the text: so stdout,
# stderr and the exit status are compared byte for byte, and a failure
# shows a diff of the three.  An expectation spelled any other way fails
# (the diff shows the spelling wanted); it never passes.
#
# Corpus cases: every testdata/corpus/*/ (input report.json) and
# testdata/logs/*/ (input log.jsonl) that holds expected.json.  The
# expectations come from expected.json and the triage contract, never
# from the binary: for STATUS (the folder's exit_status file) the runner
# checks
#
#	"$PYTRIAGE" STATUS DIR/INPUT		exit status and stdout
#	"$PYTRIAGE" -0 STATUS DIR/INPUT		exit status and stdout
#	"$PYTRIAGE" -f verdict STATUS DIR/INPUT	exit status and stdout
#	"$PYTRIAGE" -f json STATUS DIR/INPUT	exit status; one line whose
#		verdict, exit_status, selectors, collection_errors (absent
#		from expected.json: none) and flaky (when expected.json has
#		it) equal expected.json's
#
# On retry lines prints each selector and a newline, -0 each selector and
# a NUL, with exit 0; but lines refuses (exit 2, no stdout) a selector
# holding NUL or a line break of str.splitlines() or starting with @ or
# -, and -0 one holding NUL or starting with @.  Any other verdict prints
# nothing with expected.json's exit.  stderr is not compared here; the
# table tests/golden/corpus.test pins it.  Reading expected.json takes jq.
#
# Prints a diff for every failing case, then "golden: N passed, M failed";
# exits 0 only when none failed and some ran.
#
# GOLDEN_JOBS=N runs the table cases N at a time (default 1): for a
# wrapper as slow as valgrind.
#
# GOLDEN_UPDATE=1 rewrites the exit, 1 and 2 lines of every table case
# from what the binary does, in place; names, commands and comments stay.
# A case that changes still prints its diff and counts as failed.  A new
# case may be drafted as its test and $ lines alone.  This is a drafting
# aid only: read every change (git diff) against the contract,
# pytriage(1), before committing it.  Corpus cases are never rewritten.

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: sh tests/golden.sh PYTRIAGE" >&2
	exit 2
fi

bin=$1
case $bin in
/*) ;;
*/*) bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin") ;;
*) if [ -f "$bin" ]; then bin=$(pwd)/$bin; else bin=$(command -v "$bin"); fi ;;
esac
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
	printf "golden: %s: not an executable file\n" "$1" >&2
	exit 2
fi
if [ ! -c /dev/null ]; then
	echo "golden: /dev/null is no character device: cases read it" >&2
	exit 2
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "golden: jq not found (sh tests/deps.sh installs it)" >&2
	exit 2
fi

top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
data=$top/testdata

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

update=0
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
	update=1
fi
jobs=${GOLDEN_JOBS:-1}
case $jobs in
[1-9] | [1-9][0-9]) ;;
*)
	echo "golden: GOLDEN_JOBS is a number from 1 to 99" >&2
	exit 2 ;;
esac

LC_ALL=C
PYTRIAGE=$bin
export LC_ALL PYTRIAGE

# Table lines of outputs.  In the current directory, for each case K
# named: "exit" and K.rc, the 1 lines of K.out and the 2 lines of K.err
# go to K.act.  The files' bytes come in one od -tu1 stream, and the
# sizes that wc -c printed for them (file "sizes") cut it up again.
encode_awk='
function put(b) {
	if (b >= 32 && b < 127) {
		lit = lit chr[b]
		esc = esc (b == 92 ? "\\\\" : chr[b])
	} else {
		plain = 0
		esc = esc ((b in name) ? name[b] : sprintf("\\x%02x", b))
	}
	n++
	last = b
}
function flush(end) {
	if (end == "\\n" && plain && n > 0 && last != 32)
		print m ": " lit > act
	else {
		if (end == "" && last == 32)
			esc = substr(esc, 1, length(esc) - 1) "\\x20"
		print m "\\ " esc end > act
	}
	lit = esc = ""
	plain = 1
	n = 0
	last = -1
}
function next_file(k, rc) {
	if (fi > 0 && n > 0)
		flush("")
	if (++fi > files)
		return
	rem = size[fi]
	k = file[fi]
	sub(/\.(out|err)$/, "", k)
	if (file[fi] ~ /\.err$/) {
		m = 2
		return
	}
	if (act != "")
		close(act)
	act = k ".act"
	m = 1
	if ((getline rc < (k ".rc")) <= 0)
		rc = "(none)"
	close(k ".rc")
	print "exit " rc > act
}
BEGIN {
	for (i = 32; i < 127; i++)
		chr[i] = sprintf("%c", i)
	name[9] = "\\t"
	name[13] = "\\r"
	plain = 1
	last = -1
	while ((getline line < "sizes") > 0)
		if (split(line, w, " ") == 2 && w[2] ~ /\.(out|err)$/) {
			size[++files] = w[1]
			file[files] = w[2]
		}
	do
		next_file()
	while (fi <= files && rem == 0)
}
{
	for (i = 1; i <= NF; i++) {
		b = $i + 0
		if (b == 10)
			flush("\\n")
		else if (b == 0)
			flush("\\0")
		else
			put(b)
		if (--rem == 0)
			do
				next_file()
			while (fi <= files && rem == 0)
	}
}
END {
	if (fi <= files) {
		print "golden: encode: input ends early" > "/dev/stderr"
		exit 2
	}
	if (act != "")
		close(act)
}'

# In directory $1, write K.act for each case K named after it.
encode() (
	cd "$1" || exit 2
	shift
	# The list of files, K.out K.err for each K, replaces the keys.
	for k do
		set -- "$@" "$k.out" "$k.err"
		shift
	done
	wc -c "$@" >sizes && cat "$@" | od -An -v -tu1 | awk "$encode_awk"
)

# Check the tables; write case K as $tmp/case/K.{name,where,cmd,exp}.
parse_awk='
function bad(msg) {
	printf "golden: %s:%d: %s\n", FILENAME, FNR, msg
	failed = 1
	exit 2
}
function badcase(msg) {
	printf "golden: %s: case %s: %s\n", where, name, msg
	failed = 1
	exit 2
}
function finish() {
	if (state == "")
		return
	if (state == "cmd" && update)
		status = "(none)"
	else if (state != "exit")
		badcase("no " (state == "test" ? "$ line" : "exit line"))
	f = dir "/" k
	print name > (f ".name"); close(f ".name")
	print where > (f ".where"); close(f ".where")
	print cmd > (f ".cmd"); close(f ".cmd")
	printf "exit %s\n%s%s", status, out1, out2 > (f ".exp"); close(f ".exp")
	state = ""
}
FNR == 1 { finish() }
/[ \t]$/ { bad("white space at the end of the line") }
/[^ -~]/ { bad("not printable ASCII: write output escaped") }
/^$/ || /^#/ { next }
/^test / {
	finish()
	name = substr($0, 6)
	if (name !~ /^[A-Za-z0-9_]+$/)
		bad("bad case name: " name)
	if (name in seen)
		bad("case " name " again (first at " seen[name] ")")
	seen[name] = FILENAME ":" FNR
	k++
	where = FILENAME ":" FNR
	state = "test"
	cmd = out1 = out2 = ""
	next
}
state == "" { bad("outside a case: a case starts with a test line") }
/^\$ ./ {
	if (state != "test")
		bad("a $ line comes right after the test line")
	cmd = substr($0, 3)
	state = "cmd"
	next
}
/^exit / {
	if (state != "cmd")
		bad("an exit line comes right after the $ line")
	status = substr($0, 6)
	if (status !~ /^(0|[1-9][0-9]?[0-9]?)$/ || status + 0 > 255)
		bad("exit status not 0..255: " status)
	state = "exit"
	next
}
/^[12][:\\] ./ {
	if (state != "exit")
		bad("output lines come after the exit line")
	if ($0 ~ /^1/)
		out1 = out1 $0 "\n"
	else
		out2 = out2 $0 "\n"
	next
}
{ bad("not a test, $, exit, 1 or 2 line") }
END {
	if (!failed)
		finish()
}'

# Replace the exit, 1 and 2 lines of table case K by $tmp/case/K.act.
rewrite_awk='
FNR == 1 { if (out != "") close(out); out = dir "/" FILENAME }
/^test / { k++ }
/^exit / || /^[12][:\\] ./ { next }
{ print > out }
/^\$ ./ {
	act = dir "/../case/" k ".act"
	while ((getline line < act) > 0)
		print line > out
	close(act)
}'

# From each expected.json (named on the command line, relative to
# testdata/, its exit status in $status by its directory), one line of
# fields split by the byte 0x1f: the directory; the exit status of the
# lines, -0 and -f verdict runs; the verdict; whether flaky is compared;
# the -f json projection to compare; and, base64, what lines and -0 write
# on retry.  One jq for all of them: jq is slow to start.
plan_jq='
def refused($bad; $dash):
	any(.selectors[]; any(explode[]; IN($bad[]))
	    or startswith("@") or ($dash and startswith("-")));
def want($bad; $dash):
	if .verdict != "retry" then .exit
	elif refused($bad; $dash) then 2 else 0 end;
(input_filename | sub("/expected.json$"; "")) as $dir
| if type == "object" and (.verdict | type == "string")
    and (.verdict | test("^[a-z-]+$")) and (.exit | type == "number")
    and (.selectors | type == "array")
    and all(.selectors[]; type == "string")
then . else error("\($dir): no verdict, exit or selectors") end
| [$dir, want([0, 10, 11, 12, 13, 28, 29, 30, 133, 8232, 8233]; true),
  want([0]; false), .exit, .verdict, has("flaky"),
  ({verdict, exit_status: $status[$dir], selectors,
    collection_errors: (.collection_errors // [])}
   + if has("flaky") then {flaky} else {} end | tojson),
  (.selectors | map(. + "\n") | add // "" | @base64),
  (.selectors | map(. + "\u0000") | add // "" | @base64)]
| map(tostring) | join("\u001f")'

# The same projection of pytriage's -f json output, one output a line, the
# file it came from first; flaky is compared for the directories in
# $flaky.
json_jq='(input_filename | sub("^.*/"; "")) as $k
| (fromjson? // {unparsable: .})
| ({verdict, exit_status, selectors, collection_errors}
   + if $flaky[$k] then {flaky} else {} end) as $p
| $k + "\u001f" + ($p | tojson)'

passed=0
failed=0

# Compare file $1 (expected) with $2 (actual) for case $3 at $4, command $5.
judge() {
	if cmp -s "$1" "$2"; then
		passed=$((passed + 1))
		return
	fi
	failed=$((failed + 1))
	printf 'FAIL %s (%s)\n  $ %s\n' "$3" "$4" "$5"
	diff -u "$1" "$2" | sed -e '1s/^--- .*/--- expected/' \
	    -e '2s/^+++ .*/+++ actual/'
}

# Run command $1 as a case does, in testdata/: exit status, stdout and
# stderr to $2.rc, $2.out and $2.err.
run() {
	sh -c "$1" </dev/null >"$2.out" 2>"$2.err"
	echo "$?" >"$2.rc"
}

# Table cases: run them all, encode what they printed in one go, compare.
mkdir "$tmp/case" "$tmp/new" "$tmp/c" || exit 2
cd "$top" || exit 2
set -- tests/golden/*.test
if [ ! -f "$1" ]; then
	echo "golden: no tests/golden/*.test" >&2
	exit 2
fi
awk -v dir="$tmp/case" -v update="$update" "$parse_awk" "$@" ||
    exit 2
# The cases whose number is $1 modulo $jobs.
run_table_cases() {
	k=1
	while [ -f "$tmp/case/$k.name" ]; do
		if [ $((k % jobs)) -eq "$1" ]; then
			IFS= read -r cmd <"$tmp/case/$k.cmd"
			run "$cmd" "$tmp/case/$k"
		fi
		k=$((k + 1))
	done
}
cd "$data" || exit 2
j=0
while [ "$j" -lt "$jobs" ]; do
	run_table_cases "$j" &
	j=$((j + 1))
done
wait
set --
k=1
while [ -f "$tmp/case/$k.name" ]; do
	set -- "$@" "$k"
	k=$((k + 1))
done
if [ $# -gt 0 ]; then
	encode "$tmp/case" "$@" || exit 2
fi
for k do
	IFS= read -r name <"$tmp/case/$k.name"
	IFS= read -r where <"$tmp/case/$k.where"
	IFS= read -r cmd <"$tmp/case/$k.cmd"
	judge "$tmp/case/$k.exp" "$tmp/case/$k.act" "$name" "$where" "$cmd"
done
cd "$top" || exit 2
if [ "$update" = 1 ]; then
	mkdir "$tmp/new/tests" "$tmp/new/tests/golden" || exit 2
	awk -v dir="$tmp/new" "$rewrite_awk" tests/golden/*.test || exit 2
	for t in tests/golden/*.test; do
		if ! cmp -s "$t" "$tmp/new/$t"; then
			cp "$tmp/new/$t" "$t" || exit 2
			printf 'golden: rewrote %s: %s\n' "$t" \
			    "read git diff before committing"
		fi
	done
fi

# Corpus cases.  In $tmp/c, "want" is what expected.json asks, "got"
# what the binary did; the -f json runs are judged together at the end.
c=$tmp/c
: >"$c/want.err"
: >"$c/got.err"
us=$(printf '\037')
statuses=
set --
for set in corpus:report.json logs:log.jsonl; do
	dir=${set%%:*}
	for d in "$data/$dir"/*/; do
		[ -f "$d/expected.json" ] || continue
		cname=$dir/$(basename "$d")
		status=
		IFS= read -r status <"$d/exit_status"
		case $status in
		[0-9] | [1-9][0-9] | 1[0-9][0-9] | 2[0-4][0-9] | 25[0-5]) ;;
		*)
			failed=$((failed + 1))
			printf 'FAIL %s: exit_status holds no 0..255\n' "$cname"
			continue ;;
		esac
		statuses="$statuses${statuses:+, }\"$cname\": $status"
		set -- "$@" "$cname/expected.json"
	done
done
# jq says what it cannot read; a directory missing from the plans is one.
(cd "$data" && jq -r --argjson status "{$statuses}" "$plan_jq" "$@") \
    >"$c/plans"
planned=" $(cut -d "$us" -f 1 <"$c/plans" | tr '\n' ' ')"
for f do
	case $planned in
	*" ${f%/expected.json} "*) ;;
	*)
		failed=$((failed + 1))
		printf 'FAIL %s: testdata/%s unreadable\n' "${f%/expected.json}" \
		    "$f" ;;
	esac
done
k=0
flaky_dirs=
cd "$data" || exit 2
while IFS=$us read -r cname x_lines x_null x_verdict verdict flaky \
    want_json sel_lines sel_null; do
	where=testdata/$cname/expected.json
	case $cname in corpus/*) input=report.json ;; *) input=log.jsonl ;; esac
	status=${statuses#*\"$cname\": }
	status=${status%%,*}
	for fmt in lines null verdict json; do
		case $fmt in
		lines) opt= ;;
		null) opt='-0 ' ;;
		*) opt="-f $fmt " ;;
		esac
		cmd="\"\$PYTRIAGE\" $opt$status $cname/$input"
		run "$cmd" "$c/got"
		IFS= read -r rc <"$c/got.rc"
		if [ "$fmt" = json ]; then
			k=$((k + 1))
			lines=0
			while IFS= read -r line; do
				lines=$((lines + 1))
			done <"$c/got.out"
			printf '%s\n' "$cname" >"$c/json$k.name"
			printf '%s\n' "$cmd" >"$c/json$k.cmd"
			printf 'exit %s\nstdout lines: 1\n%s\n' "$x_verdict" \
			    "$want_json" >"$c/json$k.want"
			printf 'exit %s\nstdout lines: %s\n' "$rc" "$lines" \
			    >"$c/json$k.act"
			cp "$c/got.out" "$c/json$k"
			[ "$flaky" = true ] &&
			    flaky_dirs="$flaky_dirs${flaky_dirs:+, }\"json$k\": true"
			continue
		fi
		: >"$c/want.out"
		case $fmt in
		lines)
			x=$x_lines
			sel=$sel_lines ;;
		null)
			x=$x_null
			sel=$sel_null ;;
		verdict)
			x=$x_verdict
			sel=
			printf '%s\n' "$verdict" >"$c/want.out" ;;
		esac
		if [ -n "$sel" ] && [ "$verdict" = retry ] && [ "$x" = 0 ]; then
			printf '%s' "$sel" | base64 -d >"$c/want.out"
		fi
		if [ "$rc" = "$x" ] && cmp -s "$c/want.out" "$c/got.out"; then
			passed=$((passed + 1))
			continue
		fi
		# Stderr is not compared here: leave it out of the diff.
		: >"$c/got.err"
		echo "$x" >"$c/want.rc"
		encode "$c" want got || exit 2
		judge "$c/want.act" "$c/got.act" "$cname $fmt" "$where" "$cmd"
	done
done <"$c/plans"

# The -f json runs: their projections, in one jq; an output that is not
# one line shows as its bytes.
set --
i=1
while [ "$i" -le "$k" ]; do
	set -- "$@" "$c/json$i"
	i=$((i + 1))
done
if [ $# -gt 0 ]; then
	jq -R -r --argjson flaky "{$flaky_dirs}" "$json_jq" "$@" \
	    >"$c/projections" || exit 2
fi
while IFS=$us read -r key projection; do
	printf '%s\n' "$projection" >>"$c/$key.act"
	echo >"$c/$key.seen"
done <"$c/projections"
i=1
while [ "$i" -le "$k" ]; do
	if ! grep -q '^stdout lines: 1$' "$c/json$i.act" ||
	    [ ! -f "$c/json$i.seen" ]; then
		cp "$c/json$i" "$c/raw.out"
		: >"$c/raw.err"
		echo 0 >"$c/raw.rc"
		encode "$c" raw && sed 1d "$c/raw.act" >>"$c/json$i.act"
	fi
	IFS= read -r cname <"$c/json$i.name"
	IFS= read -r cmd <"$c/json$i.cmd"
	judge "$c/json$i.want" "$c/json$i.act" "$cname -f json" \
	    "testdata/$cname/expected.json" "$cmd"
	i=$((i + 1))
done

# Attempt cases: every testdata/attempts/*/ holds a1.jsonl, a1_status, ...
# of one real CI step, and expected.json its answer for each set of
# options.  All attempts are given in order; the verdict, exit status,
# selectors, flaky tests and each attempt's own verdict must be as
# expected.json says.
for d in "$data"/attempts/*/; do
	[ -f "$d/expected.json" ] || continue
	cname=attempts/$(basename "$d")
	ops=
	k=1
	while [ -f "$d/a${k}_status" ]; do
		IFS= read -r status <"$d/a${k}_status"
		ops="$ops $status $cname/a$k.jsonl"
		k=$((k + 1))
	done
	jq -r 'keys[]' "$d/expected.json" >"$c/labels" || exit 2
	while IFS= read -r label; do
		jq -r --arg l "$label" '.[$l].options | join(" ")' \
		    "$d/expected.json" >"$c/opts" || exit 2
		IFS= read -r opts <"$c/opts"
		cmd="\"\$PYTRIAGE\" -f json $opts$ops"
		run "$cmd" "$c/got"
		jq -c --arg l "$label" '.[$l] | {exit, verdict, selectors,
		    flaky, attempts}' "$d/expected.json" >"$c/want.act"
		{
			IFS= read -r rc <"$c/got.rc"
			jq -c --argjson rc "$rc" '{exit: $rc, verdict,
			    selectors, flaky, attempts: [.attempts[].verdict]}' \
			    "$c/got.out" 2>&1
		} >"$c/act"
		judge "$c/want.act" "$c/act" "$cname $label" \
		    "testdata/$cname/expected.json" "$cmd"
	done <"$c/labels"
done

echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
