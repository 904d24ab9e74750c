"$PYTRIAGE" 1 < hostile/invalid_json.json
