#!/usr/bin/env bash
# Two Gatehouse builds (or one build with two configurations) measured at the same time, not one
# after the other: both pinned to CPU 0, each driven by its own wrk on CPU 1, so whatever else
# this shared machine does slows both alike and their requests/s ratio is their cost ratio. On
# this machine sequential A/B rounds drift by ±15 %; concurrent rounds of one build against
# itself agree within ~2 %, and separate invocations within ~3–5 % (not a test).
#
# That holds for changes to the CPU a request costs. A change to *when* a gateway writes (how
# its writes wake wrk and the upstream) interacts with the other gateway's traffic on the same
# CPUs: for those, SEQUENTIAL=1 runs each round's two gateways one after the other instead (the
# order alternating), each alone on the machine as in tools/bench-proxy.sh — noisier (±15 % a
# round), so use more rounds.
#
#   tools/bench-ab.sh BINARY_A BINARY_B [ROUNDS] [SECONDS]        (defaults 5, 4)
#   B_ROUTE_EXTRA=', rate_limit_config: { … }' tools/bench-ab.sh A B   (extra route fields for B only)
#   ROUTE_EXTRA=', rate_limit_config: { … }' tools/bench-ab.sh A B     (for both: two builds on a limited route)
#   SEQUENTIAL=1 tools/bench-ab.sh A B 10 4                              (one gateway at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
binary_a=$(realpath "$1")
binary_b=$(realpath "$2")
rounds=${3:-5}
seconds=${4:-4}

tools/install-dependencies.sh --benchmark >/dev/null
source tools/background-processes.sh ab
upstream_port=18490
source tools/bench-common.sh

bench_upstream $upstream_port
bench_gatehouse_pair "$binary_a" "$binary_b"

: >"$work/a.txt"; : >"$work/b.txt"
for round in $(seq "$rounds"); do
  if [ -n "${SEQUENTIAL:-}" ]; then
    if [ $((round % 2)) = 1 ]; then order="a b"; else order="b a"; fi
    for side in $order; do
      port=$a_port; [ $side = b ] && port=$b_port
      measure $port 64 "$seconds" >>"$work/$side.txt"
    done
  else
    measure $a_port 64 "$seconds" >>"$work/a.txt" & first=$!
    measure $b_port 64 "$seconds" >>"$work/b.txt" & second=$!
    wait $first $second
  fi
  echo "round $round: A $(tail -1 "$work/a.txt" | cut -d' ' -f1) requests/s | B $(tail -1 "$work/b.txt" | cut -d' ' -f1) requests/s"
done
a=$(awk '{ print $1 }' "$work/a.txt" | median)
b=$(awk '{ print $1 }' "$work/b.txt" | median)
per_round=$(paste "$work/a.txt" "$work/b.txt" | awk '{ print $5 / $1 }' | median)
echo
how="concurrent rounds, ${seconds}s each, 64 connections per side, both on CPU 0"
[ -n "${SEQUENTIAL:-}" ] && how="sequential rounds (one gateway at a time, order alternating), ${seconds}s each, 64 connections, gateway on CPU 0"
echo "median of $rounds $how, wrk + upstream on CPU 1"
awk -v a="$a" -v b="$b" -v r="$per_round" 'BEGIN { printf "A %.0f requests/s, B %.0f requests/s: B/A %.3f (median of the rounds'"'"' ratios %.3f)\n", a, b, b / a, r }'
