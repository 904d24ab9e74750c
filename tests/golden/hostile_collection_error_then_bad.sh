"$PYTRIAGE" -f json 1 hostile/collection_error_then_bad.json
