"$PYTRIAGE" --reference -f json 1 hostile/name_escaped_nul.json
