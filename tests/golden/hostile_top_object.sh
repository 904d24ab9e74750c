"$PYTRIAGE" 1 hostile/top_object.json
