#!/usr/bin/env python3
"""apply_mutant.py MUTANT SRC: applies one mutant to the source tree SRC.

A mutant file (NN-name.mutant) is `# comment` lines saying what mistake it
makes, then `file:` (relative to SRC), optionally `occurrence:` (which of
several identical lines, from 1), `from:` (a whole line, indentation
ignored) and `to:` (its replacement, given the original's indentation).
Written by hand rather than as unified diffs so that a mutant still applies
when the code around its line moves. Prints the file it changed; exit 1 if
the line is not found as many times as needed (the mutant is out of date).
"""
import sys
from pathlib import Path


def parse(path):
    fields = {}
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            sys.exit(f"{path}: expected KEY: VALUE, got {line!r}")
        fields[key.strip()] = value[1:] if value.startswith(" ") else value
    for key in ("file", "from", "to"):
        if key not in fields:
            sys.exit(f"{path}: missing {key}:")
    return fields


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: apply_mutant.py MUTANT SRC")
    mutant, src = sys.argv[1], Path(sys.argv[2])
    fields = parse(mutant)
    target = src / fields["file"].strip()
    occurrence = int(fields.get("occurrence", "1"))
    wanted = fields["from"].strip()
    lines = target.read_text().split("\n")
    matches = [i for i, line in enumerate(lines) if line.strip() == wanted]
    if "occurrence" not in fields and len(matches) != 1:
        print(f"{mutant}: {len(matches)} lines of {target} read {wanted!r}; expected exactly one", file=sys.stderr)
        sys.exit(1)
    if len(matches) < occurrence:
        print(f"{mutant}: {target} has {len(matches)} lines reading {wanted!r}, not {occurrence}", file=sys.stderr)
        sys.exit(1)
    i = matches[occurrence - 1]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + fields["to"].strip()
    target.write_text("\n".join(lines))
    print(fields["file"].strip())


if __name__ == "__main__":
    main()
