#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, start two demo upstreams
# (127.0.0.1:9000 and :9001) and the gateway on :8080 with the WedSync demo configuration,
# recording into the embedded LMDB log (./data by default). Ctrl-C stops everything (the gateway
# drains in-flight requests and flushes its outcome log first).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${GATEHOUSE_DATA:-./data}"
tools/install-dependencies.sh
swift build --product gatehouse
swift build --product demo-upstream
bin="$(swift build --show-bin-path)"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
"$bin/demo-upstream" --port 9000 & pids+=($!)
"$bin/demo-upstream" --port 9001 & pids+=($!)

cat <<'TRY'
Try, in another terminal:
  curl -i localhost:8080/api/v1/weddings/w1                       # X-Gateway, X-Request-ID, X-Backend-Service
  curl -si localhost:8080/api/v1/weddings/w1/rsvps | grep X-Upstream   # round robin: :9000, :9001
  curl -s -X POST localhost:8080/api/v1/weddings/w1/rsvps -d '{"guest_name":"Ada","attending":true}'
  curl -N 'localhost:8080/api/v1/live/events?count=3&interval_ms=500'   # Server-Sent Events, unbuffered
  curl -i localhost:8080/api/v1/nothing                           # 404 with the JSON error
  curl -i -X PATCH localhost:8080/api/v1/weddings/w1              # 405 with Allow
  gatehouse audit --data ./data ; gatehouse log tail --data ./data --stream traffic
TRY
"$bin/gatehouse" serve --data "$data" --config fixtures/wedsync.yaml & pids+=($!)
wait "${pids[2]}"
