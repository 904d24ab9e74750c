"$PYTRIAGE" 2 corpus/02_some_failures/report.json
