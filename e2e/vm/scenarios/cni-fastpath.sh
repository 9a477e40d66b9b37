#!/bin/bash
# The CNI fast path on real igb VFs, in one guest boot (2 PFs, 5 VFs each; PF 0's VF 4 on vfio-pci):
#   e2e/vm/run-in-guest.sh --pfs 2 --timeout 2400 --out DIR -- e2e/vm/scenarios/cni-fastpath.sh [N] [N_STANDALONE]
# (CniFastpathE2E passes 20 0: the standalone calls it times are the fallback steps' ones)
# The shim (cni-server/target/sriov-cni-shim) is installed as /opt/cni/bin/sriov and /opt/cni/bin/bond,
# the standalone plugins (bin/cni/sriov, bin/cni/bond) as /opt/cni/bin/{sriov,bond}-standalone, and the
# daemon (bin/sriov-node, its CNI server on /var/run/sriov-node/cni.sock) runs with an EMPTY desired
# state (a node no policy selects yet: it serves CNI calls all the same). Build first (on the host):
#   ./mvnw -B -o -q package -DskipTests -pl config-daemon-app,sriov-cni,sriov-bond,cni-server -am
# Evidence under $SRIOV_E2E_OUT/cni-fastpath/<step>/ (per CNI call NAME.out/.err/.rc, NAME.ms its wall
# time, NAME.t0/.t1 its start and end in epoch seconds; plain values); CniFastpathE2E judges it. Steps:
#   matrix: through the shim to the daemon: kernel VF ADD/CHECK/DEL (vlan, qos, mac, spoofchk, trust,
#     host-local IPAM), vfio-pci VF ADD/CHECK/DEL, an active-backup bond of a VF of each PF;
#   cross: ADD via the daemon; daemon stopped (SIGTERM): ADD through the shim falls back to the
#     standalone plugin, DEL of the daemon's ADD through the fallback; daemon started: DEL of the
#     standalone ADD through the daemon;
#   bench: N (default 20) ADD+DEL with Debian's host-device and the shim + daemon on the same VF
#     (PF 0's VF 3), interleaved, the order alternating each round, without IPAM (with host-local on
#     both sides under BENCH_IPAM=1);
#     N_STANDALONE (default 1: each standalone call, a JVM start, takes 60-100 s in this TCG guest)
#     with the standalone plugin;
#   concurrent: 8 ADDs through the shim on 8 VFs (4 per PF) at once, then 8 DELs; again with an IPAM
#     plugin holding each ADD 3 s (serialized they would take 24 s or more);
#   killed (last: no daemon restart after it): kill -9 of the daemon during an ADD (held in a slow
#     IPAM plugin); the next DEL (the shim's fallback: a stale socket) restores the VF.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/cni-fastpath"
N="${1:-20}"
N_SA="${2:-1}"
rm -rf "$R"
mkdir -p "$R"
TOP="$(cd "$(dirname "$0")/../../.." && pwd)"
# shared: step, rec, val, netdev_of, wait_for
source "$(dirname "$0")/evidence.sh"
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'; }
SOCKET=/var/run/sriov-node/cni.sock

# cni NAME PLUGIN COMMAND CONTAINER IFNAME NETCONF: one CNI call as a runtime makes it (env -i, CNI_*,
# netconf on stdin); records NAME.out/.err/.rc, NAME.ms (wall time), NAME.t0/.t1 (start, end).
CNI_PATH_DIRS="/opt/cni/bin:/usr/lib/cni"
cni() {
  local name="$1" plugin="$2" command="$3" container="$4" ifname="$5" netconf="$6" t0
  t0=$EPOCHREALTIME
  printf '%s' "$netconf" | env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$command" \
    CNI_CONTAINERID="$container" CNI_NETNS="/var/run/netns/$container" CNI_IFNAME="$ifname" \
    CNI_PATH="$CNI_PATH_DIRS" "$plugin" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
  printf '%s\n' "$EPOCHREALTIME" >"$step_dir/$name.t1"
  printf '%s\n' "$t0" >"$step_dir/$name.t0"
  ms_since "$t0" >"$step_dir/$name.ms"
}
SHIM=/opt/cni/bin/sriov BOND=/opt/cni/bin/bond SA=/opt/cni/bin/sriov-standalone
sriov_conf() { # sriov_conf VF_PCI [extra JSON members]
  printf '{"cniVersion":"1.0.0","name":"fastpath","type":"sriov","deviceID":"%s"%s}' "$1" "${2:-}"
}
# vf_state NAME K: where VF K's netdev is and its PF-side config (the PF's vfinfo, the VF's index)
vf_state() {
  val "$1.host-netdev" "$(netdev_of "${VFS[$2]}")"
  # the VF's own MAC as its host netdev has it (empty while the VF is in a pod)
  val "$1.host-mac" "$(cat "/sys/class/net/$(netdev_of "${VFS[$2]}")/address" 2>/dev/null)"
  ip -j link show "${VF_PF[$2]}" | tr -d '\n' >"$step_dir/$1.pf.json"
  val "$1.vf-index" "${VF_IDX[$2]}"
}

