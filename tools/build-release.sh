#!/usr/bin/env bash
# The release build every benchmark, load test and deployment uses: all modules — SwiftNIO's
# included — compiled without runtime exclusivity checks, which cost the proxy 5–7 % of its
# requests/s (tools/bench-ab.sh, 2026-11-27). Debug builds, which the tests run, keep the checks.
# Package.swift adds, for the request-path modules' release builds, lifetimes left to the
# optimizer (no lexical lifetimes: a sixth fewer atomic retains and releases a request).
#
#   tools/build-release.sh [PRODUCT …]     (default: gatehouse) → .build/release/PRODUCT
set -euo pipefail
cd "$(dirname "$0")/.."
for product in "${@:-gatehouse}"; do
  swift build -c release -Xswiftc -enforce-exclusivity=unchecked --product "$product"
done
