"$PYTRIAGE" 1 hostile/duplicate_tag_true_then_false.json
