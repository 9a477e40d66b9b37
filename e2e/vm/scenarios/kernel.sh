#!/bin/bash
# Kernel-level SR-IOV scenarios, run in one guest boot (needs 2 igb PFs):
#   e2e/vm/run-in-guest.sh --pfs 2 --out DIR -- e2e/vm/scenarios/kernel.sh
# Every step records evidence under $SRIOV_E2E_OUT/kernel/<step>/: for each command NAME.out,
# NAME.err and NAME.rc (exit status), plus plain values. It does not judge: the host-side
# KernelScenariosE2E asserts on the evidence, so a failure names the exact step and value.
# Steps run in order on shared state (VFs created in one step are used by the next); a failing
# command is recorded and the script goes on.
set -uo pipefail
R="${SRIOV_E2E_OUT:?run this inside the guest (run-in-guest.sh)}/kernel"
rm -rf "$R"
mkdir -p "$R"
step_dir=""

T0=$(date +%s%N)
step() {
  step_dir="$R/$1"; mkdir -p "$step_dir"
  echo "== $1 (at $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
}
# rec NAME cmd...: runs cmd, recording stdout, stderr and exit status.
rec() {
  local name="$1"; shift
  "$@" >"$step_dir/$name.out" 2>"$step_dir/$name.err"
  echo $? >"$step_dir/$name.rc"
}
# val NAME VALUE: records a plain value.
val() { printf '%s\n' "$2" >"$step_dir/$1"; }
# sysw FILE VALUE: writes a sysfs file the way a program does (one write), so errors are errnos.
sysw() { printf '%s' "$2" >"$1"; }
netdev_of() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1; }
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
wait_for() { # wait_for SECONDS cmd...: polls every 0.1 s
  local n=$(( $1 * 10 )); shift
  for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# --- pfs: what the guest sees before any change ---------------------------------------------------
step pfs
mapfile -t PFS < <(cd /sys/bus/pci/drivers/igb && ls -d 0000:* | sort)
val list "${PFS[*]}"
for i in "${!PFS[@]}"; do
  p="${PFS[$i]}"
  val "pf$i.pci" "$p"
  val "pf$i.netdev" "$(netdev_of "$p")"
  val "pf$i.totalvfs" "$(cat "/sys/bus/pci/devices/$p/sriov_totalvfs")"
  val "pf$i.numvfs" "$(cat "/sys/bus/pci/devices/$p/sriov_numvfs")"
  val "pf$i.vendor-device" "$(cat "/sys/bus/pci/devices/$p/vendor") $(cat "/sys/bus/pci/devices/$p/device")"
done
rec lspci lspci -D -n
PF0="${PFS[0]}" PF1="${PFS[1]}"
PF0_DEV="$(netdev_of "$PF0")" PF1_DEV="$(netdev_of "$PF1")"

# --- vf-create: 4 VFs on PF 0, 2 on PF 1 (igbvf probes at ~2-5 s per VF under TCG) -------------
step vf-create
rec pf0-write sysw "/sys/bus/pci/devices/$PF0/sriov_numvfs" 4
rec pf1-write sysw "/sys/bus/pci/devices/$PF1/sriov_numvfs" 2
# igbvf probes asynchronously: wait until every VF has its netdev.
all_vf_netdevs() {
  local p v
  for p in "$PF0" "$PF1"; do
    for v in /sys/bus/pci/devices/$p/virtfn*; do [[ -d "$(readlink -f "$v")/net" ]] || return 1; done
  done
}
wait_for 30 all_vf_netdevs
for i in 0 1; do
  p="${PFS[$i]}"
  val "pf$i.numvfs" "$(cat "/sys/bus/pci/devices/$p/sriov_numvfs")"
  n=$(cat "/sys/bus/pci/devices/$p/sriov_numvfs")
  for ((v = 0; v < n; v++)); do
    vf="$(basename "$(readlink "/sys/bus/pci/devices/$p/virtfn$v")")"
    val "pf$i.vf$v.pci" "$vf"
    val "pf$i.vf$v.driver" "$(driver_of "$vf")"
    val "pf$i.vf$v.netdev" "$(netdev_of "$vf")"
    val "pf$i.vf$v.physfn" "$(basename "$(readlink "/sys/bus/pci/devices/$vf/physfn")")"
    val "pf$i.vf$v.vendor-device" "$(cat "/sys/bus/pci/devices/$vf/vendor") $(cat "/sys/bus/pci/devices/$vf/device")"
  done
done
rec lspci-vfs lspci -D -n -d 8086:10ca
rec ip-link ip -j -d link show

# Changing a non-zero VF count without going through 0 is refused; so is more than totalvfs.
step vf-count-errors
rec change-nonzero sysw "/sys/bus/pci/devices/$PF0/sriov_numvfs" 2
rec over-total sysw "/sys/bus/pci/devices/$PF1/sriov_numvfs" 8
rec not-a-number sysw "/sys/bus/pci/devices/$PF1/sriov_numvfs" abc
val pf0.numvfs "$(cat "/sys/bus/pci/devices/$PF0/sriov_numvfs")"
val pf1.numvfs "$(cat "/sys/bus/pci/devices/$PF1/sriov_numvfs")"

# --- vf-attrs: every VF attribute through `ip link set <pf> vf N ...`, one at a time ---------------
step vf-attrs
rec pf0-up ip link set "$PF0_DEV" up
wait_for 10 grep -qx 1 "/sys/class/net/$PF0_DEV/carrier"
val pf0.carrier "$(cat "/sys/class/net/$PF0_DEV/carrier" 2>/dev/null)"
rec mac ip link set "$PF0_DEV" vf 0 mac 02:11:22:33:44:55
rec vlan-qos ip link set "$PF0_DEV" vf 0 vlan 100 qos 3
rec spoofchk-off ip link set "$PF0_DEV" vf 0 spoofchk off
rec trust-on ip link set "$PF0_DEV" vf 0 trust on
rec max-tx-rate ip link set "$PF0_DEV" vf 1 max_tx_rate 100
rec min-tx-rate ip link set "$PF0_DEV" vf 1 min_tx_rate 10
rec link-state ip link set "$PF0_DEV" vf 1 state disable
rec query-rss ip link set "$PF0_DEV" vf 1 query_rss on
rec vf-out-of-range ip link set "$PF0_DEV" vf 7 mac 02:11:22:33:44:66
rec show ip -j -d link show "$PF0_DEV"
rec show-text ip -d link show "$PF0_DEV"
# The VF netdev takes the administrative MAC once the driver resets it.
VF00_DEV="$(netdev_of "$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn0")")")"
val vf0.netdev "$VF00_DEV"
# Reset to defaults.
rec reset ip link set "$PF0_DEV" vf 0 mac 00:00:00:00:00:00 vlan 0 spoofchk on trust off
rec reset-rate ip link set "$PF0_DEV" vf 1 max_tx_rate 0
rec show-after-reset ip -j -d link show "$PF0_DEV"

