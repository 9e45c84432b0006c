# Sourced by the benchmark scripts (after background-processes.sh): the nginx upstream every
# proxy under test forwards to, and the measuring helpers.
#   bench_request KIND           the benchmark's request fields (`wrk_fields`) for KIND: "", app or keyed
#                                 (as BENCH_REQUEST sets them when this file is sourced)
#   bench_route_limits           route fields of a limit that never refuses
#   bench_upstream PORT          start nginx `return 200` with a JSON body on CPU 1
#   bench_nginx PROXY_PORT [CACHE_PORT]   nginx as a proxy under test on CPU 0 (1 worker, keep-alive pool to
#                                 $upstream_port), files in $work/nginx: proxy_pass on PROXY_PORT ("" for none),
#                                 and with CACHE_PORT proxy_pass + proxy_cache there (200s kept five minutes)
#   bench_nginx_adding PORT DIRECTIVES   a second nginx like it, files in $work/nginx-adding: proxy_pass on PORT
#                                 with DIRECTIVES (`add_header …;`) in its location
#   bench_gateway_config PORT [ROUTE_FIELDS]   Gatehouse's YAML: a gateway on PORT whose one route
#                                 forwards /api/v1/weddings/{id} to the upstream ($upstream_port),
#                                 with ROUTE_FIELDS (", cache_config: { … }") added to the route
#   bench_gatehouse BINARY PORT DIR [ROUTE_FIELDS]   a Gatehouse under test on CPU 0 with one event loop and no
#                                 admin listener, on that configuration (in DIR/bench.yaml), its data and log
#                                 (DIR/serve.log) in DIR; its pid is `$!` afterwards
#   bench_gatehouse_pair BINARY_A BINARY_B   two of them side by side on $upstream_port + 1 and + 2
#                                 (`a_port`, `b_port`; pids `pid_a`, `pid_b`), A's route with
#                                 $ROUTE_EXTRA, B's with $B_ROUTE_EXTRA (else $ROUTE_EXTRA); returns
#                                 once both answer and have been warmed up
#   measure PORT CONNECTIONS SECONDS [PATH]   wrk on CPU 1 → "rps p50_ms p99_ms non2xx"; with
#                                 BENCH_REQUEST=app every request carries the eleven fields of a
#                                 mobile app's request (`app_request_fields`), with BENCH_REQUEST=keyed
#                                 an API key (`X-API-Key`; Gatehouse's route then requires one and
#                                 its configuration holds that key, with no tier or quota), else
#                                 wrk's Host alone
#   median                        median of the numbers on stdin
#   rps_range FILE                the lowest and highest requests/s in a `measure` result file
#   wait_for PORT [PATH]          until the port answers 2xx (asked with the benchmark's request fields)
#   swift_runtime BINARY          the file holding BINARY's Swift runtime (`swift_retain`, …), for
#                                 uprobes: BINARY itself when it links the runtime statically (as
#                                 tools/build-release.sh builds), else its libswiftCore.so
#   compare BASE_FILE OTHER_FILE  the medians of two `measure` result files: rps, p50 and p99 with ratios,
#                                 and each side's lowest and highest requests/s (how noisy the rounds were)
# nginx forwarding to the upstream pool (`backend`) over kept-alive HTTP/1.1 connections.
nginx_pass='proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";'
bench_body='{"id":"w1","couple":"Ada & Grace","date":"2027-06-12","venue":"Kew Gardens","guest_count":120}'

# What a WedSync mobile app sends with an API call (BENCH_REQUEST=app): ~500 bytes of fields,
# a trace context among them.
app_request_fields=(
  -H "User-Agent: WedSync/4.2.1 (iPhone; iOS 17.4; Scale/3.00)" -H "Accept: application/json"
  -H "Accept-Encoding: gzip, deflate, br" -H "Accept-Language: en-GB,en;q=0.9"
  -H "Cookie: session=3f9a1c0e7b5d4e2a8c6f1b0d9e7a5c3b; theme=dark" -H "Referer: https://app.wedsync.example/weddings"
  -H "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" -H "X-Client-Version: 4.2.1"
  -H "X-Timezone: Europe/London" -H "sec-ch-ua-platform: \"iOS\"" -H "X-Device-ID: 8c6f1b0d-9e7a-4c3b-a1d2-e3f4a5b6c7d8"
)
# A vendor integration's call (BENCH_REQUEST=keyed): authenticated by an API key.
bench_key=bench-vendor-key-0001
# The fields every benchmark request carries (`wrk_fields`) for a request kind: "" (wrk's Host
# alone), app or keyed.
bench_request() {
  BENCH_REQUEST=$1
  wrk_fields=()
  [ "$1" = app ] && wrk_fields=("${app_request_fields[@]}")
  [ "$1" = keyed ] && wrk_fields=(-H "X-API-Key: $bench_key")
  return 0
}
bench_request "${BENCH_REQUEST:-}"
# A route limit that never refuses (the limiter's cost, not its refusals), as route fields.
bench_route_limits=', rate_limit_config: { requests_per_second: 1000000, burst_limit: 1000000, requests_per_minute: 60000000 }'

bench_upstream() {
  mkdir -p "$work/upstream"
  cat >"$work/upstream/nginx.conf" <<CONF
daemon off; worker_processes 1; error_log $work/upstream/error.log; pid $work/upstream/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$1; location / { default_type application/json; return 200 '$bench_body'; } }
}
CONF
  taskset -c 1 nginx -p "$work/upstream" -c "$work/upstream/nginx.conf" & pids+=($!)
}

