"$PYTRIAGE" 1x corpus/02_some_failures/report.json
