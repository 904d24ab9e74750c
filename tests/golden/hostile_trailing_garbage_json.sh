"$PYTRIAGE" -f json 1 hostile/trailing_garbage.json