# served: the daemon answers on the socket (a probe shim with no standalone plugin to fall back to:
# a killed daemon's stale socket file does not count)
served() { CNI_COMMAND=VERSION /tmp/cni-probe/sriov </dev/null >/dev/null 2>&1; }
daemon_pid=""
start_daemon() { # start_daemon: records daemon.starts (ms from exec to the first answer)
  local t0=$EPOCHREALTIME
  "$TOP/bin/sriov-node" --node-state "$WORK/node-state.yaml" --state-dir "$WORK/daemon-state" \
    --kubelet-dir "$WORK/kubelet" --log-level info >>"$R/daemon.out" 2>>"$R/daemon.err" &
  daemon_pid=$!
  if wait_for 600 served; then
    ms_since "$t0" >>"$R/daemon.starts"
  else
    echo "daemon did not serve within 600 s" >&2
  fi
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
done
for p in "${PFS[@]}"; do wait_for 10 grep -qx 1 "/sys/class/net/$(netdev_of "$p")/carrier"; done
for p in "${PFS[@]}"; do
  dev="$(netdev_of "$p")"
  echo 5 >"/sys/bus/pci/devices/$p/sriov_numvfs"
  for i in 0 1 2 3 4; do
    VFS+=("$(basename "$(readlink "/sys/bus/pci/devices/$p/virtfn$i")")") VF_PF+=("$dev") VF_IDX+=("$i")
  done
done
# K: 0-4 PF 0's VFs 0-4, 5-9 PF 1's VFs 0-4
for vf in "${VFS[@]}"; do wait_for 60 test -n "$(netdev_of "$vf")"; done
VFIO=4
printf vfio-pci >"/sys/bus/pci/devices/${VFS[$VFIO]}/driver_override"
printf '%s' "${VFS[$VFIO]}" >"/sys/bus/pci/devices/${VFS[$VFIO]}/driver/unbind"
printf '%s' "${VFS[$VFIO]}" >/sys/bus/pci/drivers/vfio-pci/bind
val vfio-driver "$(basename "$(readlink "/sys/bus/pci/devices/${VFS[$VFIO]}/driver")")"
val vfs "${VFS[*]}"
NETDEVS=()
for k in "${!VFS[@]}"; do NETDEVS+=("$(netdev_of "${VFS[$k]}")"); val "vf$k.netdev" "${NETDEVS[$k]}"; done
cp "$TOP/cni-server/target/sriov-cni-shim" "$SHIM"
ln "$SHIM" "$BOND"
mkdir -p /tmp/cni-probe
cp "$SHIM" /tmp/cni-probe/sriov
echo standalone_dir=/nonexistent >/tmp/cni-probe/sriov-cni-shim.conf
val shim-ldd "$(ldd "$SHIM" 2>&1 | tr -d '\t')"
for p in sriov bond; do
  printf '#!/bin/sh\nexec "%s/bin/cni/%s" "$@"\n' "$TOP" "$p" >"/opt/cni/bin/$p-standalone"
  chmod +x "/opt/cni/bin/$p-standalone"
done
# An IPAM plugin that holds ADD for "hold" seconds of its netconf's ipam object (4 by default).
cat >/tmp/cni-ipam/slow-ipam <<'EOF'
#!/bin/sh
conf="$(cat)"
hold="$(printf '%s' "$conf" | sed -n 's/.*"hold": *\([0-9]*\).*/\1/p')"
case "$CNI_COMMAND" in
  ADD) sleep "${hold:-4}"; printf '{"cniVersion":"1.0.0","ips":[{"address":"10.77.0.2/24"}]}' ;;
  VERSION) printf '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' ;;
esac
exit 0
EOF
chmod +x /tmp/cni-ipam/slow-ipam
# The daemon's desired state: empty (no policy selects this node yet).
cat >"$WORK/node-state.yaml" <<'EOF'
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodeState
metadata:
  name: guest
spec: {}
EOF
for ns in pod0 pod1 pod2 pod3 pod4 pod5 pod6 pod7 pod-bond pod-a pod-c pod-k bench; do
  ip netns add "$ns"
done
start_daemon
val daemon-socket-mode "$(stat -c '%a %U' "$SOCKET")"
val daemon-dir-mode "$(stat -c '%a %U' "$(dirname "$SOCKET")")"

