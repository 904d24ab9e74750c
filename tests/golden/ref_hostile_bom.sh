"$PYTRIAGE" --reference 1 hostile/bom.json
