"$PYTRIAGE" --reference 1 hostile/collection_errors_many.json
