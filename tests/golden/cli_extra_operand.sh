"$PYTRIAGE" 1 corpus/02_some_failures/report.json corpus/01_all_pass/report.json
