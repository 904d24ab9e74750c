"$PYTRIAGE" --null=1 1 corpus/02_some_failures/report.json
