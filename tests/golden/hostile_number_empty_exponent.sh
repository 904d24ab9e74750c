"$PYTRIAGE" 1 hostile/number_empty_exponent.json
