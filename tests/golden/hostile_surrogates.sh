"$PYTRIAGE" 1 hostile/surrogates.json
