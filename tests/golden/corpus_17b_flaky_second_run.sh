"$PYTRIAGE" 1 < corpus/17b_flaky_second_run/report.json
