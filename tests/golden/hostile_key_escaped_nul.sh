"$PYTRIAGE" 1 hostile/key_escaped_nul.json
