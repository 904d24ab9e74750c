"$PYTRIAGE" 1 hostile/duplicate_tag_false_then_true.json
