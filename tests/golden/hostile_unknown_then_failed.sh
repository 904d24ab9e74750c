"$PYTRIAGE" 1 hostile/unknown_then_failed.json
