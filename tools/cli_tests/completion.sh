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
# grep reads all of the offers (no -q): with pipefail, a grep that quits at
# its first match can leave printf writing into a closed pipe (SIGPIPE), a
# failure that shows only under load.
test "$(complete_words sasim ru)" = run
complete_words sasim run --fa | grep -x -- --fail-fast >/dev/null
complete_words sasim report --sw | grep -x -- --sweep >/dev/null
complete_words sasim fuzz --broken tokens-keep | grep -x tokens-keep-orphan-tokens >/dev/null
complete_words sasim fuzz --j | grep -x -- --junit >/dev/null
echo "ok: bash completion"
