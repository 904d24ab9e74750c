"$PYTRIAGE" 127 corpus/02_some_failures/report.json
