#!/bin/bash
# Where the daemon-side time of a sriov ADD/DEL goes, in one guest boot (1 igb PF, 5 VFs). A
# profiling aid, not judged by a test:
#   flock /work/wt/vm.lock e2e/vm/run-in-guest.sh --pfs 1 --timeout 1800 --out /tmp/fp-prof -- \
#     e2e/vm/scenarios/cni-fastpath-profile.sh [N] [JAVA_OPTS_B]
# with optional --env PROFILE_OTHER_TOP=DIR (a second build: another checkout with its bin/ and
# targets built) and --env PROFILE_SCENARIO_FIRST=1 (run DIR's cni-fastpath.sh 20 0 first, in the same
# boot, its evidence under $SRIOV_E2E_OUT/cni-fastpath; needs --pfs 2).
# Build first as for cni-fastpath.sh. For each daemon configuration (C: DIR's build, when given;
# A: this checkout's; B and D: the same with JAVA_OPTS_B, e.g. -XX:TieredStopAtLevel=4 for C2, only
# when JAVA_OPTS_B is given), it starts the daemon,
# runs 3 warm-up rounds, then N (default 20) ADD+DEL rounds, Debian's host-device (VF 2) and the
# shim + daemon (VF 3) interleaved, with the netconf at "logLevel":"debug" so the plugin logs its
# step times (CniLog.steps) to $SRIOV_E2E_OUT/cni-fastpath-profile/<config>/steps.log, and the
# daemon's JFR recording (settings=profile) to <config>/daemon.jfr; then one ADD+DEL under strace -f
# (<config>/strace.txt). Summaries: <config>/{host-device,shim}.ms (one ADD+DEL per line, ms).
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/cni-fastpath-profile"
N="${1:-20}"
OPTS_B="${2:-}"
rm -rf "$R"
mkdir -p "$R"
if [ "${PROFILE_SCENARIO_FIRST:-0}" = 1 ] && [ -n "${PROFILE_OTHER_TOP:-}" ]; then
  "$PROFILE_OTHER_TOP/e2e/vm/scenarios/cni-fastpath.sh" 20 0 >"$SRIOV_E2E_OUT/scenario.out" \
    2>"$SRIOV_E2E_OUT/scenario.err"
  echo $? >"$SRIOV_E2E_OUT/scenario.rc"
fi
TOP="$(cd "$(dirname "$0")/../../.." && pwd)"
source "$(dirname "$0")/evidence.sh"
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'; }
SHIM=/opt/cni/bin/sriov
cni() { # cni PLUGIN COMMAND NETCONF
  printf '%s' "$3" | env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$2" \
    CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=net1 \
    CNI_PATH=/opt/cni/bin:/usr/lib/cni "$1" >>"$step_dir/calls.out" 2>>"$step_dir/calls.err"
}
served() { CNI_COMMAND=VERSION /tmp/cni-probe/sriov </dev/null >/dev/null 2>&1; }
WORK=/tmp/cni-fastpath
mkdir -p "$WORK" /opt/cni/bin /tmp/cni-probe

step setup
PF="$(cd /sys/bus/pci/drivers/igb && ls -d 0000:* | sort | head -n1)"
ip link set "$(netdev_of "$PF")" up
wait_for 10 grep -qx 1 "/sys/class/net/$(netdev_of "$PF")/carrier"
echo 5 >"/sys/bus/pci/devices/$PF/sriov_numvfs"
VFS=()
for i in 0 1 2 3 4; do VFS+=("$(basename "$(readlink "/sys/bus/pci/devices/$PF/virtfn$i")")"); done
for vf in "${VFS[@]}"; do wait_for 60 test -n "$(netdev_of "$vf")"; done
cp "$TOP/cni-server/target/sriov-cni-shim" "$SHIM"
cp "$SHIM" /tmp/cni-probe/sriov
echo standalone_dir=/nonexistent >/tmp/cni-probe/sriov-cni-shim.conf
printf '#!/bin/sh\nexec "%s/bin/cni/sriov" "$@"\n' "$TOP" >/opt/cni/bin/sriov-standalone
chmod +x /opt/cni/bin/sriov-standalone
printf '%s\n' 'apiVersion: sriovnetwork.openshift.io/v1' 'kind: SriovNetworkNodeState' \
  'metadata:' '  name: guest' 'spec: {}' >"$WORK/node-state.yaml"
ip netns add bench
HD="{\"cniVersion\":\"1.0.0\",\"name\":\"hd\",\"type\":\"host-device\",\"pciBusID\":\"${VFS[2]}\"}"

profile() { # profile NAME JAVA_OPTS [TOP: another build's checkout, default this one]
  step "$1"
  val java-opts "$2"
  local top="${3:-$TOP}"
  val top "$top"
  local t0 i pid
  local ours="{\"cniVersion\":\"1.0.0\",\"name\":\"fastpath\",\"type\":\"sriov\",\"deviceID\":\"${VFS[3]}\",\"logLevel\":\"debug\",\"logFile\":\"$step_dir/steps.log\"}"
  t0=$EPOCHREALTIME
  SRIOV_JAVA_OPTS="$2 -XX:StartFlightRecording=filename=$step_dir/daemon.jfr,settings=profile" \
    "$top/bin/sriov-node" --node-state "$WORK/node-state.yaml" --state-dir "$WORK/state-$1" \
    --kubelet-dir "$WORK/kubelet-$1" --log-level info >"$step_dir/daemon.out" 2>"$step_dir/daemon.err" &
  pid=$!
  wait_for 600 served || echo "daemon $1 did not serve" >&2
  ms_since "$t0" >"$step_dir/start.ms"
  for i in 1 2 3; do
    t0=$EPOCHREALTIME
    cni "$SHIM" ADD "$ours"; cni "$SHIM" DEL "$ours"
    ms_since "$t0" >>"$step_dir/warmup.ms"
  done
  val load-before "$(cut -d' ' -f1-3 /proc/loadavg)"
  for ((i = 0; i < N; i++)); do
    t0=$EPOCHREALTIME
    cni /usr/lib/cni/host-device ADD "$HD"; cni /usr/lib/cni/host-device DEL "$HD"
    ms_since "$t0" >>"$step_dir/host-device.ms"
    t0=$EPOCHREALTIME
    cni "$SHIM" ADD "$ours"; cni "$SHIM" DEL "$ours"
    ms_since "$t0" >>"$step_dir/shim.ms"
  done
  val load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
  strace -f -tt -T -o "$step_dir/strace.txt" -p "$pid" &
  local st=$!
  sleep 3
  cni "$SHIM" ADD "$ours"; cni "$SHIM" DEL "$ours"
  sleep 1
  kill -INT "$st"; wait "$st"
  kill -TERM "$pid"; wait "$pid"
  for s in host-device shim; do
    val "$s.median" "$(sort -n "$step_dir/$s.ms" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
  done
}
if [ -n "${PROFILE_OTHER_TOP:-}" ]; then
  profile C "" "$PROFILE_OTHER_TOP"
  [ -n "$OPTS_B" ] && profile D "$OPTS_B" "$PROFILE_OTHER_TOP"
fi
profile A ""
[ -n "$OPTS_B" ] && profile B "$OPTS_B"
touch "$R/complete"
