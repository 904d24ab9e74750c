"$PYTRIAGE" -m 1 0 corpus/01_all_pass/report.json
