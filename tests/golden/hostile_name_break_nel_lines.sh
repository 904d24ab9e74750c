"$PYTRIAGE" 1 hostile/name_break_nel.json
