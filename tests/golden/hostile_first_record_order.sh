"$PYTRIAGE" 1 hostile/first_record_order.json
