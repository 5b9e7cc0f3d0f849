#!/usr/bin/env bash
# check_banned.sh ROOT
#
# Fails on constructs that break determinism or the no-global-state rule in
# the layers that must replay identically: sim/ and model/ (tests included),
# and api/, the HTTP translation that must stay free of I/O and threads.
# A layer that does not exist yet is skipped.
#
# Rules (the name is what `// lint: allow(<rule>)` takes):
#   wall-clock          system/steady/... clocks, time(), clock(), gettimeofday...
#   randomness          rand(), std::random_device, std engines and distributions, <random>
#   unordered-container unordered_map/set: iteration order differs between runs and libraries
#   thread              std::thread/jthread/async, <thread>, pthread_*
#   getenv              the environment is an input the scenario does not record
#   mutable-static      a `static` variable that is neither const nor constexpr
#   version-comparison  reading a release's minor number (`.minor`, `->minor`) outside
#                       model/versions/: what a release does is data there (Behaviour),
#                       not comparisons scattered through the components
#
# Matching is textual (a linter, not a compiler): comments, string and
# character literals are blanked first so that prose never trips a rule.
# A line containing `// lint: allow(rule)` (or `allow(rule1, rule2)`) is
# exempt from the rules it names; the reason belongs in the same comment.
#
# Output: `FILE:LINE: banned RULE: TEXT` per finding (FILE relative to ROOT),
# then a one-line summary. Exit 0 if clean, 1 on findings, 2 on bad usage.
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 ROOT   (ROOT: the project source directory)" >&2
  exit 2
fi
root=$1
cd "$root"

dirs=()
for d in sim model api; do
  if [[ -d $d ]]; then dirs+=("$d"); fi
done

