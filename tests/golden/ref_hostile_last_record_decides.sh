"$PYTRIAGE" --reference -f json 1 hostile/last_record_decides.json