# --- vf-netdev: what the VF's own netdev accepts (sriov-cni configures it inside the pod) --------
step vf-netdev
VF="$(netdev_of "$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn0")")")"
val vf.netdev "$VF"
val address.before "$(cat "/sys/class/net/$VF/address")"
rec admin-mac ip link set "$PF0_DEV" vf 0 mac 02:aa:bb:cc:dd:01
rec up ip link set "$VF" up
sleep 1
val address.after-admin-mac "$(cat "/sys/class/net/$VF/address")"
rec own-mac ip link set "$VF" address 02:aa:bb:cc:dd:02
val address.after-own-mac "$(cat "/sys/class/net/$VF/address")"
rec down ip link set "$VF" down
rec mtu-9000 ip link set "$VF" mtu 9000
val mtu.9000 "$(cat "/sys/class/net/$VF/mtu")"
rec mtu-1500 ip link set "$VF" mtu 1500
rec vlan-subif ip link add link "$VF" name "$VF.100" type vlan id 100
rec admin-mac-reset ip link set "$PF0_DEV" vf 0 mac 00:00:00:00:00:00

# --- vfio: bind a VF to vfio-pci and back ---------------------------------------------------------
step vfio
VF="$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn1")")"
val vf.pci "$VF"
val driver.before "$(driver_of "$VF")"
val iommu_group "$(basename "$(readlink "/sys/bus/pci/devices/$VF/iommu_group")")"
rec override sysw "/sys/bus/pci/devices/$VF/driver_override" vfio-pci
rec unbind sysw "/sys/bus/pci/devices/$VF/driver/unbind" "$VF"
rec bind sysw /sys/bus/pci/drivers/vfio-pci/bind "$VF"
val driver.bound "$(driver_of "$VF")"
val netdev.bound "$(netdev_of "$VF")"
rec dev-vfio ls /dev/vfio
rec clear-override sysw "/sys/bus/pci/devices/$VF/driver_override" $'\n'
rec unbind-vfio sysw /sys/bus/pci/drivers/vfio-pci/unbind "$VF"
rec probe sysw /sys/bus/pci/drivers_probe "$VF"
wait_for 10 test -n "$(netdev_of "$VF")"
val driver.after "$(driver_of "$VF")"
val netdev.after "$(netdev_of "$VF")"
val override.after "$(cat "/sys/bus/pci/devices/$VF/driver_override")"
rec bind-unknown-device sysw /sys/bus/pci/drivers/vfio-pci/bind 0000:00:1e.7

