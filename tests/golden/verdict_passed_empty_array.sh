"$PYTRIAGE" 0 hostile/empty_array.json
