"$PYTRIAGE" 1 hostile/tag_false.json
