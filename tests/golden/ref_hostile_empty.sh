"$PYTRIAGE" --reference 1 hostile/empty.json
