"$PYTRIAGE" 1 < corpus/27_keep_duplicates/report.json
