#!/usr/bin/env bash
# expect.sh CODE PATTERN -- COMMAND...: runs COMMAND and passes when it exits
# with CODE and its combined output matches the extended regex PATTERN.
set -u
expected_code=$1 pattern=$2
shift 3
output=$("$@" 2>&1)
code=$?
if [[ $code -ne $expected_code ]]; then
  printf 'expected exit %s, got %s from: %s\n%s\n' "$expected_code" "$code" "$*" "$output"
  exit 1
fi
if ! grep -Eq -- "$pattern" <<<"$output"; then
  printf 'output of %s does not match /%s/:\n%s\n' "$*" "$pattern" "$output"
  exit 1
fi
echo "ok: exit $code, output matches /$pattern/"
