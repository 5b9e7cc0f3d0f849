#!/usr/bin/env bash
# completion.sh SASIM: `sasim completion bash` is a bash script that
# completes commands, each command's flags and --broken's variants.
set -euo pipefail
sasim=$1
script=$("$sasim" completion bash)
complete_words() {
  # complete_words WORD...: what the function offers for the last word.
  bash -c 'source /dev/stdin <<<"$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _sasim; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$script" "$@"
}
test "$(complete_words sasim ru)" = run
complete_words sasim run --fa | grep -qx -- --fail-fast
complete_words sasim report --sw | grep -qx -- --sweep
complete_words sasim fuzz --broken tokens-keep | grep -qx tokens-keep-orphan-tokens
complete_words sasim fuzz --j | grep -qx -- --junit
echo "ok: bash completion"
