"$PYTRIAGE" 1 < corpus/17c_flaky_rerunfailures/report.json
