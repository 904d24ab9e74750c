"$PYTRIAGE" 1 hostile/tag_after_long_escaped_key.json
