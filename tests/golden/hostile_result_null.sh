"$PYTRIAGE" 1 hostile/result_null.json
