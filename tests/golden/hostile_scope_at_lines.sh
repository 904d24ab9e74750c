"$PYTRIAGE" 1 hostile/scope_at.json
