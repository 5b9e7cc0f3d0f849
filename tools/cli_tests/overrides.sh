#!/usr/bin/env bash
# overrides.sh SASIM FILE: --set changes a knob as the file would: with
# cluster.serviceAccountLookup=false the deleted token of
# seed-delete-token.yaml keeps working, so its last step fails (exit 1);
# the run's report records the overridden knob; a bad override is exit 2 at
# the override.
set -euo pipefail
sasim=$1 file=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$sasim" run "$file" >/dev/null
set +e
out=$("$sasim" run "$file" --set cluster.serviceAccountLookup=false 2>&1)
code=$?
set -e
test "$code" = 1 || { echo "$out"; exit 1; }
grep -q "FAIL step  6  the old Secret is no longer valid" <<<"$out" || { echo "$out"; exit 1; }
# The replay command carries the override, so that it replays the same run.
grep -q "^replay: sasim run $file --seed 1 --set 'cluster.serviceAccountLookup=false'$" <<<"$out" || { echo "$out"; exit 1; }
"$sasim" run "$file" --set tokens-controller.qps=7 --report "$dir/r" >/dev/null
grep -q '"tokens-controller.qps": "7"' "$dir/r/report.json"
set +e
err=$("$sasim" run "$file" --set tokens-controller.qps=fast 2>&1)
code=$?
set -e
test "$code" = 2
grep -q -- '--set tokens-controller.qps=fast:1:23: error: expected an integer' <<<"$err" || { echo "$err"; exit 1; }
echo "ok: --set"
