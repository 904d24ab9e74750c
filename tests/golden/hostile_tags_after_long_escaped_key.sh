"$PYTRIAGE" 1 hostile/tags_after_long_escaped_key.json
