"$PYTRIAGE" 1 hostile/name_break_cr.json
