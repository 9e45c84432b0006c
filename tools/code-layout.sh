#!/usr/bin/env bash
# Trains the release binary's code layout (not a test): profiles the release Gatehouse with
# frame-pointer call graphs while wrk drives each of the benchmarks' workloads — plain proxying,
# proxying a mobile app's request, a rate-limited route, a route that requires an API key, and
# cache hits — for SECONDS each (Gatehouse on CPU 0, wrk and the nginx upstream on CPU 1, as in
# the benchmarks), and writes the call edges the samples show (tools/code-layout.py) to
# tools/code-layout.txt. tools/build-release.sh hands that file to lld
# (--call-graph-ordering-file), which places the functions a request runs through next to each
# other. Rerun it after changes to the request path: functions it does not name (new or renamed
# ones) keep the default place, which costs them locality, not correctness. Needs root and
# linux-perf.
#
#   tools/code-layout.sh [SECONDS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}

tools/install-dependencies.sh --benchmark >/dev/null
command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
tools/build-release.sh gatehouse >/dev/null
source tools/background-processes.sh code-layout
upstream_port=18990
source tools/bench-common.sh
gatehouse=$(realpath .build/release/gatehouse)
cache=', cache_config: { enabled: true, ttl: 300 }'

bench_upstream $upstream_port
wait_for $upstream_port
port=$upstream_port
# Profiles one workload: $1 its name, $2 the request's kind (BENCH_REQUEST: "", app or keyed),
# $3 the route's extra fields.
profile() {
  port=$((port + 1))
  bench_request "$2"
  bench_gatehouse "$gatehouse" $port "$work/$1" "$3"
  local gateway=$!
  wait_for $port
  measure $port 64 2 >/dev/null  # warm-up
  perf record -q -F 4999 --call-graph fp -p $gateway -o "$work/$1.data" -- sleep $((seconds + 1)) & local recording=$!
  sleep 0.5
  echo "$1: $(measure $port 64 "$seconds" | awk '{ print $1 " requests/s" }')"
  wait $recording
  kill $gateway
  perf script --no-demangle -F ip,sym,dso -i "$work/$1.data" 2>/dev/null >>"$work/stacks.txt"
}
profile proxy "" ""
profile app app ""
profile limited "" "$bench_route_limits"
profile keyed keyed ""
profile hit "" "$cache"
tools/code-layout.py "$gatehouse" <"$work/stacks.txt" >tools/code-layout.txt
echo "tools/code-layout.txt: $(wc -l <tools/code-layout.txt) call edges"
