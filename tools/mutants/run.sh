#!/usr/bin/env bash
# tools/mutants/run.sh [--time D] [--seeds N] [MUTANT...]: outside mutation
# testing of the fuzz campaign. Each mutant (*.mutant here) is one realistic
# one-line mistake in the model; for each, a copy of the source tree gets
# the mistake, sasim is rebuilt, and `sasim fuzz --time D` runs on seeds
# 1..N until it finds a failure. A mutant is "found" when a campaign fails
# with a confirmed counterexample and that counterexample, run on the
# correct build, does not fail with the same message (otherwise the
# campaign raised a false alarm). The correct build is fuzzed first on the
# same seeds and must be clean.
#
# Not part of the test suite: it rebuilds once per mutant and takes about
# a minute of CPU per mutant. `./dev mutants` runs it.
#
# Environment: WORK (default: $TMPDIR/sasim-mutants-UID, a scratch
# directory outside the checkout, where the lints would read the copy),
# JOBS (default: 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
time=60s seeds=1
mutants=()
while (($#)); do
  case $1 in
    --time) time=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) mutants+=("$1"); shift ;;
  esac
done
((${#mutants[@]})) || mutants=(tools/mutants/*.mutant)
work=$(realpath -m "${WORK:-${TMPDIR:-/tmp}/sasim-mutants-$(id -u)}")
jobs=${JOBS:-2}
# The build directory sits in the copy as build/ does in a checkout, so that
# with CCACHE_BASEDIR the compile commands are the checkout's own and hit
# the cache of an ordinary build made with CCACHE_BASEDIR at its root.
src=$work/src build=$work/src/build out=$work/out
mkdir -p "$work" "$out"

# The tracked files of the working tree, as they are now.
rm -rf "$src"
mkdir -p "$src"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=$src
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSASIM_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
fi

build_sasim() { cmake --build "$build" -j "$jobs" --target sasim >"$work/build.log" 2>&1; }

# campaign BINARY NAME: fuzz seeds 1..N; prints "found SEED KIND: MESSAGE"
# with the counterexample in $out/NAME, "clean" or "error ...".
campaign() {
  local sasim=$1 name=$2 seed code output
  for ((seed = 1; seed <= seeds; ++seed)); do
    rm -rf "${out:?}/$name"
    code=0
    output=$("$sasim" fuzz --seed "$seed" --time "$time" --no-db --out "$out/$name" 2>/dev/null) || code=$?
    case $code in
      0) ;;
      1) echo "found $seed $(sed -n 's/^failure in case [0-9]*: //p' <<<"$output")"; return ;;
      *) echo "error (exit $code): $(tail -1 <<<"$output")"; return ;;
    esac
  done
  echo clean
}

echo "mutants: building the correct model"
build_sasim || { echo "mutants: the correct model does not build; see $work/build.log"; exit 1; }
cp "$build/sasim" "$work/sasim-correct"
baseline=$(campaign "$work/sasim-correct" correct)
echo "mutants: correct model, $seeds seed(s) x $time: $baseline"
if [[ $baseline != clean ]]; then
  echo "mutants: the correct model is not clean: every result below would mean nothing"
  exit 1
fi

found=0 total=0 false_alarms=0
for mutant in "${mutants[@]}"; do
  name=$(basename "$mutant" .mutant)
  total=$((total + 1))
  file=$(python3 tools/mutants/apply_mutant.py "$mutant" "$src" 2>"$work/apply.log") || {
    echo "  $name: DOES NOT APPLY ($(cat "$work/apply.log"))"
    continue
  }
  cp "$root/$file" "$work/original"
  if ! build_sasim; then
    echo "  $name: DOES NOT BUILD (see $work/build.log)"
  else
    result=$(campaign "$build/sasim" "$name")
    if [[ $result == found* ]]; then
      message=${result#found * }
      message=${message#*: }
      replay=$("$work/sasim-correct" run "$out/$name"/counterexample-*.yaml 2>&1 || true)
      if grep 'FAIL' <<<"$replay" | grep -qF -- "$message"; then
        false_alarms=$((false_alarms + 1))
        echo "  $name: FALSE ALARM (the correct build fails the same way): $result"
      else
        found=$((found + 1))
        echo "  $name: found on seed ${result#found }"
      fi
    else
      echo "  $name: NOT FOUND ($result)"
    fi
  fi
  # Restore the line (the original is the tree's, not the scratch copy's).
  cp "$work/original" "$src/$file"
done
echo "mutants: $found of $total found by a $time campaign on $seeds seed(s); $false_alarms false alarm(s)"
((found == total))
