"$PYTRIAGE" 1 hostile/top_null.json
