"$PYTRIAGE" 1 hostile/duplicate_name.json
