"$PYTRIAGE" 1 hostile/result_number.json
