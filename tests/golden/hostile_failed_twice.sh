"$PYTRIAGE" -f json 1 hostile/failed_twice.json
