"$PYTRIAGE" -f json 1 corpus/21_setup_only/report.json
