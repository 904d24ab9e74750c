"$PYTRIAGE" 5 hostile/empty_array.json
