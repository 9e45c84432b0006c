#!/usr/bin/env bash
# The release build every benchmark, load test and deployment uses: all modules — SwiftNIO's
# included — compiled without runtime exclusivity checks, which cost the proxy 5–7 % of its
# requests/s (tools/bench-ab.sh, 2026-11-27), and linked with ThinLTO, which lets LLVM inline
# across modules — SwiftNIO's channel machinery into Gatehouse's handlers — for +5–6 % requests/s
# (tools/bench-ab.sh, both orders, 2026-11-29). Debug builds, which the tests run, keep the checks
# and link as usual. The Swift runtime, standard library and Foundation are linked statically
# (--static-swift-stdlib): the runtime's calls — swift_retain, swift_release, hundreds a
# request — become direct calls within the binary, which the layout below also places: +4.3–4.7 %
# requests/s (tools/bench-ab.sh, both orders, 2026-11-29). Package.swift adds, for the
# request-path modules' release builds, lifetimes left to the optimizer (no lexical lifetimes: a
# sixth fewer atomic retains and releases a request).
#
# ThinLTO's link maps every module's object at once, more memory areas than Linux's default
# limit (vm.max_map_count 65,530: lld fails with "Cannot allocate memory"), so the limit is
# raised when it is lower (root only, as the benchmarks are). Its cache keeps a relink after a
# change to one module to that module's code.
#
# The gatehouse binary's functions are laid out by the call graph of a profile of the
# benchmarks' workloads (tools/code-layout.txt, made by tools/code-layout.sh; lld's
# --call-graph-ordering-file): the functions a request runs through sit together, hottest
# first, instead of spread over the whole text — +2–3 % requests/s (tools/bench-ab.sh, both
# orders, 2026-11-29). Functions the file does not name keep their default place.
#
#   tools/build-release.sh [PRODUCT …]     (default: gatehouse) → .build/release/PRODUCT
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(cat /proc/sys/vm/max_map_count)" -lt 1048576 ]; then sysctl -q -w vm.max_map_count=1048576; fi
for product in "${@:-gatehouse}"; do
  layout=()
  if [ "$product" = gatehouse ] && [ -s tools/code-layout.txt ]; then
    # Named by its content: the linker's arguments change when the file does, so it relinks.
    ordering=.build/code-layout-$(sha256sum tools/code-layout.txt | cut -c1-16).txt
    [ -f "$ordering" ] || cp tools/code-layout.txt "$ordering"
    layout=(-Xlinker "--call-graph-ordering-file=$ordering" -Xlinker --no-warn-symbol-ordering)
  fi
  swift build -c release -Xswiftc -enforce-exclusivity=unchecked --experimental-lto-mode=thin --static-swift-stdlib \
    -Xlinker --thinlto-cache-dir=.build/thinlto-cache "${layout[@]}" --product "$product"
done
