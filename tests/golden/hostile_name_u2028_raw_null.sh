"$PYTRIAGE" -f null 1 hostile/name_u2028_raw.json
