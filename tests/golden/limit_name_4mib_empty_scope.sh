{ printf '[{"scope": "", "name": "'; head -c 4194304 /dev/zero | tr '\000' n; printf '", "result": "failed"}]'; } | "$PYTRIAGE" -f verdict 1
