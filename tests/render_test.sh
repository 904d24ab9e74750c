#!/bin/sh
# render_test.sh: render pytriage's Markdown the way GitHub does and check
# that nothing in a node ID became markup.
#
#   sh tests/render_test.sh DOC.md IDS
#       DOC.md: a document of pytriage -f markdown; IDS: the node IDs it
#       must list, each ended by NUL (pytriage -0 writes that list)
#   sh tests/render_test.sh --sample MDSAMPLE
#       the same on the documents tests/tools/mdsample makes
#   sh tests/render_test.sh --binary PYTRIAGE
#       the same on the real binary's documents of every report and log
#       in testdata/ that pytriage retries: their selectors (-0) must be
#       listed
#
# cmark-gfm renders with the extensions GitHub uses.  The check, on the
# HTML: every tag is one the writer itself makes (p, strong, h3, ul, li,
# code, br, and the counts table), with no attribute but a table cell's
# align; no comment or other markup; each list item is a node ID in code,
# "(empty node ID)" or "and N more"; each expected node ID, with its line
# breaks and controls in the writer's visible escapes, is the text of
# exactly one item.  Skipped, with a message, without cmark-gfm or python3.
set -eu

if ! command -v cmark-gfm >/dev/null 2>&1; then
	echo "render_test: SKIPPED: cmark-gfm is not installed (sh tests/deps.sh --tools)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "render_test: SKIPPED: python3 is not installed"
	exit 0
fi

# Render DOC.md (argument 1) and queue it, with its IDS (argument 2) and a
# name (argument 3), for the check; check_all checks them all at once.
check() {
	n=$((n + 1))
	cmark-gfm -e table -e strikethrough -e autolink -e tagfilter "$1" \
	    > "$tmp/doc$n.html"
	printf '%s\t%s\t%s\n' "$3" "$tmp/doc$n.html" "$2" >> "$tmp/queue"
}

check_all() {
	[ "$n" -gt 0 ] || { echo "render_test: no document rendered"; exit 1; }
	python3 - "$tmp/queue" <<'EOF'
import re
import sys
from html.parser import HTMLParser

ALLOWED = {"p", "strong", "h3", "ul", "li", "code", "br",
           "table", "thead", "tbody", "tr", "th", "td"}

def visible(s):
    """A node ID as the writer shows it (see src/markdown.c)."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20:
            out.append(chr(0x2400 + o))
        elif o == 0x7f:
            out.append("\u2421")
        elif (0x80 <= o <= 0x9f or o in (0x61c, 0x200e, 0x200f, 0x2028, 0x2029)
              or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069):
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out)

class Doc(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.faults = []
        self.stack = []
        self.items = []         # (text before the first code, its code text, rest)
        self.item = None
        self.code = None
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ALLOWED:
            self.faults.append("element <%s> from the input" % tag)
        for name, value in attrs:
            if not (tag in ("th", "td") and name == "align"
                    and value == "right"):
                self.faults.append("attribute %s=%r on <%s>"
                                   % (name, value, tag))
        self.stack.append(tag)
        if tag == "li":
            if self.item is not None:
                self.faults.append("a list inside a list item")
            self.item = ["", None, ""]
        elif tag == "code":
            self.code = ""

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        if tag != "br" or attrs:
            self.faults.append("element <%s/> from the input" % tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.faults.append("</%s> closes %r" % (tag, self.stack[-1:]))
            return
        self.stack.pop()
        if tag == "code":
            if self.item is not None and self.item[1] is None:
                self.item[1] = self.code
            elif self.item is not None:
                self.item[2] += self.code
            self.code = None
        elif tag == "li":
            self.items.append(tuple(self.item))
            self.item = None

    def handle_data(self, data):
        if self.code is not None:
            self.code += data
        elif self.item is not None:
            if self.item[1] is None:
                self.item[0] += data
            else:
                self.item[2] += data

    def handle_comment(self, data):
        self.faults.append("comment <!--%s--> from the input" % data)

    def handle_decl(self, decl):
        self.faults.append("declaration from the input")

    def handle_pi(self, data):
        self.faults.append("processing instruction from the input")

    def unknown_decl(self, data):
        self.faults.append("declaration from the input")

def check(name, html_path, ids_path):
    """Print what is wrong with one document; True when nothing is."""
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    with open(ids_path, "rb") as f:
        raw = f.read()
    if raw and not raw.endswith(b"\0"):
        print("render_test: %s: the last node ID is not ended by NUL"
              % name)
        return False
    ids = [visible(b.decode("utf-8")) for b in raw.split(b"\0")[:-1]]
    faults = faults_of(html, ids)
    for fault in faults[:20]:
        print("render_test: %s: %s" % (name, fault))
    return not faults

def faults_of(html, ids):
    doc = Doc()
    doc.feed(html)
    doc.close()
    if doc.stack:
        doc.faults.append("elements left open: %r" % doc.stack)
    if doc.tags[:2] != ["p", "strong"]:
        doc.faults.append("the document does not begin with a bold line")
    if doc.tags.count("h3") > 4:
        doc.faults.append("%d headings" % doc.tags.count("h3"))

    listed = {}
    for before, code, rest in doc.items:
        if code is not None and before == "":
            listed[code] = listed.get(code, 0) + 1
        elif code is None and (before == "(empty node ID)"
                               or re.fullmatch(r"and [0-9]+ more", before)):
            pass
        else:
            doc.faults.append("list item is no node ID: %r %r %r"
                              % (before, code, rest))
    for i in ids:
        if listed.get(i, 0) != 1:
            doc.faults.append("node ID %r is listed %d times"
                              % (i, listed.get(i, 0)))

    return doc.faults

docs = failed = 0
with open(sys.argv[1], encoding="utf-8") as queue:
    for line in queue:
        name, html_path, ids_path = line.rstrip("\n").split("\t")
        docs += 1
        if not check(name, html_path, ids_path):
            failed += 1
print("render_test: %d documents, %d failed" % (docs, failed))
sys.exit(1 if failed else 0)
EOF
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/render_test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0

case "${1:-}" in
--sample)
	[ $# -eq 2 ] || { echo "usage: render_test.sh --sample MDSAMPLE" >&2; exit 2; }
	for sample in hostile collection many; do
		"$2" "$sample" "$tmp/$sample.md" "$tmp/$sample.ids"
		check "$tmp/$sample.md" "$tmp/$sample.ids" "mdsample $sample"
	done
	;;
--binary)
	[ $# -eq 2 ] || { echo "usage: render_test.sh --binary PYTRIAGE" >&2; exit 2; }
	data=$(cd "$(dirname "$0")/../testdata" && pwd)
	for input in "$data"/corpus/*/report.json "$data"/logs/*/log.jsonl \
	    "$data"/hostile/*.json "$data"/hostile/log_*.jsonl; do
		dir=$(dirname "$input")
		status=1
		[ -f "$dir/exit_status" ] && status=$(cat "$dir/exit_status")
		"$2" -q -0 "$status" "$input" >"$tmp/ids$n" 2>/dev/null ||
		    continue
		[ -s "$tmp/ids$n" ] || continue
		"$2" -q -f markdown "$status" "$input" >"$tmp/doc.md"
		check "$tmp/doc.md" "$tmp/ids$n" "${input#"$data"/}"
	done
	;;
*)
	[ $# -eq 2 ] || { echo "usage: render_test.sh DOC.md IDS | --sample MDSAMPLE | --binary PYTRIAGE" >&2; exit 2; }
	check "$1" "$2" "$1"
	;;
esac
check_all
