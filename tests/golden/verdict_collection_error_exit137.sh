"$PYTRIAGE" 137 hostile/tag_true.json
