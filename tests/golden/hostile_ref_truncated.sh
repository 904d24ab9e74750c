"$PYTRIAGE" --reference 1 hostile/truncated.json
