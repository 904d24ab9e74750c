"$PYTRIAGE" 1 hostile/trailing_comma_array.json
