"$PYTRIAGE" 1 hostile/tag_value_object.json
