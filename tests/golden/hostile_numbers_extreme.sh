"$PYTRIAGE" 1 hostile/numbers_extreme.json
