"$PYTRIAGE" 1 hostile/name_newline_long.json