files=()
if ((${#dirs[@]} > 0)); then
  # Sorted so that the report is identical from one run to the next.
  mapfile -d '' files < <(find "${dirs[@]}" -type f \
    \( -name '*.h' -o -name '*.cc' -o -name '*.hpp' -o -name '*.cpp' \) -print0 | LC_ALL=C sort -z)
fi
if ((${#files[@]} == 0)); then
  echo "check_banned: OK: no sources under sim/ or model/ in $root"
  exit 0
fi

# POSIX awk (mawk is the default awk on Debian): no \b, \s or {n,m};
# `[(]` is used for a literal parenthesis to avoid escaping trouble.
exec awk -v sq="'" -v root="$root" -v dirs="${dirs[*]/%//}" -v nfiles="${#files[@]}" '
BEGIN {
  # Start of an identifier that is not a member (x.f, p->f) or a qualified
  # name (Foo::f): the C library calls are free functions.
  FREE = "(^|[^A-Za-z0-9_.:>])"
  W = "(^|[^A-Za-z0-9_])"   # start of a word
  E = "([^A-Za-z0-9_]|$)"   # end of a word

  n = 0
  rule[++n] = "wall-clock"
  re[n] = W "(system|steady|high_resolution|utc|tai|gps|file)_clock" E \
    "|" W "(gettimeofday|clock_gettime|timespec_get)" E \
    "|" FREE "(std::|::)(time|clock)[ \t]*[(]" \
    "|" FREE "time[ \t]*[(][ \t]*(nullptr|NULL|0[ \t]*[)]|&)" \
    "|(^|[=(,!?+/%{};-])[ \t]*(return[ \t]+)?clock[ \t]*[(][ \t]*[)]"
  # Bare time() only with the pointer argument the C function takes, and
  # bare clock() only where an expression starts: a member declared as
  # `Time time() const;` or `Clock& clock();` is legitimate.

  rule[++n] = "randomness"
  re[n] = FREE "(std::|::)?s?rand[ \t]*[(]" \
    "|" W "(random_device|mt19937|mt19937_64|default_random_engine|minstd_rand|minstd_rand0|ranlux24|ranlux48|knuth_b)" E \
    "|std::[A-Za-z0-9_]*_distribution" E \
    "|#[ \t]*include[ \t]*<random>"

  rule[++n] = "unordered-container"
  re[n] = W "unordered_(multi)?(map|set)" E

  rule[++n] = "thread"
  re[n] = "std::(thread|jthread|async|this_thread)" E \
    "|#[ \t]*include[ \t]*<thread>" \
    "|" W "pthread_"

  rule[++n] = "getenv"
  re[n] = W "(secure_)?getenv" E

  rule[++n] = "mutable-static"   # decided by mutable_static() below
  re[n] = ""

  rule[++n] = "version-comparison"   # not applied under model/versions/ (see below)
  re[n] = "(\\.|->)minor" E

  nrules = n
  findings = 0
}

FNR == 1 { in_block = 0 }

# The code on one line: comments removed, string and character literal
# contents blanked. in_block carries an open /* comment to the next line.
# A quote inside a number is a C++14 digit separator, not a character literal.
function code_of(line,    out, i, len, c, prev, in_num, quote) {
  out = ""; len = length(line); prev = ""; in_num = 0
  for (i = 1; i <= len; i++) {
    c = substr(line, i, 1)
    if (in_block) {
      if (c == "*" && substr(line, i + 1, 1) == "/") { in_block = 0; i++; out = out " " }
      continue
    }
    if (c == "/" && substr(line, i + 1, 1) == "/") break
    if (c == "/" && substr(line, i + 1, 1) == "*") { in_block = 1; i++; continue }
    if (c ~ /[0-9]/ && prev !~ /[A-Za-z0-9_]/) in_num = 1
    else if (c !~ /[A-Za-z0-9_.]/ && c != sq) in_num = 0
    if (c == "\"" || (c == sq && !in_num)) {
      # Skip to the closing quote (or the end of the line), keeping the quotes.
      quote = c
      for (i++; i <= len; i++) {
        if (substr(line, i, 1) == "\\") { i++; continue }
        if (substr(line, i, 1) == quote) break
      }
      out = out quote quote; prev = quote; in_num = 0
      continue
    }
    out = out c; prev = c
  }
  return out
}

# A `static` declaration of a variable that is neither const nor constexpr.
# Static functions (declared or defined) are fine; so are static_assert and
# static_cast, which have no blank after `static`.
function mutable_static(code,    s, c, head, first) {
  if (code !~ /^[ \t]*(inline[ \t]+)?static[ \t]/) return 0
  s = code
  sub(/^[ \t]*(inline[ \t]+)?static[ \t]+/, "", s)
  if (s ~ W "operator" E) return 0
  # Drop template arguments: the ( in std::function<void(int)> is no call.
  while (gsub(/<[^<>]*>/, "", s) > 0) {}
  # What comes first after the declared name tells a variable from a function:
  # `=`, `{` or `;` is a variable; `(` is a function, except a pointer to
  # function `(*f)(...)` or a constructor argument list `x(42)`, `x("a")`.
  if (!match(s, /[(={;]/)) return 0   # continues on the next line: no guess
  head = substr(s, 1, RSTART - 1)
  c = substr(s, RSTART, 1)
  first = substr(s, RSTART + 1); sub(/^[ \t]+/, "", first); first = substr(first, 1, 1)
  if (c == "(" && first !~ /[*&0-9"-]/ && first != sq) return 0
  if (head ~ W "(const|constexpr)" E) return 0
  return 1
}

# The rules a `// lint: allow(a, b)` on the raw line exempts it from.
function allowed(raw, name,    list) {
  if (!match(raw, /lint:[ \t]*allow[(][^)]*[)]/)) return 0
  list = substr(raw, RSTART, RLENGTH)
  sub(/^lint:[ \t]*allow[(]/, "", list); sub(/[)]$/, "", list)
  gsub(/[ \t]/, "", list)
  return index("," list ",", "," name ",") > 0
}

{
  code = code_of($0)
  if (code ~ /^[ \t]*$/) next
  for (k = 1; k <= nrules; k++) {
    if (rule[k] == "version-comparison" && FILENAME ~ /^model\/versions\//) continue
    hit = (re[k] == "") ? mutable_static(code) : (code ~ re[k])
    if (hit && !allowed($0, rule[k])) {
      text = $0; sub(/^[ \t]+/, "", text)
      printf "%s:%d: banned %s: %s\n", FILENAME, FNR, rule[k], text
      findings++
    }
  }
}

END {
  if (findings > 0) {
    printf "check_banned: FAILED: %d finding(s) in %s under %s\n", findings, dirs, root
    exit 1
  }
  printf "check_banned: OK: %d files in %s under %s, no banned constructs\n", nfiles, dirs, root
}
' "${files[@]}"
