#!/usr/bin/env bash
# `goalframe report --format html` opened in a real browser (headless
# Chromium, the one the VS Code tests use) with the network cut off: the
# page must load and render from the file alone, name every document and
# draw its summary chart. Also takes the screenshot README shows
# (UPDATE_EXPECT=1 writes it to docs/images/report.png).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ -x "${GOALFRAME_BIN:-}" ]] || { echo "error: set GOALFRAME_BIN to the built binary" >&2; exit 1; }

if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq chromium </dev/null >/dev/null
fi
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$REPO"
"$GOALFRAME_BIN" report examples/ --format html --output "$work/report.html"

# No network at all: every host name fails to resolve and every request
# goes to a proxy that is not there.
browse() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-extensions --user-data-dir="$work/profile" \
    --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="127.0.0.1:9" \
    --window-size=1200,820 "$@" "file://$work/report.html" 2>"$work/chromium.log"
}
browse --dump-dom >"$work/dom.html" || { cat "$work/chromium.log" >&2; exit 1; }
python3 - "$work/dom.html" <<'PY'
import html.parser, sys
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.svgs, self.rects, self.tags = [], 0, 0, set()
        self.in_chart = False
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if a.get("id") == "summary-chart":
            self.in_chart = True
        if tag == "svg" and self.in_chart:
            self.svgs += 1
        if tag == "rect" and self.in_chart:
            self.rects += 1
    def handle_endtag(self, tag):
        if tag == "figure":
            self.in_chart = False
    def handle_data(self, data):
        self.text.append(data)
p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
text = " ".join(p.text)
bad = []
for doc in ["examples/review-draft.md", "examples/review-filled.md"]:
    if doc not in text:
        bad.append(f"the rendered page does not name {doc}")
if p.svgs != 1 or p.rects < 4:
    bad.append(f"the summary chart is missing (svg {p.svgs}, rects {p.rects})")
if "script" in p.tags:
    bad.append("the page runs a script")
for want in ["Documents by status", "1 ready", "1 in progress", "ready", "in progress"]:
    if want not in text:
        bad.append(f"the page does not say {want!r}")
if bad:
    sys.exit("error: " + "; ".join(bad))
print("ok: the page rendered offline, names every document and draws its chart")
PY

browse --screenshot="$work/report.png" >/dev/null || { cat "$work/chromium.log" >&2; exit 1; }
python3 - "$work/report.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("error: the screenshot is not a PNG")
w, h = struct.unpack(">II", data[16:24])
if (w, h) != (1200, 820) or len(data) < 20000:
    sys.exit(f"error: the screenshot is {w}x{h}, {len(data)} bytes: the page did not paint")
print(f"ok: screenshot {w}x{h}")
PY
if [[ -n "${UPDATE_EXPECT:-}" ]]; then
  cp "$work/report.png" "$REPO/docs/images/report.png"
  echo "wrote docs/images/report.png"
fi
