"$PYTRIAGE" 0 hostile/collided_under_old_hash.json
