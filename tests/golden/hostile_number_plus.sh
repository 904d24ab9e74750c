"$PYTRIAGE" 1 hostile/number_plus.json
