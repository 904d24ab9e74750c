"$PYTRIAGE" 1 hostile/scope_missing.json
