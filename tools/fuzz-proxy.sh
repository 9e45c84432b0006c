#!/usr/bin/env bash
# Robustness check (not a test): the WedSync demo gateway (fixtures/wedsync.yaml, two demo
# upstreams) gets ROUNDS requests with hostile field values from tools/fuzz-proxy-client.py;
# every request must get an HTTP response and the gateway must still be running at the end.
#   tools/fuzz-proxy.sh [ROUNDS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3000}
seed=${2:-1}
port=18480
tools/build-release.sh gatehouse >/dev/null
tools/build-release.sh demo-upstream >/dev/null
source tools/background-processes.sh fuzz
.build/release/demo-upstream --port 9000 >/dev/null & pids+=($!)
.build/release/demo-upstream --port 9001 >/dev/null & pids+=($!)
.build/release/gatehouse serve --data "$work/data" --config fixtures/wedsync.yaml --host 127.0.0.1 --port $port --admin-port 0 \
  >"$work/serve.log" 2>&1 & gateway=$!
pids+=($gateway)
for _ in $(seq 100); do curl -sf -H "X-API-Key: demo-enterprise-key-0001" "http://127.0.0.1:$port/api/v1/weddings" >/dev/null && break; sleep 0.1; done
status=0
python3 tools/fuzz-proxy-client.py $port "$rounds" "$seed" || status=1
if kill -0 $gateway 2>/dev/null; then echo "gateway still running"; else echo "the gateway died"; tail -20 "$work/serve.log"; status=1; fi
exit $status
