"$PYTRIAGE" 1 < corpus/14_doctest/report.json
