#!/usr/bin/env bash
# Gatehouse vs nginx as a reverse proxy, on this machine, in one invocation (not a test).
#
# Upstream: an nginx `return 200` server. Baseline: nginx `proxy_pass` with 1 worker and an
# upstream keep-alive pool. Under test: `gatehouse serve` with 1 event loop, outcome logging on
# (it always is). Each proxy is pinned to CPU 0, wrk and the upstream to CPU 1. Rounds are
# interleaved; the medians and the Gatehouse/nginx ratios are printed, then Gatehouse's peak
# RSS under 1,000 concurrent connections. A second Gatehouse with a rate limit on the route
# (high enough never to refuse) gives the limiter's cost as a limiter-on/limiter-off ratio,
# measured with both Gatehouses running at the same time (sequential rounds drift by ±15 %
# on this shared machine, more than the cost being measured). Its floor is measured the same
# way: nginx adding the five fields a limited response carries (~230 bytes, static values of
# the same length) against nginx without them — what sending those bytes costs at all here.
#
#   tools/bench-proxy.sh [ROUNDS] [SECONDS] [CONNECTIONS]     (defaults 5, 10, 64)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
connections=${3:-64}

tools/install-dependencies.sh --benchmark >/dev/null
tools/build-release.sh gatehouse >/dev/null
source tools/background-processes.sh bench

upstream_port=18090
nginx_port=18091
gatehouse_port=18092
limited_port=18093
nginx_fields_port=18094
source tools/bench-common.sh

bench_upstream $upstream_port
bench_nginx $nginx_port
bench_nginx_adding $nginx_fields_port 'add_header RateLimit-Policy "\"route-second\";q=1000000;w=1, \"route-minute\";q=60000000;w=60";
  add_header RateLimit "\"route-second\";r=999999;t=1, \"route-minute\";r=59999999;t=60"; add_header X-RateLimit-Limit 1000000;
  add_header X-RateLimit-Remaining 999999; add_header X-RateLimit-Reset 1;'
bench_gatehouse .build/release/gatehouse $gatehouse_port "$work/gatehouse"
gatehouse_pid=$!
bench_gatehouse .build/release/gatehouse $limited_port "$work/limited" "$bench_route_limits"
for port in $upstream_port $nginx_port $nginx_fields_port $gatehouse_port $limited_port; do wait_for $port; done

for port in $nginx_port $nginx_fields_port $gatehouse_port $limited_port; do measure $port "$connections" 2 >/dev/null; done  # warm-up
: >"$work/nginx.txt"; : >"$work/gatehouse.txt"; : >"$work/pair-off.txt"; : >"$work/pair-on.txt"; : >"$work/floor-off.txt"; : >"$work/floor-on.txt"
for round in $(seq "$rounds"); do
  measure $nginx_port "$connections" "$seconds" >>"$work/nginx.txt"
  measure $gatehouse_port "$connections" "$seconds" >>"$work/gatehouse.txt"
  # The limiter's cost: both Gatehouses at the same time on CPU 0 (see tools/bench-ab.sh), so
  # the machine's drift between rounds cancels out of their ratio.
  measure $gatehouse_port "$connections" "$seconds" >>"$work/pair-off.txt" & off=$!
  measure $limited_port "$connections" "$seconds" >>"$work/pair-on.txt" & on=$!
  wait $off $on
  measure $nginx_port "$connections" "$seconds" >>"$work/floor-off.txt" & off=$!
  measure $nginx_fields_port "$connections" "$seconds" >>"$work/floor-on.txt" & on=$!
  wait $off $on
  echo "round $round: nginx $(tail -1 "$work/nginx.txt") | gatehouse $(tail -1 "$work/gatehouse.txt")  (rps p50ms p99ms non2xx)" \
    "| together: without limit $(tail -1 "$work/pair-off.txt" | cut -d' ' -f1), with limit $(tail -1 "$work/pair-on.txt" | cut -d' ' -f1) rps"
done
column() { awk "{ print \$$2 }" "$1" | median; }
g_bad=$(awk '{ s += $4 } END { print s + 0 }' "$work/gatehouse.txt")
l_bad=$(awk '{ s += $4 } END { print s + 0 }' "$work/pair-on.txt")
off_rps=$(column "$work/pair-off.txt" 1)
on_rps=$(column "$work/pair-on.txt" 1)
pair_ratio=$(paste "$work/pair-off.txt" "$work/pair-on.txt" | awk '{ print $5 / $1 }' | median)
floor_ratio=$(paste "$work/floor-off.txt" "$work/floor-on.txt" | awk '{ print $5 / $1 }' | median)

# The resident set (VmRSS) and the process's own memory in it (RssAnon: heap, stacks) are
# sampled while the 1,000 connections run. The kernel also keeps the peak of the resident set
# over the whole run (VmHWM), which includes the event log's mapped file as the projections
# read it — LMDB pages the kernel can drop, growing with the outcomes the rounds above wrote.
(while kill -0 "$gatehouse_pid" 2>/dev/null; do awk '/VmRSS/ { r = $2 } /RssAnon/ { a = $2 } END { print a, r }' "/proc/$gatehouse_pid/status"; sleep 0.1; done >"$work/anon.txt") &
sampler=$!
measure $gatehouse_port 1000 5 >/dev/null
kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$gatehouse_pid/status")
anon_peak_kb=$(awk '{ print $1 }' "$work/anon.txt" | sort -n | tail -1)
resident_peak_kb=$(awk '{ print $2 }' "$work/anon.txt" | sort -n | tail -1)
read -r anon_kb file_kb < <(awk '/RssAnon/ { a = $2 } /RssFile/ { f = $2 } END { print a, f }' "/proc/$gatehouse_pid/status")
kill -TERM "$gatehouse_pid"; wait "$gatehouse_pid" 2>/dev/null || true
outcomes=$(grep -o '"outcomes_written":[0-9]*' "$work/gatehouse/serve.log" | cut -d: -f2)
dropped=$(grep -o '"outcomes_dropped":[0-9]*' "$work/gatehouse/serve.log" | cut -d: -f2)

echo
echo "median of $rounds rounds, ${seconds}s each, $connections connections, proxy on CPU 0, wrk + upstream on CPU 1"
compare "$work/nginx.txt" "$work/gatehouse.txt"
awk -v g="$off_rps" -v l="$on_rps" -v r="$pair_ratio" \
  'BEGIN { printf "%-22s %12.0f %12.0f %8.2f   (limiter on / off, measured together; median of the rounds'"'"' ratios %.2f)\n", "gatehouse + limiter", g, l, l / g, r }'
printf "%-22s %30.2f   (nginx with / without the five limit fields, measured together: the floor)\n" "floor" "$floor_ratio"
echo "gatehouse non-2xx responses: $g_bad (with the limiter: $l_bad)"
echo "gatehouse under 1,000 connections: resident set at most $((${resident_peak_kb:-0} / 1024)) MB, of it anonymous at most $((${anon_peak_kb:-0} / 1024)) MB (at the end: $((anon_kb / 1024)) MB anonymous, $((file_kb / 1024)) MB mapped files — the log); the whole run's peak resident set: $((rss_kb / 1024)) MB"
echo "gatehouse outcomes written to the log: ${outcomes:-?} (dropped: ${dropped:-?})"
