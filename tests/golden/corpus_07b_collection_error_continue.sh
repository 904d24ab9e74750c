"$PYTRIAGE" 1 < corpus/07b_collection_error_continue/report.json
