"$PYTRIAGE" 1 hostile/single_quotes.json
