#!/usr/bin/env bash
# report_compare.sh SASIM FILE: `sasim report --sweep` runs the seeds once per
# value, each report in its own directory, and compares them; `--compare`
# puts two report directories side by side. The slower qps makes the
# token-ready p99 longer, and the comparison says by how much.
set -euo pipefail
sasim=$1 file=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sasim" report "$file" --seeds 1..4 --jobs 2 --sweep tokens-controller.qps=20,50 --out "$dir/sweep" >"$dir/out" 2>/dev/null
for value in 20 50; do
  test -s "$dir/sweep/tokens-controller.qps=$value/report.json"
  test -s "$dir/sweep/tokens-controller.qps=$value/report.html"
done
test -s "$dir/sweep/compare.html"
grep -q "comparison: $dir/sweep/compare.html (2 values of tokens-controller.qps)" "$dir/out"
/usr/bin/python3 - "$dir/sweep/compare.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert [r["label"] for r in c["reports"]] == ["tokens-controller.qps=20", "tokens-controller.qps=50"], c["reports"]
differing = [p["parameter"] for p in c["parameters"] if p["differs"]]
assert differing == ["tokens-controller.qps"], differing
ready = next(s for s in c["spans"] if s["span"] == "token-ready")
slow, fast = (r["ns"]["p99"] for r in ready["reports"])
assert slow > fast, (slow, fast)
d = ready["differences"][0]["p99"]
assert d["deltaNs"] == fast - slow and d["ratio"] < 1, d
print("ok: --sweep compares the values")
PY
"$sasim" report --compare "$dir/sweep/tokens-controller.qps=50" "$dir/sweep/tokens-controller.qps=20" \
  --out "$dir/compare" | grep "comparison: $dir/compare/compare.html (2 reports)" >/dev/null
/usr/bin/python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
ready = next(s for s in c["spans"] if s["span"] == "token-ready")
assert ready["differences"][0]["p99"]["ratio"] > 1
print("ok: --compare")' "$dir/compare/compare.json"
set +e
"$sasim" report --compare "$dir/sweep" "$dir/nowhere" --out "$dir/x" 2>"$dir/err"
code=$?
set -e
test "$code" = 2 && grep -q "cannot read $dir/sweep/report.json" "$dir/err"
