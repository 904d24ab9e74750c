"$PYTRIAGE" -f bogus 1 missing.json
