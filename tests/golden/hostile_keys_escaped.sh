"$PYTRIAGE" 1 hostile/keys_escaped.json
