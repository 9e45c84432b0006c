#!/usr/bin/env python3
"""Reads `perf script -F pid,ip,sym` (demangled) on stdin — two Gatehouse processes profiled at
the same time — and prints each symbol's nanoseconds per request for each process and their
difference (see tools/profile-ab.sh).

    profile-ab.py PID_A RPS_A PID_B RPS_B SECONDS FREQUENCY ROWS self|owner
"""
import collections
import re
import sys

pid_a, rps_a, pid_b, rps_b, seconds, frequency, rows, mode = sys.argv[1:9]
rps = {pid_a: float(rps_a), pid_b: float(rps_b)}
# Frames that are Gatehouse's or NIO's own code (not the runtime, libc or the kernel).
own = re.compile(r"Gatehouse|NIO|Handler|Codec|Exchange|Route|Record|Limit|Fields|Head|Upstream|Proxy|Pool|Loop|Channel|Buffer"
                 r"|Scanner|Parser|Encoder|Outcome|Tick|Selection|Writer|Fingerprint|Snapshot|Template|Path|Cache")
samples = {pid_a: collections.Counter(), pid_b: collections.Counter()}
for block in sys.stdin.read().split("\n\n"):
    lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
    if len(lines) < 2 or lines[0].split()[0] not in samples:
        continue
    frames = [line.split(None, 1)[1].rsplit(" (", 1)[0] if " " in line else "?" for line in lines[1:]]
    name = frames[0]
    if mode == "owner":
        name = next((frame for frame in frames if own.search(frame) and "swift_" not in frame), "(runtime, libc or kernel only)")
    samples[lines[0].split()[0]][name[:130]] += 1

# Nanoseconds of CPU per sample, per request of each process.
scale = {pid: 1e9 / float(frequency) / (rps[pid] * float(seconds)) for pid in samples}
total = {pid: sum(counter.values()) * scale[pid] for pid, counter in samples.items()}
print(f"A {rps[pid_a]:.0f} requests/s, {total[pid_a]:.0f} ns sampled per request | "
      f"B {rps[pid_b]:.0f} requests/s, {total[pid_b]:.0f} ns per request | B - A {total[pid_b] - total[pid_a]:+.0f} ns")
names = set(samples[pid_a]) | set(samples[pid_b])
difference = {name: samples[pid_b][name] * scale[pid_b] - samples[pid_a][name] * scale[pid_a] for name in names}
print(f"{'B - A':>7} {'A':>7} {'B':>7}  ns per request")
for name in sorted(names, key=lambda name: -abs(difference[name]))[:int(rows)]:
    print(f"{difference[name]:+7.0f} {samples[pid_a][name] * scale[pid_a]:7.0f} {samples[pid_b][name] * scale[pid_b]:7.0f}  {name}")
