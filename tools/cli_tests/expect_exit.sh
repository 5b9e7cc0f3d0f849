# expect_exit CODE OUTFILE COMMAND...: runs COMMAND with its output in
# OUTFILE and fails the test (printing the output) unless it exits CODE.
# Sourced by the CLI tests of the limits (max_wall.sh, max_memory.sh).
expect_exit() {
  local want=$1 out=$2
  shift 2
  set +e
  "$@" > "$out" 2>&1
  local got=$?
  set -e
  [[ $got == "$want" ]] || { echo "exit $got, not $want: $*"; cat "$out"; exit 1; }
}
