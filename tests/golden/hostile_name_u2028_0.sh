"$PYTRIAGE" -0 1 hostile/name_u2028.json
