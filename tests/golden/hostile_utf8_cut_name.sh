"$PYTRIAGE" 1 hostile/utf8_cut_name.json