bench_nginx() {
  local servers=""
  [ -n "$1" ] && servers="server { listen 127.0.0.1:$1; location / { $nginx_pass } }"
  [ -n "${2:-}" ] && servers="$servers
  server {
    listen 127.0.0.1:$2;
    location / { $nginx_pass proxy_cache bench; proxy_cache_valid 200 5m; add_header X-Cache \$upstream_cache_status; }
  }"
  start_nginx_proxy "$work/nginx" "$servers"
}

bench_nginx_adding() {
  start_nginx_proxy "$work/nginx-adding" "server { listen 127.0.0.1:$1; location / { $nginx_pass $2 } }"
}

# An nginx (1 worker, keep-alive pool to $upstream_port, a cache zone) on CPU 0 with files in
# DIR ($1), serving the `server` blocks $2.
start_nginx_proxy() {
  local dir=$1
  mkdir -p "$dir/cache"
  # nginx started as root runs its workers as nobody: they must reach the cache folder.
  chmod 755 "$work" "$dir" && chmod 777 "$dir/cache"
  cat >"$dir/nginx.conf" <<CONF
daemon off; worker_processes 1; error_log $dir/error.log; pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000;
  proxy_cache_path $dir/cache levels=1:2 keys_zone=bench:10m max_size=64m inactive=60m use_temp_path=off;
  upstream backend { server 127.0.0.1:$upstream_port; keepalive 128; keepalive_requests 1000000; }
  $2
}
CONF
  taskset -c 0 nginx -p "$dir" -c "$dir/nginx.conf" & pids+=($!)
}

bench_gateway_config() {
  local keyed_route="" keyed_config=""
  if [ "${BENCH_REQUEST:-}" = keyed ]; then
    keyed_route=", auth_requirements: { required: true }"
    keyed_config="api_keys:
  - { key_name: bench-vendor, key: $bench_key, owner_type: vendor, scopes: [\"read:weddings\"] }"
  fi
  cat <<CONF
gateways:
  - name: bench
    base_url: http://127.0.0.1:$1
    is_default: true
    services:
      - { service_name: upstream, service_url: "http://127.0.0.1:$upstream_port", max_connections: 1024 }
    routes:
      - { route_path: "/api/v1/weddings/{id}", route_method: GET, service: upstream, upstream_path: "/weddings/{id}"$keyed_route${2:-} }
$keyed_config
CONF
}

bench_gatehouse() {
  mkdir -p "$3"
  bench_gateway_config "$2" "${4:-}" >"$3/bench.yaml"
  taskset -c 0 "$1" serve --data "$3/data" --config "$3/bench.yaml" --host 127.0.0.1 --port "$2" \
    --admin-port 0 --event-loops 1 >"$3/serve.log" & pids+=($!)
}

bench_gatehouse_pair() {
  a_port=$((upstream_port + 1)) b_port=$((upstream_port + 2))
  bench_gatehouse "$1" $a_port "$work/a" "${ROUTE_EXTRA:-}"; pid_a=$!
  bench_gatehouse "$2" $b_port "$work/b" "${B_ROUTE_EXTRA:-${ROUTE_EXTRA:-}}"; pid_b=$!
  for port in $upstream_port $a_port $b_port; do wait_for $port; done
  for port in $a_port $b_port; do measure $port 64 2 >/dev/null; done  # warm-up
}

measure() {
  taskset -c 1 wrk -t1 -c"$2" -d"$3"s --latency "${wrk_fields[@]}" "http://127.0.0.1:$1${4:-/api/v1/weddings/w1}" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) } /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s %s\n", rps, p50, p99, bad + 0 }'
}

rps_range() { awk '{ print $1 }' "$1" | sort -g | awk 'NR == 1 { low = $1 } { high = $1 } END { printf "%.0f-%.0f", low, high }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

wait_for() {
  for _ in $(seq 100); do curl -sf "${wrk_fields[@]}" "http://127.0.0.1:$1${2:-/api/v1/weddings/w1}" >/dev/null && return 0; sleep 0.1; done
  echo "nothing answers on port $1" >&2
  return 1
}

swift_runtime() {
  local library
  library=$(ldd "$1" | awk '$1 == "libswiftCore.so" { print $3 }')
  echo "${library:-$1}"
}

compare() {
  column() { awk "{ print \$$2 }" "$1" | median; }
  printf "%-22s %12s %12s %8s\n" "" "nginx" "gatehouse" "ratio"
  awk -v n="$(column "$1" 1)" -v g="$(column "$2" 1)" 'BEGIN { printf "%-22s %12.0f %12.0f %8.2f\n", "requests/s", n, g, g / n }'
  awk -v n="$(column "$1" 2)" -v g="$(column "$2" 2)" 'BEGIN { printf "%-22s %12.3f %12.3f %8.2f\n", "p50 latency (ms)", n, g, g / n }'
  awk -v n="$(column "$1" 3)" -v g="$(column "$2" 3)" 'BEGIN { printf "%-22s %12.3f %12.3f %8.2f\n", "p99 latency (ms)", n, g, g / n }'
  printf "%-22s %12s %12s\n" "requests/s range" "$(rps_range "$1")" "$(rps_range "$2")"
}
