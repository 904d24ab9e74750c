"$PYTRIAGE" 1 hostile/utf8_above_max_name.json
