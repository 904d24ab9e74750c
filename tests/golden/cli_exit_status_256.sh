"$PYTRIAGE" 256 corpus/02_some_failures/report.json
