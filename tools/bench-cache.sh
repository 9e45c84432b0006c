#!/usr/bin/env bash
# Cache hits: Gatehouse's response cache vs nginx `proxy_cache`, on this machine, in one
# invocation (not a test).
#
# Both proxies forward to the same nginx `return 200` upstream and cache its answer for five
# minutes; after one priming request every measured request is a hit. nginx: 1 worker,
# `proxy_cache` in a keys zone with the file on tmpfs-backed /tmp (served from the page cache);
# Gatehouse: 1 event loop, outcome logging on (it always is). Each proxy is pinned to CPU 0, wrk
# and the upstream to CPU 1; rounds are interleaved and the medians and ratios printed.
#
#   tools/bench-cache.sh [ROUNDS] [SECONDS] [CONNECTIONS]     (defaults 5, 10, 64)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
connections=${3:-64}

tools/install-dependencies.sh --benchmark >/dev/null
tools/build-release.sh gatehouse >/dev/null
source tools/background-processes.sh bench-cache
source tools/bench-common.sh

upstream_port=18190
nginx_port=18191
gatehouse_port=18192

bench_upstream $upstream_port
bench_nginx "" $nginx_port
bench_gatehouse .build/release/gatehouse $gatehouse_port "$work/gatehouse" ', cache_config: { enabled: true, ttl: 300 }'
for port in $upstream_port $nginx_port $gatehouse_port; do wait_for $port; done
for port in $nginx_port $gatehouse_port; do
  status=$(curl -s -o /dev/null -D - "http://127.0.0.1:$port/api/v1/weddings/w1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')
  [ "$status" = "HIT" ] || { echo "port $port is not answering from its cache (X-Cache: ${status:-none})" >&2; exit 1; }
done

for port in $nginx_port $gatehouse_port; do measure $port "$connections" 2 >/dev/null; done  # warm-up
: >"$work/nginx.txt"; : >"$work/gatehouse.txt"
for round in $(seq "$rounds"); do
  measure $nginx_port "$connections" "$seconds" >>"$work/nginx.txt"
  measure $gatehouse_port "$connections" "$seconds" >>"$work/gatehouse.txt"
  echo "round $round: nginx $(tail -1 "$work/nginx.txt") | gatehouse $(tail -1 "$work/gatehouse.txt")  (rps p50ms p99ms non2xx)"
done
echo
echo "cache hits, median of $rounds rounds, ${seconds}s each, $connections connections, proxy on CPU 0, wrk + upstream on CPU 1"
compare "$work/nginx.txt" "$work/gatehouse.txt"
