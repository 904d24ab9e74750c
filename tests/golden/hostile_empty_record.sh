"$PYTRIAGE" 1 hostile/empty_record.json
