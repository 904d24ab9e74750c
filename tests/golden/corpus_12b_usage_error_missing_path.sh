"$PYTRIAGE" 4 < corpus/12b_usage_error_missing_path/report.json
