"$PYTRIAGE" 143 corpus/02_some_failures/report.json
