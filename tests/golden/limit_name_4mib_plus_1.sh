{ printf '[{"scope": "'; printf '", "name": "'; head -c 4194305 /dev/zero | tr '\000' n; printf '", "result": "failed"}]'; } | "$PYTRIAGE" -f verdict 1
