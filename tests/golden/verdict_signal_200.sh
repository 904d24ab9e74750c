"$PYTRIAGE" 200 corpus/02_some_failures/report.json
