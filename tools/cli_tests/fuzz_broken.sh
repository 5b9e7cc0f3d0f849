#!/usr/bin/env bash
# fuzz_broken.sh SASIM VARIANT [VERSION [MAX_STEPS]]: `sasim fuzz --broken
# VARIANT --version VERSION` (default 1.20) finds a failure within a small
# budget (exit 1), shrunk to MAX_STEPS steps (default 5) or fewer, and prints
# the replay command;
# `sasim run` of the written counterexample with the variant fails too
# (exit 1), with the invariant or check the campaign reported, and for the
# same cause (the message); on the correct build that cause does not show.
set -u
sasim=$1 variant=$2 version=${3:-1.20} max_steps=${4:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fuzz_output=$("$sasim" fuzz --seed 1 --cases 3000 --version "$version" --broken "$variant" --out "$out" --no-db 2>/dev/null)
code=$?
if [[ $code -ne 1 ]]; then
  printf 'expected sasim fuzz to exit 1, got %s:\n%s\n' "$code" "$fuzz_output"
  exit 1
fi
file=$out/counterexample-1.yaml
if ! grep -q "^replay: sasim run $file --broken $variant\$" <<<"$fuzz_output"; then
  printf 'no replay command in:\n%s\n' "$fuzz_output"
  exit 1
fi
if ! grep -q "^counterexample: $file (replays to the same cause, which the correct build does not show)\$" <<<"$fuzz_output"; then
  printf 'the campaign did not confirm the cause:\n%s\n' "$fuzz_output"
  exit 1
fi
steps=$(sed -n 's/^shrunk from [0-9]* steps to \([0-9]*\) .*/\1/p' <<<"$fuzz_output")
if [[ -z $steps || $steps -gt $max_steps ]]; then
  printf 'not shrunk to %s steps or fewer:\n%s\n' "$max_steps" "$fuzz_output"
  exit 1
fi
kind=$(sed -n 's/^failure in case [0-9]*: \([a-z-]*\):.*/\1/p' <<<"$fuzz_output")
message=$(sed -n 's/^failure in case [0-9]*: [a-z-]*: //p' <<<"$fuzz_output")
run_output=$("$sasim" run "$file" --broken "$variant" 2>&1)
code=$?
if [[ $code -ne 1 ]]; then
  printf 'expected sasim run of the counterexample to exit 1, got %s:\n%s\n' "$code" "$run_output"
  exit 1
fi
if [[ $kind == reference-model ]]; then
  pattern='FAIL step .*reference model'
else
  pattern="FAIL  invariant $kind"
fi
if ! grep -Eq -- "$pattern" <<<"$run_output"; then
  printf 'the replay does not show /%s/:\n%s\n' "$pattern" "$run_output"
  exit 1
fi
if ! grep '^.*FAIL' <<<"$run_output" | grep -F -- "$message" >/dev/null; then
  printf 'the replay does not fail with "%s":\n%s\n' "$message" "$run_output"
  exit 1
fi
faithful_output=$("$sasim" run "$file" 2>&1)
if grep '^.*FAIL' <<<"$faithful_output" | grep -F -- "$message" >/dev/null; then
  printf 'the correct build fails for the same cause (a harness bug):\n%s\n' "$faithful_output"
  exit 1
fi
echo "ok: $variant found ($kind), shrunk to $steps steps, replayed"
