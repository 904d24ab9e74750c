"$PYTRIAGE" -f json 1 hostile/collection_error_odd_name.json
