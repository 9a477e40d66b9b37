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
# shared: step, rec, val, netdev_of, wait_for
source "$(dirname "$0")/evidence.sh"
# sysw FILE VALUE: writes a sysfs file the way a program does (one write), so errors are errnos.
sysw() { printf '%s' "$2" >"$1"; }
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
has_netdev() { [[ -n "$(netdev_of "$1")" ]]; }

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

# --- vf-create: 4 VFs on PF 0, 2 on PF 1 ----------------------------------------------------------
# The PFs go up first: igbvf's probe resets the VF through the PF's mailbox, which igb serves only
# while its netdev is up (otherwise "PF still in reset state. Is the PF interface up?").
step vf-create
rec pf0-up ip link set "$PF0_DEV" up
rec pf1-up ip link set "$PF1_DEV" up
wait_for 10 grep -qx 1 "/sys/class/net/$PF0_DEV/carrier"
wait_for 10 grep -qx 1 "/sys/class/net/$PF1_DEV/carrier"
echo "sriov-e2e: probe all" >/dev/kmsg
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
# Under heavy host load (TCG) a VF's reset handshake can outlast igbvf's 1 s mailbox timeout; the VF
# then starts without the PF's answer. Such a VF is probed again (at most 3 times), so the steps
# below start from VFs that completed it. Marks in the kernel log tell the probes apart.
handshake_failed() { # handshake_failed VF: the last probe of VF logged no answer from its PF
  dmesg | awk -v vf="$1" 'index($0, "sriov-e2e: probe all") || index($0, "sriov-e2e: probe " vf) {f = 0}
    index($0, "igbvf " vf ": PF still in reset state") {f = 1} END {exit !f}'
}
retries=0
for p in "$PF0" "$PF1"; do
  for v in /sys/bus/pci/devices/$p/virtfn*; do
    vf="$(basename "$(readlink "$v")")"
    for _ in 1 2 3; do
      handshake_failed "$vf" || break
      retries=$((retries + 1))
      echo "sriov-e2e: probe $vf" >/dev/kmsg
      sysw /sys/bus/pci/drivers/igbvf/unbind "$vf"
      sysw /sys/bus/pci/drivers/igbvf/bind "$vf"
      wait_for 10 has_netdev "$vf"
    done
  done
done
val probe-retries "$retries"
val handshake-failed "$(for v in /sys/bus/pci/devices/$PF0/virtfn* /sys/bus/pci/devices/$PF1/virtfn*; do
  vf="$(basename "$(readlink "$v")")"; handshake_failed "$vf" && echo "$vf"; done)"
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
    # BAR 0 (registers) and BAR 3 (MSI-X): start end flags, as the guest kernel placed them.
    val "pf$i.vf$v.bars" "$(sed -n '1p;4p' "/sys/bus/pci/devices/$vf/resource")"
  done
done
rec lspci-vfs lspci -D -n -d 8086:10ca
rec ip-link ip -j -d link show
# The PFs' MSI-X interrupts: entry 0 (igb's "other" vector) serves the VFs' mailbox requests.
val pf0.irqs "$(grep " IR-PCI-MSIX-$PF0 " /proc/interrupts)"
val pf1.irqs "$(grep " IR-PCI-MSIX-$PF1 " /proc/interrupts)"

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
# VF 1 had no administrative MAC: the PF lists the MAC its driver registered through the mailbox.
val vf1.address "$(cat "/sys/class/net/$(netdev_of "$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn1")")")/address")"

# --- vf-netdev: what the VF's own netdev accepts (sriov-cni configures it inside the pod) --------
step vf-netdev
VF_PCI="$(basename "$(readlink "/sys/bus/pci/devices/$PF0/virtfn0")")"
VF="$(netdev_of "$VF_PCI")"
val vf.netdev "$VF"
val address.before "$(cat "/sys/class/net/$VF/address")"
rec admin-mac ip link set "$PF0_DEV" vf 0 mac 02:aa:bb:cc:dd:01
rec up ip link set "$VF" up
sleep 1
val address.after-admin-mac "$(cat "/sys/class/net/$VF/address")"
# While the PF holds an administrative MAC, igb refuses the VF's own MAC requests (mailbox NACK).
rec own-mac ip link set "$VF" address 02:aa:bb:cc:dd:02
rec own-mac-admin ip link set "$VF" address 02:aa:bb:cc:dd:01
val address.after-own-mac "$(cat "/sys/class/net/$VF/address")"
# The administrative MAC reaches the VF netdev when igbvf probes again (its reset handshake).
rec reload-unbind sysw /sys/bus/pci/drivers/igbvf/unbind "$VF_PCI"
rec reload-bind sysw /sys/bus/pci/drivers/igbvf/bind "$VF_PCI"
wait_for 10 has_netdev "$VF_PCI"
VF="$(netdev_of "$VF_PCI")"
val address.after-reload "$(cat "/sys/class/net/$VF/address")"
# A trusted VF may set its own MAC over the administrative one.
rec up-again ip link set "$VF" up
rec trust-on ip link set "$PF0_DEV" vf 0 trust on
rec own-mac-trusted ip link set "$VF" address 02:aa:bb:cc:dd:03
val address.after-own-mac-trusted "$(cat "/sys/class/net/$VF/address")"
rec trust-off ip link set "$PF0_DEV" vf 0 trust off
rec down ip link set "$VF" down
rec mtu-9000 ip link set "$VF" mtu 9000
val mtu.9000 "$(cat "/sys/class/net/$VF/mtu")"
rec mtu-1500 ip link set "$VF" mtu 1500
rec vlan-subif ip link add link "$VF" name "$VF.100" type vlan id 100
rec vlan-subif-show ip -j -d link show "$VF.100"
rec vlan-subif-del ip link del "$VF.100"
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
wait_for 10 has_netdev "$VF"
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
# The VFs have carrier: miimon makes one of them the active slave.
has_active_slave() { [[ -n "$(cat /sys/class/net/e2ebond/bonding/active_slave 2>/dev/null)" ]]; }
wait_for 10 has_active_slave
val active_slave "$(cat /sys/class/net/e2ebond/bonding/active_slave 2>/dev/null)"
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

