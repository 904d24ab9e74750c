"$PYTRIAGE" 137 missing.json
