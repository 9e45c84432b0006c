#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: install what is missing, build once, test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-dependencies.sh
swift build --build-tests
swift test --skip-build
