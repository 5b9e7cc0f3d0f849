#!/usr/bin/env bash
# Sourced by the campaign tests: compares what a merge wrote and printed
# with what one machine wrote and printed for the same campaign, byte for
# byte with the wall-clock figures masked (they are the only part of the
# output that differs between two runs of one campaign, on one machine or
# on many).

# The wall-clock figures, as each file spells them.
mask() {
  sed -E -e 's/("(wallSeconds|casesPerSecond|eventsPerWallSecond|simulatedSecondsPerWallSecond|jobs)": )[0-9.e+-]+/\1WALL/' \
         -e 's#(wall seconds \()[0-9]+( jobs\)</td><td>)[0-9.]+#\1WALL\2WALL#' \
         -e 's#(per wall second</td><td>)[0-9.]+#\1WALL#g' \
         -e 's/[0-9.]+s, [0-9]+ cases\/s/WALLs, WALL cases\/s/' "$1"
}

# same_output EXPECTED_DIR ACTUAL_DIR EXPECTED_STDOUT ACTUAL_STDOUT WHAT
same_output() {
  local expected=$1 actual=$2 what=$5
  if [[ $(cd "$expected" && ls) != $(cd "$actual" && ls) ]]; then
    echo "$what: the merge wrote other files: $(cd "$actual" && ls | tr '\n' ' ') instead of $(cd "$expected" && ls | tr '\n' ' ')"
    exit 1
  fi
  for f in $(cd "$expected" && ls); do
    if ! cmp -s <(mask "$expected/$f") <(mask "$actual/$f"); then
      echo "$what: $f differs from one machine's:"
      diff <(mask "$expected/$f") <(mask "$actual/$f") | head -20
      exit 1
    fi
  done
  if ! cmp -s <(mask "$3") <(mask "$4"); then
    echo "$what: the merge printed something else than one machine:"
    diff <(mask "$3") <(mask "$4")
    exit 1
  fi
}

