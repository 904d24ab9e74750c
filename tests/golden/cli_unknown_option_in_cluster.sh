"$PYTRIAGE" --format=json -zq 1
