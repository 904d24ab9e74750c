"$PYTRIAGE" -m 18446744073709551616 1 corpus/02_some_failures/report.json
