"$PYTRIAGE" 1 hostile/name_at.json
