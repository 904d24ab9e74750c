"$PYTRIAGE" -f json 1 hostile/truncated.json
