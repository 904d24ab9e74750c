"$PYTRIAGE" 1 hostile/bom_twice.json
