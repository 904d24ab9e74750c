"$PYTRIAGE" 1 corpus/01_all_pass/report.json
