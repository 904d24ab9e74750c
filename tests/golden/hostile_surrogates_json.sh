"$PYTRIAGE" -f json 1 hostile/surrogates.json
