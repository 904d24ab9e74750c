"$PYTRIAGE" --reference 1 hostile/nesting_1001.json
