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

# One call of "$@" (CNI_COMMAND=VERSION, stdin /dev/null): its wall time in ms.
one() {
  local t0=$EPOCHREALTIME
  CNI_COMMAND=VERSION "$@" </dev/null >"$work/out" 2>/dev/null || { echo "$* failed: $(cat "$work/out")" >&2; exit 1; }
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", (b - a) * 1000 }'
}
# The three kinds interleaved, so load changes hit them alike; the shim's overhead per round is
# its time minus /bin/true's in the same round.
stats() { sort -n | awk -v label="$1" '{ v[NR] = $1 } END {
  printf "%-36s median %7.3f ms  p10 %7.3f  p90 %7.3f  (n=%d)\n", label, v[int((NR + 1) / 2)], v[int(NR * 0.1) + 1], v[int(NR * 0.9)], NR }'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
for ((i = 0; i < 20; i++)); do one /bin/true >/dev/null; one "$work/bin/sriov" >/dev/null; done # warm-up
: >"$work/true" ; : >"$work/shim" ; : >"$work/hd" ; : >"$work/overhead"
for ((i = 0; i < n; i++)); do
  t=$(one /bin/true); s=$(one "$work/bin/sriov")
  grep -q supportedVersions "$work/out" || { echo "shim-overhead: unexpected answer: $(cat "$work/out")" >&2; exit 1; }
  h=$(one /usr/lib/cni/host-device)
  echo "$t" >>"$work/true"; echo "$s" >>"$work/shim"; echo "$h" >>"$work/hd"
  awk -v a="$s" -v b="$t" 'BEGIN { printf "%.3f\n", a - b }' >>"$work/overhead"
done
stats "exec /bin/true" <"$work/true"
stats "host-device VERSION (Go)" <"$work/hd"
stats "shim -> CNI server VERSION" <"$work/shim"
stats "shim overhead (shim - true, per round)" <"$work/overhead"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
