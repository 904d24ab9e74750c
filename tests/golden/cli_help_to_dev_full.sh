"$PYTRIAGE" --help >/dev/full
