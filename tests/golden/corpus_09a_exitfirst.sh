"$PYTRIAGE" 1 < corpus/09a_exitfirst/report.json
