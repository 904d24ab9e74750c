"$PYTRIAGE" 1 hostile/tag_value_number.json
