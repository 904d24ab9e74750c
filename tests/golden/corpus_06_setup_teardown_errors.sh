"$PYTRIAGE" 1 < corpus/06_setup_teardown_errors/report.json
