#!/usr/bin/env bash
# Where one request's calls to malloc, swift_retain or swift_release come from (not a test):
# Gatehouse on the benchmark's route (or a cached one), pinned to CPU 0 with wrk and the nginx
# upstream on CPU 1, driven by wrk while `perf` records the probed call with frame-pointer call
# graphs on the proxy's event loop; each call is attributed to the first Gatehouse or NIO frames
# above the allocation and reference-counting machinery (tools/request-sites.py), and the sites
# are printed per request, most frequent first. The totals are what tools/request-costs.sh
# counts; this says which code makes them. Needs root (uprobes) and linux-perf.
#
#   tools/request-sites.sh [proxy|hit] [malloc|swift_retain|swift_release] [SECONDS] [DEPTH]
#     (defaults: proxy, malloc, 2, 2 — DEPTH: how many frames name a site)
#   ROUTE_FIELDS=', rate_limit_config: { … }' tools/request-sites.sh     (fields added to the route)
#   BENCH_REQUEST=app tools/request-sites.sh …  (every request with a mobile app's eleven fields)
#   GATEHOUSE=/path/to/another/gatehouse tools/request-sites.sh            (another build)
#   SITES=100 tools/request-sites.sh                                       (how many sites are printed; 40)
#   ATOMIC=1 tools/request-sites.sh proxy swift_retain                     (only the retains or releases of
#       objects — the ones that change a count atomically, but for a few immortal static ones; a null's
#       or a small or literal string's return at once)
#   CLASSES=1 tools/request-sites.sh proxy swift_retain                    (the same, counted by the object's
#       class — its type pointer resolved against the mapped files' symbols, tools/object-classes.py —
#       then by call site and class)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-proxy}
call=${2:-malloc}
seconds=${3:-2}
depth=${4:-2}
case $mode in proxy | hit) ;; *) echo "usage: tools/request-sites.sh [proxy|hit] [malloc|swift_retain|swift_release] [SECONDS] [DEPTH]" >&2; exit 2 ;; esac
case $call in malloc | swift_retain | swift_release) ;; *) echo "the call is malloc, swift_retain or swift_release" >&2; exit 2 ;; esac

tools/install-dependencies.sh --benchmark >/dev/null
tools/build-release.sh gatehouse >/dev/null
source tools/background-processes.sh request-sites
upstream_port=18890 gatehouse_port=18891
source tools/bench-common.sh

gatehouse=$(realpath "${GATEHOUSE:-.build/release/gatehouse}")
if [ "$call" = malloc ]; then
  library=$(ldd "$gatehouse" | awk '$1 == "libc.so.6" { print $3 }') probe=probe_libc:malloc
else
  library=$(swift_runtime "$gatehouse") probe=probe_swift:gatehouse_${call#swift_}
fi
perf probe -q -d "$probe" 2>/dev/null || true
filter=()
if [ -n "${CLASSES:-}" ] && [ "$call" != malloc ]; then
  perf probe -q -x "$library" "$probe=$call object=%di:s64 isa=+0(%di):u64"  # an object's first word: its type
  filter=(--filter 'object > 0')
elif [ -n "${ATOMIC:-}" ] && [ "$call" != malloc ]; then
  perf probe -q -x "$library" "$probe=$call object=%di:s64"  # a heap object's address is positive
  filter=(--filter 'object > 0')
else
  perf probe -q -x "$library" "$probe=$call"
fi
trap 'perf probe -q -d "$probe" 2>/dev/null || true; cleanup' EXIT

bench_upstream $upstream_port
route_fields=${ROUTE_FIELDS:-}
[ "$mode" = hit ] && route_fields="$route_fields, cache_config: { enabled: true, ttl: 300 }"
bench_gatehouse "$gatehouse" $gatehouse_port "$work/gatehouse" "$route_fields"
gateway=$!
for port in $upstream_port $gatehouse_port; do wait_for $port; done
measure $gatehouse_port 64 2 >/dev/null  # warm-up: connections pooled, tables grown, the cache filled

# The proxy's event loop: the NIO thread that the warm-up kept busiest.
loop_thread=$(for task in /proc/$gateway/task/*; do
  if grep -q '^NIO-ELT' "$task/comm"; then echo "$(awk '{ print $14 + $15 }' "$task/stat") $(cat "$task/comm")"; fi
done | sort -rn | awk 'NR == 1 { print $2 }')
perf record -q -e "$probe" "${filter[@]}" --call-graph fp -p "$gateway" -o "$work/perf.data" -- sleep $((seconds + 1)) &
recording=$!
sleep 0.5
taskset -c 1 wrk -t1 -c64 -d"${seconds}s" "${wrk_fields[@]}" "http://127.0.0.1:$gatehouse_port/api/v1/weddings/w1" >"$work/wrk.txt"
wait $recording
requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
if [ -n "${CLASSES:-}" ] && [ "$call" != malloc ]; then
  echo "$call (heap objects only) by class ($mode; ${seconds}s of wrk, 64 connections; the probes slow the server, so only counts mean anything)"
  perf script -i "$work/perf.data" -F comm,trace,ip,sym 2>/dev/null | swift demangle --simplified \
    | tools/object-classes.py "/proc/$gateway/maps" "$requests" "$loop_thread" "${SITES:-40}"
  exit 0
fi
echo "$call${ATOMIC:+ (heap objects only)} by call site ($mode; ${seconds}s of wrk, 64 connections; the probes slow the server, so only counts mean anything)"
perf script -i "$work/perf.data" -F comm,ip,sym 2>/dev/null | swift demangle --simplified | tools/request-sites.py "$requests" "$depth" "$loop_thread" "${SITES:-40}"
