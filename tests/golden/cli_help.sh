"$PYTRIAGE" --help
