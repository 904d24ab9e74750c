printf '[{"scope": "t.py", "name": "a"}]' | "$PYTRIAGE" 1
