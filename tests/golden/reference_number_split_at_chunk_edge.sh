"$PYTRIAGE" --reference 1 fuzz/number-minus-at-json-c-chunk-edge.json
