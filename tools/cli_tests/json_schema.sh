#!/usr/bin/env bash
# json_schema.sh SASIM FILE [STATUSES]: `sasim run --json` (with --seed and
# --dump-state) prints one document with the fields and types of the scenario
# format's §9 (and, with STATUSES, that many steps carry an API status).
set -euo pipefail
sasim=$1 file=$2 statuses=${3:-}
"$sasim" run --json --seed 42 --dump-state "$file" | /usr/bin/python3 -c '
import json, sys
doc = json.load(sys.stdin)
def need(obj, key, kind):
    assert key in obj, f"missing {key!r}"
    assert isinstance(obj[key], kind), f"{key!r} is {type(obj[key]).__name__}"
for key, kind in [("scenario", str), ("file", str), ("seed", int), ("version", str), ("passed", bool),
                  ("steps", list), ("invariants", list), ("stats", dict), ("traceDigest", str), ("state", list)]:
    need(doc, key, kind)
assert doc["seed"] == 42 and doc["version"] == "1.20" and doc["passed"] is True
statuses = 0
for step in doc["steps"]:
    for key, kind in [("index", int), ("name", str), ("action", str), ("start", str), ("end", str),
                      ("ok", bool), ("message", str)]:
        need(step, key, kind)
    # An extension: the API status an API step got, as the apiserver wrote it.
    if "status" in step:
        statuses += 1
        for key, kind in [("code", int), ("reason", str), ("message", str)]:
            need(step["status"], key, kind)
        if "details" in step["status"]:
            assert isinstance(step["status"]["details"], dict)
if len(sys.argv) > 1:
    assert statuses == int(sys.argv[1]), f"{statuses} steps with a status"
# The ten of the contract, in its order, then the project own ones.
contract = ["every-namespace-has-default-serviceaccount", "every-serviceaccount-has-valid-token",
            "token-secrets-belong-to-live-serviceaccounts", "token-secrets-are-populated",
            "admitted-pods-use-existing-serviceaccount", "admitted-pods-follow-automount",
            "admitted-pods-inherit-image-pull-secrets", "deleted-tokens-do-not-authenticate",
            "resource-versions-increase", "uids-are-unique"]
names = [inv["name"] for inv in doc["invariants"]]
assert names[:10] == contract, names
assert len(set(names)) == len(names) > 10
for inv in doc["invariants"]:
    for key, kind in [("name", str), ("kind", str), ("held", bool), ("violations", list)]:
        need(inv, key, kind)
    assert inv["kind"] in ("always", "eventually")
for key, kind in [("events", int), ("simulatedTime", str), ("wallSeconds", (int, float))]:
    need(doc["stats"], key, kind)
assert len(doc["traceDigest"]) == 16
assert any(o["kind"] == "Namespace" for o in doc["state"])
print("ok: the JSON document follows the schema")
' $statuses
