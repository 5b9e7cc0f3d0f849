#!/usr/bin/env bash
# check_test_names.sh ROOT
#
# Catch2 test names become ctest tests through catch_discover_tests, which
# passes each name back to the test binary as a test spec. In a spec, ','
# separates alternatives, '[' starts a tag and '\' escapes, and ';' splits
# CMake lists: a name holding any of them is silently mangled, and the test
# it names stops running under ctest without any error. Fail on such names.
set -euo pipefail
if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 ROOT" >&2
  exit 2
fi
cd "$1"
status=0
count=0
bad=0
while IFS= read -r -d '' file; do
  while IFS=: read -r line text; do
    count=$((count + 1))
    name=${text#*TEST_CASE(\"}
    name=${name%%\"*}
    if [[ $name == *[],\;\\[]* ]]; then
      echo "$file:$line: test name has one of , ; [ ] \\ which ctest discovery mangles: \"$name\""
      status=1
      bad=$((bad + 1))
    fi
  done < <(grep -n 'TEST_CASE("' "$file" || true)
done < <(find . \( -path ./build -o -name testdata \) -prune -o -type f -name '*_test.cc' -print0 | LC_ALL=C sort -z)
if [[ $status -eq 0 ]]; then
  echo "check_test_names: OK: $count test names"
else
  echo "check_test_names: $bad bad test names of $count"
fi
exit "$status"
