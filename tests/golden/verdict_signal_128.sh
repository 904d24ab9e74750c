"$PYTRIAGE" 128 corpus/02_some_failures/report.json
