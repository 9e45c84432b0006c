#!/usr/bin/env bash
# Where two Gatehouse builds (or one build on two routes) spend their time, profiled at the same
# time (not a test): both pinned to CPU 0, each driven by its own wrk on CPU 1, as in
# tools/bench-ab.sh, under one `perf record -C 0` with frame-pointer call graphs. Each process's
# samples are divided by its own requests (tools/profile-ab.py), so the machine's phase — which
# on this machine moves a profile taken alone by more than most changes do — weighs on both
# sides alike. Prints, per request, the nanoseconds each symbol takes on each side and B − A,
# largest differences first. One build against itself differs by up to ~0.3 µs a symbol over
# 3 s: profile 10 s and trust what is larger. Needs root and linux-perf.
#
#   tools/profile-ab.sh BINARY_A BINARY_B [SECONDS] [ROWS] [self|owner]   (defaults 10, 40, owner)
#     owner: samples in the runtime, libc and kernel are charged to the nearest Gatehouse or NIO
#            function above them (what a function costs with everything it calls out to);
#     self:  to the symbol the sample landed in
#   B_ROUTE_EXTRA=', rate_limit_config: { … }' tools/profile-ab.sh B B     (route fields for B only)
#   ROUTE_EXTRA=', cache_config: { … }' tools/profile-ab.sh A B            (for both)
set -euo pipefail
cd "$(dirname "$0")/.."
binary_a=$(realpath "$1")
binary_b=$(realpath "$2")
seconds=${3:-10}
rows=${4:-40}
mode=${5:-owner}

tools/install-dependencies.sh --benchmark >/dev/null
source tools/background-processes.sh profile-ab
upstream_port=18690
source tools/bench-common.sh

bench_upstream $upstream_port
bench_gatehouse_pair "$binary_a" "$binary_b"

perf record -q -F 4999 -C 0 --call-graph fp -o "$work/perf.data" -- sleep $((seconds + 1)) & recording=$!
sleep 0.5
measure $a_port 64 "$seconds" >"$work/a.txt" & first=$!
measure $b_port 64 "$seconds" >"$work/b.txt" & second=$!
wait $first $second $recording
perf script -i "$work/perf.data" -F pid,ip,sym 2>/dev/null | swift demangle --simplified \
  | tools/profile-ab.py "$pid_a" "$(cut -d' ' -f1 "$work/a.txt")" "$pid_b" "$(cut -d' ' -f1 "$work/b.txt")" "$seconds" 4999 "$rows" "$mode"
