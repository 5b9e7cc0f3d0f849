#!/usr/bin/env bash
# merge.sh SASIM SCENARIO: `sasim merge` of 1, 2 and 5 shards writes the same
# files and prints the same lines as one machine running the whole campaign,
# for a fuzz campaign that passes, one that fails (the first failure in case
# order wins, whichever shard found it) and a report; and it refuses shards
# that do not make one campaign with a clean error (exit 2), writing nothing.
#
# The files are compared byte for byte with the wall-clock figures masked:
# they are the only part of the output that can differ between two runs of
# the same campaign, on one machine or on many.
set -euo pipefail
sasim=$1 scenario=$2
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/campaign_compare.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# check_campaign NAME EXPECTED_EXIT COMMAND...: the whole campaign in NAME,
# then as 1, 2 and 5 shards merged into NAME again, compared.
check_campaign() {
  local name=$1 expected_exit=$2
  shift 2
  local code=0
  "$@" --out "$name" >"$name.stdout" 2>/dev/null || code=$?
  [[ $code == "$expected_exit" ]] || { echo "$name: one machine exited $code, not $expected_exit"; cat "$name.stdout"; exit 1; }
  mv "$name" "$name.expected"
  for n in 1 2 5; do
    local shards=()
    for ((i = 0; i < n; i++)); do
      "$@" --shard "$i/$n" --out "$name.$n/$i" >/dev/null 2>&1 || true
      shards+=("$name.$n/$i")
    done
    # The shards in another order than their indexes: the order does not matter.
    code=0
    "$sasim" merge --out "$name" $(printf '%s\n' "${shards[@]}" | sort -r) >"$name.$n.stdout" 2>"$name.$n.stderr" || code=$?
    [[ $code == "$expected_exit" ]] || { echo "$name: merge of $n shards exited $code"; cat "$name.$n.stdout" "$name.$n.stderr"; exit 1; }
    same_output "$name.expected" "$name" "$name.stdout" "$name.$n.stdout" "$name, $n shards"
    rm -rf "$name"
  done
  echo "ok: $name: 1, 2 and 5 shards merge into what one machine writes"
}

check_campaign fuzz-pass 0 "$sasim" fuzz --seed 7 --cases 60 --no-db
check_campaign fuzz-fail 1 "$sasim" fuzz --seed 1 --cases 60 --no-db --broken admission-ignore-automount
grep -q '^failure in case 30: admitted-pods-follow-automount' fuzz-fail.stdout || { cat fuzz-fail.stdout; exit 1; }
[[ -s fuzz-fail.expected/counterexample-1.yaml ]] || { echo "no counterexample"; exit 1; }
# --junit: the merge writes the JUnit XML one machine writes (times masked).
"$sasim" fuzz --seed 1 --cases 60 --no-db --broken admission-ignore-automount --out junit --junit one.xml >/dev/null 2>&1 || true
mv junit junit.expected
"$sasim" merge --out junit --junit merged.xml fuzz-fail.2/1 fuzz-fail.2/0 >/dev/null || [[ $? == 1 ]]
junit_mask() { sed -E -e 's/time="[0-9.e+-]+"/time="WALL"/g' -e 's/[0-9]+ cases\/s/WALL cases\/s/g' -e 's/[0-9.]+s, WALL/WALLs, WALL/g' "$1"; }
if ! cmp -s <(junit_mask one.xml) <(junit_mask merged.xml); then
  echo "merge --junit differs from one machine's:"; diff <(junit_mask one.xml) <(junit_mask merged.xml); exit 1
fi
grep -q '<failure' merged.xml || { echo "the merged JUnit shows no failure"; exit 1; }
echo "ok: merge --junit writes one machine's JUnit XML"

check_campaign report 0 "$sasim" report "$scenario" --seeds 1..10 --jobs 1 --set tokens-controller.qps=50
grep -q -- '--set tokens-controller.qps=50 --shard I/N' report.stdout || { echo "no across-machines line"; cat report.stdout; exit 1; }

