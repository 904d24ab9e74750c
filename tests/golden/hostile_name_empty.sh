"$PYTRIAGE" 1 hostile/name_empty.json
