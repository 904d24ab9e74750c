"$PYTRIAGE" 1 hostile/utf8_invalid_skipped.json
