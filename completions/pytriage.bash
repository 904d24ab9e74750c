# bash completion for pytriage(1)
#
# Options, short and long; the format words after -f and --format; directories
# after --rootdir; "run" or no words for exit_status, which is pytest's $?;
# files for the report.  After "pytriage run": its options, the format words
# after -w and --write, directories after --report-dir and --rootdir, then
# a command and files.  Needs no bash-completion functions, so sourcing this
# file alone is enough.

# Does word $1 take the next word as its value?  Long options may be
# abbreviated as getopt_long allows; short ones may be bundled (-qf json).
_pytriage_takes_value()
{
	local w=$1 o n=0 hit=
	case $w in
	--*=*) return 1 ;;
	--?*)
		for o in --format --max-failures --max-bytes --rootdir \
		    --null --quiet --reference --help --version; do
			[[ $o == "$w" ]] && { hit=$o; n=1; break; }
			[[ $o == "$w"* ]] && { hit=$o; n=$((n + 1)); }
		done
		[[ $n -eq 1 ]] || return 1
		case $hit in
		--format | --max-failures | --max-bytes | --rootdir) return 0 ;;
		esac
		return 1
		;;
	-*[fm]) [[ ${w:1:${#w}-2} == *([0qhV]) ]] ;;
	*) return 1 ;;
	esac
}

# The long option that word $1 names, abbreviated or not.
_pytriage_long()
{
	local o hit= n=0
	for o in --format --max-failures --max-bytes --rootdir; do
		[[ $o == "$1" ]] && { echo "$o"; return; }
		[[ $o == "$1"* ]] && { hit=$o; n=$((n + 1)); }
	done
	[[ $n -eq 1 ]] && echo "$hit"
}

# pytriage run: does word $1 take the next word as its value?
_pytriage_run_takes_value()
{
	local w=$1
	case $w in
	--*=*) return 1 ;;
	--write | --max-failures | --max-bytes | --report-dir | --retries | \
	    --rootdir) return 0 ;;
	-[mw]) return 0 ;;
	*) return 1 ;;
	esac
}

# pytriage run's COMMAND starts at word $1: a command, then files.
_pytriage_command()
{
	if ((COMP_CWORD == $1)); then
		mapfile -t COMPREPLY < <(compgen -c -- \
		    "${COMP_WORDS[COMP_CWORD]}")
	else
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- \
		    "${COMP_WORDS[COMP_CWORD]}")
	fi
}

_pytriage_run()
{
	local cur=${COMP_WORDS[COMP_CWORD]} opt= value prefix= i w

	# Options up to "--" or the first other word, COMMAND.
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == -- ]]; then
			_pytriage_command $((i + 1))
			return 0
		elif _pytriage_run_takes_value "$w"; then
			# COMP_WORDBREAKS splits --write=json into three words.
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				i=$((i + 1))
			fi
			if ((i + 1 == COMP_CWORD)); then
				opt=$w
			fi
			i=$((i + 1))
		elif [[ $w == -?* || $w == = ]]; then
			:
		else
			_pytriage_command "$i"
			return 0
		fi
	done

	value=$cur
	if [[ -z $opt ]]; then
		if [[ $cur == = ]] && _pytriage_run_takes_value \
		    "${COMP_WORDS[COMP_CWORD - 1]}"; then
			opt=${COMP_WORDS[COMP_CWORD - 1]}
			value=
		elif [[ $cur == --*=* ]]; then
			opt=${cur%%=*}
			value=${cur#*=}
			prefix=${cur%%=*}=
		elif [[ $cur == -[mw]?* ]]; then
			opt=${cur:0:2}
			prefix=$opt
			value=${cur:2}
		fi
	fi

	case $opt in
	-w | --write)
		COMPREPLY=($(compgen -P "$prefix" -W \
		    'lines null verdict json markdown github junit' -- "$value"))
		return 0
		;;
	--report-dir | --rootdir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$value")
		((${#COMPREPLY[@]})) &&
		    COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return 0
		;;
	?*)
		# -m, --max-failures, --max-bytes, --retries: a number.
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-m -w -h --collector --fail-on-flaky
		    --help --max-bytes --max-failures --reference --report-dir
		    --retries --rootdir --write --' -- "$cur"))
		return 0
	fi
	_pytriage_command "$COMP_CWORD"
	return 0
}

_pytriage()
{
	local cur=${COMP_WORDS[COMP_CWORD]} opt= value prefix= i w
	local operands=0 options=1
	COMPREPLY=()

	if ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[1]} == run ]]; then
		_pytriage_run
		return 0
	fi

	# Operands before the cursor; is an option value being completed?
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((options)) && [[ $w == -- ]]; then
			options=0
		elif ((options)) && _pytriage_takes_value "$w"; then
			# COMP_WORDBREAKS splits --format=json into three words.
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				i=$((i + 1))
			fi
			if ((i + 1 == COMP_CWORD)); then
				opt=$w
			fi
			i=$((i + 1))
		elif ((options)) && [[ $w == -?* ]]; then
			:
		elif [[ $w == = ]] && ((options)) && ((i > 1)) &&
		    [[ ${COMP_WORDS[i - 1]} == --* ]]; then
			:
		else
			operands=$((operands + 1))
		fi
	done

	value=$cur
	if [[ -z $opt ]] && ((options)); then
		if [[ $cur == = ]] && _pytriage_takes_value \
		    "${COMP_WORDS[COMP_CWORD - 1]}"; then
			# --format=<TAB>, split at the '='
			opt=${COMP_WORDS[COMP_CWORD - 1]}
			value=
		elif [[ $cur == --*=* ]]; then
			# --format=js<TAB>, with '=' not in COMP_WORDBREAKS
			opt=${cur%%=*}
			value=${cur#*=}
			prefix=${cur%%=*}=
			_pytriage_takes_value "$opt" || opt=-
		elif [[ $cur == -*([0qhV])[fm]?* ]]; then
			# -fjs<TAB>: the value in the same word
			w=${cur%%[fm]*}
			opt=$w${cur:${#w}:1}
			prefix=$opt
			value=${cur:${#prefix}}
			_pytriage_takes_value "$opt" || opt=
		fi
	fi

	if [[ -n $opt ]]; then
		[[ $opt == --* ]] && opt=$(_pytriage_long "$opt")
		case $opt in
		-*f | --format)
			COMPREPLY=($(compgen -P "$prefix" -W \
			    'lines null verdict json markdown github junit' \
			    -- "$value"))
			;;
		--rootdir)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$value")
			((${#COMPREPLY[@]})) &&
			    COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
			;;
		esac
		# -m, --max-failures, --max-bytes: a number; nothing to offer.
		return 0
	fi

	if ((options)) && [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-0 -f -m -q -h -V --null --format
		    --max-failures --quiet --max-bytes --reference --rootdir
		    --help --version --' -- "$cur"))
		return 0
	fi

	# exit_status, pytest's $?: nothing to offer, but run as the first
	# word.  The report: a file.
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W run -- "$cur"))
	elif ((operands == 1)); then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
	return 0
}
complete -F _pytriage pytriage
