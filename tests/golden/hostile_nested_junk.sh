"$PYTRIAGE" 1 hostile/nested_junk.json
