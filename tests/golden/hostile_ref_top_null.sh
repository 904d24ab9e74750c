"$PYTRIAGE" --reference 1 hostile/top_null.json
