#!/usr/bin/env bash
# parallel-campaign.sh: runs a `sasim fuzz` campaign or a `sasim report` as N
# shards on GNU parallel's job slots, on this machine or on others over ssh
# (--sshlogin), then joins them with `sasim merge` into the files one machine
# would have written for the whole campaign.
#
#   parallel-campaign.sh [--shards N] [--jobs J] [--sshlogin LOGIN]... [--ssh CMD]
#                        [--sasim PATH] --out DIR -- fuzz|report ARGS...
#
# Each shard I runs `sasim ARGS --shard I/N --out DIR.shards/I`; the merge
# writes DIR. N defaults to J, else to this machine's processors; J (job
# slots per host) to GNU parallel's default, one per processor. Exit: the
# merge's (0 passed, 1 a failure found or a run failed, 2 bad input or
# shards that do not merge, 3 internal error), or 2 when a shard could not
# run.
#
# Remote hosts (--sshlogin, GNU parallel's syntax: [USER@]HOST, N/HOST for N
# slots, ':' for this machine) need the same build of sasim (merge refuses
# shards of another build) and rsync; each job runs in a scratch directory
# there, each ARG that names a file here (the scenario of a report) is sent
# into it first, and the shard's directory comes back. Use relative paths for
# them and for --out. --ssh CMD replaces ssh (GNU parallel's --ssh).
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}
die() {
  echo "parallel-campaign.sh: error: $*" >&2
  exit 2
}

shards="" jobs="" sasim=sasim out=""
ssh=() ssh_command=()
while (($#)); do
  case $1 in
    --shards) shards=${2-}; shift 2 || die "--shards needs a number" ;;
    --jobs) jobs=${2-}; shift 2 || die "--jobs needs a number" ;;
    --sshlogin | -S) ssh+=(--sshlogin "${2-}"); shift 2 || die "--sshlogin needs a login" ;;
    --ssh) ssh_command=(--ssh "${2-}"); shift 2 || die "--ssh needs a command" ;;
    --sasim) sasim=${2-}; shift 2 || die "--sasim needs a path" ;;
    --out) out=${2-}; shift 2 || die "--out needs a directory" ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) die "unknown option \"$1\" (the sasim command comes after --; see --help)" ;;
  esac
done
(($#)) || die "no sasim command: give -- fuzz ARGS... or -- report FILE ARGS..."
[[ $1 == fuzz || $1 == report ]] || die "only fuzz and report run as shards, not \"$1\""
[[ -n $out ]] || die "--out DIR is required: the merged files go there"
for arg in "$@"; do
  case $arg in
    --shard | --shard=* | --out | --out=*) die "$arg is the script's to set: give --out to the script instead" ;;
    --sweep | --sweep=* | --compare | --compare=*) die "$arg does not run as shards" ;;
  esac
done
command -v parallel >/dev/null || die "GNU parallel is not installed (Debian: apt-get install parallel)"
if [[ -z $shards ]]; then shards=${jobs:-$(nproc)}; fi
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards: expected a positive number, got \"$shards\""
[[ -z $jobs || $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs: expected a positive number, got \"$jobs\""

shard_root=$out.shards
rm -rf "$shard_root"  # stale shards of an earlier campaign would be merged
mkdir -p "$shard_root"

options=(--will-cite --joblog "$shard_root/joblog" --tag)
[[ -n $jobs ]] && options+=(--jobs "$jobs")
if ((${#ssh[@]})); then
  # A scratch directory per job on each host, removed afterwards; the
  # scenario (any argument that is a file here) sent into it first; the
  # shard's directory brought back. (--basefile does not go with a scratch
  # --workdir: GNU parallel refuses relative basefiles there.)
  [[ $out != /* ]] || die "--out must be a relative path with --sshlogin (it is also the path on the hosts)"
  options+=("${ssh[@]}" "${ssh_command[@]}" --workdir ... --return "$shard_root/{}" --cleanup)
  for arg in "${@:2}"; do
    if [[ -f $arg ]]; then
      [[ $arg != /* ]] || die "$arg: give files by a relative path with --sshlogin"
      options+=(--transferfile "$arg")
    fi
  done
fi

# -q: each word goes to the shell (local or remote) quoted as it is here.
parallel "${options[@]}" -q "$sasim" "$@" --shard "{}/$shards" --out "$shard_root/{}" ::: $(seq 0 $((shards - 1))) ||
  true  # a shard that finds a failure exits 1: the merge judges; the joblog tells the rest

# Exit values 0 and 1 are verdicts; anything else (2 bad input, 3 internal
# error, 255 ssh failed, a signal) means the shard did not run to its end.
broken=$(awk -F'\t' 'NR > 1 && !($7 == 0 || $7 == 1) || NR > 1 && $8 != 0 { print $NF " (exit " $7 ", signal " $8 ")" }' \
  "$shard_root/joblog")
if [[ -n $broken ]]; then
  die "shards did not run to their end: $(tr '\n' ';' <<<"$broken")"
fi
# GNU parallel logs the command's exit, not the return's: a shard whose
# directory rsync could not bring back (or that wrote none) is caught here.
dirs=() missing=()
for ((i = 0; i < shards; i++)); do
  dirs+=("$shard_root/$i")
  [[ -d $shard_root/$i ]] || missing+=("$i")
done
if ((${#missing[@]})); then
  die "shards ${missing[*]} left no directory in $shard_root (with --sshlogin: did the command run there, and could rsync bring it back? see the tagged lines above)"
fi
exec "$sasim" merge --out "$out" "${dirs[@]}"
