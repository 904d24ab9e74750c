"$PYTRIAGE" 1 hostile/name_starts_with_dash.json