# --- datapath: VFs of two PFs carry traffic between two network namespaces -------------------------
# Pod a is PF 0's VF 2, pod b PF 1's VF 1: they talk across the QEMU hub that wires the PFs together.
# Pod c is PF 0's VF 3: a <-> c stays inside PF 0's own switch. Evidence before and after: the VF
# netdevs' statistics (netlink), the VFs' hardware counters (ethtool -S), the PFs' per-VF statistics
# (IFLA_VF_STATS); the frames on each PF's port are in .vm/pf<i>.pcap.
step datapath
vf_pci() { basename "$(readlink "/sys/bus/pci/devices/$1/virtfn$2")"; }
declare -A DP_PCI=([a]="$(vf_pci "$PF0" 2)" [b]="$(vf_pci "$PF1" 1)" [c]="$(vf_pci "$PF0" 3)")
declare -A DP_MAC=([a]=02:56:00:00:00:0a [b]=02:56:00:00:00:0b [c]=02:56:00:00:00:0c)
declare -A DP_IP=([a]=10.56.0.1 [b]=10.56.0.2 [c]=10.56.0.3)
declare -A DP_DEV
for p in a b c; do
  DP_DEV[$p]="$(netdev_of "${DP_PCI[$p]}")"
  val "$p.pci" "${DP_PCI[$p]}"
  val "$p.netdev" "${DP_DEV[$p]}"
  val "$p.mac" "${DP_MAC[$p]}"
  rec "ns-$p" ip netns add "dp-$p"
  rec "move-$p" ip link set "${DP_DEV[$p]}" netns "dp-$p"
  rec "mac-$p" ip -n "dp-$p" link set "${DP_DEV[$p]}" address "${DP_MAC[$p]}"
  rec "addr-$p" ip -n "dp-$p" addr add "${DP_IP[$p]}/24" dev "${DP_DEV[$p]}"
  rec "up-$p" ip -n "dp-$p" link set "${DP_DEV[$p]}" up
  ip -n "dp-$p" link set lo up
done
in_ns() { local p="$1"; shift; ip netns exec "dp-$p" "$@"; }
carrier_in() { in_ns "$1" cat "/sys/class/net/${DP_DEV[$1]}/carrier" 2>/dev/null; }
has_carrier() { [[ "$(carrier_in "$1")" == "${2:-1}" ]]; }
for p in a b c; do wait_for 15 has_carrier "$p"; val "$p.carrier" "$(carrier_in "$p")"; done
# counters NAME: netlink statistics of the three VF netdevs and of both PFs, ethtool -S of the VFs.
counters() {
  local p
  for p in a b c; do
    rec "$p.link.$1" ip -n "dp-$p" -j -s link show "${DP_DEV[$p]}"
    rec "$p.ethtool.$1" in_ns "$p" ethtool -S "${DP_DEV[$p]}"
  done
  rec "pf0.link.$1" ip -j -s link show "$PF0_DEV"
  rec "pf1.link.$1" ip -j -s link show "$PF1_DEV"
}
counters before
rec ping-a-b in_ns a busybox ping -c 3 -W 2 "${DP_IP[b]}"
rec ping-b-a in_ns b busybox ping -c 3 -W 2 "${DP_IP[a]}"
rec ping-a-c in_ns a busybox ping -c 3 -W 2 "${DP_IP[c]}"
rec ping-c-a in_ns c busybox ping -c 3 -W 2 "${DP_IP[a]}"
# tcp NAME FROM TO BYTES: FROM sends BYTES of random data to a busybox nc listening in TO; records
# the sha256 of what was sent and of what arrived, and the time taken.
tcp() {
  local name="$1" from="$2" to="$3" bytes="$4" port=$((5000 + RANDOM % 1000)) srv t0
  head -c "$bytes" /dev/urandom >"/tmp/$name.sent"
  in_ns "$to" timeout 30 busybox nc -l -p "$port" >"/tmp/$name.got" 2>"$step_dir/$name.server.err" &
  srv=$!
  listening() { [[ -n "$(in_ns "$to" ss -Hltn "sport = :$port")" ]]; }
  wait_for 5 listening
  t0=$(date +%s%N)
  rec "$name" in_ns "$from" timeout 30 bash -c "cat /tmp/$name.sent >/dev/tcp/${DP_IP[$to]}/$port"
  wait "$srv"
  echo $? >"$step_dir/$name.server.rc"
  val "$name.ms" $(( ($(date +%s%N) - t0) / 1000000 ))
  val "$name.bytes" "$(stat -c %s "/tmp/$name.got")"
  val "$name.sha256.sent" "$(sha256sum <"/tmp/$name.sent" | cut -d' ' -f1)"
  val "$name.sha256.got" "$(sha256sum <"/tmp/$name.got" | cut -d' ' -f1)"
}
tcp tcp-a-b a b 1048576
tcp tcp-c-a c a 1048576
counters after

