"$PYTRIAGE" 255 corpus/02_some_failures/report.json
