"$PYTRIAGE" 1 hostile/trailing_garbage.json
