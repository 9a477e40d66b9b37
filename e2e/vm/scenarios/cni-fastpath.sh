#!/bin/bash
# The CNI fast path on real igb VFs, in one guest boot (2 PFs, 4 VFs each):
#   e2e/vm/run-in-guest.sh --pfs 2 --timeout 1800 --out DIR -- e2e/vm/scenarios/cni-fastpath.sh [BENCH_N]
# The shim (cni-server/target/sriov-cni-shim) is installed as /opt/cni/bin/sriov, the standalone
# plugin (sriov-cni's jar) as /opt/cni/bin/sriov-standalone, and the daemon (bin/sriov-node, its CNI
# server on /var/run/sriov-node/cni.sock) serves the sriov plugin. Build first (on the host):
#   ./mvnw -B -o -q package -DskipTests -pl config-daemon-app,sriov-cni,cni-server -am
# Evidence under $SRIOV_E2E_OUT/cni-fastpath/<step>/ (NAME.out/.err/.rc per call, plain values);
# CniFastpathE2E judges it. Steps:
#   daemon-add-standalone-del, standalone-add-daemon-del: one path's DEL undoes the other's ADD;
#   daemon-stopped: the shim falls back to the standalone plugin;
#   daemon-killed: kill -9 of the daemon during an ADD (held in a slow IPAM plugin), then DEL;
#   bench: BENCH_N (default 20) ADD+DEL of one VF with host-device, the standalone plugin, the shim;
#   concurrent: 8 ADDs through the shim on 8 VFs at once, then 8 DELs.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/cni-fastpath"
N="${1:-20}"
rm -rf "$R"
mkdir -p "$R"
TOP="$(cd "$(dirname "$0")/../../.." && pwd)"
step_dir=""
T0=$(date +%s%N)
step() {
  step_dir="$R/$1"; mkdir -p "$step_dir"
  echo "== $1 (at $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
}
val() { printf '%s\n' "$2" >"$step_dir/$1"; }
netdev_of() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1; }
wait_for() { # wait_for SECONDS cmd...
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  until "$@"; do
    (( $(date +%s%N) < deadline )) || return 1
    sleep 0.1
  done
}
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

# cni NAME PLUGIN COMMAND CONTAINER IFNAME NETCONF: one CNI call as a runtime makes it; records
# NAME.out/.err/.rc and NAME.ms (wall time).
CNI_PATH_DIRS="/opt/cni/bin:/usr/lib/cni"
cni() {
  local name="$1" plugin="$2" command="$3" container="$4" ifname="$5" netconf="$6" t0
  t0=$EPOCHREALTIME
  printf '%s' "$netconf" | env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$command" \
    CNI_CONTAINERID="$container" CNI_NETNS="/var/run/netns/$container" CNI_IFNAME="$ifname" \
    CNI_PATH="$CNI_PATH_DIRS" "$plugin" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
  ms_since "$t0" >"$step_dir/$name.ms"
}
sriov_conf() { # sriov_conf VF_PCI [extra JSON members]
  printf '{"cniVersion":"1.0.0","name":"fastpath","type":"sriov","deviceID":"%s"%s}' "$1" "${2:-}"
}
# vf_state NAME VF_PCI PF_NETDEV VF_INDEX: where the VF's netdev is and its PF-side config
vf_state() {
  val "$1.host-netdev" "$(netdev_of "$2")"
  ip -j link show "$3" | tr -d '\n' >"$step_dir/$1.pf.json"
  val "$1.vf-index" "$4"
}

daemon_pid=""
start_daemon() {
  "$TOP/bin/sriov-node" --node-state "$WORK/node-state.yaml" --state-dir "$WORK/daemon-state" \
    --kubelet-dir "$WORK/kubelet" --log-level info >>"$R/daemon.out" 2>>"$R/daemon.err" &
  daemon_pid=$!
  local t0=$EPOCHREALTIME
  wait_for 300 test -S /var/run/sriov-node/cni.sock || { echo "daemon did not serve" >&2; return 1; }
  echo "daemon serving after $(ms_since "$t0") ms" >>"$R/daemon.starts"
}

WORK=/tmp/cni-fastpath
mkdir -p "$WORK" /opt/cni/bin /tmp/cni-ipam

