"$PYTRIAGE" -f json 0
