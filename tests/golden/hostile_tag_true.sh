"$PYTRIAGE" -f json 1 hostile/tag_true.json
