"$PYTRIAGE" 1 hostile/name_missing.json
