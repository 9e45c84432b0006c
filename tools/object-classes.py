#!/usr/bin/env python3
"""Names the class of each object a probed `swift_retain`/`swift_release` saw (see
tools/request-sites.sh, CLASSES=1): reads `perf script -F comm,trace,ip,sym` output (demangled)
whose probe recorded the object's first word (`isa=…`, its type pointer), resolves that pointer
against the symbols of the file mapped there (`nm`, the process's maps), and prints per request
the counts by class, then by call site and class.

    perf script ... | swift demangle --simplified | tools/object-classes.py MAPS REQUESTS THREAD [TOP]

A type pointer outside every mapped file is a class instantiated at run time (a generic class
such as an array's storage, or one the runtime makes): counted as "(instantiated at run time)".
"""
import bisect
import collections
import re
import subprocess
import sys

maps_path, requests, thread = sys.argv[1], int(sys.argv[2]), sys.argv[3]
top = int(sys.argv[4]) if len(sys.argv) > 4 else 40

# Each mapped file's ranges and its load address (the start of its mapping at offset 0).
ranges, bases = [], {}
for line in open(maps_path):
    fields = line.split()
    if len(fields) < 6 or not fields[5].startswith("/"):
        continue
    start, end = (int(x, 16) for x in fields[0].split("-"))
    ranges.append((start, end, fields[5]))
    if int(fields[2], 16) == 0:
        bases.setdefault(fields[5], start)

symbols = {}


def symbol_table(path):
    if path not in symbols:
        table = []
        for flags in (["-n"], ["-n", "-D"]):
            for line in subprocess.run(["nm", *flags, path], capture_output=True, text=True).stdout.splitlines():
                parts = line.split()
                if len(parts) == 3:
                    table.append((int(parts[0], 16), parts[2]))
        symbols[path] = sorted(table)
    return symbols[path]


def class_of(address):
    for start, end, path in ranges:
        if start <= address < end and path in bases:
            table = symbol_table(path)
            index = bisect.bisect_right(table, (address - bases[path], "\uffff")) - 1
            return table[index][1] if index >= 0 else path
    return "(instantiated at run time)"


# Frames that say how, not where (as tools/request-sites.py).
machinery = re.compile(r"^(swift_\w+|_swift_\w+|.*(outlined copy|outlined retain|outlined release|initializeWithCopy|outlined init with copy|destroy) .*)$")
by_class, by_site = collections.Counter(), collections.Counter()
name, address, frames = None, None, []


def finish_sample():
    if name is None or address is None or not name.startswith(thread):
        return
    where = next((frame for frame in frames if not machinery.match(frame)), "?")
    mangled = class_of(address)
    by_class[mangled] += 1
    by_site[(where, mangled)] += 1


for line in sys.stdin:
    if not line.strip():
        finish_sample()
        name, address, frames = None, None, []
    elif not line[0].isspace():
        name = line.split()[0]
        match = re.search(r"isa=(\d+)", line)
        address = int(match.group(1)) if match else None
    else:
        parts = line.split(None, 1)
        if len(parts) == 2:
            frames.append(re.sub(r"\+0x[0-9a-f]+$", "", parts[1].rsplit(" (", 1)[0].strip()))
finish_sample()

names = {}


def readable(mangled):
    if mangled not in names:
        text = subprocess.run(["swift", "demangle", "--simplified", "--compact", mangled], capture_output=True, text=True).stdout.strip()
        names[mangled] = re.sub(r"^(full )?type metadata for ", "", text) or mangled
    return names[mangled]


total = sum(by_class.values())
print(f"{total / requests:.2f} per request on the event loop ({total} calls, {requests} requests), by class:")
for mangled, count in by_class.most_common(top):
    print(f"{count / requests:7.2f}  {readable(mangled)}")
print("by call site and class:")
for (site, mangled), count in by_site.most_common(top):
    print(f"{count / requests:7.2f}  {site}  ::  {readable(mangled)}")
