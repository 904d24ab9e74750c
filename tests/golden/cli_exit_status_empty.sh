"$PYTRIAGE" '' corpus/02_some_failures/report.json
