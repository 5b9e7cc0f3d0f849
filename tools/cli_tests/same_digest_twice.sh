#!/usr/bin/env bash
# Two separate processes with the same seed must print the same trace digest,
# and another seed a different one: guards against anything that varies per
# process (addresses, hash seeds, the clock) leaking into a run.
set -euo pipefail
sasim=$1
digest() { "$sasim" demo --seed "$1" --lines 0 | awk '/trace digest/ {print $3}'; }
a=$(digest 11) b=$(digest 11) c=$(digest 12)
echo "seed 11: $a, again: $b; seed 12: $c"
[[ -n $a && $a == "$b" && $a != "$c" ]]
