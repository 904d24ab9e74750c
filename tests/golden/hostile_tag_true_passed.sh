"$PYTRIAGE" 0 hostile/tag_true_passed.json
