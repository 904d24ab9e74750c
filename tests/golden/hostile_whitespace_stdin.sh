"$PYTRIAGE" 1 < hostile/whitespace.json
