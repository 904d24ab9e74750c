"$PYTRIAGE" 1 < corpus/17a_flaky_first_run/report.json
