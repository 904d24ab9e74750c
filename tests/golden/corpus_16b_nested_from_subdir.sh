"$PYTRIAGE" 1 < corpus/16b_nested_from_subdir/report.json
