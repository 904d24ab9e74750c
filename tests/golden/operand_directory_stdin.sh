"$PYTRIAGE" 1 < corpus
