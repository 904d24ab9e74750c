"$PYTRIAGE" 0 hostile/collection_error_exit0.json
