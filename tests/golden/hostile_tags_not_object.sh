"$PYTRIAGE" 1 hostile/tags_not_object.json
