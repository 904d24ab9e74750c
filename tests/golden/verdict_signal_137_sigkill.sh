"$PYTRIAGE" 137 corpus/02_some_failures/report.json