# --- matrix: the sriov and bond plugins through the shim, served by the daemon ----------------------
step matrix
IPAM='"ipam":{"type":"host-local","subnet":"10.56.1.0/24","dataDir":"/run/cni-ipam"}'
FULL=',"vlan":100,"vlanQoS":3,"mac":"02:11:22:33:44:55","spoofchk":"off","trust":"on",'"$IPAM"
vf_state kernel.before 0
cni kernel-add "$SHIM" ADD pod0 net1 "$(sriov_conf "${VFS[0]}" "$FULL")"
vf_state kernel.added 0
ip -n pod0 -j -d link show net1 >"$step_dir/kernel.in-pod.json" 2>&1
ip -n pod0 -j addr show net1 >"$step_dir/kernel.in-pod-addr.json" 2>&1
cni kernel-check "$SHIM" CHECK pod0 net1 "$(sriov_conf "${VFS[0]}" "$FULL,\"prevResult\":$(cat "$step_dir/kernel-add.out")")"
cni kernel-del "$SHIM" DEL pod0 net1 "$(sriov_conf "${VFS[0]}" "$FULL")"
vf_state kernel.after 0
V=',"vlan":200,"mac":"02:00:00:00:00:33","spoofchk":"off"'
vf_state vfio.before $VFIO
cni vfio-add "$SHIM" ADD pod1 net1 "$(sriov_conf "${VFS[$VFIO]}" "$V")"
vf_state vfio.added $VFIO
cni vfio-check "$SHIM" CHECK pod1 net1 "$(sriov_conf "${VFS[$VFIO]}" "$V,\"prevResult\":$(cat "$step_dir/vfio-add.out")")"
cni vfio-del "$SHIM" DEL pod1 net1 "$(sriov_conf "${VFS[$VFIO]}" "$V")"
vf_state vfio.after $VFIO
# bond: PF 0's VF 1 and PF 1's VF 1 into pod-bond (sriov, through the shim), bonded in it (bond,
# through the shim), then DEL in reverse order
vf_state bond-a.before 1; vf_state bond-b.before 6
cni bond-sriov-a-add "$SHIM" ADD pod-bond net1 "$(sriov_conf "${VFS[1]}")"
cni bond-sriov-b-add "$SHIM" ADD pod-bond net2 "$(sriov_conf "${VFS[6]}")"
BOND_CONF='{"cniVersion":"1.0.0","name":"fastpath-bond","type":"bond","mode":"active-backup","miimon":"100","linksInContainer":true,"links":[{"name":"net1"},{"name":"net2"}]}'
cni bond-add "$BOND" ADD pod-bond bond0 "$BOND_CONF"
val bond.slaves "$(ip netns exec pod-bond cat /sys/class/net/bond0/bonding/slaves 2>&1)"
val bond.mode "$(ip netns exec pod-bond cat /sys/class/net/bond0/bonding/mode 2>&1)"
cni bond-check "$BOND" CHECK pod-bond bond0 "${BOND_CONF%\}},\"prevResult\":$(cat "$step_dir/bond-add.out")}"
cni bond-del "$BOND" DEL pod-bond bond0 "$BOND_CONF"
val bond.links-after "$(ip -n pod-bond -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')"
cni bond-sriov-b-del "$SHIM" DEL pod-bond net2 "$(sriov_conf "${VFS[6]}")"
cni bond-sriov-a-del "$SHIM" DEL pod-bond net1 "$(sriov_conf "${VFS[1]}")"
vf_state bond-a.after 1; vf_state bond-b.after 6

# --- cross: one path's DEL undoes the other's ADD; the daemon stopped ---------------------------------
step cross
A_CONF="$(sriov_conf "${VFS[2]}" ',"vlan":101,"spoofchk":"off"')"
C_CONF="$(sriov_conf "${VFS[7]}" ',"vlan":102,"trust":"on"')"
vf_state a.before 2; vf_state c.before 7
cni a-add "$SHIM" ADD pod-a net1 "$A_CONF"
vf_state a.added 2
kill -TERM "$daemon_pid"; wait "$daemon_pid"; echo $? >"$step_dir/daemon-exit.rc"
val socket-after-stop "$(test -e "$SOCKET" && echo present || echo absent)"
cni c-add "$SHIM" ADD pod-c net1 "$C_CONF"
ip -n pod-c -j link show net1 >"$step_dir/c.in-pod.json" 2>&1
vf_state c.added 7
cni a-del "$SHIM" DEL pod-a net1 "$A_CONF"
vf_state a.after 2
start_daemon
cni c-del "$SHIM" DEL pod-c net1 "$C_CONF"
vf_state c.after 7

