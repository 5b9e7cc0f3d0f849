#!/usr/bin/env bash
# parallel_campaign.sh SASIM SCRIPT SCENARIO: tools/campaign/parallel-campaign.sh
# runs a fuzz campaign and a report as shards on local GNU parallel job
# slots and merges them into what one machine writes (campaign_compare.sh);
# a shard that cannot run stops it with exit 2 before any merge. Skipped
# (77) without GNU parallel, which ./dev installs.
set -euo pipefail
sasim=$1 script=$2 scenario=$3
if ! command -v parallel >/dev/null; then
  echo "skipped: GNU parallel is not installed (./dev installs Debian's parallel)"
  exit 77
fi
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/campaign_compare.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# campaign NAME EXPECTED_EXIT SHARDS SASIM_ARGS...
campaign() {
  local name=$1 expected=$2 shards=$3 code=0
  shift 3
  # Into NAME first, as the merge will be: the printed paths must agree.
  "$sasim" "$@" --out "$name" >"$name.expected.stdout" 2>/dev/null || code=$?
  [[ $code == "$expected" ]] || { echo "$name: one machine exited $code"; exit 1; }
  mv "$name" "$name.expected"
  code=0
  bash "$script" --sasim "$sasim" --shards "$shards" --jobs 2 --out "$name" -- "$@" >"$name.log" 2>&1 || code=$?
  [[ $code == "$expected" ]] || { echo "$name: the script exited $code, not $expected"; cat "$name.log"; exit 1; }
  [[ $(ls "$name.shards") == $(printf '%s\n' $(seq 0 $((shards - 1))) joblog) ]] || { echo "$name: shards?"; ls "$name.shards"; exit 1; }
  # What the merge printed is the log's end (the shards' lines come first, tagged).
  grep -v -P '^\d+\t' "$name.log" >"$name.stdout"
  same_output "$name.expected" "$name" "$name.expected.stdout" "$name.stdout" "$name"
  echo "ok: $name: $shards shards on GNU parallel merge into what one machine writes"
}
campaign fuzz 0 3 fuzz --seed 7 --cases 30 --no-db
campaign fuzz-fail 1 4 fuzz --seed 1 --cases 40 --no-db --broken admission-ignore-automount
campaign report 0 3 report "$scenario" --seeds 1..6 --jobs 1

# --sshlogin: two "hosts" behind a stand-in for ssh that runs each command
# here, in a home of the host's own, so that the scratch work directories,
# the scenario sent there and the shards' directories brought back by rsync
# are GNU parallel's real ones. Skipped without rsync.
if command -v rsync >/dev/null; then
  cat >fake-ssh <<'SSH'
#!/usr/bin/env bash
while (($#)); do
  case $1 in
    -[BbcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
host=$1
shift
[[ ${1-} == -- ]] && shift
mkdir -p "$FAKE_SSH_ROOT/$host"
# sshd gives every session its login shell as SHELL, and GNU parallel's remote
# worker runs the command with $SHELL: without it (CI runs with no SHELL) the
# command never runs and nothing comes back.
cd "$FAKE_SSH_ROOT/$host" && HOME=$PWD SHELL=/bin/bash exec bash -c "$*"
SSH
  chmod +x fake-ssh
  export FAKE_SSH_ROOT=$tmp/hosts
  cp "$scenario" scenario.yaml
  mkdir -p bin && ln -s "$sasim" bin/sasim
  PATH=$tmp/bin:$PATH "$sasim" report scenario.yaml --seeds 1..6 --jobs 1 --out remote >remote.expected.stdout 2>/dev/null
  mv remote remote.expected
  code=0
  PATH=$tmp/bin:$PATH bash "$script" --ssh "$tmp/fake-ssh" --sshlogin host-a --sshlogin host-b --jobs 2 --shards 3 \
    --out remote -- report scenario.yaml --seeds 1..6 --jobs 1 >remote.log 2>&1 || code=$?
  [[ $code == 0 ]] || { echo "--sshlogin: exit $code"; cat remote.log; exit 1; }
  grep -v -P '^\d+\t' remote.log >remote.stdout
  same_output remote.expected remote remote.expected.stdout remote.stdout "--sshlogin"
  ran=$(awk -F'\t' 'NR > 1 { print $2 }' remote.shards/joblog | sort -u | tr '\n' ' ')
  [[ $ran == "host-a host-b " ]] || { echo "the shards ran on: $ran"; exit 1; }
  [[ -z $(find hosts -type f) ]] || { echo "scratch files left on the hosts:"; find hosts -type f; exit 1; }
  echo "ok: --sshlogin: 3 shards on two hosts merge into what one machine writes"

  # A host where commands "succeed" but leave nothing (as when the remote
  # worker cannot start the command): the script says which shards did not
  # come back, before any merge.
  sed 's/HOME=$PWD SHELL=\/bin\/bash exec bash -c "$\*"/exit 0/' fake-ssh >silent-ssh
  chmod +x silent-ssh
  ! grep -q 'exec bash' silent-ssh || { echo "silent-ssh still runs commands"; exit 1; }
  code=0
  PATH=$tmp/bin:$PATH bash "$script" --ssh "$tmp/silent-ssh" --sshlogin host-c --jobs 1 --shards 2 \
    --out silent -- report scenario.yaml --seeds 1..2 --jobs 1 >silent.log 2>&1 || code=$?
  if [[ $code != 2 ]] || ! grep -q 'shards 0 1 left no directory in silent.shards' silent.log || [[ -e silent ]]; then
    echo "a shard that did not come back: expected exit 2 and no merge, got $code"; cat silent.log; exit 1
  fi
  echo "ok: --sshlogin: shards that do not come back stop the campaign before the merge"
else
  echo "not tried: --sshlogin (no rsync)"
fi

# A shard that cannot run (a bad flag: exit 2) stops the campaign before the merge.
code=0
bash "$script" --sasim "$sasim" --shards 2 --out bad -- fuzz --size 999 >bad.log 2>&1 || code=$?
if [[ $code != 2 ]] || ! grep -q 'parallel-campaign.sh: error: shards did not run to their end' bad.log || [[ -e bad ]]; then
  echo "a failed shard: expected exit 2 and no merge, got $code"; cat bad.log; exit 1
fi
code=0
bash "$script" --out x -- fuzz --shard 0/2 >bad.log 2>&1 || code=$?
[[ $code == 2 ]] && grep -q -- '--shard is the script' bad.log || { echo "took --shard"; cat bad.log; exit 1; }
echo "ok: the script refuses what it cannot run"
