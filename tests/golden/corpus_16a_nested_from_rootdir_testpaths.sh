"$PYTRIAGE" 1 < corpus/16a_nested_from_rootdir_testpaths/report.json
