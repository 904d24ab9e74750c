"$PYTRIAGE" 1 hostile/control_raw_in_name.json
