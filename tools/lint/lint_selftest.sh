#!/usr/bin/env bash
# lint_selftest.sh: proves that check_banned.sh and check_layering.sh can
# fail, and that they do not fail on legitimate look-alikes.
#
# It builds throwaway source trees:
#   bad/    every line a check must report carries a marker comment
#               // expect: banned RULE[, banned RULE2]     or     // expect: layering
#           (markers are comments, which the checks ignore). Each check must
#           exit 1 and report exactly the marked lines: a missing finding
#           and an extra one are both failures.
#   clean/  code that resembles the banned constructs but is fine, with only
#           sim/ and model/ present (the other layers do not exist yet).
#   empty/  no layer directory at all.
# Exits 1 and says what went wrong on any mismatch.
set -uo pipefail  # no -e: keep going and report every mismatch

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sasim-lint-selftest.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT

problems=0
problem() {
  echo "FAIL: $*"
  problems=$((problems + 1))
}

# put FILE: writes stdin to FILE, creating its directory.
put() {
  mkdir -p -- "$(dirname -- "$1")"
  cat >"$1"
}

# run NAME TREE: runs check NAME on TREE; sets `out` and `rc`.
run() {
  out=$(bash "$here/$1.sh" "$2" 2>&1)
  rc=$?
}

# expected KIND TREE: the `FILE:LINE: KIND[ RULE]` findings the markers ask for.
expected() {
  (cd "$2" && grep -rn 'expect: ' -- *) | awk -v kind="$1" '{
    split($0, part, ":")
    list = $0; sub(/.*expect: /, "", list)
    n = split(list, item, ",")
    for (i = 1; i <= n; i++) {
      sub(/^[ \t]+/, "", item[i]); sub(/[ \t]+$/, "", item[i])
      if (index(item[i], kind) == 1) print part[1] ":" part[2] ": " item[i]
    }
  }' | LC_ALL=C sort
}

# actual KIND: the findings in `out`, in the same shape as `expected`.
actual() {
  if [[ $1 == banned ]]; then
    sed -nE 's/^([^:]+:[0-9]+): banned ([a-z-]+): .*/\1: banned \2/p' <<<"$out"
  else
    sed -nE 's/^([^:]+:[0-9]+): layering: .*/\1: layering/p' <<<"$out"
  fi | LC_ALL=C sort
}

# ---------------------------------------------------------------------------
# bad/: one file per banned rule, plus lexer edge cases.
bad=$tmp/bad

put "$bad/sim/wall_clock.cc" <<'EOF'
// Reads the machine's clocks: a run would differ from its replay.
#include <chrono>
#include <ctime>
#include <sys/time.h>

namespace sasim::sim {
auto a() { return std::chrono::system_clock::now(); }  // expect: banned wall-clock
auto b() { return std::chrono::steady_clock::now(); }  // expect: banned wall-clock
auto c() { return std::chrono::high_resolution_clock::now(); }  // expect: banned wall-clock
long d() { return static_cast<long>(std::time(nullptr)); }  // expect: banned wall-clock
long e() { return static_cast<long>(time(nullptr)); }  // expect: banned wall-clock
long f() {
  timeval tv;
  gettimeofday(&tv, nullptr);  // expect: banned wall-clock
  return tv.tv_sec;
}
long g() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // expect: banned wall-clock
  return ts.tv_sec;
}
long h() { return static_cast<long>(clock()); }  // expect: banned wall-clock
long i() { return static_cast<long>(std::clock()); }  // expect: banned wall-clock
}  // namespace sasim::sim
EOF

put "$bad/sim/randomness.cc" <<'EOF'
#include <cstdlib>
#include <random>  // expect: banned randomness

namespace sasim::sim {
int a() { return std::rand(); }  // expect: banned randomness
int b() { return rand() % 6; }  // expect: banned randomness
void c() { srand(42); }  // expect: banned randomness
unsigned d() {
  std::random_device device;  // expect: banned randomness
  std::mt19937 engine(device());  // expect: banned randomness
  std::uniform_int_distribution<int> die(1, 6);  // expect: banned randomness
  std::normal_distribution<double> noise(0.0, 1.0);  // expect: banned randomness
  return static_cast<unsigned>(die(engine) + noise(engine));
}
}  // namespace sasim::sim
EOF

put "$bad/sim/unordered.h" <<'EOF'
#pragma once
#include <unordered_map>  // expect: banned unordered-container
#include <unordered_set>  // expect: banned unordered-container

namespace sasim::sim {
struct Index {
  std::unordered_map<int, int> by_id;  // expect: banned unordered-container
  std::unordered_multiset<int> seen;  // expect: banned unordered-container
};
}  // namespace sasim::sim
EOF

put "$bad/model/threads.cc" <<'EOF'
#include <future>
#include <pthread.h>
#include <thread>  // expect: banned thread

