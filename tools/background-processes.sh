# Sourced by the benchmark and load-test scripts: a scratch folder in $work and a `pids` list;
# every process whose pid is added is killed, and the folder removed, when the script exits.
#   source tools/background-processes.sh NAME
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d "/tmp/gatehouse-$1.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
