"$PYTRIAGE" 0 hostile/empty_array_spaced.json
