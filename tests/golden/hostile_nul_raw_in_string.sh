"$PYTRIAGE" 1 hostile/nul_raw_in_string.json
