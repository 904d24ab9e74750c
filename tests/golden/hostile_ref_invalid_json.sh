"$PYTRIAGE" --reference 1 hostile/invalid_json.json
