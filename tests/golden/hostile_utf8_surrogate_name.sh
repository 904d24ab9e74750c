"$PYTRIAGE" 1 hostile/utf8_surrogate_name.json
