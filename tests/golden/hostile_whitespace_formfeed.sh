"$PYTRIAGE" 1 hostile/whitespace_formfeed.json
