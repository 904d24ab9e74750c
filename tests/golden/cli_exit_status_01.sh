"$PYTRIAGE" 01 corpus/02_some_failures/report.json
