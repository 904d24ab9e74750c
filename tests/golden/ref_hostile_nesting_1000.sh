"$PYTRIAGE" --reference 1 hostile/nesting_1000.json
