"$PYTRIAGE" 7 corpus/02_some_failures/report.json
