{ printf '[{"scope": "'; printf '", "name": "'; head -c 4194302 /dev/zero | tr '\000' n; printf '", "result": "failed"}]'; } | "$PYTRIAGE" -f verdict 1
