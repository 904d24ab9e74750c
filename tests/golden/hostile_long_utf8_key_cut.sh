"$PYTRIAGE" -f json 1 hostile/long_utf8_key_cut.json
