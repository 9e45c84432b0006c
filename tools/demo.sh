#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, apply the WedSync demo
# configuration to the embedded LMDB log (./data by default) and print its audit trail.
# Later issues make this start the gateway and the demo upstreams.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${GATEHOUSE_DATA:-./data}"
tools/install-dependencies.sh
swift build --product gatehouse
gatehouse="$(swift build --show-bin-path)/gatehouse"
"$gatehouse" config apply fixtures/wedsync.yaml --data "$data"
"$gatehouse" audit --data "$data"
"$gatehouse" log stats --data "$data"
