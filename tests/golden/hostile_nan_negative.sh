"$PYTRIAGE" 1 hostile/nan_negative.json
