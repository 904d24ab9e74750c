"$PYTRIAGE" -f json 1 hostile/name_not_breaks.json
