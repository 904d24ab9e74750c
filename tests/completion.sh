#!/bin/sh
# completion.sh: the shell completions in completions/ offer what
# pytriage(1) takes, loaded from where make install puts them.
#
# usage: sh tests/completion.sh
#
# Installs into a scratch DESTDIR with make install (PREFIX=/usr), then
# asks each shell's own loader for the completion there: bash-completion's
# dynamic loader, zsh's compinit over fpath, fish's vendor_completions.d
# in XDG_DATA_DIRS.  bash is also driven with the file sourced alone, as a
# user without bash-completion would.  The words are checked by driving
# the completion: bash through COMP_WORDS and COMP_CWORD, zsh through a
# pseudo-terminal (zsh/zpty) and a real TAB, fish with complete -C.
# Finally make uninstall must take the files away again.
#
# A shell that is not installed is skipped with a message;
# sh tests/deps.sh --tools installs bash-completion, zsh and fish.
# MAKE names the make to run (default make).

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
make=${MAKE:-make}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/completion.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

stage=$tmp/stage
share=$stage/usr/share
bashfile=$share/bash-completion/completions/pytriage
zshdir=$share/zsh/vendor-completions
fishfile=$share/fish/vendor_completions.d/pytriage.fish

if ! (cd "$top" && $make -s install DESTDIR="$stage" PREFIX=/usr \
    >"$tmp/install.log" 2>&1); then
	cat "$tmp/install.log"
	echo "completion: make install failed"
	exit 1
fi

set -f
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# expect NAME EXPECTED ACTUAL: words, compared as sorted sets.  A
# directory's trailing '/' is left out, as zsh offers it (a suffix outside
# the word), and so is the "--format=" before a value, as bash offers it.
expect() {
	e=$(printf '%s\n' $2 | sed 's,/$,,; s,^--[a-z-]*=,,' | sort -u |
	    tr '\n' ' ')
	a=$(printf '%s\n' $3 | sed 's,/$,,; s,^--[a-z-]*=,,' | sort -u |
	    tr '\n' ' ')
	if [ "$e" = "$a" ]; then
		pass
	else
		fail "$1"
		echo "  expected: $e"
		echo "  actual:   $a"
	fi
}

for f in "$bashfile" "$zshdir/_pytriage" "$fishfile"; do
	if [ -f "$f" ]; then pass; else fail "make install: no ${f#"$stage"}"; fi
done

# The directory the file words are completed in: two directories and
# three files, so that "directories only" and "files" differ.
work=$tmp/work
mkdir -p "$work/lib" "$work/logs" "$tmp/home" "$tmp/nothing"
: >"$work/log.txt"
: >"$work/report.json"
: >"$work/report.jsonl"

# Command lines and the words they must complete to, in every shell.
# "pytriage 1 rep" is the line as typed, cursor at its end; "-" alone as
# the expected words means none.
cases='
pytriage -f |github json junit lines markdown null verdict
pytriage --format |github json junit lines markdown null verdict
pytriage --format=|github json junit lines markdown null verdict
pytriage -q --format j|json junit
pytriage -q --format ju|junit
pytriage -qf m|markdown
pytriage --fo|--format
pytriage --max-f|--max-failures
pytriage --r|--reference --rootdir
pytriage --rootdir |lib logs
pytriage --rootdir l|lib logs
pytriage -m |-
pytriage 1 rep|report.json report.jsonl
pytriage 1 l|lib log.txt logs
pytriage -f json 1 rep|report.json report.jsonl
pytriage --format=json -m 3 1 rep|report.json report.jsonl
pytriage -- 1 rep|report.json report.jsonl
pytriage 1 report.json rep|-
pytriage |run
pytriage r|run
pytriage -q |-
pytriage 1 r|report.json report.jsonl
pytriage run --re|--reference --report-dir --retries
pytriage run --wr|--write
pytriage run --c|--collector
pytriage run -w |github json junit lines markdown null verdict
pytriage run --write |github json junit lines markdown null verdict
pytriage run --write=|github json junit lines markdown null verdict
pytriage run -m 3 --write=j|json junit
pytriage run --report-dir |lib logs
pytriage run --rootdir=l|lib logs
pytriage run --retries |-
pytriage run -- mkdi|mkdir
pytriage run --retries=2 mkdi|mkdir
pytriage run pytest rep|report.json report.jsonl
pytriage run -w json -- pytest -q l|lib log.txt logs
'