# Refusals: exit 2, one "sasim: error:" line, and no output directory.
refuse() {
  local pattern=$1
  shift
  local code=0
  "$sasim" merge --out refused "$@" >refused.stdout 2>refused.stderr || code=$?
  if [[ $code != 2 ]] || ! grep -qE "^sasim: error: .*$pattern" refused.stderr || [[ -e refused ]]; then
    echo "merge $*: expected exit 2 with \"$pattern\" and nothing written, got $code:"
    cat refused.stdout refused.stderr
    exit 1
  fi
}
refuse 'missing shard 2/5 \(given: 0/5, 1/5, 3/5, 4/5\)' fuzz-pass.5/{0,1,3,4}
refuse 'shard 1/5 given twice' fuzz-pass.5/{0,1,1,2,3,4}
refuse 'split the campaign differently \(2 shards against 5\)' fuzz-pass.2/{0,1} fuzz-pass.5/{0,1,2,3,4}
"$sasim" fuzz --seed 8 --cases 60 --no-db --shard 1/2 --out other-seed >/dev/null 2>&1
refuse 'shards of different campaigns \("seed": 7 against 8\)' fuzz-pass.2/0 other-seed
refuse 'not the same kind of campaign' fuzz-pass.2/0 report.2/1
refuse 'holds no shard' fuzz-pass.2/0 "$tmp"
refuse 'no-such-dir: not a directory' fuzz-pass.2/0 no-such-dir
refuse '--junit is for fuzz campaigns' --junit refused.xml report.2/0 report.2/1
cp -r fuzz-pass.2/1 old-build
sed -i -E 's/"sasim": "[^"]*"/"sasim": "0.0.1 (commit 000000000000)"/' old-build/fuzz.json
refuse 'different builds of sasim' fuzz-pass.2/0 old-build
cp -r report.2/1 report-old-build
sed -i -E 's/"sasim":"[^"]*"/"sasim":"0.0.1 (commit 000000000000)"/' report-old-build/report-shard.json
refuse 'different builds of sasim' report.2/0 report-old-build
cp -r fuzz-pass.2/1 cut-short
head -c 100 fuzz-pass.2/1/fuzz.json >cut-short/fuzz.json
refuse 'cut-short/fuzz.json: not valid JSON' fuzz-pass.2/0 cut-short
cp -r report.2/1 report-cut-short
head -c 2000 report.2/1/report-shard.json >report-cut-short/report-shard.json
refuse 'report-cut-short/report-shard.json: not valid JSON' report.2/0 report-cut-short
cp -r report.2/1 report-edited
sed -i -E 's/"cases":/"casez":/; s/"events":[0-9]+/"events":"many"/' report-edited/report-shard.json
refuse 'report-shard.json: shard.runs\[0\]: "events" is not an unsigned integer' report.2/0 report-edited
cp -r report.2/1 report-no-run
python3 - report-no-run/report-shard.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["runs"].pop(); json.dump(d, open(sys.argv[1], "w"))
PY
refuse 'report-shard.json: 4 runs, but shard 1/2 of seeds 1..10 has 5' report.2/0 report-no-run
"$sasim" report "$scenario" --seeds 1..11 --jobs 1 --shard 1/2 --out other-seeds >/dev/null 2>&1
refuse 'shards of different reports \("seeds": \{"first":1,"last":10\} against \{"first":1,"last":11\}\)' report.2/0 other-seeds
cp -r fuzz-fail.2/0 fuzz-no-counterexample
rm fuzz-no-counterexample/counterexample-1.yaml
refuse 'fuzz-no-counterexample/fuzz.json: its counterexample fuzz-no-counterexample/counterexample-1.yaml is missing' \
  fuzz-no-counterexample fuzz-fail.2/1
cp -r fuzz-pass.2/1 fuzz-edited
sed -i -E 's/"cases": 30,/"cases": 29,/' fuzz-edited/fuzz.json
refuse 'fuzz-edited/fuzz.json: 29 cases, but shard 1/2 of 60 cases runs 30' fuzz-pass.2/0 fuzz-edited
code=0
"$sasim" merge --out fuzz-pass.2/0 fuzz-pass.2/0 fuzz-pass.2/1 >/dev/null 2>refused.stderr || code=$?
[[ $code == 2 ]] && grep -q "is one of the shards' directories" refused.stderr || { echo "merged into a shard"; exit 1; }
echo "ok: merge refuses shards that do not make one campaign"
