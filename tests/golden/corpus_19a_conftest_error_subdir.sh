"$PYTRIAGE" 2 < corpus/19a_conftest_error_subdir/report.json
