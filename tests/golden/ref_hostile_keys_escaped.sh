"$PYTRIAGE" --reference 1 hostile/keys_escaped.json
