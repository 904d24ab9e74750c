"$PYTRIAGE" 1 hostile/name_u2028_raw.json
