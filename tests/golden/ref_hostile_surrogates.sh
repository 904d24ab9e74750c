"$PYTRIAGE" --reference -f json 1 hostile/surrogates.json
