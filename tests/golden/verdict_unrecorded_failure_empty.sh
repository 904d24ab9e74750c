"$PYTRIAGE" 1 hostile/empty_array.json
