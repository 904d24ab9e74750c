"$PYTRIAGE" 1 hostile/name_newline.json
