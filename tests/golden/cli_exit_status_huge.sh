"$PYTRIAGE" 99999999999999999999999 corpus/02_some_failures/report.json
