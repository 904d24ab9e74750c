"$PYTRIAGE" --reference 1 corpus
