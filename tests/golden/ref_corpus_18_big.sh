"$PYTRIAGE" --reference -f verdict 1 corpus/18_big_suite/report.json
