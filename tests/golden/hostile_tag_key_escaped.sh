"$PYTRIAGE" 1 hostile/tag_key_escaped.json