# --- netns: move a VF netdev into a named namespace and back --------------------------------------
step netns
VF="$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn2")")"
DEV="$(netdev_of "$VF")"
val vf.netdev "$DEV"
rec add ip netns add e2e-ns
rec move ip link set "$DEV" netns e2e-ns
rec in-ns ip -n e2e-ns -j link show
rec in-host ip -j link show
val sysfs-net-in-ns "$(ls "/sys/bus/pci/devices/$VF/net" 2>/dev/null)"
rec back ip -n e2e-ns link set "$DEV" netns 1
rec in-host-after ip -j link show "$DEV"
rec del ip netns del e2e-ns

# --- bond: active-backup bond of a VF of each PF --------------------------------------------------
step bond
A="$(netdev_of "$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn3")")")"
B="$(netdev_of "$(basename "$(readlink "/sys/bus/pci/devices/$PF1/virtfn0")")")"
val slaves.wanted "$A $B"
rec bonds-at-load cat /sys/class/net/bonding_masters
rec add ip link add e2ebond type bond mode active-backup miimon 100
rec enslave-a ip link set "$A" master e2ebond
rec enslave-b ip link set "$B" master e2ebond
rec up ip link set e2ebond up
rec show ip -j -d link show e2ebond
val slaves "$(cat /sys/class/net/e2ebond/bonding/slaves 2>/dev/null)"
val mode "$(cat /sys/class/net/e2ebond/bonding/mode 2>/dev/null)"
val a.master "$(basename "$(readlink "/sys/class/net/$A/master")")"
rec del ip link del e2ebond
val a.master.after "$(basename "$(readlink "/sys/class/net/$A/master" 2>/dev/null)" 2>/dev/null)"

# --- carrier: QEMU set_link off/on on PF 1 as seen by the guest ------------------------------------
step carrier
rec pf1-up ip link set "$PF1_DEV" up
wait_for 10 grep -qx 1 "/sys/class/net/$PF1_DEV/carrier"
val carrier.before "$(cat "/sys/class/net/$PF1_DEV/carrier")"
ip -o monitor link dev "$PF1_DEV" >"$step_dir/monitor.out" 2>&1 &
mon=$!
sleep 0.5
rec link-off qmp.sh set_link pf1 off
wait_for 10 grep -qx 0 "/sys/class/net/$PF1_DEV/carrier"
val carrier.off "$(cat "/sys/class/net/$PF1_DEV/carrier")"
val operstate.off "$(cat "/sys/class/net/$PF1_DEV/operstate")"
rec link-on qmp.sh set_link pf1 on
wait_for 15 grep -qx 1 "/sys/class/net/$PF1_DEV/carrier"
val carrier.on "$(cat "/sys/class/net/$PF1_DEV/carrier")"
val operstate.on "$(cat "/sys/class/net/$PF1_DEV/operstate")"
sleep 0.5
kill "$mon" 2>/dev/null; wait "$mon" 2>/dev/null
rec unknown-nic qmp.sh set_link pf9 off

# --- vf-remove: back to 0 VFs ---------------------------------------------------------------------
step vf-remove
rec pf0-write sysw "/sys/bus/pci/devices/$PF0/sriov_numvfs" 0
rec pf1-write sysw "/sys/bus/pci/devices/$PF1/sriov_numvfs" 0
val pf0.numvfs "$(cat "/sys/bus/pci/devices/$PF0/sriov_numvfs")"
val pf1.numvfs "$(cat "/sys/bus/pci/devices/$PF1/sriov_numvfs")"
val virtfns "$(ls -d /sys/bus/pci/devices/$PF0/virtfn* /sys/bus/pci/devices/$PF1/virtfn* 2>/dev/null | wc -l)"
rec lspci-vfs lspci -D -n -d 8086:10ca

echo "== done (at $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
touch "$R/complete"
