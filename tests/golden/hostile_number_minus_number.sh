"$PYTRIAGE" 1 hostile/number_minus_number.json
