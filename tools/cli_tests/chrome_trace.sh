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
# Every event and track named by what it is: no timer is known by its tag
# alone, names hold no object names or resourceVersions (those are args),
# the server's slice is named apart from the client's, waits are slices on
# the waiting actor's waits track, and the steps are on the harness steps track.
named = [e for e in events if e["ph"] in ("i", "X") and e["cat"] not in ("step", "note")]  # steps are named by the user
assert not [e["name"] for e in named if "tag " in e["name"]], "a timer named by its tag"
assert not [e["name"] for e in named if "examplens" in e["name"] or "rv=" in e["name"]], \
    sorted({e["name"] for e in named if "examplens" in e["name"] or "rv=" in e["name"]})[:5]
gets = [e for e in events if e["ph"] == "i" and e["name"] == "message: GET serviceaccounts"]
assert gets and all("namespace" in e["args"] and "name" in e["args"] for e in gets)
tracks = {e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
requests = {e["name"] for e in events if e["ph"] == "X" and e["cat"] == "request"}
serving = {e["name"] for e in events if e["ph"] == "X" and e["cat"] == "serving"}
assert requests and not requests & serving and all(n.startswith("serve ") for n in serving), (requests, serving)
waits = [e for e in events if e["ph"] == "X" and e["cat"] == "wait"]
assert any(e["name"] == "sync CPU" and tracks[e["tid"]].startswith("tokens-controller waits") for e in waits)
steps = [e for e in events if e["ph"] == "X" and tracks[e["tid"]] == "harness steps"]
assert steps and steps[0]["name"].startswith("step 0: "), steps[:1]
assert "service-account-controller" not in json.dumps(events), "two spellings of one actor"
print("ok: slices, instants and flows present, every event named by what it is")
PY
# Recording changes nothing in the run: the same digest with and without.
with=$("$sasim" run --json --trace "$dir/again.json" "$one" | grep -o "\"traceDigest\": *\"[0-9a-f]*\"")
without=$("$sasim" run --json "$one" | grep -o "\"traceDigest\": *\"[0-9a-f]*\"")
test -n "$with" && test "$with" = "$without"
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
