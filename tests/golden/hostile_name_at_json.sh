"$PYTRIAGE" -f json 1 hostile/name_at.json
