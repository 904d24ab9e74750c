"$PYTRIAGE" 2 hostile/name_newline.json
