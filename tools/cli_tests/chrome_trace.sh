#!/usr/bin/env bash
# chrome_trace.sh SASIM VALIDATOR SCENARIO OTHER_SCENARIO: `sasim run --trace`
# writes Chrome trace-event JSON that the validator accepts, with requests as
# slices, instants and flows, without changing the run's digest; with two
# scenarios, FILE.1.json and FILE.2.json.
set -euo pipefail
sasim=$1 validator=$2 one=$3 two=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sasim" run --trace "$dir/trace.json" "$one" >/dev/null
/usr/bin/python3 "$validator" "$dir/trace.json"
/usr/bin/python3 - "$dir/trace.json" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))["traceEvents"]
phases = {e["ph"] for e in events}
assert {"M", "i", "X", "s", "f"} <= phases, phases
names = {e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
assert {"apiserver", "tokens-controller", "kubectl"} <= names, names
assert any(e["ph"] == "X" and e["cat"] == "request" for e in events)
assert any(e["ph"] == "X" and e["cat"] == "serving" for e in events)
print("ok: slices, instants and flows present")
PY
# Recording changes nothing in the run: the same digest with and without.
with=$("$sasim" run --json --trace "$dir/again.json" "$one" | grep -o "\"traceDigest\": *\"[0-9a-f]*\"")
without=$("$sasim" run --json "$one" | grep -o "\"traceDigest\": *\"[0-9a-f]*\"")
test "$with" = "$without"
"$sasim" run --trace "$dir/both.json" "$one" "$two" >/dev/null
/usr/bin/python3 "$validator" "$dir/both.1.json" "$dir/both.2.json"
test ! -e "$dir/both.json"
# An unwritable path is bad input.
set +e
"$sasim" run --trace "$dir/no-such-dir/t.json" "$one" >/dev/null 2>"$dir/err"
code=$?
set -e
test "$code" = 2 && grep -q "cannot write" "$dir/err"
echo "ok: --trace"
