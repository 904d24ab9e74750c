"$PYTRIAGE" -f json 1 missing.json
