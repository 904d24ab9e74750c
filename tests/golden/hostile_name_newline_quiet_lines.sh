"$PYTRIAGE" -q 1 hostile/name_newline.json
