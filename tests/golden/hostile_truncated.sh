"$PYTRIAGE" 1 hostile/truncated.json
