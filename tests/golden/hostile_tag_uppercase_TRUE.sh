"$PYTRIAGE" 1 hostile/tag_uppercase_TRUE.json
