#!/usr/bin/env python3
"""Debian's Kubernetes Python client (python3-kubernetes) against `sasim
serve` over HTTPS: it creates, lists, watches and deletes ServiceAccounts,
reads a token Secret, reviews the token; then the server stops and its
recording replays to the same trace digest.

usage: serve_python.py --sasim BIN --workdir DIR
Exit 0 on success, 1 on a failed check, 77 when the client is not installed."""

import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

try:
    from kubernetes import client, config, watch
    from kubernetes.client.rest import ApiException
except ImportError:
    print("skipped: python3-kubernetes is not installed (./dev test installs it)")
    sys.exit(77)

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sasim", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    kubeconfig = os.path.join(args.workdir, "kubeconfig")
    recording = os.path.join(args.workdir, "session.yaml")
    serve = subprocess.Popen([args.sasim, "serve", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig,
                              "--record", recording, "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            line = serve.stdout.readline()
            if not line:
                raise RuntimeError("sasim serve did not start: " + serve.stderr.read())
            if line.startswith("ready"):
                break
        config.load_kube_config(config_file=kubeconfig)
        v1 = client.CoreV1Api()

        created = v1.create_namespaced_service_account("default", {"metadata": {"name": "py-robot"}})
        check(created.metadata.name == "py-robot" and created.metadata.uid, "create a ServiceAccount (no kind in the body)")
        names = [sa.metadata.name for sa in v1.list_namespaced_service_account("default").items]
        check(names == ["default", "py-robot"], f"list ServiceAccounts: {names}")

        sa = v1.read_namespaced_service_account("py-robot", "default")
        check(len(sa.secrets or []) == 1, "the tokens controller gave it a token Secret")
        secret = v1.read_namespaced_secret(sa.secrets[0].name, "default")
        check(secret.type == "kubernetes.io/service-account-token", f"the Secret's type: {secret.type}")
        token = base64.b64decode(secret.data["token"]).decode()
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        check(claims.get("sub") == "system:serviceaccount:default:py-robot", f"the token's subject: {claims.get('sub')}")
        check(base64.b64decode(secret.data["namespace"]).decode() == "default", "the Secret's namespace key")

        review = client.AuthenticationV1Api().create_token_review(
            {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": token}})
        check(review.status.authenticated and review.status.user.username == "system:serviceaccount:default:py-robot",
              "a TokenReview of the token authenticates as the account")

        # A watch from the list's resourceVersion sees what follows.
        listed = v1.list_namespaced_service_account("default")
        events = []
        seen_delete = threading.Event()

        def follow():
            w = watch.Watch()
            for event in w.stream(v1.list_namespaced_service_account, "default",
                                  resource_version=listed.metadata.resource_version, timeout_seconds=20):
                events.append((event["type"], event["object"].metadata.name))
                if event["type"] == "DELETED" and event["object"].metadata.name == "py-watched":
                    seen_delete.set()
                    w.stop()

        follower = threading.Thread(target=follow)
        follower.start()
        v1.create_namespaced_service_account("default", {"metadata": {"name": "py-watched"}})
        v1.delete_namespaced_service_account("py-watched", "default")
        follower.join(timeout=30)
        watched = [e for e in events if e[1] == "py-watched"]
        check(seen_delete.is_set() and watched[0] == ("ADDED", "py-watched") and watched[-1] == ("DELETED", "py-watched"),
              f"watch: {watched}")

        v1.delete_namespaced_service_account("py-robot", "default")
        try:
            v1.read_namespaced_service_account("py-robot", "default")
            check(False, "a deleted ServiceAccount is gone")
        except ApiException as e:
            check(e.status == 404, f"a deleted ServiceAccount is gone: {e.status}")
    finally:
        serve.send_signal(signal.SIGINT)
        out, err = serve.communicate(timeout=60)
    digest = re.search(r"trace digest ([0-9a-f]{16})", out)
    check(serve.returncode == 0 and digest is not None, f"sasim serve stopped cleanly ({serve.returncode})")
    if digest:
        replay = subprocess.run([args.sasim, "run", recording], capture_output=True, text=True)
        replayed = re.search(r"trace digest ([0-9a-f]{16})", replay.stdout)
        check(replay.returncode == 0 and replayed and replayed.group(1) == digest.group(1),
              "the recording replays to the same digest")
    if failures:
        print(f"{len(failures)} failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
