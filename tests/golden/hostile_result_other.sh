"$PYTRIAGE" -f json 1 hostile/result_other.json
