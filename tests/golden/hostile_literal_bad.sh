"$PYTRIAGE" 1 hostile/literal_bad.json
