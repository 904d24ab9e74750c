"$PYTRIAGE" --reference 1 missing.json
