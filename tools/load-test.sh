#!/usr/bin/env bash
# The spec's load tests, end to end (not part of the test suite): builds release, starts the two
# demo upstreams (127.0.0.1:9000, :9001) and the gateway with fixtures/wedsync.yaml on a fresh
# data directory, runs tools/load-test-client.py, and prints each test's JSON result line.
#
#   tools/load-test.sh [PORT]     (default 18080)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-18080}
tools/install-dependencies.sh >/dev/null
tools/build-release.sh gatehouse >/dev/null
tools/build-release.sh demo-upstream >/dev/null
source tools/background-processes.sh load
.build/release/demo-upstream --port 9000 >/dev/null & pids+=($!)
.build/release/demo-upstream --port 9001 >/dev/null & pids+=($!)
.build/release/gatehouse serve --data "$work/data" --config fixtures/wedsync.yaml --host 127.0.0.1 --port "$port" --admin-port 0 >"$work/serve.log" & pids+=($!)
for _ in $(seq 100); do curl -sf -H "X-API-Key: demo-enterprise-key-0001" "http://127.0.0.1:$port/api/v1/weddings" >/dev/null && break; sleep 0.1; done
python3 tools/load-test-client.py "$port"
