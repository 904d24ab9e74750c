# fish completion for pytriage(1)
#
# Options, short and long; the format words after -f and --format;
# directories after --rootdir; "run" or no words for exit_status, which is
# pytest's $?; files for the report.  After "pytriage run": its options,
# the format words after -w and --write, directories after --report-dir
# and --rootdir, then a command and files.

# How many operands stand before the cursor?
function __fish_pytriage_operands
    set -l args (commandline -opc)[2..-1]
    argparse -i 0/null f/format= m/max-failures= q/quiet max-bytes= \
        reference rootdir= h/help V/version -- $args 2>/dev/null
    or return 1
    count $argv
end

# Is this pytriage run?
function __fish_pytriage_run
    set -l args (commandline -opc)
    test (count $args) -ge 2; and test "$args[2]" = run
end

# pytriage run: has its command begun before the cursor?
function __fish_pytriage_run_command
    set -l args (commandline -opc)[3..-1]
    argparse -s m/max-failures= w/write= collector fail-on-flaky \
        max-bytes= reference report-dir= retries= rootdir= h/help \
        -- $args 2>/dev/null
    or return 1
    count $argv >/dev/null
end

set -l formats '
    lines\t"Each selector and a newline (the default)"
    null\t"Each selector and a NUL, for xargs -0 -r"
    verdict\t"One line, the verdict word"
    json\t"One JSON object on one line"
    markdown\t"A Markdown summary of the run"
    github\t"GitHub Actions workflow commands"
    junit\t"JUnit XML, a testcase per test with its runs"'
set -l filter 'not __fish_pytriage_run'
set -l run '__fish_pytriage_run; and not __fish_pytriage_run_command'

complete -c pytriage -f
complete -c pytriage -n $filter -s 0 -l null -d 'End each selector with NUL (same as -f null)'
complete -c pytriage -n $filter -s f -l format -x -d 'Output format' -a $formats
complete -c pytriage -n $filter -s m -l max-failures -x -d 'too-many-failures when more than N tests failed'
complete -c pytriage -n $filter -s q -l quiet -d 'No verdict or summary line on stderr'
complete -c pytriage -n $filter -l max-bytes -x -d 'markdown: the largest document'
complete -c pytriage -n $filter -l reference -d 'Read with the json-c reference reader'
complete -c pytriage -n $filter -l rootdir -x -a '(__fish_complete_directories)' -d "pytest's rootdir"
complete -c pytriage -n $filter -s h -l help -d 'Print a usage summary and exit'
complete -c pytriage -n $filter -s V -l version -d 'Print the version and exit'
# The first operand is exit_status, pytest's $?: nothing to offer but run.
complete -c pytriage -n 'test (count (commandline -opc)) -eq 1' -a run -d 'Run pytest and its retries'
complete -c pytriage -n "$filter; and test \"\$(__fish_pytriage_operands)\" = 1" -F

# pytriage run
complete -c pytriage -n $run -s m -l max-failures -x -d 'too-many-failures, no retry, when more than N tests failed'
complete -c pytriage -n $run -s w -l write -x -d 'At the end write the step in FORMAT[:FILE]' -a $formats
complete -c pytriage -n $run -l collector -d "Read the Buildkite collector's report"
complete -c pytriage -n $run -l fail-on-flaky -d 'Verdict flaky when a test passed only on a retry'
complete -c pytriage -n $run -l max-bytes -x -d 'markdown: the largest document'
complete -c pytriage -n $run -l reference -d 'Read with the json-c reference reader'
complete -c pytriage -n $run -l report-dir -x -a '(__fish_complete_directories)' -d "Keep each attempt's report in DIR"
complete -c pytriage -n $run -l retries -x -d 'Retries after the first run (default 1)'
complete -c pytriage -n $run -l rootdir -x -a '(__fish_complete_directories)' -d "pytest's rootdir"
complete -c pytriage -n $run -s h -l help -d 'Print a usage summary and exit'
complete -c pytriage -n $run -a '(__fish_complete_command)'
complete -c pytriage -n '__fish_pytriage_run; and __fish_pytriage_run_command' -F
