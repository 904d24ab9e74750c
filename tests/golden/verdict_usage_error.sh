"$PYTRIAGE" 4 corpus/02_some_failures/report.json
