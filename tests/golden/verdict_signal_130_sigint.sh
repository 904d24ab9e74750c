"$PYTRIAGE" 130 corpus/02_some_failures/report.json
