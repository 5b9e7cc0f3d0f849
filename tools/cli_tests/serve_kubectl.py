#!/usr/bin/env python3
"""Runs a walkthrough of real client commands against `sasim serve` and
compares what they print with the expected transcript (see
tests/serve/README.md for the fixture's format), then stops the server and
replays its recording with `sasim run` to the same trace digest.

usage: serve_kubectl.py --sasim BIN --kubectl KUBECTL --fixture FILE --workdir DIR
                        [--serve-arg ARG]...

Exit 0 when every command printed what was expected and the replay agrees;
1 otherwise (with a report); 77 when the kubectl binary is missing (ctest
counts it as skipped)."""

import argparse
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import time

PLACEHOLDERS = {
    "<rv>": r"\d+",
    "<uid>": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "<suffix>": r"[a-z0-9]{5}",
    "<age>": r"(\d+[smhdy])+|<invalid>",
    "<time>": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
    "<jwt>": r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+",
    "<n>": r"\d+",
    "<hex>": r"[0-9a-f]+",
    "<host>": r"[0-9.]+:\d+",
}
ANY_LINES = "<any lines>"
# Lines printed in Go's map order (kubectl describe's Data), which is random.
UNORDERED, UNORDERED_END = "<unordered>", "</unordered>"


def line_pattern(expected):
    out, i = "", 0
    while i < len(expected):
        for token, regex in PLACEHOLDERS.items():
            if expected.startswith(token, i):
                out += "(?:" + regex + ")"
                i += len(token)
                break
        else:
            out += re.escape(expected[i])
            i += 1
    return re.compile(out + r"\Z")


def lines_match(expected, actual):
    """Expected lines (with placeholders and <any lines>) against actual lines."""
    if not expected:
        return not actual
    if expected[0] == ANY_LINES:
        return any(lines_match(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    if expected[0] == UNORDERED:
        end = expected.index(UNORDERED_END)
        block, rest = expected[1:end], expected[end + 1:]
        if len(actual) < len(block):
            return False
        return any(all(line_pattern(e).match(a) for e, a in zip(order, actual[:len(block)]))
                   for order in itertools.permutations(block)) and lines_match(rest, actual[len(block):])
    if not actual or not line_pattern(expected[0]).match(actual[0]):
        return False
    return lines_match(expected[1:], actual[1:])


class Section:
    def __init__(self, title):
        self.title = title
        self.command = []
        self.stdout = []
        self.stderr = []
        self.rc = 0


def parse_fixture(path):
    sections, current, target = [], None, None
    with open(path, encoding="utf-8") as f:
        for raw in f.read().split("\n"):
            if raw.startswith("### "):
                current = Section(raw[4:])
                sections.append(current)
                target = None
            elif current is None:
                continue
            elif raw.startswith("$ ") and target is None:
                current.command.append(raw[2:])
            elif raw.startswith("> ") and target is None and current.command:
                current.command.append(raw[2:])
            elif raw == "--- stdout":
                target = current.stdout
            elif raw == "--- stderr":
                target = current.stderr
            elif raw.startswith("--- rc="):
                current.rc = int(raw[len("--- rc="):])
                target = None
            elif target is not None:
                target.append(raw)
    for s in sections:
        # A blank line separates sections; it belongs to neither stream.
        for stream in (s.stdout, s.stderr):
            while stream and stream[-1] == "":
                stream.pop()
    return sections


def wait_ready(process, timeout=30):
    deadline = time.time() + timeout
    lines = []
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("ready"):
            return lines
    raise RuntimeError("sasim serve did not become ready:\n" + "".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sasim", required=True)
    parser.add_argument("--kubectl", required=True)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--serve-arg", action="append", default=[])
    args = parser.parse_args()

    if not os.access(args.kubectl, os.X_OK):
        print(f"skipped: no kubectl at {args.kubectl} (./dev test installs kubectl 1.20 there)")
        return 77
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(os.path.join(args.workdir, "bin"))
    os.symlink(os.path.abspath(args.kubectl), os.path.join(args.workdir, "bin", "kubectl"))
    kubeconfig = os.path.join(args.workdir, "kubeconfig")
    recording = os.path.join(args.workdir, "session.yaml")

    serve = subprocess.Popen(
        [args.sasim, "serve", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig, "--record", recording,
         "--quiet"] + args.serve_arg,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=args.workdir)
    failures = []
    try:
        wait_ready(serve)
        env = {
            "HOME": args.workdir,  # a fresh discovery cache
            "KUBECONFIG": kubeconfig,
            "PATH": os.path.join(args.workdir, "bin") + ":/usr/bin:/bin",
            "LC_ALL": "C",
            "SASIM": os.path.abspath(args.sasim),
        }
        for section in parse_fixture(args.fixture):
            command = "\n".join(section.command)
            try:
                result = subprocess.run(["bash", "-c", command], cwd=args.workdir, env=env, capture_output=True,
                                        text=True, timeout=120)
                stdout, stderr, rc = result.stdout, result.stderr, result.returncode
            except subprocess.TimeoutExpired as e:
                stdout, stderr, rc = e.stdout or "", (e.stderr or "") + "\n(timed out)", 124
                stdout = stdout if isinstance(stdout, str) else stdout.decode()
                stderr = stderr if isinstance(stderr, str) else stderr.decode()
            capture = re.search(r"\[capture (\w+)\]", section.title)
            if capture:
                env[capture.group(1)] = stdout.strip()
            actual_out = stdout.split("\n")
            actual_err = stderr.split("\n")
            for stream in (actual_out, actual_err):
                while stream and stream[-1] == "":
                    stream.pop()
            ok = (rc == section.rc and lines_match(section.stdout, actual_out)
                  and lines_match(section.stderr, actual_err))
            status = "ok  " if ok else "FAIL"
            print(f"{status} {section.title}")
            if not ok:
                failures.append(section.title)
                print(f"  $ {command}")
                print(f"  expected rc={section.rc}, got rc={rc}")
                print("  expected stdout:\n    " + "\n    ".join(section.stdout))
                print("  actual stdout:\n    " + "\n    ".join(actual_out))
                print("  expected stderr:\n    " + "\n    ".join(section.stderr))
                print("  actual stderr:\n    " + "\n    ".join(actual_err))
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            out, err = serve.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            out, err = serve.communicate()
    digest = re.search(r"trace digest ([0-9a-f]{16})", out)
    if serve.returncode != 0 or not digest:
        print(f"FAIL sasim serve exited {serve.returncode}:\n{out}\n{err}")
        return 1
    print(f"ok   sasim serve stopped cleanly: trace digest {digest.group(1)}")
    replay = subprocess.run([args.sasim, "run", recording], capture_output=True, text=True, cwd=args.workdir)
    replayed = re.search(r"trace digest ([0-9a-f]{16})", replay.stdout)
    if replay.returncode != 0 or not replayed or replayed.group(1) != digest.group(1):
        print(f"FAIL the recording does not replay to {digest.group(1)} (exit {replay.returncode}):\n"
              f"{replay.stdout[-3000:]}\n{replay.stderr[-2000:]}")
        failures.append("replay")
    else:
        print(f"ok   sasim run {os.path.basename(recording)} replays to the same digest")
    if failures:
        print(f"{len(failures)} failed: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
