"$PYTRIAGE" --null 1 corpus/05_params_awkward/report.json
