"$PYTRIAGE" 1 hostile/number_leading_zero.json
