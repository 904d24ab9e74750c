"$PYTRIAGE" 0 hostile/collection_error_odd_name.json
