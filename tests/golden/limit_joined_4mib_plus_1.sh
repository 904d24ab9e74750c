{ printf '[{"scope": "'; head -c 2097152 /dev/zero | tr '\000' s; printf '", "name": "'; head -c 2097151 /dev/zero | tr '\000' n; printf '", "result": "failed"}]'; } | "$PYTRIAGE" -f verdict 1
