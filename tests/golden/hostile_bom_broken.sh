"$PYTRIAGE" 1 hostile/bom_broken.json
