"$PYTRIAGE" 1 < corpus/24_xdist/report.json
