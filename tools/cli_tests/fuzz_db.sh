#!/usr/bin/env bash
# fuzz_db.sh SASIM PASSING: the failure database. A campaign that finds a
# counterexample keeps it in --db; the next campaign replays it before
# generating anything and fails at once while it still fails. Entries of
# other broken variants are not replayed, and an entry that passes now is
# removed.
set -euo pipefail
sasim=$1 passing=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
variant=tokens-never-remove-references
set +e
first=$("$sasim" fuzz --seed 1 --cases 1000 --broken $variant --out "$dir/out" --db "$dir/db" 2>/dev/null)
code=$?
set -e
test "$code" = 1 || { echo "$first"; exit 1; }
entry=$(sed -n 's/^kept in the failure database: //p' <<<"$first")
test -s "$entry" || { echo "$first"; exit 1; }
head -1 "$entry" | grep -q "^# sasim-fuzz-db: kind=every-serviceaccount-has-valid-token broken=$variant object=serviceaccount/[a-z0-9-]*/[a-z0-9-]* message=serviceaccount/.* references no Secret"
# The kept file is an ordinary scenario.
"$sasim" check "$entry" >/dev/null
# The next campaign, with another seed, replays it first and stops.
set +e
second=$("$sasim" fuzz --seed 99 --cases 5 --broken $variant --out "$dir/out" --db "$dir/db" 2>/dev/null)
code=$?
set -e
test "$code" = 1 || { echo "$second"; exit 1; }
grep -q "fuzz: failure database $entry: every-serviceaccount-has-valid-token: still fails" <<<"$second"
! grep -q "cases/s" <<<"$second" || { echo "the campaign ran: $second"; exit 1; }
# The faithful model is not judged by a broken variant's failures.
"$sasim" fuzz --seed 2 --cases 3 --db "$dir/db" >"$dir/faithful" 2>/dev/null
! grep -q "failure database" "$dir/faithful"
test -s "$entry"
# An entry that passes now is replayed once and removed.
{ echo "# sasim-fuzz-db: kind=every-serviceaccount-has-valid-token"; cat "$passing"; } > "$dir/db/fixed.yaml"
"$sasim" fuzz --seed 2 --cases 3 --db "$dir/db" >"$dir/fixed" 2>/dev/null
grep -q "fuzz: failure database $dir/db/fixed.yaml: every-serviceaccount-has-valid-token: passes now (removed)" "$dir/fixed"
test ! -e "$dir/db/fixed.yaml"
echo "ok: the failure database keeps, replays first, and forgets what is fixed"
