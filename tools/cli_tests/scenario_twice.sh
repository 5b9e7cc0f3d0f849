#!/usr/bin/env bash
# scenario_twice.sh SASIM FILE: runs a library scenario twice in separate
# processes; both runs must pass and print the same trace digest.
set -euo pipefail
sasim=$1 file=$2
run() { "$sasim" run "$file" --json; }
first=$(run) || { echo "$first"; echo "FAILED: $file did not pass"; exit 1; }
second=$(run)
digest() { grep -o '"traceDigest": *"[0-9a-f]*"' <<<"$1"; }
a=$(digest "$first") b=$(digest "$second")
echo "$file: $a / $b"
[[ -n $a && $a == "$b" ]]
