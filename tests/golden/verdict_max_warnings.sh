"$PYTRIAGE" 6 corpus/01_all_pass/report.json
