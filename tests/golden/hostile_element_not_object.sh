"$PYTRIAGE" -f json 1 hostile/element_not_object.json