namespace sasim::model {
void a() {
  std::thread worker([] {});  // expect: banned thread
  worker.join();
  std::jthread other([] {});  // expect: banned thread
  auto later = std::async([] { return 1; });  // expect: banned thread
  std::this_thread::yield();  // expect: banned thread
  pthread_t id = pthread_self();  // expect: banned thread
}
}  // namespace sasim::model
EOF

put "$bad/model/env.cc" <<'EOF'
#include <cstdlib>

namespace sasim::model {
const char* a() { return std::getenv("SASIM_SEED"); }  // expect: banned getenv
const char* b() { return getenv("HOME"); }  // expect: banned getenv
// The escape hatch exempts a line only from the rule it names:
const char* c() { return getenv("USER"); }  // lint: allow(thread) expect: banned getenv
}  // namespace sasim::model
EOF

put "$bad/model/globals.cc" <<'EOF'
#include <functional>
#include <map>
#include <string>

namespace sasim::model {
static int counter = 0;  // expect: banned mutable-static
static std::map<int, std::string> cache;  // expect: banned mutable-static
static std::function<void(int)> hook;  // expect: banned mutable-static
static void (*handler)(int) = nullptr;  // expect: banned mutable-static
static std::string name("default");  // expect: banned mutable-static
static int limits[4]{1, 2, 3, 4};  // expect: banned mutable-static
static thread_local int scratch;  // expect: banned mutable-static
inline static int shared = 0;  // expect: banned mutable-static

int next_id() {
  static int n = 0;  // expect: banned mutable-static
  return ++n;
}

struct Registry {
  static int instances;  // expect: banned mutable-static
  static inline std::map<int, int> table{};  // expect: banned mutable-static
};
}  // namespace sasim::model
EOF

put "$bad/model/admission/era.cc" <<'EOF'
namespace sasim::model::admission {
bool projected(const versions::KubeVersion& v) { return v.minor >= 21; }  // expect: banned version-comparison
bool legacy(const versions::KubeVersion* v) { return v->minor == 20; }  // expect: banned version-comparison
}  // namespace sasim::model::admission
EOF

# If quotes, digit separators, strings or block comments were mis-lexed, the
# code after them would be swallowed and these findings would go missing.
put "$bad/model/lexer_edges.cc" <<'EOF'
#include <random>  /* the include is still code */  // expect: banned randomness
namespace sasim::model {
void f() {
  char quote = '"'; std::thread t1([] {});  // expect: banned thread
  long big = 1'000'000, small = 1'000; std::thread t2([] {});  // expect: banned thread
  const char* s = "a \" quoted //"; std::thread t3([] {});  // expect: banned thread
  /* a closed block comment */ std::thread t4([] {});  // expect: banned thread
  /* a block comment
     over two lines */ std::thread t5([] {});  // expect: banned thread
  static std::mt19937 engine;  // expect: banned randomness, banned mutable-static
}
}  // namespace sasim::model
EOF

# api/ is checked like sim/ and model/: the HTTP translation stays pure.
put "$bad/api/serving_thread.cc" <<'EOF2'
#include <thread>  // expect: banned thread
namespace sasim::api {
void serve() { std::thread t([] {}); }  // expect: banned thread
auto now() { return std::chrono::steady_clock::now(); }  // expect: banned wall-clock
}  // namespace sasim::api
EOF2

# Layering: every layer includes every layer, marked where the matrix forbids
# it. The matrix is restated here on purpose, independently of the check.
declare -A may=(
  [sim]="sim"
  [model]="model sim"
  [properties]="properties model sim"
  [scenarios]="scenarios model sim properties"
  [api]="api scenarios model sim properties"
  [reports]="reports sim properties"
  [tools]="tools sim model properties scenarios api reports"
)
layers=(sim model properties scenarios api reports tools)
for to in "${layers[@]}"; do
  put "$bad/$to/target.h" <<<"#pragma once"
done
for from in "${layers[@]}"; do
  for to in "${layers[@]}"; do
    if [[ " ${may[$from]} " == *" $to "* ]]; then
      echo "#include \"$to/target.h\""
    else
      echo "#include \"$to/target.h\"  // expect: layering"
    fi
  done | put "$bad/$from/includes_every_layer.cc"
done

# Ways around the matrix that must not work.
put "$bad/sim/sneaky.cc" <<'EOF'
#include "sim/target.h"
#include <vector>
#include "../model/target.h"  // expect: layering
#include "sim/../model/target.h"  // expect: layering
#include <model/target.h>  // expect: layering
#include "no_such_header.h"  // expect: layering
#include "../outside.h"  // expect: layering
EOF
put "$bad/outside.h" <<<"#pragma once"

# ---------------------------------------------------------------------------
# clean/: look-alikes that must pass. Only sim/ and model/ exist.
clean=$tmp/clean

put "$clean/sim/lookalikes.h" <<'EOF'
#pragma once
// Legitimate code that resembles banned constructs: nothing here is reported.
#include <array>
#include <cstdint>
#include <map>

#include "sim/detail/impl.h"

