"$PYTRIAGE" 1 hostile/key_escaped_nul_nested.json
