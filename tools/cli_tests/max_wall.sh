#!/usr/bin/env bash
# max_wall.sh SASIM SCENARIO: --max-wall of run, report and fuzz. Over the
# limit: a clear error naming the flag and exit 2 (a fuzz campaign prints
# its summary, marked stopped, and writes no record for merge); within it:
# the same run, digest and all, as without the flag.
set -euo pipefail
sasim=$1 scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/expect_exit.sh"

# A bad duration is a usage error.
expect_exit 2 "$dir/bad" "$sasim" run --max-wall 0s "$scenario"
grep -q -- '--max-wall: must be more than 0s' "$dir/bad" || { cat "$dir/bad"; exit 1; }
expect_exit 2 "$dir/bad" "$sasim" run --max-wall soon "$scenario"
grep -q -- '--max-wall: ' "$dir/bad" || { cat "$dir/bad"; exit 1; }

# run: a millisecond is less than building a cluster takes anywhere; the
# files after the one stopped do not run.
expect_exit 2 "$dir/run" "$sasim" run --max-wall 1ms "$scenario" "$scenario"
grep -qx "$scenario: error: the run took longer than --max-wall 1ms of wall time" "$dir/run" || { cat "$dir/run"; exit 1; }
[[ $(grep -c 'error:' "$dir/run") == 1 ]] || { echo "the second file ran:"; cat "$dir/run"; exit 1; }
# Within the limit: the run without it.
"$sasim" run "$scenario" | grep '^trace digest' > "$dir/free"
"$sasim" run --max-wall 10m "$scenario" | grep '^trace digest' > "$dir/limited"
diff "$dir/free" "$dir/limited"

# report: the same error, whichever seed it stopped.
expect_exit 2 "$dir/report" "$sasim" report "$scenario" --seeds 1..50 --jobs 2 --max-wall 1ms --out "$dir/report-out"
grep -q "$scenario: error: the run took longer than --max-wall 1ms of wall time" "$dir/report" || { cat "$dir/report"; exit 1; }
"$sasim" report "$scenario" --seeds 1..2 --max-wall 10m --out "$dir/report-ok" > /dev/null 2>&1

# fuzz: a campaign of far more cases than a second holds stops unfinished,
# with its summary, and writes no fuzz.json for merge.
expect_exit 2 "$dir/fuzz" "$sasim" fuzz --seed 3 --cases 100000000 --max-wall 2s --no-db --out "$dir/fuzz-out"
grep -Eq '^stopped: the run took longer than --max-wall 2s of wall time; the campaign is unfinished after [0-9]+ cases$' "$dir/fuzz" || { cat "$dir/fuzz"; exit 1; }
grep -q '^fuzz: seed 3, shard 0/1: [0-9]* cases, 0 failures' "$dir/fuzz" || { cat "$dir/fuzz"; exit 1; }
grep -q 'sasim: error: fuzz: the run took longer than --max-wall 2s of wall time; the campaign is unfinished' "$dir/fuzz" || { cat "$dir/fuzz"; exit 1; }
[[ ! -e $dir/fuzz-out/fuzz.json ]] || { echo "a stopped campaign wrote its record"; exit 1; }
# --json says so too.
expect_exit 2 "$dir/fuzz-json" "$sasim" fuzz --seed 3 --cases 100000000 --max-wall 1s --no-db --json "$dir/fuzz.json-summary"
grep -q '"stopped": "the run took longer than --max-wall 1s of wall time"' "$dir/fuzz.json-summary" || { cat "$dir/fuzz.json-summary"; exit 1; }
# --junit: the shard's test case is an error, not a pass.
expect_exit 2 "$dir/fuzz-junit" "$sasim" fuzz --seed 3 --cases 100000000 --max-wall 1s --no-db --junit "$dir/fuzz.xml"
grep -q '<error message="the run took longer than --max-wall 1s of wall time; the campaign is unfinished"' "$dir/fuzz.xml" || { cat "$dir/fuzz.xml"; exit 1; }
# Within the limit the campaign is complete.
"$sasim" fuzz --seed 3 --cases 5 --max-wall 10m --no-db --out "$dir/fuzz-ok" | grep -q '^fuzz: seed 3, shard 0/1: 5 cases, 0 failures'
echo "ok: --max-wall stops run, report and fuzz with exit 2 and leaves runs within it unchanged"
