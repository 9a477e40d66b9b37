#!/usr/bin/env bash
# The shim's own cost on this host: N calls of CNI VERSION (no plugin work) through the built shim
# and a serving sriov-node (its CNI server on the SIMULATED node), against the bare cost of
# exec'ing a static binary (/bin/true) and a Go CNI plugin's VERSION (Debian's host-device), so
#   shim overhead = median(shim -> server -> CniRunner -> answer) - median(exec /bin/true).
# Root (the server answers root only). Build first: ./mvnw -B -o -q package -DskipTests -pl config-daemon-app -am
#   cni-server/bench/shim-overhead.sh [N]       (default 200)
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-200}"
shim="$top/cni-server/target/sriov-cni-shim"
[ -x "$shim" ] || { echo "shim-overhead: $shim missing: build first" >&2; exit 1; }
work="$(mktemp -d /tmp/shim-overhead.XXXXXX)"
daemon=""
cleanup() { [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/bin"
cp "$shim" "$work/bin/sriov"
echo "socket=$work/run/cni.sock" >"$work/bin/sriov-cni-shim.conf"
"$top/bin/sriov-node" --simulated-node --state-dir "$work/state" --kubelet-dir "$work/kubelet" \
  --cni-socket "$work/run/cni.sock" --log-level warn >"$work/daemon.out" 2>"$work/daemon.err" &
daemon=$!
for _ in $(seq 600); do [ -S "$work/run/cni.sock" ] && break; sleep 0.1; done
[ -S "$work/run/cni.sock" ] || { echo "shim-overhead: the daemon did not serve; its stderr:" >&2; cat "$work/daemon.err" >&2; exit 1; }

# median and p90 in ms of N runs of "$@" (stdin from /dev/null, CNI_COMMAND=VERSION)
measure() {
  local label="$1"; shift
  local i t0 t1 times=()
  for ((i = 0; i < 20; i++)); do CNI_COMMAND=VERSION "$@" </dev/null >/dev/null 2>&1 || true; done # warm-up
  for ((i = 0; i < n; i++)); do
    t0=$EPOCHREALTIME
    CNI_COMMAND=VERSION "$@" </dev/null >"$work/out" 2>/dev/null || { echo "$label failed: $(cat "$work/out")" >&2; exit 1; }
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '{ v[NR] = $1 } END {
    printf "%-34s median %7.3f ms  p90 %7.3f ms  (n=%d)\n", label, v[int((NR + 1) / 2)], v[int(NR * 0.9)], NR }'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
measure "exec /bin/true" /bin/true
measure "host-device VERSION (Go)" /usr/lib/cni/host-device
measure "shim -> CNI server VERSION" "$work/bin/sriov"
grep -q supportedVersions "$work/out" || { echo "shim-overhead: unexpected answer: $(cat "$work/out")" >&2; exit 1; }
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
