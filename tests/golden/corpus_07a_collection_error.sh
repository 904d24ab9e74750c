"$PYTRIAGE" 2 < corpus/07a_collection_error/report.json
