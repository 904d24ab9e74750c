"$PYTRIAGE" -0 1 hostile/name_at.json
