"$PYTRIAGE" -h x y z
