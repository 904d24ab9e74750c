"$PYTRIAGE" 1 hostile/tag_true.json
