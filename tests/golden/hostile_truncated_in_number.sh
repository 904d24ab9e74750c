"$PYTRIAGE" 1 hostile/truncated_in_number.json
