#!/usr/bin/env bash
# What one request costs the server, counted — for nginx (the benchmarks' baseline: proxy_pass,
# or proxy_cache hits), the reference proxy (tools/reference-proxy, the least an HTTP/1 proxy
# on SwiftNIO does) and Gatehouse side by side, on the benchmark's route (not a test). Each
# server runs pinned to CPU 0 with wrk and the nginx upstream on CPU 1, and is measured twice
# while wrk drives it:
#   unprobed: CPU time (user and system, all threads, from /proc) and system calls
#             (a tracepoint) per request;
#   probed:   malloc (libc), swift_retain and swift_release (the Swift runtime) calls per
#             request, through uprobes — counts, not times, so this shared machine's noise does
#             not enter (the probes slow the server: its requests/s here mean nothing). Of the
#             retains and releases, those on an object (a positive address) are counted apart
#             ("atomic"): they change a count with an atomic instruction — all but the few on
#             static, immortal objects (an empty array's storage), which the count includes;
#             the rest (a null, a small or literal string) return at once.
# Needs root (uprobes) and linux-perf.
#
#   tools/request-costs.sh [proxy|hit] [SECONDS]    (defaults: proxy, 4)
#     proxy: nginx proxy_pass, the reference proxy and Gatehouse forwarding;
#     hit: nginx proxy_cache hits, the reference's stored-response server and Gatehouse's hits
#   ROUTE_FIELDS=', rate_limit_config: { … }' tools/request-costs.sh   (fields added to Gatehouse's route)
#   BENCH_REQUEST=app tools/request-costs.sh …  (every request with a mobile app's eleven fields)
#   GATEHOUSE=/path/to/an/older/gatehouse tools/request-costs.sh         (another build of Gatehouse)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-proxy}
seconds=${2:-4}
case $mode in proxy | hit) ;; *) echo "usage: tools/request-costs.sh [proxy|hit] [SECONDS]" >&2; exit 2 ;; esac

tools/install-dependencies.sh --benchmark >/dev/null
command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
tools/build-release.sh gatehouse reference-proxy >/dev/null
source tools/background-processes.sh request-costs
upstream_port=18790 reference_port=18791 gatehouse_port=18792 nginx_port=18793
source tools/bench-common.sh

gatehouse=$(realpath "${GATEHOUSE:-.build/release/gatehouse}")
libc=$(ldd "$gatehouse" | awk '$1 == "libc.so.6" { print $3 }')
probes=(probe_libc:malloc probe_swift:gatehouse_retain probe_swift:gatehouse_release probe_swift:reference_retain probe_swift:reference_release)
remove_probes() { for probe in "${probes[@]}"; do perf probe -q -d "$probe" 2>/dev/null || true; done; }
remove_probes
perf probe -q -x "$libc" malloc
# Each Swift server's runtime probed apart (a release build links its own copy). The object's
# address, signed: a heap object's is positive (what the runtime's own test is).
for side in gatehouse reference; do
  binary=$gatehouse
  [ $side = reference ] && binary=$(realpath .build/release/reference-proxy)
  runtime=$(swift_runtime "$binary")
  perf probe -q -x "$runtime" "probe_swift:${side}_retain=swift_retain object=%di:s64"
  perf probe -q -x "$runtime" "probe_swift:${side}_release=swift_release object=%di:s64"
done
trap 'remove_probes; cleanup' EXIT

bench_upstream $upstream_port
route_fields=${ROUTE_FIELDS:-}
[ "$mode" = hit ] && route_fields="$route_fields, cache_config: { enabled: true, ttl: 300 }"
if [ "$mode" = hit ]; then
  taskset -c 0 .build/release/reference-proxy hit $reference_port & reference=$!
else
  taskset -c 0 .build/release/reference-proxy proxy $reference_port $upstream_port & reference=$!
fi
pids+=($reference)
if [ "$mode" = hit ]; then bench_nginx "" $nginx_port; else bench_nginx $nginx_port; fi
nginx_master=$!
bench_gatehouse "$gatehouse" $gatehouse_port "$work/gatehouse" "$route_fields"
gateway=$!
for port in $upstream_port $reference_port $gatehouse_port $nginx_port; do wait_for $port; done
nginx_worker=$(pgrep -P "$nginx_master" -f "worker process")  # serves every request (not the cache helpers)