namespace sasim::sim {
// std::rand(), std::unordered_map, std::thread and getenv in a comment are words.
/* So is std::chrono::system_clock in a block comment,
   even over several lines: static int counter = 0; */
class Clock;
class Prng {
 public:
  static Prng from_state(const std::array<std::uint64_t, 4>& state);
  static Prng seeded(std::uint64_t seed = 1);
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static constexpr std::size_t kArity = 4;
  static const int kLimit = 3;
  static inline constexpr int kInline = 2;
  static LinkVerdict drop() { return LinkVerdict{false, Duration::zero()}; }
  static Result<DurationDistribution> uniform(Duration low, Duration high);
  static std::map<int, int> snapshot(const Prng& prng);
  static bool operator_ok(int value);
  Time time() const;
  const Clock& clock() const;
  Time next_time();
  double operand(int i);
  std::uint64_t scaled(std::uint64_t v) const { return v * 1'000'003; }
};
static_assert(sizeof(int) == 4);
inline int narrow(long v) { return static_cast<int>(v); }
inline Time when(const Prng& p) { return p.time(); }
inline Time later(const Prng* p) { return p->time(); }
constexpr const char* kHelp = "std::unordered_map and rand() are banned here";
inline char quote() { return '"'; }
// Read once and recorded in the trace, so a replay sees the same value:
inline const char* seed_text() { return std::getenv("SASIM_SEED"); }  // lint: allow(getenv)
inline void spawn() { std::thread t([] {}); }  // lint: allow(getenv, thread) a test helper
}  // namespace sasim::sim
EOF

# The version table is the one place that reads a release's minor number.
put "$clean/model/versions/behaviour.cc" <<'EOF'
namespace sasim::model::versions {
bool projected(const KubeVersion& v) { return v.minor >= 21; }
}  // namespace sasim::model::versions
EOF

put "$clean/sim/detail/impl.h" <<'EOF'
#pragma once
#include "impl_fwd.h"
EOF
put "$clean/sim/detail/impl_fwd.h" <<<"#pragma once"

put "$clean/sim/engine.cc" <<'EOF'
#include "sim/lookalikes.h"

#include <map>

namespace sasim::sim {
namespace {
static double standard_normal(Prng& prng) { return 0.0 * prng.rotl(1, 2); }
static const std::map<int, int> kTable = {{1, 2}};
}  // namespace

double use(Prng& prng) {
  static constexpr char kDigits[] = "0123456789abcdef";
  static const std::array<int, 2> kPair{1, 2};
  return standard_normal(prng) + kDigits[0] + kPair[0] + kTable.at(1);
}
}  // namespace sasim::sim
EOF

put "$clean/model/pod.h" <<'EOF'
#pragma once
#include <string>

#include "pod_fwd.h"
#include "sim/lookalikes.h"
#include "sim/detail/impl.h"
EOF
put "$clean/model/pod_fwd.h" <<<"#pragma once"

empty=$tmp/empty
mkdir -p "$empty"

# ---------------------------------------------------------------------------
# The checks against the trees.

# check_on_bad NAME KIND: NAME must fail on bad/ with exactly the marked findings.
check_on_bad() {
  local diffs
  run "$1" "$bad"
  if ((rc != 1)); then
    problem "$1 on the bad tree exited $rc, expected 1. Output:"
    echo "$out"
  fi
  diffs=$(diff <(expected "$2" "$bad") <(actual "$2") | grep '^[<>]')
  if [[ -n $diffs ]]; then
    problem "$1 on the bad tree: findings differ from the markers" \
      "('<' marked but not reported, '>' reported but not marked):"
    echo "$diffs"
  fi
}

check_on_bad check_banned banned
# Each rule must be named at least once (guards the fixture as well).
for rule in wall-clock randomness unordered-container thread getenv mutable-static version-comparison; do
  grep -q "^[^:]*:[0-9]*: banned $rule: " <<<"$out" || problem "check_banned never reported rule $rule"
done

check_on_bad check_layering layering
grep -q '^sim/includes_every_layer.cc:[0-9]*: layering: sim may not include model/target.h$' <<<"$out" ||
  problem "check_layering did not report sim/ including model/ in the expected form"

for name in check_banned check_layering; do
  for tree in "$clean" "$empty"; do
    run "$name" "$tree"
    if ((rc != 0)); then
      problem "$name on ${tree##*/}/ exited $rc, expected 0. Output:"
      echo "$out"
    elif [[ $out != *": OK: "* ]]; then
      problem "$name on ${tree##*/}/ printed no OK summary: $out"
    fi
  done
  run "$name" "$tmp/no-such-dir"
  ((rc == 2)) || problem "$name on a missing ROOT exited $rc, expected 2"
done

if ((problems > 0)); then
  echo "lint_selftest: FAILED: $problems problem(s)"
  exit 1
fi
echo "lint_selftest: OK: both checks fail on every planted violation and pass clean code"
