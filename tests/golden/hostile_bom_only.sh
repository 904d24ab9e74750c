"$PYTRIAGE" 1 hostile/bom_only.json
