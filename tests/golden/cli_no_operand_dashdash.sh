"$PYTRIAGE" -q --
