"$PYTRIAGE" 0 corpus/01_all_pass/report.json
