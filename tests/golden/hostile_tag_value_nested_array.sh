"$PYTRIAGE" 1 hostile/nesting_in_tags.json
