"$PYTRIAGE" 1 hostile/tags_other.json
