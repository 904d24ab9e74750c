"$PYTRIAGE" -f json 1 hostile/name_break_cr.json
