"$PYTRIAGE" 1 hostile/utf8_overlong_name.json
