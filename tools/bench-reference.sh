#!/usr/bin/env bash
# How far Gatehouse is from the floor SwiftNIO itself sets, on this machine, in one invocation
# (not a test). Six servers, each pinned to CPU 0 with wrk and the nginx upstream on CPU 1,
# measured in interleaved rounds:
#   proxying:   nginx proxy_pass | tools/reference-proxy (proxy) | Gatehouse
#   cache hits: nginx proxy_cache | tools/reference-proxy (hit)  | Gatehouse with a cached route
# The reference proxy is the least an HTTP/1 keep-alive proxy does on SwiftNIO (no routing,
# header edits, logging or error handling): its ratio to nginx is the ceiling for any gateway on
# this event loop, and Gatehouse's ratio to it is the cost of Gatehouse's own per-request work.
#
#   tools/bench-reference.sh [ROUNDS] [SECONDS] [CONNECTIONS]     (defaults 3, 5, 64)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-5}
connections=${3:-64}

tools/install-dependencies.sh --benchmark >/dev/null
tools/build-release.sh gatehouse reference-proxy >/dev/null
source tools/background-processes.sh bench-reference
upstream_port=18290
source tools/bench-common.sh

nginx_proxy=18291 nginx_cache=18292 reference_proxy=18293 reference_hit=18294 gatehouse_proxy=18295 gatehouse_cache=18296
bench_upstream $upstream_port
bench_nginx $nginx_proxy $nginx_cache
taskset -c 0 .build/release/reference-proxy proxy $reference_proxy $upstream_port & pids+=($!)
taskset -c 0 .build/release/reference-proxy hit $reference_hit & pids+=($!)
bench_gatehouse .build/release/gatehouse $gatehouse_proxy "$work/proxy"
bench_gatehouse .build/release/gatehouse $gatehouse_cache "$work/cache" ', cache_config: { enabled: true, ttl: 300 }'
ports="$nginx_proxy $reference_proxy $gatehouse_proxy $nginx_cache $reference_hit $gatehouse_cache"
for port in $upstream_port $ports; do wait_for $port; done
for port in $ports; do measure $port "$connections" 2 >/dev/null; : >"$work/$port.txt"; done  # warm-up (and the caches filled)

for round in $(seq "$rounds"); do
  line="round $round (requests/s):"
  for port in $ports; do
    measure $port "$connections" "$seconds" >>"$work/$port.txt"
    line="$line $(tail -1 "$work/$port.txt" | cut -d' ' -f1)"
  done
  echo "$line"
done
rps() { awk '{ print $1 }' "$work/$1.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "median of $rounds rounds, ${seconds}s each, $connections connections, server on CPU 0, wrk + upstream on CPU 1"
printf "%-11s %14s %16s %14s %18s %20s\n" "" "nginx" "reference proxy" "gatehouse" "reference / nginx" "gatehouse / reference"
for kind in proxying "cache hits"; do
  if [ "$kind" = proxying ]; then n=$(rps $nginx_proxy) r=$(rps $reference_proxy) g=$(rps $gatehouse_proxy)
  else n=$(rps $nginx_cache) r=$(rps $reference_hit) g=$(rps $gatehouse_cache); fi
  printf "%-11s %14.0f %16.0f %14.0f %18s %20s   (gatehouse / nginx %s)\n" "$kind" "$n" "$r" "$g" "$(ratio "$r" "$n")" "$(ratio "$g" "$r")" "$(ratio "$g" "$n")"
done
echo "non-2xx responses: $(cat "$work"/*.txt | awk '{ s += $4 } END { print s + 0 }')"
