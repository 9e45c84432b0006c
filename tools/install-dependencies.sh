#!/usr/bin/env bash
# Installs the system packages Gatehouse builds and tests against (Debian/Ubuntu).
# Safe to run repeatedly: it installs only what is missing.
#   tools/install-dependencies.sh              build and test
#   tools/install-dependencies.sh --benchmark  also nginx (the baseline) and wrk (the load)
set -euo pipefail

packages=(liblmdb-dev lmdb-utils zlib1g-dev libisal-dev pkg-config curl openssl)
if [ "${1:-}" = "--benchmark" ]; then
  packages+=(nginx wrk)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# The admin API's OpenAPI document is checked by an independent validator (PyPI's
# openapi-spec-validator; Debian packages it too).
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  echo "installing: openapi-spec-validator"
  python3 -m pip install --quiet "openapi-spec-validator>=0.7" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "openapi-spec-validator>=0.7" 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-openapi-spec-validator; }
  python3 -c "import openapi_spec_validator"
fi

# Prometheus' own Python client parses the /metrics exposition in the tests.
if ! python3 -c "import prometheus_client" 2>/dev/null; then
  echo "installing: prometheus-client"
  python3 -m pip install --quiet "prometheus-client>=0.16" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "prometheus-client>=0.16" 2>/dev/null \
    || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-prometheus-client; }
  python3 -c "import prometheus_client"
fi
