#!/usr/bin/env bash
# Allocations per proxied request (not a test): `malloc` calls in the gateway's process, counted
# through a uprobe on libc while wrk drives the benchmark's route for a few seconds, divided by
# the requests served. Counts, not times, so the shared machine's noise does not enter; the probe
# slows the process, so its requests/s here mean nothing. Needs root (uprobes) and linux-perf.
#   tools/count-allocations.sh [BINARY] [SECONDS]     (default: the release build, 3 s)
#   ROUTE_FIELDS=', cache_config: { enabled: true, ttl: 300 }' tools/count-allocations.sh   (cache hits)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-.build/release/gatehouse}")
seconds=${2:-3}

tools/install-dependencies.sh --benchmark >/dev/null
command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
source tools/background-processes.sh allocations
upstream_port=18690; gateway_port=18691
source tools/bench-common.sh

libc=$(ldd "$binary" | awk '$1 == "libc.so.6" { print $3 }')
perf probe -q -x "$libc" -d 'probe_libc:malloc' 2>/dev/null || true
perf probe -q -x "$libc" malloc
trap 'perf probe -q -x "$libc" -d "probe_libc:malloc" 2>/dev/null || true; cleanup' EXIT

bench_upstream $upstream_port
bench_gateway_config $gateway_port "${ROUTE_FIELDS:-}" >"$work/bench.yaml"
taskset -c 0 "$binary" serve --data "$work/data" --config "$work/bench.yaml" --host 127.0.0.1 --port $gateway_port \
  --admin-port 0 --event-loops 1 >"$work/serve.log" & gateway=$!; pids+=($gateway)
wait_for $upstream_port; wait_for $gateway_port
measure $gateway_port 64 2 >/dev/null  # warm-up: connections pooled, tables grown

perf stat -x, -e probe_libc:malloc -p $gateway -o "$work/count.csv" -- sleep $((seconds + 1)) & counting=$!
sleep 0.5
taskset -c 1 wrk -t1 -c64 -d"${seconds}s" "http://127.0.0.1:$gateway_port/api/v1/weddings/w1" >"$work/wrk.txt"
wait $counting
requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
mallocs=$(awk -F, '/probe_libc:malloc/ { print $1 }' "$work/count.csv")
awk -v m="$mallocs" -v r="$requests" 'BEGIN { printf "%d mallocs over %d requests: %.1f per request\n", m, r, m / r }'
