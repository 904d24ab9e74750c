#!/bin/sh
# annotation.sh: the markdown format as a job summary shows it.
#
#   make && sh man/annotation.sh
#
# Renders the summary of a real CI step that passed on retry, with its
# flaky test (testdata/attempts/m01_flaky: the first run and its retry),
# with cmark-gfm and GitHub's extensions, in a page styled like GitHub's
# Markdown, and takes a picture of it with headless Chromium:
# man/annotation.png, shown in the README.
set -eu

cd "$(dirname "$0")/.."
for tool in cmark-gfm chromium; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "annotation.sh: $tool is not installed" >&2
		exit 1
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/annotation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

./pytriage -q -f markdown 1 testdata/attempts/m01_flaky/a1.jsonl \
    0 testdata/attempts/m01_flaky/a2.jsonl >"$tmp/doc.md"
{
	cat <<'HTML'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 16px; background: #fff; }
.summary { border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px 0;
  color: #1f2328; font-size: 14px; line-height: 1.5;
  font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial,
  "DejaVu Sans", sans-serif; }
p, ul, table { margin: 0 0 16px; }
h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
ul { padding-left: 2em; }
li + li { margin-top: 0.25em; }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas,
  "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 85%;
  padding: 0.2em 0.4em; border-radius: 6px;
  background: rgba(175, 184, 193, 0.2); white-space: break-spaces; }
table { border-collapse: collapse; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
</style></head><body><div class="summary">
HTML
	cmark-gfm -e table -e strikethrough -e autolink -e tagfilter \
	    "$tmp/doc.md"
	echo '</div></body></html>'
} > "$tmp/page.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$tmp/shot.png" --window-size=900,420 \
    "file://$tmp/page.html" 2>/dev/null
mv "$tmp/shot.png" man/annotation.png
echo "annotation.sh: wrote man/annotation.png"
