"$PYTRIAGE" 1 hostile/name_break_u2029.json
