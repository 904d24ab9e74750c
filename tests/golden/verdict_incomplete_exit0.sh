"$PYTRIAGE" 0 hostile/no_result.json
