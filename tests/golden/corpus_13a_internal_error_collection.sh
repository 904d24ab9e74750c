"$PYTRIAGE" 3 < corpus/13a_internal_error_collection/report.json
