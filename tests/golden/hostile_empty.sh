"$PYTRIAGE" -f json 1 hostile/empty.json
