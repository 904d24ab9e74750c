"$PYTRIAGE" 1 hostile/bom.json