# --- setup ------------------------------------------------------------------------------------------
step setup
mapfile -t PFS < <(cd /sys/bus/pci/drivers/igb && ls -d 0000:* | sort)
VFS=() VF_PF=() VF_IDX=()
for p in "${PFS[@]}"; do
  dev="$(netdev_of "$p")"
  ip link set "$dev" up
  echo 4 >"/sys/bus/pci/devices/$p/sriov_numvfs"
  for i in 0 1 2 3; do
    vf="$(basename "$(readlink "/sys/bus/pci/devices/$p/virtfn$i")")"
    VFS+=("$vf") VF_PF+=("$dev") VF_IDX+=("$i")
  done
done
for vf in "${VFS[@]}"; do wait_for 60 test -n "$(netdev_of "$vf")"; done
val vfs "${VFS[*]}"
for k in "${!VFS[@]}"; do val "vf$k.netdev" "$(netdev_of "${VFS[$k]}")"; done
cp "$TOP/cni-server/target/sriov-cni-shim" /opt/cni/bin/sriov
JDK="$("$TOP/bin/find-jdk")"
JAR="$(ls "$TOP"/sriov-cni/target/sriov-cni-*.jar | grep -v -e tests -e sources | head -1)"
cat >/opt/cni/bin/sriov-standalone <<EOF
#!/bin/sh
exec "$JDK/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR"
EOF
chmod +x /opt/cni/bin/sriov-standalone
# A slow IPAM plugin: holds an ADD for 4 s (so the daemon can be killed in the middle of it).
cat >/tmp/cni-ipam/slow-ipam <<'EOF'
#!/bin/sh
cat >/dev/null
case "$CNI_COMMAND" in
  ADD) sleep 4; printf '{"cniVersion":"1.0.0","ips":[{"address":"10.77.0.2/24"}]}' ;;
  VERSION) printf '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' ;;
esac
exit 0
EOF
chmod +x /tmp/cni-ipam/slow-ipam
# The daemon's desired state: PF 1 with the 4 VFs it already has, one netdevice pool (the embedded
# device plugin refuses to serve no pool at all, and the daemon then exits).
cat >"$WORK/node-state.yaml" <<EOF
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodeState
metadata:
  name: guest
spec:
  interfaces:
    - pciAddress: "${PFS[1]}"
      name: "${VF_PF[4]}"
      numVfs: 4
      vfGroups:
        - resourceName: igb_vf
          deviceType: netdevice
          vfRange: "0-3"
          policyName: igb
EOF
for k in $(seq 0 7); do ip netns add "pod$k"; done
ip netns add bench
start_daemon
val daemon-socket-mode "$(stat -c '%a %U' /var/run/sriov-node/cni.sock)"
val daemon-dir-mode "$(stat -c '%a %U' /var/run/sriov-node)"

# --- one path's DEL undoes the other's ADD ----------------------------------------------------------
step daemon-add-standalone-del
VF="${VFS[0]}" NET="$(netdev_of "${VFS[0]}")"
vf_state before "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"
cni add /opt/cni/bin/sriov ADD pod0 net1 "$(sriov_conf "$VF" ',"vlan":100,"spoofchk":"off"')"
ip -n pod0 -j link show net1 >"$step_dir/in-pod.json" 2>&1
vf_state added "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"
cni del /opt/cni/bin/sriov-standalone DEL pod0 net1 "$(sriov_conf "$VF" ',"vlan":100,"spoofchk":"off"')"
vf_state after "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"

step standalone-add-daemon-del
vf_state before "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"
cni add /opt/cni/bin/sriov-standalone ADD pod0 net1 "$(sriov_conf "$VF" ',"vlan":200')"
ip -n pod0 -j link show net1 >"$step_dir/in-pod.json" 2>&1
vf_state added "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"
cni del /opt/cni/bin/sriov DEL pod0 net1 "$(sriov_conf "$VF" ',"vlan":200')"
vf_state after "$VF" "${VF_PF[0]}" "${VF_IDX[0]}"

# --- the daemon stopped: the shim falls back --------------------------------------------------------
step daemon-stopped
kill -TERM "$daemon_pid"; wait "$daemon_pid"; echo $? >"$step_dir/daemon-exit.rc"
val socket-after-stop "$(test -e /var/run/sriov-node/cni.sock && echo present || echo absent)"
VF="${VFS[1]}"
vf_state before "$VF" "${VF_PF[1]}" "${VF_IDX[1]}"
cni add /opt/cni/bin/sriov ADD pod1 net1 "$(sriov_conf "$VF")"
ip -n pod1 -j link show net1 >"$step_dir/in-pod.json" 2>&1
cni del /opt/cni/bin/sriov DEL pod1 net1 "$(sriov_conf "$VF")"
vf_state after "$VF" "${VF_PF[1]}" "${VF_IDX[1]}"
start_daemon

