"$PYTRIAGE" -f json 0 hostile/all_skipped.json
