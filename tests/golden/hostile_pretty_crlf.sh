"$PYTRIAGE" 1 hostile/pretty_crlf.json
