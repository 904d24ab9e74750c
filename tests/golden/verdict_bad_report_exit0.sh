"$PYTRIAGE" 0 hostile/truncated.json
