"$PYTRIAGE" 7 hostile/truncated.json
