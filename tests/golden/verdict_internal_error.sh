"$PYTRIAGE" 3 corpus/02_some_failures/report.json
