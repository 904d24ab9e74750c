"$PYTRIAGE" 129 corpus/02_some_failures/report.json
