"$PYTRIAGE" --version
