"$PYTRIAGE" 0 hostile/top_null.json
