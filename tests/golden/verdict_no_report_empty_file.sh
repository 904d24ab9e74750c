"$PYTRIAGE" 1 hostile/empty.json
