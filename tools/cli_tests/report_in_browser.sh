#!/usr/bin/env bash
# report_in_browser.sh SASIM FILE ARTIFACTS: renders a sweep's report.html in
# headless Chromium, as a person's browser would, and checks that the DOM
# holds the span tables and the SVG plots. Keeps ARTIFACTS/report.png (a
# screenshot of the page) and ARTIFACTS/report.html. Skips (exit 77) only
# where Chromium is not installed and cannot be (never on CI: there it fails).
set -euo pipefail
sasim=$1 file=$2 artifacts=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  if [[ -n ${CI:-} ]]; then echo "chromium is missing (./dev test installs it)"; exit 1; fi
  echo "skipped: chromium is not installed (./dev test installs it)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$artifacts"
"$sasim" report "$file" --seeds 1..5 --out "$tmp/report" 2>/dev/null
cp "$tmp/report/report.html" "$artifacts/report.html"
# No network: every host name fails to resolve, so a page that needed one
# would show it missing.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile"
       --host-resolver-rules="MAP * ~NOTFOUND" --window-size=1280,3000)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/report/report.html" >"$tmp/dom.html" 2>"$tmp/chromium.log" || {
  cat "$tmp/chromium.log"; exit 1; }
rm -f "$artifacts/report.png"
timeout 120 "$browser" "${flags[@]}" --screenshot="$artifacts/report.png" "file://$tmp/report/report.html" \
  >>"$tmp/chromium.log" 2>&1 || { cat "$tmp/chromium.log"; exit 1; }
/usr/bin/python3 - "$tmp/dom.html" "$artifacts/report.png" <<'PY'
import sys
from html.parser import HTMLParser
dom, png = sys.argv[1], sys.argv[2]
class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.svgs, self.tables, self.rows = set(), [], 0, 0
        self.in_summary = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "svg": self.svgs.append(a.get("class", ""))
        if tag == "table":
            self.tables += 1
            self.in_summary = a.get("id") == "span-summary"
        if tag == "tr" and self.in_summary: self.rows += 1
    def handle_endtag(self, tag):
        if tag == "table": self.in_summary = False
c = Collect()
c.feed(open(dom, encoding="utf-8").read())
for needed in ["summary", "span-summary", "distributions", "over-time", "parameters", "performance",
               "span-default-serviceaccount-ready", "span-token-ready", "span-pod-admitted", "span-pod-running"]:
    assert needed in c.ids, f"the rendered page has no #{needed}"
assert c.rows == 13, f"the span summary has {c.rows} rows, not a header and 12 spans"
histograms = sum("histogram" in s for s in c.svgs)
series = sum("series" in s for s in c.svgs)
assert histograms >= 3 and series == 2, (histograms, series)
assert c.tables >= 6, c.tables
data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000, f"no screenshot ({len(data)} bytes)"
print(f"ok: {c.tables} tables, {histograms} histograms, {series} time plots; screenshot {png}")
PY
