"$PYTRIAGE" -f json 2 hostile/collection_error_then_bad.json
