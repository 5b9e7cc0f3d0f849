#!/usr/bin/python3
"""validate_chrome_trace.py FILE...: checks Chrome trace-event JSON files.

The rules of the trace-event format that Perfetto and chrome://tracing rely
on: the object form with a traceEvents array; per phase, the fields it needs;
flow starts and ends that pair up by (cat, name, id), end no earlier than
they start, and land where an instant or slice of their track can hold them;
complete slices in time order per track, nested or disjoint, never
straddling; every track named. Standard library only. Exit 0 when every file
holds, 1 with one line per problem (at most 20 per file), 2 on bad usage.
"""
import json
import sys
from collections import defaultdict

PHASES = {"M", "X", "B", "E", "i", "I", "s", "t", "f", "C", "b", "e", "n"}
# Timestamps are floating-point microseconds: ts + dur may miss another ts
# by rounding; anything within half a nanosecond counts as equal.
EPSILON = 0.0005
METADATA = {"process_name", "thread_name", "process_sort_index", "thread_sort_index", "process_labels"}


def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check(doc):
    problems = []
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return ["the document is not an object with a traceEvents array"]
    if doc.get("displayTimeUnit", "ms") not in ("ms", "ns"):
        problems.append("displayTimeUnit must be ms or ns")
    named_threads = set()
    used_threads = set()
    slices = defaultdict(list)      # (pid, tid) -> [(ts, end, index)] in file order
    anchors = defaultdict(set)      # (pid, tid) -> instants' timestamps
    flows = defaultdict(lambda: {"s": [], "f": []})
    for index, ev in enumerate(doc["traceEvents"]):
        where = f"event {index}"
        if not isinstance(ev, dict):
            problems.append(f"{where}: not an object")
            continue
        ph = ev.get("ph")
        if ph not in PHASES:
            problems.append(f"{where}: unknown or missing ph {ph!r}")
            continue
        if not isinstance(ev.get("pid"), int):
            problems.append(f"{where} ({ph}): pid must be an integer")
        if ph != "M" and not (number(ev.get("ts")) and ev["ts"] >= 0):
            problems.append(f"{where} ({ph}): ts must be a non-negative number (microseconds)")
            continue
        if ph in ("X", "i", "I", "M", "s", "f", "t") and not isinstance(ev.get("name"), str):
            problems.append(f"{where} ({ph}): name must be a string")
        track = (ev.get("pid"), ev.get("tid"))
        if ph == "M":
            if ev.get("name") not in METADATA:
                problems.append(f"{where}: unknown metadata {ev.get('name')!r}")
            elif ev["name"].endswith("_name") and not isinstance(ev.get("args", {}).get("name"), str):
                problems.append(f"{where}: {ev['name']} needs args.name")
            if ev.get("name") == "thread_name":
                named_threads.add(track)
            continue
        if "args" in ev and not isinstance(ev["args"], dict):
            problems.append(f"{where}: args must be an object")
        if ph in ("X", "s", "f", "t", "B", "E") or (ph in ("i", "I") and ev.get("s", "t") == "t"):
            if not isinstance(ev.get("tid"), int):
                problems.append(f"{where} ({ph}): tid must be an integer")
                continue
            used_threads.add(track)
        if ph == "X":
            if not (number(ev.get("dur")) and ev["dur"] >= 0):
                problems.append(f"{where}: a complete slice needs a non-negative dur")
                continue
            slices[track].append((ev["ts"], ev["ts"] + ev["dur"], index))
        elif ph in ("i", "I"):
            if ev.get("s", "t") not in ("t", "p", "g"):
                problems.append(f"{where}: instant scope must be t, p or g")
            anchors[track].add(ev["ts"])
        elif ph in ("s", "f", "t"):
            if "id" not in ev:
                problems.append(f"{where} ({ph}): a flow event needs an id")
                continue
            if ph == "f" and ev.get("bp", "e") not in ("e", "n"):
                problems.append(f"{where}: bp must be e or n")
            if ph == "s" and "bp" in ev:
                problems.append(f"{where}: bp belongs on flow ends only")
            if ph != "t":
                flows[(ev.get("cat"), ev.get("name"), str(ev["id"]))][ph].append((ev["ts"], track, index))
    # Complete slices: time order per track, nested or disjoint.
    for track, items in slices.items():
        open_stack = []
        last_ts = None
        for ts, end, index in items:
            if last_ts is not None and ts < last_ts - EPSILON:
                problems.append(f"event {index}: slices on track {track} are not in time order")
            last_ts = ts
            while open_stack and open_stack[-1][0] <= ts + EPSILON:
                open_stack.pop()
            if open_stack and end > open_stack[-1][0] + EPSILON:
                problems.append(f"event {index}: slice [{ts}, {end}] straddles the end of event "
                                f"{open_stack[-1][1]} on track {track}")
            open_stack.append((end, index))
    # Flows: one start and one end per id, in time order, each on something.
    def anchored(ts, track):
        return ts in anchors[track] or any(a - EPSILON <= ts <= b + EPSILON for a, b, _ in slices[track])
    for key, ends in flows.items():
        if len(ends["s"]) != 1 or len(ends["f"]) != 1:
            problems.append(f"flow {key}: {len(ends['s'])} starts and {len(ends['f'])} ends (need one each)")
            continue
        (s_ts, s_track, s_index), (f_ts, f_track, f_index) = ends["s"][0], ends["f"][0]
        if f_ts < s_ts - EPSILON:
            problems.append(f"flow {key}: ends (event {f_index}) before it starts (event {s_index})")
        if not anchored(s_ts, s_track):
            problems.append(f"flow {key}: its start (event {s_index}) has no instant or slice to bind to")
        if not anchored(f_ts, f_track):
            problems.append(f"flow {key}: its end (event {f_index}) has no instant or slice to bind to")
    for track in sorted(used_threads - named_threads, key=str):
        problems.append(f"track {track} has events but no thread_name")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as error:
            print(f"{path}: not JSON: {error}")
            failed = True
            continue
        problems = check(doc)
        for problem in problems[:20]:
            print(f"{path}: {problem}")
        if problems:
            failed = True
        else:
            print(f"{path}: ok: {len(doc['traceEvents'])} events")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
