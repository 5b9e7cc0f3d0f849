#!/usr/bin/env bash
# check_layering.sh ROOT
#
# Enforces the layer dependency matrix on #include lines. Layers are the
# directories at the project root; a layer that does not exist yet is skipped.
#
#   sim/         standard library only (itself)
#   model/       sim/
#   properties/  model/, sim/
#   scenarios/   model/, sim/, properties/
#   api/         scenarios/, model/, sim/, properties/
#   reports/     sim/, properties/
#   tools/       everything
#
# Project headers are included from the root (`#include "sim/time.h"`). An
# include of the form "X/..." (or <X/...>) where X is a layer must name a
# layer the includer may use. Any other quoted include must be a file that
# exists relative to the including file, and where it lands (after resolving
# `..`) must also be allowed: "../model/pod.h" from sim/ is caught.
#
# Output: `FILE:LINE: layering: LAYER may not include PATH` per finding
# (FILE relative to ROOT), then a one-line summary. Exit 0 if clean, 1 on
# findings, 2 on bad usage.
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 ROOT   (ROOT: the project source directory)" >&2
  exit 2
fi
root=$1
cd "$root"

layers=(sim model properties scenarios api reports tools)
declare -A allowed=(
  [sim]="sim"
  [model]="model sim"
  [properties]="properties model sim"
  [scenarios]="scenarios model sim properties"
  [api]="api scenarios model sim properties"
  [reports]="reports sim properties"
  [tools]="tools sim model properties scenarios api reports"
)

# (A plain word test: no array lookup on text taken from the sources.)
is_layer() { [[ $1 != *[[:space:]]* && " ${layers[*]} " == *" $1 "* ]]; }
may_include() { [[ " ${allowed[$1]} " == *" $2 "* ]]; }

# Sets `resolved` to PATH (relative to ROOT) with `.` and `..` folded away.
# Runs realpath only when there is something to fold: it costs a process.
resolve() {
  if [[ $1 == *..* || $1 == ./* || $1 == */./* ]]; then
    resolved=$(realpath -m -s --relative-to=. -- "$1")
  else
    resolved=$1
  fi
}

findings=0
nfiles=0
present=()
report() {  # FILE LINE MESSAGE
  echo "$1:$2: layering: $3"
  findings=$((findings + 1))
}

for layer in "${layers[@]}"; do
  [[ -d $layer ]] || continue
  present+=("$layer/")
  files=()
  mapfile -d '' files < <(find "$layer" -type f \
    \( -name '*.h' -o -name '*.cc' -o -name '*.hpp' -o -name '*.cpp' \) -print0 | LC_ALL=C sort -z)
  ((${#files[@]} > 0)) || continue
  nfiles=$((nfiles + ${#files[@]}))

  # grep -Z ends each file name with NUL: `FILE\0LINE:TEXT`. It exits 1 when
  # nothing matches, which is not an error here.
  while IFS= read -r -d '' file && IFS= read -r rest; do
    lineno=${rest%%:*}
    text=${rest#*:}
    if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]*)\" ]]; then
      inc=${BASH_REMATCH[1]}
      quoted=1
    elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]*)\> ]]; then
      inc=${BASH_REMATCH[1]}
      quoted=0
    else
      continue
    fi

    top=${inc%%/*}
    if [[ $inc == */* ]] && is_layer "$top"; then
      # Root-relative project include: the layer is named outright.
      resolve "$inc"
    elif ((quoted == 0)); then
      continue  # <vector>, <fmt/core.h>: not a project header
    else
      # Not under a layer name: must be a real file next to the includer.
      dir=$(dirname -- "$file")
      if [[ ! -f $dir/$inc ]]; then
        report "$file" "$lineno" "$layer may not include $inc (not a layer path, and no such file in $dir/)"
        continue
      fi
      resolve "$dir/$inc"
    fi

    target=${resolved%%/*}
    if [[ $resolved != */* ]] || ! is_layer "$target"; then
      report "$file" "$lineno" "$layer may not include $inc (resolves to $resolved, outside the layers)"
    elif ! may_include "$layer" "$target"; then
      if [[ $resolved == "$inc" ]]; then
        report "$file" "$lineno" "$layer may not include $inc"
      else
        report "$file" "$lineno" "$layer may not include $inc (resolves to $resolved)"
      fi
    fi
  done < <(grep -HnZE '^[[:space:]]*#[[:space:]]*include' -- "${files[@]}" || true)
done

where="${present[*]:-no layer directories}"
if ((findings > 0)); then
  echo "check_layering: FAILED: $findings finding(s) in $where under $root"
  exit 1
fi
echo "check_layering: OK: $nfiles files in $where under $root follow the layer matrix"