# ---- bash

cat >"$tmp/drive.bash" <<'EOF'
# bash drive.bash MODE FILE LINE: COMPREPLY for LINE, one word a line.
# MODE source: source FILE; loader: load bash-completion, whose dynamic
# loader must find the completion in XDG_DATA_DIRS, from FILE.
mode=$1 file=$2 line=$3
if [[ $mode == loader ]]; then
	. /usr/share/bash-completion/bash_completion || exit 3
	__load_completion pytriage
else
	. "$file" || exit 3
fi
spec=$(complete -p pytriage) || exit 3
[[ $spec == "complete -F _pytriage pytriage" ]] || {
	echo "complete -p: $spec" >&2; exit 3; }
shopt -s extdebug
where=$(declare -F _pytriage) && [[ $where == *" $file" ]] || {
	echo "_pytriage not from $file: $where" >&2; exit 3; }
shopt -u extdebug
# Split as readline does with the default COMP_WORDBREAKS: at blanks,
# and each '=' a word of its own, the current one when the line ends there.
words=()
rest=$line
while [[ -n $rest ]]; do
	case $rest in
	' '*) rest=${rest:1} ;;
	'='*) words+=("="); rest=${rest:1} ;;
	*) w=${rest%%[ =]*}; words+=("$w"); rest=${rest:${#w}} ;;
	esac
done
[[ $line == *' ' ]] && words+=("")
COMP_WORDS=("${words[@]}")
COMP_CWORD=$((${#words[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
_pytriage pytriage "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
for w in "${COMPREPLY[@]}"; do
	printf '%s\n' "$w"
done
EOF

# run_cases SHELL COMMAND...: COMMAND "LINE" prints the words.
run_cases() {
	sh_name=$1
	shift
	printf '%s\n' "$cases" | while IFS='|' read -r line want; do
		[ -n "$line" ] || continue
		[ "$want" = - ] && want=
		if got=$(cd "$work" && "$@" "$line" </dev/null 2>"$tmp/err")
		then
			expect "$sh_name: '$line'" "$want" "$got"
		else
			fail "$sh_name: '$line': exit $?"
			cat "$tmp/err"
		fi
		echo "$passed $failed" >"$tmp/count"
	done
	read -r passed failed <"$tmp/count"
}

if ! command -v bash >/dev/null 2>&1; then
	echo "completion: bash skipped: bash not installed"
else
	run_cases "bash (sourced alone)" env HOME="$tmp/home" \
	    bash --norc --noprofile "$tmp/drive.bash" source \
	    "$top/completions/pytriage.bash"
	if [ -f /usr/share/bash-completion/bash_completion ]; then
		run_cases "bash (bash-completion)" env HOME="$tmp/home" \
		    BASH_COMPLETION_USER_DIR="$tmp/nothing" \
		    XDG_DATA_DIRS="$share" \
		    bash --norc --noprofile "$tmp/drive.bash" loader \
		    "$bashfile"
	else
		echo "completion: bash-completion's loader skipped:" \
		    "bash-completion not installed"
	fi
fi

# ---- zsh

cat >"$tmp/drive.zsh" <<'EOF'
# zsh -f drive.zsh FPATHDIR DUMP OUT LINE: type LINE and TAB into an
# interactive zsh on a pseudo-terminal; every word offered to compadd is
# appended to OUT.
zmodload zsh/zpty || exit 4
dir=$1 dump=$2 out=$3 line=$4
zpty z zsh -f -i || exit 4
zpty -w z "PS1='% '; fpath=(${(q)dir} \$fpath);" \
    "autoload -U compinit; compinit -u -d ${(q)dump}"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]];" \
    "then builtin compadd \"\$@\"; return; fi; local -a h;" \
    "builtin compadd -A h \"\$@\"; print -rl -- \$h >>${(q)out};" \
    "builtin compadd \"\$@\"; }"
# Wait for this prompt, whose text is not in what is typed, so that zle
# reads what follows as typing rather than dropping it as typeahead.
zpty -w z "PS1=\$'\\x52EADY> '"
zpty -r -m z l '*READY> ' || exit 4
zpty -w -n z "$line"$'\t'
zpty -w z $'\C-u'"print -r done >${(q)out}.done; exit"
while zpty -r z l; do :; done
zpty -d z
[[ -f $out.done ]]
EOF

zsh_words() {
	rm -f "$tmp/zsh.out" "$tmp/zsh.out.done"
	: >"$tmp/zsh.out"
	HOME="$tmp/home" timeout 60 zsh -f "$tmp/drive.zsh" "$zshdir" \
	    "$tmp/zcompdump" "$tmp/zsh.out" "$1" || return 1
	sed '/^$/d' "$tmp/zsh.out"
}

if ! command -v zsh >/dev/null 2>&1; then
	echo "completion: zsh skipped: zsh not installed"
else
	# compinit finds _pytriage in fpath and binds it to pytriage; it
	# loads without error.  The dump it writes serves the runs below.
	if out=$(HOME="$tmp/home" zsh -fc 'fpath=("$1" $fpath)
	    autoload -U compinit && compinit -u -d "$2" || exit 1
	    [[ $_comps[pytriage] == _pytriage ]] || exit 1
	    autoload +X _pytriage || exit 1
	    print -r -- $functions_source[_pytriage]' zsh "$zshdir" \
	    "$tmp/zcompdump" 2>&1) &&
	    [ "$out" = "$zshdir/_pytriage" ]; then
		pass
	else
		fail "zsh: compinit does not load _pytriage from $zshdir"
		echo "$out"
	fi
	if HOME="$tmp/home" zsh -fc 'zmodload zsh/zpty && zpty t true' \
	    2>/dev/null; then
		run_cases zsh zsh_words
	else
		echo "completion: zsh words skipped: no pseudo-terminal" \
		    "(zsh/zpty)"
	fi
fi

# ---- fish

# fish -c SCRIPT ARG: fish with the staged tree as its only vendor
# directory.  fish autoloads a command's completions only when the command
# is in PATH: the installed binary is.
fish_in_stage() {
	env HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
	    XDG_DATA_HOME="$tmp/home/.local/share" XDG_DATA_DIRS="$share" \
	    PATH="$stage/usr/bin:$PATH" fish -c "$@"
}

fish_words() {
	fish_in_stage 'complete -C "$argv[1]"' "$1" | cut -f1
}

if ! command -v fish >/dev/null 2>&1; then
	echo "completion: fish skipped: fish not installed"
else
	out=$(fish_in_stage 'complete -C "pytriage -" >/dev/null
	    functions --details __fish_pytriage_operands' 2>&1)
	if [ "$out" = "$fishfile" ]; then
		pass
	else
		fail "fish: pytriage.fish not loaded from $fishfile"
		echo "$out"
	fi
	run_cases fish fish_words
fi

# ---- make uninstall

(cd "$top" && $make -s uninstall DESTDIR="$stage" PREFIX=/usr) >/dev/null 2>&1
for f in "$bashfile" "$zshdir/_pytriage" "$fishfile"; do
	if [ -e "$f" ]; then fail "make uninstall left ${f#"$stage"}"; else pass; fi
done

echo "completion: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
