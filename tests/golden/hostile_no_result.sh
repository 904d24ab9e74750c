"$PYTRIAGE" -f json 1 hostile/no_result.json
