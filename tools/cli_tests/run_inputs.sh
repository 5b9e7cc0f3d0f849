#!/usr/bin/env bash
# run_inputs.sh SASIM LIBRARY FAILING: `sasim run DIR` runs every *.yaml under
# DIR in name order; --json prints JSON Lines (one compact document per
# scenario per line); --fail-fast stops at the first scenario that fails;
# check takes directories too.
set -euo pipefail
sasim=$1 library=$2 failing=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/b/nested" "$dir/a"
cp "$library/seed-default-service-account.yaml" "$dir/b/nested/2.yaml"
cp "$library/seed-delete-token.yaml" "$dir/a/1.yaml"
cp "$library/seed-image-pull-secrets.yaml" "$dir/b/0.yaml"
echo "not a scenario" > "$dir/b/notes.txt"
"$sasim" run --json "$dir" > "$dir/out.jsonl"
/usr/bin/python3 - "$dir/out.jsonl" "$dir" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
docs = [json.loads(line) for line in lines]  # each line alone is one document
files = [d["file"][len(sys.argv[2]) + 1:] for d in docs]
assert files == ["a/1.yaml", "b/0.yaml", "b/nested/2.yaml"], files
assert all(d["passed"] for d in docs)
print("ok: a directory in name order, as JSON Lines")
PY
"$sasim" check "$dir" | grep -c ': ok' | grep -qx 3
# --fail-fast: the failing scenario first, then nothing more.
set +e
out=$("$sasim" run --fail-fast "$failing" "$dir" 2>&1)
code=$?
set -e
test "$code" = 1
test "$(grep -c '^== ' <<<"$out")" = 1
without=$("$sasim" run "$failing" "$dir" 2>&1 || true)
test "$(grep -c '^== ' <<<"$without")" = 4
# An empty directory is bad input.
mkdir "$dir/empty"
set +e
"$sasim" run "$dir/empty" 2>"$dir/err"
code=$?
set -e
test "$code" = 2 && grep -q "no \*.yaml scenario files under" "$dir/err"
echo "ok: --fail-fast, check DIR, empty directories"
