"$PYTRIAGE" 1 hostile/name_escaped_nul.json
