#!/usr/bin/env bash
# max_memory.sh SASIM SCENARIO: --max-memory of report and fuzz. A limit
# the command cannot live within ends it with the error naming the flag,
# exit 2, and no crash; a limit it fits in changes nothing. (Not run in a
# sanitizer build, where the limit is not applied.)
set -euo pipefail
sasim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/expect_exit.sh"

expect_exit 2 "$dir/bad" "$sasim" report "$scenario" --max-memory lots --out "$dir/bad-out"
grep -q -- '--max-memory: expected a size such as 512MiB' "$dir/bad" || { cat "$dir/bad"; exit 1; }

# 16 MiB of address space: less than the binary, its libraries and a
# cluster need (about 20 MiB for this scenario), so the commands run out of
# memory while they load keys and build their first clusters: in C++ code
# (the new-handler) and in OpenSSL's (malloc). The message is whole and
# nothing is killed by a signal (exit 2, not 134 or 137). 16 MiB once made
# fuzz abort on a signing key that "does not load".
expect_exit 2 "$dir/report" "$sasim" report "$scenario" --seeds 1..20 --jobs 2 --max-memory 16MiB --out "$dir/report-out"
grep -qx 'sasim: error: out of memory: the command needs more than --max-memory 16MiB; raise the limit' "$dir/report" || { cat "$dir/report"; exit 1; }
expect_exit 2 "$dir/fuzz" "$sasim" fuzz --seed 3 --cases 50 --max-memory 16MiB --no-db --out "$dir/fuzz-out"
grep -q 'sasim: error: out of memory: the command needs more than --max-memory 16MiB; raise the limit' "$dir/fuzz" || { cat "$dir/fuzz"; exit 1; }

# Within a limit: the same report and the same campaign as without one.
"$sasim" report "$scenario" --seeds 1..4 --jobs 2 --out "$dir/free" > /dev/null 2>&1
"$sasim" report "$scenario" --seeds 1..4 --jobs 2 --max-memory 2GiB --out "$dir/limited" > /dev/null 2>&1
grep -o '"traceDigest": *"[0-9a-f]*"' "$dir/free/report.json" > "$dir/free-digests"
grep -o '"traceDigest": *"[0-9a-f]*"' "$dir/limited/report.json" > "$dir/limited-digests"
[[ -s $dir/free-digests ]] || { echo "no digests in report.json"; exit 1; }
diff "$dir/free-digests" "$dir/limited-digests"
"$sasim" fuzz --seed 3 --cases 20 --max-memory 2GiB --no-db --out "$dir/fuzz-ok" | grep -q '^fuzz: seed 3, shard 0/1: 20 cases, 0 failures'
echo "ok: --max-memory ends report and fuzz with exit 2 past the limit and changes nothing within it"
