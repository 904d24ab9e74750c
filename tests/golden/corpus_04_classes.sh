"$PYTRIAGE" 1 < corpus/04_classes/report.json
