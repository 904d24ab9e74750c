"$PYTRIAGE" 1 hostile/tag_prerelease.json
