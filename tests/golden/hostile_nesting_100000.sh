"$PYTRIAGE" 1 hostile/nesting_100000.json
