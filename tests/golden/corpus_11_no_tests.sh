"$PYTRIAGE" 5 < corpus/11_no_tests/report.json
