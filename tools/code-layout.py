#!/usr/bin/env python3
"""The call graph a release binary's code is laid out by (see tools/code-layout.sh).

Reads `perf script --no-demangle -F ip,sym,dso` output with call chains (frame pointers) on stdin and prints,
for lld's --call-graph-ordering-file, one "CALLER CALLEE WEIGHT" line per call edge between two
functions of BINARY seen on a sampled stack: WEIGHT is how many samples had CALLEE directly
below CALLER. lld places functions joined by heavy edges next to each other, hottest first, so a
request's code spans few cache lines and pages instead of being spread over the whole text.
Edges seen fewer than MINIMUM times (default 3) are left out: they are noise, and the file is
committed. Lines are sorted by weight, then by name, so a rerun on the same profile gives the
same file.

    perf script --no-demangle -F ip,sym,dso -i perf.data | tools/code-layout.py BINARY [MINIMUM]
"""
import collections
import sys


def frames(lines):
    """Each sample's stack, leaf first, as (symbol, shared object) pairs."""
    stack = []
    for line in lines:
        line = line.strip()
        if not line:
            if stack:
                yield stack
            stack = []
            continue
        _, _, rest = line.partition(" ")
        symbol, separator, dso = rest.rpartition(" (")
        if separator and dso.endswith(")"):
            stack.append((symbol.split("+0x")[0], dso[:-1]))
    if stack:
        yield stack


def main():
    binary = sys.argv[1]
    minimum = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    edges = collections.Counter()
    for stack in frames(sys.stdin):
        for (callee, callee_dso), (caller, caller_dso) in zip(stack, stack[1:]):
            # Symbols as the linker knows them: no "[unknown]", nothing demangled (with spaces).
            if callee_dso == binary and caller_dso == binary and callee != caller and not any(c in callee + caller for c in "[ "):
                edges[(caller, callee)] += 1
    kept = sorted(((weight, caller, callee) for (caller, callee), weight in edges.items() if weight >= minimum),
                  key=lambda edge: (-edge[0], edge[1], edge[2]))
    for weight, caller, callee in kept:
        print(f"{caller} {callee} {weight}")


if __name__ == "__main__":
    main()