# CPU clock ticks (user, system) of every thread of process $1.
ticks() { awk '{ u += $14; s += $15 } END { print u, s }' /proc/"$1"/task/*/stat; }
hertz=$(getconf CLK_TCK)

# Drives port $2 (process $1) with wrk for $seconds while perf counts the events its other
# arguments name (perf's `-e EVENT [--filter …]`); prints "requests counts…" (one count per
# event, in order).
drive() {
  local pid=$1 port=$2
  shift 2
  perf stat -x, "$@" -p "$pid" -o "$work/count.csv" -- sleep $((seconds + 1)) & local counting=$!
  sleep 0.5
  taskset -c 1 wrk -t1 -c64 -d"${seconds}s" "${wrk_fields[@]}" "http://127.0.0.1:$port/api/v1/weddings/w1" >"$work/wrk.txt"
  wait $counting
  echo "$(awk '/requests in/ { print $1 }' "$work/wrk.txt") $(awk -F, '/^[0-9]/ { printf "%s ", $1 }' "$work/count.csv")"
}

declare -A result
for side in nginx reference gatehouse; do
  case $side in
    nginx) pid=$nginx_worker port=$nginx_port ;;
    reference) pid=$reference port=$reference_port ;;
    gatehouse) pid=$gateway port=$gatehouse_port ;;
  esac
  measure $port 64 2 >/dev/null  # warm-up: connections pooled, tables grown, the cache filled
  read -r user0 system0 < <(ticks $pid)
  read -r requests syscalls < <(drive $pid $port -e raw_syscalls:sys_enter)
  read -r user1 system1 < <(ticks $pid)
  result[$side.user]=$(awk -v t=$((user1 - user0)) -v r="$requests" -v h="$hertz" 'BEGIN { printf "%.2f", t / h * 1e6 / r }')
  result[$side.system]=$(awk -v t=$((system1 - system0)) -v r="$requests" -v h="$hertz" 'BEGIN { printf "%.2f", t / h * 1e6 / r }')
  result[$side.syscalls]=$(awk -v c="$syscalls" -v r="$requests" 'BEGIN { printf "%.1f", c / r }')
  runtime_side=gatehouse  # nginx runs no Swift: its counts of Gatehouse's probes stay 0
  [ $side = reference ] && runtime_side=reference
  retain=probe_swift:${runtime_side}_retain release=probe_swift:${runtime_side}_release
  read -r requests mallocs retains atomic_retains releases atomic_releases < <(
    drive $pid $port -e probe_libc:malloc -e "$retain" -e "$retain" --filter 'object > 0' -e "$release" -e "$release" --filter 'object > 0'
  )
  for name in mallocs retains atomic_retains releases atomic_releases; do
    result[$side.$name]=$(awk -v c="${!name}" -v r="$requests" 'BEGIN { printf "%.1f", c / r }')
  done
done

echo "per request ($mode; ${seconds}s of wrk, 64 connections, server on CPU 0, wrk + upstream on CPU 1)"
printf "%-26s %10s %10s %10s %14s %11s\n" "" "nginx" "reference" "gatehouse" "gh/reference" "gh/nginx"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
for metric in "user CPU (µs):user" "system CPU (µs):system" "system calls:syscalls" "malloc calls:mallocs" "swift_retain calls:retains" \
  "  of them atomic:atomic_retains" "swift_release calls:releases" "  of them atomic:atomic_releases"; do
  label=${metric%%:*} key=${metric##*:}
  printf "%-26s %10s %10s %10s %14s %11s\n" "$label" "${result[nginx.$key]}" "${result[reference.$key]}" \
    "${result[gatehouse.$key]}" "$(ratio "${result[reference.$key]}" "${result[gatehouse.$key]}")" \
    "$(ratio "${result[nginx.$key]}" "${result[gatehouse.$key]}")"
done
