"$PYTRIAGE" 1 hostile/all_skipped.json
