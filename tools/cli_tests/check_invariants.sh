#!/usr/bin/env bash
# check_invariants.sh SASIM LIBRARY: `sasim run --check-invariants full`
# (the whole store at every evaluation) prints the same JSON as the default
# incremental evaluation for the whole library, but the wall time; and a
# value other than incremental or full is bad input (exit 2).
set -euo pipefail
sasim=$1 library=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
set +e
"$sasim" run --json "$library" > "$dir/incremental.jsonl"
code_incremental=$?
"$sasim" run --json --check-invariants full "$library" > "$dir/full.jsonl"
code_full=$?
"$sasim" run --check-invariants sometimes "$library/seed-delete-token.yaml" > /dev/null 2>&1
code_bad=$?
set -e
[[ $code_incremental == "$code_full" ]] || { echo "exit codes differ: $code_incremental vs $code_full"; exit 1; }
[[ $code_bad == 2 ]] || { echo "--check-invariants sometimes exited $code_bad, not 2"; exit 1; }
/usr/bin/python3 - "$dir/incremental.jsonl" "$dir/full.jsonl" <<'PY'
import json, sys
def load(path):
    docs = [json.loads(line) for line in open(path).read().splitlines()]
    for d in docs:
        d["stats"].pop("wallSeconds", None)
    return docs
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) == len(b) and len(a) > 5, (len(a), len(b))
for x, y in zip(a, b):
    assert x == y, (x["file"], json.dumps(x)[:2000], json.dumps(y)[:2000])
print(f"ok: {len(a)} library scenarios print the same JSON both ways")
PY
