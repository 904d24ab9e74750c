"$PYTRIAGE" 1 hostile/nan_infinity.json
