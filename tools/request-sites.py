#!/usr/bin/env python3
"""Per-request counts of one probed call (malloc, swift_retain, swift_release) by call site.

Reads `perf script -F comm,ip,sym` output (demangled) on stdin: one block per sample, a line
naming the thread, then its stack, innermost frame first. Counts the samples of threads whose
name starts with THREAD, keyed by the first DEPTH frames that are not the probed call itself or
the runtime's and standard library's allocation and reference-counting machinery, and prints
the sites with their count per request, most frequent first.

    perf script ... | swift demangle --simplified | tools/request-sites.py REQUESTS [DEPTH] [THREAD] [TOP]
"""
import collections
import re
import sys

requests = int(sys.argv[1])
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 2
thread = sys.argv[3] if len(sys.argv) > 3 else "NIO-ELT-1"
top = int(sys.argv[4]) if len(sys.argv) > 4 else 40

# Frames that say how, not where: the probed calls and the machinery between them and the caller.
machinery = re.compile(
    r"^(malloc|_int_malloc|__libc_malloc|__GI___libc_malloc|swift_(retain|release|allocObject|slowAlloc|bridgeObject\w*)"
    r"|_swift_\w+|.*(__StringStorage|_allocateStringStorage|_ContiguousArrayStorage|_SetStorage|_DictionaryStorage).*"
    r"|(specialized )?(static )?String[.(].*|.*_copy\w*\(.*|.*reserveCapacity.*|.*copyAndResize.*|.*\bappend\b.*"
    r"|.*_Native(Set|Dictionary).*|.*_StringGuts.*|.*_StringObject.*|.*ArrayBuffer.*|.*__allocating_init.*"
    r"|.*(initializeWithCopy|assignWithCopy|outlined copy|outlined retain|outlined release|destroy) .*)$"
)

sites = collections.Counter()
counted = 0
name = None
frames = []


def finish_sample():
    global counted
    if name is None or not name.startswith(thread):
        return
    counted += 1
    where = [frame for frame in frames if not machinery.match(frame)][:depth]
    sites[" <- ".join(where) or "(machinery only)"] += 1


for line in sys.stdin:
    if not line.strip():
        finish_sample()
        name, frames = None, []
    elif not line[0].isspace():
        name = line.split()[0]
    else:
        parts = line.split(None, 1)
        if len(parts) == 2:
            frames.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].rsplit(" (", 1)[0].strip()))
finish_sample()

print(f"{counted / requests:.2f} per request on the event loop ({counted} calls, {requests} requests)")
for site, count in sites.most_common(top):
    print(f"{count / requests:7.2f}  {site}")
