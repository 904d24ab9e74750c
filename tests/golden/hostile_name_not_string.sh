"$PYTRIAGE" 1 hostile/name_not_string.json
