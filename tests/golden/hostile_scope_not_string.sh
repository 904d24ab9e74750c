"$PYTRIAGE" 1 hostile/scope_not_string.json
