"$PYTRIAGE" 0 hostile/name_at.json
