# fish completion for pytriage(1)
#
# Options, short and long; the format words after -f and --format;
# directories after --rootdir; no words for exit_status, which is pytest's
# $?; files for the report.

# How many operands stand before the cursor?
function __fish_pytriage_operands
    set -l args (commandline -opc)[2..-1]
    argparse -i 0/null f/format= m/max-failures= q/quiet max-bytes= \
        reference rootdir= h/help V/version -- $args 2>/dev/null
    or return 1
    count $argv
end

complete -c pytriage -f
complete -c pytriage -s 0 -l null -d 'End each selector with NUL (same as -f null)'
complete -c pytriage -s f -l format -x -d 'Output format' -a '
    lines\t"Each selector and a newline (the default)"
    null\t"Each selector and a NUL, for xargs -0 -r"
    verdict\t"One line, the verdict word"
    json\t"One JSON object on one line"
    markdown\t"A Markdown summary of the run"
    github\t"GitHub Actions workflow commands"
    junit\t"JUnit XML, a testcase per test with its runs"'
complete -c pytriage -s m -l max-failures -x -d 'too-many-failures when more than N tests failed'
complete -c pytriage -s q -l quiet -d 'No verdict or summary line on stderr'
complete -c pytriage -l max-bytes -x -d 'markdown: the largest document'
complete -c pytriage -l reference -d 'Read with the json-c reference reader'
complete -c pytriage -l rootdir -x -a '(__fish_complete_directories)' -d "pytest's rootdir"
complete -c pytriage -s h -l help -d 'Print a usage summary and exit'
complete -c pytriage -s V -l version -d 'Print the version and exit'
# The first operand is exit_status, pytest's $?: nothing to offer.
complete -c pytriage -n 'test "$(__fish_pytriage_operands)" = 1' -F
