"$PYTRIAGE" -f json 1 hostile/truncated_after_comma.json
