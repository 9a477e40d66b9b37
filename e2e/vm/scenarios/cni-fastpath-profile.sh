#!/bin/bash
# Where the time of a sriov ADD/DEL through the shim + daemon goes, in one guest boot (1 igb PF, 5
# VFs). A profiling aid, not judged by a test:
#   flock /work/wt/vm.lock e2e/vm/run-in-guest.sh --pfs 1 --timeout 1800 --out /tmp/fp-prof -- \
#     e2e/vm/scenarios/cni-fastpath-profile.sh [N] [JAVA_OPTS_B]
# with optional --env PROFILE_OTHER_TOP=DIR[:DIR2...] (other builds: checkouts with their bin/ and
# targets built, e.g. a copy of the tree before a change; profiled first, as C, E, F, G) and
# --env PROFILE_SCENARIO_FIRST=1 (run this checkout's cni-fastpath.sh 40 0 first, in the same boot,
# its evidence under $SRIOV_E2E_OUT/cni-fastpath, for CniFastpathE2E; needs --pfs 2);
# PROFILE_JFR=1 adds the daemon's JFR recording (settings=profile, <config>/daemon.jfr),
# PROFILE_STRACE=1 one ADD+DEL under strace -f (<config>/strace.txt): both slow the daemon down.
# Build first as for cni-fastpath.sh. For each daemon configuration (C, E...: the DIRs' builds;
# A: this checkout's; B: the same with JAVA_OPTS_B, e.g. -XX:TieredStopAtLevel=4 for C2, only when
# JAVA_OPTS_B is given; D: DIR's build with JAVA_OPTS_B, only with --env PROFILE_OTHER_B=1),
# it starts the daemon (GC log: <config>/gc.log), runs 3 warm-up rounds,
# then N (default 20) rounds of VERSION calls as a runtime makes them (env -i, CNI_* set, stdin):
# /bin/true (the bare exec), Debian's host-device (a Go plugin's start) and the shim (the round trip
# to the daemon), interleaved; then N ADD+DEL rounds, Debian's host-device (VF 2) and the shim +
# daemon (VF 3) interleaved, with the netconf at "logLevel":"debug" so the plugin logs its step times
# (CniLog.steps) to <config>/steps.log. Per call wall times (ms, one per line): <config>/true.ms,
# hd-version.ms, shim-version.ms, hd-add.ms, hd-del.ms, shim-add.ms, shim-del.ms; per round:
# host-device.ms, shim.ms; the daemon's own per-call times are its log's lines (<config>/daemon.err:
# ms= the plugin, total_ms= accept to answer written); the daemon's passes during the bench
# (drift re-checks the calls' link events cause): apply-count.before/after; its VmRSS/VmHWM at the end.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/cni-fastpath-profile"
N="${1:-20}"
OPTS_B="${2:-}"
rm -rf "$R"
mkdir -p "$R"
if [ "${PROFILE_SCENARIO_FIRST:-0}" = 1 ]; then
  "$(dirname "$0")/cni-fastpath.sh" 40 0 >"$SRIOV_E2E_OUT/scenario.out" \
    2>"$SRIOV_E2E_OUT/scenario.err"
  echo $? >"$SRIOV_E2E_OUT/scenario.rc"
fi
TOP="$(cd "$(dirname "$0")/../../.." && pwd)"
source "$(dirname "$0")/evidence.sh"
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'; }
SHIM=/opt/cni/bin/sriov
cni() { # cni PLUGIN COMMAND NETCONF [MS-FILE]: one call as a runtime makes it, its wall ms appended
  local t0=$EPOCHREALTIME
  printf '%s' "$3" | env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$2" \
    CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=net1 \
    CNI_PATH=/opt/cni/bin:/usr/lib/cni "$1" >>"$step_dir/calls.out" 2>>"$step_dir/calls.err"
  [ -n "${4:-}" ] && ms_since "$t0" >>"$step_dir/$4.ms"
  return 0
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

median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
applies() { curl -s --max-time 10 http://127.0.0.1:9808/metrics | sed -n 's/^sriov_apply_duration_seconds_count{[^}]*} //p' | paste -sd+ | bc; }
profile() { # profile NAME JAVA_OPTS [TOP: another build's checkout, default this one]
  step "$1"
  val java-opts "$2"
  local top="${3:-$TOP}"
  val top "$top"
  local t0 i pid opts="$2 -Xlog:gc:file=/tmp/gc-$1.log"
  local ours="{\"cniVersion\":\"1.0.0\",\"name\":\"fastpath\",\"type\":\"sriov\",\"deviceID\":\"${VFS[3]}\",\"logLevel\":\"debug\",\"logFile\":\"$step_dir/steps.log\"}"
  [ "${PROFILE_JFR:-0}" = 1 ] &&
    opts="$opts -XX:StartFlightRecording=filename=/tmp/daemon-$1.jfr,settings=profile,dumponexit=true"
  t0=$EPOCHREALTIME
  SRIOV_JAVA_OPTS="$opts" \
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
    cni /bin/true VERSION "" true
    cni /usr/lib/cni/host-device VERSION "" hd-version
    cni "$SHIM" VERSION "" shim-version
  done
  val apply-count.before "$(applies)"
  for ((i = 0; i < N; i++)); do
    cni /usr/lib/cni/host-device ADD "$HD" hd-add; cni /usr/lib/cni/host-device DEL "$HD" hd-del
    cni "$SHIM" ADD "$ours" shim-add; cni "$SHIM" DEL "$ours" shim-del
  done
  # a round: its ADD + its DEL
  paste -d+ "$step_dir/hd-add.ms" "$step_dir/hd-del.ms" | bc >"$step_dir/host-device.ms"
  paste -d+ "$step_dir/shim-add.ms" "$step_dir/shim-del.ms" | bc >"$step_dir/shim.ms"
  val apply-count.after "$(applies)"
  val load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
  val rss "$(grep -E '^Vm(RSS|HWM)' "/proc/$pid/status" | tr -s ' \t' ' ' | paste -sd' ')"
  if [ "${PROFILE_STRACE:-0}" = 1 ]; then
    strace -f -tt -T -o "$step_dir/strace.txt" -p "$pid" &
    local st=$!
    sleep 3
    cni "$SHIM" ADD "$ours"; cni "$SHIM" DEL "$ours"
    sleep 1
    kill -INT "$st"; wait "$st"
  fi
  kill -TERM "$pid"; wait "$pid"
  cp "/tmp/gc-$1.log" "$step_dir/gc.log" 2>/dev/null
  [ "${PROFILE_JFR:-0}" = 1 ] && cp "/tmp/daemon-$1.jfr" "$step_dir/daemon.jfr"
  for s in true hd-version shim-version hd-add hd-del shim-add shim-del host-device shim; do
    val "$s.median" "$(median "$step_dir/$s.ms")"
  done
}
if [ -n "${PROFILE_OTHER_TOP:-}" ]; then
  IFS=: read -ra others <<<"$PROFILE_OTHER_TOP"
  names=(C E F G)
  for k in "${!others[@]}"; do profile "${names[$k]}" "" "${others[$k]}"; done
  PROFILE_OTHER_TOP="${others[0]}"
  [ -n "$OPTS_B" ] && [ "${PROFILE_OTHER_B:-0}" = 1 ] && profile D "$OPTS_B" "$PROFILE_OTHER_TOP"
fi
profile A ""
[ -n "$OPTS_B" ] && profile B "$OPTS_B"
touch "$R/complete"
