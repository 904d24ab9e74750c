# junit_results.awk: a document of pytriage -f junit with the testcases
# that show nothing left out, for golden cases on suites of hundreds of
# tests: a testcase is kept when it holds a failure, an error, a skip or
# a flaky or rerun element.  A testcase begins a line; one that shows
# nothing ends on it (" />"); one that holds something ends a line with
# "</testcase>" (text in between escapes every '>').
/^<testcase / { block = ""; inside = 1 }
inside {
	block = block $0 "\n"
	if (/\/>$/ && block ~ /^<testcase [^\n]*\n$/ || /<\/testcase>$/) {
		inside = 0
		if (block ~ /<(failure|error|skipped|flaky|rerun)/)
			printf "%s", block
	}
	next
}
{ print }
