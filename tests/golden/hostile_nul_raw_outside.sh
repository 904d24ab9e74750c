"$PYTRIAGE" 1 hostile/nul_raw_outside.json
