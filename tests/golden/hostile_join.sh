"$PYTRIAGE" 1 hostile/join.json