# --- bench: ADD+DEL rounds, host-device and ours on the same VF (PF 0's VF 3) ------------------------
step bench
val n "$N"; val n-standalone "$N_SA"
val load-before "$(cut -d' ' -f1-3 /proc/loadavg)"
# BENCH_IPAM=1 (run-in-guest.sh --env): both sides delegate to host-local (one ADD and one DEL of
# it a round): the IPAM start (Go's exec against the daemon's posix_spawn) is then in the figures
BENCH_EXTRA=""
if [ "${BENCH_IPAM:-0}" = 1 ]; then
  BENCH_EXTRA=',"ipam":{"type":"host-local","subnet":"10.56.9.0/24","dataDir":"/run/cni-ipam-bench"}'
fi
val ipam "${BENCH_IPAM:-0}"
HD_CONF="{\"cniVersion\":\"1.0.0\",\"name\":\"hd\",\"type\":\"host-device\",\"pciBusID\":\"${VFS[3]}\"$BENCH_EXTRA}"
OURS="$(sriov_conf "${VFS[3]}" "$BENCH_EXTRA")"
round() { # round SERIES PREFIX PLUGIN NETCONF I
  local t0=$EPOCHREALTIME
  cni "$2-add-$5" "$3" ADD bench net1 "$4"
  cni "$2-del-$5" "$3" DEL bench net1 "$4"
  ms_since "$t0" >>"$step_dir/$1.ms"
}
# host-device and the shim interleaved on the one VF, so load changes hit both alike; the order
# alternates (even rounds host-device first), so neither always follows the other's DEL
for ((i = 0; i < N; i++)); do
  if ((i % 2 == 0)); then
    round host-device hd /usr/lib/cni/host-device "$HD_CONF" "$i"
    round shim shim "$SHIM" "$OURS" "$i"
  else
    round shim shim "$SHIM" "$OURS" "$i"
    round host-device hd /usr/lib/cni/host-device "$HD_CONF" "$i"
  fi
done
for ((i = 0; i < N_SA; i++)); do round standalone sa "$SA" "$OURS" "$i"; done
val load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
val vf3.host-netdev-after "$(netdev_of "${VFS[3]}")"

# --- concurrent: 8 ADDs through the shim on 8 VFs at once --------------------------------------------
CONC=(0 1 2 3 5 6 7 8)
concurrent() { # concurrent EXTRA-JSON (waits for its own calls only: the daemon is a child too)
  local t0 j pids=()
  t0=$EPOCHREALTIME
  for j in "${!CONC[@]}"; do
    cni "add-$j" "$SHIM" ADD "pod$j" net1 "$(sriov_conf "${VFS[${CONC[$j]}]}" "$1")" &
    pids+=($!)
  done
  wait "${pids[@]}"
  ms_since "$t0" >"$step_dir/adds.wall.ms"
  for j in "${!CONC[@]}"; do ip -n "pod$j" -j link show net1 >"$step_dir/in-pod-$j.json" 2>&1; done
  t0=$EPOCHREALTIME
  pids=()
  for j in "${!CONC[@]}"; do
    cni "del-$j" "$SHIM" DEL "pod$j" net1 "$(sriov_conf "${VFS[${CONC[$j]}]}" "$1")" &
    pids+=($!)
  done
  wait "${pids[@]}"
  ms_since "$t0" >"$step_dir/dels.wall.ms"
  for j in "${!CONC[@]}"; do
    val "vf$j.host-netdev" "$(netdev_of "${VFS[${CONC[$j]}]}")"
    val "vf$j.setup-netdev" "${NETDEVS[${CONC[$j]}]}"
  done
}
step concurrent
concurrent ""
step concurrent-held
CNI_PATH_DIRS="/tmp/cni-ipam:/opt/cni/bin:/usr/lib/cni"
val hold-s 3
concurrent ',"ipam":{"type":"slow-ipam","hold":3}'
CNI_PATH_DIRS="/opt/cni/bin:/usr/lib/cni"

# --- killed: kill -9 of the daemon during an ADD --------------------------------------------------------
step killed
CNI_PATH_DIRS="/tmp/cni-ipam:/opt/cni/bin:/usr/lib/cni"
K_CONF="$(sriov_conf "${VFS[8]}" ',"vlan":300,"ipam":{"type":"slow-ipam","hold":6}')"
vf_state before 8
cni add "$SHIM" ADD pod-k net1 "$K_CONF" &
add_pid=$!
wait_for 120 pgrep -f slow-ipam >/dev/null
val ipam-running-when-killed "$(pgrep -f slow-ipam >/dev/null && echo yes || echo no)"
vf_state during 8
kill -KILL "$daemon_pid"; wait "$daemon_pid" 2>/dev/null
wait "$add_pid"
val socket-after-kill "$(test -S "$SOCKET" && echo stale || echo absent)"
cni del "$SHIM" DEL pod-k net1 "$K_CONF"
vf_state after 8

grep -c 'CNI call plugin=' "$R/daemon.err" >"$R/daemon-calls"
touch "$R/complete"
echo "done at $(( ($(date +%s%N) - T0) / 1000000 )) ms"
