"$PYTRIAGE" 1 hostile/duplicate_other_keys.json