# --- the daemon killed during an ADD ----------------------------------------------------------------
step daemon-killed
CNI_PATH_DIRS="/tmp/cni-ipam:/opt/cni/bin:/usr/lib/cni"
VF="${VFS[2]}"
vf_state before "$VF" "${VF_PF[2]}" "${VF_IDX[2]}"
CONF="$(sriov_conf "$VF" ',"vlan":300,"ipam":{"type":"slow-ipam"}')"
cni add /opt/cni/bin/sriov ADD pod2 net1 "$CONF" &
add_pid=$!
wait_for 60 pgrep -f slow-ipam >/dev/null
val ipam-running-when-killed "$(pgrep -f slow-ipam >/dev/null && echo yes || echo no)"
vf_state during "$VF" "${VF_PF[2]}" "${VF_IDX[2]}"
kill -KILL "$daemon_pid"; wait "$daemon_pid" 2>/dev/null
wait "$add_pid"
val socket-after-kill "$(test -S /var/run/sriov-node/cni.sock && echo stale || echo absent)"
cni del /opt/cni/bin/sriov DEL pod2 net1 "$CONF"
vf_state after "$VF" "${VF_PF[2]}" "${VF_IDX[2]}"
start_daemon
cni del-again /opt/cni/bin/sriov DEL pod2 net1 "$CONF"
CNI_PATH_DIRS="/opt/cni/bin:/usr/lib/cni"

# --- bench: ADD+DEL of one VF, N times each ---------------------------------------------------------
step bench
VF="${VFS[3]}" NET="$(netdev_of "${VFS[3]}")"
val n "$N"
val load-before "$(cut -d' ' -f1-3 /proc/loadavg)"
HD_CONF="{\"cniVersion\":\"1.0.0\",\"name\":\"hd\",\"type\":\"host-device\",\"device\":\"$NET\"}"
for ((i = 0; i < N; i++)); do
  t0=$EPOCHREALTIME
  cni "hd-add-$i" /usr/lib/cni/host-device ADD bench net1 "$HD_CONF"
  cni "hd-del-$i" /usr/lib/cni/host-device DEL bench net1 "$HD_CONF"
  ms_since "$t0" >>"$step_dir/host-device.ms"
done
for ((i = 0; i < N; i++)); do
  t0=$EPOCHREALTIME
  cni "shim-add-$i" /opt/cni/bin/sriov ADD bench net1 "$(sriov_conf "$VF")"
  cni "shim-del-$i" /opt/cni/bin/sriov DEL bench net1 "$(sriov_conf "$VF")"
  ms_since "$t0" >>"$step_dir/shim.ms"
done
for ((i = 0; i < N; i++)); do
  t0=$EPOCHREALTIME
  cni "sa-add-$i" /opt/cni/bin/sriov-standalone ADD bench net1 "$(sriov_conf "$VF")"
  cni "sa-del-$i" /opt/cni/bin/sriov-standalone DEL bench net1 "$(sriov_conf "$VF")"
  ms_since "$t0" >>"$step_dir/standalone.ms"
done
val load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
val host-netdev-after "$(netdev_of "$VF")"

# --- concurrent: 8 ADDs on 8 VFs through the shim at once -------------------------------------------
step concurrent
t0=$EPOCHREALTIME
for k in $(seq 0 7); do cni "add-$k" /opt/cni/bin/sriov ADD "pod$k" net1 "$(sriov_conf "${VFS[$k]}")" & done
wait
ms_since "$t0" >"$step_dir/adds.wall.ms"
for k in $(seq 0 7); do ip -n "pod$k" -j link show net1 >"$step_dir/in-pod-$k.json" 2>&1; done
t0=$EPOCHREALTIME
for k in $(seq 0 7); do cni "del-$k" /opt/cni/bin/sriov DEL "pod$k" net1 "$(sriov_conf "${VFS[$k]}")" & done
wait
ms_since "$t0" >"$step_dir/dels.wall.ms"
for k in $(seq 0 7); do val "vf$k.host-netdev" "$(netdev_of "${VFS[$k]}")"; done

kill -TERM "$daemon_pid"; wait "$daemon_pid"
touch "$R/complete"
echo "done at $(( ($(date +%s%N) - T0) / 1000000 )) ms"
