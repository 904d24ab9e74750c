"$PYTRIAGE" -0 0 corpus/02_some_failures/report.json
