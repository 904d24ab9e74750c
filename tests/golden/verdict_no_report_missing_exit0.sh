"$PYTRIAGE" 0 missing.json
