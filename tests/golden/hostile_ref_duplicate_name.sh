"$PYTRIAGE" --reference 1 hostile/duplicate_name.json
