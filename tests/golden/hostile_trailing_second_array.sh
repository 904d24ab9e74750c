"$PYTRIAGE" 1 hostile/trailing_second_array.json
