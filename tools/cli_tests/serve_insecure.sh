#!/usr/bin/env bash
# serve_insecure.sh SASIM WORKDIR
#
# sasim serve over plain HTTP (--insecure-http), where kubectl sends no token
# and every request is the admin's: curl reads /version and creates an account
# without a token; SIGTERM stops the server cleanly with its trace digest;
# a token that does not authenticate is still refused.
set -euo pipefail
sasim=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
cd "$work"
"$sasim" serve --insecure-http --listen 127.0.0.1:0 --kubeconfig kubeconfig --quiet > out 2> err &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^ready' out && break; sleep 0.1; done
server=$(sed -n 's/^sasim serve: \(http:[^,]*\),.*/\1/p' out)
[[ $server == http://127.0.0.1:* ]] || { echo "no http URL in: $(cat out)"; exit 1; }
grep -q 'server: http://' kubeconfig || { echo "kubeconfig without the http server"; exit 1; }
! grep -q 'certificate-authority-data' kubeconfig || { echo "a CA over plain HTTP"; exit 1; }
curl -sS "$server/version" | grep -q '"gitVersion":"v1.20.0"' || { echo "/version"; exit 1; }
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data '{"metadata":{"name":"plain"}}' "$server/api/v1/namespaces/default/serviceaccounts")
[[ $code == 201 ]] || { echo "create without a token: $code"; exit 1; }
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "$server/api/v1/namespaces")
[[ $code == 401 ]] || { echo "a bad token over HTTP: $code"; exit 1; }
kill -TERM $pid
for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
wait $pid || { echo "serve exited $?"; cat out err; exit 1; }
grep -Eq '^trace digest [0-9a-f]{16}$' out || { echo "no digest: $(cat out)"; exit 1; }
grep -q '^served 3 requests (1 through the simulation)' out || { echo "summary: $(cat out)"; exit 1; }
echo "ok: plain HTTP serves without a token, SIGTERM stops with the digest"