# --- datapath-link: QEMU set_link on PF 1 under pod b's traffic ------------------------------------
step datapath-link
vf_irqs() { grep " IR-PCI-MSIX-${DP_PCI[b]} " /proc/interrupts; }
val b.irqs.before "$(vf_irqs)"
ip -n dp-b -o monitor link >"$step_dir/monitor.out" 2>&1 &
mon=$!
sleep 0.5
rec ping-before in_ns a busybox ping -c 2 -W 2 "${DP_IP[b]}"
echo "sriov-e2e: link-off" >/dev/kmsg
rec link-off qmp.sh set_link pf1 off
wait_for 10 grep -qx 0 "/sys/class/net/$PF1_DEV/carrier"
val pf1.carrier.off "$(cat "/sys/class/net/$PF1_DEV/carrier")"
# igbvf's watchdog runs every 2 s: give it two rounds to notice the PF's link loss.
sleep 4
val b.carrier.off "$(carrier_in b)"
# What igbvf logged meanwhile: under heavy host load a mailbox timeout makes it reset itself, and a
# reset reads the link anew.
val b.driver-log.off "$(dmesg | awk -v vf="${DP_PCI[b]}" 'index($0, "sriov-e2e: link-off") {on = 1; next}
  on && index($0, "igbvf " vf ":")')"
val b.irqs.off "$(vf_irqs)"
rec ping-off in_ns a busybox ping -c 3 -W 1 "${DP_IP[b]}"
rec tcp-off in_ns a timeout 5 bash -c "echo x >/dev/tcp/${DP_IP[b]}/5999"
# A VF that (re)opens checks the PF's link itself.
rec b-down ip -n dp-b link set "${DP_DEV[b]}" down
rec b-up ip -n dp-b link set "${DP_DEV[b]}" up
sleep 1
val b.carrier.reopened "$(carrier_in b)"
val b.operstate.reopened "$(in_ns b cat "/sys/class/net/${DP_DEV[b]}/operstate")"
rec link-on qmp.sh set_link pf1 on
t0=$(date +%s%N)
wait_for 60 has_carrier b
val b.carrier.on "$(carrier_in b)"
val b.carrier-return-ms $(( ($(date +%s%N) - t0) / 1000000 ))
val pf1.carrier.on "$(cat "/sys/class/net/$PF1_DEV/carrier")"
rec ping-on in_ns a busybox ping -c 3 -W 2 "${DP_IP[b]}"
tcp tcp-on a b 262144
sleep 0.5
kill "$mon" 2>/dev/null; wait "$mon" 2>/dev/null
val b.irqs.after "$(vf_irqs)"
# Deleting a namespace returns its physical netdevs to the host namespace.
for p in a b c; do rec "ns-del-$p" ip netns del "dp-$p"; done
wait_for 10 has_netdev "${DP_PCI[b]}"
val vfs.back "$(for p in a b c; do netdev_of "${DP_PCI[$p]}"; done | wc -l)"

# --- vf-remove: back to 0 VFs ---------------------------------------------------------------------
step vf-remove
rec pf0-write sysw "/sys/bus/pci/devices/$PF0/sriov_numvfs" 0
rec pf1-write sysw "/sys/bus/pci/devices/$PF1/sriov_numvfs" 0
val pf0.numvfs "$(cat "/sys/bus/pci/devices/$PF0/sriov_numvfs")"
val pf1.numvfs "$(cat "/sys/bus/pci/devices/$PF1/sriov_numvfs")"
val virtfns "$(ls -d /sys/bus/pci/devices/$PF0/virtfn* /sys/bus/pci/devices/$PF1/virtfn* 2>/dev/null | wc -l)"
rec lspci-vfs lspci -D -n -d 8086:10ca

# --- logs: the guest kernel's messages (mailbox refusals, link changes), for diagnosis ----------
step logs
rec dmesg dmesg

echo "== done (at $(( ($(date +%s%N) - T0) / 1000000 )) ms)"
touch "$R/complete"
