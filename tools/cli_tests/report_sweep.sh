#!/usr/bin/env bash
# report_sweep.sh SASIM FILE: `sasim report --seeds 1..20` writes report.json
# (the schema of docs/report.md), spans.csv and report.html; with one job and
# with two the files agree (all but the wall-clock figures).
set -euo pipefail
sasim=$1 file=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sasim" report "$file" --seeds 1..20 --jobs 2 --out "$tmp/two" 2>"$tmp/progress"
"$sasim" report "$file" --seeds 1..20 --jobs 1 --out "$tmp/one" 2>/dev/null
grep -q '20/20 seeds' "$tmp/progress" || { echo "no progress line"; cat "$tmp/progress"; exit 1; }
for f in report.json spans.csv report.html; do
  [[ -s $tmp/two/$f ]] || { echo "missing $f"; exit 1; }
done
cmp "$tmp/one/spans.csv" "$tmp/two/spans.csv"
head -1 "$tmp/two/spans.csv" | grep -qx 'span,subject,seed,start_ns,end_ns,duration_ns,end_seq,retries,open'
/usr/bin/python3 - "$tmp/one/report.json" "$tmp/two/report.json" <<'PY'
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:3])
def need(obj, key, kind):
    assert key in obj, f"missing {key!r}"
    assert isinstance(obj[key], kind), f"{key!r} is {type(obj[key]).__name__}"
for key, kind in [("scenario", str), ("file", str), ("version", str), ("seeds", dict), ("parameters", dict),
                  ("spans", list), ("contributors", list), ("runs", list), ("timeSeries", dict),
                  ("performance", dict)]:
    need(two, key, kind)
assert two["seeds"] == {"first": 1, "last": 20, "count": 20}, two["seeds"]
assert [r["seed"] for r in two["runs"]] == list(range(1, 21))
names = [s["span"] for s in two["spans"]]
assert names == ["default-serviceaccount-ready", "token-ready", "token-replaced", "token-populated",
                 "pod-admitted", "pod-running", "revocation", "auth-outage", "token-refreshed",
                 "bound-token-revocation", "legacy-token-invalidated", "legacy-token-cleaned"], names
for s in two["spans"]:
    for key, kind in [("count", int), ("open", int), ("ns", dict), ("retries", dict), ("slowest", list)]:
        need(s, key, kind)
    # Statistics are durations when the span has finished instances, null otherwise.
    stat = str if s["count"] > 0 else type(None)
    for key in ("min", "p50", "p90", "p99", "max", "lastEnd"):
        need(s, key, stat)
        need(s["ns"], key, int if s["count"] > 0 else type(None))
assert any(s["count"] == 0 for s in two["spans"]), "expected a span without instances"
revocation = two["spans"][6]
assert revocation["span"] == "revocation" and revocation["count"] == 20 and revocation["open"] == 0, revocation
replaced = two["spans"][2]
assert replaced["count"] == 20, replaced  # one replaced token per seed
for key, kind in [("wallSeconds", float), ("jobs", int), ("events", int), ("simulatedSeconds", float),
                  ("eventsPerWallSecond", float), ("simulatedSecondsPerWallSecond", float)]:
    need(two["performance"], key, kind)
assert one["performance"]["jobs"] == 1 and two["performance"]["jobs"] == 2
del one["performance"], two["performance"]
assert one == two, "the report depends on the job count"
print("ok: report.json follows the schema and does not depend on the job count")
PY
