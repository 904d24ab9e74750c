"$PYTRIAGE" 1 hostile/number_trailing_dot.json
