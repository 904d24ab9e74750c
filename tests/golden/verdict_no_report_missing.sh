"$PYTRIAGE" 1 missing.json
