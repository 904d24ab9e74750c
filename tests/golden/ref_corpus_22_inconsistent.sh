"$PYTRIAGE" --reference 0 corpus/22_merge_json/report.json
