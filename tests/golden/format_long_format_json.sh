"$PYTRIAGE" --format=json 1 corpus/03_skip_xfail_xpass/report.json
