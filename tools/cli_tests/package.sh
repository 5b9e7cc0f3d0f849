#!/usr/bin/env bash
# package.sh BUILD_DIR: the Debian package that `./dev package` makes
# (CPack), checked as far as a machine without containers allows: its
# control data (name, version, dependencies found by dpkg-shlibdeps on the
# libraries the binary links), its files, and the installed binary run from
# a scratch root (dpkg -x) on every scenario of the installed library. As
# root, apt-get also resolves its installation on this Debian 12 without
# installing it (--simulate), which is what `apt-get install ./sasim_*.deb`
# does first.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/sasim_*.deb)
[[ $(basename "$deb") =~ ^sasim_[0-9]+\.[0-9]+\.[0-9]+_[a-z0-9]+\.deb$ ]] || { echo "unexpected name: $deb"; exit 1; }
dpkg-deb -f "$deb" Package | grep -qx sasim
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libfmt9 libyaml-cpp0.7 libssl3; do
  grep -q "$lib" <<<"$depends" || { echo "Depends lacks $lib: $depends"; exit 1; }
done
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/sasim ./usr/share/bash-completion/completions/sasim ./usr/share/sasim/scenarios/seed-delete-token.yaml \
            ./usr/share/doc/sasim/README.md ./usr/share/doc/sasim/scenarios.md; do
  grep -q " $path\$" <<<"$contents" || { echo "missing $path in:"; echo "$contents"; exit 1; }
done
dpkg -x "$deb" "$work/root"
"$work/root/usr/bin/sasim" --version | grep -q "^sasim "
"$work/root/usr/bin/sasim" run "$work/root/usr/share/sasim/scenarios" >"$work/run.log" || { cat "$work/run.log"; exit 1; }
echo "ok: $(grep -c '^PASSED' "$work/run.log") library scenarios pass with the installed binary"
bash -n "$work/root/usr/share/bash-completion/completions/sasim"
if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  apt-get install --simulate -qq "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
  echo "ok: apt-get resolves the installation"
fi
echo "ok: $(basename "$deb")"
