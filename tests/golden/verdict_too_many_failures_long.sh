"$PYTRIAGE" --max-failures=1 -f json 1 corpus/02_some_failures/report.json
