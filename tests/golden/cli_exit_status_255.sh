"$PYTRIAGE" 255 corpus/01_all_pass/report.json
