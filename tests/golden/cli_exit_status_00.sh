"$PYTRIAGE" 00 corpus/02_some_failures/report.json
