"$PYTRIAGE" 1 hostile/truncated_no_close.json
