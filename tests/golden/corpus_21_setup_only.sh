"$PYTRIAGE" 1 < corpus/21_setup_only/report.json
