"$PYTRIAGE" 1 hostile/nesting_1001.json
